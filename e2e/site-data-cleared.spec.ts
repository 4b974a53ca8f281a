// Site data cleared while a model downloads (DevTools, the browser's settings, or the browser itself
// under storage pressure): the load recovers, and afterwards the model is complete in IndexedDB,
// record and side files included, so the next visit works offline.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { filesForVariant, parseManifest } from "../src/core/manifest";
import { goldenCase, variantOn } from "./golden";

const golden = goldenCase("de");
/** Paths of the files the app stores for `backend`'s variant of a committed model. */
function variantFiles(modelId: string, backend: "wasm" | "webgpu"): string[] {
  const manifest = parseManifest(JSON.parse(readFileSync(`public/models/${modelId}/manifest.json`, "utf8")));
  return filesForVariant(manifest, variantOn(modelId, backend)).map((f) => f.path).sort();
}
const url = `/?model=tiny-random&backend=wasm&lang=de&max_new_tokens=${golden.generated_ids.length}`;

test("IndexedDB cleared mid-download: the model loads, and is there offline afterwards", async ({ page, context }) => {
  // Hold the decoder graph (after config.json and the encoder are stored) until the store is cleared.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const decoderRequested = new Promise<void>((resolve) => (reached = resolve));
  await page.route("**/models/tiny-random/onnx/decoder_model_merged_*.onnx", async (route) => {
    reached();
    await held;
    await route.continue();
  });
  await page.goto(url);
  await decoderRequested;
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.clearDataForOrigin", { origin: new URL(page.url()).origin, storageTypes: "indexeddb" });
  release();
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("error")).toBeHidden();
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  await page.unrouteAll();

  // Every file of the variant is stored whole, config.json too (the engine never reads it).
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("speech-translator-models");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const records = await new Promise<Array<{ path: string; complete: boolean }>>((resolve) => {
      const request = db.transaction("files").objectStore("files").getAll(IDBKeyRange.bound("file|", "file|\uffff"));
      request.onsuccess = () => resolve(request.result);
    });
    return records.filter((r) => r.complete).map((r) => r.path).sort();
  });
  expect(stored).toEqual(variantFiles("tiny-random", "wasm"));

  // The next visit, offline: the model record is there, the model loads from IndexedDB.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
});
