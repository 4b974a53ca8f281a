// The Copy button puts the transcript (one "[time] (file at offset) text" line per utterance) on the
// clipboard, and says so.
import { expect, test } from "@playwright/test";
import { goldenCase } from "./golden";

test("copy puts the transcript on the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const golden = goldenCase("zh");
  await page.goto(`/?model=tiny-random&backend=wasm&lang=zh&max_new_tokens=${golden.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveCount(2);

  await page.getByTestId("copy-transcript").click();
  await expect(page.getByTestId("app-status")).toHaveText("Copied 2 lines to the clipboard.");
  await expect(page.getByTestId("copy-transcript")).toHaveText("Copied ✓");
  const line = `\\[\\d{4}-\\d\\d-\\d\\dT[^\\]]+\\] \\(golden\\.wav at 0:00\\) ${golden.text}`;
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^${line}\\n${line}$`));
});
