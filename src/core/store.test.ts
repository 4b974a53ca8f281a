import "fake-indexeddb/auto";
import { createStore, get, set, type UseStore } from "idb-keyval";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IntegrityError, NetworkError, QuotaError } from "./errors";
import { parseManifest, type Manifest, type ManifestFile } from "./manifest";
import { checkQuota, missingBytes, ModelStore, type ModelRef } from "./store";
import { startFileServer, type FileServer } from "../test-support/file-server";
import { sampleManifest } from "../test-support/manifest";

const CHUNK = 1000;
const bigFile = "onnx/decoder_model_merged.onnx_data";

function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

let server: FileServer;
let contents: Record<string, Uint8Array>;
let manifest: Manifest;
let ref: ModelRef;
let store: ModelStore;
let dbCount = 0;

const fileOf = (path: string): ManifestFile => manifest.files.find((f) => f.path === path)!;

beforeAll(async () => {
  server = await startFileServer();
});
afterAll(async () => server.close());

beforeEach(() => {
  contents = { [bigFile]: randomBytes(3500, 1), "tokenizer.json": new TextEncoder().encode('{"model":{}}') };
  manifest = parseManifest(sampleManifest(contents));
  server.files.clear();
  for (const f of manifest.files) server.files.set(f.path, contents[f.path] ?? new TextEncoder().encode(`contents of ${f.path}`));
  server.requests.length = 0;
  server.honourRange = true;
  ref = { id: manifest.id, version: manifest.version, baseUrl: server.baseUrl };
  // A fresh database per test, so no test sees another's entries.
  store = new ModelStore(createStore(`test-db-${dbCount++}`, "files"), CHUNK);
});

describe("ModelStore", () => {
  it("downloads in chunks and reads back the same bytes", async () => {
    const file = fileOf(bigFile);
    const progress: number[] = [];
    await store.download(ref, file, { onProgress: (p) => progress.push(p.loaded) });
    expect(await store.isComplete(ref, file)).toBe(true);
    expect(await store.read(ref, file)).toEqual(contents[bigFile]);
    expect(progress.at(-1)).toBe(3500);
    const chunkKeys = await get(`chunk|${ref.id}|${ref.version}|${file.sha256}|3`, (store as any).db);
    expect(chunkKeys).toHaveLength(500);
  });

  it("resumes an interrupted download from the last whole chunk with a Range request", async () => {
    const file = fileOf(bigFile);
    server.cutAfter.set(bigFile, 2500);
    await expect(store.download(ref, file)).rejects.toThrow(NetworkError);
    expect(await store.isComplete(ref, file)).toBe(false);
    expect(await store.storedBytes(ref, file)).toBe(2000);

    await store.download(ref, file);
    expect(server.requests.map((r) => r.range)).toEqual([undefined, "bytes=2000-"]);
    expect(await store.read(ref, file)).toEqual(contents[bigFile]);
  });

  it("starts over when the server ignores Range", async () => {
    const file = fileOf(bigFile);
    server.cutAfter.set(bigFile, 1200);
    await expect(store.download(ref, file)).rejects.toThrow(NetworkError);
    server.honourRange = false;
    await store.download(ref, file);
    expect(await store.read(ref, file)).toEqual(contents[bigFile]);
  });

  it("rejects a download whose sha256 differs from the manifest and keeps nothing", async () => {
    const file = fileOf(bigFile);
    server.files.set(bigFile, randomBytes(3500, 2));
    await expect(store.download(ref, file)).rejects.toThrow(/sha256 .* does not match/);
    expect(await store.storedBytes(ref, file)).toBe(0);
  });

  it("detects a corrupted chunk, deletes the entry, and re-downloads it", async () => {
    const file = fileOf(bigFile);
    await store.download(ref, file);
    const key = `chunk|${ref.id}|${ref.version}|${file.sha256}|1`;
    const chunk = (await get<Uint8Array>(key, (store as any).db))!;
    chunk[10] = chunk[10]! ^ 0xff;
    await set(key, chunk, (store as any).db);

    await expect(store.read(ref, file)).rejects.toThrow(/corrupted/);
    expect(await store.isComplete(ref, file)).toBe(false);

    server.requests.length = 0;
    expect(await store.fetchFile(ref, file)).toEqual(contents[bigFile]);
    expect(server.requests).toHaveLength(1);
  });

  it("detects a truncated chunk", async () => {
    const file = fileOf(bigFile);
    await store.download(ref, file);
    const key = `chunk|${ref.id}|${ref.version}|${file.sha256}|3`;
    await set(key, new Uint8Array(10), (store as any).db);
    await expect(store.read(ref, file)).rejects.toThrow(IntegrityError);
    await expect(store.read(ref, file)).rejects.toThrow(/not in the cache/);
  });

  it("serves a complete file from the cache without the network", async () => {
    const file = fileOf("tokenizer.json");
    await store.fetchFile(ref, file);
    server.requests.length = 0;
    expect(new TextDecoder().decode(await store.fetchFile(ref, file))).toBe('{"model":{}}');
    expect(server.requests).toHaveLength(0);
  });

  it("reports an unreachable URL as a NetworkError", async () => {
    const unreachable = { ...ref, baseUrl: "http://127.0.0.1:9/models/" };
    await expect(store.download(unreachable, fileOf("tokenizer.json"))).rejects.toThrow(/Could not download http:\/\/127\.0\.0\.1:9\/models\/tokenizer\.json/);
    await expect(store.download(ref, { path: "missing.json", bytes: 1, sha256: "0".repeat(64) })).rejects.toThrow(/HTTP 404/);
  });

  it("drops every file of an older version when a new manifest version is remembered", async () => {
    const file = fileOf("tokenizer.json");
    await store.rememberModel(ref, manifest);
    await store.download(ref, file);
    const newer = { ...ref, version: "2026-11-28.1" };
    await store.rememberModel(newer, { ...manifest, version: newer.version });
    expect(await store.isComplete(ref, file)).toBe(false);
    expect(await store.isComplete(newer, file)).toBe(false);
    expect((await store.getModel(ref.id))?.version).toBe("2026-11-28.1");
  });

  it("lists cached models with stored sizes and deletes them", async () => {
    await store.rememberModel(ref, manifest);
    await store.download(ref, fileOf(bigFile));
    await store.download(ref, fileOf("tokenizer.json"));
    const listed = await store.listModels();
    expect(listed.map((m) => [m.id, m.storedBytes])).toEqual([["sample", 3500 + contents["tokenizer.json"]!.length]]);
    await store.deleteModel(ref.id);
    expect(await store.listModels()).toEqual([]);
    expect(await store.isComplete(ref, fileOf(bigFile))).toBe(false);
  });

  it("puts back the model record and the files that site data cleared mid-download took", async () => {
    // The database is emptied just before the big file's second chunk is written, as clearing
    // site data does in the middle of a download.
    const inner = createStore(`test-db-${dbCount++}`, "files");
    let cleared = false;
    const clearing: UseStore = (mode, callback) =>
      inner(mode, (objects) =>
        callback(
          new Proxy(objects, {
            get(target, name) {
              if (name === "put") {
                return (value: unknown, key: IDBValidKey) => {
                  if (!cleared && String(key).startsWith("chunk|") && String(key).endsWith("|1")) target.clear();
                  cleared ||= String(key).endsWith("|1");
                  return target.put(value, key);
                };
              }
              const member = Reflect.get(target, name) as unknown;
              return typeof member === "function" ? member.bind(target) : member;
            },
          }),
        ),
      );
    store = new ModelStore(clearing, CHUNK);
    const files = [fileOf("config.json"), fileOf("tokenizer.json"), fileOf(bigFile)];
    await store.rememberModel(ref, manifest);
    for (const file of files) await store.download(ref, file);
    expect(cleared).toBe(true);
    expect(await store.getModel(ref.id)).toBeUndefined();
    expect(await store.isComplete(ref, files[0]!)).toBe(false);

    server.requests.length = 0;
    await store.ensureStored(ref, manifest, files);
    expect(server.requests.map((r) => r.path).sort()).toEqual(files.map((f) => f.path).sort());
    expect((await store.getModel(ref.id))?.version).toBe(ref.version);
    for (const file of files) expect(await store.read(ref, file)).toEqual(server.files.get(file.path));

    server.requests.length = 0;
    await store.ensureStored(ref, manifest, files);
    expect(server.requests).toEqual([]);
  });

  it("counts the bytes still missing, including partial downloads", async () => {
    const file = fileOf(bigFile);
    server.cutAfter.set(bigFile, 1500);
    await expect(store.download(ref, file)).rejects.toThrow(NetworkError);
    expect(await missingBytes(store, ref, [file])).toBe(2500);
  });
});

describe("checkQuota", () => {
  it("refuses clearly when the origin cannot hold the model", () => {
    expect(() => checkQuota(5 * 1024 ** 3, { quota: 2 * 1024 ** 3, usage: 1024 ** 3 })).toThrow(QuotaError);
    expect(() => checkQuota(5 * 1024 ** 3, { quota: 2 * 1024 ** 3, usage: 1024 ** 3 })).toThrow(/needs 5\.0 GiB but only 1\.0 GiB is available/);
  });
  it("allows a download that fits, or when the browser gives no estimate", () => {
    expect(() => checkQuota(100, { quota: 1000, usage: 800 })).not.toThrow();
    expect(() => checkQuota(100, {})).not.toThrow();
  });
});
