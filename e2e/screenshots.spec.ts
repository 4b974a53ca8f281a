// Pictures of every view at desktop and phone width, into test-results/screenshots/ (Chinese
// needs a CJK font: e2e/ensure-chromium.sh installs fonts-noto-cjk). The main view is shown with
// the shipped student's translations of two samples, in German and in Chinese.
import { expect, test } from "@playwright/test";

const VIEWS = ["translate", "about", "benchmark", "compare", "storage"] as const;
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

test("every view at desktop and phone width", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(SIZES.desktop);
  await page.goto("/?backend=wasm&lang=de");
  await expect(page.getByTestId("model-status")).toContainText("ready: phrasebook-student", { timeout: 120_000 });
  // A sample plays through the microphone's path (VAD, queue, model) and is labelled as a sample.
  await page.getByTestId("sample").nth(5).click();
  await expect(page.getByTestId("translation-final")).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId("utterance-source").first()).toHaveText(/^Sample “.+”$/);
  expect((await page.getByTestId("translation-final").first().textContent())!.length).toBeGreaterThan(0);
  await page.getByTestId("target-lang").getByRole("radio", { name: /Chinese/ }).check();
  await page.getByTestId("sample").nth(4).click();
  await expect(page.getByTestId("translation-final")).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId("translation-final").nth(1)).toHaveAttribute("lang", "zh");
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    for (const view of VIEWS) {
      await page.evaluate((v) => (location.hash = v), view);
      await expect(page.locator(`[data-view="${view}"]`)).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/${view}-${size}.png`, fullPage: view !== "translate" });
    }
  }
});
