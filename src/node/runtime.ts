// ModelRuntime for Node: onnxruntime-node sessions created from files on disk, so
// external-data shards resolve next to their graph without being read into JS.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { SESSION_EXTRA, type ModelRuntime } from "../core/engine";
import type { SessionLike, TensorFactory } from "../core/generate";
import { parseManifest, type Manifest, type ManifestFile } from "../core/manifest";

export const nodeTensors: TensorFactory = {
  float32: (data, dims) => new ort.Tensor("float32", data, dims),
  int64: (data, dims) => new ort.Tensor("int64", data, dims),
};

export function nodeRuntime(modelDir: string, sessionOptions: ort.InferenceSession.SessionOptions = {}): ModelRuntime {
  return {
    tensors: nodeTensors,
    createSession: async (graph: ManifestFile): Promise<SessionLike> =>
      ort.InferenceSession.create(join(modelDir, graph.path), { executionProviders: ["cpu"], extra: SESSION_EXTRA, ...sessionOptions }),
    readJson: async (file: ManifestFile) => JSON.parse(await readFile(join(modelDir, file.path), "utf8")) as unknown,
  };
}

export async function readManifest(modelDir: string): Promise<Manifest> {
  return parseManifest(JSON.parse(await readFile(join(modelDir, "manifest.json"), "utf8")));
}
