// `npm run translate -- FILE.wav|DIR|LIST... --to de|zh [--model public/models/<id>] [--variant q4] [--json]`
// The app's runtime on onnxruntime-node: the native-speed baseline for the benchmark.
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Engine } from "../src/core/engine";
import { describeError } from "../src/core/errors";
import { segmentClip, VoiceSegmenter } from "../src/core/segment";
import { nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav16kMono } from "../src/node/wav";
import * as ort from "onnxruntime-node";

const USAGE = "usage: npm run translate -- FILE.wav|DIR ... --to de|zh [--model public/models/<id>] [--variant NAME] [--json] [--max-new-tokens N]";

async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if ((await stat(input)).isDirectory()) {
      const names = (await readdir(input)).filter((n) => n.toLowerCase().endsWith(".wav")).sort();
      files.push(...names.map((n) => join(input, n)));
    } else if (input.endsWith(".txt") || input.endsWith(".lst")) {
      // A list file: one WAV path per line.
      files.push(...(await readFile(input, "utf8")).split("\n").map((l) => l.trim()).filter(Boolean));
    } else {
      files.push(input);
    }
  }
  return files;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      to: { type: "string" },
      model: { type: "string", default: "public/models/tiny-random" },
      variant: { type: "string" },
      json: { type: "boolean", default: false },
      "max-new-tokens": { type: "string", default: "256" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length === 0 || !values.to) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const loadStart = performance.now();
  const manifest = await readManifest(values.model);
  if (!manifest.languages.targets.includes(values.to)) {
    console.error(`--to must be one of ${manifest.languages.targets.join(", ")}`);
    return 2;
  }
  const engine = await Engine.load(manifest, nodeRuntime(values.model), values.variant ?? manifest.default_variant);
  const loadMs = performance.now() - loadStart;
  const vadModel = new Uint8Array(await readFile(createRequire(import.meta.url).resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx")));
  const maxSamples = Math.floor(manifest.audio.max_seconds * manifest.audio.sampling_rate);
  let failures = 0;

  for (const file of await expandInputs(positionals)) {
    try {
      const samples = await readWav16kMono(file, manifest.audio.sampling_rate);
      // Same policy as the app: a clip within the window is one utterance; longer ones go by the VAD.
      const pieces = samples.length <= maxSamples
        ? [samples]
        : await segmentClip(await VoiceSegmenter.create(ort, vadModel, { maxSamples }), samples);
      const results = [];
      for (const piece of pieces) {
        results.push(await engine.translate(piece, values.to, { maxNewTokens: Number(values["max-new-tokens"]) }));
      }
      const text = results.map((r) => r.text).join(" ");
      if (values.json) {
        console.log(JSON.stringify({
          file,
          lang: values.to,
          model: manifest.id,
          version: manifest.version,
          variant: engine.variant,
          loadMs,
          text,
          utterances: results.map((r) => ({
            text: r.text,
            ids: r.ids,
            audioSeconds: r.audioSeconds,
            timings: { ...r.timings, decodeTokensPerSecond: r.timings.decodeMs > 0 ? (r.timings.decodeTokens * 1000) / r.timings.decodeMs : 0 },
          })),
        }));
      } else {
        console.log(positionals.length > 1 || pieces.length > 1 ? `${file}\t${text}` : text);
      }
    } catch (error) {
      failures++;
      console.error(`${file}: ${describeError(error).message}`);
    }
  }
  await engine.release();
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
