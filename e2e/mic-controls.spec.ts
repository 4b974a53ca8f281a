// Microphone controls with Chromium's fake capture device looping a WAV (two utterances with
// pauses, as in mic.spec.ts): the level meter follows the audio, and switching the target
// language mid-session applies to the next utterance.
import { expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { twoUtterancesWav } from "./audio-files";
import { fixtureDecoder } from "./golden";

const wav = twoUtterancesWav();
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] } });

test("the level meter moves while the microphone plays, and rests at 0 once stopped", async ({ page }) => {
  await page.goto("/?model=tiny-random&backend=wasm&lang=de&autostart=1&max_new_tokens=16");
  await expect(page.getByTestId("mic-stop")).toBeEnabled();
  // Sample the meter for 4 s: the file is ~8 s of speech and pauses, so it rises and falls.
  const levels = await page.getByTestId("mic-level").evaluate(async (meter: HTMLMeterElement) => {
    const seen: number[] = [];
    const timer = setInterval(() => seen.push(meter.value), 20);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    clearInterval(timer);
    return seen;
  });
  expect(Math.max(...levels)).toBeGreaterThan(0.01);
  expect(new Set(levels).size).toBeGreaterThan(5);
  await page.getByTestId("mic-stop").click();
  await expect(page.getByTestId("mic-start")).toBeEnabled();
  await expect(page.getByTestId("mic-level")).toHaveJSProperty("value", 0);
});

test("switching the target language mid-session: the next utterance is translated into the new one", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/?model=tiny-random&backend=wasm&lang=de&autostart=1&max_new_tokens=16");
  await expect(page.getByTestId("mic-stop")).toBeEnabled();
  const finals = page.getByTestId("translation-final");
  await expect(finals.first()).toHaveAttribute("lang", "de", { timeout: 60_000 });

  await page.getByTestId("target-lang").getByRole("radio", { name: /Chinese/ }).check();
  const atSwitch = await finals.count();
  // An utterance already being translated when the switch happened may still finish in German;
  // the one after it must be Chinese.
  await expect(finals).toHaveCount(atSwitch + 2, { timeout: 90_000 });
  await page.getByTestId("mic-stop").click();
  await expect(page.getByTestId("mic-start")).toBeEnabled({ timeout: 60_000 });

  const shown = await finals.evaluateAll((spans) => spans.map((s) => ({ lang: s.getAttribute("lang"), ids: s.getAttribute("data-ids")!, text: s.textContent })));
  expect(shown[atSwitch + 1]!.lang).toBe("zh");
  // German up to the switch, Chinese from the first Chinese one on.
  const firstZh = shown.findIndex((s) => s.lang === "zh");
  expect(firstZh).toBeGreaterThanOrEqual(atSwitch);
  expect(shown.map((s) => s.lang)).toEqual([...Array<string>(firstZh).fill("de"), ...Array<string>(shown.length - firstZh).fill("zh")]);
  const decode = await fixtureDecoder();
  for (const s of shown) expect(s.text).toBe(decode(s.ids.split(",").filter(Boolean).map(Number)));
  await expect(page.getByTestId("error")).toBeHidden();
});
