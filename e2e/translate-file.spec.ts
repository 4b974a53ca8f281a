// Load the fixture model on WASM, translate the golden WAV through the file input,
// and get exactly the greedy ids (and text) the Python toolkit recorded.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

for (const lang of ["de", "zh"] as const) {
  test(`file input on WASM reproduces the golden ${lang} translation`, async ({ page }) => {
    const golden = goldenCase(lang);
    await page.goto(`/?model=tiny-random&backend=wasm&lang=${lang}&max_new_tokens=${golden.generated_ids.length}`);
    await expect(page.getByTestId("model-status")).toContainText("ready");
    await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
    // WASM runs the fixture's wasm variant (q4dq: the q4 numbers as DequantizeLinear + MatMul).
    await expect(page.getByTestId("model-status")).toContainText(`(${golden.variant})`);
    expect(golden.variant).not.toBe(goldenCase(lang, "webgpu").variant);

    await page.getByTestId("file-input").setInputFiles(golden.wav);
    const final = page.getByTestId("translation-final");
    await expect(final).toHaveCount(1);
    await expect(final).toHaveAttribute("data-ids", golden.generated_ids.join(","));
    expect(await final.textContent()).toBe(golden.text);
    await expect(page.getByTestId("error")).toBeHidden();
  });
}

test("transcript exports as TXT and JSON with the translations", async ({ page }) => {
  const golden = goldenCase("zh");
  await page.goto(`/?model=tiny-random&backend=wasm&lang=zh&max_new_tokens=${golden.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);

  const [json] = await Promise.all([page.waitForEvent("download"), page.locator("#export-json").click()]);
  const lines = JSON.parse(readFileSync(await json.path(), "utf8")) as Array<{ text: string; ids: number[]; lang: string; startedAt: number }>;
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ text: golden.text, ids: golden.generated_ids, lang: "zh" });

  const [txt] = await Promise.all([page.waitForEvent("download"), page.locator("#export-txt").click()]);
  expect(readFileSync(await txt.path(), "utf8")).toMatch(new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT[^\\]]+\\] \\(golden\\.wav at 0:00\\) ${golden.text}$`));
});
