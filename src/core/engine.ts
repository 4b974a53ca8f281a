// One loaded model, ready to translate 16 kHz mono clips. It is runtime-agnostic:
// a `ModelRuntime` supplies sessions, tensors and side files, from onnxruntime-node
// and the file system (CLI, tests) or onnxruntime-web and IndexedDB (worker).
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { audioTokenCount, FeatureExtractor, minSamples } from "./audio";
import { DecodingRules, TokenChooser, type DecodingTables } from "./decoding";
import { encodeAudio, generate, type EncodedAudio, type GenerateTimings, type ModelSessions, type SessionLike, type TensorFactory } from "./generate";
import { confidenceThreshold, externalDataFor, type Manifest, type ManifestFile } from "./manifest";
import { buildPromptIds, loadTokenizer } from "./prompt";
import { ManifestError } from "./errors";
import { Reranker, type RerankTables } from "./rerank";
import { Utf8SafeTextStream } from "./text-stream";

/** Session config for every graph: the q4 embedding table is a constant DequantizeLinear + Gather,
 * which onnxruntime leaves unfolded by default (it keeps QDQ patterns for its quantised kernels),
 * so the whole table would be dequantised at every decode step; with QDQ handling off it is folded
 * once at load. Our graphs have no QDQ patterns (MatMulNBits is quantised natively). */
export const SESSION_EXTRA = { session: { disable_quant_qdq: "1" } } as const;

export interface ModelRuntime {
  readonly tensors: TensorFactory;
  /** Creates a session for `graph`, with its external-data shards. */
  createSession(graph: ManifestFile, externalData: ManifestFile[]): Promise<SessionLike>;
  /** Reads a side file (tokenizer.json, …) as JSON. */
  readJson(file: ManifestFile): Promise<unknown>;
}

export interface TranslateOptions {
  maxNewTokens?: number;
  /** The text safe to show so far, after each token. */
  onText?: (text: string) => void;
  /** Also write down what was heard, in English (models whose manifest has a "transcribe" prompt). */
  transcribe?: boolean;
  /** The translation, as soon as it is complete: before the transcription pass, which a listener
   * should not wait for (the result of `translate` then adds what was heard). */
  onTranslation?: (translation: Translation) => void;
  /** Benchmarks: decode exactly maxNewTokens tokens, EOS or not and without the decoding rules,
   * so that two models are timed over the same number of steps (a translation's own length is
   * 5–10 tokens, too few to time). */
  ignoreEos?: boolean;
  /** A provisional translation of speech still going on: decoded greedy, without the manifest's beams
   * or the transcript that reranks them. The final translation replaces it, and a provisional run as
   * costly as a final one (beams and a transcription first: 1.8–2× greedy on Node) would delay it. */
  provisional?: boolean;
}

export interface Translation {
  text: string;
  ids: number[];
  promptIds: number[];
  /** What the model heard, in English, when asked to transcribe and able to. */
  heard?: string;
  /** Geometric-mean probability of the translation's least probable tokens (the manifest's
   * confidence_tokens), 0–1; a reranked answer's is discounted by its misses (Reranker.confidence). */
  confidence: number;
  /** False when the model answered "not in the phrasebook" or its confidence is under the
   * manifest's confidence_threshold: the page then shows "not understood", not a translation. */
  understood: boolean;
  /** The model's own answer was "not in the phrasebook". */
  outOfDomain: boolean;
  nAudioTokens: number;
  audioSeconds: number;
  /** transcribeMs: the transcription's share; totalMs includes it when the translation waited for it (a
   * task whose beams are reranked by the transcript). */
  timings: GenerateTimings & { featuresMs: number; totalMs: number; transcribeMs?: number };
}

export class Engine {
  private constructor(
    readonly manifest: Manifest,
    readonly variant: string,
    private readonly runtime: ModelRuntime,
    private readonly sessions: ModelSessions,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly features: FeatureExtractor,
    /** The folder's decoding rules (decoding.json), when the manifest lists them. */
    readonly rules: DecodingRules | null,
    /** The tables that rerank a task's beams by the transcript (rerank.json), when the manifest lists them. */
    private readonly reranker: Reranker | null,
  ) {}

  static async load(manifest: Manifest, runtime: ModelRuntime, variant = manifest.default_variant): Promise<Engine> {
    const graphs = manifest.variants[variant];
    if (!graphs) throw new ManifestError(`variant "${variant}" is not in the manifest`);
    const file = (path: string): ManifestFile => {
      const entry = manifest.files.find((f) => f.path === path);
      if (!entry) throw new ManifestError(`${path} is not listed in the manifest`);
      return entry;
    };
    const session = (path: string) => runtime.createSession(file(path), externalDataFor(manifest, path));

    const [tokenizerJson, tokenizerConfig, preprocessorConfig, decodingJson, rerankJson] = await Promise.all([
      runtime.readJson(file("tokenizer.json")),
      runtime.readJson(file("tokenizer_config.json")),
      runtime.readJson(file("preprocessor_config.json")),
      manifest.decoding ? runtime.readJson(file(manifest.decoding)) : Promise.resolve(null),
      manifest.rerank ? runtime.readJson(file(manifest.rerank)) : Promise.resolve(null),
    ]);
    const reranker = rerankJson ? new Reranker(rerankJson as RerankTables) : null;
    // Sequential, not Promise.all: on WASM, session creation is not re-entrant-friendly
    // and peak memory stays at one graph being compiled at a time. A failure releases the sessions
    // made before it (on WebGPU they hold GPU memory, and the caller may go on in this worker).
    const made: SessionLike[] = [];
    const next = async (path: string) => {
      const created = await session(path);
      made.push(created);
      return created;
    };
    let sessions: ModelSessions;
    try {
      sessions = { audioEncoder: await next(graphs.audio_encoder), embedTokens: await next(graphs.embed_tokens), decoder: await next(graphs.decoder_model_merged) };
    } catch (error) {
      await Promise.all(made.map((s) => s.release().catch(() => undefined)));
      throw error;
    }
    return new Engine(
      manifest,
      variant,
      runtime,
      sessions,
      loadTokenizer(tokenizerJson, tokenizerConfig),
      new FeatureExtractor(preprocessorConfig as Record<string, unknown>, manifest.audio),
      decodingJson ? new DecodingRules(decodingJson as DecodingTables) : null,
      reranker,
    );
  }

  /** The log-mel of a short silence. In the browser the features' MatMul runs on onnxruntime-web's
   * WASM-only build (vite.config.ts), whatever the backend: this fetches and compiles that build at
   * load, while the page is online, rather than at the first utterance. */
  async prepareFeatures(): Promise<void> {
    await this.features.extract(new Float32Array(minSamples(this.manifest.audio)));
  }

  /** Whether this model can also say what it heard (a "transcribe" prompt in its manifest). */
  get canTranscribe(): boolean {
    return "transcribe" in this.manifest.prompts;
  }

  async translate(samples: Float32Array, lang: string, options: TranslateOptions = {}): Promise<Translation> {
    const start = performance.now();
    const nAudioTokens = audioTokenCount(samples.length, this.manifest.audio);
    const promptIds = buildPromptIds(this.tokenizer, this.manifest, lang, nAudioTokens);
    const features = await this.features.extract(samples);
    const featuresMs = performance.now() - start;
    const audio = await encodeAudio(this.sessions, this.runtime.tensors, features);
    try {
      // A task whose beams are reranked by the transcript waits for it; otherwise it comes after the translation.
      const before = this.reranks(lang, options) ? await this.transcribe(audio, nAudioTokens, options) : undefined;
      const stream = new Utf8SafeTextStream(this.tokenizer);
      const onToken = (id: number) => {
        // The final text is decoded from the stream; per-step text only for a listener.
        if (options.onText) options.onText(stream.push(id));
        else stream.add(id);
      };
      const result = await this.run(audio, promptIds, lang, options, onToken, before?.heard);
      const text = this.finished(lang, stream.finish(), options);
      // A reranked answer's confidence counts its misses against the transcript; a refusal was not reranked.
      const confidence = before && !result.outOfDomain ? this.reranker!.confidence(lang, result.confidence, text, before.heard) : result.confidence;
      // What a listener waits for: the translation's time (with the transcription it waited for, also timed apart).
      const threshold = confidenceThreshold(this.manifest, lang);
      const translation: Translation = {
        text,
        ids: result.ids,
        promptIds,
        confidence,
        outOfDomain: result.outOfDomain,
        understood: !result.outOfDomain && (threshold === undefined || confidence >= threshold),
        nAudioTokens,
        audioSeconds: samples.length / this.manifest.audio.sampling_rate,
        timings: { ...result.timings, featuresMs, totalMs: performance.now() - start, ...(before ? { transcribeMs: before.ms } : {}) },
        ...(before && options.transcribe ? { heard: before.heard } : {}),
      };
      options.onTranslation?.(translation);
      if (before || !options.transcribe || !this.canTranscribe || options.ignoreEos) return translation;
      const after = await this.transcribe(audio, nAudioTokens, options);
      return { ...translation, heard: after.heard, timings: { ...translation.timings, transcribeMs: after.ms } };
    } finally {
      audio.features.dispose();
    }
  }

  /** What the model heard, in English, and how long writing it down took. */
  private async transcribe(audio: EncodedAudio, nAudioTokens: number, options: TranslateOptions): Promise<{ heard: string; ms: number }> {
    const t = performance.now();
    const ids = buildPromptIds(this.tokenizer, this.manifest, "transcribe", nAudioTokens);
    const heard = this.finished("transcribe", this.decode((await this.run(audio, ids, "transcribe", options)).ids), options);
    return { heard, ms: performance.now() - t };
  }

  /** Whether a task's beams are reranked by the transcript: the folder has its tables (rerank.json), the
   * task is decoded with beams (only ever under the rules), and the model can transcribe. */
  private reranks(task: string, options: TranslateOptions): boolean {
    return this.reranker !== null && this.reranker.has(task) && this.canTranscribe && this.beamsFor(task, options) > 1;
  }

  private beamsFor(task: string, options: TranslateOptions): number {
    // Forced decoding (benchmarks, no rules) times the greedy loop; a provisional translation is greedy.
    return this.rulesFor(options) && !options.provisional ? (this.manifest.beams?.[task] ?? 1) : 1;
  }

  /** heard: the transcript that reranks the task's beams (compress/runtime.py's chosen). */
  private run(audio: EncodedAudio, promptIds: number[], task: string, options: TranslateOptions, onToken?: (id: number) => void, heard?: string) {
    const chooser = new TokenChooser(this.rulesFor(options), task, this.manifest.confidence_tokens);
    const reranker = heard === undefined ? null : this.reranker;
    return generate(this.sessions, this.runtime.tensors, this.manifest.decoder, promptIds, audio, {
      audioTokenId: this.manifest.tokens.audio,
      eosIds: options.ignoreEos ? [] : this.manifest.tokens.eos,
      maxNewTokens: options.maxNewTokens ?? 256,
      chooser,
      beams: this.beamsFor(task, options),
      ...(onToken ? { onToken } : {}),
      ...(reranker ? { pick: (search) => reranker.best(search, task, heard!, chooser.outOfDomainToken, (ids) => this.finished(task, this.decode(ids), options)) } : {}),
    });
  }

  /** The decoding rules a run goes by: none for forced decoding (benchmarks). */
  private rulesFor(options: TranslateOptions): DecodingRules | null {
    return options.ignoreEos ? null : this.rules;
  }

  /** A finished output under the rules' rule 5 (decoding.ts). */
  private finished(task: string, text: string, options: TranslateOptions): string {
    return this.rulesFor(options)?.finalText(task, text) ?? text;
  }

  decode(ids: number[]): string {
    return ids.length === 0 ? "" : this.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  async release(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s) => s.release()));
  }
}
