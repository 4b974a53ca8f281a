import { readFileSync } from "node:fs";
import { WhisperFeatureExtractor } from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { audioTokenCount, encoderFrames, FeatureExtractor, melFrames, minSamples } from "./audio";
import { AudioTooLongError, AudioTooShortError } from "./errors";
import { parseManifest } from "./manifest";
import { sampleManifest } from "../test-support/manifest";

const audio = parseManifest(sampleManifest()).audio;
const samplesOf = (seconds: number) => Math.round(seconds * audio.sampling_rate);

// compress/audio.py's answers and the fixture model's encoder rows (tests/test_reference_fixtures.py).
interface ReferenceCase {
  samples: number;
  frames?: number;
  tokens?: number;
  error?: "empty" | "too short" | "too long";
  encoder_frames?: number;
  encoder_rows?: number;
  tail?: Record<string, number[]>;
}
const reference = JSON.parse(readFileSync("fixtures/reference/audio-frames.json", "utf8")) as { model: string; cases: ReferenceCase[] };
const fixtureDir = reference.model;
const fixtureAudio = parseManifest(JSON.parse(readFileSync(`${fixtureDir}/manifest.json`, "utf8"))).audio;
const preprocessor = JSON.parse(readFileSync(`${fixtureDir}/preprocessor_config.json`, "utf8")) as Record<string, unknown>;
/** The reference's clip: float32 of 0.3 sin(i/7) sin(i/3000). */
const referenceSignal = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 3000));

describe("audio-token count", () => {
  it.each([
    [0.5, 12],
    [1, 25],
    [7.3, 182],
    [30, 750],
  ])("%s s of audio gives %i tokens", (seconds, tokens) => {
    expect(audioTokenCount(samplesOf(seconds), audio)).toBe(tokens);
  });

  it("counts mel frames of real audio, rounding a partial hop up", () => {
    expect(melFrames(16000, audio)).toBe(100);
    expect(melFrames(16001, audio)).toBe(101);
    expect(melFrames(480000, audio)).toBe(3000);
  });

  it("refuses audio longer than the window", () => {
    expect(() => audioTokenCount(samplesOf(30) + 1, audio)).toThrow(AudioTooLongError);
    expect(() => audioTokenCount(samplesOf(45), audio)).toThrow(/45\.0 s is longer than the model's 30 s window/);
  });

  it("refuses audio too short for one token, saying so (not a token-count mismatch later)", () => {
    expect(minSamples(audio)).toBe(321);
    expect(() => audioTokenCount(320, audio)).toThrow(AudioTooShortError);
    expect(() => audioTokenCount(0, audio)).toThrow(/0 samples \(0\.0 ms\) is too short: the model needs at least 321 samples \(20\.1 ms\)/);
    expect(audioTokenCount(321, audio)).toBe(1);
  });

  it.each(reference.cases.map((c) => [c.samples, c] as const))("%i samples: frames, tokens and encoder frames as compress/audio.py", (samples, c) => {
    if (c.error === "too long") {
      expect(() => melFrames(samples, fixtureAudio)).toThrow(AudioTooLongError);
      return;
    }
    if (c.error) {
      expect(() => audioTokenCount(samples, fixtureAudio)).toThrow(AudioTooShortError);
      if (c.frames !== undefined) expect(melFrames(samples, fixtureAudio)).toBe(c.frames);
      return;
    }
    expect(melFrames(samples, fixtureAudio)).toBe(c.frames);
    expect(audioTokenCount(samples, fixtureAudio)).toBe(c.tokens);
    expect(encoderFrames(samples, fixtureAudio)).toBe(c.encoder_frames);
  });
});

describe("FeatureExtractor", () => {
  it("gives the same frames as the full 30 s window, with less padding", async () => {
    const full = new WhisperFeatureExtractor(preprocessor);
    const ours = new FeatureExtractor(preprocessor, audio);
    for (const seconds of [0.5, 3.3, 12]) {
      const samples = Float32Array.from({ length: samplesOf(seconds) }, (_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 3000));
      const { input_features } = await full._call(samples);
      const padded = input_features.data as Float32Array;
      const features = await ours.extract(samples);
      const [, nMels, frames] = features.dims;
      expect(frames).toBe(melFrames(samples.length, audio) + audio.context_frames);
      for (let mel = 0; mel < nMels; mel++) {
        const expected = padded.subarray(mel * 3000, mel * 3000 + frames);
        const actual = features.data.subarray(mel * frames, (mel + 1) * frames);
        expect(Array.from(actual)).toEqual(Array.from(expected));
      }
    }
  });

  // The contract's two context frames past the last real one, zeros past the 3000-frame window:
  // at 479,681-480,000 samples the runtime fed only 3000 frames and the encoder gave 749 rows for 750 tokens.
  const withEncoder = reference.cases.filter((c) => c.encoder_rows !== undefined && (c.samples < 1000 || c.samples > 479_000));
  it.each(withEncoder.map((c) => [c.samples, c] as const))("%i samples: the fixture encoder gives one row per audio token, as in Python", async (samples, c) => {
    const features = await new FeatureExtractor(preprocessor, fixtureAudio).extract(referenceSignal(samples));
    const [, nMels, frames] = features.dims;
    expect(frames).toBe(c.encoder_frames);
    for (const [mel, tail] of Object.entries(c.tail!)) {
      const row = features.data.subarray(Number(mel) * frames, (Number(mel) + 1) * frames);
      const ours = Array.from(row.subarray(frames - tail.length));
      ours.forEach((value, i) => expect(Math.abs(value - tail[i]!), `mel ${mel}, frame ${frames - tail.length + i}`).toBeLessThan(1e-4));
    }
    const encoder = await ort.InferenceSession.create(`${fixtureDir}/onnx/audio_encoder.onnx`);
    try {
      const { audio_features } = await encoder.run({ input_features: new ort.Tensor("float32", features.data, [1, nMels, frames]) });
      expect(audio_features!.dims[1]).toBe(c.encoder_rows);
      expect(audio_features!.dims[1]).toBe(audioTokenCount(samples, fixtureAudio));
    } finally {
      await encoder.release();
    }
  });
});
