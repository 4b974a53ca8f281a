import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTestClips } from "./test-clips";

describe("parseTestClips", () => {
  it("accepts public/test-clips/clips.json, and every clip's WAV is there", () => {
    const clips = parseTestClips(JSON.parse(readFileSync("public/test-clips/clips.json", "utf8")));
    expect(clips.length).toBeGreaterThan(0);
    for (const clip of clips) expect(readFileSync(`public/test-clips/${clip.file}`).subarray(0, 4).toString()).toBe("RIFF");
  });

  it("names bad fields", () => {
    expect(() => parseTestClips([])).toThrow(/at least one clip/);
    expect(() => parseTestClips([{ file: "../x.wav", voice: "v", topic: "t", seconds: 1, en: "a", de: "b", zh: "c" }])).toThrow(/0\.file: expected a WAV file name/);
    expect(() => parseTestClips([{ file: "x.wav", voice: "v", topic: "t", seconds: 1, en: "a", de: "b" }])).toThrow(/0\.zh/);
  });
});
