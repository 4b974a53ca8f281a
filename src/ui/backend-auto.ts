// The Backend control's "Auto": probe WebGPU's adapter on the page (a software or fallback adapter
// never counts), and where a real GPU exists, time the same test translation on WebGPU and on WASM
// once, remember the faster per model version and adapter, and say why. The visitor's own choice
// (WebGPU or WASM) is remembered too and always wins.
import type * as Comlink from "comlink";
import {
  adapterFacts, autoDecision, classifyAdapter, decideFromMeasurement, decisionKey, parsePreference,
  type BackendDecision, type BackendPreference, type GpuProbe, type Measurement,
} from "../core/backend-choice";
import type { BackendInfo, BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";
import type { LoadProgress, LoadRequest } from "../worker-api";

const PREFERENCE_KEY = "backend-preference";
/** Decode steps of each timed run (EOS ignored): the same work on both backends. */
const MEASURE_TOKENS = 16;

export async function probeGpu(): Promise<GpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return classifyAdapter(null, "this browser has no WebGPU");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null);
  if (!adapter) return classifyAdapter(null, "WebGPU found no GPU adapter");
  return classifyAdapter(adapterFacts(adapter as unknown as Parameters<typeof adapterFacts>[0]));
}

export function storedPreference(): BackendPreference {
  return parsePreference(localStorage.getItem(PREFERENCE_KEY)) ?? "auto";
}

export function storePreference(preference: BackendPreference): void {
  localStorage.setItem(PREFERENCE_KEY, preference);
}

function recall(key: string): BackendDecision | null {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? "null") as BackendDecision | null;
    return value && (value.backend === "webgpu" || value.backend === "wasm") ? value : null;
  } catch {
    return null;
  }
}

/** Milliseconds of one timed translation: a warm-up (WebGPU compiles its shaders), then the faster of
 * two; and the backend that ran it (WASM when WebGPU could not start). */
async function timeBackend(worker: Comlink.Remote<WorkerApi>, request: LoadRequest, clip: Float32Array, lang: string, onProgress: (p: LoadProgress) => void): Promise<{ ms: number; ran: BackendInfo }> {
  const { backend: ran } = await worker.load(request, onProgress);
  await worker.forcedDecode(clip.slice(), lang, MEASURE_TOKENS);
  const times = [];
  for (let i = 0; i < 2; i++) times.push((await worker.forcedDecode(clip.slice(), lang, MEASURE_TOKENS)).timings.totalMs);
  return { ms: Math.min(...times), ran };
}

export interface AutoContext {
  worker: Comlink.Remote<WorkerApi>;
  request: Omit<LoadRequest, "backend">;
  modelVersion: string;
  lang: string;
  /** A bundled test clip (the measurement's input). */
  clip: () => Promise<Float32Array>;
  onStatus: (text: string) => void;
  onProgress: (p: LoadProgress) => void;
  /** `?measure=1`: measure again, even on a software adapter. */
  forceMeasure: boolean;
}

/** Auto's backend for this model on this device. A measurement leaves the model loaded on the last backend it timed. */
export async function resolveAuto(context: AutoContext): Promise<BackendDecision & { measuredNow: boolean; lastLoaded?: BackendName }> {
  const probe = await probeGpu();
  const key = probe.kind === "none" ? "" : decisionKey(context.request.modelId, context.modelVersion, probe.adapter);
  const decision = autoDecision(probe, key ? recall(key) : null, context.forceMeasure);
  if (decision !== "measure") return { ...decision, measuredNow: false };
  const adapter = probe.kind === "none" ? "" : probe.adapter;
  context.onStatus("Measuring WebGPU and WASM on this device (once per model; both versions of the model are downloaded)…");
  const clip = await context.clip();
  const webgpu = await timeBackend(context.worker, { ...context.request, backend: "webgpu" }, clip, context.lang, context.onProgress);
  // WebGPU did not start (the load fell back): nothing to compare, and nothing to remember (offline, it may start next time).
  if (webgpu.ran.name !== "webgpu") return { backend: "wasm", reason: `WASM: ${webgpu.ran.fallbackReason ?? "WebGPU did not start"}.`, measuredNow: false, lastLoaded: "wasm" };
  const measurement: Measurement = {
    webgpuMs: webgpu.ms,
    wasmMs: (await timeBackend(context.worker, { ...context.request, backend: "wasm" }, clip, context.lang, context.onProgress)).ms,
  };
  const decided = decideFromMeasurement(measurement, adapter);
  localStorage.setItem(key, JSON.stringify(decided));
  return { ...decided, measuredNow: true, lastLoaded: "wasm" };
}
