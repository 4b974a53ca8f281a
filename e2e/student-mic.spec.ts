// The shipped student hears a held-out clip through Chromium's fake microphone (getUserMedia →
// VAD → worker) and shows the translation the Python toolkit's onnxruntime run gives for it.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { studentCase, studentGolden } from "./golden";

const golden = studentGolden();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${golden.wav}`] } });

test("speaking the held-out clip shows the student's German translation", async ({ page }) => {
  await page.goto(`/?model=phrasebook-student&backend=wasm&lang=de&autostart=1`);
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
  // Chromium loops the file; the first utterance is enough.
  await expect(page.getByTestId("translation-final").first()).toHaveText(studentCase("de", "wasm").text, { timeout: 60_000 });
  await page.getByTestId("mic-stop").click();
  await expect(page.getByTestId("error")).toBeHidden();
});
