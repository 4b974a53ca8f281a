// Bench-only page driven by cli/peer.ts, cli/length-curve.ts and cli/wasm-speed.ts: runs our model
// through the app's own worker (src/worker.ts), the peer through transformers.js's pipeline in a
// worker of the same set-up (peer-worker.ts), and WASM session-option candidates (speed-worker.ts),
// on the bundled test clips (or clips built from them to a given length).
import * as Comlink from "comlink";
import { fetchTestClipList, loadClipAudio } from "../../src/ui/test-clips";
import type { WorkerApi } from "../../src/worker";
import type { TranslateResult } from "../../src/worker-api";
import { clipOfLength } from "../../cli/length-clips";
import { warmUp, type WarmUpResult } from "../../src/core/stats";
import type { PeerApi, PeerResult } from "./peer-worker";
import type { Candidate, SpeedApi } from "./speed-worker";

export interface BenchClipRuns<R> {
  clip: string;
  audioSeconds: number;
  /** The clip's English reference (bundled clips only). */
  en?: string;
  results: R[];
}

export interface SystemRun<R> {
  loadMs: number;
  /** A second load after the runs, from the files the first one stored (a returning visit). */
  reloadMs?: number;
  threads?: number;
  variant?: string;
  crossOriginIsolated: boolean;
  /** The warm-up on the first clip before anything was timed (src/core/stats.ts warmUp). */
  warmUp: WarmUpResult;
  clips: Array<BenchClipRuns<R>>;
}

export interface OursOptions {
  modelId: string;
  lang: string;
  runs: number;
  /** Build clips of these lengths from the bundled clips instead of using them one by one. */
  seconds?: number[];
  /** Decode exactly this many steps, EOS ignored (the worker's forcedDecode), instead of translating. */
  forcedTokens?: number;
}

const status = (text: string) => (document.getElementById("status")!.textContent = text);

async function clips(seconds?: number[]): Promise<Array<{ name: string; samples: Float32Array; en?: string }>> {
  const audio = await loadClipAudio(await fetchTestClipList());
  if (!seconds) return audio.map((a) => ({ name: a.clip.file, samples: a.samples, en: a.clip.en }));
  return seconds.map((s) => ({ name: `${s} s`, samples: clipOfLength(audio.map((a) => a.samples), s) }));
}

/** The system warmed up to its steady state on the first clip, then per clip one untimed run and
 * `runs` timed runs. */
async function timeClips<R>(items: Awaited<ReturnType<typeof clips>>, runs: number, run: (samples: Float32Array) => Promise<R>): Promise<{ warmUp: WarmUpResult; clips: Array<BenchClipRuns<R>> }> {
  const first = items[0];
  if (!first) throw new Error("no clips to time (an `only` list that names no bundled clip?)");
  status("warm-up");
  const warmed = await warmUp(() => run(first.samples.slice()));
  const out: Array<BenchClipRuns<R>> = [];
  for (const item of items) {
    status(`${item.name}: warm-up`);
    await run(item.samples.slice());
    const results: R[] = [];
    for (let i = 0; i < runs; i++) {
      status(`${item.name}: run ${i + 1}/${runs}`);
      results.push(await run(item.samples.slice()));
    }
    out.push({ clip: item.name, audioSeconds: item.samples.length / 16000, ...(item.en ? { en: item.en } : {}), results });
  }
  return { warmUp: warmed, clips: out };
}

export type ForcedSplit = Awaited<ReturnType<SpeedApi["forced"]>>;

/** WASM candidates alternating round by round on one clip (cli/wasm-speed.ts). Each candidate's
 * first forced decode after its load is kept apart ("cold": what a user's first utterance meets),
 * then it warms up to its steady state before the timed runs. */
async function speed(options: { modelId: string; lang: string; clip: string; tokens: number; runs: number; rounds: number; candidates: Candidate[] }) {
  const baseUrl = new URL(`models/${options.modelId}/`, document.baseURI).href;
  const clip = (await clips()).find((c) => c.name === options.clip);
  if (!clip) throw new Error(`no bundled clip ${options.clip}`);
  const results: Record<string, ForcedSplit[]> = Object.fromEntries(options.candidates.map((c) => [c.name, []]));
  const cold: Record<string, ForcedSplit[]> = Object.fromEntries(options.candidates.map((c) => [c.name, []]));
  const warmUps: Record<string, WarmUpResult[]> = Object.fromEntries(options.candidates.map((c) => [c.name, []]));
  const threads: Record<string, number> = {};
  for (let round = 0; round < options.rounds; round++) {
    for (const candidate of options.candidates) {
      status(`round ${round + 1}: ${candidate.name}`);
      // A fresh worker per candidate: onnxruntime-web's thread count is fixed once its WASM starts.
      const raw = new Worker(new URL("./speed-worker.ts", import.meta.url), { type: "module", name: "speed" });
      const worker = Comlink.wrap<SpeedApi>(raw);
      try {
        threads[candidate.name] = (await worker.load(baseUrl, candidate)).threads;
        const forced = () => worker.forced(clip.samples.slice(), options.lang, options.tokens);
        cold[candidate.name]!.push(await forced());
        warmUps[candidate.name]!.push(await warmUp(forced));
        for (let i = 0; i < options.runs; i++) results[candidate.name]!.push(await forced());
        await worker.release();
      } finally {
        raw.terminate();
      }
    }
  }
  status("done");
  return { threads, crossOriginIsolated, results, cold, warmUps };
}

const bench = {
  speed,

  async ours(options: OursOptions): Promise<SystemRun<TranslateResult>> {
    const worker = Comlink.wrap<WorkerApi>(new Worker(new URL("../../src/worker.ts", import.meta.url), { type: "module", name: "translator" }));
    const baseUrl = new URL(`models/${options.modelId}/`, document.baseURI).href;
    const loaded = await worker.load({ modelId: options.modelId, baseUrl, backend: "wasm" });
    const items = await clips(options.seconds);
    const run = options.forcedTokens
      ? (samples: Float32Array) => worker.forcedDecode(samples, options.lang, options.forcedTokens!)
      : (samples: Float32Array) => worker.translate(samples, options.lang);
    const { warmUp: warmed, clips: results } = await timeClips(items, options.runs, run);
    await worker.unload();
    const reloaded = await worker.load({ modelId: options.modelId, baseUrl, backend: "wasm" });
    status("done");
    return { loadMs: loaded.loadMs, reloadMs: reloaded.loadMs, variant: loaded.variant, crossOriginIsolated, warmUp: warmed, clips: results };
  },

  /** `only`: just these bundled clips (file names; the smoke test). */
  async peer(options: { model: string; dtype: "q8" | "q4" | "fp32"; runs: number; only?: string[] }): Promise<SystemRun<PeerResult>> {
    const worker = Comlink.wrap<PeerApi>(new Worker(new URL("./peer-worker.ts", import.meta.url), { type: "module", name: "peer" }));
    const loaded = await worker.load(options.model, options.dtype);
    const items = (await clips()).filter((c) => !options.only || options.only.includes(c.name));
    const { warmUp: warmed, clips: results } = await timeClips(items, options.runs, (samples) => worker.transcribe(samples));
    const reloaded = await worker.load(options.model, options.dtype);
    status("done");
    return { loadMs: loaded.loadMs, reloadMs: reloaded.loadMs, threads: loaded.threads, variant: options.dtype, crossOriginIsolated, warmUp: warmed, clips: results };
  },
};

export type PeerBench = typeof bench;
(window as unknown as { peerBench: PeerBench }).peerBench = bench;
status("ready");
