import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseManifest } from "./manifest";
import { describeModel, evaluationRows } from "./model-info";

const fixture = parseManifest(JSON.parse(readFileSync("public/models/tiny-random/manifest.json", "utf8")));

describe("describeModel", () => {
  it("gives the fixture's sizes per variant, parameters and decoder depth from its manifest", () => {
    const info = describeModel(fixture);
    // graphs: the manifest's variant bytes; on disk: graphs + tokenizer and config files (filesForVariant).
    const sideBytes = fixture.files.filter((f) => !f.path.startsWith("onnx/")).reduce((n, f) => n + f.bytes, 0);
    const graphBytes = (name: string) => fixture.files.filter((f) => Object.values(fixture.variants[name]!).includes(f.path)).reduce((n, f) => n + f.bytes, 0);
    expect(sideBytes).toBeGreaterThan(0);
    expect(info.variants).toEqual(
      ["fp32", "q4", "q4dq"].map((name) => ({
        name,
        graphBytes: graphBytes(name),
        storedBytes: graphBytes(name) + sideBytes,
        isDefault: name === "q4",
        backends: name === "q4dq" ? ["wasm"] : [],
      })),
    );
    // q4dq shares q4's embedding graph (it has no MatMul), so the two variants overlap in files.
    expect(fixture.variants.q4dq!.embed_tokens).toBe(fixture.variants.q4!.embed_tokens);
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
