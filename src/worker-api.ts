// Types shared by the worker and the UI thread (what crosses the comlink boundary).
import type { ErrorCode } from "./core/errors";
import type { UtteranceSource } from "./core/utterance-queue";
import type { Manifest } from "./core/manifest";
import type { Timings } from "./core/timings";
import type { BackendInfo, BackendName } from "./runtime/backend";

export interface LoadRequest {
  modelId: string;
  /** Folder URL holding manifest.json, ending in "/". */
  baseUrl: string;
  backend: BackendName;
  variant?: string;
  /** Cap on generated tokens per utterance (tests compare against fixed-length golden ids). */
  maxNewTokens?: number;
}

export interface LoadProgress {
  files: Array<{ path: string; loaded: number; total: number }>;
  loaded: number;
  total: number;
}

export interface LoadResult {
  modelId: string;
  version: string;
  variant: string;
  backend: BackendInfo;
  /** Wall time of load(): manifest, files (IndexedDB or network), sessions. */
  loadMs: number;
  downloadedBytes: number;
  languages: string[];
  /** The manifest the model was loaded from (the page shows sizes, parameters and metrics from it). */
  manifest: Manifest;
}

export interface TranslateResult {
  text: string;
  /** The target language the worker translated into (the page's choice may have changed since). */
  lang: string;
  ids: number[];
  /** What the model heard, in English (models with a "transcribe" prompt). */
  heard?: string;
  /** Geometric-mean probability of the translation's tokens, 0–1. */
  confidence?: number;
  /** False when the model said the speech is not in its phrasebook, or its confidence is under the
   * manifest's threshold: the page shows "not understood" instead of a translation. */
  understood?: boolean;
  audioSeconds: number;
  backend: BackendName;
  timings: Timings;
  /** Set when WebGPU failed mid-run (device lost) and the utterance was retried on WASM. */
  fallback?: { from: BackendName; to: BackendInfo; reason: string };
}

/** What a load would fetch (the page asks before downloading a second variant). */
export interface LoadPlan {
  variant: string;
  missingBytes: number;
  /** Variants whose files are all stored. */
  stored: string[];
}

export interface CachedModelInfo {
  id: string;
  version: string;
  baseUrl: string;
  storedBytes: number;
  variants: Array<{ name: string; bytes: number; complete: boolean }>;
}

/** The utterance queue's events (microphone, sample clips and files share one queue). */
export type StreamEvent =
  | { type: "speech-start" }
  | { type: "partial"; text: string }
  | { type: "queued"; utteranceId: number; lang: string; startedAt: number; source: UtteranceSource; pending: number }
  | { type: "started"; utteranceId: number; pending: number }
  /** `speechEndedAt`: when the speech of a live utterance ended (ms since the epoch), for the latency figure. */
  | { type: "final"; utteranceId: number; startedAt: number; result: TranslateResult; speechEndedAt?: number }
  /** What was heard, in English: it follows the final translation (models with a "transcribe" prompt). */
  | { type: "heard"; utteranceId: number; heard: string }
  | { type: "failed"; utteranceId: number; code: ErrorCode | "unknown"; message: string }
  | { type: "cancelled"; utteranceId: number }
  | { type: "error"; code: ErrorCode | "unknown"; message: string };

export interface BenchRun {
  clip: string;
  backend: BackendName;
  adapter: string;
  emulated: boolean;
  loadMs: number;
  results: TranslateResult[];
}
