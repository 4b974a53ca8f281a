// The CLI end to end, as a user runs it: real WAV files (made with sox), the committed models,
// onnxruntime-node. One batch run covers the per-file outcomes; the rest are usage and model errors.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultEntry, parseRegistry } from "../src/core/registry";
import { sox } from "../src/test-support/sox";

const GOLDEN = "fixtures/tiny-random/golden.json";
const FIXTURE_MODEL = "public/models/tiny-random";
const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as { wav: string; max_new_tokens: number; cases: Array<{ lang: string; variant: string; text: string; generated_ids: number[] }> };
const goldenCase = (lang: string, variant = "q4") => golden.cases.find((c) => c.lang === lang && c.variant === variant)!;
const fixtureArgs = ["--model", FIXTURE_MODEL, "--max-new-tokens", String(golden.max_new_tokens)];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
async function run(args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "cli/translate.ts", ...args], { encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}
const jsonLines = (stdout: string) => stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, any>);
/** No Node stack trace ("    at f (file:line)") reaches the user. */
const noStackTrace = (r: Run) => expect(r.stderr).not.toMatch(/^\s+at /m);

const dir = mkdtempSync(join(tmpdir(), "translate-cli-"));
const path = (name: string) => join(dir, name);

beforeAll(() => {
  // 30.00 s exactly (480,000 samples) and 29.99 s: the clip with its two context frames past the window.
  sox(golden.wav, path("30s.wav"), "pad", "1", "30", "trim", "0", "30");
  sox(golden.wav, path("29.99s.wav"), "pad", "1", "30", "trim", "0", "29.99");
  // 48 s: longer than the window, so the voice detector's utterances.
  sox(golden.wav, path("unit.wav"), "pad", "0", "1.5");
  sox(...Array<string>(10).fill(path("unit.wav")), path("long.wav"));
  sox("-n", "-r", "16000", "-b", "16", "-c", "1", path("silence.wav"), "trim", "0", "5");
  sox("-n", "-r", "16000", "-b", "16", "-c", "1", path("tone.wav"), "synth", "5", "sine", "440", "vol", "0.5");
  sox("-n", "-r", "16000", "-b", "16", "-c", "1", path("noise.wav"), "synth", "5", "whitenoise", "vol", "0.3");
  sox("-n", "-r", "16000", "-b", "16", "-c", "1", path("20ms.wav"), "trim", "0", "300s");
  sox(golden.wav, "-e", "a-law", path("alaw.wav"));
  sox(golden.wav, "-e", "ima-adpcm", path("ima.wav"));
  writeFileSync(path("empty.wav"), "");
  // Cut short: the data chunk says 3.31 s, the file holds 1 s.
  writeFileSync(path("cut.wav"), readFileSync(golden.wav).subarray(0, 44 + 2 * 16000));
  mkdirSync(path("no-wavs"));
  writeFileSync(path("no-wavs/notes.txt"), "nothing to hear");
  mkdirSync(path("listed"));
  cpSync(golden.wav, path("listed/golden.wav"));
  writeFileSync(path("listed/clips.txt"), "# clips for the batch\n\ngolden.wav\n  # an indented comment\n");
});

describe("npm run translate: one file", () => {
  it.each(["de", "zh"])("prints the golden %s translation of the golden clip", async (lang) => {
    const r = await run([golden.wav, "--to", lang, ...fixtureArgs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${goldenCase(lang).text}\n`);
  });

  it("writes JSON with ids and timings for the file", async () => {
    const r = await run([golden.wav, "--to", "de", "--json", "--variant", "fp32", ...fixtureArgs]);
    const [result] = jsonLines(r.stdout);
    expect(result!.variant).toBe("fp32");
    expect(result!.utterances[0].ids).toEqual(goldenCase("de", "fp32").generated_ids);
    expect(result!.utterances[0].timings.totalMs).toBeGreaterThan(0);
    // A model that cannot transcribe has no "heard"; every utterance has its confidence.
    expect(result!.heard).toBeUndefined();
    expect(result!.understood).toBe(true);
    expect(result!.utterances[0].confidence).toBeGreaterThan(0);
    expect(result!.utterances[0].confidence).toBeLessThanOrEqual(1);
  });

  it("says an utterance under the model's confidence threshold was not understood, never its translation", async () => {
    const model = mkdtempSync(join(tmpdir(), "unsure-"));
    cpSync(FIXTURE_MODEL, model, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(model, "manifest.json"), "utf8"));
    writeFileSync(join(model, "manifest.json"), JSON.stringify({ ...manifest, confidence_threshold: 1 }));
    const plain = await run([golden.wav, "--to", "de", "--model", model, "--max-new-tokens", "8"]);
    expect(plain.stdout).toBe("[not understood]\n");
    const json = jsonLines((await run([golden.wav, "--to", "de", "--model", model, "--max-new-tokens", "8", "--json"])).stdout)[0]!;
    expect(json.understood).toBe(false);
    expect(json.utterances[0].understood).toBe(false);
    expect(json.text).toBe("[not understood]");
    expect(json.utterances[0].text).not.toBe("");  // what it would have said stays in the record
  });

  it("takes the confidence over the manifest's confidence_tokens least probable tokens", async () => {
    const model = mkdtempSync(join(tmpdir(), "measure-"));
    cpSync(FIXTURE_MODEL, model, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(model, "manifest.json"), "utf8"));
    const confidence = async (fields: object) => {
      writeFileSync(join(model, "manifest.json"), JSON.stringify({ ...manifest, ...fields }));
      const r = await run([golden.wav, "--to", "de", "--model", model, "--max-new-tokens", "8", "--json"]);
      return jsonLines(r.stdout)[0]!.utterances[0].confidence as number;
    };
    const every = await confidence({});
    expect(await confidence({ confidence_tokens: 1 })).toBeLessThan(every);
    expect(await confidence({ confidence_tokens: 100 })).toBeCloseTo(every, 6);
    writeFileSync(join(model, "manifest.json"), JSON.stringify({ ...manifest, confidence_tokens: 0 }));
    const bad = await run([golden.wav, "--to", "de", "--model", model]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("confidence_tokens");
  });

  it("uses the app's default model (public/models/index.json) without --model", async () => {
    const id = defaultEntry(parseRegistry(JSON.parse(readFileSync("public/models/index.json", "utf8"))))!.id;
    const r = await run([golden.wav, "--to", "de", "--json", "--max-new-tokens", "4"]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0]!.model).toBe(id);
  });
});

describe("npm run translate: a batch, every file reported, the batch goes on", () => {
  let records: Array<Record<string, any>>;
  let batch: Run;
  const record = (name: string) => records.find((r) => r.file === path(name))!;
  beforeAll(async () => {
    const names = ["30s.wav", "missing.wav", "29.99s.wav", "long.wav", "silence.wav", "tone.wav", "noise.wav", "20ms.wav", "alaw.wav", "ima.wav", "empty.wav", "cut.wav", "no-wavs"];
    batch = await run([...names.map(path), path("listed/clips.txt"), "--to", "de", "--json", ...fixtureArgs]);
    records = jsonLines(batch.stdout);
  }, 300_000);

  it("stdout is JSON Lines, one record a file in order, even for clips over 30 s (no VAD log lines)", () => {
    expect(records.map((r) => relative(dir, r.file))).toEqual(["30s.wav", "missing.wav", "29.99s.wav", "long.wav", "silence.wav", "tone.wav", "noise.wav", "20ms.wav", "alaw.wav", "ima.wav", "empty.wav", "cut.wav", "no-wavs", "listed/golden.wav"]);
  });

  it("a missing file is reported, the others translated, and the exit status is 1, without a stack trace", () => {
    expect(record("missing.wav").error).toEqual({ code: "not-audio", message: "no such file" });
    expect(batch.stderr).toContain(`${path("missing.wav")}: no such file`);
    expect(batch.code).toBe(1);
    noStackTrace(batch);
  });

  it("clips of 29.99 and 30.00 s translate (the encoder gets its context frames past the window)", () => {
    for (const name of ["30s.wav", "29.99s.wav"]) {
      expect(record(name).error).toBeUndefined();
      expect(record(name).utterances).toHaveLength(1);
      expect(record(name).utterances[0].audioSeconds).toBeGreaterThanOrEqual(29.99);
    }
  });

  it("a clip over 30 s goes by the voice detector's utterances", () => {
    expect(record("long.wav").utterances.length).toBeGreaterThanOrEqual(2);
    for (const u of record("long.wav").utterances) expect(u.audioSeconds).toBeLessThanOrEqual(30);
  });

  it.each(["silence.wav", "tone.wav", "noise.wav"])("%s: no speech found, as the app says (no invented sentence)", (name) => {
    expect(record(name).error).toEqual({ code: "no-speech", message: expect.stringMatching(/^No speech found/) });
    expect(record(name).text).toBeUndefined();
  });

  it("a 20 ms clip is too short, said so", () => {
    expect(record("20ms.wav").error).toEqual({ code: "audio-too-short", message: expect.stringContaining("is too short") });
  });

  it("a-law and IMA-ADPCM files are decoded, not read as PCM: the golden text", () => {
    expect(record("alaw.wav").text).toBe(goldenCase("de").text);
    expect(record("ima.wav").text).toBe(goldenCase("de").text);
  });

  it("an empty file says it is empty", () => {
    expect(record("empty.wav").error).toEqual({ code: "not-audio", message: "the file is empty (0 bytes)" });
  });

  it("a clip cut short is translated with a warning", () => {
    expect(record("cut.wav").warnings).toEqual([expect.stringMatching(/^the file is cut short/)]);
    expect(batch.stderr).toMatch(new RegExp(`${path("cut.wav")}: warning: the file is cut short`));
  });

  it("a folder with no WAVs is an error", () => {
    expect(record("no-wavs").error).toEqual({ code: "input", message: "a folder with no .wav files" });
  });

  it("a list file's paths are relative to the list, and # lines are comments", () => {
    expect(record("listed/golden.wav").text).toBe(goldenCase("de").text);
  });
});

describe("npm run translate: plain output", () => {
  it("names each file when there are several, so lines stay matched after a failure", async () => {
    const r = await run([golden.wav, path("missing.wav"), "fixtures/tiny-random/good-morning.wav", "--to", "de", ...fixtureArgs]);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${golden.wav}\t${goldenCase("de").text}`);
    expect(lines[1]).toMatch(/^fixtures\/tiny-random\/good-morning\.wav\t\S/);
    expect(r.code).toBe(1);
  });

  it("a folder with no WAVs, alone, fails before loading a model", async () => {
    const r = await run([path("no-wavs"), "--to", "de", "--model", "/nonexistent"]);
    expect(r).toMatchObject({ code: 1, stdout: "", stderr: `${path("no-wavs")}: a folder with no .wav files\n` });
  });
});

describe.concurrent("npm run translate: usage errors, exit status 2, no stack trace", () => {
  it.each([
    [["--max-new-tokens", "0"], /--max-new-tokens must be a whole number from 1 to 1024, not "0"/],
    [["--max-new-tokens", "-1"], /--max-new-tokens/],
    [["--max-new-tokens", "abc"], /not "abc"/],
    [["--max-new-tokens", "1e9"], /not "1e9"/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--to", "fr", "--model", FIXTURE_MODEL], /--to must be one of de, zh \(the languages of tiny-random\), not "fr"/],
    [["--variant", "q8", "--model", FIXTURE_MODEL], /--variant must be one of fp32, q4, q4dq/],
  ])("%j", async (args, message) => {
    const r = await run([golden.wav, "--to", "de", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    noStackTrace(r);
  });
});

describe.concurrent("npm run translate: a model folder is checked as the app's store checks it", () => {
  /** A copy of the fixture model with `change` applied. */
  function brokenModel(name: string, change: (dir: string) => void): string {
    const model = path(`model-${name}`);
    rmSync(model, { recursive: true, force: true });
    cpSync(FIXTURE_MODEL, model, { recursive: true });
    change(model);
    return model;
  }
  const decoder = (model: string) => join(model, "onnx/decoder_model_merged_q4.onnx");

  it.each([
    ["a missing folder", () => path("no-such-model"), /no such model folder/],
    ["a folder without manifest.json", () => brokenModel("no-manifest", (m) => rmSync(join(m, "manifest.json"))), /has no manifest\.json: not an exported model folder/],
    ["a {} manifest", () => brokenModel("empty-manifest", (m) => writeFileSync(join(m, "manifest.json"), "{}")), /Malformed manifest: not a qwen2-audio-onnx model manifest: it has no "format" field/],
    ["a missing .onnx", () => brokenModel("missing-onnx", (m) => rmSync(decoder(m))), /onnx\/decoder_model_merged_q4\.onnx: missing from/],
    ["a truncated .onnx", () => brokenModel("truncated-onnx", (m) => truncateSync(decoder(m), 1000)), /decoder_model_merged_q4\.onnx: 1000 bytes, but the manifest says \d+/],
    [
      "a decoder with shuffled weights of the same size",
      () =>
        brokenModel("shuffled", (m) => {
          const bytes = readFileSync(decoder(m));
          bytes.subarray(bytes.length / 2, bytes.length / 2 + 4096).reverse();
          writeFileSync(decoder(m), bytes);
        }),
      /decoder_model_merged_q4\.onnx: sha256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64}/,
    ],
  ])("%s", async (_, model, message) => {
    const r = await run([golden.wav, "--to", "de", "--model", model()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    noStackTrace(r);
  });
});
