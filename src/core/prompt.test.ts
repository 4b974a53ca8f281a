import { describe, expect, it } from "vitest";
import { ManifestError } from "./errors";
import { parseManifest } from "./manifest";
import { buildPromptIds } from "./prompt";
import { sampleManifest } from "../test-support/manifest";

const manifest = parseManifest(sampleManifest());
const AUDIO = manifest.tokens.audio;

// Splits on the special tokens the prompt uses and gives every other piece one id,
// standing in for the real tokenizer (checked against golden ids in generate.test.ts).
const specials: Record<string, number> = { "<|im_start|>": 151644, "<|im_end|>": 151645, "<|AUDIO|>": AUDIO, "<|audio_bos|>": 151647, "<|audio_eos|>": 151648 };
const splitter = {
  encode: (text: string) =>
    text.split(/(<\|[a-z_A-Z]+\|>)/).filter(Boolean).map((piece) => specials[piece] ?? piece.length),
};

describe("buildPromptIds", () => {
  it("expands the single <|AUDIO|> to n copies between audio_bos and audio_eos", () => {
    const ids = buildPromptIds(splitter, manifest, "de", 25);
    expect(ids.filter((id) => id === AUDIO)).toHaveLength(25);
    const first = ids.indexOf(AUDIO);
    expect(ids[first - 1]).toBe(manifest.tokens.audio_bos);
    expect(ids[first + 25]).toBe(manifest.tokens.audio_eos);
    expect(ids.length).toBe(splitter.encode(manifest.prompts.de!.text).length + 24);
  });

  it("uses the target language's prompt", () => {
    expect(buildPromptIds(splitter, manifest, "de", 3)).not.toEqual(buildPromptIds(splitter, manifest, "zh", 3));
  });

  it("rejects a language the manifest has no prompt for", () => {
    expect(() => buildPromptIds(splitter, manifest, "fr", 3)).toThrow(ManifestError);
  });

  it("rejects a prompt that does not tokenize to one audio token", () => {
    const twice = { encode: () => [1, AUDIO, 2, AUDIO] };
    expect(() => buildPromptIds(twice, manifest, "de", 3)).toThrow(/exactly one <\|AUDIO\|>/);
  });
});
