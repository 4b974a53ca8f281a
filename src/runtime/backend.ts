// Picks the execution provider. WebGPU needs navigator.gpu and a real adapter;
// anything else runs on WASM (threaded when the page is cross-origin isolated).
import * as ort from "onnxruntime-web/webgpu";
// Self-hosted ORT binary: transformers.js points ORT at a CDN on import, and the
// app must work offline and keep every request on its own origin.
import ortWasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url";
import { adapterFacts, describeAdapter, isSoftwareAdapter } from "../core/backend-choice";

export type BackendName = "webgpu" | "wasm";

export interface BackendInfo {
  name: BackendName;
  /** Adapter description, e.g. "google / swiftshader" or "WASM, 4 threads". */
  adapter: string;
  /** True when the adapter is a CPU emulation or fallback adapter (SwiftShader), so timings are not GPU timings. */
  emulated: boolean;
  shaderF16: boolean;
  /** Why WebGPU was not used, when it was asked for. */
  fallbackReason?: string;
}

/** Sets up an onnxruntime-web module: the app's, or another build of it (the WASM speed bench's). */
export function configureOrt(module: typeof ort = ort, wasmUrl: string = ortWasmUrl): void {
  module.env.wasm.wasmPaths = { wasm: wasmUrl };
  module.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  module.env.logLevel = "error";
}

export async function chooseBackend(requested: BackendName): Promise<BackendInfo> {
  const wasm = (fallbackReason?: string): BackendInfo => ({
    name: "wasm",
    adapter: `WASM, ${ort.env.wasm.numThreads ?? 1} thread${ort.env.wasm.numThreads === 1 ? "" : "s"}${globalThis.crossOriginIsolated ? "" : " (page not cross-origin isolated)"}`,
    emulated: false,
    shaderF16: false,
    ...(fallbackReason ? { fallbackReason } : {}),
  });
  if (requested === "wasm") return wasm();

  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return wasm("WebGPU is not available in this browser (no navigator.gpu)");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return wasm("WebGPU is available but no GPU adapter was found");
  const shaderF16 = adapter.features.has("shader-f16");
  const device = await adapter.requestDevice({ requiredFeatures: shaderF16 ? ["shader-f16"] : [] });
  ort.env.webgpu.device = device;
  const facts = adapterFacts(adapter);
  return { name: "webgpu", adapter: describeAdapter(facts), emulated: isSoftwareAdapter(facts), shaderF16 };
}

/** Resolves when the WebGPU device is lost, so the worker can fall back to WASM. */
export async function deviceLost(): Promise<string> {
  const device = await ort.env.webgpu.device;
  const lost = await (device as GPUDevice).lost;
  return lost.message || lost.reason || "device lost";
}

export { ort };
