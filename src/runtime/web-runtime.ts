// ModelRuntime for the browser: files come from the IndexedDB store (downloaded on
// first use), sessions from the chosen backend's onnxruntime-web build.
import { SESSION_EXTRA, type ModelRuntime } from "../core/engine";
import type { SessionLike, TensorFactory } from "../core/generate";
import type { ManifestFile } from "../core/manifest";
import type { DownloadOptions, ModelRef, ModelStore } from "../core/store";
import type { BackendName, Ort } from "./backend";

/** onnxruntime-web's graph optimisation per backend (the WASM speed bench's workers start from the
 * same). On WASM, "extended" against "all" is not settled: the runs on this shared VM vary more than
 * the difference (docs/results.md, WASM against onnxruntime-node). */
export const GRAPH_OPTIMIZATION: Record<BackendName, "all" | "extended"> = { wasm: "all", webgpu: "all" };

/** Tensors of one onnxruntime-web module (a session takes only its own module's tensors). */
export function tensorsOf(module: Ort): TensorFactory {
  return {
    float32: (data, dims) => new module.Tensor("float32", data, dims),
    int64: (data, dims) => new module.Tensor("int64", data, dims),
  };
}

export function webRuntime(
  ort: Ort,
  store: ModelStore,
  ref: ModelRef,
  backend: BackendName,
  decoderLayers: number,
  download: DownloadOptions = {},
): ModelRuntime {
  const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);
  return {
    tensors: tensorsOf(ort),
    async createSession(graph: ManifestFile, externalData: ManifestFile[]): Promise<SessionLike> {
      const model = await store.fetchFile(ref, graph, download);
      const shards = [];
      for (const shard of externalData) shards.push({ path: basename(shard.path), data: await store.fetchFile(ref, shard, download) });
      return ort.InferenceSession.create(model, {
        executionProviders: [backend],
        externalData: shards,
        graphOptimizationLevel: GRAPH_OPTIMIZATION[backend],
        // Errors only: on WebGPU every load otherwise logs, as console.error, that some nodes
        // (shape arithmetic) run on the CPU, which is onnxruntime's intended placement.
        logSeverityLevel: 3,
        extra: SESSION_EXTRA,
        // Keep the KV cache on the GPU between decode steps; only logits come back.
        ...(backend === "webgpu" && graph.path.includes("decoder_model_merged") ? { preferredOutputLocation: kvOnGpu(decoderLayers) } : {}),
      });
    },
    async readJson(file: ManifestFile): Promise<unknown> {
      return JSON.parse(new TextDecoder().decode(await store.fetchFile(ref, file, download)));
    },
  };
}

function kvOnGpu(layers: number): Record<string, "gpu-buffer"> {
  const names = Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();
  return Object.fromEntries(names.map((name) => [name, "gpu-buffer" as const]));
}
