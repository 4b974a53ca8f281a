// Which backend "Auto" runs a model on. Never a software or fallback WebGPU adapter (SwiftShader
// and the like emulate a GPU on the CPU, far slower than WASM); with a real adapter, whichever
// backend a short measurement on this device found faster for this model. The decision is
// remembered per model version and adapter, so the measurement runs once.
import type { BackendName } from "../runtime/backend";

export type BackendPreference = "auto" | BackendName;

/** onnxruntime-web's builds: "wasm" runs the WASM backend only (14 MB); "jspi" and "asyncify" host
 * WebGPU too, and differ in how C++ waits for the GPU: JavaScript Promise Integration (17 MB,
 * Chromium ≥ 137) or Asyncify's rewritten code (27 MB, every browser with WebGPU). */
export type OrtBuild = "wasm" | "jspi" | "asyncify";

/** The build a backend runs on. WASM takes the WASM-only build: besides its size, it decoded 1.07–1.37×
 * as fast as the Asyncify build in Chromium (docs/results.md, "What those runs measured"). WebGPU
 * takes JSPI where the browser has it (1.16–1.33× Asyncify's speed on WASM kernels, the CPU part of
 * a WebGPU run), Asyncify elsewhere. */
export function ortBuildFor(backend: BackendName, hasJspi: boolean): OrtBuild {
  if (backend === "wasm") return "wasm";
  return hasJspi ? "jspi" : "asyncify";
}

/** Whether this WebAssembly has JavaScript Promise Integration (Suspending and promising). */
export function hasJspi(wasm: object = WebAssembly): boolean {
  const api = wasm as { Suspending?: unknown; promising?: unknown };
  return typeof api.Suspending === "function" && typeof api.promising === "function";
}

/** What WebGPU's requestAdapter() told (GPUAdapterInfo, plus isFallbackAdapter where the browser has it). */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export type GpuProbe =
  | { kind: "none"; why: string }
  | { kind: "software"; adapter: string }
  | { kind: "real"; adapter: string };

export interface Measurement {
  /** Median milliseconds of the same timed translation on each backend (each backend's own variant). */
  webgpuMs: number;
  wasmMs: number;
}

export interface BackendDecision {
  backend: BackendName;
  /** One sentence for the page: why this backend. */
  reason: string;
  measured?: Measurement;
}

// Software rasterisers and CPU "GPUs" that browsers expose as adapters.
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b|software/i;

/** GPUAdapterInfo plus isFallbackAdapter (on the info in current browsers, on the adapter in older ones). */
export function adapterFacts(adapter: { info: AdapterFacts; isFallbackAdapter?: boolean }): AdapterFacts {
  const { vendor, architecture, device, description } = adapter.info;
  const fallback = adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  return { vendor, architecture, device, description, ...(fallback !== undefined ? { isFallbackAdapter: fallback } : {}) };
}

export function describeAdapter(facts: AdapterFacts): string {
  return [facts.vendor, facts.architecture, facts.device, facts.description].filter(Boolean).join(" / ") || "unknown adapter";
}

/** True for a fallback adapter (the browser's own word) or a known software renderer. */
export function isSoftwareAdapter(facts: AdapterFacts): boolean {
  const description = describeAdapter(facts);
  return facts.isFallbackAdapter === true || SOFTWARE.test(description) || (facts.vendor === "google" && /\bcpu\b/i.test(description));
}

export function classifyAdapter(facts: AdapterFacts | null, why = "no GPU adapter"): GpuProbe {
  if (!facts) return { kind: "none", why };
  const adapter = describeAdapter(facts);
  return isSoftwareAdapter(facts) ? { kind: "software", adapter } : { kind: "real", adapter };
}

/**
 * Auto's decision without measuring, or "measure" when only a measurement can tell (a real GPU and
 * nothing remembered). `forceMeasure` measures on a software adapter too (the `?measure=1` flag).
 */
export function autoDecision(probe: GpuProbe, remembered: BackendDecision | null, forceMeasure = false): BackendDecision | "measure" {
  if (forceMeasure && probe.kind !== "none") return "measure";
  if (probe.kind === "none") return { backend: "wasm", reason: `WASM: WebGPU is not usable here (${probe.why}).` };
  if (probe.kind === "software") {
    return { backend: "wasm", reason: `WASM: this browser's WebGPU is a software emulation (${probe.adapter}), slower than WASM.` };
  }
  return remembered ?? "measure";
}

/** The faster backend wins; the reason quotes both times. */
export function decideFromMeasurement(m: Measurement, adapter: string): BackendDecision {
  const backend: BackendName = m.webgpuMs < m.wasmMs ? "webgpu" : "wasm";
  const [fast, slow] = backend === "webgpu" ? [m.webgpuMs, m.wasmMs] : [m.wasmMs, m.webgpuMs];
  const name = backend === "webgpu" ? `WebGPU (${adapter})` : "WASM";
  const reason = `${name}: measured on this device, ${fast.toFixed(0)} ms per test translation against ${slow.toFixed(0)} ms on ${backend === "webgpu" ? "WASM" : "WebGPU"}.`;
  return { backend, reason, measured: m };
}

/** localStorage key of a remembered decision: a new model version or another GPU measures again. */
export function decisionKey(modelId: string, version: string, adapter: string): string {
  return `backend-decision|${modelId}|${version}|${adapter}`;
}

export function parsePreference(value: string | null | undefined): BackendPreference | null {
  return value === "auto" || value === "webgpu" || value === "wasm" ? value : null;
}
