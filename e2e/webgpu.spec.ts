// The golden clip on WebGPU (SwiftShader here): the token ids must be the ones
// WASM and onnxruntime-node produce (the golden ids).
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

for (const lang of ["de", "zh"] as const) {
  test(`file input on WebGPU gives the golden ${lang} ids (same as WASM and Node)`, async ({ page }) => {
    const golden = goldenCase(lang, "webgpu");
    await page.goto(`/?model=tiny-random&backend=webgpu&lang=${lang}&max_new_tokens=${golden.generated_ids.length}`);
    await expect(page.getByTestId("model-status")).toContainText(`(${golden.variant})`);
    await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");
    await expect(page.getByTestId("backend-active")).toContainText("SwiftShader");
    await page.getByTestId("file-input").setInputFiles(golden.wav);
    const final = page.getByTestId("translation-final");
    await expect(final).toHaveCount(1);
    await expect(final).toHaveAttribute("data-ids", golden.generated_ids.join(","));
    expect(await final.textContent()).toBe(golden.text);
  });
}
