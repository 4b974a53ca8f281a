// WASM speed experiments (cli/wasm-speed.ts): the engine of the app (src/core/engine.ts) on
// onnxruntime-web's WASM backend, with the session options of each candidate, sessions timed per
// run (src/runtime/timed-runtime.ts). Files come straight from the server: load time is not the point.
import * as Comlink from "comlink";
import { Engine, SESSION_EXTRA, type ModelRuntime } from "../../src/core/engine";
import { parseManifest } from "../../src/core/manifest";
import type { TensorFactory } from "../../src/core/generate";
import type { OrtBuild } from "../../src/core/backend-choice";
import { ortBuild, type Ort } from "../../src/runtime/backend";
import { stepSplit, timedRuntime, type RunLog } from "../../src/runtime/timed-runtime";
import { GRAPH_OPTIMIZATION, tensorsOf } from "../../src/runtime/web-runtime";

export interface Candidate {
  name: string;
  variant: string;
  /** onnxruntime-web session options merged over the app's (wasm, GRAPH_OPTIMIZATION.wasm, SESSION_EXTRA). */
  options: Record<string, unknown>;
  /** WASM threads instead of the app's (src/runtime/backend.ts); a worker's first load fixes them. */
  threads?: number;
  /** Another onnxruntime-web build than the app's WASM-only one (src/core/backend-choice.ts: ortBuildFor). */
  build?: OrtBuild;
}

/** The onnxruntime-web module a candidate runs on, set up as the app's (ortBuild). */
async function ortFor(candidate: Candidate): Promise<{ ort: Ort; tensors: TensorFactory }> {
  const ort = await ortBuild(candidate.build ?? "wasm");
  return { ort, tensors: tensorsOf(ort) };
}

function fetchRuntime(baseUrl: string, options: Record<string, unknown>, { ort, tensors }: Awaited<ReturnType<typeof ortFor>>): ModelRuntime {
  const bytes = async (path: string) => new Uint8Array(await (await fetch(new URL(path, baseUrl))).arrayBuffer());
  return {
    tensors,
    createSession: async (graph, externalData) =>
      ort.InferenceSession.create(await bytes(graph.path), {
        executionProviders: ["wasm"],
        graphOptimizationLevel: GRAPH_OPTIMIZATION.wasm,
        extra: SESSION_EXTRA,
        externalData: await Promise.all(externalData.map(async (s) => ({ path: s.path.slice(s.path.lastIndexOf("/") + 1), data: await bytes(s.path) }))),
        ...options,
      }),
    readJson: async (file) => (await fetch(new URL(file.path, baseUrl))).json() as Promise<unknown>,
  };
}

let current: { engine: Engine; log: RunLog } | null = null;

const api = {
  async load(baseUrl: string, candidate: Candidate): Promise<{ threads: number }> {
    await current?.engine.release();
    const module = await ortFor(candidate);
    if (candidate.threads) module.ort.env.wasm.numThreads = candidate.threads;
    const manifest = parseManifest(await (await fetch(new URL("manifest.json", baseUrl))).json());
    const { runtime, log } = timedRuntime(fetchRuntime(baseUrl, candidate.options, module));
    current = { engine: await Engine.load(manifest, runtime, candidate.variant), log };
    return { threads: module.ort.env.wasm.numThreads ?? 1 };
  },

  /** A forced decode of `tokens` steps: its ids and its time split. */
  async forced(samples: Float32Array, lang: string, tokens: number) {
    if (!current) throw new Error("load a candidate first");
    current.log.clear();
    const r = await current.engine.translate(samples, lang, { maxNewTokens: tokens, ignoreEos: true });
    return { ids: r.ids, encoderMs: r.timings.encoderMs, prefillMs: r.timings.prefillMs, ...stepSplit(current.log, r.timings.decodeMs, r.timings.decodeTokens) };
  },

  async release(): Promise<void> {
    await current?.engine.release();
    current = null;
  },
};

export type SpeedApi = typeof api;
Comlink.expose(api);
