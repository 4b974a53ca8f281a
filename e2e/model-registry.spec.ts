// The model list comes from public/models/index.json: listed models whose folder is missing are
// shown disabled with the reason (the app starts on a usable one), the loaded model's facts are
// shown, and the list itself works offline after the first visit (precached by the service worker).
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

const fixtureManifest = JSON.parse(readFileSync("public/models/tiny-random/manifest.json", "utf8")) as Record<string, unknown>;
// Ids with no folder in public/models (the real student and teacher are exported and listed).
const registryWithMissingModels = [
  { id: "tiny-random", label: "tiny-random (fixture)", role: "fixture" },
  { id: "unexported-student", label: "Phrasebook student", role: "student", default: true },
  { id: "unexported-teacher", label: "Phrasebook teacher", role: "teacher" },
];

test.describe("with the list and manifests from the network", () => {
  // Requests a service worker answers bypass page.route, and the precached list would win.
  test.use({ serviceWorkers: "block" });

  test("listed models that are not exported yet are disabled with the reason; the app starts on one that is", async ({ page }) => {
    await page.route("**/models/index.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(registryWithMissingModels) }));
    // A missing folder either answers 404 or, on single-page-app hosts like vite preview, index.html.
    await page.route("**/models/unexported-teacher/manifest.json", (route) => route.fulfill({ status: 404, body: "" }));
    await page.goto("/?backend=wasm&dev=1");
    await expect(page.getByTestId("model-status")).toContainText("ready: tiny-random");
    await expect(page.getByTestId("model-select")).toHaveValue("tiny-random");

    const select = page.getByTestId("model-select");
    await expect(select.locator('option[value="unexported-student"]')).toBeDisabled();
    await expect(select.locator('option[value="unexported-teacher"]')).toBeDisabled();
    await expect(select.locator('option[value="tiny-random"]')).toBeEnabled();
    const reasons = page.getByTestId("model-unavailable");
    await expect(reasons).toHaveCount(2);
    await expect(reasons.filter({ hasText: "Phrasebook student" })).toContainText("Not exported yet: ");
    await expect(reasons.filter({ hasText: "Phrasebook student" })).toContainText("the server sent an HTML page");
    await expect(reasons.filter({ hasText: "Phrasebook teacher" })).toContainText("answers HTTP 404");
    await expect(page.getByTestId("model-fallback")).toHaveText("The default model, Phrasebook student, is unavailable; starting with tiny-random (fixture).");
    await expect(page.getByTestId("error")).toBeHidden();

    // Asking for a missing model by name says why it cannot load, and the page stays usable.
    await page.goto("/?backend=wasm&dev=1&model=unexported-teacher");
    await expect(page.getByTestId("error")).toContainText("Phrasebook teacher: Not exported yet");
    await expect(page.getByTestId("model-status")).toHaveText("not loaded");
    await select.selectOption("tiny-random");
    await expect(page.getByTestId("model-status")).toContainText("ready: tiny-random");

    // An id that is not listed at all is named as such.
    await page.goto("/?backend=wasm&dev=1&model=no-such-model");
    await expect(page.getByTestId("error")).toContainText('"no-such-model" is not in the model list (models/index.json) and is not a URL.');
    await expect(page.getByTestId("error")).toContainText("Choose a model from the list");
  });

  test("an unreadable model list is reported, and a model can still be loaded from a URL", async ({ page }) => {
    await page.route("**/models/index.json", (route) => route.fulfill({ status: 404, body: "" }));
    await page.goto("/?backend=wasm");
    await expect(page.getByTestId("model-list-error")).toContainText("Could not read the model list");
    await expect(page.getByTestId("model-list-error")).toContainText("models/index.json: HTTP 404");
    await expect(page.getByTestId("error")).toContainText("HTTP 404");
    await expect(page.getByTestId("model-select")).toHaveValue("custom");
    await page.locator("#custom-url").fill(new URL("models/tiny-random/", page.url()).href);
    await page.getByRole("button", { name: "Load model" }).click();
    await expect(page.getByTestId("model-status")).toContainText("ready: tiny-random");
  });

  test("the loaded model's sizes, parameters, layers and evaluation figures are shown", async ({ page }) => {
    const metrics = {
      test: {
        torch: { de: { bleu: 59.95, chrf: 68.48, chrf_variant: "chrF++", n: 500 }, zh: { bleu: 48.76, chrf: 44.33, chrf_variant: "chrF", n: 500 } },
        "onnx-q4": { de: { bleu: 57.06, chrf: 66.59, chrf_variant: "chrF++", n: 500 }, zh: { bleu: 47.33, chrf: 42.9, chrf_variant: "chrF", n: 500 } },
      },
    };
    await page.route("**/models/tiny-random/manifest.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify({ ...fixtureManifest, metrics }) }));
    await page.goto("/?model=tiny-random&backend=wasm");
    await expect(page.getByTestId("model-status")).toContainText("ready");
    const info = page.getByTestId("model-info");
    // WASM loads the backend's own variant (q4dq); the default stays q4.
    const variants = fixtureManifest.variants as Record<string, { bytes: number }>;
    await expect(info.locator('tr[data-variant="q4"] th')).toHaveText("q4 (default)");
    await expect(info.locator('tr[data-variant="q4dq"] th')).toHaveText("q4dq (WASM's, loaded)");
    for (const name of ["fp32", "q4", "q4dq"]) {
      await expect(info.locator(`tr[data-variant="${name}"] td`).first()).toHaveAttribute("data-bytes", String(variants[name]!.bytes));
    }
    await expect(page.getByTestId("model-parameters")).toContainText("total 418,176");
    await expect(page.getByTestId("model-layers")).toHaveText("Decoder: 4 layers, hidden size 64");
    const evaluation = page.getByTestId("model-eval");
    await expect(evaluation.locator("thead")).toContainText("chrF++ de");
    await expect(evaluation.locator('tr[data-system="onnx-q4"]')).toHaveText(["test", "onnx-q4", "57.06", "66.59", "47.33", "42.90"].join(""));
  });
});

test("offline after the first visit: the model list from the service worker, the model from IndexedDB", async ({ page, context }) => {
  await page.goto("/?backend=wasm&model=tiny-random");
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await expect(page.getByTestId("model-select").locator('option[value="tiny-random"]')).toBeEnabled();
  await expect(page.getByTestId("model-info")).toContainText("tiny-random");
  // The test clips are precached too, so the samples and the Compare panel are usable offline.
  await expect(page.getByTestId("sample").first()).toBeEnabled();
  await page.goto("/?backend=wasm&model=tiny-random#compare");
  await expect(page.getByTestId("compare-run")).toBeEnabled();
  await expect(page.getByTestId("error")).toBeHidden();
});
