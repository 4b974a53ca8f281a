// Silero VAD (the model shipped in @ricky0123/vad-web) on onnxruntime-node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { concat, segmentClip, splitAtPauses, VoiceSegmenter } from "./segment";
import { readWav16kMono } from "../node/wav";

const WAV = "fixtures/tiny-random/golden.wav";
const vadModel = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx")));
const silence = (seconds: number) => new Float32Array(Math.round(seconds * 16000));
const join = (...parts: Float32Array[]) => concat(parts);
const newSegmenter = () => VoiceSegmenter.create(ort, vadModel, { maxSamples: 30 * 16000 });

describe("VoiceSegmenter", () => {
  it("finds two utterances separated by a pause", async () => {
    const speech = await readWav16kMono(WAV);
    const utterances = await segmentClip(await newSegmenter(), join(silence(1), speech, silence(2), speech, silence(1)));
    expect(utterances).toHaveLength(2);
    for (const u of utterances) {
      // Each holds the speech, give or take the VAD's padding and end-of-speech wait.
      expect(u.length).toBeGreaterThan(speech.length * 0.6);
      expect(u.length).toBeLessThan(speech.length + 1.5 * 16000);
    }
  });

  it("finds no utterance in silence", async () => {
    expect(await segmentClip(await newSegmenter(), silence(3))).toEqual([]);
  });

  it("streams: the same utterances arrive when audio comes in small pieces", async () => {
    const speech = await readWav16kMono(WAV);
    const clip = join(silence(0.5), speech, silence(1.5));
    const segmenter = await newSegmenter();
    const events = [];
    let sawPartial = false;
    for (let i = 0; i < clip.length; i += 1280) {
      events.push(...(await segmenter.push(clip.subarray(i, i + 1280))));
      if (segmenter.currentSpeech()?.length) sawPartial = true;
    }
    events.push(...segmenter.flush());
    expect(events.map((e) => e.type)).toEqual(["speech-start", "utterance"]);
    expect(sawPartial).toBe(true);
  });
});

describe("splitAtPauses", () => {
  it("leaves audio within the window alone", () => {
    expect(splitAtPauses(new Float32Array(100), 200)).toHaveLength(1);
  });

  it("cuts a too-long clip in its quiet gap, into pieces that fit", () => {
    const loud = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i / 3));
    const audio = join(loud(12000), new Float32Array(3200), loud(9000));
    const pieces = splitAtPauses(audio, 16000);
    expect(pieces).toHaveLength(2);
    expect(pieces[0]!.length).toBeGreaterThanOrEqual(12000);
    expect(pieces[0]!.length).toBeLessThanOrEqual(15200);
    expect(pieces.reduce((n, p) => n + p.length, 0)).toBe(audio.length);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(16000);
  });
});
