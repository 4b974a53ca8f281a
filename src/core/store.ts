// Model files in IndexedDB, in fixed-size chunks so a multi-GB file never needs one
// giant ArrayBuffer while downloading. Entries are keyed by model id, version and
// sha256: a new manifest version or a changed file never reuses stale bytes.
//
// Keys (strings, so one prefix scan finds a model's entries):
//   model|<id>                              -> CachedModel
//   file|<id>|<version>|<sha256>            -> FileRecord
//   chunk|<id>|<version>|<sha256>|<index>   -> Uint8Array
import { createStore, delMany, get, getMany, keys, set, setMany, type UseStore } from "idb-keyval";
import { AppError, formatBytes, IntegrityError, NetworkError, QuotaError } from "./errors";
import { checkFile, Sha256 } from "./integrity";
import type { Manifest, ManifestFile } from "./manifest";

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface ModelRef {
  id: string;
  version: string;
  /** URL of the folder holding manifest.json, ending in "/". */
  baseUrl: string;
}

export interface CachedModel {
  id: string;
  version: string;
  baseUrl: string;
  manifest: Manifest;
  storedAt: number;
}

interface FileRecord {
  path: string;
  sha256: string;
  bytes: number;
  chunkBytes: number;
  /** Bytes stored so far; always whole chunks until the download completes. */
  storedBytes: number;
  /** sha256 state after `storedBytes`, so a resumed download finishes the same hash. */
  hashState?: Uint8Array;
  complete: boolean;
}

export interface FileProgress {
  path: string;
  loaded: number;
  total: number;
}

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: FileProgress) => void;
  /** Bytes that came over the network (not from the cache), as they arrive. */
  onNetworkBytes?: (bytes: number) => void;
}

const modelKey = (id: string) => `model|${id}`;
const fileKey = (ref: ModelRef, file: ManifestFile) => `file|${ref.id}|${ref.version}|${file.sha256}`;
const chunkKey = (ref: ModelRef, file: ManifestFile, index: number) => `chunk|${ref.id}|${ref.version}|${file.sha256}|${index}`;

export class ModelStore {
  constructor(
    private readonly db: UseStore = createStore("speech-translator-models", "files"),
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {}

  /** Bytes of `file` already stored (complete or not). */
  async storedBytes(ref: ModelRef, file: ManifestFile): Promise<number> {
    const record = await get<FileRecord>(fileKey(ref, file), this.db);
    return record?.storedBytes ?? 0;
  }

  async isComplete(ref: ModelRef, file: ManifestFile): Promise<boolean> {
    return (await get<FileRecord>(fileKey(ref, file), this.db))?.complete ?? false;
  }

  /**
   * Downloads `file` into the store, resuming after the last stored chunk with an
   * HTTP Range request. Verifies size and sha256 before marking it complete.
   */
  async download(ref: ModelRef, file: ManifestFile, options: DownloadOptions = {}): Promise<void> {
    const key = fileKey(ref, file);
    let record = await get<FileRecord>(key, this.db);
    if (record?.complete) return;
    if (!record || record.chunkBytes !== this.chunkBytes) {
      await this.deleteFile(ref, file);
      record = { path: file.path, sha256: file.sha256, bytes: file.bytes, chunkBytes: this.chunkBytes, storedBytes: 0, complete: false };
    }

    const url = new URL(file.path, ref.baseUrl).href;
    const doFetch = options.fetch ?? fetch;
    const headers: Record<string, string> = record.storedBytes > 0 ? { Range: `bytes=${record.storedBytes}-` } : {};
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: options.signal ?? null, cache: "no-store" });
    } catch (error) {
      throw new NetworkError(url, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) throw new NetworkError(url, `HTTP ${response.status}`);
    if (record.storedBytes > 0 && response.status !== 206) {
      // The server ignored the Range header: start over rather than append a second copy.
      await this.deleteFile(ref, file);
      record = { ...record, storedBytes: 0, complete: false };
      delete record.hashState;
    }
    if (!response.body) throw new NetworkError(url, "empty response body");

    const hash = await Sha256.create(record.hashState);
    let chunkIndex = record.storedBytes / this.chunkBytes;
    let pending = new Uint8Array(this.chunkBytes);
    let pendingLength = 0;
    let loaded = record.storedBytes;
    options.onProgress?.({ path: file.path, loaded, total: file.bytes });

    const flush = async () => {
      const chunk = pending.slice(0, pendingLength);
      hash.update(chunk);
      record = { ...record!, storedBytes: record!.storedBytes + chunk.length, hashState: hash.save() };
      // One transaction: a chunk is never recorded without its bytes, or the reverse.
      await writeOrQuotaError(() => setMany([[chunkKey(ref, file, chunkIndex), chunk], [key, record]], this.db), file.bytes - loaded);
      chunkIndex += 1;
      pendingLength = 0;
    };

    const reader = response.body.getReader();
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        // Whole chunks stored so far stay, so the next attempt resumes after them.
        throw new NetworkError(url, `download interrupted after ${record.storedBytes} stored bytes (${error instanceof Error ? error.message : String(error)})`);
      }
      const { done, value } = next;
      if (done) break;
      let offset = 0;
      while (offset < value.length) {
        const take = Math.min(value.length - offset, this.chunkBytes - pendingLength);
        pending.set(value.subarray(offset, offset + take), pendingLength);
        pendingLength += take;
        offset += take;
        if (pendingLength === this.chunkBytes) {
          await flush();
          pending = new Uint8Array(this.chunkBytes);
        }
      }
      loaded += value.length;
      options.onNetworkBytes?.(value.length);
      if (loaded > file.bytes) {
        await this.deleteFile(ref, file);
        throw new IntegrityError(`${file.path}: server sent more than the manifest's ${file.bytes} bytes`);
      }
      options.onProgress?.({ path: file.path, loaded, total: file.bytes });
    }
    if (pendingLength > 0) await flush();

    if (record.storedBytes !== file.bytes) {
      // Truncated transfer: keep the whole chunks so the next attempt resumes.
      throw new NetworkError(url, `connection ended after ${record.storedBytes} of ${file.bytes} bytes`);
    }
    try {
      checkFile(file, record.storedBytes, hash.hex());
    } catch (error) {
      await this.deleteFile(ref, file);
      throw error;
    }
    await writeOrQuotaError(() => set(key, { ...record, complete: true, hashState: undefined }, this.db), 0);
  }

  /**
   * Reads a complete file, re-checking its size and sha256. A truncated or corrupted
   * entry is deleted (so the caller re-downloads it) and reported as IntegrityError.
   */
  async read(ref: ModelRef, file: ManifestFile): Promise<Uint8Array> {
    const record = await get<FileRecord>(fileKey(ref, file), this.db);
    if (!record?.complete) throw new IntegrityError(`${file.path} is not in the cache`);
    const bytes = new Uint8Array(file.bytes);
    const hash = await Sha256.create();
    const chunkCount = Math.ceil(file.bytes / record.chunkBytes);
    let offset = 0;
    const batch = 16;
    try {
      for (let first = 0; first < chunkCount; first += batch) {
        const indices = Array.from({ length: Math.min(batch, chunkCount - first) }, (_, i) => first + i);
        const chunks = await getMany<Uint8Array>(indices.map((i) => chunkKey(ref, file, i)), this.db);
        for (const [i, chunk] of chunks.entries()) {
          const expected = Math.min(record.chunkBytes, file.bytes - offset);
          if (!(chunk instanceof Uint8Array) || chunk.length !== expected) {
            throw new IntegrityError(`${file.path}: cached chunk ${indices[i]} is missing or truncated`);
          }
          bytes.set(chunk, offset);
          hash.update(chunk);
          offset += chunk.length;
        }
      }
      checkFile(file, offset, hash.hex());
    } catch (error) {
      await this.deleteFile(ref, file);
      throw error;
    }
    return bytes;
  }

  /** Returns the file's bytes, downloading it first if it is missing, partial or corrupted. */
  async fetchFile(ref: ModelRef, file: ManifestFile, options: DownloadOptions = {}): Promise<Uint8Array> {
    if (await this.isComplete(ref, file)) {
      try {
        const bytes = await this.read(ref, file);
        options.onProgress?.({ path: file.path, loaded: file.bytes, total: file.bytes });
        return bytes;
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error;
        // Corrupted entry was deleted by read(); fall through to a fresh download.
      }
    }
    await this.download(ref, file, options);
    return this.read(ref, file);
  }

  /** Records `manifest` as the cached version of its model and drops every other version's files. */
  async rememberModel(ref: ModelRef, manifest: Manifest): Promise<void> {
    const stale = (await this.keysOf(ref.id)).filter((k) => !k.startsWith(`model|`) && k.split("|")[2] !== ref.version);
    await delMany(stale, this.db);
    const record: CachedModel = { id: ref.id, version: ref.version, baseUrl: ref.baseUrl, manifest, storedAt: Date.now() };
    await writeOrQuotaError(() => set(modelKey(ref.id), record, this.db), manifest.total_bytes);
  }

  /**
   * Puts back whatever of `files` and the model record the store lost, downloading it again.
   * Site data cleared while a model downloads (by the user, or by the browser under storage
   * pressure) takes the model record and every file stored before the clear; the download goes
   * on into an empty store, and the session reads its graphs back intact, yet the next visit,
   * offline above all, would find neither the record nor the side files (config.json). The worker
   * calls this once the model is loaded.
   */
  async ensureStored(ref: ModelRef, manifest: Manifest, files: ManifestFile[], options: DownloadOptions = {}): Promise<void> {
    const present = new Set((await keys<string>(this.db)).filter((k) => typeof k === "string"));
    const records = await getMany<FileRecord | undefined>(files.map((f) => fileKey(ref, f)), this.db);
    for (const [i, file] of files.entries()) {
      const record = records[i];
      const chunks = record ? Math.ceil(file.bytes / record.chunkBytes) : 0;
      const intact = record?.complete && Array.from({ length: chunks }, (_, c) => chunkKey(ref, file, c)).every((k) => present.has(k));
      if (intact) continue;
      await this.deleteFile(ref, file);
      await this.download(ref, file, options);
    }
    if (!present.has(modelKey(ref.id))) await this.rememberModel(ref, manifest);
  }

  async listModels(): Promise<Array<CachedModel & { storedBytes: number }>> {
    const allKeys = (await keys<string>(this.db)).filter((k) => typeof k === "string");
    const models = await getMany<CachedModel>(allKeys.filter((k) => k.startsWith("model|")), this.db);
    const result = [];
    for (const model of models) {
      if (!model) continue;
      const records = await getMany<FileRecord>(allKeys.filter((k) => k.startsWith(`file|${model.id}|${model.version}|`)), this.db);
      const storedBytes = records.reduce((sum, r) => sum + (r?.storedBytes ?? 0), 0);
      result.push({ ...model, storedBytes });
    }
    return result;
  }

  async getModel(id: string): Promise<CachedModel | undefined> {
    return get<CachedModel>(modelKey(id), this.db);
  }

  async deleteModel(id: string): Promise<void> {
    await delMany(await this.keysOf(id), this.db);
  }

  async deleteFile(ref: ModelRef, file: ManifestFile): Promise<void> {
    const prefix = `chunk|${ref.id}|${ref.version}|${file.sha256}|`;
    const chunkKeys = (await keys<string>(this.db)).filter((k) => typeof k === "string" && k.startsWith(prefix));
    await delMany([fileKey(ref, file), ...chunkKeys], this.db);
  }

  private async keysOf(id: string): Promise<string[]> {
    return (await keys<string>(this.db)).filter(
      (k) => typeof k === "string" && (k === modelKey(id) || k.startsWith(`file|${id}|`) || k.startsWith(`chunk|${id}|`)),
    );
  }
}

/** IndexedDB reports a full origin as a DOMException without a message; say what happened. */
async function writeOrQuotaError(write: () => Promise<void>, remainingBytes: number): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof Error && error.name === "QuotaExceededError") {
      throw new AppError("quota", `Not enough storage: the browser refused to store more of the model (${formatBytes(remainingBytes)} to go). Free some space or delete cached models.`);
    }
    throw error;
  }
}

/** Bytes still to download for `files`. */
export async function missingBytes(store: ModelStore, ref: ModelRef, files: ManifestFile[]): Promise<number> {
  let missing = 0;
  for (const file of files) {
    if (!(await store.isComplete(ref, file))) missing += file.bytes - (await store.storedBytes(ref, file));
  }
  return missing;
}

/** Refuses before downloading when the origin's quota cannot hold `neededBytes` more. */
export function checkQuota(neededBytes: number, estimate: { quota?: number; usage?: number }): void {
  if (estimate.quota === undefined) return;
  const available = estimate.quota - (estimate.usage ?? 0);
  if (neededBytes > available) throw new QuotaError(neededBytes, available);
}

