// Picks the execution provider and the onnxruntime-web build that runs it. WebGPU needs
// navigator.gpu and a real adapter; anything else runs on WASM (threaded when the page is
// cross-origin isolated).
import type * as OrtWebGpu from "onnxruntime-web/webgpu";
// Static: transformers.js imports it too (vite.config.ts resolves its import to this build), for
// the features' MatMul, so every worker has it.
import * as ortWasm from "onnxruntime-web/wasm";
import { adapterFacts, describeAdapter, hasJspi, isSoftwareAdapter, ortBuildFor, type OrtBuild } from "../core/backend-choice";
import { ORT_BINARIES } from "./ort-binaries";

export type BackendName = "webgpu" | "wasm";

/** One onnxruntime-web module (every build has the same API). */
export type Ort = typeof OrtWebGpu;

export interface BackendInfo {
  name: BackendName;
  /** Adapter description, e.g. "google / swiftshader" or "WASM, 4 threads". */
  adapter: string;
  /** True when the adapter is a CPU emulation or fallback adapter (SwiftShader), so timings are not GPU timings. */
  emulated: boolean;
  shaderF16: boolean;
  /** The onnxruntime-web build that runs it. */
  build: OrtBuild;
  /** Why WebGPU was not used, when it was asked for. */
  fallbackReason?: string;
}

export interface Backend {
  info: BackendInfo;
  ort: Ort;
}

const IMPORTS: Record<Exclude<OrtBuild, "wasm">, () => Promise<Ort>> = {
  jspi: () => import("onnxruntime-web/jspi"),
  asyncify: () => import("onnxruntime-web/webgpu"),
};

/** Sets up an onnxruntime-web module before its first session: its binary, its threads, its logging. */
function configureOrt(module: Ort, wasmUrl: string): void {
  module.env.wasm.wasmPaths = { wasm: wasmUrl };
  module.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  module.env.logLevel = "error";
}

// Set up before anything runs on it: transformers.js would point it at a CDN.
configureOrt(ortWasm, ORT_BINARIES.wasm);
const modules = new Map<OrtBuild, Promise<Ort>>([["wasm", Promise.resolve(ortWasm)]]); // set up, per build

/** An onnxruntime-web build, loaded and set up once per worker (its binary is fetched and compiled
 * at its first session). */
export function ortBuild(build: OrtBuild): Promise<Ort> {
  let module = modules.get(build);
  if (!module) {
    module = IMPORTS[build as Exclude<OrtBuild, "wasm">]().then((m) => {
      configureOrt(m, ORT_BINARIES[build]);
      return m;
    });
    module.catch(() => modules.delete(build));
    modules.set(build, module);
  }
  return module;
}

/** The backend to load a model on; `fallbackReason` says why WASM runs instead of a requested WebGPU. */
export async function chooseBackend(requested: BackendName, fallbackReason?: string): Promise<Backend> {
  const wasm = (reason = fallbackReason): Backend => {
    const threads = ortWasm.env.wasm.numThreads ?? 1;
    const info: BackendInfo = {
      name: "wasm",
      adapter: `WASM, ${threads} thread${threads === 1 ? "" : "s"}${globalThis.crossOriginIsolated ? "" : " (page not cross-origin isolated)"}`,
      emulated: false,
      shaderF16: false,
      build: "wasm",
      ...(reason ? { fallbackReason: reason } : {}),
    };
    return { info, ort: ortWasm };
  };
  if (requested === "wasm") return wasm();

  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return wasm("WebGPU is not available in this browser (no navigator.gpu)");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return wasm("WebGPU is available but no GPU adapter was found");
  const build = ortBuildFor("webgpu", hasJspi());
  // onnxruntime-web keeps a failed start for good (a second try in this worker fails too): offline
  // with the build never stored, fall back before touching it, so WebGPU starts once back online.
  if (!navigator.onLine && !(await globalThis.caches?.match(ORT_BINARIES[build]))) {
    return wasm(`WebGPU's onnxruntime build is not stored on this device, and the browser is offline`);
  }
  const ort = await ortBuild(build);
  const shaderF16 = adapter.features.has("shader-f16");
  const device = await adapter.requestDevice({ requiredFeatures: shaderF16 ? ["shader-f16"] : [] });
  ort.env.webgpu.device = device;
  const facts = adapterFacts(adapter);
  return { info: { name: "webgpu", adapter: describeAdapter(facts), emulated: isSoftwareAdapter(facts), shaderF16, build }, ort };
}

/** Resolves when the WebGPU device is lost, so the worker can fall back to WASM. */
export async function deviceLost(ort: Ort): Promise<string> {
  const device = await ort.env.webgpu.device;
  const lost = await (device as GPUDevice).lost;
  return lost.message || lost.reason || "device lost";
}
