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
def reference_generate(model, inputs: dict, max_new_tokens: int, rules=None, task: str | None = None) -> list[int]:
    """Greedy ids from transformers' generate(), under a folder's decoding rules when given."""
    from transformers import LogitsProcessorList

    from .translate import RulesProcessor

    prompt = inputs["input_ids"].shape[1]
    processors = LogitsProcessorList([RulesProcessor(rules, task, prompt)]) if rules is not None else None
    out = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1, logits_processor=processors)
    return out[0, prompt:].tolist()


@torch.no_grad()
def onnx_logit_gap(reference, runner, samples: np.ndarray, lang: str, steps: int = 8) -> dict:
    """Logits of a transformers model (`reference`: model, tokenizer, feature extractor) against an
    exported folder's (`runner`: runtime.OnnxSpeechTranslator) on one clip: the prefill, then
    `steps` cached decode steps, both sides fed the ONNX model's greedy token. Returns the largest
    |difference|, the largest |logit| (for scale) and each side's greedy ids."""
    model, tokenizer, fe = reference
    inputs = reference_inputs(model, tokenizer, fe, samples, lang)
    logits, past, prompt = runner.prefill(inputs["input_features"].numpy(), len(samples), lang)
    if prompt != inputs["input_ids"][0].tolist():
        raise ValueError("the ONNX folder's prompt differs from the tokenizer's chat template")
    out = model(**inputs, use_cache=True)
    attention = inputs["attention_mask"]
    gap = {"max_abs_diff": 0.0, "max_abs_logit": 0.0, "onnx_ids": [], "torch_ids": []}
    for step in range(steps + 1):
        ref = out.logits.numpy()
        gap["max_abs_diff"] = max(gap["max_abs_diff"], float(np.abs(logits - ref).max()))
        gap["max_abs_logit"] = max(gap["max_abs_logit"], float(np.abs(ref).max()))
        token = int(np.argmax(logits[0, -1]))
        gap["onnx_ids"].append(token)
        gap["torch_ids"].append(int(np.argmax(ref[0, -1])))
        if step == steps:
            break
        logits, past = runner.step(token, len(prompt) + step, past)
        attention = torch.cat([attention, torch.ones(1, 1, dtype=attention.dtype)], dim=1)
        out = model(input_ids=torch.tensor([[token]]), attention_mask=attention, past_key_values=out.past_key_values,
                    use_cache=True)
    return gap
