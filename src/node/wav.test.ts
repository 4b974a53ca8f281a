// The WAV reader against sox, the reference decoder: every encoding it accepts decodes to sox's
// samples; the rest are refused by name; a few hundred malformed files end in a clean error or a
// correct decode (src/test-support/wav-fuzz.ts, in its own process so that a hang is a timeout).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { NotAudioError } from "../core/errors";
import { sox } from "../test-support/sox";
import { asExtensible, type FuzzOutcome } from "../test-support/wav-fuzz";
import { decodeWav, readWav } from "./wav";

const GOLDEN = "fixtures/tiny-random/golden.wav";
const dir = mkdtempSync(join(tmpdir(), "wav-test-"));

/** GOLDEN re-encoded by sox with `encoding` args, and sox's own decode of that file as 16 kHz mono float32. */
function encodeWithSox(name: string, encoding: string[]): { path: string; reference: Float32Array } {
  const path = join(dir, `${name}.wav`);
  sox(GOLDEN, ...encoding, path);
  const raw = join(dir, `${name}.f32`);
  sox(path, "-t", "f32", "-c", "1", raw);
  const bytes = readFileSync(raw);
  return { path, reference: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) };
}

describe("readWav decodes what sox decodes", () => {
  it.each([
    ["16-bit PCM", []],
    ["8-bit unsigned PCM", ["-b", "8"]],
    ["24-bit PCM (EXTENSIBLE)", ["-b", "24"]],
    ["32-bit PCM (EXTENSIBLE)", ["-b", "32"]],
    ["float32", ["-e", "floating-point", "-b", "32"]],
    ["float64", ["-e", "floating-point", "-b", "64"]],
    ["a-law", ["-e", "a-law"]],
    ["µ-law", ["-e", "u-law"]],
    ["IMA-ADPCM", ["-e", "ima-adpcm"]],
    ["stereo (averaged)", ["-c", "2"]],
  ])("%s", async (name, encoding) => {
    const { path, reference } = encodeWithSox(name.replace(/\W+/g, "_"), encoding);
    const { samples, warnings } = await readWav(path);
    expect(warnings).toEqual([]);
    expect(samples.length).toBe(reference.length);
    let worst = 0;
    for (let i = 0; i < samples.length; i++) worst = Math.max(worst, Math.abs(samples[i]! - reference[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it("WAVE_FORMAT_EXTENSIBLE float32 is read as float, not as int32", async () => {
    const { path, reference } = encodeWithSox("float32_plain", ["-e", "floating-point", "-b", "32"]);
    const extensible = asExtensible(new Uint8Array(readFileSync(path)));
    expect(new DataView(extensible.buffer).getUint16(20, true)).toBe(0xfffe);
    expect(Array.from(decodeWav(extensible).samples)).toEqual(Array.from(reference));
  });

  it("resamples 44.1 kHz to the model's 16 kHz", async () => {
    const original = (await readWav(GOLDEN)).samples;
    const { path } = encodeWithSox("rate_44k", ["-r", "44100"]);
    const { samples } = await readWav(path);
    expect(samples.length).toBe(original.length);
    let error = 0;
    let power = 0;
    for (let i = 0; i < original.length; i++) {
      error += (samples[i]! - original[i]!) ** 2;
      power += original[i]! ** 2;
    }
    // Signal to error of the 16 → 44.1 → 16 kHz round trip, in dB (wavefile's resampler: 22).
    expect(10 * Math.log10(power / error)).toBeGreaterThan(20);
  });
});

describe("readWav refuses what it cannot decode, by name", () => {
  const golden = new Uint8Array(readFileSync(GOLDEN));
  const withFormatCode = (code: number) => {
    const bytes = golden.slice();
    new DataView(bytes.buffer).setUint16(20, code, true);
    return bytes;
  };

  it("an empty file says it is empty", () => {
    expect(() => decodeWav(new Uint8Array(0))).toThrow(new NotAudioError("the file is empty (0 bytes)"));
  });

  it("a file that is not a WAV", () => {
    expect(() => decodeWav(new TextEncoder().encode('{"name": "not audio"}'))).toThrow(/not a WAV file \(no RIFF\/WAVE header\)/);
  });

  it.each([
    ["MP3", 0x0055, /MP3 \(format code 0x0055\), which this reader does not decode; convert it to PCM/],
    ["Microsoft ADPCM", 0x0002, /Microsoft ADPCM \(format code 0x0002\)/],
    ["an unknown code", 0x1234, /an encoding \(format code 0x1234\)/],
  ])("%s", (_, code, message) => {
    expect(() => decodeWav(withFormatCode(code))).toThrow(message);
  });

  it("stereo IMA-ADPCM (the decoder is mono only)", () => {
    const { path } = encodeWithSox("ima_stereo", ["-c", "2", "-e", "ima-adpcm"]);
    expect(() => decodeWav(new Uint8Array(readFileSync(path)))).toThrow(/2-channel IMA-ADPCM, which this reader does not decode/);
  });

  it("a clip cut short is decoded as far as it goes, with a warning", () => {
    const cut = golden.slice(0, 44 + 2 * 16000);
    const { samples, warnings } = decodeWav(cut);
    expect(samples.length).toBe(16000);
    expect(warnings).toEqual([expect.stringMatching(/^the file is cut short: its data chunk declares 106020 bytes \(3\.31 s\) but holds 32000 \(1\.00 s\)/)]);
  });
});

describe("readWav on a few hundred malformed and truncated files", () => {
  it("gives a clean error or a correct decode for every one, and never hangs", async () => {
    const { stdout } = await promisify(execFile)("npx", ["tsx", "src/test-support/wav-fuzz.ts"], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }).catch((error: { killed?: boolean; stderr?: string }) => {
      const last = error.stderr?.trim().split("\n").at(-1);
      throw new Error(error.killed ? `the reader hung on: ${last}` : `the fuzz run failed after: ${last}`);
    });
    const outcomes = JSON.parse(stdout) as FuzzOutcome[];
    expect(outcomes.length).toBeGreaterThan(300);
    expect(outcomes.filter((o) => o.kind === "crashed")).toEqual([]);
    for (const o of outcomes) {
      if (o.kind === "refused") expect(o.message, o.name).toMatch(/^(the file is empty|not a WAV file|an? [^]*(WAV|EXTENSIBLE) file)[^]*$/);
      if (o.kind === "refused") expect(o.message, o.name).not.toMatch(/undefined|NaN/);
      if (o.kind === "decoded") {
        expect(o.finite, o.name).toBe(true);
        // No decode is larger than the file can hold: at most 2 samples a byte (IMA-ADPCM), ×2 from 8 kHz.
        expect(o.samples!, o.name).toBeLessThanOrEqual(4 * o.bytes);
        if (o.prefixOfWhole !== undefined) expect(o.prefixOfWhole, o.name).toBe(true);
        if (o.name.includes("(data)")) expect(o.warnings, o.name).toEqual([expect.stringContaining("the file is cut short")]);
      }
    }
    // Both outcomes occur: the cases reach the decoder, not only the header checks.
    expect(outcomes.filter((o) => o.kind === "decoded").length).toBeGreaterThan(50);
  });
});
