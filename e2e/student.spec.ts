// The shipped student on a held-out clip (a sentence and a voice that training never had):
// the file input must give exactly the ids the Python toolkit's onnxruntime run recorded
// (student-mic.spec.ts speaks the same clip into the fake microphone), and under it what the model heard:
// its own English transcription, as the toolkit's run wrote it.
import { expect, test } from "@playwright/test";
import { studentCase, studentGolden } from "./golden";

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
