"""The transformers reference path: HF processor-style inputs and `generate()`, for parity checks and golden files."""
import numpy as np
import torch

from .audio import audio_token_count, extract_features
from .prompt import render_prompt


def reference_inputs(model, tokenizer, feature_extractor, samples: np.ndarray, lang: str) -> dict:
    """What Qwen2AudioProcessor hands the model: padded 30 s features, their mask, and the prompt
    with <|AUDIO|> expanded to the audio-token count."""
    feats, mask = extract_features(feature_extractor, samples)
    n_audio = audio_token_count(len(samples), feature_extractor.hop_length, feature_extractor.nb_max_frames)
    text = render_prompt(tokenizer, lang).replace("<|AUDIO|>", "<|AUDIO|>" * n_audio)
    ids = tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids
    return {
        "input_ids": ids,
        "attention_mask": torch.ones_like(ids),
        "input_features": torch.from_numpy(feats),
        "feature_attention_mask": torch.from_numpy(mask),
    }


@torch.no_grad()
def reference_generate(model, inputs: dict, max_new_tokens: int) -> list[int]:
    out = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1)
    return out[0, inputs["input_ids"].shape[1] :].tolist()
