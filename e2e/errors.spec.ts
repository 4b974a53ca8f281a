// Each failure gets a clear message in [data-testid=error], and the app stays usable.
import { expect, test, type Page } from "@playwright/test";
import { monologueWav, notAudioFile, silenceWav } from "./audio-files";
import { fixtureDecoder, goldenCase } from "./golden";

const golden = goldenCase("de");
const appUrl = (extra = "") => `/?model=tiny-random&backend=wasm&lang=de&max_new_tokens=${golden.generated_ids.length}${extra}`;

async function expectStillTranslates(page: Page, count = 1): Promise<void> {
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveCount(count);
  await expect(page.getByTestId("translation-final").last()).toHaveText(golden.text);
}

test("malformed manifest: names the bad field, then loads once it is fixed", async ({ page }) => {
  await page.route("**/models/tiny-random/manifest.json", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ format: "qwen2-audio-onnx", format_version: 1, id: "tiny-random" }) }),
  );
  await page.goto(appUrl());
  await expect(page.getByTestId("error")).toContainText("Malformed manifest");
  await expect(page.getByTestId("error")).toContainText("tokens");
  await expect(page.getByTestId("model-status")).not.toContainText("ready");
  await page.unroute("**/models/tiny-random/manifest.json");
  await page.getByRole("button", { name: "Load model" }).click();
  await expectStillTranslates(page);
});

test("manifest that is not JSON", async ({ page }) => {
  await page.route("**/models/tiny-random/manifest.json", (route) => route.fulfill({ contentType: "text/html", body: "<html>not found</html>" }));
  await page.goto(appUrl());
  await expect(page.getByTestId("error")).toContainText("is not JSON");
});

test("unreachable model URL: says which URL failed, then a bundled model still loads", async ({ page }) => {
  await page.goto("/?model=http://127.0.0.1:9/models/student/&backend=wasm&lang=de");
  await expect(page.getByTestId("error")).toContainText("Could not download http://127.0.0.1:9/models/student/manifest.json");
  await page.getByTestId("model-select").selectOption("tiny-random");
  await expectStillTranslates(page);
});

test("an uploaded file that is not audio", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(notAudioFile());
  await expect(page.getByTestId("error")).toContainText("is not an audio file");
  await expect(page.getByTestId("translation-final")).toHaveCount(0);
  await expectStillTranslates(page);
});

test("silence only: no translation, a clear message", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(silenceWav());
  await expect(page.getByTestId("error")).toContainText("No speech found");
  await expect(page.getByTestId("translation-final")).toHaveCount(0);
  await expectStillTranslates(page);
});

test("a 45 s monologue is split into utterances that each fit the window", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(monologueWav());
  const finals = page.getByTestId("translation-final");
  await expect(finals.first()).toBeVisible();
  await expect(async () => expect(await finals.count()).toBeGreaterThanOrEqual(2)).toPass();
  await expect(page.getByTestId("translation-partial")).toHaveText("");
  const decode = await fixtureDecoder();
  for (const final of await finals.all()) {
    const ids = (await final.getAttribute("data-ids"))!.split(",").filter(Boolean).map(Number);
    expect(await final.textContent()).toBe(decode(ids));
  }
  await expect(page.getByTestId("error")).toBeHidden();
});

test("quota exceeded: refuses before downloading, loads once space is back", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await page.goto("/?model=none");
  const origin = new URL(page.url()).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1000 });
  await page.goto(appUrl());
  await expect(page.getByTestId("error")).toContainText("Not enough storage");
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  await page.getByRole("button", { name: "Load model" }).click();
  await expectStillTranslates(page);
});

test("corrupted cache: detected, never used, downloaded again", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  // Flip one byte of the stored decoder graph, straight in IndexedDB.
  const corrupted = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("speech-translator-models");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = db.transaction("files", "readwrite").objectStore("files");
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const request = store.getAllKeys();
      request.onsuccess = () => resolve(request.result);
    });
    const decoderRecord = await Promise.all(
      keys.filter((k) => String(k).startsWith("file|")).map((k) => new Promise<{ path: string; sha256: string }>((resolve) => {
        const request = store.get(k);
        request.onsuccess = () => resolve(request.result);
      })),
    ).then((records) => records.find((r) => r.path.includes("decoder_model_merged"))!);
    const key = keys.find((k) => String(k).includes(decoderRecord.sha256) && String(k).startsWith("chunk|"))!;
    const chunk = await new Promise<Uint8Array>((resolve) => {
      const request = store.get(key);
      request.onsuccess = () => resolve(request.result);
    });
    chunk[100] = chunk[100]! ^ 0xff;
    await new Promise((resolve) => {
      const request = store.put(chunk, key);
      request.onsuccess = resolve;
    });
    return String(key);
  });
  expect(corrupted).toContain("chunk|tiny-random|");
  await page.reload();
  // Re-downloaded (not "from the cache"), and the translation is the golden one.
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await expectStillTranslates(page);
});

test("WebGPU device lost mid-session: falls back to WASM and retries the utterance", async ({ page, context }) => {
  const onWebGpu = goldenCase("de", "webgpu");
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=de&max_new_tokens=${onWebGpu.generated_ids.length}&testhooks=1`);
  await expect(page.getByTestId("model-status")).toContainText(`(${onWebGpu.variant})`);
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  type Hooks = { translatorWorker: { loseWebGpuDevice(): Promise<void>; status(): Promise<{ variant: string } | null> } };
  await page.evaluate(() => (window as unknown as Hooks).translatorWorker.loseWebGpuDevice());
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveCount(1);
  await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", onWebGpu.generated_ids.join(","));
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  await expect(page.getByTestId("error")).toContainText("switched to WASM and retried");
  // The retry runs the variant already stored, not WASM's own (no download while the user waits).
  expect(await page.evaluate(() => (window as unknown as Hooks).translatorWorker.status())).toMatchObject({ variant: onWebGpu.variant });
  expect(requests.filter((u) => u.includes("/onnx/"))).toEqual([]);
});

test("errors sit next to the control that failed, in plain words that say what to do next", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId("model-status")).toContainText("ready");
  // A file that is not audio: under the file input.
  await page.getByTestId("file-input").setInputFiles(notAudioFile());
  const error = page.getByTestId("error");
  await expect(page.locator('[data-error-slot="file"] [data-testid="error"]')).toContainText("That file is not audio this browser can play. Choose a WAV, MP3, OGG or WebM recording.");
  await expect(error).toBeInViewport();
  // A model URL that is not a web address: under the model controls, never "Failed to construct 'URL'".
  await page.getByTestId("model-select").selectOption("custom");
  await page.locator("#custom-url").fill("models tiny");
  await page.getByRole("button", { name: "Load model" }).click();
  await expect(page.locator('[data-error-slot="model"] [data-testid="error"]')).toContainText("is not a web address. Enter the folder URL of a model");
  await expect(error).not.toContainText("Failed to construct");
  // A folder with no model (the host answers with its index.html): said as such.
  await page.locator("#custom-url").fill(new URL("models/no-such-folder/", page.url()).href);
  await page.getByRole("button", { name: "Load model" }).click();
  await expect(error).toContainText("There is no model at that address");
  await expect(page.getByTestId("error-action")).toHaveText("Try again");
  // The app stays usable.
  await page.getByTestId("model-select").selectOption("tiny-random");
  await expectStillTranslates(page);
});
