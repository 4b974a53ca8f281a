// The cached-models list: sizes shown, delete removes the files, the next load downloads again.
import { expect, test } from "@playwright/test";

test("cached models are listed with their size and can be deleted", async ({ page }) => {
  await page.goto("/?model=tiny-random&backend=wasm&lang=de");
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  const cached = page.getByTestId("cached-model");
  await expect(cached).toHaveCount(1);
  await expect(cached).toContainText("tiny-random");
  await expect(cached).toContainText(/\d+(\.\d)? (KiB|MiB)/);

  await cached.getByRole("button", { name: "Delete" }).click();
  await expect(cached).toHaveCount(0);
  await page.getByRole("button", { name: "Load model" }).click();
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await expect(cached).toHaveCount(1);
});
