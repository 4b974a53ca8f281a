// Files share the one queue: a long file is translated piece by piece, each labelled with the
// file name and where the piece starts; switching the model while pieces wait translates the rest
// with the new model (nothing dropped, no "Load a model first"); a second file comes after the
// whole of the first.
import { expect, test } from "@playwright/test";
import { monologueWav } from "./audio-files";
import { goldenCase } from "./golden";

const golden = goldenCase("de");

test("a second file and a model switch during a long file: every piece translated, in order, labelled", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/?model=phrasebook-student&backend=wasm&lang=de&max_new_tokens=24");
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
  // Two minutes of speech: about forty pieces, queued at once, so that many still wait when the model is switched.
  await page.getByTestId("file-input").setInputFiles(monologueWav(120));
  const cards = page.locator("#transcript > li");
  await expect(async () => expect(await cards.count()).toBeGreaterThanOrEqual(2)).toPass();
  await expect(cards.filter({ hasText: "Waiting for translation" }).first()).toBeVisible();
  await page.getByTestId("model-select").selectOption("phrasebook-teacher");
  await expect(page.getByTestId("model-status")).toContainText("ready: phrasebook-teacher", { timeout: 120_000 });
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("utterance-source").filter({ hasText: "golden.wav" })).toHaveCount(1);
  const firstFile = (await cards.count()) - 1;

  // Every piece gets its answer: a translation, or "not understood" where the model was unsure (a
  // piece the voice detector cut from running speech can be).
  await expect(page.locator('[data-testid="translation-final"], [data-testid="not-understood"]')).toHaveCount(firstFile + 1, { timeout: 240_000 });
  await expect(page.getByTestId("model-status")).toContainText("ready: phrasebook-teacher");
  await expect(cards.filter({ hasText: "Not translated" })).toHaveCount(0);
  const labels = await page.getByTestId("utterance-source").allTextContents();
  expect(labels.slice(0, firstFile).every((l) => l.startsWith("monologue-120s.wav at "))).toBe(true);
  expect(labels[firstFile]).toBe("golden.wav at 0:00");
  const offsets = labels.slice(0, firstFile).map((l) => l.match(/at (\d+):(\d\d)$/)!.slice(1).map(Number)).map(([m, s]) => m! * 60 + s!);
  expect(offsets[0]).toBe(0);
  for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThan(offsets[i - 1]!);
  expect(offsets.at(-1)).toBeLessThan(120);
  await expect(page.getByTestId("error")).toBeHidden();
});
