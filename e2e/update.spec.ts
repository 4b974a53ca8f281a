// A new build of the app never reloads an open tab by itself (issue: the transcript was wiped and
// the microphone stopped): the page offers "Reload now", keeps its transcript meanwhile (also while
// another tab opens), and reloads only when asked.
import { readFileSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

// `vite preview` reads dist/ afresh on every request; the service worker's update check is not
// routable from a test, so the new build is a changed dist/sw.js (restored afterwards).
const SW = "dist/sw.js";

const golden = goldenCase("de");

test("a new service worker waits for the visitor; the transcript stays until Reload now", async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto(`/?model=tiny-random&backend=wasm&lang=de&max_new_tokens=${golden.generated_ids.length}`);
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  await expect(page.getByTestId("update-banner")).toBeHidden();
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "still this page"));

  // A new build: the same service worker script with different bytes.
  const original = readFileSync(SW, "utf8");
  writeFileSync(SW, `${original}\n// a new build\n`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByTestId("update-banner")).toBeVisible({ timeout: 60_000 });
  } finally {
    writeFileSync(SW, original);
  }
  await expect(page.getByTestId("update-banner")).toContainText("Reloading clears the transcript");

  // Another tab opens meanwhile: this one is not reloaded.
  const other = await context.newPage();
  await other.goto("/?model=tiny-random&backend=wasm&lang=de");
  await expect(other.getByTestId("model-status")).toContainText("ready");
  await page.waitForTimeout(5000);
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("still this page");
  await expect(page.getByTestId("translation-final")).toHaveCount(1);
  await other.close();

  // Only "Reload now" reloads, into the new version.
  await Promise.all([page.waitForEvent("load", { timeout: 60_000 }), page.getByTestId("update-reload").click()]);
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
  await expect(page.getByTestId("update-banner")).toBeHidden();
});
