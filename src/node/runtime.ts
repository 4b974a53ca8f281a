// ModelRuntime for Node: onnxruntime-node sessions created from files on disk, so
// external-data shards resolve next to their graph without being read into JS.
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { SESSION_EXTRA, type ModelRuntime } from "../core/engine";
import type { SessionLike, TensorFactory } from "../core/generate";
import { parseManifest, type Manifest, type ManifestFile } from "../core/manifest";

export const nodeTensors: TensorFactory = {
  float32: (data, dims) => new ort.Tensor("float32", data, dims),
  int64: (data, dims) => new ort.Tensor("int64", data, dims),
};

/** Intra-op threads for every session: all cores but one, so the calling thread's own work
 * (V8, GC, libuv) does not preempt an operator's worker (a parallel operator waits for its slowest
 * thread). onnxruntime's default is every physical core. Measured on the 2-core VM (forced 32-token
 * decode, models alternating, 10 rounds): one thread instead of two gives teacher 311–344 →
 * 321–342 tok/s, student 490–558 → 586–620, encoder 29 → 20 ms, and steadier rates. */
export function defaultIntraOpThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function nodeRuntime(modelDir: string, sessionOptions: ort.InferenceSession.SessionOptions = {}): ModelRuntime {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ["cpu"],
    intraOpNumThreads: defaultIntraOpThreads(),
    extra: SESSION_EXTRA,
    ...sessionOptions,
  };
  return {
    tensors: nodeTensors,
    createSession: async (graph: ManifestFile): Promise<SessionLike> => ort.InferenceSession.create(join(modelDir, graph.path), options),
    readJson: async (file: ManifestFile) => JSON.parse(await readFile(join(modelDir, file.path), "utf8")) as unknown,
  };
}

export async function readManifest(modelDir: string): Promise<Manifest> {
  return parseManifest(JSON.parse(await readFile(join(modelDir, "manifest.json"), "utf8")));
}
