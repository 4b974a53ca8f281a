// ModelRuntime for Node: onnxruntime-node sessions created from files on disk, so
// external-data shards resolve next to their graph without being read into JS. Every file is
// checked against the manifest (size and sha256) before it is used, as the app's store does.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { SESSION_EXTRA, type ModelRuntime } from "../core/engine";
import { AppError, IntegrityError } from "../core/errors";
import type { SessionLike, TensorFactory } from "../core/generate";
import { checkFile, Sha256 } from "../core/integrity";
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
    createSession: async (graph: ManifestFile, externalData: ManifestFile[]): Promise<SessionLike> => {
      for (const file of [graph, ...externalData]) await verifyFile(modelDir, file);
      return ort.InferenceSession.create(join(modelDir, graph.path), options);
    },
    readJson: async (file: ManifestFile) => {
      await verifyFile(modelDir, file);
      return JSON.parse(await readFile(join(modelDir, file.path), "utf8")) as unknown;
    },
  };
}

/** Reads and checks `modelDir`/manifest.json; every failure is an AppError that says what is wrong. */
export async function readManifest(modelDir: string): Promise<Manifest> {
  const folder = await stat(modelDir).catch(() => null);
  if (!folder?.isDirectory()) throw new AppError("manifest", `${modelDir}: no such model folder`);
  const path = join(modelDir, "manifest.json");
  const text = await readFile(path, "utf8").catch(() => {
    throw new AppError("manifest", `${modelDir} has no manifest.json: not an exported model folder (python -m compress export writes one)`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("manifest", `Malformed manifest: ${path} is not JSON`);
  }
  return parseManifest(json);
}

/** Size and sha256 of a file on disk against its manifest entry, streamed (graphs run to GBs). */
async function verifyFile(modelDir: string, file: ManifestFile): Promise<void> {
  const path = join(modelDir, file.path);
  const hash = await Sha256.create();
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new IntegrityError(`${file.path}: missing from ${modelDir} (the manifest lists it)`);
    throw error;
  }
  checkFile(file, bytes, hash.hex());
}

