// A new build of the app never reloads an open tab by itself (issue: the transcript was wiped and
// the microphone stopped): the page offers "Reload now", keeps its transcript meanwhile (also while
// another tab opens), and reloads only when asked.
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

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
  await context.route("**/sw.js", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\n// a new build\n` });
  });
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect(page.getByTestId("update-banner")).toBeVisible({ timeout: 60_000 });
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
