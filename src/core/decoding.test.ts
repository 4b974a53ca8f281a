// The browser's decoding rules on the hand-written cases that the Python rules pass too
// (fixtures/decoding/cases.json; tests/test_decoding.py): both runtimes choose the same ids and
// finish the same texts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACCEPT, BeamSearch, DecodingRules, TokenChooser, utf8Step, type DecodingTables } from "./decoding";

interface Case {
  name: string;
  task: string;
  max_new_tokens: number;
  steps: number[][];
  ids: number[];
  stop: "eos" | "out_of_domain" | "budget";
}
interface FinalTextCase {
  name: string;
  task: string;
  text: string;
  expected: string;
}
interface BeamCase {
  name: string;
  task: string;
  beams: number;
  max_new_tokens: number;
  /** Logits by the hypothesis's ids so far, joined with commas; `default` for any other. */
  logits: Record<string, number[]>;
  default: number[];
  ids: number[];
  stop: "eos" | "out_of_domain" | "budget";
}
const fixture = JSON.parse(readFileSync("fixtures/decoding/cases.json", "utf8")) as {
  tables: DecodingTables;
  cases: Case[];
  final_text: FinalTextCase[];
  beam_cases: BeamCase[];
};

/** BeamSearch over a beam case's model, as tests/test_decoding.py's run_beam_case. */
function runBeams(rules: DecodingRules, c: BeamCase): { ids: number[]; stop: string } {
  const vocab = c.default.length;
  const rows = (search: BeamSearch) => {
    const data = new Float32Array(search.live.length * vocab);
    search.live.forEach((beam, b) => data.set(c.logits[beam.chooser.chosen.join(",")] ?? c.default, b * vocab));
    return { data, offsets: search.live.map((_, b) => b * vocab) };
  };
  const search = new BeamSearch(new TokenChooser(rules, c.task), c.beams, new Set([...rules.eos, rules.outOfDomain!]), c.max_new_tokens);
  for (;;) {
    const { data, offsets } = rows(search);
    if (search.step(data, offsets, vocab).length === 0) break;
  }
  const best = search.best();
  const stop = best.stop === null ? "budget" : rules.eos.includes(best.stop) ? "eos" : "out_of_domain";
  return { ids: best.chooser.completeIds(), stop };
}

function run(rules: DecodingRules, c: Case): { ids: number[]; stop: string; chosen: number[]; chooser: TokenChooser } {
  const chooser = new TokenChooser(rules, c.task);
  const chosen: number[] = [];
  for (const logits of c.steps) {
    const token = chooser.choose(Float32Array.from(logits), 0, logits.length);
    chosen.push(token);
    if (rules.eos.includes(token)) return { ids: chosen.slice(0, -1), stop: "eos", chosen, chooser };
    if (chooser.isOutOfDomain(token)) return { ids: chosen.slice(0, -1), stop: "out_of_domain", chosen, chooser };
    chooser.accept(token);
    if (chosen.length >= c.max_new_tokens) return { ids: chooser.completeIds(), stop: "budget", chosen, chooser };
  }
  throw new Error("case ran out of steps");
}

describe("beam search", () => {
  it.each(fixture.beam_cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(runBeams(new DecodingRules(fixture.tables), c)).toEqual({ ids: c.ids, stop: c.stop });
  });

  it("refuses a width under one", () => {
    expect(() => new BeamSearch(new TokenChooser(null, "de"), 0, new Set([6]), 8)).toThrow(/beams must be an integer of at least 1/);
  });
});

describe("decoding rules", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { ids, stop, chosen, chooser } = run(new DecodingRules(fixture.tables), c);
    expect({ ids, stop }).toEqual({ ids: c.ids, stop: c.stop });
    const logProbs = chosen.map((t, k) => {
      const row = c.steps[k]!;
      return row[t]! - Math.log(row.reduce((sum, v) => sum + Math.exp(v), 0));
    });
    expect(chooser.confidence()).toBeCloseTo(Math.exp(logProbs.reduce((a, b) => a + b, 0) / logProbs.length), 5);
  });

  it("the UTF-8 automaton accepts valid text and rejects what UTF-8 forbids", () => {
    const after = (bytes: Iterable<number>) => {
      let state = ACCEPT;
      for (const b of bytes) {
        state = utf8Step(state, b);
        if (state < 0) return state;
      }
      return state;
    };
    for (const text of ["a", "ä", "一", "😀", "Grüße, 你好！"]) expect(after(new TextEncoder().encode(text))).toBe(ACCEPT);
    for (const bad of [[0x80], [0xc0, 0xaf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      expect(after(bad)).toBe(-1);
    }
    const half = after(new TextEncoder().encode("一").slice(0, 2));
    expect(half).not.toBe(ACCEPT);
    expect(half).not.toBe(-1);
  });

  it("reads version 1 tables (shipped before rule 4) without the tandem rule", () => {
    const { no_tandem_repeat_min: _, ...rest } = fixture.tables;
    const loop = fixture.cases.find((c) => c.name.startsWith("no phrase twice in a row"))!;
    expect(run(new DecodingRules({ ...rest, version: 1 }), loop).ids).toEqual([10, 11, 12, 11, 12]); // "Es ist sieben ist sieben"
    expect(run(new DecodingRules(fixture.tables), loop).ids).toEqual(loop.ids);
  });

  it("rejects version 2 tables without a tandem minimum of at least 2 for every task, and unknown versions", () => {
    expect(() => new DecodingRules({ ...fixture.tables, no_tandem_repeat_min: { de: 2, zh: 1 } })).toThrow(
      /no_tandem_repeat_min.*zh, transcribe/,
    );
    expect(() => new DecodingRules({ ...fixture.tables, version: 4 })).toThrow(/version 4 is not supported/);
  });

  it.each(fixture.final_text.map((c) => [c.name, c] as const))("rule 5: %s", (_name, c) => {
    expect(new DecodingRules(fixture.tables).finalText(c.task, c.text)).toBe(c.expected);
  });

  it("finishes version 2 texts as they are, and rejects version 3 tables without collapse_loops for every task", () => {
    const { collapse_loops: _, ...rest } = fixture.tables;
    const loop = fixture.final_text[0]!;
    expect(new DecodingRules({ ...rest, version: 2 }).finalText(loop.task, loop.text)).toBe(loop.text);
    expect(() => new DecodingRules(rest)).toThrow(/collapse_loops needs true or false for task\(s\) zh, de, transcribe/);
  });

  it("bans exactly the tokens that would end a block written twice in a row (k ≥ k_min)", () => {
    // Rule 3 out of the way (no n-gram of 100 tokens repeats here), on every sequence over 3 tokens up to length 8.
    for (const kMin of [2, 3, 4]) {
      const rules = new DecodingRules({ ...fixture.tables, no_repeat_ngram_size: 100, no_tandem_repeat_min: { de: kMin, zh: kMin, transcribe: kMin } });
      for (let length = 0; length <= 8; length++) {
        for (let code = 0; code < 3 ** length; code++) {
          const ids = Array.from({ length }, (_, i) => Math.floor(code / 3 ** i) % 3);
          const brute = [0, 1, 2].filter((t) => {
            const h = [...ids, t];
            for (let k = kMin; 2 * k <= h.length; k++) if (h.slice(-2 * k, -k).every((x, i) => x === h[h.length - k + i])) return true;
            return false;
          });
          expect([...rules.banned("de", ids)].sort()).toEqual(brute);
        }
      }
    }
  });

  it("takes the confidence over the least probable chosen tokens when the manifest says how many", () => {
    // Three chosen tokens (argmax, no rules) whose probabilities are 0.9, 0.2 and 0.6, as tests/test_decoding.py.
    const rows = [[0.9, 0.1], [0.2, 0.16, 0.16, 0.16, 0.16, 0.16], [0.6, 0.4]].map((p) => Float32Array.from(p.map(Math.log)));
    const confidence = (k?: number) => {
      const chooser = new TokenChooser(null, "de", k);
      expect(rows.map((row) => chooser.choose(row, 0, row.length))).toEqual([0, 0, 0]);
      return chooser.confidence();
    };
    expect(confidence()).toBeCloseTo((0.9 * 0.2 * 0.6) ** (1 / 3), 6);
    expect(confidence(1)).toBeCloseTo(0.2, 6);
    expect(confidence(2)).toBeCloseTo((0.2 * 0.6) ** 0.5, 6);
    expect(confidence(9)).toBeCloseTo(confidence(), 6);
  });

  it("without rules (a model with no decoding.json) it is plain argmax", () => {
    const chooser = new TokenChooser(null, "de");
    expect(chooser.choose(Float32Array.from([0, 3, 1, 3]), 0, 4)).toBe(1);
  });
});
