// Cuts a 16 kHz stream into utterances with Silero VAD, using @ricky0123/vad-web's
// shipped model and frame logic but our own ONNX Runtime instance (one ORT copy in
// the bundle; onnxruntime-node in the CLI and tests). Utterances longer than the model's
// window are split at their quietest moment. `clipUtterances` is what the app and the CLI
// translate of a whole clip, so both agree on what counts as speech.
import { FrameProcessor, type FrameProcessorEvent } from "@ricky0123/vad-web/dist/frame-processor.js";
import { log as vadLog } from "@ricky0123/vad-web/dist/logging.js";
import { Message } from "@ricky0123/vad-web/dist/messages.js";
import type { Model, OrtModule } from "@ricky0123/vad-web/dist/models/common.js";
import { Silero } from "@ricky0123/vad-web/dist/models/silero.js";
import { minSamples } from "./audio";
import { AudioTooShortError, NoSpeechError, NotAudioError } from "./errors";
import type { AudioConfig } from "./manifest";

// vad-web logs through console.log ("VAD | debug > Loading VAD..."), which lands on the CLI's
// stdout in the middle of its JSON Lines. Its debug lines are dropped; warnings and errors go to
// console.error (stderr in Node).
vadLog.debug = () => {};
vadLog.warn = vadLog.error = (message: string) => console.error(`VAD: ${message}`);

export const VAD_FRAME_SAMPLES = 512; // Silero v5 at 16 kHz
const SAMPLE_RATE = 16000;
const MS_PER_FRAME = (VAD_FRAME_SAMPLES / SAMPLE_RATE) * 1000;

/** Where a piece of audio lies in the stream: sample indices since the segmenter was created. */
export interface SampleRange {
  start: number;
  end: number;
}

export type SegmentEvent =
  | { type: "speech-start" }
  /** The speaker paused after enough speech for an utterance: if the pause lasts `redemptionMs`,
   * the utterance is exactly this audio (a final translation can start now, speculatively). */
  | ({ type: "pause"; audio: Float32Array } & SampleRange)
  /** Speech came back within the pause: the last "pause" was not the utterance's end. */
  | { type: "resume" }
  /** An utterance ends where its last pause began: the silence the VAD waited through is left out,
   * so the audio is the same as the "pause" that began it. */
  | ({ type: "utterance"; audio: Float32Array } & SampleRange)
  | { type: "misfire" };

export interface SegmenterOptions {
  /** Longest utterance the model accepts, in samples. */
  maxSamples: number;
  redemptionMs?: number;
  minSpeechMs?: number;
}

export class VoiceSegmenter {
  private readonly processor: FrameProcessor;
  private pending = new Float32Array(0);
  private events: SegmentEvent[] = [];
  /** Samples of the stream in frames the VAD has seen. */
  private processed = 0;
  /** Where the current pause began (the end of its first quiet frame), while one lasts. */
  private pauseEnd: number | null = null;

  private constructor(
    private readonly vad: Model,
    private readonly options: SegmenterOptions,
  ) {
    this.processor = new FrameProcessor(
      vad.process,
      vad.reset_state,
      {
        positiveSpeechThreshold: 0.5,
        negativeSpeechThreshold: 0.35,
        preSpeechPadMs: 300,
        redemptionMs: options.redemptionMs ?? 600,
        minSpeechMs: options.minSpeechMs ?? 250,
        submitUserSpeechOnPause: true,
      },
      MS_PER_FRAME,
    );
    this.processor.resume();
  }

  /** `ort` is onnxruntime-web or onnxruntime-node; `model` the bytes of silero_vad_v5.onnx. */
  static async create(ort: unknown, model: Uint8Array, options: SegmenterOptions): Promise<VoiceSegmenter> {
    const vad = await Silero.new(ort as OrtModule, async () => model.slice().buffer);
    return new VoiceSegmenter(vad, options);
  }

  /** Feeds samples of any length; returns the events they complete. */
  async push(samples: Float32Array): Promise<SegmentEvent[]> {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    let offset = 0;
    for (; offset + VAD_FRAME_SAMPLES <= joined.length; offset += VAD_FRAME_SAMPLES) {
      this.processed += VAD_FRAME_SAMPLES;
      await this.processor.process(joined.slice(offset, offset + VAD_FRAME_SAMPLES), this.handle);
      this.watchPause();
      // A monologue with no pause must still reach the model: cut it at the window.
      if (this.speechSamples() >= this.options.maxSamples) this.processor.endSegment(this.handle);
    }
    this.pending = joined.slice(offset);
    return this.drain();
  }

  /** Ends the stream: a running utterance becomes final. */
  flush(): SegmentEvent[] {
    this.processor.endSegment(this.handle);
    this.pauseEnd = null;
    this.pending = new Float32Array(0);
    return this.drain();
  }

  /** Audio of the utterance in progress (for provisional translations), or null. */
  currentSpeech(): Float32Array | null {
    if (!this.processor.speaking) return null;
    return concat(this.processor.audioBuffer.map((item) => item.frame));
  }

  async release(): Promise<void> {
    await this.vad.release();
  }

  /** The frame processor's redemption counter starts at a speech frame's first quiet successor and
   * goes back to 0 when speech resumes; a pause only counts once the utterance has enough speech
   * not to be a misfire. */
  private watchPause(): void {
    const p = this.processor;
    if (!p.speaking) return;
    if (p.redemptionCounter > 0 && this.pauseEnd === null && p.speechFrameCount >= p.minSpeechFrames) {
      this.pauseEnd = this.processed;
      const audio = concat(p.audioBuffer.map((item) => item.frame));
      this.events.push({ type: "pause", audio, start: this.processed - audio.length, end: this.processed });
    } else if (p.redemptionCounter === 0 && this.pauseEnd !== null) {
      this.pauseEnd = null;
      this.events.push({ type: "resume" });
    }
  }

  private speechSamples(): number {
    return this.processor.speaking ? this.processor.audioBuffer.length * VAD_FRAME_SAMPLES : 0;
  }

  private readonly handle = (event: FrameProcessorEvent) => {
    if (event.msg === Message.SpeechStart) this.events.push({ type: "speech-start" });
    else if (event.msg === Message.VADMisfire) {
      this.pauseEnd = null;
      this.events.push({ type: "misfire" });
    } else if (event.msg === Message.SpeechEnd) {
      // The utterance is the frames up to the newest one; it ends where its pause began, if one had.
      const start = this.processed - event.audio.length;
      const end = this.pauseEnd ?? this.processed;
      this.pauseEnd = null;
      let offset = start;
      for (const audio of splitAtPauses(event.audio.subarray(0, end - start), this.options.maxSamples)) {
        this.events.push({ type: "utterance", audio, start: offset, end: offset + audio.length });
        offset += audio.length;
      }
    }
  };

  private drain(): SegmentEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}

/** A piece of a clip to translate, and where it starts in the clip (in samples). */
export interface ClipPiece {
  audio: Float32Array;
  start: number;
}

/** Segments a whole clip (an uploaded file) into utterances, with where each starts (a new
 * segmenter's sample ranges are the clip's). */
export async function segmentClip(segmenter: VoiceSegmenter, samples: Float32Array): Promise<ClipPiece[]> {
  const events = [...(await segmenter.push(samples)), ...segmenter.flush()];
  return events.flatMap((e) => (e.type === "utterance" ? [{ audio: e.audio, start: e.start }] : []));
}

/**
 * What the app and the CLI translate of a whole clip (an uploaded file, a file on the command
 * line). The voice detector decides whether it holds speech at all: silence, a tone or noise would
 * otherwise come out as a fluent sentence (NoSpeechError). A clip with speech that fits the
 * model's window is one utterance, translated whole; a longer one goes by the detector's
 * utterances, split at pauses where they are still too long.
 */
export async function clipUtterances(ort: unknown, vadModel: Uint8Array, samples: Float32Array, audio: AudioConfig): Promise<ClipPiece[]> {
  if (samples.length === 0) throw new NotAudioError("the audio is empty (0 samples)");
  if (samples.length < minSamples(audio)) throw new AudioTooShortError(samples.length, minSamples(audio), audio.sampling_rate);
  const maxSamples = Math.floor(audio.max_seconds * audio.sampling_rate);
  const segmenter = await VoiceSegmenter.create(ort, vadModel, { maxSamples });
  try {
    const utterances = await segmentClip(segmenter, samples);
    if (utterances.length === 0) throw new NoSpeechError();
    return samples.length <= maxSamples ? [{ audio: samples, start: 0 }] : utterances;
  } finally {
    await segmenter.release();
  }
}

/**
 * Splits audio longer than `maxSamples` at the quietest 100 ms window in the back
 * half of each allowed span, so cuts fall in pauses rather than mid-word.
 */
export function splitAtPauses(audio: Float32Array, maxSamples: number, windowSamples = 1600): Float32Array[] {
  const pieces: Float32Array[] = [];
  let rest = audio;
  while (rest.length > maxSamples) {
    let bestCut = maxSamples;
    let bestEnergy = Infinity;
    for (let start = Math.floor(maxSamples / 2); start + windowSamples <= maxSamples; start += windowSamples / 4) {
      let energy = 0;
      for (let i = start; i < start + windowSamples; i++) energy += rest[i]! * rest[i]!;
      if (energy < bestEnergy) {
        bestEnergy = energy;
        bestCut = start + windowSamples / 2;
      }
    }
    pieces.push(rest.slice(0, bestCut));
    rest = rest.slice(bestCut);
  }
  pieces.push(rest);
  return pieces;
}

export function concat(frames: Float32Array[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}
