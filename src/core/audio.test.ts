import { readFileSync } from "node:fs";
import { WhisperFeatureExtractor } from "@huggingface/transformers";
import { describe, expect, it } from "vitest";
import { audioTokenCount, FeatureExtractor, melFrames } from "./audio";
import { AudioTooLongError } from "./errors";
import { parseManifest } from "./manifest";
import { sampleManifest } from "../test-support/manifest";

const audio = parseManifest(sampleManifest()).audio;
const samplesOf = (seconds: number) => Math.round(seconds * audio.sampling_rate);

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
});

describe("FeatureExtractor", () => {
  const config = "public/models/tiny-random/preprocessor_config.json";
  it("gives the same frames as the full 30 s window, with less padding", async () => {
    const preprocessor = JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
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

  it("gives a full 30 s window its right context as zeros past the window's end", async () => {
    const preprocessor = JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
    const samples = Float32Array.from({ length: audio.n_samples }, (_, i) => 0.3 * Math.sin(i / 7));
    const { input_features } = await new WhisperFeatureExtractor(preprocessor)._call(samples);
    const features = await new FeatureExtractor(preprocessor, audio).extract(samples);
    const [, nMels, frames] = features.dims;
    expect(frames).toBe(audio.max_frames + audio.context_frames);
    for (let mel = 0; mel < nMels; mel++) {
      const row = features.data.subarray(mel * frames, (mel + 1) * frames);
      expect(Array.from(row.subarray(0, audio.max_frames))).toEqual(Array.from((input_features.data as Float32Array).subarray(mel * 3000, (mel + 1) * 3000)));
      expect(Array.from(row.subarray(audio.max_frames))).toEqual(new Array(audio.context_frames).fill(0));
    }
  });
});
