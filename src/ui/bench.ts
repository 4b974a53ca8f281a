// The benchmark run: each backend loads the model from IndexedDB, warms up, then translates each
// clip N times. Reports median/min/max per metric. (No DOM here: `npm run bench` reads the report
// types and constants in Node; the view is bench-view.ts.)
import type * as Comlink from "comlink";
import { summarize, warmUp, type Summary, type WarmUpResult } from "../core/stats";
import type { OrtBuild } from "../core/backend-choice";
import type { BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";
import type { LoadRequest, TranslateResult } from "../worker-api";

export interface BenchClip {
  name: string;
  samples: Float32Array;
}

export interface BenchReport {
  date: string;
  userAgent: string;
  crossOriginIsolated: boolean;
  model: string;
  lang: string;
  runs: number;
  /** Decode steps of each forced run (EOS ignored): the steady decode rate, comparable across models. */
  forcedTokens: number;
  /** Main-thread tasks over 50 ms while the benchmark ran. */
  mainThreadLongTasks?: { count: number; maxMs: number };
  backends: Array<{
    requested: BackendName;
    backend: BackendName;
    /** The manifest variant this backend ran (e.g. q4 on WebGPU, q8 on WASM). */
    variant: string;
    adapter: string;
    emulated: boolean;
    /** The onnxruntime-web build it ran on (src/core/backend-choice.ts). */
    build: OrtBuild;
    fallbackReason?: string;
    loadMs: number;
    /** The warm-up on the first clip before anything was timed; its first run is the first after the load. */
    warmUp: WarmUpResult;
    clips: Array<{
      clip: string;
      audioSeconds: number;
      text: string;
      ids: number[];
      metrics: Record<string, Summary>;
      /** Each forced run's decode tokens/s (summarised in metrics; kept so rounds can be pooled). */
      forcedDecodeRates: number[];
    }>;
  }>;
}

const METRICS: Array<[string, (r: TranslateResult) => number]> = [
  ["featuresMs", (r) => r.timings.featuresMs],
  ["encoderMs", (r) => r.timings.encoderMs],
  ["prefillMs", (r) => r.timings.prefillMs],
  ["firstTokenMs", (r) => r.timings.firstTokenMs],
  ["decodeTokensPerSecond", (r) => r.timings.decodeTokensPerSecond],
  ["totalMs", (r) => r.timings.totalMs],
  ["realTimeFactor", (r) => r.timings.realTimeFactor],
];
/** From the forced runs: decode tokens/s over the same number of steps for every model. */
export const FORCED_METRIC = "forcedDecodeTokensPerSecond";
export const METRIC_NAMES = [...METRICS.map(([name]) => name), FORCED_METRIC];
/** Column headings people read (the JSON keeps the names above). */
export const METRIC_LABELS: Record<string, string> = {
  featuresMs: "Features, ms",
  encoderMs: "Audio encoder, ms",
  prefillMs: "Prefill, ms",
  firstTokenMs: "First token, ms",
  decodeTokensPerSecond: "Decode, tokens/s",
  totalMs: "End to end, ms",
  realTimeFactor: "Real-time factor",
  [FORCED_METRIC]: "Forced decode, tokens/s",
};
/** Stages of one translation, in order, for the chart. */
export const STAGES = ["featuresMs", "encoderMs", "prefillMs", "firstTokenMs", "totalMs"] as const;
export const HIGHER_IS_BETTER = new Set(["decodeTokensPerSecond", FORCED_METRIC]);

export async function runBenchmark(
  worker: Comlink.Remote<WorkerApi>,
  request: Omit<LoadRequest, "backend">,
  clips: BenchClip[],
  lang: string,
  runs: number,
  onStatus: (text: string) => void,
  forcedTokens = 32,
  backends: readonly BackendName[] = ["webgpu", "wasm"],
): Promise<BenchReport> {
  const report: BenchReport = {
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    model: request.modelId,
    lang,
    runs,
    forcedTokens,
    backends: [],
  };
  for (const requested of backends) {
    onStatus(`loading on ${requested}…`);
    const loaded = await worker.load({ ...request, backend: requested });
    // Warm-up to the steady state once per load (V8 optimises the WASM as it runs: src/core/stats.ts),
    // then per clip one untimed translation and forced decode (a longer clip's first runs grow
    // WASM memory and onnxruntime's arena to its KV cache).
    onStatus(`${requested}: warm-up`);
    const first = clips[0];
    if (!first) throw new Error("no clips to benchmark");
    const warmed = await warmUp(() => (forcedTokens > 0 ? worker.forcedDecode(first.samples.slice(), lang, forcedTokens) : worker.translate(first.samples.slice(), lang)));
    const entry: BenchReport["backends"][number] = {
      requested,
      backend: loaded.backend.name,
      variant: loaded.variant,
      adapter: loaded.backend.adapter,
      emulated: loaded.backend.emulated,
      build: loaded.backend.build,
      ...(loaded.backend.fallbackReason ? { fallbackReason: loaded.backend.fallbackReason } : {}),
      loadMs: loaded.loadMs,
      warmUp: warmed,
      clips: [],
    };
    for (const clip of clips) {
      onStatus(`${requested}: ${clip.name} (warm-up)`);
      await worker.translate(clip.samples.slice(), lang);
      if (forcedTokens > 0) await worker.forcedDecode(clip.samples.slice(), lang, forcedTokens);
      const results: TranslateResult[] = [];
      for (let i = 0; i < runs; i++) {
        onStatus(`${requested}: ${clip.name} run ${i + 1}/${runs}`);
        results.push(await worker.translate(clip.samples.slice(), lang));
      }
      const forced: number[] = [];
      for (let i = 0; i < runs && forcedTokens > 0; i++) {
        onStatus(`${requested}: ${clip.name} forced ${forcedTokens}-token decode ${i + 1}/${runs}`);
        forced.push((await worker.forcedDecode(clip.samples.slice(), lang, forcedTokens)).timings.decodeTokensPerSecond);
      }
      entry.clips.push({
        clip: clip.name,
        audioSeconds: results[0]!.audioSeconds,
        text: results[0]!.text,
        ids: results[0]!.ids,
        forcedDecodeRates: forced,
        metrics: {
          ...Object.fromEntries(METRICS.map(([name, pick]) => [name, summarize(results.map(pick))])),
          [FORCED_METRIC]: summarize(forced),
        },
      });
    }
    report.backends.push(entry);
  }
  return report;
}

