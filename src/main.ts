// UI thread: wires the page to the worker. Everything slow happens in the worker
// or in the browser's audio threads; this file only moves data and updates the DOM.
import * as Comlink from "comlink";
import { registerSW } from "virtual:pwa-register";
import { decodeAudioFile, startMic, type MicCapture } from "./audio/mic";
import { formatBytes } from "./core/errors";
import type { Manifest } from "./core/manifest";
import type { TargetLanguage } from "./core/metrics";
import { describeModel } from "./core/model-info";
import { defaultComparePair, defaultEntry, REGISTRY_PATH, startingEntry } from "./core/registry";
import type { TestClip } from "./core/test-clips";
import type { BackendInfo, BackendName } from "./runtime/backend";
import { renderBenchmark, runBenchmark, type BenchReport } from "./ui/bench";
import {
  COMPARE_MAX_NEW_TOKENS, fetchTestClipList, loadClipAudio, renderComparison, runComparison, type ClipAudio, type CompareReport, type CompareSide,
} from "./ui/compare";
import { renderModelInfo } from "./ui/model-info";
import { CUSTOM_MODEL as CUSTOM, ModelList } from "./ui/model-list";
import { ProgressView } from "./ui/progress";
import { download, Transcript } from "./ui/transcript";
import type { WorkerApi } from "./worker";
import type { LoadProgress, LoadRequest, StreamEvent, TranslateResult } from "./worker-api";

/** Clips the benchmark translates (bundled with the app, so it runs offline). */
const BENCH_CLIPS = import.meta.glob<string>("../fixtures/tiny-random/*.wav", { query: "?url", import: "default", eager: true });


const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  model: $<HTMLSelectElement>("model-select"),
  modelNotes: $<HTMLUListElement>("model-unavailable-list"),
  modelInfo: $("model-info"),
  customUrlLabel: $<HTMLLabelElement>("custom-url-label"),
  customUrl: $<HTMLInputElement>("custom-url"),
  backend: $<HTMLSelectElement>("backend-select"),
  load: $<HTMLButtonElement>("load-button"),
  status: $("model-status"),
  backendActive: $("backend-active"),
  lang: $<HTMLSelectElement>("target-lang"),
  micStart: $<HTMLButtonElement>("mic-start"),
  micStop: $<HTMLButtonElement>("mic-stop"),
  level: $<HTMLMeterElement>("level"),
  file: $<HTMLInputElement>("file-input"),
  queue: $("queue-status"),
  partial: $("translation-partial"),
  benchRun: $<HTMLButtonElement>("bench-run"),
  benchRuns: $<HTMLInputElement>("bench-runs"),
  benchTokens: $<HTMLInputElement>("bench-tokens"),
  benchExport: $<HTMLButtonElement>("bench-export"),
  benchResults: $("bench-results"),
  compareA: $<HTMLSelectElement>("compare-a"),
  compareB: $<HTMLSelectElement>("compare-b"),
  compareLang: $<HTMLSelectElement>("compare-lang"),
  compareRun: $<HTMLButtonElement>("compare-run"),
  compareExport: $<HTMLButtonElement>("compare-export"),
  compareNote: $("compare-note"),
  compareStatus: $("compare-status"),
  compareResults: $("compare-results"),
  cached: $<HTMLUListElement>("cached-models"),
  offline: $("offline-status"),
  error: $("error"),
};

const worker = Comlink.wrap<WorkerApi>(new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "translator" }));
const transcript = new Transcript($<HTMLOListElement>("transcript"));
const progress = new ProgressView($("progress"), $<HTMLProgressElement>("progress-total"), $("progress-text"), $<HTMLUListElement>("progress-files"));
let mic: MicCapture | null = null;
let lastUtterance: Float32Array | null = null;
let benchReport: BenchReport | null = null;
let compareReport: CompareReport | null = null;
let testClips: TestClip[] = [];
let clipAudio: ClipAudio[] | null = null;
/** The worker is loading the page's model, or a comparison / benchmark is swapping models in it. */
let modelLoading = false;
let workerBusy = false;
let fileUtteranceId = 100000;
const models = new ModelList(ui.model, ui.modelNotes, (id, baseUrl) => worker.cachedManifest(id, baseUrl));

// Main-thread tasks over 50 ms (the UI must not block while translating); reported by the benchmark.
const longTasks: number[] = [];
if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
}

function showError(error: unknown): void {
  // A DOMException can arrive with only a name (e.g. QuotaExceededError).
  ui.error.textContent = error instanceof Error ? error.message || error.name : String(error);
  ui.error.hidden = false;
}
function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = "";
}

const params = new URLSearchParams(location.search);
const maxNewTokens = Number(params.get("max_new_tokens")) || undefined;
/** Backends the benchmark runs (`bench_backends=wasm` skips the slow SwiftShader WebGPU pass). */
const benchBackends = (params.get("bench_backends") ?? "webgpu,wasm").split(",").filter((b): b is BackendName => b === "webgpu" || b === "wasm");

/** `variant=q4` loads that variant on every backend instead of each backend's own (benchmarks). */
const requestedVariant = params.get("variant") || undefined;

function loadRequest(): Omit<LoadRequest, "backend"> {
  const limits = { ...(maxNewTokens ? { maxNewTokens } : {}), ...(requestedVariant ? { variant: requestedVariant } : {}) };
  if (ui.model.value === CUSTOM) {
    const base = ui.customUrl.value.trim();
    const baseUrl = base.endsWith("/") ? base : `${base}/`;
    return { modelId: new URL(baseUrl).pathname.split("/").filter(Boolean).at(-1) ?? "custom", baseUrl, ...limits };
  }
  return { modelId: ui.model.value, baseUrl: models.get(ui.model.value)?.baseUrl ?? new URL(`models/${ui.model.value}/`, document.baseURI).href, ...limits };
}

function setLoaded(ready: boolean): void {
  ui.micStart.disabled = !ready || mic !== null;
  ui.file.disabled = !ready;
  ui.benchRun.disabled = !ready;
  updateCompareControls();
}

function showModelInfo(manifest: Manifest, loadedVariant?: string): void {
  renderModelInfo(ui.modelInfo, describeModel(manifest), loadedVariant);
}

async function loadModel(): Promise<boolean> {
  modelLoading = true;
  try {
    return await loadSelectedModel();
  } finally {
    modelLoading = false;
    updateCompareControls();
  }
}

async function loadSelectedModel(): Promise<boolean> {
  clearError();
  setLoaded(false);
  if (ui.model.value !== CUSTOM) {
    // A listed model that was missing or broken is looked up again: it may be there now.
    const id = ui.model.value;
    const listed = models.isAvailable(id) ? models.get(id) : await models.recheck(id);
    const availability = listed?.availability;
    if (!availability?.available) {
      ui.status.textContent = "not loaded";
      ui.modelInfo.hidden = true;
      showError(listed && availability ? `${listed.entry.label}: ${availability.reason}` : `"${id}" is not in the model list.`);
      return false;
    }
    showModelInfo(availability.manifest);
  }
  ui.status.textContent = "loading…";
  progress.start();
  try {
    const result = await worker.load(
      { ...loadRequest(), backend: ui.backend.value as BackendName },
      Comlink.proxy((p: LoadProgress) => progress.update(p)),
    );
    const b = result.backend;
    showBackend(b);
    if (b.fallbackReason) showError(`${b.fallbackReason}. Using WASM instead.`);
    ui.status.textContent = `ready: ${result.modelId} ${result.version} (${result.variant}), loaded in ${result.loadMs.toFixed(0)} ms${result.downloadedBytes ? `, downloaded ${formatBytes(result.downloadedBytes)}` : " from the cache"}`;
    showModelInfo(result.manifest, result.variant);
    setLoaded(true);
    return true;
  } catch (error) {
    ui.status.textContent = "not loaded";
    showError(error);
    return false;
  } finally {
    progress.finish();
    void refreshCached();
  }
}

function showBackend(b: BackendInfo): void {
  ui.backendActive.textContent = `${b.name} — ${b.adapter}${b.emulated ? " (SwiftShader: CPU emulation, not a real GPU)" : ""}${b.shaderF16 ? ", shader-f16" : ""}`;
  ui.backendActive.dataset.backend = b.name;
}

function addFinal(result: TranslateResult, utteranceId: number, startedAt: number, source: "mic" | "file"): void {
  ui.partial.textContent = "";
  if (result.fallback) {
    showBackend(result.fallback.to);
    showError(result.fallback.reason);
  }
  // The language the worker used: an utterance queued before a switch keeps its language.
  transcript.add({ utteranceId, startedAt, lang: result.lang, text: result.text, ids: result.ids, backend: result.backend, source });
}

const onStreamEvent = (event: StreamEvent) => {
  switch (event.type) {
    case "speech-start":
      ui.partial.textContent = "…";
      break;
    case "partial":
      ui.partial.textContent = event.text;
      break;
    case "final":
      addFinal(event.result, event.utteranceId, event.startedAt, "mic");
      break;
    case "queued":
      ui.queue.textContent = event.pending > 0 ? `${event.pending} utterance(s) waiting for translation` : "";
      break;
    case "error":
      showError(event.message);
      break;
  }
};

async function startMicrophone(): Promise<void> {
  clearError();
  ui.micStart.disabled = true;
  try {
    await worker.startStream(ui.lang.value, Comlink.proxy(onStreamEvent));
    mic = await startMic((samples, level) => {
      ui.level.value = level;
      lastUtterance = null;
      void worker.pushAudio(Comlink.transfer(samples, [samples.buffer]));
    });
    ui.micStop.disabled = false;
  } catch (error) {
    await worker.stopStream();
    ui.micStart.disabled = false;
    showError(error);
  }
  updateCompareControls();
}

async function stopMicrophone(): Promise<void> {
  ui.micStop.disabled = true;
  await mic?.stop();
  mic = null;
  await worker.stopStream();
  ui.level.value = 0;
  ui.micStart.disabled = false;
  updateCompareControls();
}

async function translateFile(file: File): Promise<void> {
  clearError();
  try {
    const samples = await decodeAudioFile(file);
    const utterances = await worker.segment(samples);
    if (utterances.length === 0) throw new Error(`No speech found in "${file.name}".`);
    // A clip within the model's window is one utterance, translated whole; a longer
    // one goes by the VAD's utterances (split at pauses where they are still too long).
    const pieces = samples.length <= 30 * 16000 ? [samples] : utterances;
    const startedAt = Date.now();
    for (const piece of pieces) {
      lastUtterance = piece;
      const result = await worker.translate(piece, ui.lang.value, Comlink.proxy((text: string) => (ui.partial.textContent = text)));
      addFinal(result, fileUtteranceId++, startedAt, "file");
    }
  } catch (error) {
    ui.partial.textContent = "";
    showError(error);
  }
}

async function refreshCached(): Promise<void> {
  const models = await worker.listCached();
  ui.cached.replaceChildren(
    ...models.map((m) => {
      const item = document.createElement("li");
      item.dataset.testid = "cached-model";
      const remove = Object.assign(document.createElement("button"), { type: "button", textContent: "Delete" });
      remove.addEventListener("click", async () => {
        await worker.deleteCached(m.id);
        await refreshCached();
      });
      item.append(`${m.id} ${m.version}: ${formatBytes(m.storedBytes)} `, remove);
      return item;
    }),
  );
}

async function runBench(): Promise<void> {
  clearError();
  ui.benchRun.disabled = true;
  setWorkerBusy(true);
  try {
    const clips = [];
    for (const [path, url] of Object.entries(BENCH_CLIPS)) {
      clips.push({ name: path.split("/").at(-1)!, samples: await decodeAudioFile(await (await fetch(url)).blob()) });
    }
    if (lastUtterance) clips.push({ name: "last utterance", samples: lastUtterance });
    const runs = Math.max(1, Number(ui.benchRuns.value) || 3);
    const forcedTokens = Math.max(0, Math.min(256, Math.floor(Number(ui.benchTokens.value) || 0)));
    longTasks.length = 0;
    benchReport = await runBenchmark(worker, loadRequest(), clips, ui.lang.value, runs, (s) => (ui.benchResults.textContent = s), forcedTokens, benchBackends.length ? benchBackends : ["webgpu", "wasm"]);
    benchReport.mainThreadLongTasks = { count: longTasks.length, maxMs: Math.max(0, ...longTasks) };
    renderBenchmark(ui.benchResults, benchReport);
    (window as unknown as { benchReport: BenchReport }).benchReport = benchReport;
    ui.benchExport.disabled = false;
    // The benchmark leaves the model loaded on WASM; say so.
    const status = await worker.status();
    if (status) showBackend(status.backend);
  } catch (error) {
    showError(error);
  } finally {
    ui.benchRun.disabled = false;
    setWorkerBusy(false);
  }
}

// --- Compare -------------------------------------------------------------------

/** Fills the two Compare selects from the model list; keeps the user's choice while it stays usable. */
function populateCompare(): void {
  const pair = defaultComparePair(models.entries(), models.isAvailable);
  for (const [select, fallback] of [[ui.compareA, pair?.[0]], [ui.compareB, pair?.[1]]] as const) {
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
  updateCompareControls();
}

/** While a comparison or benchmark swaps models in the worker, nothing else may load one. */
function setWorkerBusy(busy: boolean): void {
  workerBusy = busy;
  ui.model.disabled = busy;
  ui.backend.disabled = busy;
  ui.load.disabled = busy;
  updateCompareControls();
}

function updateCompareControls(): void {
  const a = ui.compareA.value;
  const b = ui.compareB.value;
  const ready = models.isAvailable(a) && models.isAvailable(b) && testClips.length > 0;
  ui.compareRun.disabled = !ready || workerBusy || modelLoading || mic !== null;
  ui.compareRun.textContent = `Compare on ${testClips.length} test clips`;
  const notes: string[] = [];
  if (testClips.length === 0) notes.push("No test clips (public/test-clips/clips.json) in this build.");
  if (mic) notes.push("Stop the microphone to compare.");
  if (a && a === b) notes.push("The same model on both sides: a self-comparison, useful only to test this panel.");
  ui.compareNote.textContent = notes.join(" ");
}

async function runCompare(): Promise<void> {
  clearError();
  setLoaded(false);
  setWorkerBusy(true);
  let failure: unknown = null;
  try {
    const sides: CompareSide[] = (["a", "b"] as const).map((slot) => {
      const listed = models.get(slot === "a" ? ui.compareA.value : ui.compareB.value)!;
      return { slot, id: listed.entry.id, label: listed.entry.label, role: listed.entry.role, baseUrl: listed.baseUrl };
    });
    const langs: TargetLanguage[] = ui.compareLang.value === "both" ? ["de", "zh"] : [ui.compareLang.value as TargetLanguage];
    ui.compareStatus.textContent = "decoding the test clips…";
    clipAudio ??= await loadClipAudio(testClips);
    compareReport = await runComparison(
      worker, sides, clipAudio, langs, ui.backend.value as BackendName, maxNewTokens ?? COMPARE_MAX_NEW_TOKENS,
      (text) => (ui.compareStatus.textContent = text),
    );
    renderComparison(ui.compareResults, compareReport);
    (window as unknown as { compareReport: CompareReport }).compareReport = compareReport;
    ui.compareExport.disabled = false;
    ui.compareStatus.textContent = `done: ${compareReport.clips.length} clips × ${langs.length} language(s) × 2 models`;
  } catch (error) {
    failure = error;
    ui.compareStatus.textContent = "failed";
  } finally {
    setWorkerBusy(false);
    // The worker holds the last compared model now; go back to the one chosen above.
    await loadModel();
    if (failure) showError(failure);
  }
}

/** The model the page starts with: ?model= (a listed id, else a URL), else the registry's default when usable. */
function chooseStartingModel(): boolean {
  const requested = params.get("model");
  if (requested && models.get(requested)) {
    // Asked for by name: try it even when unavailable, so the reason is shown.
    ui.model.value = requested;
  } else if (requested && !requested.includes("/")) {
    // Neither a listed id nor a URL: say so rather than load something else.
    showError(`"${requested}" is not in the model list (${REGISTRY_PATH}) and is not a URL.`);
    return false;
  } else if (requested) {
    ui.model.value = CUSTOM;
    ui.customUrl.value = requested;
  } else {
    const start = startingEntry(models.entries(), models.isAvailable);
    if (!start) {
      ui.model.value = CUSTOM;
      ui.customUrlLabel.hidden = false;
      showError(models.loadError ?? "No bundled model is available (see the reasons under the Model list); load one from a URL.");
      return false;
    }
    ui.model.value = start.id;
    const preferred = defaultEntry(models.entries());
    if (preferred && start.id !== preferred.id) models.noteFallback(`The default model, ${preferred.label}, is unavailable; starting with ${start.label}.`);
  }
  ui.customUrlLabel.hidden = ui.model.value !== CUSTOM;
  return true;
}

async function init(): Promise<void> {
  const backend = params.get("backend");
  ui.backend.value = backend === "wasm" || backend === "webgpu" ? backend : "gpu" in navigator ? "webgpu" : "wasm";
  const lang = params.get("lang");
  if (lang === "de" || lang === "zh") ui.lang.value = lang;

  ui.model.addEventListener("change", () => {
    ui.customUrlLabel.hidden = ui.model.value !== CUSTOM;
    if (ui.model.value !== CUSTOM) void loadModel();
  });
  ui.backend.addEventListener("change", () => void loadModel());
  ui.load.addEventListener("click", () => void loadModel());
  ui.lang.addEventListener("change", () => void worker.setLanguage(ui.lang.value));
  ui.micStart.addEventListener("click", () => void startMicrophone());
  ui.micStop.addEventListener("click", () => void stopMicrophone());
  ui.file.addEventListener("change", () => {
    const file = ui.file.files?.[0];
    if (file) void translateFile(file).finally(() => (ui.file.value = ""));
  });
  $("copy-transcript").addEventListener("click", () => void navigator.clipboard.writeText(transcript.asText()));
  $("export-txt").addEventListener("click", () => download("transcript.txt", transcript.asText(), "text/plain"));
  $("export-json").addEventListener("click", () => download("transcript.json", transcript.asJson(), "application/json"));
  ui.benchRun.addEventListener("click", () => void runBench());
  ui.benchExport.addEventListener("click", () => benchReport && download("benchmark.json", JSON.stringify(benchReport, null, 2), "application/json"));
  ui.compareA.addEventListener("change", updateCompareControls);
  ui.compareB.addEventListener("change", updateCompareControls);
  ui.compareRun.addEventListener("click", () => void runCompare());
  ui.compareExport.addEventListener("click", () => compareReport && download("comparison.json", JSON.stringify(compareReport, null, 2), "application/json"));

  registerSW({
    immediate: true,
    onOfflineReady: () => (ui.offline.textContent = "ready offline"),
    onRegisteredSW: (_url, registration) => {
      if (registration?.active && navigator.serviceWorker.controller) ui.offline.textContent = "ready offline";
    },
  });

  // e2e tests reach the worker through this (e.g. to destroy the WebGPU device).
  if (params.get("testhooks") === "1") (window as unknown as { translatorWorker: typeof worker }).translatorWorker = worker;

  void refreshCached();
  models.onChange = populateCompare;
  // The clip list is small; the WAVs are decoded only when a comparison runs.
  const clipList = fetchTestClipList().then(
    (clips) => (testClips = clips),
    (error: unknown) => (ui.compareStatus.textContent = error instanceof Error ? error.message : String(error)),
  );
  await models.load();
  await clipList;
  populateCompare();
  if (!chooseStartingModel()) return;
  const ready = await loadModel();
  if (ready && params.get("autostart") === "1") void startMicrophone();
}

void init();
