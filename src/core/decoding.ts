// The decoding rules of a model folder (decoding.json; compress/decoding.py writes it and documents
// the rules): greedy picks the best token that keeps the text valid UTF-8, belongs to the task's
// training targets, and repeats neither an n-gram nor the block of tokens just written; EOS only
// between characters. The finished text says a phrase said twice in a row once (rule 5). The same file drives onnxruntime in Python, so both runtimes choose the same ids. Written by hand: no library constrains
// byte-level BPE decoding to valid UTF-8 (see compress/decoding.py).
import { ManifestError } from "./errors";

export const ACCEPT = 0;
const REJECT = -1;
const N_STATES = 8;
/** decoding.json's version; version 1 files decode without rules 4 and 5, version 2 without rule 5. */
const VERSION = 3;

// Rule 5's phrase said twice in a row, as compress/metrics.py's LOOP_WORDS and LOOP_HAN: two or more
// words (Python's Unicode \w is [\p{L}\p{N}_] here) with the same spelt-out separators, or three or
// more Chinese characters. Made on first use: a lookbehind does not parse in Safari before 16.4, and
// at module level it would stop the whole app from loading there.
const WORD = "[\\p{L}\\p{N}_]";
const SEPARATORS = "[ \\t\\n\\r\\u00a0\\u3000,]+";
let loopPatterns: [RegExp, RegExp] | null = null;

/** The text with every phrase said twice in a row said once, until none is left. */
export function collapseLoops(text: string): string {
  loopPatterns ??= [
    new RegExp(`(?<!${WORD})((?:${WORD}+${SEPARATORS})+${WORD}+)${SEPARATORS}\\1(?!${WORD})`, "gu"),
    /([\u3400-\u9fff]{3,})\1/gu,
  ];
  const [words, han] = loopPatterns;
  for (;;) {
    const shorter = text.replace(words, "$1").replace(han, "$1");
    if (shorter === text) return text;
    text = shorter;
  }
}

export interface DecodingTables {
  version: number;
  token_bytes: Array<string | null>;
  allowed: Record<string, number[]>;
  eos: number[];
  out_of_domain: number | null;
  no_repeat_ngram_size: number;
  /** Per task, the shortest block of tokens that may not be repeated immediately (version 2). */
  no_tandem_repeat_min?: Record<string, number>;
  /** Per task, whether its finished text says a phrase said twice in a row once (version 3). */
  collapse_loops?: Record<string, boolean>;
}

/** One byte through the UTF-8 automaton (states as in compress/decoding.py's utf8_step). */
export function utf8Step(state: number, byte: number): number {
  if (state === 0) {
    if (byte < 0x80) return 0;
    if (byte >= 0xc2 && byte <= 0xdf) return 1;
    if (byte === 0xe0) return 4;
    if (byte >= 0xe1 && byte <= 0xef && byte !== 0xed) return 2;
    if (byte === 0xed) return 5;
    if (byte === 0xf0) return 6;
    if (byte >= 0xf1 && byte <= 0xf3) return 3;
    if (byte === 0xf4) return 7;
    return REJECT;
  }
  const [lo, hi, next] = (
    {
      1: [0x80, 0xbf, 0], 2: [0x80, 0xbf, 1], 3: [0x80, 0xbf, 2], 4: [0xa0, 0xbf, 1],
      5: [0x80, 0x9f, 1], 6: [0x90, 0xbf, 2], 7: [0x80, 0x8f, 2],
    } as Record<number, [number, number, number]>
  )[state]!;
  return byte >= lo && byte <= hi ? next : REJECT;
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

export class DecodingRules {
  readonly vocab: number;
  readonly eos: readonly number[];
  readonly outOfDomain: number | null;
  readonly ngram: number;
  /** Rule 4's shortest banned block per task; empty for version 1 files. */
  private readonly tandemMin = new Map<string, number>();
  /** Rule 5's tasks; none for versions 1 and 2. */
  private readonly collapse = new Set<string>();
  /** nextState[s * vocab + t]: the automaton's state after token t from state s (-1: invalid). */
  private readonly nextState: Int8Array;
  /** masks[task][s]: 1 where a token may be chosen in state s. */
  private readonly masks = new Map<string, Uint8Array[]>();

  constructor(tables: DecodingTables) {
    if (![1, 2, VERSION].includes(tables.version)) {
      throw new ManifestError(`decoding.json version ${tables.version} is not supported (expected 1 to ${VERSION})`);
    }
    if (tables.version >= 2) {
      const mins = tables.no_tandem_repeat_min ?? {};
      const bad = Object.keys(tables.allowed).filter((task) => !(Number.isInteger(mins[task]) && mins[task]! >= 2));
      if (bad.length > 0) throw new ManifestError(`decoding.json: no_tandem_repeat_min needs an integer ≥ 2 for task(s) ${bad.join(", ")}`);
      for (const task of Object.keys(tables.allowed)) this.tandemMin.set(task, mins[task]!);
    }
    if (tables.version >= 3) {
      const collapse = tables.collapse_loops ?? {};
      const bad = Object.keys(tables.allowed).filter((task) => typeof collapse[task] !== "boolean");
      if (bad.length > 0) throw new ManifestError(`decoding.json: collapse_loops needs true or false for task(s) ${bad.join(", ")}`);
      for (const task of Object.keys(tables.allowed)) if (collapse[task]) this.collapse.add(task);
    }
    this.vocab = tables.token_bytes.length;
    this.eos = tables.eos;
    this.outOfDomain = tables.out_of_domain ?? null;
    this.ngram = tables.no_repeat_ngram_size;
    this.nextState = new Int8Array(N_STATES * this.vocab).fill(REJECT);
    tables.token_bytes.forEach((hex, token) => {
      if (!hex) return;
      const bytes = hexBytes(hex);
      for (let s = 0; s < N_STATES; s++) {
        let state = s;
        for (const b of bytes) {
          state = utf8Step(state, b);
          if (state === REJECT) break;
        }
        this.nextState[s * this.vocab + token] = state;
      }
    });
    for (const [task, ids] of Object.entries(tables.allowed)) {
      const perState: Uint8Array[] = [];
      for (let s = 0; s < N_STATES; s++) {
        const mask = new Uint8Array(this.vocab);
        for (const id of ids) if (this.nextState[s * this.vocab + id] !== REJECT) mask[id] = 1;
        if (s === ACCEPT) for (const id of this.eos) mask[id] = 1;
        perState.push(mask);
      }
      this.masks.set(task, perState);
    }
  }

  get tasks(): string[] {
    return [...this.masks.keys()];
  }

  /** State after `token` from `state`; invalid tokens leave it unchanged (they are never chosen). */
  next(state: number, token: number): number {
    const next = token < this.vocab ? this.nextState[state * this.vocab + token]! : REJECT;
    return next === REJECT ? state : next;
  }

  mask(task: string, state: number): Uint8Array {
    const masks = this.masks.get(task);
    if (!masks) throw new ManifestError(`decoding.json has no rules for task "${task}" (has ${this.tasks.join(", ")})`);
    return masks[state]!;
  }

  /** A finished output under rule 5. */
  finalText(task: string, text: string): string {
    return this.collapse.has(task) ? collapseLoops(text) : text;
  }

  /** Tokens that would complete an n-gram already in `ids` (rule 3, HF's no_repeat_ngram_size) or
   * repeat a block just written (rule 4). Never EOS: at a character boundary something stays allowed. */
  banned(task: string, ids: readonly number[]): Set<number> {
    const n = this.ngram;
    const out = new Set<number>();
    // Rule 4: ids + [t] ends with A A (|A| = k) when ids[L-2k+1 .. L-k) equals ids[L-k+1 .. L)
    // and t = ids[L-k]; O(L²) per step, no allocation.
    const L = ids.length;
    const kMin = this.tandemMin.get(task);
    if (kMin !== undefined) {
      for (let k = kMin; 2 * k <= L + 1; k++) {
        let same = true;
        for (let j = 0; j < k - 1 && same; j++) same = ids[L - 2 * k + 1 + j] === ids[L - k + 1 + j];
        if (same) out.add(ids[L - k]!);
      }
    }
    if (ids.length < n - 1) return out;
    const start = ids.length - n + 1;
    for (let i = 0; i + n - 1 < ids.length; i++) {
      let same = true;
      for (let k = 0; k < n - 1 && same; k++) same = ids[i + k] === ids[start + k];
      if (same) out.add(ids[i + n - 1]!);
    }
    return out;
  }
}

/** Greedy choice for one utterance, under the rules when a model has them; also keeps the model's
 * log-probability of each chosen token, for the utterance's confidence: the geometric mean of the
 * `confidenceTokens` least probable (the manifest's `confidence_tokens`; undefined: of every one). */
export class TokenChooser {
  private state = ACCEPT;
  private readonly ids: number[] = [];
  private readonly states: number[] = [];
  private readonly logprobs: number[] = [];

  constructor(
    private readonly rules: DecodingRules | null,
    private readonly task: string,
    private readonly confidenceTokens?: number,
  ) {}

  /** The chosen id from one row of logits (`offset` is where the row starts in `data`). */
  choose(data: Float32Array, offset: number, vocab: number): number {
    const { mask, banned, allowFirst } = this.limits();
    let best = -1;
    let bestValue = -Infinity;
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) {
      const value = data[offset + i]!;
      if (value > max) max = value;
      if (value > bestValue && (mask === null || (i < mask.length && mask[i] === 1) || i === allowFirst) && !banned?.has(i)) {
        bestValue = value;
        best = i;
      }
    }
    // Nothing admissible can only happen mid-character with every continuation banned: stop there.
    if (best < 0) best = this.rules!.eos[0]!;
    let sum = 0;
    for (let i = 0; i < vocab; i++) sum += Math.exp(data[offset + i]! - max);
    this.logprobs.push(data[offset + best]! - max - Math.log(sum));
    return best;
  }

  /** Each token's log-probability in float64 (as compress/decoding.py's log_softmax, so that both runtimes
   * rank beams alike), and the same with -Infinity wherever the rules forbid the token here. */
  admissible(data: Float32Array, offset: number, vocab: number): { logprobs: Float64Array; masked: Float64Array } {
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) max = Math.max(max, data[offset + i]!);
    let sum = 0;
    for (let i = 0; i < vocab; i++) sum += Math.exp(data[offset + i]! - max);
    const norm = max + Math.log(sum);
    const logprobs = new Float64Array(vocab);
    for (let i = 0; i < vocab; i++) logprobs[i] = data[offset + i]! - norm;
    const masked = new Float64Array(logprobs);
    const { mask, banned, allowFirst } = this.limits();
    if (mask) {
      for (let i = 0; i < vocab; i++) if (!((i < mask.length && mask[i] === 1) || i === allowFirst)) masked[i] = -Infinity;
      for (const i of banned!) if (i < vocab) masked[i] = -Infinity;
    }
    return { logprobs, masked };
  }

  /** What the rules allow at this point (nulls without rules): the task's mask for the UTF-8 state, the
   * tokens that would repeat, and the out-of-domain answer as a first token. */
  private limits(): { mask: Uint8Array | null; banned: Set<number> | null; allowFirst: number | null } {
    if (!this.rules) return { mask: null, banned: null, allowFirst: null };
    return {
      mask: this.rules.mask(this.task, this.state),
      banned: this.rules.banned(this.task, this.ids),
      allowFirst: this.ids.length === 0 && this.task !== "transcribe" ? this.rules.outOfDomain : null,
    };
  }

  /** A copy that goes on independently: a beam's own rules state, ids and log-probabilities. */
  branch(): TokenChooser {
    const other = new TokenChooser(this.rules, this.task, this.confidenceTokens);
    other.state = this.state;
    other.ids.push(...this.ids);
    other.states.push(...this.states);
    other.logprobs.push(...this.logprobs);
    return other;
  }

  /** Records a token chosen elsewhere (a beam search) with its log-probability; EOS is recorded with
   * `stop`, which keeps its log-probability only. */
  record(token: number, logprob: number, stop = false): void {
    this.logprobs.push(logprob);
    if (!stop) this.accept(token);
  }

  /** The tokens recorded so far. */
  get chosen(): readonly number[] {
    return this.ids;
  }

  get length(): number {
    return this.ids.length;
  }

  /** Records a chosen token that is not EOS. */
  accept(token: number): void {
    this.ids.push(token);
    this.states.push(this.state);
    if (this.rules) this.state = this.rules.next(this.state, token);
  }

  /** The "not in the phrasebook" token, when the rules have one. */
  get outOfDomainToken(): number | null {
    return this.rules?.outOfDomain ?? null;
  }

  isOutOfDomain(token: number): boolean {
    return this.rules !== null && token === this.rules.outOfDomain;
  }

  /** The ids without the trailing tokens of a character that the token budget cut short. */
  completeIds(): number[] {
    const ids = [...this.ids];
    let state = this.state;
    while (ids.length > 0 && state !== ACCEPT) {
      ids.pop();
      state = this.states[ids.length]!;
    }
    return ids;
  }

  /** Geometric mean of the chosen tokens' probabilities (EOS included), of the `confidenceTokens` least
   * probable only when set, in [0, 1]: a wrong slot is often one unsure token among many sure ones,
   * which the mean over every token dilutes. */
  confidence(): number {
    if (this.logprobs.length === 0) return 0;
    const chosen = this.confidenceTokens === undefined ? this.logprobs : [...this.logprobs].sort((a, b) => a - b).slice(0, this.confidenceTokens);
    return Math.exp(chosen.reduce((a, b) => a + b, 0) / chosen.length);
  }
}

/** The k highest finite values' indices, highest first, the lower index first among equals (one pass:
 * k is at most 32, the vocabulary thousands). */
function topTokens(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === -Infinity || (top.length === k && v <= values[top[k - 1]!]!)) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

interface Beam {
  chooser: TokenChooser;
  /** The sum of its tokens' log-probabilities. */
  score: number;
}

export interface FinishedBeam {
  chooser: TokenChooser;
  /** Log-probability per token: transformers' beam score with length_penalty 1. */
  score: number;
  /** The EOS or "not in the phrasebook" token that ended it; null: cut at the token budget. */
  stop: number | null;
}

/** Beam search under the decoding rules, step for step compress/decoding.py's BeamSearch (transformers'
 * with early_stopping and length_penalty 1): each step ranks every live beam's 2·beams best admissible
 * tokens by the beam's log-probability plus the token's; a stop token among the first `beams` ranks
 * finishes that hypothesis, scored per token (EOS's log-probability counted, its place not); the first
 * `beams` other candidates go on. It stops once `beams` hypotheses have finished. Ties go to the earlier
 * beam, then the lower token id. */
export class BeamSearch {
  live: Beam[];
  readonly finished: FinishedBeam[] = [];

  constructor(
    chooser: TokenChooser,
    private readonly beams: number,
    private readonly stopIds: ReadonlySet<number>,
    private readonly maxNewTokens: number,
  ) {
    if (!Number.isInteger(beams) || beams < 1) throw new Error(`beams must be an integer of at least 1, got ${beams}`);
    this.live = [{ chooser, score: 0 }];
  }

  /** rows: where each live beam's last logits start in `data` → [parent beam, token] of each beam that
   * goes on, in the new order (the caller runs those tokens and reorders its KV cache by the parents);
   * [] when the search is over. */
  step(data: Float32Array, offsets: readonly number[], vocab: number): Array<[number, number]> {
    const candidates: Array<{ score: number; beam: number; token: number; logprob: number }> = [];
    this.live.forEach((beam, b) => {
      const { logprobs, masked } = beam.chooser.admissible(data, offsets[b]!, vocab);
      for (const t of topTokens(masked, 2 * this.beams)) {
        candidates.push({ score: beam.score + masked[t]!, beam: b, token: t, logprob: logprobs[t]! });
      }
    });
    candidates.sort((x, y) => y.score - x.score || x.beam - y.beam || x.token - y.token);
    const goingOn: Beam[] = [];
    const picks: Array<[number, number]> = [];
    for (const [rank, c] of candidates.entries()) {
      const parent = this.live[c.beam]!;
      if (this.stopIds.has(c.token)) {
        if (rank < this.beams) {
          const done = parent.chooser.branch();
          done.record(c.token, c.logprob, true);
          this.finished.push({ chooser: done, score: c.score / Math.max(done.length, 1), stop: c.token });
        }
        continue;
      }
      const chooser = parent.chooser.branch();
      chooser.record(c.token, c.logprob);
      goingOn.push({ chooser, score: c.score });
      picks.push([c.beam, c.token]);
      if (goingOn.length === this.beams) break;
    }
    this.live = goingOn;
    if (this.finished.length >= this.beams || goingOn.length === 0) return [];
    if (goingOn[0]!.chooser.length >= this.maxNewTokens) {
      for (const beam of goingOn) this.finished.push({ chooser: beam.chooser, score: beam.score / beam.chooser.length, stop: null });
      return [];
    }
    return picks;
  }

  /** The finished hypothesis with the highest score (the first finished among equals). */
  best(): FinishedBeam {
    if (this.finished.length === 0) throw new Error("beam search ended with no hypothesis (no admissible token at the first step)");
    return this.finished.reduce((best, f) => (f.score > best.score ? f : best));
  }
}
