// Prompt ids for one utterance: the manifest's already-rendered chat prompt, with its
// single <|AUDIO|> expanded to one placeholder per audio token.
import { PreTrainedTokenizer } from "@huggingface/transformers";
import { ManifestError } from "./errors";
import { AUDIO_PLACEHOLDER, type Manifest } from "./manifest";

export function loadTokenizer(tokenizerJson: unknown, tokenizerConfig: unknown): PreTrainedTokenizer {
  return new PreTrainedTokenizer(tokenizerJson as object, tokenizerConfig as object);
}

/** Token ids of the prompt for `lang`, with `nAudioTokens` copies of the audio token. */
export function buildPromptIds(
  tokenizer: Pick<PreTrainedTokenizer, "encode">,
  manifest: Manifest,
  lang: string,
  nAudioTokens: number,
): number[] {
  const prompt = manifest.prompts[lang];
  if (!prompt) throw new ManifestError(`no prompt for target language "${lang}"`);
  const ids = tokenizer.encode(prompt.text, { add_special_tokens: false });
  const audioId = manifest.tokens.audio;
  const at = ids.indexOf(audioId);
  if (at < 0 || ids.indexOf(audioId, at + 1) >= 0) {
    throw new ManifestError(`prompts.${lang}.text must tokenize to exactly one ${AUDIO_PLACEHOLDER} (id ${audioId})`);
  }
  return [...ids.slice(0, at), ...new Array<number>(nAudioTokens).fill(audioId), ...ids.slice(at + 1)];
}
