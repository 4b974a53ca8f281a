// The Compare panel's figures, from what the worker returned for every clip: speed medians and
// corpus BLEU / chrF(++) per target language, scored as `compress eval` scores (src/core/metrics.ts).
import { pyStrip, scoreTranslations, type TranslationScores } from "./metrics";
import { summarize } from "./stats";
import type { TargetLanguage } from "./test-clips";

/** The part of the worker's per-utterance timings the comparison reports. */
export interface CompareTimings {
  encoderMs: number;
  prefillMs: number;
  decodeTokensPerSecond: number;
}

export interface CompareTranslation {
  clip: string;
  lang: TargetLanguage;
  reference: string;
  /** The decoded text with surrounding whitespace removed, as compress eval strips it before scoring. */
  hypothesis: string;
  timings: CompareTimings;
}

/** One clip's result; the text is stripped the way compress eval strips decoded text (Python's str.strip()). */
export function compareTranslation(clip: string, lang: TargetLanguage, reference: string, text: string, timings: CompareTimings): CompareTranslation {
  const { encoderMs, prefillMs, decodeTokensPerSecond } = timings;
  return { clip, lang, reference, hypothesis: pyStrip(text), timings: { encoderMs, prefillMs, decodeTokensPerSecond } };
}

export interface CompareSummary {
  /** Medians over every translation of the model (all clips, all languages run). */
  encoderMs: number;
  prefillMs: number;
  decodeTokensPerSecond: number;
  scores: Partial<Record<TargetLanguage, TranslationScores>>;
}

export function summarizeTranslations(translations: readonly CompareTranslation[]): CompareSummary {
  const median = (pick: (t: CompareTimings) => number) => summarize(translations.map((t) => pick(t.timings))).median;
  const scores: CompareSummary["scores"] = {};
  for (const lang of ["de", "zh"] as const) {
    const ofLang = translations.filter((t) => t.lang === lang);
    if (ofLang.length > 0) scores[lang] = scoreTranslations(ofLang.map((t) => t.hypothesis), ofLang.map((t) => t.reference), lang);
  }
  return {
    encoderMs: median((t) => t.encoderMs),
    prefillMs: median((t) => t.prefillMs),
    decodeTokensPerSecond: median((t) => t.decodeTokensPerSecond),
    scores,
  };
}
