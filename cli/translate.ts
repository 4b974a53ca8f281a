// `npm run --silent translate -- INPUT... --to de|zh [--model DIR|ID] [--variant NAME] [--json] [--max-new-tokens N]`
// The app's engine on onnxruntime-node, with the app's checks: model files against the manifest's
// sizes and sha256, the same voice detector deciding what is speech, the same audio limits.
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { Engine } from "../src/core/engine";
import { AppError, describeError } from "../src/core/errors";
import { defaultEntry, parseRegistry } from "../src/core/registry";
import { clipUtterances } from "../src/core/segment";
import { deriveTimings } from "../src/core/timings";
import { nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav } from "../src/node/wav";

const MAX_NEW_TOKENS = 1024;
const USAGE = `usage: npm run --silent translate -- INPUT... --to LANG [options]

  INPUT                a WAV file, a folder (its .wav files), or a list file (.txt or .lst: one
                       path a line, relative to the list; lines starting with # are comments)
  --to LANG            the target language, one of the model's (de, zh)
  --model DIR|ID       a model folder, or the id of one in public/models/
                       (default: the app's default model, public/models/index.json)
  --variant NAME       one of the manifest's variants (default: its default_variant)
  --json               one JSON object a file, a line each (JSON Lines), on stdout
  --max-new-tokens N   most tokens generated per utterance, 1 to ${MAX_NEW_TOKENS} (default 256)

Translations go to stdout (a file's name, a tab, its translation, when there is more than one
file); an utterance the model did not understand reads [not understood]. With --json each
record also has what the model heard ("heard", for models that transcribe), each utterance's
confidence and whether it was understood. Errors and warnings go to stderr. Exit status: 0 when
every file was translated, 1 when any failed, 2 for a usage or model error.`;
const NOT_UNDERSTOOD = "[not understood]";
const MODELS_DIR = fileURLToPath(new URL("../public/models/", import.meta.url));

class UsageError extends Error {}

interface Options {
  inputs: string[];
  lang: string;
  model: string;
  variant: string | undefined;
  json: boolean;
  maxNewTokens: number;
}

/** A named input that could not be translated, with why. */
interface Input {
  file: string;
  problem?: string;
}

async function parseOptions(argv: string[]): Promise<Options | null> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: "string" },
        model: { type: "string" },
        variant: { type: "string" },
        json: { type: "boolean", default: false },
        "max-new-tokens": { type: "string", default: "256" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // node:util's parseArgs reports unknown options and missing values with codes ERR_PARSE_ARGS_*.
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length === 0) throw new UsageError("no INPUT given");
  if (!values.to) throw new UsageError("--to is required");
  const maxNewTokens = Number(values["max-new-tokens"]);
  if (!/^\d+$/.test(values["max-new-tokens"]) || maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS) {
    throw new UsageError(`--max-new-tokens must be a whole number from 1 to ${MAX_NEW_TOKENS}, not "${values["max-new-tokens"]}"`);
  }
  return { inputs: positionals, lang: values.to, model: await modelFolder(values.model), variant: values.variant, json: values.json, maxNewTokens };
}

/** `--model` as given when it is a folder, else the folder of that id under public/models/; without
 * it, the app's default model (the registry's "default": true entry). */
async function modelFolder(model: string | undefined): Promise<string> {
  if (model === undefined) {
    const entry = defaultEntry(parseRegistry(JSON.parse(await readFile(join(MODELS_DIR, "index.json"), "utf8"))));
    return join(MODELS_DIR, entry!.id);
  }
  const isFolder = async (path: string) => (await stat(path).catch(() => null))?.isDirectory() ?? false;
  if (!(await isFolder(model)) && /^[A-Za-z0-9._-]+$/.test(model) && (await isFolder(join(MODELS_DIR, model)))) return join(MODELS_DIR, model);
  return model;
}

async function expandInputs(inputs: string[]): Promise<Input[]> {
  const files: Input[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(input)).filter((n) => n.toLowerCase().endsWith(".wav")).sort();
      if (names.length === 0) files.push({ file: input, problem: "a folder with no .wav files" });
      files.push(...names.map((n) => ({ file: join(input, n) })));
    } else if (info && /\.(txt|lst)$/i.test(input)) {
      const lines = (await readFile(input, "utf8")).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
      if (lines.length === 0) files.push({ file: input, problem: "a list with no files in it" });
      files.push(...lines.map((l) => ({ file: isAbsolute(l) ? l : join(dirname(input), l) })));
    } else {
      files.push({ file: input });
    }
  }
  return files;
}

/** The file's audio, or a message naming what is wrong with the path or the file. */
async function readInput(file: string): Promise<Awaited<ReturnType<typeof readWav>>> {
  try {
    return await readWav(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problems: Record<string, string> = { ENOENT: "no such file", EISDIR: "a folder, not a WAV file", EACCES: "not readable (permission denied)" };
    if (code && problems[code]) throw new AppError("not-audio", problems[code]);
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = await parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n${USAGE.split("\n")[0]}  (--help for the options)`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const inputs = await expandInputs(options.inputs);
  let failures = 0;
  const fail = (file: string, code: string, message: string) => {
    failures++;
    console.error(`${file}: ${message}`);
    if (options.json) console.log(JSON.stringify({ file, error: { code, message } }));
  };
  if (inputs.every((i) => i.problem)) {
    for (const input of inputs) fail(input.file, "input", input.problem!);
    return 1;
  }

  const loadStart = performance.now();
  const manifest = await readManifest(options.model);
  if (!manifest.languages.targets.includes(options.lang)) {
    console.error(`error: --to must be one of ${manifest.languages.targets.join(", ")} (the languages of ${manifest.id}), not "${options.lang}"`);
    return 2;
  }
  const variant = options.variant ?? manifest.default_variant;
  if (!(variant in manifest.variants)) {
    console.error(`error: --variant must be one of ${Object.keys(manifest.variants).join(", ")} (the variants of ${manifest.id}), not "${variant}"`);
    return 2;
  }
  const engine = await Engine.load(manifest, nodeRuntime(options.model), variant);
  const loadMs = performance.now() - loadStart;
  const vadModel = new Uint8Array(await readFile(createRequire(import.meta.url).resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx")));
  const withNames = inputs.length > 1;

  try {
    for (const { file, problem } of inputs) {
      if (problem) {
        fail(file, "input", problem);
        continue;
      }
      try {
        const { samples, warnings } = await readInput(file);
        for (const warning of warnings) console.error(`${file}: warning: ${warning}`);
        const results = [];
        for (const piece of await clipUtterances(ort, vadModel, samples, manifest.audio)) {
          results.push(await engine.translate(piece.audio, options.lang, { maxNewTokens: options.maxNewTokens, transcribe: true }));
        }
        // An utterance the model did not understand (out of its phrasebook, or under its confidence
        // threshold) is said to be so, never passed off as a translation.
        const text = results.map((r) => (r.understood ? r.text : NOT_UNDERSTOOD)).join(" ");
        const heard = engine.canTranscribe ? results.map((r) => r.heard ?? "").join(" ") : undefined;
        if (options.json) {
          console.log(JSON.stringify({
            file,
            lang: options.lang,
            model: manifest.id,
            version: manifest.version,
            variant: engine.variant,
            loadMs,
            text,
            ...(heard !== undefined ? { heard } : {}),
            understood: results.every((r) => r.understood),
            warnings,
            utterances: results.map((r) => ({
              text: r.text,
              ...(r.heard !== undefined ? { heard: r.heard } : {}),
              confidence: r.confidence,
              understood: r.understood,
              ids: r.ids,
              audioSeconds: r.audioSeconds,
              timings: deriveTimings(r),
            })),
          }));
        } else {
          // One line a file, whatever the model writes.
          const line = text.replace(/\s*\n\s*/g, " ");
          console.log(withNames ? `${file}\t${line}` : line);
        }
      } catch (error) {
        const { code, message } = describeError(error);
        fail(file, code, message);
      }
    }
  } finally {
    await engine.release();
  }
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  // Model and setup errors (a missing or malformed model folder, a file that fails its sha256).
  console.error(`error: ${describeError(error).message}`);
  return 2;
});
