// The Benchmark view: the phrasebook test clips (a fixture model's own golden clips) through
// runBenchmark on each backend; a chart of WebGPU against WASM per stage, a summary with the real-time
// factor and the ratio between the backends, every clip's figures, and the report as JSON.
import type * as Comlink from "comlink";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { decodeAudioFile } from "../audio/mic";
import { summarize } from "../core/stats";
import type { TestClip } from "../core/test-clips";
import type { BackendName } from "../runtime/backend";
import type { WorkerApi } from "../worker";
import type { LoadRequest } from "../worker-api";
import { FORCED_METRIC, HIGHER_IS_BETTER, METRIC_LABELS, METRIC_NAMES, runBenchmark, STAGES, type BenchClip, type BenchReport } from "./bench";
import { byId, download, h, scrollable } from "./dom";
import { loadClipAudio } from "./test-clips";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A fixture model knows only its golden phrases: it is benchmarked on those. */
const FIXTURE_CLIPS = import.meta.glob<string>("../../fixtures/tiny-random/*.wav", { query: "?url", import: "default", eager: true });

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
