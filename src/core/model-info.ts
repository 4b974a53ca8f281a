// What the page says about a model before and after loading it: bytes on disk per variant,
// parameter counts, decoder depth, and the evaluation figures `compress eval` wrote into the
// manifest's `metrics` ({split: {system: {de: {bleu, chrf, chrf_variant, …}, zh: {…}}}}).
import { z } from "zod";
import { filesForVariant, type Manifest } from "./manifest";

export interface VariantSize {
  name: string;
  /** The three graphs and their external-data shards (the manifest's `variants.<name>.bytes`). */
  graphBytes: number;
  /** Everything the variant downloads and stores: graphs, shards, tokenizer and config files. */
  storedBytes: number;
  isDefault: boolean;
  /** Backends that load this variant instead of the default (the manifest's backend_variants). */
  backends: string[];
}

export interface EvalCell {
  bleu: number;
  chrf: number;
  /** "chrF++" (German) or "chrF" (Chinese), as the evaluation named it. */
  chrfVariant: string;
}

export interface EvalRow {
  split: string;
  /** "torch", "onnx-fp32", "onnx-q4", … */
  system: string;
  de?: EvalCell;
  zh?: EvalCell;
}

export interface ModelInfo {
  id: string;
  version: string;
  variants: VariantSize[];
  /** In the manifest's order; `total` (when present) last. */
  parameters: Array<{ name: string; count: number }>;
  decoderLayers: number;
  hiddenSize: number;
  evaluation: EvalRow[];
}

const cellSchema = z.object({ bleu: z.number(), chrf: z.number(), chrf_variant: z.string().optional() });

export const EVAL_LANGUAGES = ["de", "zh"] as const;

/** Evaluation rows from `metrics`; anything not in the shape `compress eval` writes is skipped, not an error. */
export function evaluationRows(metrics: Record<string, unknown> | undefined): EvalRow[] {
  const rows: EvalRow[] = [];
  // The held-out test split first: it is the one the targets are about.
  const splits = Object.keys(metrics ?? {}).sort((a, b) => Number(b === "test") - Number(a === "test"));
  for (const split of splits) {
    const systems = metrics![split];
    if (typeof systems !== "object" || systems === null) continue;
    for (const [system, byLang] of Object.entries(systems as Record<string, unknown>)) {
      if (typeof byLang !== "object" || byLang === null) continue;
      const row: EvalRow = { split, system };
      for (const lang of EVAL_LANGUAGES) {
        const cell = cellSchema.safeParse((byLang as Record<string, unknown>)[lang]);
        if (cell.success) row[lang] = { bleu: cell.data.bleu, chrf: cell.data.chrf, chrfVariant: cell.data.chrf_variant ?? (lang === "de" ? "chrF++" : "chrF") };
      }
      if (row.de || row.zh) rows.push(row);
    }
  }
  return rows;
}

export function describeModel(manifest: Manifest): ModelInfo {
  const parameters = Object.entries(manifest.parameters ?? {}).map(([name, count]) => ({ name, count }));
  parameters.sort((a, b) => Number(a.name === "total") - Number(b.name === "total"));
  return {
    id: manifest.id,
    version: manifest.version,
    variants: Object.entries(manifest.variants).map(([name, variant]) => ({
      name,
      graphBytes: variant.bytes,
      storedBytes: filesForVariant(manifest, name).reduce((sum, f) => sum + f.bytes, 0),
      isDefault: name === manifest.default_variant,
      backends: Object.entries(manifest.backend_variants ?? {}).flatMap(([backend, v]) => (v === name ? [backend] : [])),
    })),
    parameters,
    decoderLayers: manifest.decoder.num_layers,
    hiddenSize: manifest.decoder.hidden_size,
    evaluation: evaluationRows(manifest.metrics),
  };
}
