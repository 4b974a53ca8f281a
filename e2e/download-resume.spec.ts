// A connection dropped in the middle of a model download ends in an error with a "Resume
// download" button next to the model controls (not an endless "loading…"); Resume finishes it.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

const DECODER = "**/models/tiny-random/onnx/decoder_model_merged_q4dq.onnx";
const interrupted = (page: Page) => page.locator('[data-error-slot="model"] [data-testid="error"]');

async function resumeFinishes(page: Page): Promise<void> {
  await expect(page.getByTestId("model-status")).toHaveText("not loaded");
  await expect(page.getByTestId("error-action")).toHaveText("Resume download");
  await page.unroute(DECODER);
  await page.getByTestId("error-action").click();
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("error")).toBeHidden();
  await expect(page.getByTestId("mic-start")).toBeEnabled();
}

test("the connection ends half-way through a file: error, then Resume completes the download", async ({ page }) => {
  const bytes = readFileSync("public/models/tiny-random/onnx/decoder_model_merged_q4dq.onnx");
  // The server promises the whole file and sends half of it, as a dropped connection does.
  await page.route(DECODER, (route) => route.fulfill({ status: 200, headers: { "content-length": String(bytes.length), "content-type": "application/octet-stream" }, body: bytes.subarray(0, bytes.length >> 1) }));
  await page.goto("/?model=tiny-random&backend=wasm&lang=de");
  await expect(interrupted(page)).toContainText("The download stopped");
  await expect(interrupted(page)).toContainText("What was downloaded is kept");
  await resumeFinishes(page);
});

test("the browser goes offline while a file is downloading: error at once, not an endless loading", async ({ page, context }) => {
  let requested!: () => void;
  const started = new Promise<void>((resolve) => (requested = resolve));
  // The request hangs, as on a dead connection; then the network goes away.
  await page.route(DECODER, () => requested());
  await page.goto("/?model=tiny-random&backend=wasm&lang=de");
  await started;
  await expect(page.getByTestId("model-status")).toHaveText("loading…");
  await context.setOffline(true);
  await expect(interrupted(page)).toContainText("The download stopped", { timeout: 10_000 });
  await context.setOffline(false);
  await resumeFinishes(page);
});
