// The speculative-final decisions: when a final translation may start before the voice detector
// has ended the utterance, and when its result may stand in for the final one.
import { describe, expect, it } from "vitest";
import { SpeculativeFinals } from "./speculation";

const range = (start: number, end: number) => ({ start, end });

describe("SpeculativeFinals", () => {
  it("reuses the run when the utterance is the paused audio, in the same language", () => {
    const finals = new SpeculativeFinals<string>();
    expect(finals.waiting).toBe(false);
    expect(finals.paused(range(100, 9000), "de", true, () => "run 1")).toBe("run 1");
    expect(finals.waiting).toBe(true);
    expect(finals.claim(range(100, 9000), "de")).toBe("run 1");
    expect(finals.waiting).toBe(false);
    // Used up: a second utterance never gets it.
    expect(finals.claim(range(100, 9000), "de")).toBeNull();
  });

  it("never starts while the model has other utterances to translate first", () => {
    const finals = new SpeculativeFinals<string>();
    let started = 0;
    expect(finals.paused(range(0, 8000), "de", false, () => `run ${++started}`)).toBeNull();
    expect(started).toBe(0);
    expect(finals.claim(range(0, 8000), "de")).toBeNull();
  });

  it("drops the run when speech resumed, even if the utterance later ends at the same samples", () => {
    const finals = new SpeculativeFinals<string>();
    finals.paused(range(0, 8000), "de", true, () => "early");
    finals.drop();
    expect(finals.waiting).toBe(false);
    expect(finals.claim(range(0, 8000), "de")).toBeNull();
  });

  it("keeps only the latest pause: an utterance that went on after the first pause gets the second run", () => {
    const finals = new SpeculativeFinals<string>();
    finals.paused(range(0, 8000), "de", true, () => "first pause");
    finals.paused(range(0, 20000), "de", true, () => "second pause");
    expect(finals.claim(range(0, 20000), "de")).toBe("second pause");
  });

  it("does not use a run over other samples or into another language", () => {
    const finals = new SpeculativeFinals<string>();
    finals.paused(range(0, 8000), "de", true, () => "shorter");
    expect(finals.claim(range(0, 8512), "de")).toBeNull();
    finals.paused(range(0, 8000), "de", true, () => "later start");
    expect(finals.claim(range(512, 8000), "de")).toBeNull();
    // The language was switched between the pause and the end of the utterance.
    finals.paused(range(0, 8000), "de", true, () => "German");
    expect(finals.claim(range(0, 8000), "zh")).toBeNull();
  });
});
