// Types shared by the worker and the UI thread (what crosses the comlink boundary).
import type { ErrorCode } from "./core/errors";
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

export type StreamEvent =
  | { type: "speech-start" }
  | { type: "partial"; text: string }
  | { type: "final"; utteranceId: number; startedAt: number; result: TranslateResult }
  | { type: "queued"; pending: number }
  | { type: "error"; code: ErrorCode | "unknown"; message: string };

export interface BenchRun {
  clip: string;
  backend: BackendName;
  adapter: string;
  emulated: boolean;
  loadMs: number;
  results: TranslateResult[];
}
