// `npm run bench:length`: cost against utterance length. Clips of 1, 3, 10 and 30 s built from the
// bundled test clips (cli/length-clips.ts), each translated with a forced decode of --tokens steps (so
// that decode is timed over the same number of steps at every length), per stage: features, encoder,
// prefill, decode ms per step. Node (onnxruntime-node) first, then browser WASM (the app's worker on
// the bench page). Writes bench/results/<date>-length.{json,md} and docs/length-curve.png with the
// fitted growth of each stage (scripts/length-curve-chart.py, numpy + matplotlib).
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Engine } from "../src/core/engine";
import { STEADY_STATE, summarize, warmUp } from "../src/core/stats";
import { parseTestClips } from "../src/core/test-clips";
import { defaultIntraOpThreads, nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav16kMono } from "../src/node/wav";
import { benchCall, machine, onnxruntimeVersions, serveBenchPage, withBenchPage } from "./bench-page";
import { clipOfLength } from "./length-clips";
import { writeBenchResult } from "./bench-results";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "phrasebook-student" },
    lang: { type: "string", default: "de" },
    runs: { type: "string", default: "3" },
    tokens: { type: "string", default: "32" },
    seconds: { type: "string", default: "1,3,10,30" },
    chart: { type: "string", default: "docs/length-curve.png" },
  },
});
const runs = Number(values.runs);
const tokens = Number(values.tokens);
const seconds = values.seconds.split(",").map(Number);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isInteger(tokens) || tokens < 1 || tokens > 256) throw new Error(`--tokens must be an integer from 1 to 256, got ${values.tokens}`);
if (seconds.some((s) => !(s > 0 && s <= 30))) throw new Error(`--seconds must list lengths in (0, 30], got ${values.seconds}`);

/** Per length: each run's stage times (ms; decode per step). */
type Stages = { featuresMs: number; encoderMs: number; prefillMs: number; decodeMsPerStep: number };
type Curve = Array<{ seconds: number; audioTokens?: number; runs: Stages[] }>;

async function nodeCurve(): Promise<Curve> {
  const dir = `public/models/${values.model}`;
  const manifest = await readManifest(dir);
  const engine = await Engine.load(manifest, nodeRuntime(dir));
  const list = parseTestClips(JSON.parse(await readFile("public/test-clips/clips.json", "utf8")));
  const sources = await Promise.all(list.map((c) => readWav16kMono(join("public/test-clips", c.file))));
  const curve: Curve = [];
  const forced = (samples: Float32Array) => engine.translate(samples, values.lang, { maxNewTokens: tokens, ignoreEos: true });
  // As the browser's (bench/peer/main.ts): to the steady state once, then one untimed run per length.
  const first = clipOfLength(sources, seconds[0]!);
  await warmUp(() => forced(first));
  for (const s of seconds) {
    const samples = clipOfLength(sources, s);
    const run = () => forced(samples);
    await run();
    const out: Stages[] = [];
    let audioTokens = 0;
    for (let i = 0; i < runs; i++) {
      const r = await run();
      audioTokens = r.nAudioTokens;
      out.push({ featuresMs: r.timings.featuresMs, encoderMs: r.timings.encoderMs, prefillMs: r.timings.prefillMs, decodeMsPerStep: r.timings.decodeMs / r.timings.decodeTokens });
    }
    curve.push({ seconds: s, audioTokens, runs: out });
    console.log(`node ${s} s: encoder ${summarize(out.map((x) => x.encoderMs)).median.toFixed(1)} ms`);
  }
  await engine.release();
  return curve;
}

async function wasmCurve(): Promise<{ curve: Curve; userAgent: string; variant: string }> {
  const served = await serveBenchPage();
  try {
    const { result, userAgent } = await withBenchPage(served.url, (page) => benchCall(page, "ours", { modelId: values.model, lang: values.lang, runs, seconds, forcedTokens: tokens }));
    const curve = result.clips.map((c, i) => ({
      seconds: seconds[i]!,
      runs: c.results.map((r) => ({ featuresMs: r.timings.featuresMs, encoderMs: r.timings.encoderMs, prefillMs: r.timings.prefillMs, decodeMsPerStep: 1000 / r.timings.decodeTokensPerSecond })),
    }));
    return { curve, userAgent, variant: result.variant ?? "" };
  } finally {
    await served.close();
  }
}

const atStart = machine();
const node = await nodeCurve();
const wasm = await wasmCurve();
const date = new Date().toISOString();
const report = {
  date, model: values.model, lang: values.lang, runs, warmUp: STEADY_STATE, forcedTokens: tokens,
  machine: `${atStart} at the start, ${machine()} at the end (shared with other jobs)`, onnxruntime: onnxruntimeVersions(), userAgent: wasm.userAgent,
  runtimes: { [`node (onnxruntime-node, ${defaultIntraOpThreads()} thread${defaultIntraOpThreads() === 1 ? "" : "s"})`]: node, [`browser WASM (${wasm.variant})`]: wasm.curve },
};
const stem = await writeBenchResult(date, "length", report);
// Fits, table and chart from the JSON (numpy / matplotlib in the toolkit's venv).
const md = execFileSync(".venv/bin/python", ["scripts/length-curve-chart.py", `${stem}.json`, values.chart], { encoding: "utf8" });
await writeFile(`${stem}.md`, md);
console.log(md);
console.log(`wrote ${stem}.json, ${stem}.md and ${values.chart}`);
