import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ManifestError } from "./errors";
import { chooseVariant, confidenceThreshold, externalDataFor, filesForVariant, parseManifest } from "./manifest";
import { sampleManifest } from "../test-support/manifest";

const FIXTURE = "public/models/tiny-random/manifest.json";

function errorOf(json: unknown): ManifestError {
  try {
    parseManifest(json);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected parseManifest to throw");
}

describe("parseManifest", () => {
  it("accepts a manifest that follows the contract", () => {
    const manifest = parseManifest(sampleManifest());
    expect(manifest.id).toBe("sample");
    expect(manifest.prompts.de?.text).toContain("<|AUDIO|>");
  });

  it("accepts the exported tiny-random fixture", () => {
    const manifest = parseManifest(JSON.parse(readFileSync(FIXTURE, "utf8")));
    expect(manifest.id).toBe("tiny-random");
    expect(Object.keys(manifest.variants)).toEqual(expect.arrayContaining(["fp32", "q4"]));
  });

  it("rejects non-objects", () => {
    expect(errorOf("hello").message).toMatch(/Malformed manifest: \(root\)/);
    expect(errorOf(null).code).toBe("manifest");
  });

  it("names a missing field", () => {
    const json = sampleManifest();
    delete json.tokens;
    expect(errorOf(json).message).toMatch(/tokens: missing \(expected object\)/);
  });

  it("says that {} or a list is not a model manifest at all, rather than listing every field it lacks", () => {
    expect(errorOf({}).message).toBe('Malformed manifest: not a qwen2-audio-onnx model manifest: it has no "format" field');
    expect(errorOf([]).message).toBe("Malformed manifest: (root): expected a JSON object, got a list");
  });

  it("rejects another format or version", () => {
    expect(errorOf({ ...sampleManifest(), format: "gguf" }).message).toMatch(/format: /);
    expect(errorOf({ ...sampleManifest(), format_version: 2 }).message).toMatch(/format_version: /);
  });

  it("rejects a malformed sha256 and names the file index", () => {
    const json = sampleManifest();
    json.files[3].sha256 = "abc";
    expect(errorOf(json).message).toMatch(/files\.3\.sha256: expected a lowercase hex sha256/);
  });

  it("rejects paths that escape the model folder", () => {
    const json = sampleManifest();
    json.files[0].path = "../secrets.json";
    expect(errorOf(json).message).toMatch(/files\.0\.path: expected a path inside the model folder/);
  });

  it("rejects a variant graph missing from files", () => {
    const json = sampleManifest();
    json.variants.q4.decoder_model_merged = "onnx/nope.onnx";
    expect(errorOf(json).message).toMatch(/variants\.q4\.decoder_model_merged: "onnx\/nope\.onnx" is not listed in files/);
  });

  it("rejects decoding or rerank tables missing from files, and a rerank path outside the folder", () => {
    const json = sampleManifest() as ReturnType<typeof sampleManifest> & { decoding?: string; rerank?: string };
    json.decoding = "decoding.json";
    json.rerank = "rerank.json";
    const message = errorOf(json).message;
    expect(message).toMatch(/decoding: "decoding.json" is not listed in files/);
    expect(message).toMatch(/rerank: "rerank.json" is not listed in files/);
    json.rerank = "../rerank.json";
    expect(errorOf(json).message).toMatch(/rerank: expected a path inside the model folder/);
  });

  it("rejects an unknown default variant", () => {
    expect(errorOf({ ...sampleManifest(), default_variant: "int8" }).message).toMatch(/default_variant: "int8" is not one of variants/);
  });

  it("rejects a backend variant that is not a variant, or an unknown backend", () => {
    expect(errorOf({ ...sampleManifest(), backend_variants: { wasm: "q8" } }).message).toMatch(/backend_variants\.wasm: "q8" is not one of variants \(fp32, q4\)/);
    expect(errorOf({ ...sampleManifest(), backend_variants: { webnn: "q4" } }).message).toMatch(/backend_variants/);
  });

  it("rejects a target language without a prompt, or a prompt without one <|AUDIO|>", () => {
    const noPrompt = sampleManifest();
    delete noPrompt.prompts.zh;
    expect(errorOf(noPrompt).message).toMatch(/prompts\.zh: missing/);
    const noAudio = sampleManifest();
    noAudio.prompts.de.text = "<|im_start|>assistant\n";
    expect(errorOf(noAudio).message).toMatch(/prompts\.de\.text: expected exactly one <\|AUDIO\|>/);
  });

  it("rejects a total_bytes that does not add up", () => {
    const json = sampleManifest();
    json.total_bytes += 1;
    expect(errorOf(json).message).toMatch(/total_bytes: \d+ but files add up to \d+/);
  });

  it("reads a confidence threshold for every language or one per language, and rejects one outside [0, 1]", () => {
    const json = sampleManifest();
    expect(confidenceThreshold(parseManifest(json), "de")).toBeUndefined();
    json.confidence_threshold = 0.7;
    expect(confidenceThreshold(parseManifest(json), "zh")).toBe(0.7);
    json.confidence_threshold = { de: 0.72, zh: 0.64 };
    const manifest = parseManifest(json);
    expect([confidenceThreshold(manifest, "de"), confidenceThreshold(manifest, "zh"), confidenceThreshold(manifest, "fr")]).toEqual([0.72, 0.64, undefined]);
    json.confidence_threshold = { de: 1.5 };
    expect(errorOf(json).message).toMatch(/confidence_threshold/);
  });

  it("reports every problem at once", () => {
    const json = sampleManifest();
    json.default_variant = "int8";
    json.total_bytes = 1;
    const message = errorOf(json).message;
    expect(message).toMatch(/default_variant/);
    expect(message).toMatch(/total_bytes/);
  });
});

describe("variant files", () => {
  const manifest = parseManifest(sampleManifest());

  it("lists a variant's graphs, their shards and the side files, not the other variant", () => {
    const paths = filesForVariant(manifest, "fp32").map((f) => f.path);
    expect(paths).toContain("onnx/decoder_model_merged.onnx_data");
    expect(paths).toContain("tokenizer.json");
    expect(paths).not.toContain("onnx/decoder_model_merged_q4.onnx");
    const q4 = filesForVariant(manifest, "q4").map((f) => f.path);
    expect(q4).not.toContain("onnx/decoder_model_merged.onnx_data");
    expect(q4).toContain("onnx/embed_tokens_q4.onnx");
  });

  it("finds external-data shards of one graph", () => {
    expect(externalDataFor(manifest, "onnx/decoder_model_merged.onnx").map((f) => f.path)).toEqual(["onnx/decoder_model_merged.onnx_data"]);
    expect(externalDataFor(manifest, "onnx/decoder_model_merged_q4.onnx")).toEqual([]);
  });
});

describe("chooseVariant", () => {
  const manifest = parseManifest({ ...sampleManifest(), backend_variants: { wasm: "fp32" } });
  const stored = (...names: string[]) => (v: string) => names.includes(v);

  it("gives a backend its own variant, else the default", () => {
    expect(chooseVariant(manifest, "wasm")).toBe("fp32");
    expect(chooseVariant(manifest, "webgpu")).toBe("q4");
    expect(chooseVariant(parseManifest(sampleManifest()), "wasm")).toBe("q4");
  });

  it("keeps the variant the caller asks for, and names the choices when it does not exist", () => {
    expect(chooseVariant(manifest, "wasm", { requested: "q4" })).toBe("q4");
    expect(() => chooseVariant(manifest, "wasm", { requested: "int8" })).toThrow(/variant "int8" is not in the manifest \(fp32, q4\)/);
  });

  it("preferring what is stored (offline, or a mid-session fallback), takes the stored default, else any stored variant, when the backend's variant was never downloaded", () => {
    expect(chooseVariant(manifest, "wasm", { preferStored: true, isStored: stored("q4") })).toBe("q4");
    expect(chooseVariant(manifest, "wasm", { preferStored: true, isStored: stored("q4", "fp32") })).toBe("fp32");
    // Neither the backend's variant nor the default stored: another stored variant (each runs on every backend).
    expect(chooseVariant(manifest, "webgpu", { preferStored: true, isStored: stored("fp32") })).toBe("fp32");
    // Nothing stored: the backend's variant, whose download then reports the network error.
    expect(chooseVariant(manifest, "wasm", { preferStored: true, isStored: stored() })).toBe("fp32");
    // Otherwise (online, a normal load) the missing variant is downloaded.
    expect(chooseVariant(manifest, "wasm", { preferStored: false, isStored: stored("q4") })).toBe("fp32");
  });
});
