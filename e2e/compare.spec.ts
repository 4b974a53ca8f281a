// The Compare panel on the held-out test clips: every clip gets a hypothesis from both models,
// the speed and size figures are numbers, and the BLEU / chrF shown are what src/core/metrics.ts
// (checked against sacreBLEU in vitest) computes from the hypotheses and references shown.
// Uses the student and the teacher when public/models/index.json lists them; until then the
// fixture model twice (a self-comparison, which is what the panel offers with one model).
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { scoreTranslations } from "../src/core/metrics";
import { parseRegistry } from "../src/core/registry";
import { parseTestClips, type TargetLanguage } from "../src/core/test-clips";

const registry = parseRegistry(JSON.parse(readFileSync("public/models/index.json", "utf8")));
const clips = parseTestClips(JSON.parse(readFileSync("public/test-clips/clips.json", "utf8")));
const student = registry.find((e) => e.role === "student");
const teacher = registry.find((e) => e.role === "teacher");
const fixture = registry.find((e) => e.role === "fixture") ?? registry[0]!;
const realModels = student !== undefined && teacher !== undefined;
const [modelA, modelB] = realModels ? [student, teacher] : [fixture, fixture];
const LANGS: TargetLanguage[] = ["de", "zh"];

test(`compare ${modelA.id} with ${modelB.id} on the ${clips.length} test clips`, async ({ page }) => {
  // Real models generate up to compress eval's 64 tokens; the fixture's random text is cut at 16.
  test.setTimeout(realModels ? 600_000 : 240_000);
  await page.goto(`/?backend=wasm&lang=de${realModels ? "" : "&max_new_tokens=16"}`);
  await expect(page.getByTestId("model-status")).toContainText("ready");

  // The panel's default pair: student vs teacher when both are listed, else the one model twice.
  await expect(page.getByTestId("compare-a")).toHaveValue(modelA.id);
  await expect(page.getByTestId("compare-b")).toHaveValue(modelB.id);
  if (!realModels) await expect(page.getByTestId("compare-note")).toContainText("self-comparison");
  await page.getByTestId("compare-lang").selectOption("both");
  const run = page.getByTestId("compare-run");
  await expect(run).toHaveText(`Compare on ${clips.length} test clips`);
  await run.click();
  await expect(page.getByTestId("compare-status")).toContainText("done", { timeout: realModels ? 560_000 : 200_000 });
  // Afterwards the page's own model is loaded again.
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("error")).toBeHidden();

  // Per clip and language: the reference from clips.json and a hypothesis from each model.
  const rows = await page.getByTestId("compare-clips").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      clip: (tr as HTMLElement).dataset.clip!,
      lang: (tr as HTMLElement).dataset.lang!,
      reference: tr.querySelector('[data-field="reference"]')!.textContent!,
      a: tr.querySelector('[data-field="hypothesis-a"]')!.textContent!,
      b: tr.querySelector('[data-field="hypothesis-b"]')!.textContent!,
    })),
  );
  expect(rows).toHaveLength(clips.length * LANGS.length);
  for (const lang of LANGS) {
    for (const clip of clips) {
      const row = rows.find((r) => r.clip === clip.file && r.lang === lang);
      expect(row, `${clip.file} ${lang}`).toBeDefined();
      expect(row!.reference).toBe(clip[lang]);
      expect(row!.a.length, `hypothesis A for ${clip.file} ${lang}`).toBeGreaterThan(0);
      expect(row!.b.length, `hypothesis B for ${clip.file} ${lang}`).toBeGreaterThan(0);
    }
  }
  if (modelA.id === modelB.id) expect(rows.map((r) => r.b)).toEqual(rows.map((r) => r.a)); // greedy decoding is deterministic

  // Per model: numeric speed and size figures, and the scores metrics.ts gives for the rows shown.
  for (const [slot, model] of [["a", modelA], ["b", modelB]] as const) {
    const summary = page.getByTestId("compare-summary").locator(`tr[data-slot="${slot}"]`);
    await expect(summary).toHaveAttribute("data-model", model.id);
    const shown = async (metric: string) => (await summary.locator(`[data-metric="${metric}"]`).textContent())!;
    const number = async (metric: string) => Number((await shown(metric)).match(/^[\d.]+/)?.[0]);
    for (const metric of ["load-ms", "encoder-ms", "prefill-ms", "decode-tokens-per-second"]) {
      expect(await number(metric), metric).toBeGreaterThan(0);
    }
    expect(await shown("stored-bytes")).toMatch(/^\d+(\.\d)? (KiB|MiB|GiB)$/);
    for (const lang of LANGS) {
      const ofLang = rows.filter((r) => r.lang === lang);
      const expected = scoreTranslations(ofLang.map((r) => r[slot]), ofLang.map((r) => r.reference), lang);
      expect(await shown(`bleu-${lang}`), `BLEU ${lang} of ${slot}`).toBe(expected.bleu.toFixed(2));
      expect(await shown(`chrf-${lang}`), `chrF ${lang} of ${slot}`).toBe(expected.chrf.toFixed(2));
    }
  }
});
