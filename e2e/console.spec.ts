// A production build keeps the console clean: no onnxruntime node-assignment warnings (session log
// severity), no VAD debug lines, no errors, on either backend.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { twoUtterancesWav } from "./audio-files";
import { goldenCase } from "./golden";

const wav = twoUtterancesWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

for (const backend of ["wasm", "webgpu"] as const) {
  test(`nothing in the console while loading, listening and translating on ${backend}`, async ({ page }) => {
    test.setTimeout(180_000);
    const golden = goldenCase("de", backend);
    const messages: string[] = [];
    page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
    await page.goto(`/?model=tiny-random&backend=${backend}&lang=de&max_new_tokens=${golden.generated_ids.length}&autostart=1`);
    await expect(page.getByTestId("mic-stop")).toBeEnabled({ timeout: 120_000 });
    await page.getByTestId("mic-stop").click();
    await page.getByTestId("file-input").setInputFiles(golden.wav);
    await expect(page.getByTestId("translation-final").last()).toHaveText(golden.text, { timeout: 120_000 });
    expect(messages).toEqual([]);
  });
}
