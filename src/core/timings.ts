// The speed figures of one translation, derived once for the app, the CLI and the benchmark.
import type { Translation } from "./engine";

export interface Timings {
  featuresMs: number;
  encoderMs: number;
  prefillMs: number;
  /** Audio in to first token out: features, encoder, prompt embedding and prefill. */
  firstTokenMs: number;
  /** Decode steps per second after the prefill: tokens from decode steps / decode time. 0 when
   * there was no decode step (the first token was EOS, or one token was asked for). */
  decodeTokensPerSecond: number;
  totalMs: number;
  /** Wall time over audio time (< 1: faster than real time). 0 for a clip of no audio. */
  realTimeFactor: number;
}

export function deriveTimings(translation: Pick<Translation, "timings" | "audioSeconds">): Timings {
  const t = translation.timings;
  return {
    featuresMs: t.featuresMs,
    encoderMs: t.encoderMs,
    prefillMs: t.prefillMs,
    firstTokenMs: t.featuresMs + t.encoderMs + t.embedMs + t.firstTokenMs,
    decodeTokensPerSecond: t.decodeTokens > 0 && t.decodeMs > 0 ? (t.decodeTokens * 1000) / t.decodeMs : 0,
    totalMs: t.totalMs,
    realTimeFactor: translation.audioSeconds > 0 ? t.totalMs / 1000 / translation.audioSeconds : 0,
  };
}
