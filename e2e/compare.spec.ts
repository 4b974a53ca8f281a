// The Compare view on the held-out test clips: every clip gets a hypothesis from the student and
// the teacher (public/models/index.json lists both), each marked with its sentence chrF; the speed
// and size figures are numbers, and the BLEU / chrF shown are what src/core/metrics.ts (checked
// against sacreBLEU in vitest) computes from the hypotheses and references shown.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { corpusChrf, normalised, scoreTranslations } from "../src/core/metrics";
import { parseRegistry } from "../src/core/registry";
import { parseTestClips, type TargetLanguage } from "../src/core/test-clips";

const registry = parseRegistry(JSON.parse(readFileSync("public/models/index.json", "utf8")));
const clips = parseTestClips(JSON.parse(readFileSync("public/test-clips/clips.json", "utf8")));
const modelA = registry.find((e) => e.role === "student")!;
const modelB = registry.find((e) => e.role === "teacher")!;
const LANGS: TargetLanguage[] = ["de", "zh"];

test(`compare ${modelA.id} with ${modelB.id} on the ${clips.length} test clips`, async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto("/?backend=wasm&lang=de#compare");
  await expect(page.getByTestId("model-status")).toContainText("ready");

  // The view's default pair: student vs teacher.
  await expect(page.getByTestId("compare-a")).toHaveValue(modelA.id);
  await expect(page.getByTestId("compare-b")).toHaveValue(modelB.id);
  await page.getByTestId("compare-lang").selectOption("both");
  const run = page.getByTestId("compare-run");
  await expect(run).toHaveText(`Compare on ${clips.length} test clips`);
  await run.click();
  await expect(page.getByTestId("compare-status")).toContainText("done", { timeout: 560_000 });
  // Afterwards the page's own model is loaded again.
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("error")).toBeHidden();

  // Per clip and language: the reference from clips.json and a hypothesis from each model.
  const rows = await page.getByTestId("compare-clips").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      clip: (tr as HTMLElement).dataset.clip!,
      lang: (tr as HTMLElement).dataset.lang!,
      reference: tr.querySelector('[data-field="reference"]')!.textContent!,
      // The hypothesis is the cell's first text node; its chrF mark follows in <small>.
      a: tr.querySelector('[data-field="hypothesis-a"]')!.firstChild!.textContent!,
      b: tr.querySelector('[data-field="hypothesis-b"]')!.firstChild!.textContent!,
      chrfA: Number(tr.querySelector('[data-field="hypothesis-a"]')!.getAttribute("data-chrf")),
      markA: tr.querySelector('[data-field="hypothesis-a"]')!.getAttribute("data-mark"),
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
  // Each hypothesis carries its sentence chrF; wrong ones (chrF under 50) are flagged.
  for (const row of rows) {
    const chrf = corpusChrf([row.a], [[row.reference]], { wordOrder: row.lang === "de" ? 2 : 0 });
    expect(row.chrfA).toBeCloseTo(chrf, 2);
    expect(row.markA).toBe(normalised(row.a) === normalised(row.reference) ? "exact" : chrf < 50 ? "wrong" : "close");
  }

  // Per model: numeric speed and size figures, and the scores metrics.ts gives for the rows shown.
  for (const [slot, model] of [["a", modelA], ["b", modelB]] as const) {
    const summary = page.getByTestId("compare-summary").locator(`tr[data-slot="${slot}"]`);
    await expect(summary).toHaveAttribute("data-model", model.id);
    const shown = async (metric: string) => (await summary.locator(`[data-metric="${metric}"]`).textContent())!;
    const number = async (metric: string) => Number((await shown(metric)).match(/^[\d.]+/)?.[0]);
    for (const metric of ["load-ms", "encoder-ms", "prefill-ms", "decode-tokens-per-second", "forced-decode-tokens-per-second"]) {
      expect(await number(metric), metric).toBeGreaterThan(0);
    }
    expect(await shown("stored-bytes")).toMatch(/^\d+(\.\d)? (KiB|MiB|GiB)$/);
    for (const lang of LANGS) {
      const ofLang = rows.filter((r) => r.lang === lang);
      const expected = scoreTranslations(ofLang.map((r) => r[slot]), ofLang.map((r) => r.reference), lang);
      expect(await shown(`bleu-${lang}`), `BLEU ${lang} of ${slot}`).toBe(expected.bleu.toFixed(2));
      expect(await shown(`chrf-${lang}`), `chrF ${lang} of ${slot}`).toBe(expected.chrf.toFixed(2));
      expect(await shown(`accuracy-${lang}`), `sentence accuracy ${lang} of ${slot}`).toBe(`${expected.accuracy.toFixed(0)}%`);
    }
  }
  // The forced-decode ratio (same number of steps on both models) is stated.
  await expect(page.getByTestId("compare-ratio")).toContainText(`${modelB.id} runs`);
});
