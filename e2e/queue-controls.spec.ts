// Queue and control: Stop never waits for the queue (the button is usable at once and keeps the
// focus), each waiting utterance can be cancelled (one, or all), and each keeps the language that
// was selected when it was spoken. WebGPU on SwiftShader translates slower than speech here, so
// the utterances of the burst file wait in the queue.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { burstWav } from "./audio-files";

const wav = burstWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

test("Stop returns at once, waiting utterances keep their language and can be cancelled", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/?model=tiny-random&backend=webgpu&lang=de&autostart=1&max_new_tokens=16");
  await expect(page.getByTestId("mic-stop")).toBeEnabled({ timeout: 120_000 });
  const cards = page.locator("#transcript > li");
  await expect(async () => expect(await cards.count()).toBeGreaterThanOrEqual(3)).toPass({ timeout: 60_000 });

  // Switching the language applies to what is said next; queued utterances stay German.
  await page.getByTestId("target-lang").getByRole("radio", { name: /Chinese/ }).check();
  const waiting = cards.filter({ hasText: "Waiting for translation" });
  await expect(waiting.first()).toContainText("into German");

  // Stop: the button is back at once (no translation takes under seconds on SwiftShader) and keeps the focus.
  await page.getByTestId("mic-stop").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("mic-start")).toBeEnabled({ timeout: 5_000 });
  await expect(page.getByTestId("mic-start")).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("mic-button");

  // Cancel one waiting utterance, then everything still waiting.
  const count = await cards.count();
  const last = cards.nth(count - 1);
  await last.getByTestId("cancel-utterance").click();
  await expect(last.getByTestId("utterance-cancelled")).toBeVisible();
  await page.getByTestId("cancel-pending").click();
  await expect(page.getByTestId("cancel-pending")).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId("app-status")).not.toContainText("Translating", { timeout: 60_000 });
  const states = await cards.evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.state));
  expect(states.every((s) => s === "done" || s === "cancelled")).toBe(true);
  expect(states.filter((s) => s === "cancelled").length).toBeGreaterThanOrEqual(2);
  // A cancelled utterance never shows a translation.
  await expect(cards.filter({ has: page.getByTestId("utterance-cancelled") }).getByTestId("translation-final")).toHaveCount(0);
  await expect(page.getByTestId("error")).toBeHidden();
});
