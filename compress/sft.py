"""Supervised fine-tuning examples in the paper's format: loss on the assistant tokens only.

An example is the chat prompt (system, user with the audio placeholder expanded to the clip's
audio-token count), then the reference translation and <|im_end|>. Labels are -100 everywhere
except the translation and the closing <|im_end|>, as in the paper's training.
"""
import numpy as np
import torch

from .audio import audio_token_count, extract_features
from .prompt import render_prompt

IGNORE = -100


def build_example(tokenizer, feature_extractor, samples: np.ndarray, lang: str, target: str) -> dict:
    n_audio = audio_token_count(len(samples), feature_extractor.hop_length, feature_extractor.nb_max_frames)
    prompt = render_prompt(tokenizer, lang).replace("<|AUDIO|>", "<|AUDIO|>" * n_audio)
    prompt_ids = tokenizer(prompt, add_special_tokens=False).input_ids
    answer_ids = tokenizer(target + "<|im_end|>", add_special_tokens=False).input_ids
    feats, mask = extract_features(feature_extractor, samples)
    return {
        "input_ids": prompt_ids + answer_ids,
        "labels": [IGNORE] * len(prompt_ids) + answer_ids,
        "input_features": feats[0],
        "feature_attention_mask": mask[0],
    }


def collate(examples: list[dict], pad_id: int) -> dict:
    """Right-padded batch for Qwen2AudioForConditionalGeneration.forward."""
    width = max(len(e["input_ids"]) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(examples), width), dtype=torch.long)
    for i, e in enumerate(examples):
        n = len(e["input_ids"])
        ids[i, :n] = torch.tensor(e["input_ids"])
        labels[i, :n] = torch.tensor(e["labels"])
        attention[i, :n] = 1
    return {
        "input_ids": ids,
        "labels": labels,
        "attention_mask": attention,
        "input_features": torch.from_numpy(np.stack([e["input_features"] for e in examples])),
        "feature_attention_mask": torch.from_numpy(np.stack([e["feature_attention_mask"] for e in examples])),
    }
