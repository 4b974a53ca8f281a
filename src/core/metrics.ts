// Corpus BLEU and chrF / chrF++ exactly as sacreBLEU 2.4.3 computes them, so the app's
// Compare panel gives the numbers `python -m compress eval` writes (compress/metrics.py:
// BLEU with tokenize "13a" for German and "zh" for Chinese; chrF++ for German, chrF for Chinese).
//
// Written by hand: there is no maintained JavaScript port of sacreBLEU on npm. Every step follows
// the Python source (sacrebleu/metrics/bleu.py, chrf.py, helpers.py, tokenizers/tokenizer_13a.py,
// tokenizer_re.py, tokenizer_zh.py), including its quirks; src/core/metrics.test.ts checks the
// results against sacreBLEU's answers (fixtures/reference/sacrebleu.json, kept current by
// tests/test_reference_fixtures.py).
//
// Strings are handled as Unicode code points (as Python's str is), never as UTF-16 code units.
import type { TargetLanguage } from "./test-clips";

// Until src/main.ts and src/ui/compare.ts import it from ./test-clips.
export type { TargetLanguage };

export type BleuTokenizer = "13a" | "zh" | "none";

/** Python's str.isspace() set, which str.split() / strip() use (JavaScript's \s differs: it has U+FEFF, lacks U+001C–U+001F and U+0085). */
const PY_WHITESPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, "g");
const PY_LEADING = new RegExp(`^[${PY_WHITESPACE}]+`);
const PY_TRAILING = new RegExp(`[${PY_WHITESPACE}]+$`);

/** Python's `s.split()`: split on runs of whitespace, no empty strings. */
export function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE_RUN).filter((t) => t.length > 0);
}
/** Python's `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(PY_LEADING, "").replace(PY_TRAILING, "");
}
function pyRstrip(s: string): string {
  return s.replace(PY_TRAILING, "");
}

// --- tokenizers ----------------------------------------------------------------

/** sacreBLEU's TokenizerRegexp: the mteval-v13a rules shared by the 13a and zh tokenizers. */
function tokenizeRegexp(line: string): string {
  // No `u` flag: the classes are ASCII only, and the Python escapes (\~, \`, \&, …) are only legal without it.
  line = line.replace(/([\{-\~\[-\` -\&\(-\+\:-\@\/])/g, " $1 ");
  // period and comma, unless preceded by a digit
  line = line.replace(/([^0-9])([\.,])/g, "$1 $2 ");
  // period and comma, unless followed by a digit
  line = line.replace(/([\.,])([^0-9])/g, " $1 $2");
  // dash preceded by a digit
  line = line.replace(/([0-9])(-)/g, "$1 $2 ");
  return pySplit(line).join(" ");
}

function tokenize13a(line: string): string {
  line = line.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (line.includes("&")) {
    line = line.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  }
  return tokenizeRegexp(` ${line} `);
}

/**
 * sacreBLEU's _UCODE_RANGES, copied as written. Two entries were meant as astral ranges but
 * `u'\u20000'` is "\u2000" followed by "0" (in Python as in JavaScript), so with Python's string
 * comparison they cover U+2001…U+2A6D and U+2F81…U+2FA1 (general punctuation such as “ ” – €
 * included) and no astral character at all. Compared the Python way below, the quirk is kept.
 */
const ZH_RANGES: ReadonlyArray<readonly [string, string]> = [
  ["\u3400", "\u4db5"],
  ["\u4e00", "\u9fa5"],
  ["\u9fa6", "\u9fbb"],
  ["\uf900", "\ufa2d"],
  ["\ufa30", "\ufa6a"],
  ["\ufa70", "\ufad9"],
  ["\u20000", "\u2a6d6"],
  ["\u2f800", "\u2fa1d"],
  ["\uff00", "\uffef"],
  ["\u2e80", "\u2eff"],
  ["\u3000", "\u303f"],
  ["\u31c0", "\u31ef"],
  ["\u2f00", "\u2fdf"],
  ["\u2ff0", "\u2fff"],
  ["\u3100", "\u312f"],
  ["\u31a0", "\u31bf"],
  ["\ufe10", "\ufe1f"],
  ["\ufe30", "\ufe4f"],
  ["\u2600", "\u26ff"],
  ["\u2700", "\u27bf"],
  ["\u3200", "\u32ff"],
  ["\u3300", "\u33ff"],
];

/** Python's str comparison: lexicographic by code point (JavaScript's `<` compares UTF-16 units). */
function comparePy(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const chineseCache = new Map<string, boolean>();
function isChineseChar(char: string): boolean {
  let known = chineseCache.get(char);
  if (known === undefined) {
    known = ZH_RANGES.some(([start, end]) => comparePy(start, char) <= 0 && comparePy(char, end) <= 0);
    chineseCache.set(char, known);
  }
  return known;
}

function tokenizeZh(line: string): string {
  let spaced = "";
  for (const char of pyStrip(line)) spaced += isChineseChar(char) ? ` ${char} ` : char;
  // sacreBLEU's TokenizerZh post-processes with TokenizerRegexp (not the full 13a).
  return tokenizeRegexp(spaced);
}

export function tokenizeForBleu(line: string, tokenizer: BleuTokenizer): string {
  switch (tokenizer) {
    case "13a":
      return tokenize13a(line);
    case "zh":
      return tokenizeZh(line);
    case "none":
      return line;
  }
}

// --- n-grams -------------------------------------------------------------------

function count(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Word n-grams of orders min..max, keyed by the tokens joined with spaces (tokens hold no whitespace). */
function wordNgrams(tokens: readonly string[], minOrder: number, maxOrder: number): Map<string, number> {
  const grams: string[] = [];
  for (let n = minOrder; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) grams.push(tokens.slice(i, i + n).join(" "));
  }
  return count(grams);
}

function charNgrams(chars: readonly string[], n: number): Map<string, number> {
  const grams: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(""));
  return count(grams);
}

/** Reference streams, sacreBLEU style: `refs[k][i]` is the k-th reference of segment i. */
export type ReferenceStreams = ReadonlyArray<ReadonlyArray<string>>;

function segmentsOf(hyps: readonly string[], refs: ReferenceStreams): Array<{ hyp: string; refs: string[] }> {
  if (hyps.length === 0) throw new Error("no hypotheses to score");
  if (refs.length === 0) throw new Error("no reference stream");
  for (const stream of refs) {
    if (stream.length !== hyps.length) throw new Error(`${hyps.length} hypotheses but a reference stream of ${stream.length}`);
  }
  return hyps.map((hyp, i) => ({ hyp, refs: refs.map((stream) => stream[i]!) }));
}

// --- BLEU ----------------------------------------------------------------------

export interface BleuScore {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

export interface BleuOptions {
  tokenize?: BleuTokenizer;
  smoothMethod?: "exp" | "floor" | "add-k" | "none";
  smoothValue?: number;
  maxNgramOrder?: number;
  /** sacreBLEU's use_effective_order (off for corpus BLEU, as corpus_bleu's default). */
  effectiveOrder?: boolean;
}

const SMOOTH_DEFAULTS = { none: undefined, floor: 0.1, "add-k": 1, exp: undefined } as const;

/** sacreBLEU's my_log: log with log(0) floored to a very low number. */
const myLog = (x: number) => (x === 0 ? -9999999999 : Math.log(x));

/** BLEU.compute_bleu: the score from summed sufficient statistics. */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  smoothMethod: NonNullable<BleuOptions["smoothMethod"]> = "none",
  smoothValueIn?: number,
  effectiveOrder = false,
  maxNgramOrder = 4,
): BleuScore {
  const correct = [...correctIn];
  const total = [...totalIn];
  const smoothValue = smoothValueIn ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxNgramOrder).fill(0);
  const result = (score: number): BleuScore => ({ score, counts: correct, totals: total, precisions, bp, sysLen, refLen });
  if (!correct.some((c) => c !== 0)) return result(0);

  let smoothMteval = 1;
  let effOrder = maxNgramOrder;
  for (let n = 1; n <= precisions.length; n++) {
    if (smoothMethod === "add-k" && n > 1) {
      correct[n - 1]! += smoothValue;
      total[n - 1]! += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]!);
      } else if (smoothMethod === "floor") {
        precisions[n - 1] = (100 * smoothValue) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  const logSum = precisions.slice(0, effOrder).reduce((sum, p) => sum + myLog(p), 0);
  return result(bp * Math.exp(logSum / effOrder));
}

/** The reference length closest to the hypothesis length; the shorter one on a tie. */
function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = refLen;
    } else if (diff === closestDiff && refLen < closestLen) {
      closestLen = refLen;
    }
  }
  return closestLen;
}

/** sacrebleu.corpus_bleu(hyps, refs, tokenize=…): defaults as there (smoothing "exp", no effective order). */
export function corpusBleu(hyps: readonly string[], refs: ReferenceStreams, options: BleuOptions = {}): BleuScore {
  const { tokenize = "13a", smoothMethod = "exp", smoothValue, maxNgramOrder = 4, effectiveOrder = false } = options;
  const preprocess = (s: string) => pySplit(tokenizeForBleu(pyRstrip(s), tokenize));
  let sysLen = 0;
  let refLen = 0;
  const correct = new Array<number>(maxNgramOrder).fill(0);
  const total = new Array<number>(maxNgramOrder).fill(0);
  for (const segment of segmentsOf(hyps, refs)) {
    // Reference n-gram counts: the maximum over the references (clipping as in BLEU).
    const refNgrams = new Map<string, number>();
    const refLens: number[] = [];
    for (const ref of segment.refs) {
      const tokens = preprocess(ref);
      refLens.push(tokens.length);
      for (const [gram, c] of wordNgrams(tokens, 1, maxNgramOrder)) refNgrams.set(gram, Math.max(refNgrams.get(gram) ?? 0, c));
    }
    const hypTokens = preprocess(segment.hyp);
    sysLen += hypTokens.length;
    refLen += closestRefLen(hypTokens.length, refLens);
    for (const [gram, c] of wordNgrams(hypTokens, 1, maxNgramOrder)) {
      const n = gram.split(" ").length - 1;
      total[n]! += c;
      correct[n]! += Math.min(c, refNgrams.get(gram) ?? 0);
    }
  }
  return computeBleu(correct, total, sysLen, refLen, smoothMethod, smoothValue, effectiveOrder, maxNgramOrder);
}

// --- chrF / chrF++ -------------------------------------------------------------

export interface ChrfOptions {
  charOrder?: number;
  /** 0: chrF; 2: chrF++. */
  wordOrder?: number;
  beta?: number;
  /** sacreBLEU's `whitespace` (corpus_chrf's `not remove_whitespace`): keep spaces in character n-grams. */
  whitespace?: boolean;
  epsSmoothing?: boolean;
}

const PUNCTUATION = new Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

/** CHRF._remove_punctuation: one leading or trailing ASCII punctuation mark becomes its own word. */
function chrfWords(sentence: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(sentence)) {
    const chars = Array.from(word);
    if (chars.length === 1) words.push(word);
    else if (PUNCTUATION.has(chars.at(-1)!)) words.push(chars.slice(0, -1).join(""), chars.at(-1)!);
    else if (PUNCTUATION.has(chars[0]!)) words.push(chars[0]!, chars.slice(1).join(""));
    else words.push(word);
  }
  return words;
}

function chrfNgrams(sentence: string, o: Required<ChrfOptions>): Array<Map<string, number>> {
  const chars = Array.from(o.whitespace ? sentence : pySplit(sentence).join(""));
  const grams: Array<Map<string, number>> = [];
  for (let n = 1; n <= o.charOrder; n++) grams.push(charNgrams(chars, n));
  if (o.wordOrder > 0) {
    const words = chrfWords(sentence);
    for (let n = 1; n <= o.wordOrder; n++) grams.push(wordNgrams(words, n, n));
  }
  return grams;
}

/** CHRF._get_match_statistics: [hypothesis count, reference count, matches] of one order. */
function matchStatistics(hyp: Map<string, number>, ref: Map<string, number>): [number, number, number] {
  let hypCount = 0;
  let matches = 0;
  for (const [gram, c] of hyp) {
    hypCount += c;
    matches += Math.min(c, ref.get(gram) ?? 0);
  }
  let refCount = 0;
  for (const c of ref.values()) refCount += c;
  // No hypothesis n-grams are counted when the reference has none of that order.
  return [ref.size > 0 ? hypCount : 0, refCount, matches];
}

/** CHRF._compute_f_score over flattened [hyp, ref, match] triples. */
function chrfFScore(stats: readonly number[], o: Required<ChrfOptions>): number {
  const eps = 1e-16;
  const factor = o.beta ** 2;
  const order = o.charOrder + o.wordOrder;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = [stats[3 * i]!, stats[3 * i + 1]!, stats[3 * i + 2]!];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder++;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0;
    avgRec = 0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) return (100 * ((1 + factor) * avgPrec * avgRec)) / (factor * avgPrec + avgRec);
  return 0;
}

/** sacrebleu.corpus_chrf(hyps, refs, word_order=…): per segment the best-scoring reference, statistics summed over the corpus. */
export function corpusChrf(hyps: readonly string[], refs: ReferenceStreams, options: ChrfOptions = {}): number {
  const o: Required<ChrfOptions> = { charOrder: 6, wordOrder: 0, beta: 2, whitespace: false, epsSmoothing: false, ...options };
  const totals = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  for (const segment of segmentsOf(hyps, refs)) {
    const hypNgrams = chrfNgrams(segment.hyp, o);
    let best: number[] = [];
    let bestF = -1;
    for (const ref of segment.refs) {
      const refNgrams = chrfNgrams(ref, o);
      const stats = hypNgrams.flatMap((h, i) => matchStatistics(h, refNgrams[i]!));
      const f = chrfFScore(stats, o);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach((value, i) => (totals[i]! += value));
  }
  return chrfFScore(totals, o);
}

// --- the project's evaluation --------------------------------------------------

export interface TranslationScores {
  bleu: number;
  chrf: number;
  /** "chrF++" for German, "chrF" for Chinese. */
  chrfVariant: "chrF++" | "chrF";
  /** Percent of hypotheses equal to their reference with case, spaces and punctuation ignored. */
  accuracy: number;
  n: number;
}

/** A sentence with case, spaces and punctuation ignored (compress/metrics.py's `normalised`). */
export function normalised(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Share of hypotheses that are their reference once normalised, in percent: chrF gives most of its
 * credit to a translation with the wrong city in it; for a phrasebook that one is wrong. */
export function sentenceAccuracy(hyps: readonly string[], refs: readonly string[]): number {
  if (hyps.length === 0) return 0;
  return (100 * hyps.filter((h, i) => normalised(h) === normalised(refs[i]!)).length) / hyps.length;
}

/** What compress/metrics.py `score()` computes (unrounded): BLEU (13a / zh tokens), chrF++ for de, chrF for zh. */
export function scoreTranslations(hyps: readonly string[], refs: readonly string[], lang: TargetLanguage): TranslationScores {
  if (hyps.length !== refs.length) throw new Error(`${hyps.length} hypotheses for ${refs.length} references`);
  const wordOrder = lang === "de" ? 2 : 0;
  return {
    bleu: corpusBleu(hyps, [refs], { tokenize: lang === "zh" ? "zh" : "13a" }).score,
    chrf: corpusChrf(hyps, [refs], { wordOrder }),
    chrfVariant: wordOrder === 2 ? "chrF++" : "chrF",
    accuracy: sentenceAccuracy(hyps, refs),
    n: hyps.length,
  };
}
