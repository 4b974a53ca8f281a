import { expect, it } from "vitest";
import { summarize, warmUp } from "./stats";

it("summarizes odd and even counts", () => {
  expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
  expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  expect(summarize([]).n).toBe(0);
});

/** A run whose duration follows `durations` on a fake clock. */
function fakeRuns(durations: number[]) {
  let clock = 0;
  let i = 0;
  return {
    now: () => clock,
    run: async () => {
      clock += durations[Math.min(i++, durations.length - 1)]!;
    },
    count: () => i,
  };
}

const OPTIONS = { minMs: 1000, maxMs: 5000, window: 3, tolerance: 0.1 };

it("warms up until the times stop falling", async () => {
  // Baseline code at ~700 ms a run drifting down as functions are optimised, then ~180 ms
  // (the shape of a forced decode's warm-up in Chromium on 2026-12-05). Runs close to each other
  // (438, 402, 376) are not enough: they are still falling.
  const fake = fakeRuns([670, 640, 632, 438, 402, 376, 395, 222, 181, 180, 195, 185, 182, 190, 400]);
  const { times, settled } = await warmUp(fake.run, OPTIONS, fake.now);
  expect(times.slice(-6)).toEqual([222, 181, 180, 195, 185, 182]);
  expect(settled).toBe(true);
  expect(fake.count()).toBe(13);
});

it("keeps warming up for the minimum time even when the runs already agree", async () => {
  const fake = fakeRuns([100]);
  expect((await warmUp(fake.run, OPTIONS, fake.now)).times).toHaveLength(10);
  // Without a minimum time: two windows of runs.
  const quick = fakeRuns([400]);
  expect((await warmUp(quick.run, { ...OPTIONS, minMs: 0 }, quick.now)).times).toHaveLength(6);
});

it("stops at the maximum time when the runs never settle", async () => {
  const fake = fakeRuns(Array.from({ length: 100 }, (_, i) => (i % 2 ? 100 : 200)));
  const { times, settled } = await warmUp(fake.run, OPTIONS, fake.now);
  expect(settled).toBe(false);
  expect(times.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
  expect(times.reduce((a, b) => a + b, 0)).toBeLessThan(5200);
});
