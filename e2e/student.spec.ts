// The shipped student on a held-out clip (a sentence and a voice that training never had):
// the file input must give exactly the ids the Python toolkit's onnxruntime run recorded, and the
// fake microphone, which goes through the VAD, must show the same translation.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config";

const GOLDEN = "fixtures/phrasebook-student/golden.json";

interface StudentGolden {
  wav: string;
  cases: Array<{ lang: string; variant: string; generated_ids: number[]; text: string }>;
}

const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as StudentGolden;
const q4 = (lang: string) => golden.cases.find((c) => c.lang === lang && c.variant === "q4")!;

for (const lang of ["de", "zh"] as const) {
  test(`student on WASM: held-out clip through the file input gives the toolkit's ${lang} ids`, async ({ page }) => {
    const expected = q4(lang);
    await page.goto(`/?model=phrasebook-student&backend=wasm&lang=${lang}`);
    await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
    await page.getByTestId("file-input").setInputFiles(golden.wav);
    const final = page.getByTestId("translation-final");
    await expect(final).toHaveCount(1, { timeout: 60_000 });
    await expect(final).toHaveAttribute("data-ids", expected.generated_ids.join(","));
    expect(await final.textContent()).toBe(expected.text);
  });
}

test.describe("student through the fake microphone", () => {
  test.use({ launchOptions: { executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${golden.wav}`] } });

  test("speaking the held-out clip shows the student's German translation", async ({ page }) => {
    await page.goto(`/?model=phrasebook-student&backend=wasm&lang=de&autostart=1`);
    await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 120_000 });
    // Chromium loops the file; the first utterance is enough.
    await expect(page.getByTestId("translation-final").first()).toHaveText(q4("de").text, { timeout: 60_000 });
    await page.getByTestId("mic-stop").click();
    await expect(page.getByTestId("error")).toBeHidden();
  });
});
