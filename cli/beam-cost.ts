// `npm run bench:beams -- [--model ID] [--lang de] [--beams 4] [--variant q4] [--rounds 4]`: what beam search
// costs against greedy decoding, and reranking the beams by the transcript (when the folder has rerank.json)
// against plain beams, end to end, on the bundled test clips through onnxruntime-node (the app's engine, asked
// to transcribe as the app does), the ways alternating clip by clip so that the machine's drift hits them alike.
// Writes bench/results/<date>-beams.{json,md}. The browser's WASM decodes the same loop (src/core/generate.ts).
import { readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { Engine } from "../src/core/engine";
import { summarize, warmUp, type Summary } from "../src/core/stats";
import { nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav16kMono } from "../src/node/wav";
import { machine, onnxruntimeVersions } from "./bench-page";
import { writeBenchResult } from "./bench-results";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "phrasebook-student" },
    lang: { type: "string", default: "de" },
    beams: { type: "string", default: "4" },
    variant: { type: "string" },
    rounds: { type: "string", default: "4" },
  },
});
const beams = Number(values.beams);
const rounds = Number(values.rounds);
if (!Number.isInteger(beams) || beams < 2 || beams > 16) throw new Error(`--beams must be an integer from 2 to 16, got ${values.beams}`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);

const dir = `public/models/${values.model}`;
const manifest = await readManifest(dir);
if (!manifest.languages.targets.includes(values.lang)) throw new Error(`--lang must be one of ${manifest.languages.targets.join(", ")}, got ${values.lang}`);
const variant = values.variant ?? manifest.default_variant;
const widths = { greedy: 1, beams, reranked: beams } as const;
// Without rerank.json's tables the engine keeps the best-scored beam.
const { rerank, ...unranked } = manifest;
const width = (n: number) => ({ beams: { ...manifest.beams, [values.lang]: n } });
const engines = {
  greedy: await Engine.load({ ...unranked, ...width(1) }, nodeRuntime(dir), variant),
  beams: await Engine.load({ ...unranked, ...width(beams) }, nodeRuntime(dir), variant),
  ...(rerank ? { reranked: await Engine.load({ ...manifest, ...width(beams) }, nodeRuntime(dir), variant) } : {}),
};
const clips = readdirSync("public/test-clips").filter((f) => f.endsWith(".wav")).sort();
const audio = await Promise.all(clips.map((c) => readWav16kMono(`public/test-clips/${c}`)));
const machines = [machine()];
for (const engine of Object.values(engines)) await warmUp(() => engine.translate(audio[0]!, values.lang));

type Way = keyof typeof widths;
const ways = Object.keys(engines) as Way[];
const times = Object.fromEntries(ways.map((w) => [w, [] as number[]])) as Record<Way, number[]>;
const decode = Object.fromEntries(ways.map((w) => [w, [] as number[]])) as Record<Way, number[]>;
const heardAt = Object.fromEntries(ways.map((w) => [w, [] as number[]])) as Record<Way, number[]>;
const texts: Record<string, Partial<Record<Way, string>>> = {};
for (let round = 0; round < rounds; round++) {
  for (const [i, clip] of clips.entries()) {
    // Each round starts the rotation one way further on, so that no way always runs first.
    for (const way of ways.map((_, k) => ways[(k + round + i) % ways.length]!)) {
      const start = performance.now();
      const result = await engines[way]!.translate(audio[i]!, values.lang, { transcribe: true });
      times[way].push(result.timings.totalMs);
      decode[way].push(result.timings.decodeMs);
      heardAt[way].push(performance.now() - start);
      (texts[clip] ??= {})[way] = result.text;
    }
  }
}
machines.push(machine());
await Promise.all(Object.values(engines).map((e) => e.release()));

const stats = Object.fromEntries(ways.map((w) => [w, { totalMs: summarize(times[w]), decodeMs: summarize(decode[w]), heardMs: summarize(heardAt[w]) }])) as Record<
  Way,
  { totalMs: Summary; decodeMs: Summary; heardMs: Summary }
>;
const label = { greedy: "greedy", beams: `${beams} beams`, reranked: `${beams} beams reranked by the transcript` } as const;
const date = new Date().toISOString();
const fmt = (s: Summary) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
const md = [
  `# Beam search against greedy ${date}: ${values.model} (${variant}), ${values.lang}, onnxruntime-node`,
  "",
  `Machine: ${machines[0]} at the start, ${machines[1]} at the end. Runtimes: ${onnxruntimeVersions()}.`,
  `${clips.length} bundled test clips × ${rounds} rounds, the ways alternating clip by clip, after a warm-up to the steady state; median (min–max) ms.`,
  "Translation shown: the engine's end-to-end time (a reranked translation waits for the transcription); heard shown: the whole call, the transcription included.",
  "",
  "| decoding | translation shown ms | heard shown ms | decode ms |",
  "|---|---|---|---|",
  ...ways.map((way) => `| ${label[way]} | ${fmt(stats[way].totalMs)} | ${fmt(stats[way].heardMs)} | ${fmt(stats[way].decodeMs)} |`),
  "",
  ...ways.filter((w) => w !== "greedy").map((w) => `Translation shown, ${label[w]} / greedy: ${(stats[w].totalMs.median / stats.greedy.totalMs.median).toFixed(2)}×; heard shown: ${(stats[w].heardMs.median / stats.greedy.heardMs.median).toFixed(2)}×.`),
  "",
  `| clip | ${ways.map((w) => label[w]).join(" | ")} |`,
  `|---|${ways.map(() => "---").join("|")}|`,
  ...clips.map((c) => `| ${c} | ${ways.map((w) => texts[c]![w]).join(" | ")} |`),
  "",
].join("\n");
console.log(md);
const stem = await writeBenchResult(date, "beams", { date, model: values.model, variant, lang: values.lang, widths, machines, clips, stats, times, texts }, md);
console.log(`wrote ${stem}.json and .md`);
