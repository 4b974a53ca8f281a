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

export type SegmentEvent =
  | { type: "speech-start" }
  | { type: "utterance"; audio: Float32Array }
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
      await this.processor.process(joined.slice(offset, offset + VAD_FRAME_SAMPLES), this.handle);
      // A monologue with no pause must still reach the model: cut it at the window.
      if (this.speechSamples() >= this.options.maxSamples) this.processor.endSegment(this.handle);
    }
    this.pending = joined.slice(offset);
    return this.drain();
  }

  /** Ends the stream: a running utterance becomes final. */
  flush(): SegmentEvent[] {
    this.processor.endSegment(this.handle);
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

  private speechSamples(): number {
    return this.processor.speaking ? this.processor.audioBuffer.length * VAD_FRAME_SAMPLES : 0;
  }

  private readonly handle = (event: FrameProcessorEvent) => {
    if (event.msg === Message.SpeechStart) this.events.push({ type: "speech-start" });
    else if (event.msg === Message.VADMisfire) this.events.push({ type: "misfire" });
    else if (event.msg === Message.SpeechEnd) {
      for (const audio of splitAtPauses(event.audio, this.options.maxSamples)) this.events.push({ type: "utterance", audio });
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

/** Segments a whole clip (an uploaded file) into utterances, with where each starts. Fed one VAD
 * frame at a time, so the frame that completes an utterance, and so its start (the utterance is the
 * frames just before it), is exact. */
export async function segmentClip(segmenter: VoiceSegmenter, samples: Float32Array): Promise<ClipPiece[]> {
  const pieces: ClipPiece[] = [];
  const collect = (events: SegmentEvent[], end: number) => {
    const utterances = events.flatMap((e) => (e.type === "utterance" ? [e.audio] : []));
    let start = end - utterances.reduce((n, a) => n + a.length, 0);
    for (const audio of utterances) {
      pieces.push({ audio, start: Math.max(0, start) });
      start += audio.length;
    }
  };
  let offset = 0;
  for (; offset + VAD_FRAME_SAMPLES <= samples.length; offset += VAD_FRAME_SAMPLES) {
    collect(await segmenter.push(samples.subarray(offset, offset + VAD_FRAME_SAMPLES)), offset + VAD_FRAME_SAMPLES);
  }
  collect([...(await segmenter.push(samples.subarray(offset))), ...segmenter.flush()], samples.length);
  return pieces;
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
