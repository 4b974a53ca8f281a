// `npm run bench:wasm-speed`: where a WASM decode step and the WASM encoder spend their time
// against onnxruntime-node, and which onnxruntime-web session settings make WASM faster. One run,
// round by round: onnxruntime-node (q4, q4dq, q8), then each WASM candidate on the bench page (variant, settings and
// onnxruntime-web build: the app's WASM-only one, the Asyncify and JSPI ones), each in a fresh worker. Each
// forced decode's steps are split into the decoder's session run, the embedding's session run, and
// the generation loop around them (src/runtime/timed-runtime.ts). Token ids are compared with the app's
// (another variant's numbers may differ in the last digits, and so a forced decode's ids).
// Writes bench/results/<date>-wasm-speed.{json,md}.
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ForcedSplit } from "../bench/peer/main";
import type { Candidate } from "../bench/peer/speed-worker";
import { Engine } from "../src/core/engine";
import { describeWarmUp, summarize, warmUp, type WarmUpResult } from "../src/core/stats";
import { defaultIntraOpThreads, nodeRuntime, readManifest } from "../src/node/runtime";
import { stepSplit, timedRuntime } from "../src/runtime/timed-runtime";
import { readWav16kMono } from "../src/node/wav";
import { benchCall, benchContext, machine, onnxruntimeVersions, serveBenchPage, withBenchPage } from "./bench-page";
import { writeBenchResult } from "./bench-results";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "phrasebook-student" },
    lang: { type: "string", default: "de" },
    clip: { type: "string", default: "dir.opening_frame_close_q_place_museum_0.wav" },
    tokens: { type: "string", default: "32" },
    runs: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    only: { type: "string" }, // comma-separated candidate names (default: all)
    // V8 flags for the bench's Chromium. By default its optimising compiler compiles every WASM
    // function on first use: the steady state from the second run. With "" V8 tiers up as for users,
    // over seconds that the warm-up does not always cover (docs/results.md).
    "js-flags": { type: "string", default: "--no-liftoff" },
  },
});
const [runs, rounds, tokens] = [Number(values.runs), Number(values.rounds), Number(values.tokens)];
for (const [name, v] of Object.entries({ runs, rounds, tokens })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);

const modelDir = `public/models/${values.model}`;
const manifest = await readManifest(modelDir);
// The variant the app loads on WASM (backend_variants), which every settings candidate below runs.
const APP_VARIANT = manifest.backend_variants?.wasm ?? manifest.default_variant;
const APP = `app: ${APP_VARIANT}, optimisation all`;
const NO_SPINNING = { session: { disable_quant_qdq: "1", "intra_op.allow_spinning": "0", "inter_op.allow_spinning": "0" } };
const CANDIDATES: Candidate[] = [
  { name: APP, variant: APP_VARIANT, options: {} },
  // onnxruntime-web's own 4-bit kernel (MatMulNBits on WASM), as it is in the pinned release.
  { name: "q4 (MatMulNBits on WASM)", variant: "q4", options: {} },
  // The same 4-bit numbers folded to fp32 weights: WASM's variant until q8 (compress/export/quantize.py).
  ...(APP_VARIANT !== "q4dq" && "q4dq" in manifest.variants ? [{ name: "q4dq (folded fp32 MatMul)", variant: "q4dq", options: {} }] : []),
  { name: "optimisation extended", variant: APP_VARIANT, options: { graphOptimizationLevel: "extended" } },
  { name: "free dimension batch = 1", variant: APP_VARIANT, options: { freeDimensionOverrides: { batch: 1 } } },
  // Threads that wait for work sleep instead of spinning: on 2 cores the spinning thread competes
  // with the one doing the work.
  { name: "no spinning", variant: APP_VARIANT, options: { extra: NO_SPINNING } },
  // One WASM thread, as onnxruntime-node runs best here (src/node/runtime.ts): a decode step's
  // operators are small, and handing each to a second thread may cost more than it saves.
  { name: "1 thread", variant: APP_VARIANT, options: {}, threads: 1 },
  { name: "extended + batch 1 + no spinning", variant: APP_VARIANT, options: { graphOptimizationLevel: "extended", freeDimensionOverrides: { batch: 1 }, extra: NO_SPINNING } },
  // The app's settings on the builds that host WebGPU too: Asyncify's (the app's WASM build until
  // 2026-12-06, twice the size) and JSPI's.
  { name: "Asyncify build", variant: APP_VARIANT, options: {}, build: "asyncify" },
  { name: "JSPI build", variant: APP_VARIANT, options: {}, build: "jspi" },
  // No commas in names: --only splits on them.
  { name: "extended + batch 1 + 1 thread", variant: APP_VARIANT, options: { graphOptimizationLevel: "extended", freeDimensionOverrides: { batch: 1 } }, threads: 1 },
];

const only = values.only?.split(",").map((n) => n.trim());
const unknown = only?.filter((n) => !CANDIDATES.some((c) => c.name === n)) ?? [];
if (unknown.length > 0) throw new Error(`--only: no candidate ${unknown.join(", ")}; candidates: ${CANDIDATES.map((c) => c.name).join(", ")}`);
// The app's own settings always run: the ids and the ratios are checked against them.
const candidates = CANDIDATES.filter((c) => c.name === APP || !only || only.includes(c.name));

// onnxruntime-node runs q4 (its fast 4-bit kernel), q4dq, and q8 where the folder has it: the very
// graph file the app's WASM runs.
const NODE_VARIANTS = ["q4", "q4dq", "q8"].filter((v) => v in manifest.variants);

/** One round of onnxruntime-node, each of NODE_VARIANTS, into `out`. */
async function nodeRound(out: Record<string, ForcedSplit[]>): Promise<void> {
  const samples = await readWav16kMono(join("public/test-clips", values.clip));
  for (const variant of NODE_VARIANTS) {
    const { runtime, log } = timedRuntime(nodeRuntime(modelDir));
    const engine = await Engine.load(manifest, runtime, variant);
    const forced = async () => {
      log.clear();
      const r = await engine.translate(samples, values.lang, { maxNewTokens: tokens, ignoreEos: true });
      return { ids: r.ids, encoderMs: r.timings.encoderMs, prefillMs: r.timings.prefillMs, ...stepSplit(log, r.timings.decodeMs, r.timings.decodeTokens) };
    };
    await warmUp(forced);
    for (let i = 0; i < runs; i++) (out[`node ${variant}`] ??= []).push(await forced());
    await engine.release();
  }
}

// Node and WASM alternate round by round (Node's round, then every WASM candidate's), so that the
// shared machine's load drifts over both alike. The WASM candidates take turns at going first, so
// that no candidate always runs in the same place of a round (the first of a round was often the
// slowest on 2026-12-05; docs/results.md).
const machines = [machine()];
const node: Record<string, ForcedSplit[]> = {};
const wasm = { threads: {} as Record<string, number>, crossOriginIsolated: false, results: {} as Record<string, ForcedSplit[]>, cold: {} as Record<string, ForcedSplit[]>, warmUps: {} as Record<string, WarmUpResult[]> };
const served = await serveBenchPage();
let userAgent = "";
try {
  userAgent = (
    await withBenchPage(served.url, async (page) => {
      for (let round = 0; round < rounds; round++) {
        console.log(`round ${round + 1}/${rounds}`);
        await nodeRound(node);
        const order = candidates.map((_, i) => candidates[(i + round) % candidates.length]!);
        const r = await benchCall(page, "speed", { modelId: values.model, lang: values.lang, clip: values.clip, tokens, runs, rounds: 1, candidates: order });
        Object.assign(wasm.threads, r.threads);
        wasm.crossOriginIsolated = r.crossOriginIsolated;
        for (const [name, xs] of Object.entries(r.results)) (wasm.results[name] ??= []).push(...xs);
        for (const [name, xs] of Object.entries(r.cold)) (wasm.cold[name] ??= []).push(...xs);
        for (const [name, xs] of Object.entries(r.warmUps)) (wasm.warmUps[name] ??= []).push(...xs);
      }
    }, values["js-flags"] ? [`--js-flags=${values["js-flags"]}`] : [])
  ).userAgent;
} finally {
  await served.close();
}

machines.push(machine());
const med = (xs: ForcedSplit[], key: keyof Omit<ForcedSplit, "ids">) => summarize(xs.map((x) => x[key])).median;
const nodeRate = 1000 / med(node["node q4"]!, "stepMs");
const reference = wasm.results[APP]![0]!.ids.join(",");
const rows = [
  ...Object.entries(node).map(([name, xs]) => [`${name} (${defaultIntraOpThreads()} thread)`, xs, undefined] as const),
  ...Object.entries(wasm.results).map(([name, xs]) => [`wasm ${name} (${wasm.threads[name]} thread${wasm.threads[name] === 1 ? "" : "s"})`, xs, name] as const),
];
const date = new Date().toISOString();
const onnxruntime = onnxruntimeVersions();
const lines = [
  `# WASM against onnxruntime-node ${date}: ${values.model}, ${values.clip}`,
  "",
  `${benchContext(machines, onnxruntime, userAgent)}; cross-origin isolated: ${wasm.crossOriginIsolated}; V8 flags: ${values["js-flags"] || "none"}.`,
  `Forced decode of ${tokens} steps (EOS ignored), ${runs} runs per candidate per round after a warm-up to the steady state (${describeWarmUp()}), ${rounds} rounds, Node and every WASM candidate alternating round by round, the WASM candidates taking turns at going first, each WASM candidate in a fresh worker; medians over all runs. A step is split into the decoder's session run, the embedding's session run and the loop around them (tensors, argmax over the vocabulary, disposal).`,
  "",
  "| runtime / candidate | forced tokens/s | × node q4 | × node, same graph | step ms | decoder run ms | embed run ms | loop ms | encoder ms | prefill ms | cold: step ms, encoder ms | warm-up s after it (rounds settled) | ids as the app's |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map(([name, xs, candidate]) => {
    const rate = 1000 / med(xs, "stepMs");
    const variant = candidate && CANDIDATES.find((c) => c.name === candidate)!.variant;
    const sameGraph = variant && node[`node ${variant}`] ? (rate * med(node[`node ${variant}`]!, "stepMs") / 1000).toFixed(2) : "—";
    const same = xs.every((x) => x.ids.join(",") === reference);
    const cold = candidate && wasm.cold[candidate];
    const warm = candidate && wasm.warmUps[candidate];
    const coldCells = cold ? `${med(cold, "stepMs").toFixed(2)}, ${med(cold, "encoderRunMs").toFixed(1)}` : "—";
    const warmCell = warm ? `${summarize(warm.map((w) => w.times.reduce((a, b) => a + b, 0) / 1000)).median.toFixed(1)} (${warm.filter((w) => w.settled).length}/${warm.length})` : "—";
    return `| ${name} | ${rate.toFixed(1)} | ${(rate / nodeRate).toFixed(2)} | ${sameGraph} | ${med(xs, "stepMs").toFixed(2)} | ${med(xs, "decoderRunMs").toFixed(2)} | ${med(xs, "embedRunMs").toFixed(2)} | ${med(xs, "loopMs").toFixed(2)} | ${med(xs, "encoderRunMs").toFixed(1)} | ${med(xs, "prefillMs").toFixed(1)} | ${coldCells} | ${warmCell} | ${same ? "yes" : "NO"} |`;
  }),
];
const md = `${lines.join("\n")}\n`;
console.log(md);
const stem = await writeBenchResult(date, "wasm-speed", { date, options: values, machines, onnxruntime, userAgent, node, wasm }, md);
console.log(`wrote ${stem}.json`);
