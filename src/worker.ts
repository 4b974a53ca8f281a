// The model runs here, off the UI thread: load / translate / benchmark / unload,
// plus the microphone pipeline (VAD segmentation and a translation queue).
import "./zod-config";
import * as Comlink from "comlink";
import vadModelUrl from "@ricky0123/vad-web/dist/silero_vad_v5.onnx?url";
import { log as vadLog } from "@ricky0123/vad-web/dist/logging.js";
import { Engine, type TranslateOptions, type Translation } from "./core/engine";
import { AppError, describeError, NetworkError } from "./core/errors";
import { chooseVariant, filesForVariant, parseManifest, type Manifest } from "./core/manifest";
import { clipUtterances, VoiceSegmenter, type SegmentEvent } from "./core/segment";
import { SpeculativeFinals } from "./core/speculation";
import { checkQuota, missingBytes, ModelStore, type ModelRef } from "./core/store";
import { deriveTimings } from "./core/timings";
import { UtteranceQueue, type QueuedUtterance, type UtteranceSource } from "./core/utterance-queue";
import { chooseBackend, deviceLost, ortBuild, type BackendInfo, type BackendName, type Ort } from "./runtime/backend";
import { webRuntime } from "./runtime/web-runtime";
import type { CachedModelInfo, LoadPlan, LoadProgress, LoadRequest, LoadResult, StreamEvent, TranslateResult } from "./worker-api";

// The VAD library logs its loading steps with console.log; keep them for development only.
if (import.meta.env.PROD) vadLog.debug = () => {};
const store = new ModelStore();

interface Loaded {
  engine: Engine;
  request: LoadRequest;
  manifest: Manifest;
  ref: ModelRef;
  backend: BackendInfo;
  /** The onnxruntime-web build the model runs on. */
  ort: Ort;
}
let loaded: Loaded | null = null;
let lostReason: string | null = null;
/** Counts loads, so that the loss of an earlier load's WebGPU device says nothing about the current one. */
let loads = 0;

async function fetchManifest(baseUrl: string, modelId: string): Promise<{ manifest: Manifest; offline: boolean }> {
  const url = new URL("manifest.json", baseUrl).href;
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (error) {
    // Offline: use the manifest stored with the cached files, if there is one.
    const cached = await store.getModel(modelId);
    if (cached && cached.baseUrl === baseUrl) return { manifest: parseManifest(cached.manifest), offline: true };
    throw new NetworkError(url, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new NetworkError(url, `HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new AppError("manifest", `Malformed manifest: ${url} is not JSON`);
  }
  return { manifest: parseManifest(json), offline: false };
}

/** `fallbackReason`: WebGPU failed and this load is the switch to WASM, which takes a stored variant
 * rather than wait for WASM's own to download. */
async function loadEngine(request: LoadRequest, onProgress?: (p: LoadProgress) => void, fallbackReason?: string): Promise<LoadResult> {
  const start = performance.now();
  await unload();
  const { manifest, offline } = await fetchManifest(request.baseUrl, request.modelId);
  const ref: ModelRef = { id: manifest.id, version: manifest.version, baseUrl: request.baseUrl };
  const preferStored = fallbackReason !== undefined;
  const { info: backend, ort } = await chooseBackend(request.backend, fallbackReason);
  const missing = new Map<string, number>();
  const missingFor = async (name: string): Promise<number> => {
    if (!missing.has(name)) missing.set(name, await missingBytes(store, ref, filesForVariant(manifest, name)));
    return missing.get(name)!;
  };
  // The store is only consulted for the choice when it can change it (offline, or the fallback).
  if (offline || preferStored) for (const name of Object.keys(manifest.variants)) await missingFor(name);
  const variant = chooseVariant(manifest, backend.name, {
    requested: request.variant,
    preferStored: offline || preferStored,
    isStored: (v) => missing.get(v) === 0,
  });
  const files = filesForVariant(manifest, variant);

  const needed = await missingFor(variant);
  if (needed > 0) checkQuota(needed, (await navigator.storage?.estimate?.()) ?? {});
  await store.rememberModel(ref, manifest);

  const progress = new Map(files.map((f) => [f.path, { path: f.path, loaded: 0, total: f.bytes }]));
  const report = () => {
    const all = [...progress.values()];
    onProgress?.({ files: all, loaded: all.reduce((n, f) => n + f.loaded, 0), total: all.reduce((n, f) => n + f.total, 0) });
  };
  lostReason = null;
  const load = ++loads;
  if (backend.name === "webgpu") void deviceLost(ort).then((reason) => load === loads && (lostReason = reason));
  let downloadedBytes = 0;
  const watchdog = downloadWatchdog();
  const download = {
    signal: watchdog.signal,
    onProgress: (p: { path: string; loaded: number; total: number }) => {
      watchdog.alive();
      progress.set(p.path, p);
      report();
    },
    // Counts re-downloads of corrupted entries too, which `needed` cannot know about.
    onNetworkBytes: (bytes: number) => (downloadedBytes += bytes),
  };
  // Every file of the variant, so a later offline visit finds all of them.
  try {
    for (const file of files) await store.download(ref, file, download);
  } finally {
    watchdog.stop();
  }
  const runtime = webRuntime(ort, store, ref, backend.name, manifest.decoder.num_layers, download);
  let engine: Engine;
  try {
    engine = await Engine.load(manifest, runtime, variant);
  } catch (error) {
    // WebGPU could not start: the GPU refused a session, or onnxruntime's WebGPU build failed to
    // fetch or start. WASM may still run the model; our own errors (a bad manifest or file) would
    // fail the same way there.
    if (backend.name !== "webgpu" || error instanceof AppError) throw error;
    return loadEngine({ ...request, backend: "wasm" }, onProgress, `WebGPU could not start (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    await engine.prepareFeatures();
    await store.ensureStored(ref, manifest, files, download);
  } catch (error) {
    await engine.release().catch(() => undefined);
    throw error;
  }
  loaded = { engine, request, manifest, ref, backend, ort };
  return {
    modelId: manifest.id,
    version: manifest.version,
    variant,
    backend,
    loadMs: performance.now() - start,
    downloadedBytes,
    languages: manifest.languages.targets,
    manifest,
  };
}

function toResult(t: Translation, lang: string, backend: BackendName): TranslateResult {
  return {
    text: t.text,
    lang,
    ids: t.ids,
    ...(t.heard !== undefined ? { heard: t.heard } : {}),
    confidence: t.confidence,
    understood: t.understood,
    audioSeconds: t.audioSeconds,
    backend,
    timings: deriveTimings(t),
  };
}

/** Listeners of one translation (the text so far; the translation as soon as it exists, before
 * what was heard is written down), and whether to write that down at all (not for provisional text). */
interface TranslateHooks {
  onText?: (text: string) => void;
  onTranslation?: (result: TranslateResult) => void;
  transcribe?: boolean;
  /** Provisional text while someone speaks (Engine's TranslateOptions.provisional). */
  provisional?: boolean;
}

/** Translates on `current`; utterances are also transcribed (what was heard, in English) when the model can. */
async function translateOn(current: Loaded, samples: Float32Array, lang: string, hooks: TranslateHooks, fallback?: TranslateResult["fallback"]): Promise<TranslateResult> {
  const result = (t: Translation): TranslateResult => ({ ...toResult(t, lang, current.backend.name), ...(fallback ? { fallback } : {}) });
  const { onText, onTranslation, transcribe = true, provisional } = hooks;
  const options: TranslateOptions = {
    transcribe,
    ...(provisional ? { provisional } : {}),
    ...(current.request.maxNewTokens ? { maxNewTokens: current.request.maxNewTokens } : {}),
    ...(onText ? { onText } : {}),
    ...(onTranslation ? { onTranslation: (t: Translation) => onTranslation(result(t)) } : {}),
  };
  return result(await current.engine.translate(samples, lang, options));
}

/** A failure WASM may not share: the WebGPU device was lost, or onnxruntime failed in a run on it.
 * Our own errors (AppError: audio too long or too short, a bad model or language, no model) say
 * the same on WASM, so they are not retried there. */
function isGpuFailure(error: unknown): boolean {
  return lostReason !== null || !(error instanceof AppError);
}

/** Translates one utterance; a WebGPU failure (device lost) reloads on WASM and retries once. */
async function translate(samples: Float32Array, lang: string, hooks: TranslateHooks = {}): Promise<TranslateResult> {
  if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
  const current = loaded;
  try {
    if (lostReason) throw new Error(`WebGPU device lost: ${lostReason}`);
    return await translateOn(current, samples, lang, hooks);
  } catch (error) {
    if (current.backend.name !== "webgpu" || !isGpuFailure(error)) throw error;
    const reason = lostReason ?? (error instanceof Error ? error.message : String(error));
    const why = `WebGPU failed (${reason}); switched to WASM and retried`;
    await loadEngine({ ...current.request, backend: "wasm" }, undefined, why);
    return translateOn(loaded!, samples, lang, hooks, { from: "webgpu", to: loaded!.backend, reason: why });
  }
}

async function unload(): Promise<void> {
  const engine = loaded?.engine;
  loaded = null;
  try {
    await engine?.release();
  } catch {
    // Sessions on a lost WebGPU device cannot be released cleanly; they are dropped anyway.
  }
}

/** A download that goes quiet (a dropped connection can leave the response stream hanging) or a
 * browser that goes offline aborts with an error the page can offer to resume from. */
const STALL_MS = 20_000;
let abortDownload: ((reason: Error) => void) | null = null;
function downloadWatchdog(): { signal: AbortSignal; alive(): void; stop(): void } {
  const controller = new AbortController();
  abortDownload = (reason) => controller.abort(reason);
  let timer = setTimeout(() => controller.abort(new Error("no data for 20 s")), STALL_MS);
  const offline = () => controller.abort(new Error("the browser went offline"));
  self.addEventListener("offline", offline);
  return {
    signal: controller.signal,
    alive() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error("no data for 20 s")), STALL_MS);
    },
    stop() {
      clearTimeout(timer);
      abortDownload = null;
      self.removeEventListener("offline", offline);
    },
  };
}

/** One model operation at a time: a load waits for the translation in flight (its sessions are in
 * use), and queued utterances go on with the new model once it is loaded. */
let engineLock: Promise<unknown> = Promise.resolve();
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = engineLock.then(task, task);
  engineLock = run.catch(() => undefined);
  return run;
}

// --- VAD ---------------------------------------------------------------------

let vadModel: Promise<Uint8Array> | null = null;
/** The VAD's weights, fetched once (right after a model loads, so a file or the microphone still
 * works if the connection drops later); a failed fetch is tried again next time. */
function vadBytes(): Promise<Uint8Array> {
  vadModel ??= fetch(vadModelUrl)
    .then(async (r) => {
      if (!r.ok) throw new NetworkError(vadModelUrl, `HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    })
    .catch((error: unknown) => {
      vadModel = null;
      throw error instanceof AppError ? error : new NetworkError(vadModelUrl, error instanceof Error ? error.message : String(error));
    });
  return vadModel;
}

// The voice detector runs on the WASM-only build, which every page has loaded for its features.
async function newSegmenter(): Promise<VoiceSegmenter> {
  const maxSeconds = loaded?.manifest.audio.max_seconds ?? 30;
  // 400 ms of silence ends an utterance (the library's example uses 1.4 s, segment.ts 600 ms): the
  // wait is most of the time from the end of speech to the final text, and travel phrases have no
  // pauses that long inside them.
  return VoiceSegmenter.create(await ortBuild("wasm"), await vadBytes(), { maxSamples: Math.floor(maxSeconds * 16000), redemptionMs: 400 });
}

const SAMPLE_RATE = 16000;
const FRAME = 512;

/** The last 10 ms window louder than -40 dBFS: where the speech in an utterance ends (in samples). */
function speechEnd(audio: Float32Array): number {
  const window = SAMPLE_RATE / 100;
  for (let end = audio.length; end >= window; end -= window) {
    let energy = 0;
    for (let i = end - window; i < end; i++) energy += audio[i]! * audio[i]!;
    if (energy / window > 1e-4) return end;
  }
  return 0;
}

// --- The utterance queue: microphone, samples and files -------------------------------

const queue = new UtteranceQueue();
let listener: ((event: StreamEvent) => void) | null = null;
const emit = (event: StreamEvent) => listener?.(event);
let draining = false;
/** When each queued microphone utterance's speech ended (ms since the epoch), for the latency figure. */
const speechEndedAt = new Map<number, number>();

/** One utterance's translation, in the engine's turn: `translated` settles as soon as the
 * translation exists (the final text goes on screen then), `done` once what was heard is written
 * down too. */
interface Run {
  translated: Promise<TranslateResult>;
  done: Promise<TranslateResult>;
}

function startRun(audio: Float32Array, lang: string): Run {
  let early: (result: TranslateResult) => void = () => {};
  const translation = new Promise<TranslateResult>((resolve) => (early = resolve));
  const done = exclusive(() => translate(audio, lang, { onTranslation: early }));
  // A run that fails before its translation exists fails both; a dropped speculation is never
  // awaited, and its failure is nobody's error.
  const translated = Promise.race([translation, done]);
  translated.catch(() => undefined);
  done.catch(() => undefined);
  return { translated, done };
}

/** Finals started before the voice detector ended their utterance (core/speculation.ts), and the
 * queued utterances that claimed one. */
const speculation = new SpeculativeFinals<Run>();
const speculated = new Map<number, Run>();

function enqueue(audio: Float32Array, lang: string, startedAt: number, source: UtteranceSource, run?: Run | null): QueuedUtterance {
  const item = queue.add(audio, lang, startedAt, source);
  if (run) speculated.set(item.id, run);
  emit({ type: "queued", utteranceId: item.id, lang, startedAt, source, pending: queue.pending });
  void drainQueue();
  return item;
}

async function drainQueue(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    // Waits while no model is loaded: the load in progress (or the next one) starts the queue again.
    while (loaded && queue.pending > 0) {
      const item = queue.take()!;
      emit({ type: "started", utteranceId: item.id, pending: queue.pending });
      const run = speculated.get(item.id) ?? startRun(item.audio, item.lang);
      speculated.delete(item.id);
      try {
        const result = await run.translated;
        lastTranslationMs = result.timings.totalMs;
        if (item.cancelled) emit({ type: "cancelled", utteranceId: item.id });
        else emit({ type: "final", utteranceId: item.id, startedAt: item.startedAt, result, ...(speechEndedAt.has(item.id) ? { speechEndedAt: speechEndedAt.get(item.id)! } : {}) });
        // What was heard follows the translation; without it (a failed transcription) the card stays as it is.
        const { heard } = await run.done.catch(() => ({ heard: undefined }));
        if (heard !== undefined && !item.cancelled) emit({ type: "heard", utteranceId: item.id, heard });
      } catch (error) {
        emit({ type: "failed", utteranceId: item.id, ...describeError(error) });
      } finally {
        speechEndedAt.delete(item.id);
        queue.finish();
      }
    }
  } finally {
    draining = false;
  }
  if (stream && queue.pending === 0) void refreshPartial();
}

// --- Microphone stream: VAD -> queue -----------------------------------------------

interface Stream {
  segmenter: VoiceSegmenter;
  lang: string;
  source: UtteranceSource;
  /** Start the final translation at each pause (off only to measure the page without it). */
  speculate: boolean;
  lastPartialAt: number;
  speechStartedAt: number;
  /** Samples the VAD has seen, and the wall-clock time of the newest one. */
  samples: number;
  lastSampleAt: number;
  partialRunning: boolean;
}
let stream: Stream | null = null;

/** Provisional text only where a translation is quick: on an emulated GPU (seconds per run) or after
 * a slow translation, a partial run would only delay the final one behind it. */
let lastTranslationMs = 0;
const partialsWorthIt = () => loaded !== null && !loaded.backend.emulated && lastTranslationMs < 1500;

async function refreshPartial(): Promise<void> {
  // Not while a pause's translation waits for the detector either: the final would wait behind it.
  if (!stream || stream.partialRunning || draining || queue.pending > 0 || speculation.waiting || !partialsWorthIt() || unprocessedPieces > 0) return;
  const speech = stream.segmenter.currentSpeech();
  // About once a second of new speech, and never for clips the encoder cannot take.
  if (!speech || speech.length < 8000 || Date.now() - stream.lastPartialAt < 1000) return;
  // Not when the last 200 ms were quiet: the speaker may have finished, and the final translation
  // would wait behind this one.
  if (speechEnd(speech) < speech.length - SAMPLE_RATE / 5) return;
  const current = stream;
  current.partialRunning = true;
  try {
    const result = await exclusive(() => translate(speech, current.lang, { transcribe: false, provisional: true }));
    if (stream === current && current.segmenter.currentSpeech()) emit({ type: "partial", text: result.text });
  } catch {
    // A failed provisional translation is not worth an error: the final one follows.
  } finally {
    current.partialRunning = false;
    // A second from its end, not its start: the VAD needs the time in between to catch up with
    // the audio that arrived meanwhile (a WASM run blocks this thread).
    current.lastPartialAt = Date.now();
  }
}

function queueUtterances(current: Stream, events: SegmentEvent[]): void {
  for (const event of events) {
    if (event.type === "speech-start") {
      current.speechStartedAt = Date.now();
      current.lastPartialAt = Date.now();
      emit(event);
    } else if (event.type === "pause") {
      // Only when nothing else waits for the model: a speculation must not delay an earlier final.
      const idle = current.speculate && !draining && queue.pending === 0;
      speculation.paused(event, current.lang, idle, () => startRun(event.audio, current.lang));
    } else if (event.type === "resume" || event.type === "misfire") {
      speculation.drop();
    } else if (event.type === "utterance") {
      const item = enqueue(event.audio, current.lang, current.speechStartedAt, current.source, speculation.claim(event, current.lang));
      // Its speech ends where it was last loud, dated from the newest sample's capture time. (A
      // long one split at pauses comes as several: only the last one ends speech.)
      if (event === events.findLast((e) => e.type === "utterance")) {
        const lastLoud = event.start + speechEnd(event.audio);
        speechEndedAt.set(item.id, current.lastSampleAt - ((current.samples - lastLoud) / SAMPLE_RATE) * 1000);
      }
    }
  }
}

async function processAudio(samples: Float32Array, arrivedAt: number): Promise<void> {
  if (!stream) return;
  // Frame by frame, so the time of the frame that ends an utterance is known (the piece's last
  // sample arrived at `arrivedAt`; earlier ones 1/16 ms per sample before it).
  for (let offset = 0; offset < samples.length && stream; offset += FRAME) {
    const frame = samples.subarray(offset, Math.min(offset + FRAME, samples.length));
    stream.samples += frame.length;
    stream.lastSampleAt = arrivedAt - ((samples.length - offset - frame.length) / SAMPLE_RATE) * 1000;
    queueUtterances(stream, await stream.segmenter.push(frame));
  }
  if (queue.pending === 0) void refreshPartial();
}

let pushChain: Promise<void> = Promise.resolve();
/** Audio pieces received but not yet through the VAD: provisional translations wait until it has caught up. */
let unprocessedPieces = 0;

const api = {
  load: (request: LoadRequest, onProgress?: (p: LoadProgress) => void) =>
    exclusive(() => loadEngine(request, onProgress)).finally(() => {
      void vadBytes().catch(() => undefined);
      void drainQueue();
    }),

  /** What a load would fetch: the variant this backend runs, its missing bytes, and which variants are stored already. */
  async plan(request: LoadRequest): Promise<LoadPlan> {
    const { manifest } = await fetchManifest(request.baseUrl, request.modelId);
    const ref: ModelRef = { id: manifest.id, version: manifest.version, baseUrl: request.baseUrl };
    const variant = chooseVariant(manifest, request.backend, { requested: request.variant });
    const stored: string[] = [];
    for (const name of Object.keys(manifest.variants)) if ((await missingBytes(store, ref, filesForVariant(manifest, name))) === 0) stored.push(name);
    return { variant, missingBytes: await missingBytes(store, ref, filesForVariant(manifest, variant)), stored };
  },

  translate: (samples: Float32Array, lang: string, onText?: (text: string) => void) => exclusive(() => translate(samples, lang, onText ? { onText } : {})),

  /** Benchmark: `tokens` decode steps whatever the model says (EOS ignored), on the loaded backend. */
  forcedDecode: (samples: Float32Array, lang: string, tokens: number) =>
    exclusive(async (): Promise<TranslateResult> => {
      if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
      return toResult(await loaded.engine.translate(samples, lang, { maxNewTokens: tokens, ignoreEos: true }), lang, loaded.backend.name);
    }),

  /** Receives every queue event (queued, started, partial, final, failed, cancelled, error). */
  connect(onEvent: (event: StreamEvent) => void): void {
    listener = onEvent;
  },

  /** Queues a whole clip (an uploaded file) as the CLI would translate it (the same checks of
   * speech: clipUtterances): one utterance when it fits the model's window, else the voice
   * detector's, each labelled with the file name and where it starts. Returns how many. */
  async enqueueClip(samples: Float32Array, lang: string, name: string): Promise<number> {
    if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
    let pieces;
    try {
      pieces = await clipUtterances(await ortBuild("wasm"), await vadBytes(), samples, loaded.manifest.audio);
    } catch (error) {
      if (error instanceof AppError) error.message = `"${name}": ${error.message}`;
      throw error;
    }
    const startedAt = Date.now();
    for (const piece of pieces) {
      enqueue(piece.audio, lang, startedAt, { kind: "file", name, offsetSeconds: piece.start / SAMPLE_RATE });
    }
    return pieces.length;
  },

  /** Opens the VAD for live audio (the microphone, or a sample clip played in real time).
   * `speculate: false` waits for the end of each utterance before translating it (the latency
   * benchmark's comparison). */
  async startStream(lang: string, source: UtteranceSource = { kind: "mic" }, options: { speculate?: boolean } = {}): Promise<void> {
    await api.stopStream();
    const segmenter = await newSegmenter();
    stream = { segmenter, lang, source, speculate: options.speculate ?? true, lastPartialAt: 0, speechStartedAt: Date.now(), samples: 0, lastSampleAt: Date.now(), partialRunning: false };
  },

  setLanguage(lang: string): void {
    if (stream) stream.lang = lang;
  },

  /** 16 kHz mono samples, processed strictly in arrival order; `arrivedAt` is when the piece's last sample was captured. */
  pushAudio(samples: Float32Array, arrivedAt = Date.now()): Promise<void> {
    // The page does not wait for one piece before sending the next; the VAD must see them in order.
    unprocessedPieces++;
    pushChain = pushChain
      .then(() => {
        unprocessedPieces--;
        return processAudio(samples, arrivedAt);
      })
      .catch((error: unknown) => emit({ type: "error", ...describeError(error) }));
    return pushChain;
  },

  /** Ends the stream: speech in progress is queued as a last utterance. Returns at once; the queue
   * goes on translating (each utterance can be cancelled). */
  async stopStream(): Promise<void> {
    await pushChain;
    const ending = stream;
    if (!ending) return;
    stream = null;
    // Speech in progress is an utterance; a pause in progress already translated it, maybe.
    queueUtterances(ending, ending.segmenter.flush());
    speculation.drop();
    await ending.segmenter.release();
  },

  /** The page saw the browser go offline (a worker is not always told): stop the download in progress. */
  wentOffline(): void {
    abortDownload?.(new Error("the browser went offline"));
  },

  cancel(utteranceId: number): void {
    speculated.delete(utteranceId);
    if (queue.cancel(utteranceId)) emit({ type: "cancelled", utteranceId });
  },

  cancelAll(): void {
    for (const utteranceId of queue.cancelAll()) {
      speculated.delete(utteranceId);
      emit({ type: "cancelled", utteranceId });
    }
  },

  unload: () => exclusive(unload),

  /** Every model with files in IndexedDB: its stored bytes and, per variant, whether it is complete. */
  async listCached(): Promise<CachedModelInfo[]> {
    const models = await store.listModels();
    return Promise.all(
      models.map(async (m) => {
        const ref: ModelRef = { id: m.id, version: m.version, baseUrl: m.baseUrl };
        const manifest = parseManifest(m.manifest);
        const variants = [];
        for (const name of Object.keys(manifest.variants)) {
          const files = filesForVariant(manifest, name);
          const bytes = files.reduce((n, f) => n + f.bytes, 0);
          variants.push({ name, bytes, complete: (await missingBytes(store, ref, files)) === 0 });
        }
        return { id: m.id, version: m.version, baseUrl: m.baseUrl, storedBytes: m.storedBytes, variants };
      }),
    );
  },
  /** Deletes a model's files; a loaded model keeps running from memory until the page is reloaded. */
  deleteCached: (id: string) => exclusive(() => store.deleteModel(id)),

  /** The manifest stored with a model's downloaded files (for the model list when offline), if it came from `baseUrl`. */
  cachedManifest: async (id: string, baseUrl: string): Promise<unknown> => {
    const cached = await store.getModel(id);
    return cached && cached.baseUrl === baseUrl ? cached.manifest : null;
  },

  /** Destroys the WebGPU device, as a driver reset would (e2e test of the fallback). */
  async loseWebGpuDevice(): Promise<void> {
    if (loaded?.backend.name === "webgpu") (await loaded.ort.env.webgpu.device)?.destroy();
  },

  /** The loaded model and backend, for the UI and the benchmark. */
  status: () => (loaded ? { modelId: loaded.manifest.id, variant: loaded.engine.variant, backend: loaded.backend } : null),
};

export type WorkerApi = typeof api;

Comlink.expose(api);
