// Reranking beams by the transcript: the hand-written cases shared with the Python toolkit
// (fixtures/rerank/cases.json, tests/test_rerank.py), the choice among a finished search's hypotheses, and
// the shipped student on a held-out clip where the rerank changes the Chinese: onnxruntime-node must give
// the ids the toolkit recorded (fixtures/phrasebook-student/golden-rerank.json, `python -m compress golden`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BeamSearch, TokenChooser } from "./decoding";
import { Engine } from "./engine";
import { ManifestError } from "./errors";
import { Reranker, words, type RerankTables } from "./rerank";
import { nodeRuntime, readManifest } from "../node/runtime";
import { readWav16kMono } from "../node/wav";
import { expectConfidence, expectRerankedIds } from "../test-support/reranked-ids";

interface Cases {
  tables: RerankTables;
  words: Array<{ text: string; words: string[] }>;
  misses: Array<{ name: string; task: string; hypothesis: string; heard: string; misses: number }>;
  confidence: Array<{ name: string; task: string; confidence: number; hypothesis: string; heard: string; expected: number }>;
  choose: Array<{ name: string; task: string; heard: string; hypotheses: Array<{ text: string; score: number }>; index: number }>;
}

const CASES = JSON.parse(readFileSync("fixtures/rerank/cases.json", "utf8")) as Cases;
const MODEL_DIR = "public/models/phrasebook-student";

describe("the shared rerank cases", () => {
  const reranker = new Reranker(CASES.tables);
  it.each(CASES.words.map((c) => [c.text, c] as const))("splits %j as the toolkit does", (_, c) => {
    expect(words(c.text)).toEqual(c.words);
  });
  it.each(CASES.misses.map((c) => [c.name, c] as const))("misses: %s", (_, c) => {
    expect(reranker.misses(c.task, c.hypothesis, c.heard)).toBe(c.misses);
  });
  it.each(CASES.confidence.map((c) => [c.name, c] as const))("confidence: %s", (_, c) => {
    expect(reranker.confidence(c.task, c.confidence, c.hypothesis, c.heard)).toBeCloseTo(c.expected, 9);
  });
  it.each(CASES.choose.map((c) => [c.name, c] as const))("choose: %s", (_, c) => {
    expect(reranker.choose(c.task, c.hypotheses, c.heard)).toBe(c.index);
  });
});

describe("Reranker", () => {
  it("refuses a file version it does not know, a weight that is not positive, and a task it has no tables for", () => {
    expect(() => new Reranker({ ...CASES.tables, version: 2 })).toThrow(ManifestError);
    expect(() => new Reranker({ ...CASES.tables, tasks: { de: { ...CASES.tables.tasks.de!, weight: 0 } } })).toThrow(/positive weight/);
    expect(() => new Reranker(CASES.tables).misses("fr", "", "")).toThrow(/no tables for task "fr"/);
  });

  /** A search whose hypotheses finished in the given order: ids [i + 1] for hypothesis i, text from `texts`. */
  function finishedSearch(hypotheses: Array<{ score: number; stop: number | null }>): BeamSearch {
    const search = new BeamSearch(new TokenChooser(null, "zh"), hypotheses.length, new Set([0, 9]), 8);
    hypotheses.forEach((h, i) => {
      const chooser = new TokenChooser(null, "zh");
      chooser.accept(i + 1);
      search.finished.push({ chooser, score: h.score, stop: h.stop });
    });
    return search;
  }
  const EOS = 0;
  const REFUSAL = 9;
  const texts = ["我会说一点意大利语。", "我会说一点日语。", ""];
  const textOf = (ids: number[]) => texts[ids[0]! - 1]!;

  it("ranks the hypotheses best-scored first whatever order they finished in, then picks by the transcript", () => {
    // Finished: the right one first, at a lower score; the wrong one scores best.
    const search = finishedSearch([{ score: -0.41, stop: EOS }, { score: -0.39, stop: EOS }]);
    const swapped = ["我会说一点日语。", "我会说一点意大利语。"];
    const best = new Reranker(CASES.tables).best(search, "zh", "I speak a little Japanese.", REFUSAL, (ids) => swapped[ids[0]! - 1]!);
    expect(best.score).toBe(-0.41);
    expect(search.best().score).toBe(-0.39);
  });

  it("keeps a refusal that scores best, and never picks one that does not", () => {
    const reranker = new Reranker(CASES.tables);
    const refusedFirst = finishedSearch([{ score: -0.5, stop: EOS }, { score: -0.45, stop: EOS }, { score: -0.1, stop: REFUSAL }]);
    expect(reranker.best(refusedFirst, "zh", "I speak a little Japanese.", REFUSAL, textOf).stop).toBe(REFUSAL);
    // Nothing heard: the refusal's empty text would have no miss at all, but it is not a candidate.
    const refusedLater = finishedSearch([{ score: -0.39, stop: EOS }, { score: -0.41, stop: null }, { score: -0.6, stop: REFUSAL }]);
    const best = reranker.best(refusedLater, "zh", "", REFUSAL, textOf);
    expect(best.stop).not.toBe(REFUSAL);
    // A hypothesis cut at the token budget (stop null) stays a candidate: 日语 has fewer misses than 意大利语.
    expect(best.score).toBe(-0.41);
    // Without a refusal token, a best-scored hypothesis cut at the token budget is reranked too.
    const cutFirst = finishedSearch([{ score: -0.39, stop: null }, { score: -0.41, stop: EOS }]);
    expect(reranker.best(cutFirst, "zh", "I speak a little Japanese.", null, textOf).score).toBe(-0.41);
  });
});

describe("reranking on the student (onnxruntime-node)", () => {
  const golden = JSON.parse(readFileSync("fixtures/phrasebook-student/golden-rerank.json", "utf8")) as {
    wav: string;
    max_new_tokens: number;
    cases: Array<{ lang: string; variant: string; beams: number; generated_ids: number[]; greedy_ids: number[]; unranked_ids?: number[]; text: string; confidence: number; rerank_margin?: number; rerank_runner_up_ids?: number[] }>;
  };

  it("has a case where the rerank changes the answer (else this file checks nothing beyond beams)", () => {
    expect(golden.cases.some((c) => c.unranked_ids !== undefined && c.unranked_ids.join() !== c.generated_ids.join())).toBe(true);
  });

  it.each(golden.cases.filter((c) => c.unranked_ids).map((c) => [c.lang, c.variant, c] as const))("%s / %s: the engine's reranked beams give Python's ids", async (lang, variant, c) => {
    const manifest = await readManifest(MODEL_DIR);
    expect(manifest.rerank).toBe("rerank.json");
    const engine = await Engine.load(manifest, nodeRuntime(MODEL_DIR), variant);
    try {
      const samples = await readWav16kMono(golden.wav);
      const result = await engine.translate(samples, lang, { maxNewTokens: golden.max_new_tokens, transcribe: true });
      if (expectRerankedIds(result.ids, c)) {
        expect(result.text).toBe(c.text);
        // Its tokens' confidence, discounted by its misses as the toolkit's is.
        expectConfidence(result.confidence, c.confidence, variant);
      }
      // The transcript the rerank used is the one shown, and its time is counted in the translation's.
      expect(result.heard).toBe(golden.cases.find((t) => t.lang === "transcribe" && t.variant === variant)!.text);
      expect(result.timings.transcribeMs).toBeLessThan(result.timings.totalMs);
    } finally {
      await engine.release();
    }
  });

  it("decodes a provisional translation greedy, without waiting for the transcript", async () => {
    const c = golden.cases.find((t) => t.lang === "zh" && t.variant === "q4")!;
    // On this clip greedy writes another sentence than the reranked beams: the test tells them apart.
    expect(c.greedy_ids).not.toEqual(c.generated_ids);
    const engine = await Engine.load(await readManifest(MODEL_DIR), nodeRuntime(MODEL_DIR), "q4");
    try {
      const result = await engine.translate(await readWav16kMono(golden.wav), "zh", { maxNewTokens: golden.max_new_tokens, provisional: true });
      expect(result.ids).toEqual(c.greedy_ids);
      expect(result.timings.transcribeMs).toBeUndefined();
    } finally {
      await engine.release();
    }
  });
});
