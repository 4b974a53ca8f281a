// Site data cleared while a model downloads (DevTools, the browser's settings, or the browser itself
// under storage pressure): the load recovers, and afterwards the model is complete in IndexedDB,
// record and side files included, so the next visit works offline.
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

const golden = goldenCase("de");
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

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
  await expect(page.getByTestId("error")).toBeHidden();
});
