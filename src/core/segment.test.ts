// Silero VAD (the model shipped in @ricky0123/vad-web) on onnxruntime-node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { describe, expect, it, vi } from "vitest";
import { AudioTooShortError, NoSpeechError } from "./errors";
import { parseManifest } from "./manifest";
import { clipUtterances, concat, segmentClip, splitAtPauses, VoiceSegmenter } from "./segment";
import { readWav16kMono } from "../node/wav";
import { sampleManifest } from "../test-support/manifest";

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
    for (const { audio: u } of utterances) {
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
    expect(events.map((e) => e.type).filter((t) => t !== "pause" && t !== "resume")).toEqual(["speech-start", "utterance"]);
    expect(sawPartial).toBe(true);
  });
});

describe("VoiceSegmenter pauses: the utterance so far, before the detector's end-of-speech wait", () => {
  /** Feeds a clip in 20 ms pieces, as the microphone does, and returns every event. */
  async function stream(clip: Float32Array) {
    const segmenter = await newSegmenter();
    const events = [];
    for (let i = 0; i < clip.length; i += 320) events.push(...(await segmenter.push(clip.subarray(i, i + 320))));
    return [...events, ...segmenter.flush()];
  }

  it("an utterance is exactly the audio of the pause that ended it", async () => {
    const clip = join(silence(0.5), await readWav16kMono(WAV), silence(1.5));
    const events = await stream(clip);
    const pauses = events.filter((e) => e.type === "pause");
    const utterance = events.find((e) => e.type === "utterance")!;
    expect(events.filter((e) => e.type === "utterance")).toHaveLength(1);
    // Pauses inside the sentence were each followed by speech; the last one ended it.
    expect(events.at(-2)).toBe(pauses.at(-1));
    expect(events.filter((e) => e.type === "resume")).toHaveLength(pauses.length - 1);
    const last = pauses.at(-1)!;
    expect([utterance.start, utterance.end]).toEqual([last.start, last.end]);
    expect(utterance.audio).toEqual(last.audio);
    // The range is where the audio lies in the stream, and the silence waited through is not in it.
    expect(utterance.audio).toEqual(clip.subarray(utterance.start, utterance.end));
    expect(clip.length - utterance.end).toBeGreaterThan(16000);
  });

  it("speech that resumes after a short pause cancels that pause: one utterance, ending at the second part", async () => {
    // The clip's own silence (0.25 s before, 0.75 s after) cut off, then a 250 ms gap: under the
    // 600 ms the detector waits.
    const clip = await readWav16kMono(WAV);
    const isLoud = (v: number) => Math.abs(v) > 0.01;
    const speech = clip.subarray(clip.findIndex(isLoud), clip.findLastIndex(isLoud) + 1);
    const gapStart = 8000 + speech.length;
    const events = await stream(join(silence(0.5), speech, silence(0.25), speech, silence(1.5)));
    const utterances = events.filter((e) => e.type === "utterance");
    expect(utterances).toHaveLength(1);
    const pauseInGap = events.find((e) => e.type === "pause" && e.end > gapStart && e.end < gapStart + 4000)!;
    expect(pauseInGap).toBeDefined();
    expect(events[events.indexOf(pauseInGap) + 1]?.type).toBe("resume");
    expect(utterances[0]!.end).toBeGreaterThan(gapStart + 4000 + speech.length / 2);
  });
});

describe("clipUtterances: what the app and the CLI translate of a clip", () => {
  const audio = parseManifest(sampleManifest()).audio;
  const seconds = (n: number) => Math.round(n * 16000);
  const tone = Float32Array.from({ length: seconds(5) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
  let seed = 7;
  const noise = Float32Array.from({ length: seconds(5) }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return 0.3 * (seed / 2 ** 30 - 1);
  });

  it.each([
    ["five seconds of silence", silence(5)],
    ["a five-second 440 Hz tone", tone],
    ["five seconds of white noise", noise],
  ])("%s holds no speech", async (_, samples) => {
    await expect(clipUtterances(ort, vadModel, samples, audio)).rejects.toThrow(NoSpeechError);
  });

  it("a clip with speech that fits the window is one utterance: the whole clip", async () => {
    const speech = join(silence(1), await readWav16kMono(WAV), silence(1));
    expect(await clipUtterances(ort, vadModel, speech, audio)).toEqual([{ audio: speech, start: 0 }]);
  });

  it("a clip longer than the window goes by the detector's utterances, each within the window", async () => {
    const speech = await readWav16kMono(WAV);
    const long = join(...Array.from({ length: 9 }, () => join(speech, silence(1.5))));
    const pieces = await clipUtterances(ort, vadModel, long, audio);
    expect(long.length).toBeGreaterThan(seconds(30));
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    for (const piece of pieces) expect(piece.audio.length).toBeLessThanOrEqual(seconds(30));
    // Each piece says where it starts: it is the clip's own samples from there, in order.
    for (const [i, piece] of pieces.entries()) {
      expect(piece.audio).toEqual(long.subarray(piece.start, piece.start + piece.audio.length));
      if (i > 0) expect(piece.start).toBeGreaterThanOrEqual(pieces[i - 1]!.start + pieces[i - 1]!.audio.length);
    }
  });

  it("an empty clip is empty, a 20 ms one too short for the model", async () => {
    await expect(clipUtterances(ort, vadModel, new Float32Array(0), audio)).rejects.toThrow(/empty/);
    await expect(clipUtterances(ort, vadModel, new Float32Array(320), audio)).rejects.toThrow(AudioTooShortError);
  });

  it("the voice detector writes nothing to stdout (the CLI's JSON Lines)", async () => {
    const log = vi.spyOn(console, "log");
    try {
      await clipUtterances(ort, vadModel, join(silence(0.5), await readWav16kMono(WAV)), audio);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
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
