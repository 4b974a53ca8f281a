// UI thread: wires the page to the worker. Everything slow happens in the worker or in the
// browser's audio threads; this file moves data, and each view lives in its own ui/ module.
import "./zod-config";
import * as Comlink from "comlink";
import vocabulary from "../docs/vocabulary.md?raw";
import { decodeAudioFile, startMic, type MicCapture } from "./audio/mic";
import { parsePreference, type BackendPreference } from "./core/backend-choice";
import { formatBytes } from "./core/errors";
import type { Manifest } from "./core/manifest";
import { describeModel } from "./core/model-info";
import { coverageSentence, parsePhrasebookTopics } from "./core/phrasebook";
import { defaultEntry, REGISTRY_PATH, startingEntry } from "./core/registry";
import type { TestClip } from "./core/test-clips";
import type { BackendInfo, BackendName } from "./runtime/backend";
import { resolveAuto, storedPreference, storePreference } from "./ui/backend-auto";
import { BenchView } from "./ui/bench-view";
import { CompareView } from "./ui/compare";
import { byId, download } from "./ui/dom";
import { ErrorView, isInterruptedDownload } from "./ui/errors";
import { playInto, renderExamples, renderSamples } from "./ui/examples";
import { renderModelInfo } from "./ui/model-info";
import { CUSTOM_MODEL as CUSTOM, ModelList } from "./ui/model-list";
import { ProgressView } from "./ui/progress";
import { persistenceText, renderCachedModels, usageText } from "./ui/storage";
import { Transcript } from "./ui/transcript";
import { fetchTestClipList, loadClipAudio } from "./ui/test-clips";
import { keepForOffline, startServiceWorker } from "./ui/update";
import { ORT_BINARIES } from "./runtime/ort-binaries";
import type { OrtBuild } from "./core/backend-choice";
import { startViews } from "./ui/views";
import type { WorkerApi } from "./worker";
import type { LoadProgress, LoadRequest, LoadResult, StreamEvent } from "./worker-api";

const ui = {
  model: byId<HTMLSelectElement>("model-select"),
  modelNotes: byId<HTMLUListElement>("model-unavailable-list"),
  modelInfo: byId("model-info"),
  customUrlLabel: byId("custom-url-label"),
  customUrl: byId<HTMLInputElement>("custom-url"),
  backend: byId<HTMLSelectElement>("backend-select"),
  backendReason: byId("backend-reason"),
  load: byId<HTMLButtonElement>("load-button"),
  status: byId("model-status"),
  backendActive: byId("backend-active"),
  variantQuestion: byId("variant-question"),
  mic: byId<HTMLButtonElement>("mic-button"),
  micLabel: byId("mic-label"),
  level: byId<HTMLMeterElement>("level"),
  file: byId<HTMLInputElement>("file-input"),
  appStatus: byId("app-status"),
  partial: byId("translation-partial"),
  cancelPending: byId<HTMLButtonElement>("cancel-pending"),
  copy: byId<HTMLButtonElement>("copy-transcript"),
  cached: byId<HTMLUListElement>("cached-models"),
  offline: byId("offline-status"),
};

const params = new URLSearchParams(location.search);
const maxNewTokens = Number(params.get("max_new_tokens")) || undefined;
/** `variant=q4` loads that variant on every backend instead of each backend's own (benchmarks). */
const requestedVariant = params.get("variant") || undefined;
/** `speculate=0`: translate each utterance only once the VAD has ended it (the latency benchmark's baseline). */
const streamOptions = { speculate: params.get("speculate") !== "0" };
const urlBackend = parsePreference(params.get("backend"));

const worker = Comlink.wrap<WorkerApi>(new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "translator" }));
const errors = new ErrorView(byId("error"));
const topics = parsePhrasebookTopics(vocabulary);
const transcript = new Transcript(byId<HTMLOListElement>("transcript"), byId("transcript-empty"), coverageSentence(topics), (id) => void worker.cancel(id));
const progress = new ProgressView(byId("progress"), byId<HTMLProgressElement>("progress-total"), byId("progress-text"), byId<HTMLUListElement>("progress-files"));
const models = new ModelList(ui.model, ui.modelNotes, (id, baseUrl) => worker.cachedManifest(id, baseUrl), params.get("model") !== null || params.get("dev") === "1");
let testClips: TestClip[] = [];
let mic: MicCapture | null = null;
let micBusy = false;
let micClosing = false;
let samplePlaying = false;
let loaded: LoadResult | null = null;
let shellCached = false;
/** onnxruntime-web builds the service worker keeps: the WASM-only one is precached, a WebGPU one is
 * asked for once a model runs on it (the first visit's worker fetched it past the service worker). */
const buildsCached = new Set<OrtBuild>(["wasm"]);
const ORT_BUILD_NAMES: Record<OrtBuild, string> = { wasm: "WASM-only", jspi: "JSPI", asyncify: "Asyncify" };
/** A load, a benchmark or a comparison is using the worker's model slot. */
let modelBusy = false;

/** Benchmark and Compare swap models in the worker; afterwards the page's own model is loaded again,
 * so the Backend control and the status say what runs. */
async function lendModelSlot(busy: boolean): Promise<void> {
  if (!busy) {
    await loadModel();
    return;
  }
  setModelBusy(true);
  loaded = null;
  setReady(false);
}
/** Backends the benchmark runs (`bench_backends=wasm` skips the slow SwiftShader WebGPU pass). */
const benchBackends = (params.get("bench_backends") ?? "webgpu,wasm").split(",").filter((b): b is BackendName => b === "webgpu" || b === "wasm");
const bench = new BenchView(worker, () => loadRequest(), () => lang(), lendModelSlot, (error) => errors.show(error, "bench"),
  benchBackends.length ? benchBackends : ["webgpu", "wasm"], () => models.get(ui.model.value)?.entry.role === "fixture");
const compare = new CompareView(worker, models, () => effectiveBackend(), maxNewTokens, lendModelSlot, (error) => errors.show(error, "compare"));

const lang = (): "de" | "zh" => (document.querySelector<HTMLInputElement>('input[name="target-lang"]:checked')?.value === "zh" ? "zh" : "de");
const setStatus = (text: string) => (ui.appStatus.textContent = text);

function loadRequest(): Omit<LoadRequest, "backend"> {
  const limits = { ...(maxNewTokens ? { maxNewTokens } : {}), ...(requestedVariant ? { variant: requestedVariant } : {}) };
  if (ui.model.value === CUSTOM) {
    const base = ui.customUrl.value.trim();
    const baseUrl = base.endsWith("/") ? base : `${base}/`;
    return { modelId: new URL(baseUrl).pathname.split("/").filter(Boolean).at(-1) ?? "custom", baseUrl, ...limits };
  }
  return { modelId: ui.model.value, baseUrl: models.get(ui.model.value)?.baseUrl ?? new URL(`models/${ui.model.value}/`, document.baseURI).href, ...limits };
}

/** The backend the page's model runs on: Auto's last decision, else the explicit choice. */
let autoBackend: BackendName = "wasm";
const effectiveBackend = (): BackendName => (ui.backend.value === "auto" ? autoBackend : (ui.backend.value as BackendName));

function setReady(ready: boolean): void {
  ui.mic.disabled = !ready && mic === null;
  ui.file.disabled = !ready;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-testid="sample"]')) button.disabled = !ready || samplePlaying || mic !== null;
  bench.setReady(ready && !modelBusy);
  compare.update(mic !== null);
  updateOfflineStatus();
}

function setModelBusy(busy: boolean): void {
  modelBusy = busy;
  ui.model.disabled = busy;
  ui.backend.disabled = busy;
  ui.load.disabled = busy;
  compare.setBusyFlag(busy);
  if (!busy) void refreshStorage();
}

function updateOfflineStatus(): void {
  // Offline-ready needs all three: the app shell in the service worker's cache, a model stored whole,
  // and the onnxruntime-web build it runs on.
  const ready = shellCached && loaded !== null && buildsCached.has(loaded.backend.build);
  ui.offline.textContent = ready ? "ready offline" : shellCached ? "offline after the model download" : "online only";
  ui.offline.classList.toggle("ready", ready);
}

function showModelInfo(manifest: Manifest, loadedVariant?: string): void {
  renderModelInfo(ui.modelInfo, describeModel(manifest), loadedVariant);
}

function showBackend(b: BackendInfo): void {
  ui.backendActive.textContent = `${b.name === "webgpu" ? "WebGPU" : "WASM"}: ${b.adapter}${b.emulated ? " (SwiftShader: CPU emulation, not a real GPU)" : ""}${b.shaderF16 ? ", shader-f16" : ""}`;
  ui.backendActive.dataset.backend = b.name;
  ui.backendActive.dataset.build = b.build;
  ui.backendActive.title = `onnxruntime-web's ${ORT_BUILD_NAMES[b.build]} build`;
}

/** Asks before a second variant of a stored model is downloaded; resolves to the variant to load (undefined: the backend's own). */
async function confirmVariant(request: LoadRequest): Promise<string | undefined> {
  if (request.variant || !navigator.onLine) return request.variant;
  const plan = await worker.plan(request);
  if (plan.missingBytes === 0 || plan.stored.length === 0) return undefined;
  const stored = plan.stored[0]!;
  byId("variant-question-text").textContent =
    `${request.backend === "wasm" ? "WASM" : "WebGPU"} runs faster with its own version of this model (${plan.variant}): a ${formatBytes(plan.missingBytes)} download. ` +
    `The version already on this device (${stored}) works too, more slowly on this backend.`;
  ui.variantQuestion.hidden = false;
  byId("variant-download").focus();
  const answer = await new Promise<string | undefined>((resolve) => {
    byId("variant-download").onclick = () => resolve(undefined);
    byId("variant-use-stored").onclick = () => resolve(stored);
  });
  ui.variantQuestion.hidden = true;
  ui.mic.focus();
  return answer;
}

async function loadModel(): Promise<boolean> {
  setModelBusy(true);
  try {
    return await loadSelectedModel();
  } finally {
    setModelBusy(false);
    setReady(loaded !== null);
  }
}

async function loadSelectedModel(): Promise<boolean> {
  errors.clear("model");
  loaded = null;
  setReady(false);
  let request: Omit<LoadRequest, "backend">;
  try {
    request = loadRequest();
  } catch {
    errors.show(new Error(`"${ui.customUrl.value}" is not a web address. Enter the folder URL of a model, e.g. https://example.org/models/student/`), "model");
    ui.status.textContent = "not loaded";
    return false;
  }
  let version = "";
  if (ui.model.value !== CUSTOM) {
    // A listed model that was missing or broken is looked up again: it may be there now.
    const id = ui.model.value;
    const listed = models.isAvailable(id) ? models.get(id) : await models.recheck(id);
    const availability = listed?.availability;
    if (!availability?.available) {
      ui.status.textContent = "not loaded";
      ui.modelInfo.hidden = true;
      errors.show(new Error(listed && availability ? `${listed.entry.label}: ${availability.reason}` : `"${id}" is not in the model list.`), "model");
      return false;
    }
    showModelInfo(availability.manifest);
    version = availability.manifest.version;
  }
  ui.status.textContent = "loading…";
  setStatus("Loading the model…");
  progress.start();
  const onProgress = Comlink.proxy((p: LoadProgress) => progress.update(p));
  try {
    let backend = ui.backend.value as BackendPreference;
    if (backend === "auto") {
      const decision = await resolveAuto({
        worker, request, modelVersion: version, lang: lang(), onProgress, forceMeasure: params.get("measure") === "1",
        clip: async () => (await loadClipAudio(testClips.slice(0, 1)))[0]!.samples,
        onStatus: (text) => {
          ui.backendReason.textContent = text;
          setStatus(text);
        },
      });
      autoBackend = decision.backend;
      backend = decision.backend;
      ui.backendReason.textContent = `Auto chose ${decision.reason}`;
    } else {
      ui.backendReason.textContent = urlBackend && urlBackend !== "auto" ? `${backend === "webgpu" ? "WebGPU" : "WASM"}: set by the page address (?backend=${urlBackend}).` : `${backend === "webgpu" ? "WebGPU" : "WASM"}: your choice (Auto is the default).`;
    }
    const full: LoadRequest = { ...request, backend };
    const variant = await confirmVariant(full);
    const result = await worker.load(variant ? { ...full, variant } : full, onProgress);
    loaded = result;
    const b = result.backend;
    showBackend(b);
    if (!buildsCached.has(b.build)) {
      const build = b.build;
      keepForOffline([ORT_BINARIES[build]]).then(
        () => {
          buildsCached.add(build);
          updateOfflineStatus();
        },
        // Not stored (no service worker, or offline before it could fetch): the status stays "not ready offline".
        () => undefined,
      );
    }
    if (b.fallbackReason) errors.show(new Error(`${b.fallbackReason}. Using WASM instead.`), "model");
    ui.status.textContent = `ready: ${result.modelId} ${result.version} (${result.variant}), loaded in ${result.loadMs.toFixed(0)} ms${result.downloadedBytes ? `, downloaded ${formatBytes(result.downloadedBytes)}` : " from the cache"}`;
    showModelInfo(result.manifest, result.variant);
    setStatus(mic ? "Listening: speak an English travel phrase." : "Ready. Press the microphone and speak English, or try a sample.");
    // The first complete download is worth keeping: ask the browser not to evict it.
    if (result.downloadedBytes > 0) await navigator.storage?.persist?.().catch(() => false);
    return true;
  } catch (error) {
    ui.status.textContent = "not loaded";
    setStatus("The model is not loaded.");
    errors.show(error, "model", isInterruptedDownload(error) ? { label: "Resume download", run: () => void loadModel() } : { label: "Try again", run: () => void loadModel() });
    return false;
  } finally {
    progress.finish();
  }
}

// --- Speaking, samples and files: one queue in the worker -----------------------------------

function updateQueueStatus(): void {
  const pending = transcript.pending;
  ui.cancelPending.hidden = pending === 0;
  if (pending > 0) setStatus(`Translating… ${pending} utterance${pending === 1 ? "" : "s"} to go.`);
  else if (mic) setStatus("Listening: speak an English travel phrase.");
  else if (loaded) setStatus("Ready. Press the microphone and speak English, or try a sample.");
}

const onQueueEvent = (event: StreamEvent) => {
  switch (event.type) {
    case "speech-start":
      ui.partial.textContent = "…";
      break;
    case "partial":
      ui.partial.textContent = event.text;
      break;
    case "queued":
      transcript.queued(event.utteranceId, event.lang, event.startedAt, event.source);
      if (event.source.kind !== "file") ui.partial.textContent = "";
      break;
    case "started":
      transcript.started(event.utteranceId);
      break;
    case "final": {
      ui.partial.textContent = "";
      if (event.result.fallback) {
        showBackend(event.result.fallback.to);
        errors.show(new Error(event.result.fallback.reason), "model");
      }
      const latency = event.speechEndedAt !== undefined ? performance.timeOrigin + performance.now() - event.speechEndedAt : undefined;
      transcript.finished(event.utteranceId, event.result, latency);
      break;
    }
    case "heard":
      transcript.heard(event.utteranceId, event.heard);
      break;
    case "failed":
      transcript.failed(event.utteranceId, event.message);
      break;
    case "cancelled":
      transcript.cancelled(event.utteranceId);
      break;
    case "error":
      errors.show(Object.assign(new Error(event.message), { code: event.code }), "mic");
      break;
  }
  updateQueueStatus();
};

async function toggleMicrophone(): Promise<void> {
  if (micBusy) return;
  micBusy = true;
  try {
    if (mic) await stopMicrophone();
    else await startMicrophone();
  } finally {
    micBusy = false;
  }
}

async function startMicrophone(): Promise<void> {
  errors.clear("mic");
  try {
    await worker.startStream(lang(), { kind: "mic" }, streamOptions);
    micClosing = false;
    mic = await startMic((samples, level) => {
      // Pieces the worklet posted before it was disconnected may still arrive after Stop.
      if (micClosing) return;
      ui.level.value = level;
      void worker.pushAudio(Comlink.transfer(samples, [samples.buffer]), performance.timeOrigin + performance.now());
    });
    ui.mic.dataset.testid = "mic-stop";
    ui.mic.classList.add("listening");
    ui.micLabel.textContent = "Stop";
    ui.mic.setAttribute("aria-pressed", "true");
    setReady(loaded !== null);
    updateQueueStatus();
  } catch (error) {
    await worker.stopStream();
    errors.show(error, "mic");
  }
}

/** Never waits for the queue: what was said keeps translating, and each waiting utterance can be cancelled. */
async function stopMicrophone(): Promise<void> {
  const capture = mic;
  mic = null;
  micClosing = true;
  ui.mic.dataset.testid = "mic-start";
  ui.mic.classList.remove("listening");
  ui.micLabel.textContent = "Start listening";
  ui.mic.setAttribute("aria-pressed", "false");
  ui.level.value = 0;
  await capture?.stop();
  await worker.stopStream();
  ui.partial.textContent = "";
  setReady(loaded !== null);
  updateQueueStatus();
}

async function playSample(clip: TestClip): Promise<void> {
  errors.clear("samples");
  samplePlaying = true;
  setReady(loaded !== null);
  try {
    const { samples } = (await loadClipAudio([clip]))[0]!;
    await worker.startStream(lang(), { kind: "sample", name: `Sample “${clip.en}”` }, streamOptions);
    setStatus(`Playing the sample “${clip.en}”…`);
    await playInto(samples, (piece, at) => void worker.pushAudio(Comlink.transfer(piece, [piece.buffer]), at));
    await worker.stopStream();
  } catch (error) {
    await worker.stopStream();
    errors.show(error, "samples");
  } finally {
    samplePlaying = false;
    setReady(loaded !== null);
    updateQueueStatus();
  }
}

async function translateFile(file: File): Promise<void> {
  errors.clear("file");
  try {
    const samples = await decodeAudioFile(file);
    const pieces = await worker.enqueueClip(samples, lang(), file.name);
    if (pieces > 1) setStatus(`${file.name}: ${pieces} pieces queued for translation.`);
  } catch (error) {
    errors.show(error, "file");
  }
}

// --- Storage -------------------------------------------------------------------------------

async function refreshStorage(): Promise<void> {
  const cached = await worker.listCached();
  renderCachedModels(ui.cached, cached, (id) => models.get(id)?.entry.label ?? id, async (id) => {
    await worker.deleteCached(id);
    await refreshStorage();
    byId("storage-heading").focus();
  });
  byId("storage-empty").hidden = cached.length > 0;
  byId("storage-persistence").textContent = await persistenceText();
  byId("storage-usage").textContent = await usageText();
}

// --- Start-up ------------------------------------------------------------------------------

/** The model the page starts with: ?model= (a listed id, else a URL), else the registry's default when usable. */
function chooseStartingModel(): boolean {
  const requested = params.get("model");
  if (requested && models.get(requested)) {
    // Asked for by name: try it even when unavailable, so the reason is shown.
    ui.model.value = requested;
  } else if (requested && !requested.includes("/")) {
    // Neither a listed id nor a URL: say so rather than load something else.
    errors.show(new Error(`"${requested}" is not in the model list (${REGISTRY_PATH}) and is not a URL.`), "model");
    return false;
  } else if (requested) {
    ui.model.value = CUSTOM;
    ui.customUrl.value = requested;
  } else {
    const start = startingEntry(models.entries(), models.isAvailable);
    if (!start) {
      ui.model.value = CUSTOM;
      ui.customUrlLabel.hidden = false;
      errors.show(new Error(models.loadError ?? "No bundled model is available (see the reasons under the Model list); load one from a URL."), "model");
      return false;
    }
    ui.model.value = start.id;
    const preferred = defaultEntry(models.entries());
    if (preferred && start.id !== preferred.id) models.noteFallback(`The default model, ${preferred.label}, is unavailable; starting with ${start.label}.`);
  }
  ui.customUrlLabel.hidden = ui.model.value !== CUSTOM;
  return true;
}

function wireControls(): void {
  ui.model.addEventListener("change", () => {
    ui.customUrlLabel.hidden = ui.model.value !== CUSTOM;
    if (ui.model.value !== CUSTOM) void loadModel();
  });
  ui.backend.addEventListener("change", () => {
    storePreference(ui.backend.value as BackendPreference);
    void loadModel();
  });
  ui.load.addEventListener("click", () => void loadModel());
  window.addEventListener("offline", () => void worker.wentOffline());
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="target-lang"]')) radio.addEventListener("change", () => void worker.setLanguage(lang()));
  ui.mic.addEventListener("click", () => void toggleMicrophone());
  ui.file.addEventListener("change", () => {
    for (const file of ui.file.files ?? []) void translateFile(file);
    ui.file.value = "";
  });
  ui.cancelPending.addEventListener("click", () => {
    void worker.cancelAll();
    ui.mic.focus();
  });
  ui.copy.addEventListener("click", async () => {
    await navigator.clipboard.writeText(transcript.asText());
    setStatus(`Copied ${transcript.lines.length} line${transcript.lines.length === 1 ? "" : "s"} to the clipboard.`);
    ui.copy.textContent = "Copied ✓";
    setTimeout(() => (ui.copy.textContent = "Copy"), 2000);
  });
  byId("export-txt").addEventListener("click", () => download("transcript.txt", transcript.asText(), "text/plain"));
  byId("export-json").addEventListener("click", () => download("transcript.json", transcript.asJson(), "application/json"));
}

async function init(): Promise<void> {
  ui.backend.value = urlBackend ?? storedPreference();
  const startLang = params.get("lang");
  if (startLang === "de" || startLang === "zh") document.querySelector<HTMLInputElement>(`input[name="target-lang"][value="${startLang}"]`)!.checked = true;
  renderExamples(byId("example-topics"), topics);
  byId("about-coverage").textContent = `The phrasebook models translate English travel phrases (${coverageSentence(topics)}) into German and Chinese.`;
  wireControls();
  await worker.connect(Comlink.proxy(onQueueEvent));
  startViews((view) => {
    if (view === "storage") void refreshStorage();
  });
  startServiceWorker({
    onShellCached: () => {
      shellCached = true;
      updateOfflineStatus();
    },
    banner: byId("update-banner"),
    text: byId("update-text"),
    reload: byId<HTMLButtonElement>("update-reload"),
    later: byId<HTMLButtonElement>("update-later"),
    hasWork: () => transcript.lines.length > 0 || mic !== null,
  });
  // e2e tests reach the worker (e.g. to destroy the WebGPU device) and the queue's event handler
  // (to show results with fields a model may not provide yet) through these.
  if (params.get("testhooks") === "1") Object.assign(window, { translatorWorker: worker, translatorEvents: onQueueEvent });

  const clipList = fetchTestClipList().then(
    (clips) => {
      testClips = clips;
      renderSamples(byId("samples"), clips, (clip) => void playSample(clip));
    },
    (error: unknown) => errors.show(error, "samples"),
  );
  models.onChange = () => compare.populate();
  await models.load();
  await clipList;
  compare.setClips(testClips);
  bench.setClips(testClips);
  if (!chooseStartingModel()) {
    setStatus("No model is loaded.");
    return;
  }
  const ready = await loadModel();
  if (ready && params.get("autostart") === "1") void toggleMicrophone();
}

void init();
