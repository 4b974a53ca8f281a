// Beam search on the shipped student with onnxruntime-node: it must reproduce the ids that the Python
// toolkit's beam search (compress/runtime.py, the reference) recorded for a clip where beams and greedy
// disagree (fixtures/phrasebook-student/golden-beams.json, `python -m compress golden`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Engine } from "./engine";
import { nodeRuntime, readManifest } from "../node/runtime";
import { readWav16kMono } from "../node/wav";
import { expectConfidence, expectRerankedIds, type RerankedCase } from "../test-support/reranked-ids";

const MODEL_DIR = "public/models/phrasebook-student";
const GOLDEN = "fixtures/phrasebook-student/golden-beams.json";

interface Golden {
  wav: string;
  max_new_tokens: number;
  cases: Array<{
    lang: string;
    variant: string;
    /** What the manifest's decoding writes (its beam width for the task), and greedy's. */
    generated_ids: number[];
    greedy_ids: number[];
    beams: number;
    text: string;
    confidence: number;
    /** A reranked answer's misses against the transcript, which discount its confidence. */
    misses?: number;
    beam_check: { beams: number; ids: number[]; text: string; rerank_margin?: number; rerank_runner_up_ids?: number[] };
    rerank_margin?: number;
    rerank_runner_up_ids?: number[];
  }>;
}

describe("beam search on the student (onnxruntime-node)", () => {
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as Golden;

  it("has a case where beams and greedy disagree (else this file checks nothing beyond greedy)", () => {
    expect(golden.cases.some((c) => c.beam_check.ids.join() !== c.greedy_ids.join())).toBe(true);
  });

  it("has reranked answers with misses (else their confidence shows no discount)", () => {
    expect(golden.cases.some((c) => (c.misses ?? 0) > 0)).toBe(true);
  });

  it.each(golden.cases.map((c) => [c.lang, c.variant, c] as const))("%s / %s: the manifest's decoding and a width-4 beam give Python's ids", async (lang, variant, c) => {
    const manifest = await readManifest(MODEL_DIR);
    const samples = await readWav16kMono(golden.wav);
    const beamCheck: RerankedCase = { ...c.beam_check, generated_ids: c.beam_check.ids };
    for (const [beams, expected, text, confidence] of [[c.beams, c as RerankedCase, c.text, c.confidence], [c.beam_check.beams, beamCheck, c.beam_check.text, undefined]] as const) {
      const engine = await Engine.load({ ...manifest, beams: { ...manifest.beams, [lang]: beams } }, nodeRuntime(MODEL_DIR), variant);
      try {
        const streamed: string[] = [];
        const result = await engine.translate(samples, lang, { maxNewTokens: golden.max_new_tokens, onText: (t) => streamed.push(t) });
        // Beams reranked by the transcript: Python's answer, or its runner-up where the two are too close to tell apart.
        if (!expectRerankedIds(result.ids, expected)) continue;
        expect(result.text).toBe(text);
        // The manifest's decoding: the toolkit's confidence (a reranked answer's discounted by its misses).
        if (confidence !== undefined) expectConfidence(result.confidence, confidence, variant);
        // With beams the text arrives once the search is over; it is never a hypothesis that lost.
        expect(streamed.at(-1) ?? "").toBe(text.slice(0, (streamed.at(-1) ?? "").length));
      } finally {
        await engine.release();
      }
    }
  });
});
