import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultComparePair, defaultEntry, parseRegistry, probeModel, RegistryError, startingEntry, type RegistryEntry } from "./registry";
import { sampleManifest } from "../test-support/manifest";

const fixture: RegistryEntry = { id: "tiny-random", label: "tiny", role: "fixture" };
const student: RegistryEntry = { id: "phrasebook-student", label: "student", role: "student", default: true };
const teacher: RegistryEntry = { id: "phrasebook-teacher", label: "teacher", role: "teacher" };

function errorOf(json: unknown): RegistryError {
  try {
    parseRegistry(json);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error("expected parseRegistry to throw");
}

describe("parseRegistry", () => {
  it("accepts the committed public/models/index.json, whose default is a listed model", () => {
    const entries = parseRegistry(JSON.parse(readFileSync("public/models/index.json", "utf8")));
    expect(entries.length).toBeGreaterThan(0);
    const preferred = defaultEntry(entries);
    expect(preferred?.default).toBe(true);
    expect(entries.filter((e) => e.default)).toHaveLength(1);
  });

  it("names bad fields, repeated ids and a second default", () => {
    expect(errorOf({}).message).toMatch(/Malformed model list \(models\/index\.json\): \(root\)/);
    expect(errorOf([]).message).toMatch(/at least one model/);
    expect(errorOf([{ id: "../x", label: "x", role: "fixture" }]).message).toMatch(/0\.id: expected a folder name/);
    expect(errorOf([{ id: "x", label: "x", role: "baseline" }]).message).toMatch(/0\.role/);
    expect(errorOf([{ id: "x", label: "x", role: "fixture", default: false }]).message).toMatch(/0\.default/);
    expect(errorOf([fixture, fixture]).message).toMatch(/listed twice: tiny-random/);
    expect(errorOf([{ ...fixture, default: true }, student]).message).toMatch(/more than one "default": true \(tiny-random, phrasebook-student\)/);
    expect(errorOf({}).code).toBe("registry");
  });
});

describe("choosing models", () => {
  const all = [fixture, student, teacher];
  const only = (...ids: string[]) => (id: string) => ids.includes(id);

  it("starts on the default, or on the first available entry when the default is missing", () => {
    expect(defaultEntry(all)).toBe(student);
    expect(defaultEntry([fixture, teacher])).toBe(fixture);
    expect(startingEntry(all, only("tiny-random", "phrasebook-student"))).toBe(student);
    expect(startingEntry(all, only("tiny-random"))).toBe(fixture);
    expect(startingEntry(all, only())).toBeUndefined();
    expect(startingEntry([], only())).toBeUndefined();
  });

  it("compares student with teacher when both are there, else two others, else one model twice", () => {
    expect(defaultComparePair(all, only("tiny-random", "phrasebook-student", "phrasebook-teacher"))).toEqual([student, teacher]);
    expect(defaultComparePair(all, only("tiny-random", "phrasebook-teacher"))).toEqual([fixture, teacher]);
    expect(defaultComparePair(all, only("tiny-random"))).toEqual([fixture, fixture]);
    expect(defaultComparePair(all, only())).toBeUndefined();
  });
});

describe("probeModel", () => {
  const base = "http://app.test/models/m/";
  const respond = (body: string, init: ResponseInit = {}) => async () => new Response(body, init);
  const noCache = async () => null;

  it("returns the parsed manifest", async () => {
    const result = await probeModel(base, respond(JSON.stringify(sampleManifest()), { headers: { "content-type": "application/json" } }), noCache);
    expect(result).toMatchObject({ available: true, offline: false, manifest: { id: "sample" } });
  });

  it("asks for manifest.json inside the folder, bypassing the HTTP cache", async () => {
    const asked: Array<[string, RequestInit | undefined]> = [];
    await probeModel(base, async (url, init) => (asked.push([url, init]), new Response("", { status: 404 })), noCache);
    expect(asked).toEqual([["http://app.test/models/m/manifest.json", { cache: "no-store" }]]);
  });

  it("a missing folder: HTTP 404, or the HTML page single-page-app hosts answer with", async () => {
    expect(await probeModel(base, respond("", { status: 404 }), noCache)).toEqual({
      available: false,
      reason: "Not exported yet: http://app.test/models/m/manifest.json answers HTTP 404",
    });
    const html = await probeModel(base, respond("<!doctype html><html></html>", { headers: { "content-type": "text/html" } }), noCache);
    expect(html).toMatchObject({ available: false, reason: expect.stringMatching(/Not exported yet: .*manifest\.json is not JSON \(the server sent an HTML page/) });
  });

  it("a broken manifest: not JSON, or a field the contract rejects", async () => {
    expect(await probeModel(base, respond("{oops", { headers: { "content-type": "application/json" } }), noCache)).toEqual({
      available: false,
      reason: "Malformed manifest: http://app.test/models/m/manifest.json is not JSON",
    });
    const json = sampleManifest();
    delete json.tokens;
    expect(await probeModel(base, respond(JSON.stringify(json)), noCache)).toMatchObject({ available: false, reason: expect.stringMatching(/^Malformed manifest: tokens/) });
  });

  it("offline: the manifest stored with a previous download, else a reason", async () => {
    const offline = async (): Promise<Response> => {
      throw new TypeError("Failed to fetch");
    };
    expect(await probeModel(base, offline, async () => sampleManifest())).toMatchObject({ available: true, offline: true, manifest: { id: "sample" } });
    expect(await probeModel(base, offline, noCache)).toMatchObject({ available: false, reason: expect.stringMatching(/^Offline, and not downloaded before .*Failed to fetch/) });
  });
});
