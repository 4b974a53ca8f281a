// Files share the one queue: a long file is translated piece by piece, each labelled with the
// file name and where the piece starts; a second file uploaded meanwhile comes after the whole of
// the first; switching the model in the middle translates the rest with the new model (nothing
// dropped, no "Load a model first").
import { expect, test } from "@playwright/test";
import { monologueWav } from "./audio-files";
import { goldenCase } from "./golden";

const golden = goldenCase("de");

test("a second file and a model switch during a long file: every piece translated, in order, labelled", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/?model=phrasebook-student&backend=wasm&lang=de&max_new_tokens=24");
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
  await page.getByTestId("file-input").setInputFiles(monologueWav());
  const cards = page.locator("#transcript > li");
  await expect(async () => expect(await cards.count()).toBeGreaterThanOrEqual(2)).toPass();
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  // The first file's cards may still be arriving when two are seen; the second file's card comes after all of them.
  await expect(page.getByTestId("utterance-source").filter({ hasText: "golden.wav" })).toHaveCount(1);
  const firstFile = (await cards.count()) - 1;
  // Switch model while pieces still wait.
  await expect(cards.filter({ hasText: /Waiting for translation|Translating/ }).first()).toBeVisible();
  await page.getByTestId("model-select").selectOption("phrasebook-teacher");

  await expect(page.getByTestId("translation-final")).toHaveCount(firstFile + 1, { timeout: 240_000 });
  await expect(page.getByTestId("model-status")).toContainText("ready: phrasebook-teacher");
  await expect(cards.filter({ hasText: "Not translated" })).toHaveCount(0);
  const labels = await page.getByTestId("utterance-source").allTextContents();
  expect(labels.slice(0, firstFile).every((l) => l.startsWith("monologue-45s.wav at "))).toBe(true);
  expect(labels[firstFile]).toBe("golden.wav at 0:00");
  const offsets = labels.slice(0, firstFile).map((l) => l.match(/at (\d+):(\d\d)$/)!.slice(1).map(Number)).map(([m, s]) => m! * 60 + s!);
  expect(offsets[0]).toBe(0);
  for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThan(offsets[i - 1]!);
  expect(offsets.at(-1)).toBeLessThan(45);
  await expect(page.getByTestId("error")).toBeHidden();
});
