// What a first-time visitor meets: the purpose in one line, the language toggle and a big
// microphone button on the first screen (phone and desktop, no sideways scroll), example phrases
// by topic, samples to try, the model list with sizes from the manifests (no test fixture), and
// the backend "Auto", which never runs on an emulated GPU and says why.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { parsePhrasebookTopics } from "../src/core/phrasebook";
import { filesForVariant, parseManifest } from "../src/core/manifest";
import { formatBytes } from "../src/core/errors";

const topics = parsePhrasebookTopics(readFileSync("docs/vocabulary.md", "utf8"));
const studentManifest = parseManifest(JSON.parse(readFileSync("public/models/phrasebook-student/manifest.json", "utf8")));

test("the first screen: purpose, toggle, microphone, examples and samples; Auto picks WASM over SwiftShader and says why", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("purpose")).toContainText("English travel phrases");
  await expect(page.getByTestId("purpose")).toContainText("nothing you say is uploaded");
  await expect(page.getByTestId("target-lang").getByRole("radio", { name: "German" })).toBeChecked();
  await expect(page.getByTestId("mic-start")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("model-status")).toContainText("ready: phrasebook-student");

  // Auto: the adapter here is SwiftShader (a software GPU), so WASM, with the reason.
  await expect(page.getByTestId("backend-select")).toHaveValue("auto");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  await expect(page.getByTestId("backend-reason")).toContainText("software emulation");

  // The model list: sizes from the manifests, no test fixture.
  const select = page.getByTestId("model-select");
  const bytes = filesForVariant(studentManifest, studentManifest.default_variant).reduce((n, f) => n + f.bytes, 0);
  await expect(select.locator('option[value="phrasebook-student"]')).toHaveText(`phrasebook student (5-layer decoder, 4-bit), ${formatBytes(bytes)}`);
  await expect(select.locator('option[value="tiny-random"]')).toHaveCount(0);

  // Example phrases by topic, and one sample button per bundled test clip.
  await page.getByText("What can I say?").click();
  const examples = page.getByTestId("examples");
  for (const topic of topics) await expect(examples.getByRole("heading", { name: topic.title })).toBeVisible();
  await expect(examples).toContainText(topics[1]!.examples[0]!.en);
  const clips = JSON.parse(readFileSync("public/test-clips/clips.json", "utf8")) as Array<{ en: string }>;
  await expect(page.getByTestId("sample")).toHaveCount(clips.length);
  await expect(page.getByTestId("sample").first()).toContainText(clips[0]!.en);
});

test("the visitor's backend choice is remembered across reloads; Auto again goes back to the measurement's rule", async ({ page }) => {
  await page.goto("/?model=tiny-random&lang=de");
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("backend-select").selectOption("webgpu");
  // WebGPU runs another variant of the model than WASM: the page asks before downloading it.
  await page.getByTestId("variant-download").click();
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu", { timeout: 90_000 });
  await expect(page.getByTestId("backend-reason")).toContainText("your choice");
  await page.reload();
  await expect(page.getByTestId("backend-select")).toHaveValue("webgpu");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu", { timeout: 90_000 });
  await page.getByTestId("backend-select").selectOption("auto");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm", { timeout: 90_000 });
  await page.reload();
  await expect(page.getByTestId("backend-select")).toHaveValue("auto");
});

for (const [width, height] of [[360, 640], [390, 844]] as const) {
  test(`phone ${width} px: no sideways scroll, and the microphone is on the first screen`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto("/?model=tiny-random&backend=wasm");
    await expect(page.getByTestId("mic-start")).toBeEnabled();
    for (const view of ["translate", "about", "benchmark", "compare", "storage"]) {
      await page.goto(`/?model=tiny-random&backend=wasm#${view}`);
      await expect(page.getByTestId("model-status")).toContainText("ready");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(width);
    }
    await page.goto("/?model=tiny-random&backend=wasm");
    const mic = await page.getByTestId("mic-start").boundingBox();
    expect(mic!.y + mic!.height).toBeLessThanOrEqual(height);
    await expect(page.getByTestId("purpose")).toBeInViewport();
  });
}

test("the test fixture is listed only when asked for", async ({ page }) => {
  await page.goto("/?dev=1&backend=wasm");
  await expect(page.getByTestId("model-select").locator('option[value="tiny-random"]')).toHaveCount(1);
});
