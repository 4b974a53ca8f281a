// `npm run bench:beams -- [--model ID] [--lang de] [--beams 4] [--variant q4] [--rounds 4]`: what beam search
// costs against greedy decoding, end to end, on the bundled test clips through onnxruntime-node (the app's engine),
// the two alternating clip by clip so that the machine's drift hits both alike. Writes
// bench/results/<date>-beams.{json,md}. The browser's WASM decodes the same loop (src/core/generate.ts).
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
const widths = { greedy: 1, beams } as const;
const engines = {
  greedy: await Engine.load({ ...manifest, beams: { ...manifest.beams, [values.lang]: 1 } }, nodeRuntime(dir), variant),
  beams: await Engine.load({ ...manifest, beams: { ...manifest.beams, [values.lang]: beams } }, nodeRuntime(dir), variant),
};
const clips = readdirSync("public/test-clips").filter((f) => f.endsWith(".wav")).sort();
const audio = await Promise.all(clips.map((c) => readWav16kMono(`public/test-clips/${c}`)));
const machines = [machine()];
for (const engine of Object.values(engines)) await warmUp(() => engine.translate(audio[0]!, values.lang));

type Way = keyof typeof engines;
const times: Record<Way, number[]> = { greedy: [], beams: [] };
const decode: Record<Way, number[]> = { greedy: [], beams: [] };
const texts: Record<string, Record<Way, string>> = {};
for (let round = 0; round < rounds; round++) {
  for (const [i, clip] of clips.entries()) {
    for (const way of (round + i) % 2 ? (["beams", "greedy"] as const) : (["greedy", "beams"] as const)) {
      const result = await engines[way].translate(audio[i]!, values.lang);
      times[way].push(result.timings.totalMs);
      decode[way].push(result.timings.decodeMs);
      (texts[clip] ??= { greedy: "", beams: "" })[way] = result.text;
    }
  }
}
machines.push(machine());
await Promise.all(Object.values(engines).map((e) => e.release()));

const stats: Record<Way, { totalMs: Summary; decodeMs: Summary }> = {
  greedy: { totalMs: summarize(times.greedy), decodeMs: summarize(decode.greedy) },
  beams: { totalMs: summarize(times.beams), decodeMs: summarize(decode.beams) },
};
const date = new Date().toISOString();
const fmt = (s: Summary) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
const md = [
  `# Beam search against greedy ${date}: ${values.model} (${variant}), ${values.lang}, onnxruntime-node`,
  "",
  `Machine: ${machines[0]} at the start, ${machines[1]} at the end. Runtimes: ${onnxruntimeVersions()}.`,
  `${clips.length} bundled test clips × ${rounds} rounds, the two alternating clip by clip, after a warm-up to the steady state; median (min–max) ms.`,
  "",
  "| decoding | end to end ms | decode ms |",
  "|---|---|---|",
  ...(Object.keys(stats) as Way[]).map((way) => `| ${way === "greedy" ? "greedy" : `${beams} beams`} | ${fmt(stats[way].totalMs)} | ${fmt(stats[way].decodeMs)} |`),
  "",
  `End to end, beams / greedy: ${(stats.beams.totalMs.median / stats.greedy.totalMs.median).toFixed(2)}×.`,
  "",
  "| clip | greedy | beams |",
  "|---|---|---|",
  ...clips.map((c) => `| ${c} | ${texts[c]!.greedy} | ${texts[c]!.beams} |`),
  "",
].join("\n");
console.log(md);
const stem = await writeBenchResult(date, "beams", { date, model: values.model, variant, lang: values.lang, widths, machines, clips, stats, times, texts }, md);
console.log(`wrote ${stem}.json and .md`);
