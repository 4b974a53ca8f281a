// The Compare panel: two bundled models translate every held-out test clip (public/test-clips/)
// through the same path as an uploaded file (decode the WAV to 16 kHz, the worker computes the
// features and translates), one model after the other in the one worker; then per clip the
// reference and both hypotheses, and per model load time, speed, size and corpus BLEU / chrF.
import type * as Comlink from "comlink";
import { decodeAudioFile } from "../audio/mic";
import { compareTranslation, summarizeTranslations, type CompareSummary, type CompareTranslation } from "../core/compare";
import { formatBytes } from "../core/errors";
import { filesForVariant } from "../core/manifest";
import type { TargetLanguage } from "../core/metrics";
import { parseTestClips, TEST_CLIPS_PATH, type TestClip } from "../core/test-clips";
import type { BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";

export interface CompareSide {
  slot: "a" | "b";
  id: string;
  label: string;
  role: string;
  /** Folder URL ending in "/". */
  baseUrl: string;
}

export interface ClipAudio {
  clip: TestClip;
  samples: Float32Array;
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

export async function fetchTestClipList(): Promise<TestClip[]> {
  const url = new URL(TEST_CLIPS_PATH, document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not read the test clips (${url}): HTTP ${response.status}`);
  return parseTestClips(await response.json().catch(() => Promise.reject(new Error(`Could not read the test clips: ${url} is not JSON`))));
}

export async function loadClipAudio(clips: readonly TestClip[]): Promise<ClipAudio[]> {
  return Promise.all(
    clips.map(async (clip) => {
      const url = new URL(`test-clips/${clip.file}`, document.baseURI).href;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Could not read the test clip ${url}: HTTP ${response.status}`);
      return { clip, samples: await decodeAudioFile(new File([await response.blob()], clip.file)) };
    }),
  );
}

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
    });
  }
  return { date: new Date().toISOString(), backendRequested: backend, langs: [...langs], maxNewTokens, clips: clips.map((c) => c.clip), models };
}

const cell = (tag: "td" | "th", text: string, attrs: Record<string, string> = {}) => {
  const element = Object.assign(document.createElement(tag), { textContent: text });
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  return element;
};

/** A figure with its exact value in data-value (the text is rounded). */
const figure = (metric: string, value: number, text: string) => cell("td", text, { "data-metric": metric, "data-value": String(value) });

export function renderComparison(container: HTMLElement, report: CompareReport): void {
  const summary = document.createElement("table");
  summary.dataset.testid = "compare-summary";
  const headings = ["", "model", "role", "variant", "backend", "on disk", "load ms", "encoder ms (median)", "prefill ms (median)", "decode tokens/s (median)"];
  for (const lang of report.langs) headings.push(`BLEU ${lang}`, `${lang === "de" ? "chrF++" : "chrF"} ${lang}`);
  summary.createTHead().insertRow().append(...headings.map((h) => cell("th", h)));
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
    );
    for (const lang of report.langs) {
      const scores = model.summary.scores[lang]!;
      row.append(figure(`bleu-${lang}`, scores.bleu, scores.bleu.toFixed(2)), figure(`chrf-${lang}`, scores.chrf, scores.chrf.toFixed(2)));
    }
  }

  const clips = document.createElement("table");
  clips.dataset.testid = "compare-clips";
  const [a, b] = report.models;
  clips.createTHead().insertRow().append(
    ...["English (clip)", "language", "reference", `A: ${a?.id ?? ""}`, `B: ${b?.id ?? ""}`].map((h) => cell("th", h)),
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
        cell("td", hypothesis(a), { "data-field": "hypothesis-a", lang }),
        cell("td", hypothesis(b), { "data-field": "hypothesis-b", lang }),
      );
    }
  }
  container.replaceChildren(summary, clips);
}
