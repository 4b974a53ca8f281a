// `npm run bench`: the browser benchmark view driven in headless Chromium (WebGPU on
// SwiftShader and WASM), plus the same clip through onnxruntime-node as the native
// baseline. Writes bench/results/<date>.json and a markdown table next to it.
//
// `--model a,b` benchmarks several models in one process, alternating them for `--rounds`
// rounds so that machine drift hits each alike, and adds a table of each model's forced-decode
// rate relative to the first (e.g. the student's speed-up over the teacher).
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { preview } from "vite";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { Engine, type Translation } from "../src/core/engine";
import { describeWarmUp, summarize, warmUp, type Summary } from "../src/core/stats";
import { deriveTimings, type Timings } from "../src/core/timings";
import { defaultIntraOpThreads, nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav16kMono } from "../src/node/wav";
import { FORCED_METRIC as FORCED, type BenchReport } from "../src/ui/bench";
import { writeBenchResult } from "./bench-results";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "tiny-random" },
    lang: { type: "string", default: "de" },
    runs: { type: "string", default: "5" },
    tokens: { type: "string", default: "32" },
    rounds: { type: "string", default: "1" },
    backends: { type: "string", default: "webgpu,wasm" },
    variant: { type: "string" },
    clip: { type: "string", default: "fixtures/tiny-random/golden.wav" },
    // End of speech to final text on the page's main path (cli/latency.ts); only that, when given.
    latency: { type: "boolean", default: false },
    // With --latency: the page translates each utterance only once the VAD has ended it (the baseline).
    "no-speculation": { type: "boolean", default: false },
    utterances: { type: "string", default: "8" },
    peer: { type: "string" },
    "peer-dtype": { type: "string", default: "q8" },
  },
});
if (values.latency) {
  const { measureLatency, writeLatencyReport } = await import("./latency");
  const report = await measureLatency({ model: values.model === "tiny-random" ? "phrasebook-student" : values.model, lang: values.lang, utterances: Number(values.utterances), speculate: !values["no-speculation"] });
  console.log(await writeLatencyReport(report));
  process.exit(0);
}
const models = values.model.split(",").filter(Boolean);
const runs = Number(values.runs);
const forcedTokens = Number(values.tokens);
const rounds = Number(values.rounds);
const backends = values.backends.split(",").filter(Boolean);
if (models.length === 0) throw new Error("--model needs at least one model id");
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isInteger(forcedTokens) || forcedTokens < 0 || forcedTokens > 256) throw new Error(`--tokens must be an integer from 0 to 256, got ${values.tokens}`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
if (backends.length === 0 || backends.some((b) => b !== "webgpu" && b !== "wasm")) throw new Error(`--backends must list webgpu and/or wasm, got ${values.backends}`);
if (values.peer) {
  // Side by side with transformers.js's Whisper (cli/peer.ts); --model defaults to the app's student there.
  const { peerBench } = await import("./peer");
  const dtype = values["peer-dtype"];
  if (dtype !== "q8" && dtype !== "q4" && dtype !== "fp32") throw new Error(`--peer-dtype must be q8, q4 or fp32, got ${dtype}`);
  const model = values.model === "tiny-random" ? "phrasebook-student" : values.model;
  await peerBench({ peer: values.peer, model, lang: values.lang, dtype, runs: Number(values.runs), rounds: Number(values.rounds) });
  process.exit(0);
}


async function browserReport(model: string): Promise<BenchReport> {
  const server = await preview({ preview: { port: 4174, strictPort: true } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:4174/?model=${model}&backend=wasm&lang=${values.lang}&bench_backends=${backends.join(",")}${values.variant ? `&variant=${values.variant}` : ""}#benchmark`);
    // The status line sits in the translate view's model panel, hidden while #benchmark shows.
    await page.getByTestId("model-status").filter({ hasText: "ready" }).waitFor({ state: "attached", timeout: 120_000 });
    await page.locator("#bench-runs").fill(String(runs));
    await page.locator("#bench-tokens").fill(String(forcedTokens));
    await page.getByTestId("bench-run").click();
    await page.waitForFunction(() => "benchReport" in window, null, { timeout: 1_800_000 });
    return await page.evaluate(() => (window as unknown as { benchReport: BenchReport }).benchReport);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

interface NodeReport {
  model: string;
  loadMs: number;
  variant: string;
  metrics: Record<string, Summary>;
  /** Raw forced-decode rates, pooled across rounds for the ratio table. */
  forced: number[];
}

async function nodeBaseline(model: string): Promise<NodeReport> {
  const dir = `public/models/${model}`;
  const start = performance.now();
  // The default variant unless --variant: native onnxruntime has fast MatMulNBits kernels (q8 and q4dq are for WASM).
  const manifest = await readManifest(dir);
  const engine = await Engine.load(manifest, nodeRuntime(dir), values.variant ?? manifest.default_variant);
  const loadMs = performance.now() - start;
  const samples = await readWav16kMono(values.clip);
  // The same warm-up as the browser view (src/ui/bench.ts).
  await warmUp(() => engine.translate(samples, values.lang, forcedTokens > 0 ? { maxNewTokens: forcedTokens, ignoreEos: true } : {}));
  await engine.translate(samples, values.lang);
  const results: Translation[] = [];
  for (let i = 0; i < runs; i++) results.push(await engine.translate(samples, values.lang));
  const forced: number[] = [];
  for (let i = 0; i < runs && forcedTokens > 0; i++) {
    const r = await engine.translate(samples, values.lang, { maxNewTokens: forcedTokens, ignoreEos: true });
    forced.push(deriveTimings(r).decodeTokensPerSecond);
  }
  await engine.release();
  const timings = results.map(deriveTimings);
  return {
    model,
    loadMs,
    variant: engine.variant,
    forced,
    metrics: {
      ...Object.fromEntries((Object.keys(timings[0]!) as Array<keyof Timings>).map((key) => [key, summarize(timings.map((t) => t[key]))])),
      [FORCED]: summarize(forced),
    },
  };
}

const nodeThreads = defaultIntraOpThreads();

const fmt = (s: Summary | undefined) => (s && s.n > 0 ? `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : "—");

function markdown(report: BenchReport, node: NodeReport, round: number): string {
  const metrics = Object.keys(node.metrics);
  const lines = [
    `# Benchmark ${report.date}: ${report.model}${rounds > 1 ? `, round ${round + 1} of ${rounds}` : ""}`,
    "",
    `Model ${report.model}, target ${report.lang}, ${report.runs} runs after a warm-up (forced decodes to the steady state once per load, ${describeWarmUp()}; then per clip one untimed translation and forced decode); median (min–max). ${FORCED}: ${report.forcedTokens} decode steps with EOS ignored, the same for every model.`,
    `Browser: ${report.userAgent}; cross-origin isolated: ${report.crossOriginIsolated}.`,
    `Main-thread tasks over 50 ms during the run: ${report.mainThreadLongTasks?.count ?? "n/a"} (longest ${report.mainThreadLongTasks?.maxMs.toFixed(0) ?? "n/a"} ms).`,
    "",
    `| runtime | variant | adapter | clip | load ms | ${metrics.join(" | ")} |`,
    `|${"---|".repeat(5 + metrics.length)}`,
  ];
  for (const b of report.backends) {
    for (const c of b.clips) {
      const adapter = `${b.adapter}${b.emulated ? " (SwiftShader, CPU emulation)" : ""}, ${b.build} build`;
      lines.push(`| browser ${b.backend} | ${b.variant} | ${adapter} | ${c.clip} | ${b.loadMs.toFixed(0)} | ${metrics.map((m) => fmt(c.metrics[m])).join(" | ")} |`);
    }
  }
  lines.push(`| node (onnxruntime-node) | ${node.variant} | CPU, ${nodeThreads} thread${nodeThreads === 1 ? "" : "s"} | ${values.clip} | ${node.loadMs.toFixed(0)} | ${metrics.map((m) => fmt(node.metrics[m])).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/** Forced-decode medians per runtime and clip, pooled over rounds, and each model's ratio to the first. */
function ratioTable(browser: BenchReport[], node: NodeReport[]): string {
  const pooled = new Map<string, Map<string, number[]>>(); // runtime|clip -> model -> rates
  const add = (key: string, model: string, rates: number[]) => {
    const byModel = pooled.get(key) ?? new Map<string, number[]>();
    byModel.set(model, [...(byModel.get(model) ?? []), ...rates]);
    pooled.set(key, byModel);
  };
  for (const r of browser) {
    for (const b of r.backends) for (const c of b.clips) add(`browser ${b.backend} (${b.variant}) | ${c.clip}`, r.model, c.forcedDecodeRates);
  }
  for (const r of node) add(`node (${r.variant}) | ${values.clip}`, r.model, r.forced);
  const [first, ...rest] = models;
  const lines = [
    `## Forced ${forcedTokens}-token decode, tokens/s: median over ${rounds} round(s) × ${runs} runs, models alternating`,
    "",
    `| runtime | clip | ${models.join(" | ")} | ${rest.map((m) => `${m} / ${first}`).join(" | ")} |`,
    `|${"---|".repeat(2 + models.length + rest.length)}`,
  ];
  for (const [key, byModel] of pooled) {
    const median = (m: string) => summarize(byModel.get(m) ?? []).median;
    lines.push(`| ${key} | ${models.map((m) => median(m).toFixed(1)).join(" | ")} | ${rest.map((m) => `${(median(m) / median(first!)).toFixed(2)}×`).join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

const browserReports: BenchReport[] = [];
const nodeReports: NodeReport[] = [];
const sections: string[] = [];
// Node rounds first, then the browser rounds. After the browser rounds, the same Node runs were
// slower and uneven (teacher 230 tok/s in every round against 305 in a fresh process, the student
// less so: a ratio of 2.07 instead of 1.78), so the Node rounds get the machine as it starts.
for (let round = 0; round < rounds; round++) for (const model of models) nodeReports.push(await nodeBaseline(model));
for (let round = 0; round < rounds; round++) for (const model of models) browserReports.push(await browserReport(model));
browserReports.forEach((report, i) => {
  sections.push(markdown(report, nodeReports[i]!, Math.floor(i / models.length)));
  console.log(sections.at(-1));
});
if (models.length > 1 && forcedTokens > 0) {
  sections.push(ratioTable(browserReports, nodeReports));
  console.log(sections.at(-1));
}
const single = browserReports.length === 1;
const report = single ? { browser: browserReports[0], node: nodeReports[0] } : { browser: browserReports, node: nodeReports };
const stem = await writeBenchResult(browserReports[0]!.date, "", report, sections.join("\n"));
console.log(`wrote ${stem}.json`);
