// `npm run bench -- --peer whisper-tiny.en`: our speech → German next to what a user would pick
// instead, transformers.js's Whisper pipeline (speech → English only: the first half of a cascade that
// still needs a text translator), in the same Chromium, on WASM, with the same worker set-up and
// clips. Systems alternate round by round, each in a fresh browser (its load is a first visit: files
// from the local server into the browser's store, then sessions). Writes bench/results/<date>-peer.{json,md}.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { summarize } from "../src/core/stats";
import type { TranslateResult } from "../src/worker-api";
import type { BenchClipRuns, SystemRun } from "../bench/peer/main";
import type { PeerResult } from "../bench/peer/peer-worker";
import { benchCall, benchContext, machine, onnxruntimeVersions, PEER_MODELS, serveBenchPage, withBenchPage } from "./bench-page";
import { writeBenchResult } from "./bench-results";

export interface PeerBenchOptions {
  peer: string;
  model: string;
  lang: string;
  dtype: "q8" | "q4" | "fp32";
  runs: number;
  rounds: number;
}

interface Round<R> {
  run: SystemRun<R>;
  peakMb: number;
}

type Timed = { timings: { firstTokenMs: number; encoderMs: number; prefillMs: number; decodeTokensPerSecond: number; totalMs: number; realTimeFactor: number } };
const METRICS = ["firstTokenMs", "encoderMs", "prefillMs", "decodeTokensPerSecond", "totalMs", "realTimeFactor"] as const;

const median = (values: number[]) => summarize(values).median;
const pooled = <R extends Timed>(rounds: Array<Round<R>>, metric: (typeof METRICS)[number], clip?: string) =>
  rounds.flatMap((r) => r.run.clips.filter((c) => !clip || c.clip === clip).flatMap((c) => c.results.map((x) => x.timings[metric])));

function systemRow<R extends Timed>(label: string, task: string, rounds: Array<Round<R>>): string {
  const s = (values: number[], digits = 0) => {
    const x = summarize(values);
    return `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
  };
  const cells = [
    label, task, rounds[0]!.run.variant ?? "", s(rounds.map((r) => r.run.loadMs)), s(rounds.map((r) => r.run.reloadMs ?? NaN)),
    s(pooled(rounds, "firstTokenMs")), s(pooled(rounds, "encoderMs")), s(pooled(rounds, "prefillMs")),
    s(pooled(rounds, "decodeTokensPerSecond"), 1), s(pooled(rounds, "totalMs")), s(pooled(rounds, "realTimeFactor"), 3),
    s(rounds.map((r) => r.peakMb)),
  ];
  return `| ${cells.join(" | ")} |`;
}

function markdown(o: PeerBenchOptions, date: string, machines: string[], onnxruntime: string, userAgent: string, pageOnlyMb: number, ours: Array<Round<TranslateResult>>, peer: Array<Round<PeerResult>>): string {
  const clips = ours[0]!.run.clips.map((c) => c.clip);
  const ratio = (metric: (typeof METRICS)[number]) => clips.map((clip) => median(pooled(ours, metric, clip)) / median(pooled(peer, metric, clip)));
  const total = summarize(ratio("totalMs"));
  const encoder = summarize(ratio("encoderMs"));
  const firstToken = summarize(ratio("firstTokenMs"));
  const firstRun = <R>(rounds: Array<Round<R>>, clip: string): R => rounds[0]!.run.clips.find((c: BenchClipRuns<R>) => c.clip === clip)!.results[0]!;
  const lines = [
    `# Peer benchmark ${date}: ${o.model} (speech → ${o.lang}) vs transformers.js ${o.peer} (speech → English)`,
    "",
    `${benchContext(machines, onnxruntime, userAgent)}; WASM, ${peer[0]!.run.threads} threads, cross-origin isolated: ${ours[0]!.run.crossOriginIsolated}.`,
    `${o.rounds} round(s), systems alternating, each round in a fresh Chromium; each system warmed up to its steady state on the first clip (src/core/stats.ts warmUp), then per clip one untimed run and ${o.runs} timed runs; median (min–max) over every clip × run × round.`,
    `Our model runs through the app's worker (src/worker.ts, onnxruntime-web); the peer through \`pipeline("automatic-speech-recognition")\` of @huggingface/transformers in a worker with the same ORT settings (bench/peer/peer-worker.ts), greedy, no timestamps.`,
    `**The peer only transcribes English**: it is the first half of a cascade, a text translator to ${o.lang} would come on top of its time. Whisper encodes a padded 30 s window whatever the clip's length; ours encodes the clip's own frames.`,
    `Load: a first visit (files from the local server into IndexedDB / the Cache API, then sessions); reload: a second load after the runs, from the stored files (a returning visit). Peak memory: the renderer process's peak resident set (VmHWM, /proc), page and workers together; the bench page alone, no model loaded, peaks at ${pageOnlyMb.toFixed(0)} MB.`,
    "",
    "| system | task | variant | load ms | reload ms | first token ms | encoder ms | prefill ms | decode tokens/s | end to end ms | real-time factor | peak renderer MB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    systemRow(`ours: ${o.model}`, `speech → ${o.lang}`, ours),
    systemRow(`transformers.js ${o.peer}`, "speech → English only", peer),
    "",
    `Ours / peer, per clip medians, median (min–max) over the ${clips.length} clips: end to end ${total.median.toFixed(3)}× (${total.min.toFixed(3)}–${total.max.toFixed(3)}; target ≤ 0.5), encoder ${encoder.median.toFixed(3)}× (${encoder.min.toFixed(3)}–${encoder.max.toFixed(3)}; target ≤ 1), first token ${firstToken.median.toFixed(3)}×.`,
    "",
    "| clip | s | English reference | peer (English) | ours (German) |",
    "|---|---|---|---|---|",
    ...clips.map((clip) => {
      const c = ours[0]!.run.clips.find((x) => x.clip === clip)!;
      return `| ${clip} | ${c.audioSeconds.toFixed(2)} | ${c.en ?? ""} | ${firstRun(peer, clip).text} | ${firstRun(ours, clip).text} |`;
    }),
  ];
  return `${lines.join("\n")}\n`;
}

export async function peerBench(o: PeerBenchOptions): Promise<void> {
  const folder = join(PEER_MODELS, o.peer, "onnx");
  if (!existsSync(folder)) throw new Error(`the peer ${o.peer} is not built: run \`.venv/bin/python -m compress peer-whisper --name ${o.peer} --out ${join(PEER_MODELS, o.peer)}\` first`);
  const served = await serveBenchPage();
  const ours: Array<Round<TranslateResult>> = [];
  const peer: Array<Round<PeerResult>> = [];
  let userAgent = "";
  const machines = [machine()];
  let pageOnlyMb = NaN;
  try {
    // The renderer's peak with the bench page loaded and no model: what both systems start from.
    pageOnlyMb = (await withBenchPage(served.url, async () => null)).peakMb;
    for (let round = 0; round < o.rounds; round++) {
      console.log(`round ${round + 1}/${o.rounds}: ${o.model}`);
      const a = await withBenchPage(served.url, (page) => benchCall(page, "ours", { modelId: o.model, lang: o.lang, runs: o.runs }));
      ours.push({ run: a.result, peakMb: a.peakMb });
      console.log(`round ${round + 1}/${o.rounds}: ${o.peer} (${o.dtype})`);
      const b = await withBenchPage(served.url, (page) => benchCall(page, "peer", { model: o.peer, dtype: o.dtype, runs: o.runs }));
      peer.push({ run: b.result, peakMb: b.peakMb });
      userAgent = b.userAgent;
    }
  } finally {
    await served.close();
  }
  machines.push(machine());
  const date = new Date().toISOString();
  const onnxruntime = onnxruntimeVersions();
  const md = markdown(o, date, machines, onnxruntime, userAgent, pageOnlyMb, ours, peer);
  console.log(md);
  const stem = await writeBenchResult(date, "peer", { date, options: o, machines, onnxruntime, userAgent, pageOnlyMb, ours, peer }, md);
  console.log(`wrote ${stem}.json`);
}
