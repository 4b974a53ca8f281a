// Benchmark view: each backend loads the model from IndexedDB, warms up, then translates each
// clip N times (the phrasebook test clips; a fixture model's own golden clips). Reports
// median/min/max per stage, a chart of WebGPU against WASM, the real-time factor and the ratio
// between the backends, and exports the report as JSON.
import type * as Comlink from "comlink";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { decodeAudioFile } from "../audio/mic";
import { summarize, type Summary } from "../core/stats";
import type { TestClip } from "../core/test-clips";
import type { BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";
import type { LoadRequest, TranslateResult } from "../worker-api";
import { loadClipAudio } from "./test-clips";
import { byId, download, h, scrollable } from "./dom";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A fixture model knows only its golden phrases: it is benchmarked on those. */
const FIXTURE_CLIPS = import.meta.glob<string>("../../fixtures/tiny-random/*.wav", { query: "?url", import: "default", eager: true });

export interface BenchClip {
  name: string;
  samples: Float32Array;
}

export interface BenchReport {
  date: string;
  userAgent: string;
  crossOriginIsolated: boolean;
  model: string;
  lang: string;
  runs: number;
  /** Decode steps of each forced run (EOS ignored): the steady decode rate, comparable across models. */
  forcedTokens: number;
  /** Main-thread tasks over 50 ms while the benchmark ran. */
  mainThreadLongTasks?: { count: number; maxMs: number };
  backends: Array<{
    requested: BackendName;
    backend: BackendName;
    /** The manifest variant this backend ran (e.g. q4 on WebGPU, q4dq on WASM). */
    variant: string;
    adapter: string;
    emulated: boolean;
    fallbackReason?: string;
    loadMs: number;
    clips: Array<{
      clip: string;
      audioSeconds: number;
      text: string;
      ids: number[];
      metrics: Record<string, Summary>;
      /** Each forced run's decode tokens/s (summarised in metrics; kept so rounds can be pooled). */
      forcedDecodeRates: number[];
    }>;
  }>;
}

const METRICS: Array<[string, (r: TranslateResult) => number]> = [
  ["featuresMs", (r) => r.timings.featuresMs],
  ["encoderMs", (r) => r.timings.encoderMs],
  ["prefillMs", (r) => r.timings.prefillMs],
  ["firstTokenMs", (r) => r.timings.firstTokenMs],
  ["decodeTokensPerSecond", (r) => r.timings.decodeTokensPerSecond],
  ["totalMs", (r) => r.timings.totalMs],
  ["realTimeFactor", (r) => r.timings.realTimeFactor],
];
/** From the forced runs: decode tokens/s over the same number of steps for every model. */
export const FORCED_METRIC = "forcedDecodeTokensPerSecond";
const METRIC_NAMES = [...METRICS.map(([name]) => name), FORCED_METRIC];
/** Column headings people read (the JSON keeps the names above). */
const METRIC_LABELS: Record<string, string> = {
  featuresMs: "Features, ms",
  encoderMs: "Audio encoder, ms",
  prefillMs: "Prefill, ms",
  firstTokenMs: "First token, ms",
  decodeTokensPerSecond: "Decode, tokens/s",
  totalMs: "End to end, ms",
  realTimeFactor: "Real-time factor",
  [FORCED_METRIC]: "Forced decode, tokens/s",
};
/** Stages of one translation, in order, for the chart. */
const STAGES = ["featuresMs", "encoderMs", "prefillMs", "firstTokenMs", "totalMs"] as const;
const HIGHER_IS_BETTER = new Set(["decodeTokensPerSecond", FORCED_METRIC]);
export const FORCED_WARMUPS = 3;

export async function runBenchmark(
  worker: Comlink.Remote<WorkerApi>,
  request: Omit<LoadRequest, "backend">,
  clips: BenchClip[],
  lang: string,
  runs: number,
  onStatus: (text: string) => void,
  forcedTokens = 32,
  backends: readonly BackendName[] = ["webgpu", "wasm"],
): Promise<BenchReport> {
  const report: BenchReport = {
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    model: request.modelId,
    lang,
    runs,
    forcedTokens,
    backends: [],
  };
  for (const requested of backends) {
    onStatus(`loading on ${requested}…`);
    const loaded = await worker.load({ ...request, backend: requested });
    const entry: BenchReport["backends"][number] = {
      requested,
      backend: loaded.backend.name,
      variant: loaded.variant,
      adapter: loaded.backend.adapter,
      emulated: loaded.backend.emulated,
      ...(loaded.backend.fallbackReason ? { fallbackReason: loaded.backend.fallbackReason } : {}),
      loadMs: loaded.loadMs,
      clips: [],
    };
    for (const clip of clips) {
      // Warm-up: one translation, then the forced runs' own (a forced run holds a longer KV cache
      // than any translation, and the first few pay for growing WASM memory and onnxruntime's arena:
      // measured on WASM, the student's 1st and 2nd forced runs at 15 and 11 ms per step, then 4–5 ms).
      onStatus(`${requested}: ${clip.name} (warm-up)`);
      await worker.translate(clip.samples.slice(), lang);
      for (let i = 0; i < FORCED_WARMUPS && forcedTokens > 0; i++) await worker.forcedDecode(clip.samples.slice(), lang, forcedTokens);
      const results: TranslateResult[] = [];
      for (let i = 0; i < runs; i++) {
        onStatus(`${requested}: ${clip.name} run ${i + 1}/${runs}`);
        results.push(await worker.translate(clip.samples.slice(), lang));
      }
      const forced: number[] = [];
      for (let i = 0; i < runs && forcedTokens > 0; i++) {
        onStatus(`${requested}: ${clip.name} forced ${forcedTokens}-token decode ${i + 1}/${runs}`);
        forced.push((await worker.forcedDecode(clip.samples.slice(), lang, forcedTokens)).timings.decodeTokensPerSecond);
      }
      entry.clips.push({
        clip: clip.name,
        audioSeconds: results[0]!.audioSeconds,
        text: results[0]!.text,
        ids: results[0]!.ids,
        forcedDecodeRates: forced,
        metrics: {
          ...Object.fromEntries(METRICS.map(([name, pick]) => [name, summarize(results.map(pick))])),
          [FORCED_METRIC]: summarize(forced),
        },
      });
    }
    report.backends.push(entry);
  }
  return report;
}

/** One backend's figure for a metric: the median over clips of each clip's median. */
function backendFigure(backend: BenchReport["backends"][number], metric: string): number {
  return summarize(backend.clips.map((c) => c.metrics[metric]?.median ?? NaN).filter(Number.isFinite)).median;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "—");
const backendLabel = (b: BenchReport["backends"][number]) => `${b.backend === "webgpu" ? "WebGPU" : "WASM"} (${b.variant})`;

/** "WASM is 12.3× faster than WebGPU end to end": the backends compared on the end-to-end median. */
export function benchSummary(report: BenchReport): string {
  const rates = report.backends.map((b) => ({ b, total: backendFigure(b, "totalMs"), rtf: backendFigure(b, "realTimeFactor") }));
  const rtf = rates.map(({ b, rtf }) => `${backendLabel(b)} ${fixed(rtf, 3)} (${fixed(1 / rtf, 0)}× faster than real time)`).join("; ");
  if (rates.length < 2) return `Real-time factor: ${rtf}.`;
  const [fast, slow] = [...rates].sort((x, y) => x.total - y.total);
  return `${backendLabel(fast!.b)} is ${fixed(slow!.total / fast!.total, 1)}× faster than ${backendLabel(slow!.b)} end to end on this device (median ${fixed(fast!.total, 0)} ms against ${fixed(slow!.total, 0)} ms). Real-time factor: ${rtf}.`;
}

export function renderBenchmark(container: HTMLElement, report: BenchReport): Chart {
  const [first, second] = report.backends;
  // The summary: one row per metric, one column per backend, and their ratio.
  const summary = h("table", { "data-testid": "bench-summary" });
  summary.createTHead().insertRow().append(
    h("th", { scope: "col" }, "Median over clips"),
    ...report.backends.map((b) => h("th", { scope: "col" }, `${backendLabel(b)}${b.emulated ? ", SwiftShader: CPU emulation" : ""}`)),
    ...(second ? [h("th", { scope: "col" }, `${first!.backend === "webgpu" ? "WebGPU" : "WASM"} ÷ ${second.backend === "webgpu" ? "WebGPU" : "WASM"}`)] : []),
  );
  const summaryBody = summary.createTBody();
  for (const metric of ["loadMs", ...METRIC_NAMES]) {
    const values = report.backends.map((b) => (metric === "loadMs" ? b.loadMs : backendFigure(b, metric)));
    const row = summaryBody.insertRow();
    row.dataset.metric = metric;
    const label = metric === "loadMs" ? "Load from storage, ms" : metric === FORCED_METRIC ? `${METRIC_LABELS[metric]} (${report.forcedTokens} tokens)` : METRIC_LABELS[metric]!;
    row.append(h("th", { scope: "row" }, label), ...values.map((v) => h("td", { "data-value": String(v) }, fixed(v, metric === "realTimeFactor" ? 3 : 1))));
    if (values.length === 2) {
      const ratio = values[0]! / values[1]!;
      row.append(h("td", { "data-ratio": String(ratio), title: HIGHER_IS_BETTER.has(metric) ? "higher is faster" : "lower is faster" }, `${fixed(ratio, 2)}×`));
    }
  }

  // Per clip and backend: every metric as median [min–max].
  const table = h("table", { "data-testid": "bench-clips" });
  table.createTHead().insertRow().append(...["Backend", "Adapter", "Clip", "Load, ms", ...METRIC_NAMES.map((m) => `${METRIC_LABELS[m]} (median [min–max])`)].map((t) => h("th", { scope: "col" }, t)));
  const body = table.createTBody();
  for (const backend of report.backends) {
    for (const clip of backend.clips) {
      const row = body.insertRow();
      row.dataset.backend = backend.backend;
      const adapter = backend.adapter + (backend.emulated ? " (SwiftShader: CPU emulation of a GPU)" : "");
      const cells = [backendLabel(backend), adapter, clip.clip, backend.loadMs.toFixed(0)];
      for (const name of METRIC_NAMES) {
        const s = clip.metrics[name]!;
        cells.push(s.n > 0 ? `${s.median.toFixed(2)} [${s.min.toFixed(2)}–${s.max.toFixed(2)}]` : "—");
      }
      row.append(...cells.map((c) => h("td", {}, c)));
    }
  }

  const canvas = h("canvas", { role: "img", "aria-label": `Bar chart: milliseconds per stage on each backend. ${benchSummary(report)}` });
  container.replaceChildren(
    h("p", { class: "summary-line", "data-testid": "bench-summary-line" }, benchSummary(report)),
    h("div", { class: "chart" }, canvas),
    scrollable(summary),
    h("details", {}, h("summary", {}, "Every clip"), scrollable(table)),
  );
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: STAGES.map((m) => METRIC_LABELS[m]!.replace(", ms", "")),
      datasets: report.backends.map((b, i) => ({ label: backendLabel(b), data: STAGES.map((m) => backendFigure(b, m)), backgroundColor: i === 0 ? "#1d4ed8" : "#b45309" })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { title: { display: true, text: "ms (median)" }, beginAtZero: true } } },
  });
}

/** The Benchmark view's controls. */
export class BenchView {
  private report: BenchReport | null = null;
  private chart: Chart | null = null;
  private readonly run = byId<HTMLButtonElement>("bench-run");
  private readonly exportButton = byId<HTMLButtonElement>("bench-export");
  private readonly status = byId("bench-status");
  private readonly results = byId("bench-results");
  private readonly longTasks: number[] = [];
  private clips: readonly TestClip[] = [];
  private ready = false;
  private running = false;

  constructor(
    private readonly worker: Comlink.Remote<WorkerApi>,
    private readonly request: () => Omit<LoadRequest, "backend">,
    private readonly lang: () => string,
    /** The page's model is swapped while the benchmark runs; `false` reloads it. */
    private readonly setBusy: (busy: boolean) => Promise<void> | void,
    private readonly onError: (error: unknown) => void,
    /** Backends to run (`bench_backends=wasm` skips the slow SwiftShader WebGPU pass). */
    private readonly backends: BackendName[],
    /** True for a fixture model (benchmarked on its golden clips). */
    private readonly isFixture: () => boolean,
  ) {
    // Main-thread tasks over 50 ms (the UI must not block while translating); reported by the benchmark.
    if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
      new PerformanceObserver((list) => this.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
    }
    this.run.addEventListener("click", () => void this.start());
    this.exportButton.addEventListener("click", () => this.report && download("benchmark.json", JSON.stringify(this.report, null, 2), "application/json"));
  }

  setClips(clips: readonly TestClip[]): void {
    this.clips = clips;
  }

  setReady(ready: boolean): void {
    this.ready = ready;
    this.run.disabled = !ready || this.running;
  }

  private async benchClips(): Promise<BenchClip[]> {
    if (this.isFixture()) {
      const clips = [];
      for (const [path, url] of Object.entries(FIXTURE_CLIPS)) clips.push({ name: path.split("/").at(-1)!, samples: await decodeAudioFile(await (await fetch(url)).blob()) });
      return clips;
    }
    return (await loadClipAudio(this.clips.slice(0, 3))).map(({ clip, samples }) => ({ name: clip.file, samples }));
  }

  private async start(): Promise<void> {
    this.running = true;
    this.run.disabled = true;
    await this.setBusy(true);
    try {
      const runs = Math.max(1, Number(byId<HTMLInputElement>("bench-runs").value) || 3);
      const forcedTokens = Math.max(0, Math.min(256, Math.floor(Number(byId<HTMLInputElement>("bench-tokens").value) || 0)));
      const clips = await this.benchClips();
      this.longTasks.length = 0;
      const report = await runBenchmark(this.worker, this.request(), clips, this.lang(), runs, (s) => (this.status.textContent = s), forcedTokens, this.backends);
      report.mainThreadLongTasks = { count: this.longTasks.length, maxMs: Math.max(0, ...this.longTasks) };
      this.chart?.destroy();
      this.chart = renderBenchmark(this.results, report);
      this.report = report;
      (window as unknown as { benchReport: BenchReport }).benchReport = report;
      this.exportButton.disabled = false;
      this.status.textContent = `Done: ${clips.length} clip${clips.length === 1 ? "" : "s"} × ${report.backends.length} backend${report.backends.length === 1 ? "" : "s"}.`;
    } catch (error) {
      this.status.textContent = "The benchmark failed.";
      this.onError(error);
    } finally {
      this.running = false;
      // The benchmark leaves the model on its last backend: load the page's own choice again.
      await this.setBusy(false);
      this.run.disabled = !this.ready;
    }
  }
}
