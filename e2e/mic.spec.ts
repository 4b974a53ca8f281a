// The microphone path with Chromium's fake capture device playing a WAV:
// getUserMedia -> AudioWorklet -> VAD -> translation-final, with autostart=1.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { twoUtterancesWav } from "./audio-files";
import { fixtureDecoder } from "./golden";

const wav = twoUtterancesWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

for (const backend of ["wasm", "webgpu"] as const) {
  test(`fake mic on ${backend}: each utterance becomes one final translation`, async ({ page }) => {
    // Record every provisional text shown while someone is speaking.
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { partials: string[] }).partials = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="translation-partial"]')?.textContent;
        if (text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`/?model=tiny-random&backend=${backend}&lang=de&autostart=1&max_new_tokens=16`);
    await expect(page.getByTestId("model-status")).toContainText("ready");
    await expect(page.getByTestId("mic-stop")).toBeEnabled();
    const finals = page.getByTestId("translation-final");
    // The file holds two utterances separated by a 2 s pause.
    await expect(finals).toHaveCount(2, { timeout: 100_000 });
    const decode = await fixtureDecoder();
    for (const final of await finals.all()) {
      const ids = (await final.getAttribute("data-ids"))!.split(",").filter(Boolean).map(Number);
      expect(ids.length).toBeLessThanOrEqual(16);
      // The shown text is the decoding of the ids. (Exact ids are not asserted here: where the
      // VAD cuts depends on capture timing; file-input tests check golden ids on both backends.)
      expect(await final.textContent()).toBe(decode(ids));
    }
    if (backend === "wasm") {
      // WASM translates a partial utterance well before the speaker stops, so a provisional text showed.
      const partials = await page.evaluate(() => (window as unknown as { partials: string[] }).partials);
      expect(partials.filter((t) => t !== "…").length).toBeGreaterThan(0);
    }
    await page.getByTestId("mic-stop").click();
    await expect(page.getByTestId("mic-start")).toBeEnabled();
    await expect(page.getByTestId("error")).toBeHidden();
  });
}
