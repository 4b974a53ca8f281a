import { describe, expect, it } from "vitest";
import { clipOfLength } from "./length-clips";

describe("clipOfLength", () => {
  const a = Float32Array.from([1, 2, 3]);
  const b = Float32Array.from([4, 5]);

  it("concatenates in order, repeats from the first, and cuts at the exact length", () => {
    expect(Array.from(clipOfLength([a, b], 8 / 16000))).toEqual([1, 2, 3, 4, 5, 1, 2, 3]);
    expect(Array.from(clipOfLength([a, b], 4 / 16000))).toEqual([1, 2, 3, 4]);
    expect(Array.from(clipOfLength([a, b], 2 / 16000))).toEqual([1, 2]);
  });

  it("is deterministic", () => {
    expect(clipOfLength([a, b], 0.01)).toEqual(clipOfLength([a, b], 0.01));
  });

  it("rejects no audio and non-positive lengths", () => {
    expect(() => clipOfLength([], 1)).toThrow(/at least one non-empty clip/);
    expect(() => clipOfLength([new Float32Array(0)], 1)).toThrow(/at least one non-empty clip/);
    expect(() => clipOfLength([a], 0)).toThrow(/must be positive/);
  });
});
