// The worker switches from WebGPU to WASM only when the GPU fails (see errors.spec.ts for a lost
// device). Bad audio or an unknown language fails the same way on WASM: said as it is, on WebGPU.
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

type Hooks = { translatorWorker: { translate(samples: Float32Array, lang: string): Promise<unknown>; status(): Promise<{ backend: { name: string } } | null> } };

test("WebGPU: audio too long or too short, or an unknown language, is an error, not a switch to WASM", async ({ page }) => {
  const onWebGpu = goldenCase("de", "webgpu");
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=de&max_new_tokens=${onWebGpu.generated_ids.length}&testhooks=1`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");

  const outcomes = await page.evaluate(async () => {
    const worker = (window as unknown as Hooks).translatorWorker;
    const attempt = (samples: Float32Array, lang: string) => worker.translate(samples, lang).then(() => "translated", (error: Error) => error.message);
    return {
      tooLong: await attempt(new Float32Array(31 * 16000), "de"),
      tooShort: await attempt(new Float32Array(200), "de"),
      unknownLanguage: await attempt(new Float32Array(16000), "fr"),
      backend: (await worker.status())?.backend.name,
    };
  });
  expect(outcomes).toEqual({
    tooLong: expect.stringContaining("longer than the model's 30 s window"),
    tooShort: expect.stringContaining("is too short"),
    unknownLanguage: expect.stringContaining('no prompt for target language "fr"'),
    backend: "webgpu",
  });

  // Still on WebGPU, and still translating there.
  await page.getByTestId("file-input").setInputFiles(onWebGpu.wav);
  await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", onWebGpu.generated_ids.join(","));
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");
  await expect(page.getByTestId("error")).toBeHidden();
});
