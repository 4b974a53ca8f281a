import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coverageSentence, parsePhrasebookTopics } from "./phrasebook";

describe("phrasebook topics from docs/vocabulary.md", () => {
  const topics = parsePhrasebookTopics(readFileSync("docs/vocabulary.md", "utf8"));
  it("reads the ten topics with English, German and Chinese examples", () => {
    expect(topics.map((t) => t.title)).toContain("Directions and places");
    expect(topics).toHaveLength(10);
    for (const topic of topics) expect(topic.examples.length).toBeGreaterThanOrEqual(3);
    expect(topics[1]!.examples[0]).toEqual({ en: "Where is the train station?", de: "Wo ist der Bahnhof?", zh: "火车站在哪里？" });
  });
  it("stops at the slot vocabularies", () => {
    expect(topics.flatMap((t) => t.examples).some((e) => e.en === "train station")).toBe(false);
  });
  it("names what the model covers", () => {
    expect(coverageSentence(topics)).toMatch(/^greetings and small talk, .* and polite requests$/);
  });
  it("refuses a document without the section", () => {
    expect(() => parsePhrasebookTopics("# nothing here")).toThrow("Topics");
  });
});
