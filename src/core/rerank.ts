// Reranking a beam search's hypotheses by what the model heard: compress/rerank.py's Reranker, the
// reference, which documents the tables (rerank.json). A miss is a word of a hypothesis that no word of the
// transcript translates to, or a word of the transcript that no word of the hypothesis translates back to
// (IBM Model 1 learnt from the training corpus, probability ≥ the file's tau); each costs the task's weight
// against the hypothesis's log-probability per token. Counted by hand: a few lines on two sets.
import { ManifestError } from "./errors";
import type { BeamSearch, FinishedBeam } from "./decoding";

const VERSION = 1;
/** IBM Model 1's empty word in rerank.json: a word whose list holds it needs no partner. */
const NULL = "";
/** A word: one Han character, a run of digits, or a run of Latin letters, after lower-casing (as compress/rerank.py's WORD). */
const WORD = /[\u3400-\u9fff]|[0-9]+|[a-zäöüßéèêàâçñ]+/g;

export interface RerankTables {
  version: number;
  tau: number;
  iterations: number;
  tasks: Record<string, { weight: number; to: Record<string, string[]>; back: Record<string, string[]> }>;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

interface TaskTables {
  weight: number;
  to: Map<string, ReadonlySet<string>>;
  back: Map<string, ReadonlySet<string>>;
}

export class Reranker {
  private readonly tasks = new Map<string, TaskTables>();

  constructor(tables: RerankTables) {
    if (tables.version !== VERSION) throw new ManifestError(`rerank.json version ${tables.version} is not supported (expected ${VERSION})`);
    for (const [task, t] of Object.entries(tables.tasks ?? {})) {
      if (!(typeof t.weight === "number" && t.weight > 0)) throw new ManifestError(`rerank.json: task "${task}" needs a positive weight`);
      const sets = (table: Record<string, string[]>) => new Map(Object.entries(table).map(([w, s]) => [w, new Set(s)] as const));
      this.tasks.set(task, { weight: t.weight, to: sets(t.to), back: sets(t.back) });
    }
  }

  has(task: string): boolean {
    return this.tasks.has(task);
  }

  misses(task: string, hypothesis: string, heard: string): number {
    const { to, back } = this.tables(task);
    const said = words(heard);
    const written = words(hypothesis);
    const known = new Set([...said, NULL]);
    const shown = new Set([...written, NULL]);
    const unmatched = (partners: ReadonlySet<string> | undefined, other: ReadonlySet<string>) => ![...(partners ?? [])].some((w) => other.has(w));
    return written.filter((w) => unmatched(to.get(w), known)).length + said.filter((e) => unmatched(back.get(e), shown)).length;
  }

  /** The index of the best {text, score (log-probability per token)} once each miss costs the task's
   * weight; the first among equals (hypotheses come best-scored first). */
  choose(task: string, hypotheses: ReadonlyArray<{ text: string; score: number }>, heard: string): number {
    const { weight } = this.tables(task);
    let best = 0;
    let bestScore = -Infinity;
    hypotheses.forEach((h, i) => {
      const score = h.score - weight * this.misses(task, h.text, heard);
      if (score > bestScore) [best, bestScore] = [i, score];
    });
    return best;
  }

  /** A reranked answer's confidence: its tokens' times e^(-weight) per miss, the rerank's own cost
   * (compress/rerank.py's Reranker.confidence): a translation with words the transcript does not account
   * for is less likely right. */
  confidence(task: string, confidence: number, hypothesis: string, heard: string): number {
    return confidence * Math.exp(-this.tables(task).weight * this.misses(task, hypothesis, heard));
  }

  /** A finished search's best hypothesis once reranked by `heard` (compress/runtime.py's chosen): a refusal
   * (`refusal`, the "not in the phrasebook" token) that scores best stays; other refusals are not candidates.
   * textOf: a hypothesis's finished text, as the page would show it. */
  best(search: BeamSearch, task: string, heard: string, refusal: number | null, textOf: (ids: number[]) => string): FinishedBeam {
    const first = search.best();
    if (refusal !== null && first.stop === refusal) return first;
    // Best-scored first, the first finished among equals first (sort is stable), as search.best() ranks them.
    const finished = search.finished.filter((f) => refusal === null || f.stop !== refusal).sort((a, b) => b.score - a.score);
    return finished[this.choose(task, finished.map((f) => ({ text: textOf(f.chooser.completeIds()), score: f.score })), heard)]!;
  }

  private tables(task: string): TaskTables {
    const t = this.tasks.get(task);
    if (!t) throw new ManifestError(`rerank.json has no tables for task "${task}" (has ${[...this.tasks.keys()].join(", ")})`);
    return t;
  }
}
