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
    const mask = this.rules ? this.rules.mask(this.task, this.state) : null;
    const banned = this.rules ? this.rules.banned(this.task, this.ids) : null;
    const allowFirst = this.rules !== null && this.ids.length === 0 && this.task !== "transcribe" ? this.rules.outOfDomain : null;
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

  /** Records a chosen token that is not EOS. */
  accept(token: number): void {
    this.ids.push(token);
    this.states.push(this.state);
    if (this.rules) this.state = this.rules.next(this.state, token);
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
