// Checking a runtime's ids against the toolkit's where the transcript reranked the beams. The toolkit
// (compress/runtime.py) runs onnxruntime 1.20 and Node and the browser run 1.31: their q4 scores agree,
// but q8's integer kernels differ by a few hundredths of a log-probability per token (measured on
// golden-beams.json's Chinese: 0.014 and 0.039 on two hypotheses, which turned a 0.019 lead around).
// Where the answer's reranked lead over the runner-up is under RERANK_TOLERANCE, either of the two is
// what the toolkit would have said with those numbers; elsewhere the ids must be the same.
import { expect } from "vitest";

export const RERANK_TOLERANCE = 0.05;

export interface RerankedCase {
  generated_ids: number[];
  /** `compress golden`: the answer's reranked lead and the runner-up's ids, for reranked beams. */
  rerank_margin?: number;
  rerank_runner_up_ids?: number[];
}

/** Whether `ids` are the case's answer (true) or, within the tolerance, its runner-up (false). */
export function expectRerankedIds(ids: number[], c: RerankedCase): boolean {
  if (c.rerank_margin !== undefined && c.rerank_margin < RERANK_TOLERANCE) {
    expect([c.generated_ids.join(), c.rerank_runner_up_ids!.join()]).toContain(ids.join());
  } else {
    expect(ids).toEqual(c.generated_ids);
  }
  return ids.join() === c.generated_ids.join();
}

/** A runtime's confidence against the toolkit's, for the same answer (a reranked one's discounted by its
 * misses): q4's scores agree to rounding; q8's differ by the same few hundredths of a log-probability, which
 * the confidence, a mean of log-probabilities, carries. */
export function expectConfidence(confidence: number, expected: number, variant: string): void {
  expect(Math.abs(Math.log(confidence) - Math.log(expected))).toBeLessThan(variant === "q8" ? RERANK_TOLERANCE : 1e-3);
}
