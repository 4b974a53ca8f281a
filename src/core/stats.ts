// Median / min / max for benchmark reports.

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, n: sorted.length };
}

/** How long a benchmark warms up before it times anything. A browser first runs onnxruntime's
 * WASM as quickly compiled baseline code and swaps in optimised code function by function, in the
 * background, as the code gets hot (V8's dynamic tiering); until then a decode step is 2–6× slower,
 * and the slow phase drifts down over seconds, with plateaus (2026-12-05, docs/results.md "What
 * those runs measured"). A fixed count of warm-up runs left some candidates half in that phase, so a
 * warm-up runs for at least `minMs` and until the median of its last `window` runs is within
 * `tolerance` of the median of the `window` before them (the times stopped falling), at most
 * `maxMs`. A plateau can still pass for the end: `settled` only says that the times stopped
 * falling, and the WASM speed bench avoids the question with V8's --no-liftoff. */
export interface WarmUp {
  minMs: number;
  maxMs: number;
  window: number;
  tolerance: number;
}

export const STEADY_STATE: WarmUp = { minMs: 5000, maxMs: 30000, window: 3, tolerance: 0.1 };

/** Each warm-up run's time (ms), and whether the times stopped falling (false: `maxMs` ran out first). */
export interface WarmUpResult {
  times: number[];
  settled: boolean;
}

/** The rule in words, for benchmark reports. */
export function describeWarmUp(options: WarmUp = STEADY_STATE): string {
  return `src/core/stats.ts warmUp: at least ${options.minMs / 1000} s, and until the median of the last ${options.window} runs is within ${options.tolerance * 100}% of the ${options.window} before them`;
}

/** Runs `run` until the warm-up is over. */
export async function warmUp(run: () => Promise<unknown>, options: WarmUp = STEADY_STATE, now: () => number = () => performance.now()): Promise<WarmUpResult> {
  const start = now();
  const times: number[] = [];
  for (;;) {
    const t = now();
    await run();
    times.push(now() - t);
    const elapsed = now() - start;
    if (elapsed >= options.maxMs) return { times, settled: false };
    const k = options.window;
    if (elapsed < options.minMs || times.length < 2 * k) continue;
    const last = summarize(times.slice(-k)).median;
    const before = summarize(times.slice(-2 * k, -k)).median;
    if (Math.abs(last - before) <= options.tolerance * before) return { times, settled: true };
  }
}
