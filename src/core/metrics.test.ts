// src/core/metrics.ts against the real sacreBLEU (2.4.3, in the project's .venv), live: every case
// below is scored by both, in one Python process fed JSON on stdin. No stored expected numbers, so
// a change on either side shows up here. A missing venv is a failure, never a skip.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusBleu, corpusChrf, pySplit, pyStrip, scoreTranslations, tokenizeForBleu, type BleuTokenizer } from "./metrics";

const PYTHON = ".venv/bin/python";
const SETUP = "bash scripts/setup-python.sh";

interface Case {
  name: string;
  hyps: string[];
  /** Reference streams: refs[k][i] is the k-th reference of segment i. */
  refs: string[][];
}

const germanRefs = [
  "Ich habe seit einer Stunde Fieber.",
  "Die Bank ist drei Kilometer entfernt.",
  "Was kostet eine Fahrkarte nach Salzburg?",
  "Wann schließt das Museum?",
  "Wir brauchen einen Kleiderbügel.",
  "In Salzburg wird es am Mittwoch schwül.",
];
const chineseRefs = ["我发烧一个小时了。", "银行离这里三公里。", "去萨尔茨堡的票多少钱？", "博物馆几点关门？", "我们需要一个衣架。", "萨尔茨堡星期三会很闷热。"];

const CASES: Case[] = [
  {
    name: "German with punctuation and umlauts",
    hyps: [
      "Ich habe seit einer Stunde Fieber.",
      "Die Bank ist 3 Kilometer entfernt!",
      "Was kostet die Fahrkarte nach Salzburg ?",
      "Wann schliesst das Museum?",
      "Wir brauchen bitte einen Kleiderbügel, danke.",
      "„Schwül“ wird es am Mittwoch – in Salzburg.",
    ],
    refs: [germanRefs],
  },
  {
    name: "Chinese with full-width punctuation, digits and Latin words",
    hyps: ["我发烧了一个小时。", "银行离这里3公里。", "去Salzburg的票多少钱?", "博物馆几点关门？", "我们需要衣架", "萨尔茨堡星期三很闷热。"],
    refs: [chineseRefs],
  },
  { name: "an empty hypothesis in a corpus", hyps: ["Ich habe seit einer Stunde Fieber.", "", "Was kostet eine Fahrkarte?"], refs: [germanRefs.slice(0, 3)] },
  { name: "only empty hypotheses", hyps: ["", "  "], refs: [germanRefs.slice(0, 2)] },
  { name: "identical strings (German)", hyps: germanRefs, refs: [germanRefs] },
  { name: "identical strings (Chinese)", hyps: chineseRefs, refs: [chineseRefs] },
  {
    name: "hypotheses longer than the references",
    hyps: ["Ich habe seit einer Stunde Fieber und Kopfschmerzen und brauche einen Arzt, bitte schnell.", "Die Bank ist drei Kilometer entfernt, gleich hinter dem Bahnhof."],
    refs: [germanRefs.slice(0, 2)],
  },
  { name: "a one-word hypothesis", hyps: ["Fieber"], refs: [germanRefs.slice(0, 1)] },
  {
    name: "13a edge cases: entities, decimals, digit dashes, brackets, odd whitespace",
    hyps: ["Das kostet 3,50 &amp; 1.000 Euro (ca.) &quot;heute&quot;.", "Zimmer 10-15\u00a0sind frei;\tdanke\u3000sehr", "Er sagt: ‚ja‘ <skipped> - ok-\nay"],
    refs: [["Das kostet 3,50 & 1.000 Euro (etwa) \"heute\".", "Die Zimmer 10-15 sind frei; danke sehr", "Er sagt: ja - okay"]],
  },
  {
    name: "zh tokenizer quirks: general punctuation, astral and emoji characters",
    hyps: ["“你好”——世界€ 𠀀 😀 OK.", "价格是3.5元–很便宜"],
    refs: [["“你好”—世界€ 𠀀 😀 OK。", "价格是3.5元，很便宜"]],
  },
  {
    name: "two references per segment",
    hyps: ["Die Bank ist drei Kilometer weit weg.", "Wann macht das Museum zu?"],
    refs: [
      ["Die Bank ist drei Kilometer entfernt.", "Wann schließt das Museum?"],
      ["Die Bank liegt drei Kilometer weit weg.", "Wann macht das Museum zu?"],
    ],
  },
];

const TOKENIZER_LINES = [
  ...germanRefs,
  ...chineseRefs,
  ...CASES.flatMap((c) => [...c.hyps, ...c.refs.flat()]),
  "  leading and trailing spaces  ",
  "a.b,c 1.5 1,5 x. y, 3-4 a-b (x) [y] {z} ~`!@#$%^&*_+=|\\/<>?",
];

interface SacrebleuAnswer {
  scores: Array<{ bleu13a: number; bleuZh: number; chrf: number; chrfpp: number }>;
  tokens: { "13a": string[]; zh: string[] };
  split: string[][];
  strip: string[];
}

// Python prints ASCII-only JSON, so no console encoding can garble the answer.
const SCRIPT = `
import json, sys
import sacrebleu
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh
assert sacrebleu.__version__ == "2.4.3", sacrebleu.__version__
job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
scores = [{
    "bleu13a": sacrebleu.corpus_bleu(c["hyps"], c["refs"], tokenize="13a").score,
    "bleuZh": sacrebleu.corpus_bleu(c["hyps"], c["refs"], tokenize="zh").score,
    "chrf": sacrebleu.corpus_chrf(c["hyps"], c["refs"], word_order=0).score,
    "chrfpp": sacrebleu.corpus_chrf(c["hyps"], c["refs"], word_order=2).score,
} for c in job["cases"]]
t13a, tzh = Tokenizer13a(), TokenizerZh()
print(json.dumps({
    "scores": scores,
    "tokens": {"13a": [t13a(l) for l in job["lines"]], "zh": [tzh(l) for l in job["lines"]]},
    "split": [l.split() for l in job["lines"]],
    "strip": [l.strip() for l in job["lines"]],
}))
`;

function askSacrebleu(): SacrebleuAnswer {
  if (!existsSync(PYTHON)) {
    throw new Error(`${PYTHON} is missing: these tests compare with the real sacreBLEU. Create the venv with: ${SETUP}`);
  }
  const input = JSON.stringify({ cases: CASES, lines: TOKENIZER_LINES });
  const run = spawnSync(PYTHON, ["-c", SCRIPT], { input, encoding: "utf8", timeout: 60_000 });
  if (run.error || run.status !== 0) {
    throw new Error(`${PYTHON} could not run sacreBLEU (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr}\nRecreate the venv with: ${SETUP}`);
  }
  return JSON.parse(run.stdout) as SacrebleuAnswer;
}

const WHITESPACE_LINE = "a\u00a0b\u3000c\u2028d\x1ce\x85f\ufeffg\u200bh\t\ni ";

// Asked once; every test that needs it throws the same error (so each one fails, none is skipped).
let answer: { value: SacrebleuAnswer } | { error: unknown } | undefined;
function sacrebleu(): SacrebleuAnswer {
  if (!answer) {
    try {
      answer = { value: askSacrebleu() };
    } catch (error) {
      answer = { error };
    }
  }
  if ("error" in answer) throw answer.error;
  return answer.value;
}

describe("metrics.ts against sacreBLEU 2.4.3", () => {

  it("tokenizes exactly like sacreBLEU's 13a and zh tokenizers", () => {
    for (const tokenizer of ["13a", "zh"] as BleuTokenizer[]) {
      expect(TOKENIZER_LINES.map((l) => tokenizeForBleu(l, tokenizer))).toEqual(sacrebleu().tokens[tokenizer as "13a" | "zh"]);
    }
  });

  it("splits and strips on Python's whitespace", () => {
    expect(TOKENIZER_LINES.map(pySplit)).toEqual(sacrebleu().split);
    expect(TOKENIZER_LINES.map(pyStrip)).toEqual(sacrebleu().strip);
    const run = spawnSync(PYTHON, ["-c", "import json,sys; l=sys.stdin.buffer.read().decode('utf-8'); print(json.dumps([l.split(), l.strip()]))"], { input: WHITESPACE_LINE, encoding: "utf8" });
    expect([pySplit(WHITESPACE_LINE), pyStrip(WHITESPACE_LINE)]).toEqual(JSON.parse(run.stdout));
  });

  CASES.forEach((c, i) => {
    it(`corpus BLEU (13a and zh) and chrF / chrF++ agree to 0.01: ${c.name}`, () => {
      const expected = sacrebleu().scores[i]!;
      const ours = {
        bleu13a: corpusBleu(c.hyps, c.refs, { tokenize: "13a" }).score,
        bleuZh: corpusBleu(c.hyps, c.refs, { tokenize: "zh" }).score,
        chrf: corpusChrf(c.hyps, c.refs, { wordOrder: 0 }),
        chrfpp: corpusChrf(c.hyps, c.refs, { wordOrder: 2 }),
      };
      for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
        expect(Math.abs(ours[key] - expected[key]), `${key}: ours ${ours[key]}, sacreBLEU ${expected[key]}`).toBeLessThanOrEqual(0.01);
      }
    });
  });

  it("scoreTranslations is compress/metrics.py's score(): 13a + chrF++ for de, zh + chrF for zh", () => {
    const python = sacrebleu();
    const de = CASES[0]!;
    const zh = CASES[1]!;
    const deScores = scoreTranslations(de.hyps, de.refs[0]!, "de");
    const zhScores = scoreTranslations(zh.hyps, zh.refs[0]!, "zh");
    expect(deScores.chrfVariant).toBe("chrF++");
    expect(zhScores.chrfVariant).toBe("chrF");
    expect(Math.abs(deScores.bleu - python.scores[0]!.bleu13a)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(deScores.chrf - python.scores[0]!.chrfpp)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(zhScores.bleu - python.scores[1]!.bleuZh)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(zhScores.chrf - python.scores[1]!.chrf)).toBeLessThanOrEqual(0.01);
  });
});

describe("metrics.ts without Python", () => {
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
