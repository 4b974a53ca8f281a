// The fixture model's golden outputs (written by the Python toolkit).
import { readFileSync } from "node:fs";

export const GOLDEN_PATH = "fixtures/tiny-random/golden.json";

export interface GoldenCase {
  lang: string;
  variant: string;
  generated_ids: number[];
  text: string;
  /** The manifest's beam width for the task when the file was written, and greedy decoding's ids (student files). */
  beams?: number;
  greedy_ids?: number[];
  /** The best-scored beam before the transcript reranked the beams (folders with rerank.json). */
  unranked_ids?: number[];
}

type StudentGoldenFile = "golden.json" | "golden-beams.json" | "golden-rerank.json";

/** The variant the app loads for a committed model on `backend`: the manifest's backend_variants, else its default. */
export function variantOn(modelId: string, backend: "wasm" | "webgpu"): string {
  const manifest = JSON.parse(readFileSync(`public/models/${modelId}/manifest.json`, "utf8")) as { default_variant: string; backend_variants?: Record<string, string> };
  return manifest.backend_variants?.[backend] ?? manifest.default_variant;
}

/** The fixture's golden case for the variant that `backend` runs. */
export function goldenCase(lang: string, backend: "wasm" | "webgpu" = "wasm"): GoldenCase & { wav: string } {
  const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as { wav: string; cases: GoldenCase[] };
  const variant = variantOn("tiny-random", backend);
  const found = golden.cases.find((c) => c.lang === lang && c.variant === variant);
  if (!found) throw new Error(`no golden case for ${lang}/${variant}`);
  return { ...found, variant, wav: golden.wav };
}

/** The fixture's tokenizer, to check that shown text is the decoding of the shown ids. */
export async function fixtureDecoder(): Promise<(ids: number[]) => string> {
  const { loadTokenizer } = await import("../src/core/prompt");
  const dir = "public/models/tiny-random";
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(`${dir}/tokenizer.json`, "utf8")), JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, "utf8")));
  return (ids) => (ids.length ? tokenizer.decode(ids, { skip_special_tokens: true }) : "");
}

/** The shipped student's outputs on a held-out clip (`compress golden`, 64 tokens); `golden-beams.json`: on a
 * clip where beam search and greedy decoding disagree; `golden-rerank.json`: where reranking the beams by the
 * transcript changes the Chinese. */
export function studentGolden(file: StudentGoldenFile = "golden.json"): { wav: string; cases: GoldenCase[] } {
  return JSON.parse(readFileSync(`fixtures/phrasebook-student/${file}`, "utf8")) as { wav: string; cases: GoldenCase[] };
}

/** The student's golden case for the variant that `backend` runs. */
export function studentCase(lang: string, backend: "wasm" | "webgpu" = "wasm", file: StudentGoldenFile = "golden.json"): GoldenCase {
  const variant = variantOn("phrasebook-student", backend);
  const found = studentGolden(file).cases.find((c) => c.lang === lang && c.variant === variant);
  if (!found) throw new Error(`no student golden case for ${lang}/${variant}`);
  return found;
}
