import { BeamSearch, type FinishedBeam, type TokenChooser } from "./decoding";
// The generation loop of the contract: audio features -> audio tokens -> merged
// embeddings -> prefill with an empty past -> greedy decoding with a KV cache, or beam search where
// the manifest gives the task a beam width, under the model's decoding rules (decoding.ts) when it has them.
// It talks to ONNX Runtime only through the small interfaces below, so the same
// code runs on onnxruntime-node (tests, CLI) and onnxruntime-web (worker).

export interface TensorLike {
  readonly dims: readonly number[];
  readonly type: string;
  readonly data: unknown;
  /** Where the data lives: "cpu", or "gpu-buffer" for the KV cache kept on WebGPU (`data` then throws). */
  readonly location?: string;
  /** The data, downloaded first where it is not on the CPU. */
  getData?(): Promise<unknown>;
  dispose(): void;
}

export type Feeds = Record<string, TensorLike>;

export interface SessionLike {
  readonly inputNames: readonly string[];
  run(feeds: Feeds): Promise<Record<string, TensorLike>>;
  release(): Promise<void>;
}

/** Builds CPU tensors for whichever ONNX Runtime is in use. */
export interface TensorFactory {
  float32(data: Float32Array, dims: readonly number[]): TensorLike;
  int64(data: BigInt64Array, dims: readonly number[]): TensorLike;
}

export interface ModelSessions {
  audioEncoder: SessionLike;
  embedTokens: SessionLike;
  decoder: SessionLike;
}

export interface DecoderShape {
  num_layers: number;
  num_kv_heads: number;
  head_dim: number;
}

export interface GenerateOptions {
  audioTokenId: number;
  eosIds: readonly number[];
  maxNewTokens: number;
  /** Picks each token (greedy, under the model's rules) and keeps its log-probability. */
  chooser: TokenChooser;
  /** Called after each new token, before the next decoder step; with beams, once per token of the
   * chosen hypothesis when the search is over. */
  onToken?: (id: number) => void;
  /** Beam width (the manifest's `beams` for the task); absent or 1: greedy. */
  beams?: number;
  /** With beams: picks the answer among the finished hypotheses (the engine's rerank by the transcript);
   * absent: the best-scored. */
  pick?: (search: BeamSearch) => FinishedBeam;
}

export interface GenerateTimings {
  encoderMs: number;
  embedMs: number;
  prefillMs: number;
  /** Prefill start to first token chosen. */
  firstTokenMs: number;
  decodeMs: number;
  /** Tokens produced by decode steps (not counting the one from prefill); with beams, the batched steps run. */
  decodeTokens: number;
}

export interface GenerateResult {
  ids: number[];
  /** The model answered that the speech is not in its phrasebook (its out-of-domain token). */
  outOfDomain: boolean;
  /** Geometric-mean probability of the chosen tokens. */
  confidence: number;
  timings: GenerateTimings;
}

/** Audio features computed once, for several prompts over the same utterance (translate, then transcribe). */
export interface EncodedAudio {
  features: TensorLike;
  encoderMs: number;
}

const now = () => performance.now();

export async function encodeAudio(
  sessions: ModelSessions,
  tensors: TensorFactory,
  features: { data: Float32Array; dims: readonly number[] },
): Promise<EncodedAudio> {
  const t = now();
  const audioFeatures = await runOne(sessions.audioEncoder, { input_features: tensors.float32(features.data, features.dims) }, "audio_features");
  return { features: audioFeatures, encoderMs: now() - t };
}

/** Decodes one prompt over encoded audio; the caller disposes `audio.features` when done with it. */
export async function generate(
  sessions: ModelSessions,
  tensors: TensorFactory,
  shape: DecoderShape,
  promptIds: readonly number[],
  audio: EncodedAudio,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const t = now();
  const promptEmbeds = await embed(sessions.embedTokens, tensors, promptIds);
  const inputsEmbeds = mergeAudio(promptEmbeds, audio.features, promptIds, options.audioTokenId);
  const embedMs = now() - t;

  const emptyPast = new Float32Array(0);
  let past: Feeds = {};
  for (let layer = 0; layer < shape.num_layers; layer++) {
    for (const kind of ["key", "value"] as const) {
      past[`past_key_values.${layer}.${kind}`] = tensors.float32(emptyPast, [1, shape.num_kv_heads, 0, shape.head_dim]);
    }
  }

  const prefillStart = now();
  let step = await decoderStep(sessions.decoder, tensors, shape, inputsEmbeds, promptIds.length, 0, past);
  const prefillMs = now() - prefillStart;
  past = step.present;
  if ((options.beams ?? 1) > 1) {
    return beamSearch(sessions, tensors, shape, promptIds.length, step.logits, past, options, { encoderMs: audio.encoderMs, embedMs, prefillMs, prefillStart });
  }

  const chooser = options.chooser;
  let next = chooser.choose(step.logits.data as Float32Array, lastRowOffset(step.logits), vocabOf(step.logits));
  step.logits.dispose();
  const firstTokenMs = now() - prefillStart;
  let outOfDomain = false;
  let decodeTokens = 0;
  const decodeStart = now();
  let length = promptIds.length;
  let ids: number[] = [];

  for (;;) {
    if (options.eosIds.includes(next)) break;
    if (chooser.isOutOfDomain(next)) {
      outOfDomain = true;
      break;
    }
    chooser.accept(next);
    ids.push(next);
    options.onToken?.(next);
    if (ids.length >= options.maxNewTokens) {
      ids = chooser.completeIds();
      break;
    }

    const tokenEmbeds = await embed(sessions.embedTokens, tensors, [next]);
    step = await decoderStep(sessions.decoder, tensors, shape, tokenEmbeds, 1, length, past);
    disposeAll(past);
    past = step.present;
    length += 1;
    next = chooser.choose(step.logits.data as Float32Array, lastRowOffset(step.logits), vocabOf(step.logits));
    step.logits.dispose();
    decodeTokens += 1;
  }
  disposeAll(past);

  return {
    ids,
    outOfDomain,
    confidence: chooser.confidence(),
    timings: { encoderMs: audio.encoderMs, embedMs, prefillMs, firstTokenMs, decodeMs: now() - decodeStart, decodeTokens },
  };
}

/** decoding.ts's BeamSearch over batched decoder steps: every live beam is one row of the batch, and the
 * KV cache's rows follow their parents (compress/runtime.py's beam_search, the reference). */
async function beamSearch(
  sessions: ModelSessions,
  tensors: TensorFactory,
  shape: DecoderShape,
  promptLength: number,
  prefillLogits: TensorLike,
  prefillPast: Feeds,
  options: GenerateOptions,
  prefill: { encoderMs: number; embedMs: number; prefillMs: number; prefillStart: number },
): Promise<GenerateResult> {
  const stops = new Set(options.eosIds);
  const outOfDomain = options.chooser.outOfDomainToken;
  if (outOfDomain !== null) stops.add(outOfDomain);
  const search = new BeamSearch(options.chooser, options.beams!, stops, options.maxNewTokens);
  const vocab = vocabOf(prefillLogits);
  let picks = search.step(prefillLogits.data as Float32Array, [lastRowOffset(prefillLogits)], vocab);
  prefillLogits.dispose();
  const firstTokenMs = now() - prefill.prefillStart;
  const decodeStart = now();
  let past = prefillPast;
  let decodeTokens = 0;
  while (picks.length > 0) {
    const reordered = await reorderPast(tensors, past, picks.map(([parent]) => parent));
    disposeAll(past);
    past = reordered;
    const length = promptLength + search.live[0]!.chooser.length - 1;
    const ids = tensors.int64(BigInt64Array.from(picks, ([, token]) => BigInt(token)), [picks.length, 1]);
    const tokenEmbeds = await runOne(sessions.embedTokens, { input_ids: ids }, "inputs_embeds");
    const step = await decoderStep(sessions.decoder, tensors, shape, tokenEmbeds, 1, length, past, picks.length);
    disposeAll(past);
    past = step.present;
    const seq = step.logits.dims[1]!;
    const offsets = picks.map((_, row) => (row * seq + seq - 1) * vocab);
    picks = search.step(step.logits.data as Float32Array, offsets, vocab);
    step.logits.dispose();
    decodeTokens += 1;
  }
  disposeAll(past);
  const best = options.pick ? options.pick(search) : search.best();
  // A hypothesis cut at the token budget may end mid-character; a stopped one ends between characters.
  const ids = best.chooser.completeIds();
  for (const id of ids) options.onToken?.(id);
  return {
    ids,
    outOfDomain: outOfDomain !== null && best.stop === outOfDomain,
    confidence: best.chooser.confidence(),
    timings: { encoderMs: prefill.encoderMs, embedMs: prefill.embedMs, prefillMs: prefill.prefillMs, firstTokenMs, decodeMs: now() - decodeStart, decodeTokens },
  };
}

/** The KV cache with row i taken from row parents[i] (a beam and the beam it grew from), on the CPU: on
 * WebGPU the cache is downloaded for it (about 1 MB a step for a phrase and four beams). */
async function reorderPast(tensors: TensorFactory, past: Feeds, parents: readonly number[]): Promise<Feeds> {
  const out: Feeds = {};
  for (const [name, tensor] of Object.entries(past)) {
    const [, heads, length, dim] = tensor.dims as [number, number, number, number];
    const row = heads * length * dim;
    const data = (tensor.location !== undefined && tensor.location !== "cpu" ? await tensor.getData!() : tensor.data) as Float32Array;
    const reordered = new Float32Array(parents.length * row);
    parents.forEach((parent, i) => reordered.set(data.subarray(parent * row, (parent + 1) * row), i * row));
    out[name] = tensors.float32(reordered, [parents.length, heads, length, dim]);
  }
  return out;
}

async function runOne(session: SessionLike, feeds: Feeds, output: string): Promise<TensorLike> {
  const outputs = await session.run(feeds);
  for (const tensor of Object.values(feeds)) tensor.dispose();
  const result = outputs[output];
  if (!result) throw new Error(`session produced no "${output}" output`);
  return result;
}

async function embed(session: SessionLike, tensors: TensorFactory, ids: readonly number[]): Promise<TensorLike> {
  const inputIds = tensors.int64(BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
  return runOne(session, { input_ids: inputIds }, "inputs_embeds");
}

/** Replaces the rows at audio-token positions by the encoder's rows, in order (the audio rows stay the caller's). */
export function mergeAudio(
  promptEmbeds: TensorLike,
  audioFeatures: TensorLike,
  promptIds: readonly number[],
  audioTokenId: number,
): { data: Float32Array; dims: number[] } {
  const [, seq, hidden] = promptEmbeds.dims as [number, number, number];
  const [, nAudio, audioHidden] = audioFeatures.dims as [number, number, number];
  const positions = promptIds.flatMap((id, i) => (id === audioTokenId ? [i] : []));
  if (positions.length !== nAudio) {
    throw new Error(`prompt has ${positions.length} audio tokens but the encoder produced ${nAudio} rows`);
  }
  if (audioHidden !== hidden) throw new Error(`audio features width ${audioHidden} != embedding width ${hidden}`);
  const data = new Float32Array(promptEmbeds.data as Float32Array);
  const audio = audioFeatures.data as Float32Array;
  positions.forEach((pos, row) => data.set(audio.subarray(row * hidden, (row + 1) * hidden), pos * hidden));
  promptEmbeds.dispose();
  return { data, dims: [1, seq, hidden] };
}

async function decoderStep(
  decoder: SessionLike,
  tensors: TensorFactory,
  shape: DecoderShape,
  embeds: TensorLike | { data: Float32Array; dims: number[] },
  seq: number,
  pastLength: number,
  past: Feeds,
  batch = 1,
): Promise<{ logits: TensorLike; present: Feeds }> {
  const inputsEmbeds = "dispose" in embeds ? embeds : tensors.float32(embeds.data, embeds.dims);
  const total = pastLength + seq;
  const positions = Array.from({ length: batch * seq }, (_, i) => BigInt(pastLength + (i % seq)));
  const feeds: Feeds = {
    ...past,
    inputs_embeds: inputsEmbeds,
    attention_mask: tensors.int64(new BigInt64Array(batch * total).fill(1n), [batch, total]),
    position_ids: tensors.int64(BigInt64Array.from(positions), [batch, seq]),
  };
  const outputs = await decoder.run(feeds);
  // Past tensors are owned by the caller (disposed after this step); the rest are ours.
  inputsEmbeds.dispose();
  feeds.attention_mask?.dispose();
  feeds.position_ids?.dispose();

  const logits = outputs.logits;
  if (!logits) throw new Error('decoder produced no "logits" output');

  const present: Feeds = {};
  for (let layer = 0; layer < shape.num_layers; layer++) {
    for (const kind of ["key", "value"] as const) {
      const tensor = outputs[`present.${layer}.${kind}`];
      if (!tensor) throw new Error(`decoder produced no "present.${layer}.${kind}" output`);
      present[`past_key_values.${layer}.${kind}`] = tensor;
    }
  }
  return { logits, present };
}

function vocabOf(logits: TensorLike): number {
  return logits.dims[logits.dims.length - 1]!;
}

/** Where the last position's row starts in the [1, seq, vocab] logits. */
function lastRowOffset(logits: TensorLike): number {
  const dims = logits.dims;
  return (dims[dims.length - 2]! - 1) * vocabOf(logits);
}

function disposeAll(feeds: Feeds): void {
  for (const tensor of Object.values(feeds)) tensor.dispose();
}
