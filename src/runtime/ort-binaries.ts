// onnxruntime-web's binaries, self-hosted: transformers.js points ORT at a CDN on import, and the
// app must work offline and keep every request on its own origin. The service worker precaches the
// WASM-only build (every page falls back to it); the page asks it to keep a WebGPU build once a
// model runs on one (vite.config.ts, src/ui/update.ts). Only URLs here, so the page can name a
// build without bundling onnxruntime-web.
import type { OrtBuild } from "../core/backend-choice";
import wasmBuildUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import jspiBuildUrl from "onnxruntime-web/ort-wasm-simd-threaded.jspi.wasm?url";
import asyncifyBuildUrl from "onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url";

export const ORT_BINARIES: Record<OrtBuild, string> = { wasm: wasmBuildUrl, jspi: jspiBuildUrl, asyncify: asyncifyBuildUrl };
