// The model contract (docs/model-contract.md) as a schema. Parsing turns any
// malformed manifest into one ManifestError naming every bad field, so the UI can
// say what is wrong instead of failing later inside ONNX Runtime.
import { z } from "zod";
import { ManifestError } from "./errors";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex sha256 (64 characters)");
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "expected a path inside the model folder");
const tokenId = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

const promptSchema = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
  text: z.string().min(1),
});

const variantSchema = z.object({
  audio_encoder: relativePath,
  embed_tokens: relativePath,
  decoder_model_merged: relativePath,
  bytes: z.number().int().nonnegative(),
});

const fileSchema = z.object({
  path: relativePath,
  bytes: z.number().int().nonnegative(),
  sha256: sha256Hex,
});

const manifestSchema = z.object({
  format: z.literal("qwen2-audio-onnx"),
  format_version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, "expected letters, digits, '.', '_' or '-'"),
  version: z.string().min(1),
  source: z.object({ checkpoint: z.string(), architecture: z.string() }).partial().optional(),
  languages: z.object({ source: z.string(), targets: z.array(z.string()).min(1) }),
  prompts: z.record(z.string(), promptSchema),
  audio: z.object({
    sampling_rate: z.number().int().positive(),
    n_mels: z.number().int().positive(),
    hop_length: z.number().int().positive(),
    n_samples: z.number().int().positive(),
    max_frames: z.number().int().positive(),
    max_seconds: z.number().positive(),
    token_formula: z.string().optional(),
    /** Extra mel frames past the real audio that the encoder also gets (its conv needs right context). */
    context_frames: z.number().int().nonnegative().default(0),
    conv_stride: z.number().int().positive(),
    pool_stride: z.number().int().positive(),
  }),
  tokens: z.object({
    audio: tokenId,
    audio_bos: tokenId,
    audio_eos: tokenId,
    eos: z.array(tokenId).min(1),
    im_start: tokenId,
    im_end: tokenId,
    pad: tokenId,
    /** The model's "not in the phrasebook" answer, when it was trained to give one. */
    out_of_domain: tokenId.optional(),
  }),
  decoder: z.object({
    num_layers: z.number().int().positive(),
    num_kv_heads: z.number().int().positive(),
    head_dim: z.number().int().positive(),
    hidden_size: z.number().int().positive(),
    vocab_size: z.number().int().positive(),
  }),
  variants: z.record(z.string(), variantSchema).refine((v) => Object.keys(v).length > 0, "expected at least one variant"),
  default_variant: z.string(),
  /** The variant a backend loads instead of default_variant (e.g. wasm → q8 or q4dq: the same
   * 4-bit numbers laid out for runtimes without a fast MatMulNBits kernel). */
  backend_variants: z.partialRecord(z.enum(["webgpu", "wasm"]), z.string()).optional(),
  files: z.array(fileSchema).min(1),
  total_bytes: z.number().int().nonnegative(),
  parameters: z.record(z.string(), z.number()).optional(),
  quantization: z.record(z.string(), z.unknown()).optional(),
  external_data: z.object({ max_shard_bytes: z.number() }).partial().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  /** decoding.json: the rules every runtime decodes under (src/core/decoding.ts). */
  decoding: relativePath.optional(),
  /** The utterance's confidence is the geometric mean of this many of its least probable chosen
   * tokens' probabilities; absent: of every chosen token (folders chosen before 2026-12-07). */
  confidence_tokens: z.number().int().positive().optional(),
  /** Under this confidence an utterance counts as not understood: one value for every language, or
   * one per language (`compress robustness --choose-threshold` chooses one per language, for its
   * `confidence_tokens`, on dev splits, never on a test split). */
  confidence_threshold: z.union([probability, z.record(z.string(), probability)]).optional(),
  /** The beam width per task (a prompt's key); a task not named decodes greedy. Chosen on dev splits
   * (docs/results.md, "Beam search"). */
  beams: z.record(z.string(), z.number().int().min(1).max(16)).optional(),
  /** rerank.json: the tables that rerank a task's beams by the model's transcript (src/core/rerank.ts). */
  rerank: relativePath.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileSchema>;
export type Variant = z.infer<typeof variantSchema>;
export type AudioConfig = Manifest["audio"];

export const AUDIO_PLACEHOLDER = "<|AUDIO|>";

/** The confidence under which a translation into `lang` is not understood (none: every one is). */
export function confidenceThreshold(manifest: Manifest, lang: string): number | undefined {
  const threshold = manifest.confidence_threshold;
  return typeof threshold === "number" ? threshold : threshold?.[lang];
}

/** Parses and cross-checks a manifest; throws ManifestError listing every problem. */
export function parseManifest(json: unknown): Manifest {
  // Some other JSON altogether (`{}`, another tool's file): say that, not every field it lacks.
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ManifestError(`(root): expected a JSON object, got ${Array.isArray(json) ? "a list" : json === null ? "null" : `a ${typeof json}`}`);
  }
  if (!("format" in json)) throw new ManifestError('not a qwen2-audio-onnx model manifest: it has no "format" field');
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message.replace(/^Invalid input: expected (.*), received undefined$/, "missing (expected $1)")}`);
    throw new ManifestError(problems.join("; "));
  }
  const manifest = result.data;
  const problems: string[] = [];
  const filePaths = new Set(manifest.files.map((f) => f.path));

  if (filePaths.size !== manifest.files.length) problems.push("files: a path is listed twice");
  if (!(manifest.default_variant in manifest.variants)) {
    problems.push(`default_variant: "${manifest.default_variant}" is not one of variants (${Object.keys(manifest.variants).join(", ")})`);
  }
  for (const [backend, name] of Object.entries(manifest.backend_variants ?? {})) {
    if (!(name in manifest.variants)) problems.push(`backend_variants.${backend}: "${name}" is not one of variants (${Object.keys(manifest.variants).join(", ")})`);
  }
  for (const [name, variant] of Object.entries(manifest.variants)) {
    for (const graph of ["audio_encoder", "embed_tokens", "decoder_model_merged"] as const) {
      if (!filePaths.has(variant[graph])) problems.push(`variants.${name}.${graph}: "${variant[graph]}" is not listed in files`);
    }
  }
  if (manifest.decoding && !filePaths.has(manifest.decoding)) problems.push(`decoding: "${manifest.decoding}" is not listed in files`);
  if (manifest.rerank && !filePaths.has(manifest.rerank)) problems.push(`rerank: "${manifest.rerank}" is not listed in files`);
  for (const lang of manifest.languages.targets) {
    const prompt = manifest.prompts[lang];
    if (!prompt) {
      problems.push(`prompts.${lang}: missing, but "${lang}" is a target language`);
    } else if (prompt.text.split(AUDIO_PLACEHOLDER).length !== 2) {
      problems.push(`prompts.${lang}.text: expected exactly one ${AUDIO_PLACEHOLDER}`);
    }
  }
  for (const task of Object.keys(manifest.beams ?? {})) {
    if (!(task in manifest.prompts)) problems.push(`beams.${task}: "${task}" is not one of prompts (${Object.keys(manifest.prompts).join(", ")})`);
  }
  const sum = manifest.files.reduce((total, f) => total + f.bytes, 0);
  if (sum !== manifest.total_bytes) problems.push(`total_bytes: ${manifest.total_bytes} but files add up to ${sum}`);
  if (manifest.audio.max_frames * manifest.audio.hop_length !== manifest.audio.n_samples) {
    problems.push("audio: max_frames * hop_length must equal n_samples");
  }

  if (problems.length > 0) throw new ManifestError(problems.join("; "));
  return manifest;
}

/** Which variant to load: the one asked for, else the backend's own (backend_variants), else the
 * default. With `preferStored`, a backend variant that was never downloaded gives way to the
 * default when that one is in the store (`isStored`), else to any stored variant: offline, where the download would fail, and
 * when WebGPU is lost mid-session, where the user waits for the retried translation, not for a
 * download; it runs slower on WASM, and the next load fetches WASM's own variant. */
export function chooseVariant(
  manifest: Manifest,
  backend: "webgpu" | "wasm",
  options: { requested?: string | undefined; preferStored?: boolean; isStored?: (variant: string) => boolean } = {},
): string {
  if (options.requested) {
    if (!(options.requested in manifest.variants)) {
      throw new ManifestError(`variant "${options.requested}" is not in the manifest (${Object.keys(manifest.variants).join(", ")})`);
    }
    return options.requested;
  }
  const preferred = manifest.backend_variants?.[backend] ?? manifest.default_variant;
  if (options.preferStored && options.isStored && !options.isStored(preferred)) {
    // The default first, else any stored variant: every variant runs on both backends, only slower
    // off its own (MatMulNBits on WASM).
    const stored = [manifest.default_variant, ...Object.keys(manifest.variants)].find(options.isStored);
    if (stored) return stored;
  }
  return preferred;
}

/** The files one variant needs: its three graphs, their external-data shards, and the JSON side files. */
export function filesForVariant(manifest: Manifest, variantName: string): ManifestFile[] {
  const variant = manifest.variants[variantName];
  if (!variant) throw new ManifestError(`variant "${variantName}" is not in the manifest`);
  const graphs = [variant.audio_encoder, variant.embed_tokens, variant.decoder_model_merged];
  const isGraphFile = (path: string) => path.endsWith(".onnx") || path.includes(".onnx_data");
  const belongsToVariant = (path: string) => graphs.some((g) => path === g || path.startsWith(`${g}_data`));
  return manifest.files.filter((f) => !isGraphFile(f.path) || belongsToVariant(f.path));
}

/** External-data shards of one graph (`x.onnx_data`, `x.onnx_data_1`, …) in manifest order. */
export function externalDataFor(manifest: Manifest, graphPath: string): ManifestFile[] {
  return manifest.files.filter((f) => f.path.startsWith(`${graphPath}_data`));
}
