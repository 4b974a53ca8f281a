import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseManifest } from "./manifest";
import { describeModel, evaluationRows } from "./model-info";

const fixture = parseManifest(JSON.parse(readFileSync("public/models/tiny-random/manifest.json", "utf8")));

describe("describeModel", () => {
  it("gives the fixture's sizes per variant, parameters and decoder depth from its manifest", () => {
    const info = describeModel(fixture);
    expect(info.variants).toEqual([
      // graphs: the manifest's variant bytes; on disk: graphs + tokenizer and config files (filesForVariant).
      { name: "fp32", graphBytes: 1874537, storedBytes: 1899462, isDefault: false },
      { name: "q4", graphBytes: 742547, storedBytes: 767472, isDefault: true },
    ]);
    expect(info.parameters.at(-1)).toEqual({ name: "total", count: 418176 });
    expect(info.parameters[0]).toEqual({ name: "audio_encoder", count: 199936 });
    expect(info.decoderLayers).toBe(4);
    expect(info.hiddenSize).toBe(64);
    expect(info.evaluation).toEqual([]);
  });
});

describe("evaluationRows", () => {
  const cell = (bleu: number, chrf: number, chrf_variant: string) => ({ bleu, chrf, chrf_variant, n: 500, empty: 0, not_stopped: 0 });

  it("reads what compress eval writes, the test split first", () => {
    const rows = evaluationRows({
      dev: { torch: { de: cell(70, 80, "chrF++"), zh: cell(50, 45, "chrF") } },
      test: {
        torch: { de: cell(59.95, 68.48, "chrF++"), zh: cell(48.76, 44.33, "chrF") },
        "onnx-q4": { de: cell(57.06, 66.59, "chrF++"), zh: cell(47.33, 42.9, "chrF") },
      },
    });
    expect(rows.map((r) => `${r.split}/${r.system}`)).toEqual(["test/torch", "test/onnx-q4", "dev/torch"]);
    expect(rows[1]).toEqual({
      split: "test",
      system: "onnx-q4",
      de: { bleu: 57.06, chrf: 66.59, chrfVariant: "chrF++" },
      zh: { bleu: 47.33, chrf: 42.9, chrfVariant: "chrF" },
    });
  });

  it("skips what it does not understand instead of failing", () => {
    expect(evaluationRows(undefined)).toEqual([]);
    expect(evaluationRows({ test: "n/a", dev: { torch: null, onnx: { de: { bleu: "high" } } } })).toEqual([]);
    expect(evaluationRows({ test: { torch: { de: { bleu: 1, chrf: 2 } } } })).toEqual([{ split: "test", system: "torch", de: { bleu: 1, chrf: 2, chrfVariant: "chrF++" } }]);
  });
});
