// Chromium without --enable-unsafe-webgpu: navigator.gpu exists but gives no adapter.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { goldenCase } from "./golden";

const golden = goldenCase("de");
test.use({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS.filter((a) => a !== "--enable-unsafe-webgpu") } });

test("asking for WebGPU says why it is unavailable and runs on WASM", async ({ page }) => {
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=de&max_new_tokens=${golden.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("error")).toContainText("WebGPU");
  await expect(page.getByTestId("error")).toContainText("Using WASM instead");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
});
