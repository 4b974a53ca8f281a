// The Storage view: each stored model by name, version and variant with its size; delete asks
// first; the next load downloads again; persistence is requested after the first complete download.
import { expect, test } from "@playwright/test";

test("stored models are listed by name and variant with sizes, and deleted only after confirming", async ({ page }) => {
  // Count the page's persist() requests (the browser decides; the app must ask once the download is complete).
  await page.addInitScript(() => {
    const calls: string[] = ((window as unknown as { persistCalls: string[] }).persistCalls = []);
    const original = navigator.storage.persist.bind(navigator.storage);
    navigator.storage.persist = () => {
      calls.push(document.querySelector('[data-testid="model-status"]')?.textContent ?? "");
      return original();
    };
  });
  await page.goto("/?model=tiny-random&backend=wasm&lang=de");
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  // Asked once, after the download completed (the status already said "ready").
  await expect.poll(() => page.evaluate(() => (window as unknown as { persistCalls: string[] }).persistCalls)).toEqual([expect.stringContaining("ready")]);

  await page.getByRole("link", { name: "Storage" }).click();
  await expect(page.getByRole("heading", { name: "Storage" })).toBeFocused();
  await expect(page.getByTestId("storage-persistence")).toContainText("Storage is");
  const cached = page.getByTestId("cached-model");
  await expect(cached).toHaveCount(1);
  await expect(cached).toContainText("tiny-random (test fixture: knows two phrases)");
  await expect(cached).toContainText(/q4dq stored \(\d+(\.\d)? KiB\)/);
  await expect(cached).toContainText("fp32 not stored");
  await expect(cached).toContainText(/\d+(\.\d)? (KiB|MiB)/);

  // Delete asks first; "Keep" keeps it.
  await cached.getByRole("button", { name: /Delete tiny-random/ }).click();
  await expect(cached.getByText(/Delete tiny-random .* from this device\?/)).toBeVisible();
  await cached.getByRole("button", { name: "Keep" }).click();
  await expect(cached).toHaveCount(1);
  await cached.getByRole("button", { name: /Delete tiny-random/ }).click();
  await cached.getByTestId("confirm-delete").click();
  await expect(cached).toHaveCount(0);
  await expect(page.getByText("No model is stored on this device yet.")).toBeVisible();

  // The next load downloads again; a load from the cache does not ask for persistence again.
  await page.getByRole("link", { name: "Translate" }).click();
  await page.getByRole("button", { name: "Load model" }).click();
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  expect(await page.evaluate(() => (window as unknown as { persistCalls: string[] }).persistCalls)).toEqual([]);
  await page.getByRole("link", { name: "Storage" }).click();
  await expect(cached).toHaveCount(1);
});
