// Accessibility: axe-core on every view (a failure on any serious or critical violation), live
// regions for the status and the transcript, labelled meter and progress, and focus that never
// falls to the body (view switches focus the view's heading; the microphone button keeps it).
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { goldenCase } from "./golden";

// Chromium's fake microphone (a beep), so the microphone button can be used from the keyboard.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream"] } });

const golden = goldenCase("de");
const VIEWS = ["translate", "about", "benchmark", "compare", "storage"] as const;

test("axe finds no serious or critical violation on any view", async ({ page }) => {
  await page.goto(`/?model=tiny-random&backend=wasm&lang=de&max_new_tokens=${golden.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  // A transcript line and the examples open, so their markup is checked too.
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveCount(1);
  await page.getByText("What can I say?").click();
  for (const view of VIEWS) {
    await page.getByRole("link", { name: { translate: "Translate", about: "About the model", benchmark: "Benchmark", compare: "Compare", storage: "Storage" }[view], exact: true }).click();
    await expect(page.locator(`[data-view="${view}"]`)).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).include(`[data-view="${view}"]`).include("header").analyze();
    const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), view).toEqual([]);
    // Focus moved to the view's heading, never to the body.
    await expect(page.locator(`[data-view="${view}"] h1`)).toBeFocused();
  }
});

test("live regions, labelled meter and progress, and keyboard use of the microphone keeps the focus", async ({ page }) => {
  await page.goto(`/?model=tiny-random&backend=wasm&lang=de`);
  await expect(page.getByRole("meter", { name: "Microphone level" })).toBeAttached();
  await expect(page.getByRole("progressbar", { name: "Model download" })).toBeAttached();
  await expect(page.getByTestId("app-status")).toHaveAttribute("role", "status");
  await expect(page.getByTestId("transcript")).toHaveAttribute("role", "log");
  await expect(page.getByTestId("transcript")).toHaveAttribute("aria-live", "polite");
  await expect(page.getByTestId("error")).toHaveAttribute("role", "alert");
  await expect(page.getByTestId("mic-start")).toBeEnabled();
  await page.getByTestId("mic-start").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("mic-stop")).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("mic-button");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("mic-start")).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("mic-button");
});
