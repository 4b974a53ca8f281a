// The Compare panel: two bundled models translate every held-out test clip (public/test-clips/)
// through the same path as an uploaded file (decode the WAV to 16 kHz, the worker computes the
// features and translates), one model after the other in the one worker; then per clip the
// reference and both hypotheses (each marked with its sentence chrF, wrong ones flagged), and per
// model load time, speed (forced decode too: the same number of steps on both, a fair ratio),
// size and corpus BLEU / chrF.
import type * as Comlink from "comlink";
import { compareTranslation, summarizeTranslations, type CompareSummary, type CompareTranslation } from "../core/compare";
import { formatBytes } from "../core/errors";
import { filesForVariant } from "../core/manifest";
import { corpusChrf, normalised, type TargetLanguage } from "../core/metrics";
import { defaultComparePair } from "../core/registry";
import { summarize } from "../core/stats";
import type { TestClip } from "../core/test-clips";
import type { BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";
import { byId, download, h, scrollable } from "./dom";
import type { ModelList } from "./model-list";
import { loadClipAudio, type ClipAudio } from "./test-clips";

export interface CompareSide {
  slot: "a" | "b";
  id: string;
  label: string;
  role: string;
  /** Folder URL ending in "/". */
  baseUrl: string;
}

export interface CompareModelResult {
  slot: "a" | "b";
  id: string;
  label: string;
  role: string;
  variant: string;
  backend: BackendName;
  /** Wall time of the worker's load(): manifest, files (IndexedDB or network), sessions. */
  loadMs: number;
  downloadedBytes: number;
  /** Bytes the loaded variant keeps on disk: graphs, shards, tokenizer and config files. */
  storedBytes: number;
  translations: CompareTranslation[];
  summary: CompareSummary;
  /** Decode tokens/s over FORCED_TOKENS steps with EOS ignored, median of the forced runs. */
  forcedDecodeTokensPerSecond: number;
}

export interface CompareReport {
  date: string;
  backendRequested: BackendName;
  langs: TargetLanguage[];
  maxNewTokens: number;
  clips: TestClip[];
  models: CompareModelResult[];
}

/** compress eval's generation limit: the comparison is the evaluation, run in the browser. */
export const COMPARE_MAX_NEW_TOKENS = 64;
/** Steps of the forced decodes (EOS ignored): both models decode the same number, so their rates compare. */
export const FORCED_TOKENS = 32;
const FORCED_RUNS = 3;

export async function runComparison(
  worker: Comlink.Remote<WorkerApi>,
  sides: readonly CompareSide[],
  clips: readonly ClipAudio[],
  langs: readonly TargetLanguage[],
  backend: BackendName,
  maxNewTokens: number,
  onStatus: (text: string) => void,
): Promise<CompareReport> {
  const models: CompareModelResult[] = [];
  for (const side of sides) {
    onStatus(`${side.label}: loading…`);
    const loaded = await worker.load({ modelId: side.id, baseUrl: side.baseUrl, backend, maxNewTokens });
    const missing = langs.filter((l) => !loaded.languages.includes(l));
    if (missing.length > 0) throw new Error(`${side.label} does not translate into ${missing.join(", ")}`);
    let ranOn = loaded.backend.name;
    // One translation first, not measured: the first run of fresh sessions pays for kernel
    // compilation and allocation, which would otherwise count against whichever model goes first.
    if (clips[0]) {
      onStatus(`${side.label}: warm-up`);
      await worker.translate(clips[0].samples.slice(), langs[0] ?? "de");
    }
    const forced: number[] = [];
    for (let i = 0; clips[0] && i < FORCED_RUNS; i++) {
      onStatus(`${side.label}: forced ${FORCED_TOKENS}-token decode ${i + 1}/${FORCED_RUNS}`);
      forced.push((await worker.forcedDecode(clips[0].samples.slice(), langs[0] ?? "de", FORCED_TOKENS)).timings.decodeTokensPerSecond);
    }
    const translations: CompareTranslation[] = [];
    for (const lang of langs) {
      for (const [i, { clip, samples }] of clips.entries()) {
        onStatus(`${side.label}: ${lang} clip ${i + 1}/${clips.length}`);
        const result = await worker.translate(samples.slice(), lang);
        ranOn = result.backend;
        translations.push(compareTranslation(clip.file, lang, clip[lang], result.text, result.timings));
      }
    }
    models.push({
      slot: side.slot,
      id: side.id,
      label: side.label,
      role: side.role,
      variant: loaded.variant,
      backend: ranOn,
      loadMs: loaded.loadMs,
      downloadedBytes: loaded.downloadedBytes,
      storedBytes: filesForVariant(loaded.manifest, loaded.variant).reduce((sum, f) => sum + f.bytes, 0),
      translations,
      summary: summarizeTranslations(translations),
      forcedDecodeTokensPerSecond: summarize(forced).median,
    });
  }
  return { date: new Date().toISOString(), backendRequested: backend, langs: [...langs], maxNewTokens, clips: clips.map((c) => c.clip), models };
}

const cell = (tag: "td" | "th", text: string, attrs: Record<string, string> = {}) => h(tag, attrs, text);

/** A hypothesis with its sentence chrF: right ones (the reference, case, spaces and punctuation
 * aside: what sentence accuracy counts) and clearly wrong ones (chrF under 50) are marked. */
function markedHypothesis(hypothesis: string, reference: string, field: string, lang: string): HTMLTableCellElement {
  const chrf = corpusChrf([hypothesis], [[reference]], { wordOrder: lang === "de" ? 2 : 0 });
  const exact = normalised(hypothesis) === normalised(reference);
  const mark = exact ? "exact" : chrf < 50 ? "wrong" : "close";
  return h("td", { "data-field": field, lang, "data-chrf": chrf.toFixed(2), "data-mark": mark, class: exact ? "mark-ok" : chrf < 50 ? "mark-bad" : undefined },
    hypothesis, h("br"), h("small", {}, exact ? "✓ exact" : `${mark === "wrong" ? "✗ wrong, " : ""}chrF ${chrf.toFixed(1)}`));
}

/** A figure with its exact value in data-value (the text is rounded). */
const figure = (metric: string, value: number, text: string) => cell("td", text, { "data-metric": metric, "data-value": String(value) });

export function renderComparison(container: HTMLElement, report: CompareReport): void {
  const summary = h("table", { "data-testid": "compare-summary" });
  const headings = ["", "Model", "Role", "Variant", "Backend", "On disk", "Load, ms", "Encoder, ms (median)", "Prefill, ms (median)", "Decode, tokens/s (median)", `Forced decode, tokens/s (${FORCED_TOKENS} steps)`];
  for (const lang of report.langs) headings.push(`BLEU ${lang}`, `${lang === "de" ? "chrF++" : "chrF"} ${lang}`, `Sentence accuracy ${lang}`);
  summary.createTHead().insertRow().append(...headings.map((text) => cell("th", text)));
  const summaryBody = summary.createTBody();
  for (const model of report.models) {
    const row = summaryBody.insertRow();
    row.dataset.slot = model.slot;
    row.dataset.model = model.id;
    const loadNote = model.downloadedBytes > 0 ? ` (downloaded ${formatBytes(model.downloadedBytes)})` : " (from the cache)";
    row.append(
      cell("th", model.slot.toUpperCase()),
      cell("td", model.id, { title: model.label }),
      cell("td", model.role),
      cell("td", model.variant),
      cell("td", model.backend),
      figure("stored-bytes", model.storedBytes, formatBytes(model.storedBytes)),
      figure("load-ms", model.loadMs, `${model.loadMs.toFixed(0)}${loadNote}`),
      figure("encoder-ms", model.summary.encoderMs, model.summary.encoderMs.toFixed(1)),
      figure("prefill-ms", model.summary.prefillMs, model.summary.prefillMs.toFixed(1)),
      figure("decode-tokens-per-second", model.summary.decodeTokensPerSecond, model.summary.decodeTokensPerSecond.toFixed(1)),
      figure("forced-decode-tokens-per-second", model.forcedDecodeTokensPerSecond, model.forcedDecodeTokensPerSecond.toFixed(1)),
    );
    for (const lang of report.langs) {
      const scores = model.summary.scores[lang]!;
      row.append(figure(`bleu-${lang}`, scores.bleu, scores.bleu.toFixed(2)), figure(`chrf-${lang}`, scores.chrf, scores.chrf.toFixed(2)),
        figure(`accuracy-${lang}`, scores.accuracy, `${scores.accuracy.toFixed(0)}%`));
    }
  }

  const clips = h("table", { "data-testid": "compare-clips" });
  const [a, b] = report.models;
  clips.createTHead().insertRow().append(
    ...["English (clip)", "Language", "Reference", `A: ${a?.id ?? ""}`, `B: ${b?.id ?? ""}`].map((text) => cell("th", text)),
  );
  const clipBody = clips.createTBody();
  for (const lang of report.langs) {
    for (const clip of report.clips) {
      const row = clipBody.insertRow();
      row.dataset.clip = clip.file;
      row.dataset.lang = lang;
      const hypothesis = (model: CompareModelResult | undefined) => model?.translations.find((t) => t.clip === clip.file && t.lang === lang)?.hypothesis ?? "";
      row.append(
        cell("td", clip.en, { title: `${clip.file}: ${clip.voice}, ${clip.topic}, ${clip.seconds} s` }),
        cell("td", lang),
        cell("td", clip[lang], { "data-field": "reference", lang }),
        markedHypothesis(hypothesis(a), clip[lang], "hypothesis-a", lang),
        markedHypothesis(hypothesis(b), clip[lang], "hypothesis-b", lang),
      );
    }
  }
  const ratio = a && b ? b.forcedDecodeTokensPerSecond / a.forcedDecodeTokensPerSecond : NaN;
  const line = a && b && a.id !== b.id
    ? `Forced decode: ${b.id} runs ${ratio.toFixed(2)}× the tokens/s of ${a.id} (the same ${FORCED_TOKENS} steps each).`
    : "";
  container.replaceChildren(h("p", { class: "summary-line", "data-testid": "compare-ratio" }, line), scrollable(summary), scrollable(clips));
}

/** The Compare view's controls: the two selects follow the model list; the run swaps models in the worker. */
export class CompareView {
  private clips: TestClip[] = [];
  private clipAudio: ClipAudio[] | null = null;
  private report: CompareReport | null = null;
  private busy = false;
  private micOn = false;
  private readonly a = byId<HTMLSelectElement>("compare-a");
  private readonly b = byId<HTMLSelectElement>("compare-b");
  private readonly run = byId<HTMLButtonElement>("compare-run");
  private readonly exportButton = byId<HTMLButtonElement>("compare-export");
  private readonly status = byId("compare-status");

  constructor(
    private readonly worker: Comlink.Remote<WorkerApi>,
    private readonly models: ModelList,
    private readonly backend: () => BackendName,
    private readonly maxNewTokens: number | undefined,
    /** The page's model is swapped while the comparison runs; `false` reloads it. */
    private readonly setBusy: (busy: boolean) => Promise<void> | void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.a.addEventListener("change", () => this.update(this.micOn));
    this.b.addEventListener("change", () => this.update(this.micOn));
    this.run.addEventListener("click", () => void this.start());
    this.exportButton.addEventListener("click", () => this.report && download("comparison.json", JSON.stringify(this.report, null, 2), "application/json"));
  }

  setClips(clips: TestClip[]): void {
    this.clips = clips;
    this.populate();
  }

  setBusyFlag(busy: boolean): void {
    this.busy = busy;
    this.update(this.micOn);
  }

  /** Fills the two selects from the model list; keeps the visitor's choice while it stays usable. */
  populate(): void {
    const models = this.models;
    const pair = defaultComparePair(models.entries(), models.isAvailable);
    for (const [select, fallback] of [[this.a, pair?.[0]], [this.b, pair?.[1]]] as const) {
      const previous = select.value;
      select.replaceChildren(
        ...models.entries().map((e) => {
          const option = new Option(models.isAvailable(e.id) ? `${e.label} [${e.role}]` : `${e.label} (unavailable)`, e.id);
          option.disabled = !models.isAvailable(e.id);
          return option;
        }),
      );
      select.value = previous && models.isAvailable(previous) ? previous : (fallback?.id ?? "");
    }
    this.update(this.micOn);
  }

  update(micOn: boolean): void {
    this.micOn = micOn;
    const ready = this.models.isAvailable(this.a.value) && this.models.isAvailable(this.b.value) && this.clips.length > 0;
    this.run.disabled = !ready || this.busy || micOn;
    this.run.textContent = `Compare on ${this.clips.length} test clips`;
    const notes: string[] = [];
    if (this.clips.length === 0) notes.push("No test clips (public/test-clips/clips.json) in this build.");
    if (micOn) notes.push("Stop the microphone to compare.");
    if (this.a.value && this.a.value === this.b.value) notes.push("The same model on both sides: a self-comparison, useful only to test this panel.");
    byId("compare-note").textContent = notes.join(" ");
  }

  private async start(): Promise<void> {
    await this.setBusy(true);
    let failure: unknown = null;
    try {
      const sides: CompareSide[] = (["a", "b"] as const).map((slot) => {
        const listed = this.models.get(slot === "a" ? this.a.value : this.b.value)!;
        return { slot, id: listed.entry.id, label: listed.entry.label, role: listed.entry.role, baseUrl: listed.baseUrl };
      });
      const choice = byId<HTMLSelectElement>("compare-lang").value;
      const langs: TargetLanguage[] = choice === "both" ? ["de", "zh"] : [choice as TargetLanguage];
      this.status.textContent = "decoding the test clips…";
      this.clipAudio ??= await loadClipAudio(this.clips);
      const report = await runComparison(this.worker, sides, this.clipAudio, langs, this.backend(), this.maxNewTokens ?? COMPARE_MAX_NEW_TOKENS, (text) => (this.status.textContent = text));
      renderComparison(byId("compare-results"), report);
      this.report = report;
      (window as unknown as { compareReport: CompareReport }).compareReport = report;
      this.exportButton.disabled = false;
      this.status.textContent = `done: ${report.clips.length} clips × ${langs.length} language(s) × 2 models`;
    } catch (error) {
      failure = error;
      this.status.textContent = "failed";
    } finally {
      // The worker holds the last compared model now; go back to the page's own.
      await this.setBusy(false);
      if (failure) this.onError(failure);
    }
  }
}
