// The model runs here, off the UI thread: load / translate / benchmark / unload,
// plus the microphone pipeline (VAD segmentation and a translation queue).
import * as Comlink from "comlink";
import vadModelUrl from "@ricky0123/vad-web/dist/silero_vad_v5.onnx?url";
import { Engine, type TranslateOptions, type Translation } from "./core/engine";
import { AppError, describeError, NetworkError } from "./core/errors";
import { chooseVariant, filesForVariant, parseManifest, type Manifest } from "./core/manifest";
import { clipUtterances, VoiceSegmenter } from "./core/segment";
import { checkQuota, missingBytes, ModelStore, type ModelRef } from "./core/store";
import { deriveTimings } from "./core/timings";
import { chooseBackend, configureOrt, deviceLost, ort, type BackendInfo, type BackendName } from "./runtime/backend";
import { webRuntime } from "./runtime/web-runtime";
import type { LoadProgress, LoadRequest, LoadResult, StreamEvent, TranslateResult } from "./worker-api";

configureOrt();
const store = new ModelStore();

interface Loaded {
  engine: Engine;
  request: LoadRequest;
  manifest: Manifest;
  ref: ModelRef;
  backend: BackendInfo;
}
let loaded: Loaded | null = null;
let lostReason: string | null = null;

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

/** `preferStored`: the WebGPU-lost fallback, which should not wait for WASM's own variant to download. */
async function loadEngine(request: LoadRequest, onProgress?: (p: LoadProgress) => void, preferStored = false): Promise<LoadResult> {
  const start = performance.now();
  await unload();
  const { manifest, offline } = await fetchManifest(request.baseUrl, request.modelId);
  const ref: ModelRef = { id: manifest.id, version: manifest.version, baseUrl: request.baseUrl };
  const backend = await chooseBackend(request.backend);
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
  if (needed > 0) {
    await navigator.storage?.persist?.();
    checkQuota(needed, (await navigator.storage?.estimate?.()) ?? {});
  }
  await store.rememberModel(ref, manifest);

  const progress = new Map(files.map((f) => [f.path, { path: f.path, loaded: 0, total: f.bytes }]));
  const report = () => {
    const all = [...progress.values()];
    onProgress?.({ files: all, loaded: all.reduce((n, f) => n + f.loaded, 0), total: all.reduce((n, f) => n + f.total, 0) });
  };
  lostReason = null;
  if (backend.name === "webgpu") void deviceLost().then((reason) => (lostReason = reason));
  let downloadedBytes = 0;
  const download = {
    onProgress: (p: { path: string; loaded: number; total: number }) => {
      progress.set(p.path, p);
      report();
    },
    // Counts re-downloads of corrupted entries too, which `needed` cannot know about.
    onNetworkBytes: (bytes: number) => (downloadedBytes += bytes),
  };
  // Every file of the variant, so a later offline visit finds all of them.
  for (const file of files) await store.download(ref, file, download);
  const runtime = webRuntime(store, ref, backend.name, manifest.decoder.num_layers, download);
  const engine = await Engine.load(manifest, runtime, variant);
  await store.ensureStored(ref, manifest, files, download);
  loaded = { engine, request, manifest, ref, backend };
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

/** Utterances are also transcribed (what was heard, in English) when the model can. */
function translateOptions(request: LoadRequest, onText?: (text: string) => void): TranslateOptions {
  return { transcribe: true, ...(request.maxNewTokens ? { maxNewTokens: request.maxNewTokens } : {}), ...(onText ? { onText } : {}) };
}

/** A failure WASM may not share: the WebGPU device was lost, or onnxruntime failed in a run on it.
 * Our own errors (AppError: audio too long or too short, a bad model or language, no model) say
 * the same on WASM, so they are not retried there. */
function isGpuFailure(error: unknown): boolean {
  return lostReason !== null || !(error instanceof AppError);
}

/** Translates one utterance; a WebGPU failure (device lost) reloads on WASM and retries once. */
async function translate(samples: Float32Array, lang: string, onText?: (text: string) => void): Promise<TranslateResult> {
  if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
  const current = loaded;
  try {
    if (lostReason) throw new Error(`WebGPU device lost: ${lostReason}`);
    return toResult(await current.engine.translate(samples, lang, translateOptions(current.request, onText)), lang, current.backend.name);
  } catch (error) {
    if (current.backend.name !== "webgpu" || !isGpuFailure(error)) throw error;
    const reason = lostReason ?? (error instanceof Error ? error.message : String(error));
    await loadEngine({ ...current.request, backend: "wasm" }, undefined, true);
    const result = toResult(await loaded!.engine.translate(samples, lang, translateOptions(current.request, onText)), lang, "wasm");
    return { ...result, fallback: { from: "webgpu", to: loaded!.backend, reason: `WebGPU failed (${reason}); switched to WASM and retried` } };
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

// --- VAD ---------------------------------------------------------------------

let vadModel: Promise<Uint8Array> | null = null;
const vadModelBytes = () => (vadModel ??= fetch(vadModelUrl).then(async (r) => new Uint8Array(await r.arrayBuffer())));
async function newSegmenter(): Promise<VoiceSegmenter> {
  const maxSeconds = loaded?.manifest.audio.max_seconds ?? 30;
  return VoiceSegmenter.create(ort, await vadModelBytes(), { maxSamples: Math.floor(maxSeconds * 16000) });
}

// --- Microphone stream: VAD -> queue -> translation --------------------------

let streamListener: ((event: StreamEvent) => void) | null = null;
let stream: {
  segmenter: VoiceSegmenter;
  lang: string;
  queue: Array<{ audio: Float32Array; utteranceId: number; startedAt: number }>;
  running: boolean;
  nextId: number;
  lastPartialAt: number;
  speechStartedAt: number;
} | null = null;

async function drainQueue(): Promise<void> {
  if (!stream || stream.running) return;
  stream.running = true;
  try {
    while (stream.queue.length > 0) {
      const item = stream.queue.shift()!;
      streamListener?.({ type: "queued", pending: stream.queue.length });
      try {
        const result = await translate(item.audio, stream.lang);
        streamListener?.({ type: "final", utteranceId: item.utteranceId, startedAt: item.startedAt, result });
      } catch (error) {
        streamListener?.({ type: "error", ...describeError(error) });
      }
    }
  } finally {
    if (stream) stream.running = false;
  }
}

async function refreshPartial(): Promise<void> {
  if (!stream || stream.running || stream.queue.length > 0) return;
  const speech = stream.segmenter.currentSpeech();
  // About once a second of new speech, and never for clips the encoder cannot take.
  if (!speech || speech.length < 8000 || Date.now() - stream.lastPartialAt < 1000) return;
  stream.lastPartialAt = Date.now();
  stream.running = true;
  try {
    const result = await translate(speech, stream.lang);
    if (stream.segmenter.currentSpeech()) streamListener?.({ type: "partial", text: result.text });
  } catch {
    // A failed provisional translation is not worth an error: the final one follows.
  } finally {
    stream.running = false;
  }
  await drainQueue();
}

let pushChain: Promise<void> = Promise.resolve();

async function processAudio(samples: Float32Array): Promise<void> {
  if (!stream) return;
  const events = await stream.segmenter.push(samples);
  for (const event of events) {
    if (event.type === "speech-start") {
      stream.speechStartedAt = Date.now();
      stream.lastPartialAt = Date.now();
      streamListener?.(event);
    } else if (event.type === "utterance") {
      stream.queue.push({ audio: event.audio, utteranceId: stream.nextId++, startedAt: stream.speechStartedAt });
      streamListener?.({ type: "queued", pending: stream.queue.length });
    }
  }
  if (stream.queue.length > 0) void drainQueue();
  else void refreshPartial();
}

const api = {
  load: (request: LoadRequest, onProgress?: (p: LoadProgress) => void) => loadEngine(request, onProgress),

  translate: (samples: Float32Array, lang: string, onText?: (text: string) => void) => translate(samples, lang, onText),

  /** Benchmark: `tokens` decode steps whatever the model says (EOS ignored), on the loaded backend. */
  async forcedDecode(samples: Float32Array, lang: string, tokens: number): Promise<TranslateResult> {
    if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
    return toResult(await loaded.engine.translate(samples, lang, { maxNewTokens: tokens, ignoreEos: true }), lang, loaded.backend.name);
  },

  /** What to translate of a clip (an uploaded file): the same check of speech as the CLI's
   * (NoSpeechError for silence, a tone or noise), the whole clip when it fits the window. */
  async segment(samples: Float32Array): Promise<Float32Array[]> {
    if (!loaded) throw new AppError("model-not-loaded", "Load a model first.");
    return clipUtterances(ort, await vadModelBytes(), samples, loaded.manifest.audio);
  },

  async startStream(lang: string, listener: (event: StreamEvent) => void): Promise<void> {
    await api.stopStream();
    streamListener = listener;
    stream = { segmenter: await newSegmenter(), lang, queue: [], running: false, nextId: 0, lastPartialAt: 0, speechStartedAt: Date.now() };
  },

  setLanguage(lang: string): void {
    if (stream) stream.lang = lang;
  },

  /** 16 kHz mono samples from the microphone worklet, processed strictly in arrival order. */
  pushAudio(samples: Float32Array): Promise<void> {
    // The page does not wait for one piece before sending the next; the VAD must see them in order.
    pushChain = pushChain.then(() => processAudio(samples)).catch((error: unknown) => streamListener?.({ type: "error", ...describeError(error) }));
    return pushChain;
  },

  /** Ends the stream: speech in progress becomes a final utterance, and the queue is finished. */
  async stopStream(): Promise<void> {
    await pushChain;
    if (!stream) return;
    for (const event of stream.segmenter.flush()) {
      if (event.type === "utterance") stream.queue.push({ audio: event.audio, utteranceId: stream.nextId++, startedAt: stream.speechStartedAt });
    }
    await drainQueue();
    while (stream.running) await new Promise((r) => setTimeout(r, 20));
    await drainQueue();
    await stream.segmenter.release();
    stream = null;
  },

  unload,

  listCached: () => store.listModels().then((models) => models.map((m) => ({ id: m.id, version: m.version, baseUrl: m.baseUrl, storedBytes: m.storedBytes }))),
  deleteCached: (id: string) => store.deleteModel(id),

  /** The manifest stored with a model's downloaded files (for the model list when offline), if it came from `baseUrl`. */
  cachedManifest: async (id: string, baseUrl: string): Promise<unknown> => {
    const cached = await store.getModel(id);
    return cached && cached.baseUrl === baseUrl ? cached.manifest : null;
  },

  /** Destroys the WebGPU device, as a driver reset would (e2e test of the fallback). */
  async loseWebGpuDevice(): Promise<void> {
    (await ort.env.webgpu.device)?.destroy();
  },

  /** The loaded model and backend, for the UI and the benchmark. */
  status: () => (loaded ? { modelId: loaded.manifest.id, variant: loaded.engine.variant, backend: loaded.backend } : null),
};

export type WorkerApi = typeof api;

Comlink.expose(api);
