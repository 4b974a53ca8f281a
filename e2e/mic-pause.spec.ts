// Speculative finals: the page starts translating when the speaker pauses, before the VAD has
// waited out its 400 ms of silence. Speech that resumes within that wait must not end the
// utterance early: the final translates the whole utterance, not the part before the pause.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { resumedSpeechWav, voicedSpeech } from "./audio-files";
import { fixtureDecoder } from "./golden";

const wav = resumedSpeechWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

test("speech resuming after a short pause gets one final, over both parts", async ({ page }) => {
  await page.goto("/?model=tiny-random&backend=wasm&lang=de&autostart=1&max_new_tokens=16");
  await expect(page.getByTestId("mic-stop")).toBeEnabled();
  const cards = page.locator("#transcript > li");
  const first = cards.first();
  await expect(first.getByTestId("translation-final")).toBeVisible({ timeout: 100_000 });
  // The translated audio holds both parts (each part alone is under half of this).
  const part = voicedSpeech.length / 16000;
  expect(Number(await first.getAttribute("data-audio-seconds"))).toBeGreaterThan(2 * part);
  // Its text is the decoding of its own ids: no result of another run was shown for it.
  const ids = (await first.getByTestId("translation-final").getAttribute("data-ids"))!.split(",").filter(Boolean).map(Number);
  expect(await first.getByTestId("translation-final").textContent()).toBe((await fixtureDecoder())(ids));
  await page.getByTestId("mic-stop").click();
  await expect(page.getByTestId("mic-start")).toBeEnabled();
  await expect(page.getByTestId("error")).toBeHidden();
});
