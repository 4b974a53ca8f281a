// src/core/metrics.ts against sacreBLEU's answers, stored in fixtures/reference/sacrebleu.json by
// tests/test_reference_fixtures.py (which fails when the stored answers drift from sacreBLEU), so
// these tests run without Python. The cases themselves live in that pytest.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusBleu, corpusChrf, pySplit, pyStrip, scoreTranslations, sentenceAccuracy, tokenizeForBleu } from "./metrics";

interface Scores {
  bleu13a: number;
  bleuZh: number;
  chrf: number;
  chrfpp: number;
}
/** The fixture's answers: sacreBLEU's scores and compress.metrics' sentence accuracy. */
type FixtureScores = Scores & { accuracy: number };
interface Fixture {
  sacrebleu: string;
  /** refs[k][i] is the k-th reference of segment i. */
  cases: Array<{ name: string; hyps: string[]; refs: string[][]; scores: FixtureScores }>;
  lines: Array<{ text: string; "13a": string; zh: string; split: string[]; strip: string }>;
}

const fixture = JSON.parse(readFileSync("fixtures/reference/sacrebleu.json", "utf8")) as Fixture;
const [german, chinese] = fixture.cases;

describe(`metrics.ts against sacreBLEU ${fixture.sacrebleu}`, () => {
  it("tokenizes exactly like sacreBLEU's 13a and zh tokenizers", () => {
    expect(fixture.lines.map((l) => tokenizeForBleu(l.text, "13a"))).toEqual(fixture.lines.map((l) => l["13a"]));
    expect(fixture.lines.map((l) => tokenizeForBleu(l.text, "zh"))).toEqual(fixture.lines.map((l) => l.zh));
  });

  it("splits and strips on Python's whitespace", () => {
    expect(fixture.lines.map((l) => pySplit(l.text))).toEqual(fixture.lines.map((l) => l.split));
    expect(fixture.lines.map((l) => pyStrip(l.text))).toEqual(fixture.lines.map((l) => l.strip));
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("corpus BLEU (13a and zh) and chrF / chrF++ agree to 0.01: %s", (_, c) => {
    const ours: Scores = {
      bleu13a: corpusBleu(c.hyps, c.refs, { tokenize: "13a" }).score,
      bleuZh: corpusBleu(c.hyps, c.refs, { tokenize: "zh" }).score,
      chrf: corpusChrf(c.hyps, c.refs, { wordOrder: 0 }),
      chrfpp: corpusChrf(c.hyps, c.refs, { wordOrder: 2 }),
    };
    for (const key of Object.keys(ours) as Array<keyof Scores>) {
      expect(Math.abs(ours[key] - c.scores[key]), `${key}: ours ${ours[key]}, sacreBLEU ${c.scores[key]}`).toBeLessThanOrEqual(0.01);
    }
  });

  it("scoreTranslations is compress/metrics.py's score(): 13a + chrF++ for de, zh + chrF for zh", () => {
    const deScores = scoreTranslations(german!.hyps, german!.refs[0]!, "de");
    const zhScores = scoreTranslations(chinese!.hyps, chinese!.refs[0]!, "zh");
    expect(deScores.chrfVariant).toBe("chrF++");
    expect(zhScores.chrfVariant).toBe("chrF");
    expect(Math.abs(deScores.bleu - german!.scores.bleu13a)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(deScores.chrf - german!.scores.chrfpp)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(zhScores.bleu - chinese!.scores.bleuZh)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(zhScores.chrf - chinese!.scores.chrf)).toBeLessThanOrEqual(0.01);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("sentence accuracy is compress/metrics.py's: %s", (_, c) => {
    expect(sentenceAccuracy(c.hyps, c.refs[0]!)).toBeCloseTo(c.scores.accuracy, 2);
  });
});

describe("metrics.ts on its own", () => {
  const germanRefs = german!.refs[0]!;
  const chineseRefs = chinese!.refs[0]!;
  it("gives 100 for identical corpora and 0 for empty hypotheses", () => {
    expect(corpusBleu(germanRefs, [germanRefs]).score).toBeCloseTo(100, 10);
    expect(corpusChrf(chineseRefs, [chineseRefs])).toBeCloseTo(100, 10);
    expect(corpusBleu(["", ""], [germanRefs.slice(0, 2)]).score).toBe(0);
    expect(corpusChrf(["", ""], [germanRefs.slice(0, 2)])).toBe(0);
  });

  it("refuses mismatched or empty corpora", () => {
    expect(() => corpusBleu(["a"], [["a", "b"]])).toThrow(/1 hypotheses but a reference stream of 2/);
    expect(() => corpusChrf([], [[]])).toThrow(/no hypotheses/);
    expect(() => scoreTranslations(["a"], [], "de")).toThrow(/1 hypotheses for 0 references/);
  });
});
