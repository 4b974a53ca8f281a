import { describe, expect, it } from "vitest";
import { deriveTimings } from "./timings";

const translation = (timings: Partial<Record<string, number>>, audioSeconds = 2) => ({
  audioSeconds,
  timings: { featuresMs: 10, encoderMs: 20, embedMs: 5, prefillMs: 30, firstTokenMs: 31, decodeMs: 400, decodeTokens: 8, totalMs: 500, ...timings },
});

describe("deriveTimings", () => {
  it("first token is features + encoder + embedding + prefill-to-token; rates per second", () => {
    expect(deriveTimings(translation({}))).toEqual({
      featuresMs: 10,
      encoderMs: 20,
      prefillMs: 30,
      firstTokenMs: 10 + 20 + 5 + 31,
      decodeTokensPerSecond: 20,
      totalMs: 500,
      realTimeFactor: 0.25,
    });
  });

  it("gives 0, not Infinity or NaN, when there was no decode step or no audio", () => {
    expect(deriveTimings(translation({ decodeTokens: 0, decodeMs: 0.01 })).decodeTokensPerSecond).toBe(0);
    expect(deriveTimings(translation({ decodeTokens: 3, decodeMs: 0 })).decodeTokensPerSecond).toBe(0);
    expect(deriveTimings(translation({}, 0)).realTimeFactor).toBe(0);
  });
});
