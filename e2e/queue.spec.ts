// Utterances that arrive faster than they are translated (WebGPU on SwiftShader is
// slower than real time here) are queued, never dropped: every utterance the VAD
// cut gets its final translation, in order.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { burstWav } from "./audio-files";
import { fixtureDecoder } from "./golden";

const wav = burstWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

test("a burst of utterances is queued and every one is translated", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/?model=tiny-random&backend=webgpu&lang=zh&autostart=1&max_new_tokens=16");
  await expect(page.getByTestId("mic-stop")).toBeEnabled();
  // The file's four utterances are queued (they arrive faster than SwiftShader translates), then
  // the microphone stops: Stop returns at once, and the queue goes on to the end.
  const cards = page.locator("#transcript > li");
  await expect(async () => expect(await cards.count()).toBeGreaterThanOrEqual(4)).toPass({ timeout: 60_000 });
  await page.getByTestId("mic-stop").click();
  await expect(page.getByTestId("mic-start")).toBeEnabled();
  const queued = await cards.count();
  const finals = page.getByTestId("translation-final");
  await expect(finals).toHaveCount(queued, { timeout: 240_000 });

  const decode = await fixtureDecoder();
  const utterances = await finals.evaluateAll((spans) => spans.map((s) => ({ id: Number(s.getAttribute("data-utterance")), ids: s.getAttribute("data-ids")!, text: s.textContent })));
  // Every queued utterance, in the order spoken, none dropped.
  expect(utterances.map((u) => u.id)).toEqual(utterances.map((_, i) => i));
  for (const u of utterances) expect(u.text).toBe(decode(u.ids.split(",").filter(Boolean).map(Number)));
  await expect(page.getByTestId("error")).toBeHidden();
});
