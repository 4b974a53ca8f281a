// The peer in the real browser: transformers.js's own ASR pipeline loads the exported Whisper tiny.en
// (built by `python -m compress peer-whisper` when missing) in Debian's Chromium on WASM, through the
// bench page's worker, and transcribes bundled test clips close to their English references.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchCall, PEER_MODELS, serveBenchPage, withBenchPage } from "./bench-page";

const PEER = "whisper-tiny.en";
// Two bundled clips Whisper tiny.en hears well (PyTorch: "When does the museum close?" exactly, and
// "We are skating in Berlin for two days." for "staying"); on the others these synthetic voices
// trip it up (word error 0.6–1).
const CLIPS = ["dir.opening_frame_close_q_place_museum_0.wav", "greet.stay_frame_we_city_n_2_unit_day_city_berlin_0.wav"];

/** Word error rate after lower-casing and dropping punctuation (jiwer's convention, in short). */
function wordErrorRate(reference: string, hypothesis: string): number {
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}' ]/gu, " ").split(/\s+/).filter(Boolean);
  const r = words(reference);
  const h = words(hypothesis);
  let previous = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const row = [i];
    for (let j = 1; j <= h.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[h.length]! / r.length;
}

describe("transformers.js Whisper peer in Chromium", () => {
  let served: Awaited<ReturnType<typeof serveBenchPage>>;
  beforeAll(async () => {
    if (!existsSync(`${PEER_MODELS}/${PEER}/onnx/decoder_model_merged_quantized.onnx`)) {
      execFileSync(".venv/bin/python", ["-m", "compress", "peer-whisper", "--name", PEER, "--out", `${PEER_MODELS}/${PEER}`], { stdio: "inherit" });
    }
    served = await serveBenchPage();
  }, 600_000);
  afterAll(() => served?.close());

  it("loads the q8 variant on WASM and transcribes test clips", async () => {
    const { result, peakMb } = await withBenchPage(served.url, (page) => benchCall(page, "peer", { model: PEER, dtype: "q8", runs: 1, only: CLIPS }));
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.clips.map((c) => c.clip)).toEqual(CLIPS);
    const errors = result.clips.map((c) => wordErrorRate(c.en!, c.results[0]!.text));
    expect(errors[0]).toBe(0);
    expect(errors[1]).toBeLessThanOrEqual(0.25);
    for (const c of result.clips) {
      const t = c.results[0]!.timings;
      expect(t.encoderMs).toBeGreaterThan(0);
      expect(t.firstTokenMs).toBeLessThanOrEqual(t.totalMs);
      expect(c.results[0]!.tokens).toBeGreaterThan(0);
    }
    expect(peakMb).toBeGreaterThan(0);
  }, 600_000);
});
