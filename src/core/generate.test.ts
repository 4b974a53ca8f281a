// The generation loop on the exported fixture model with onnxruntime-node: it must
// reproduce the greedy ids that the Python toolkit recorded in golden.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audioTokenCount, FeatureExtractor } from "./audio";
import { Engine } from "./engine";
import { nodeRuntime, readManifest } from "../node/runtime";
import { readWav16kMono } from "../node/wav";

const MODEL_DIR = "public/models/tiny-random";
const GOLDEN = "fixtures/tiny-random/golden.json";

interface Golden {
  wav: string;
  samples: number;
  features_shape: [number, number, number];
  n_audio_tokens: number;
  features_stats: { mean: number; std: number; first_frame_head: number[] };
  cases: Array<{ lang: string; variant: string; prompt_ids: number[]; generated_ids: number[]; raw_text: string; text: string }>;
}

describe("generation on the tiny-random fixture (onnxruntime-node)", async () => {
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as Golden;
  const cases = golden?.cases ?? [];

  it("reads the golden clip with the recorded sample and audio-token counts", async () => {
    const manifest = await readManifest(MODEL_DIR);
    const samples = await readWav16kMono(golden!.wav);
    expect(samples.length).toBe(golden!.samples);
    expect(audioTokenCount(samples.length, manifest.audio)).toBe(golden!.n_audio_tokens);
  });

  it("computes the same encoder input features as the Python toolkit", async () => {
    const manifest = await readManifest(MODEL_DIR);
    const config = JSON.parse(readFileSync(`${MODEL_DIR}/preprocessor_config.json`, "utf8")) as Record<string, unknown>;
    const features = await new FeatureExtractor(config, manifest.audio).extract(await readWav16kMono(golden!.wav));
    expect(features.dims).toEqual(golden!.features_shape);
    const values = Array.from(features.data);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(golden!.features_stats.mean, 4);
    expect(std).toBeCloseTo(golden!.features_stats.std, 4);
    const [, nMels, frames] = features.dims;
    const firstFrame = Array.from({ length: Math.min(8, nMels) }, (_, mel) => features.data[mel * frames]!);
    firstFrame.forEach((v, i) => expect(v).toBeCloseTo(golden!.features_stats.first_frame_head[i]!, 4));
  });

  it.each(cases.map((c) => [c.lang, c.variant, c] as const))("%s / %s reproduces the golden prompt and greedy ids", async (lang, variant, golden_case) => {
    const manifest = await readManifest(MODEL_DIR);
    const engine = await Engine.load(manifest, nodeRuntime(MODEL_DIR), variant);
    try {
      const samples = await readWav16kMono(golden!.wav);
      const streamed: string[] = [];
      const result = await engine.translate(samples, lang, {
        maxNewTokens: golden_case.generated_ids.length,
        onText: (text) => streamed.push(text),
      });
      expect(result.promptIds).toEqual(golden_case.prompt_ids);
      expect(result.ids).toEqual(golden_case.generated_ids);
      // The ids decode as in Python, and the shown text is Python's finished text (decoding rule 5).
      expect(engine.decode(golden_case.generated_ids)).toBe(golden_case.raw_text);
      expect(result.text).toBe(golden_case.text);
      // Streaming only ever grows the shown text, and ends at the final text (minus held-back bytes).
      for (let i = 1; i < streamed.length; i++) expect(streamed[i]!.startsWith(streamed[i - 1]!)).toBe(true);
      expect(result.text.startsWith(streamed.at(-1) ?? "")).toBe(true);
      for (const shown of streamed) expect(shown).not.toContain("\uFFFD");

      // Without a listener the final text is the same.
      const quiet = await engine.translate(samples, lang, { maxNewTokens: golden_case.generated_ids.length });
      expect(quiet.text).toBe(golden_case.text);

      // Benchmarks' forced decode: EOS does not stop it, so exactly maxNewTokens come out, the
      // golden ones first (the golden run stopped at EOS).
      const forced = await engine.translate(samples, lang, { maxNewTokens: golden_case.generated_ids.length + 5, ignoreEos: true });
      expect(forced.ids).toHaveLength(golden_case.generated_ids.length + 5);
      expect(forced.ids.slice(0, golden_case.generated_ids.length)).toEqual(golden_case.generated_ids);
      expect(forced.ids[golden_case.generated_ids.length]).toSatisfy((id: number) => manifest.tokens.eos.includes(id));
      expect(forced.timings.decodeTokens).toBe(golden_case.generated_ids.length + 4);
    } finally {
      await engine.release();
    }
  });
});

describe("a load that fails", () => {
  it("releases the sessions it made before the failure (on WebGPU they hold GPU memory)", async () => {
    const manifest = await readManifest(MODEL_DIR);
    const runtime = nodeRuntime(MODEL_DIR);
    const released: string[] = [];
    const failing = {
      ...runtime,
      async createSession(...args: Parameters<typeof runtime.createSession>) {
        if (args[0].path.includes("decoder_model_merged")) throw new Error("the GPU refused the session");
        const session = await runtime.createSession(...args);
        return { inputNames: session.inputNames, run: (feeds: Parameters<typeof session.run>[0]) => session.run(feeds), release: () => (released.push(args[0].path), session.release()) };
      },
    };
    await expect(Engine.load(manifest, failing)).rejects.toThrow("the GPU refused the session");
    const graphs = manifest.variants[manifest.default_variant]!;
    expect(released.sort()).toEqual([graphs.audio_encoder, graphs.embed_tokens].sort());
  });

  it("names a variant the manifest does not have as a manifest error", async () => {
    const manifest = await readManifest(MODEL_DIR);
    await expect(Engine.load(manifest, nodeRuntime(MODEL_DIR), "int3")).rejects.toMatchObject({ code: "manifest", message: 'Malformed manifest: variant "int3" is not in the manifest' });
  });
});

describe("a model that also transcribes", () => {
  it("hands over the translation before the transcription pass, which adds only what was heard", async () => {
    const manifest = await readManifest(MODEL_DIR);
    // The fixture has no transcription prompt; the German one stands in (a second decode over the same audio).
    const transcribing = { ...manifest, prompts: { ...manifest.prompts, transcribe: manifest.prompts.de! } };
    // Counts the decoder's runs, to see which pass the callback came after.
    const runtime = nodeRuntime(MODEL_DIR);
    let decoderRuns = 0;
    const counting = {
      ...runtime,
      async createSession(...args: Parameters<typeof runtime.createSession>) {
        const session = await runtime.createSession(...args);
        if (args[0].path !== transcribing.variants[transcribing.default_variant]!.decoder_model_merged) return session;
        return { inputNames: session.inputNames, release: () => session.release(), run: (feeds: Parameters<typeof session.run>[0]) => (decoderRuns++, session.run(feeds)) };
      },
    };
    const engine = await Engine.load(transcribing, counting);
    try {
      const samples = await readWav16kMono(JSON.parse(readFileSync(GOLDEN, "utf8")).wav);
      let early: { text: string; ids: number[]; heard?: string } | undefined;
      let runsAtTranslation = 0;
      const result = await engine.translate(samples, "de", {
        maxNewTokens: 8,
        transcribe: true,
        onTranslation: (t) => {
          early = t;
          runsAtTranslation = decoderRuns;
        },
      });
      expect(early).toBeDefined();
      expect(early!.heard).toBeUndefined();
      // One decoder run per translation token (the prefill and each step), none of the transcription's yet.
      expect(runsAtTranslation).toBe(early!.ids.length);
      expect(decoderRuns).toBeGreaterThan(runsAtTranslation);
      expect(result.text).toBe(early!.text);
      expect(typeof result.heard).toBe("string");
      expect(result.timings.transcribeMs).toBeGreaterThanOrEqual(0);
    } finally {
      await engine.release();
    }
  });
});
