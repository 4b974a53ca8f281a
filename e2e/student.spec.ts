// The shipped student on a held-out clip (a sentence and a voice that training never had):
// the file input must give exactly the ids the Python toolkit's onnxruntime run recorded
// (student-mic.spec.ts speaks the same clip into the fake microphone), and under it what the model heard:
// its own English transcription, as the toolkit's run wrote it.
import { expect, test, type Page } from "@playwright/test";
import { studentCase, studentGolden, type GoldenCase } from "./golden";

const golden = studentGolden();

for (const lang of ["de", "zh"] as const) {
  test(`student on WASM: held-out clip through the file input gives the toolkit's ${lang} ids`, async ({ page }) => {
    const expected = studentCase(lang, "wasm");
    await page.goto(`/?model=phrasebook-student&backend=wasm&lang=${lang}`);
    await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
    await page.getByTestId("file-input").setInputFiles(golden.wav);
    const final = page.getByTestId("translation-final");
    await expect(final).toHaveCount(1, { timeout: 60_000 });
    await expect(final).toHaveAttribute("data-ids", expected.generated_ids.join(","));
    expect(await final.textContent()).toBe(expected.text);
    await expect(page.getByTestId("heard")).toHaveText(`Heard: “${studentCase("transcribe", "wasm").text}”`, { timeout: 30_000 });
  });
}

/** Translates `wav` on the page and checks the card against the toolkit's case. Under the threshold the card says
 * "not understood" and keeps the ids it would have shown. */
async function expectFileTranslation(page: Page, backend: "wasm" | "webgpu", lang: string, wav: string, expected: GoldenCase): Promise<void> {
  await page.goto(`/?model=phrasebook-student&backend=${backend}&lang=${lang}`);
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
  await page.getByTestId("file-input").setInputFiles(wav);
  const card = page.getByTestId("translation-final").or(page.getByTestId("not-understood"));
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  await expect(card).toHaveAttribute("data-ids", expected.generated_ids.join(","));
  if ((await card.getAttribute("data-testid")) === "translation-final") expect(await card.textContent()).toBe(expected.text);
}

for (const backend of ["wasm", "webgpu"] as const) {
  test(`student on ${backend}: German decodes with the manifest's beams, the toolkit's beam ids where greedy would differ`, async ({ page }) => {
    const beams = studentGolden("golden-beams.json");
    const expected = studentCase("de", backend, "golden-beams.json");
    expect(expected.beams).toBeGreaterThan(1);
    // On WASM's q8 four beams write another sentence than greedy here; on WebGPU's q4 the same one (that run
    // checks the beams' batched steps with the KV cache on the GPU).
    if (backend === "wasm") expect(expected.generated_ids).not.toEqual(expected.greedy_ids);
    await expectFileTranslation(page, backend, "de", beams.wav, expected);
  });
}

test("student on WASM: Chinese beams reranked by what the model heard give the toolkit's ids where the best-scored beam differs", async ({ page }) => {
  const rerank = studentGolden("golden-rerank.json");
  const expected = studentCase("zh", "wasm", "golden-rerank.json");
  expect(expected.unranked_ids).toBeDefined();
  expect(expected.generated_ids).not.toEqual(expected.unranked_ids);
  await expectFileTranslation(page, "wasm", "zh", rerank.wav, expected);
  await expect(page.getByTestId("heard")).toHaveText(`Heard: “${studentCase("transcribe", "wasm", "golden-rerank.json").text}”`, { timeout: 30_000 });
});
