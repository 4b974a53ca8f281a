// UI thread: wires the page to the worker. Everything slow happens in the worker
// or in the browser's audio threads; this file only moves data and updates the DOM.
import * as Comlink from "comlink";
import { registerSW } from "virtual:pwa-register";
import { decodeAudioFile, startMic, type MicCapture } from "./audio/mic";
import { formatBytes } from "./core/errors";
import type { BackendInfo, BackendName } from "./runtime/backend";
import { renderBenchmark, runBenchmark, type BenchReport } from "./ui/bench";
import { ProgressView } from "./ui/progress";
import { download, Transcript } from "./ui/transcript";
import type { WorkerApi } from "./worker";
import type { LoadProgress, LoadRequest, StreamEvent, TranslateResult } from "./worker-api";

/** Clips the benchmark translates (bundled with the app, so it runs offline). */
const BENCH_CLIPS = import.meta.glob<string>("../fixtures/tiny-random/*.wav", { query: "?url", import: "default", eager: true });

/** Models served with the app (public/models/<id>/). */
const BUNDLED_MODELS = [{ id: "tiny-random", label: "tiny-random (test fixture: knows two phrases)" }];
const CUSTOM = "custom";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  model: $<HTMLSelectElement>("model-select"),
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
  benchExport: $<HTMLButtonElement>("bench-export"),
  benchResults: $("bench-results"),
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
let fileUtteranceId = 100000;

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

function loadRequest(): Omit<LoadRequest, "backend"> {
  const limits = maxNewTokens ? { maxNewTokens } : {};
  if (ui.model.value === CUSTOM) {
    const base = ui.customUrl.value.trim();
    const baseUrl = base.endsWith("/") ? base : `${base}/`;
    return { modelId: new URL(baseUrl).pathname.split("/").filter(Boolean).at(-1) ?? "custom", baseUrl, ...limits };
  }
  return { modelId: ui.model.value, baseUrl: new URL(`models/${ui.model.value}/`, document.baseURI).href, ...limits };
}

function setLoaded(ready: boolean): void {
  ui.micStart.disabled = !ready || mic !== null;
  ui.file.disabled = !ready;
  ui.benchRun.disabled = !ready;
}

async function loadModel(): Promise<boolean> {
  clearError();
  setLoaded(false);
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
  transcript.add({ utteranceId, startedAt, lang: ui.lang.value, text: result.text, ids: result.ids, backend: result.backend, source });
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
}

async function stopMicrophone(): Promise<void> {
  ui.micStop.disabled = true;
  await mic?.stop();
  mic = null;
  await worker.stopStream();
  ui.level.value = 0;
  ui.micStart.disabled = false;
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
  try {
    const clips = [];
    for (const [path, url] of Object.entries(BENCH_CLIPS)) {
      clips.push({ name: path.split("/").at(-1)!, samples: await decodeAudioFile(await (await fetch(url)).blob()) });
    }
    if (lastUtterance) clips.push({ name: "last utterance", samples: lastUtterance });
    const runs = Math.max(1, Number(ui.benchRuns.value) || 3);
    longTasks.length = 0;
    benchReport = await runBenchmark(worker, loadRequest(), clips, ui.lang.value, runs, (s) => (ui.benchResults.textContent = s));
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
  }
}

function init(): void {
  for (const model of BUNDLED_MODELS) ui.model.append(new Option(model.label, model.id));
  ui.model.append(new Option("Model at a URL…", CUSTOM));
  const requested = params.get("model");
  if (requested && BUNDLED_MODELS.some((m) => m.id === requested)) ui.model.value = requested;
  else if (requested) {
    ui.model.value = CUSTOM;
    ui.customUrl.value = requested;
  }
  ui.customUrlLabel.hidden = ui.model.value !== CUSTOM;
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
  void loadModel().then((ready) => {
    if (ready && params.get("autostart") === "1") void startMicrophone();
  });
}

init();
