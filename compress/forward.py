"""Batched training/eval forward of Qwen2AudioForConditionalGeneration on variable-length audio.

HF's forward runs the audio encoder over a padded 30 s window (1500 positions) for every clip,
which is 10× the work for a 3 s phrase. This runs the same HF modules over the batch's longest
clip instead, with HF's own key mask for the shorter ones, and then the same merge of audio rows
into the <|AUDIO|> positions and the same language-model forward. `tests/test_forward.py` checks
the loss and logits against HF's forward on padded input.
"""
import torch
from torch.nn import functional as F

from .export.graphs import CONTEXT_FRAMES


def encode_audio_batch(model, features: torch.Tensor, frames: torch.Tensor) -> list[torch.Tensor]:
    """features [B, n_mels, W] (each clip's real frames, then its padding frames; W ≥ max real + 2),
    frames [B] real frame counts → list of [n_audio_tokens_i, hidden] projected audio rows."""
    tower = model.audio_tower
    conv_len = (frames - 1) // 2 + 1
    width = int(conv_len.max())
    x = F.gelu(tower.conv1(features))
    x = F.gelu(tower.conv2(x))[:, :, :width].permute(0, 2, 1)
    x = x + tower.embed_positions.weight[:width]
    padded = torch.arange(width, device=x.device)[None, :] >= conv_len[:, None]
    mask = torch.zeros(padded.shape, dtype=x.dtype, device=x.device).masked_fill(padded, float("-inf"))
    mask = mask[:, None, None, :].expand(-1, 1, width, width)
    for layer in tower.layers:
        x = layer(x, mask, layer_head_mask=None)[0]
    x = tower.avg_pooler(x.permute(0, 2, 1)).permute(0, 2, 1)
    x = model.multi_modal_projector(tower.layer_norm(x))
    n_tokens = (conv_len - 2) // 2 + 1
    return [x[i, : int(n)] for i, n in enumerate(n_tokens)]


def merged_embeddings(model, input_ids: torch.Tensor, audio_rows: list[torch.Tensor]) -> torch.Tensor:
    """Token embeddings with each example's <|AUDIO|> positions replaced by its audio rows, in order."""
    embeds = model.get_input_embeddings()(input_ids)
    is_audio = input_ids == model.config.audio_token_index
    counts = is_audio.sum(1).tolist()
    for i, rows in enumerate(audio_rows):
        if counts[i] != rows.shape[0]:
            raise ValueError(f"example {i}: {counts[i]} <|AUDIO|> tokens but {rows.shape[0]} audio rows")
    return embeds.masked_scatter(is_audio[..., None], torch.cat(audio_rows).to(embeds.dtype))


def encoder_window(padded_features: torch.Tensor, frames: torch.Tensor) -> torch.Tensor:
    """Trim a batch of 30 s windows to the longest clip plus the conv context frames."""
    return padded_features[:, :, : int(frames.max()) + CONTEXT_FRAMES]


def forward_batch(model, batch: dict):
    """Causal-LM output (with .loss when batch has labels) for a collated batch (see sft.collate)."""
    if "frames" in batch:  # one window per clip, trimmed to real frames + context (see dataset.collate_clips)
        rows = encode_audio_batch(model, batch["input_features"], batch["frames"])
    elif "feature_attention_mask" in batch:  # HF processor layout: 30 s windows and a frame mask
        frames = batch["feature_attention_mask"].sum(-1)
        rows = encode_audio_batch(model, encoder_window(batch["input_features"], frames), frames)
    else:  # English text in every prompt, no audio (dataset.collate_clips)
        rows = []
    if "audio_index" in batch:  # one encoding per clip, shared by its rows (its tasks); None: a row with text
        none = torch.zeros(0, model.config.text_config.hidden_size, device=batch["input_ids"].device)
        rows = [none if j is None else rows[j] for j in batch["audio_index"]]
    embeds = merged_embeddings(model, batch["input_ids"], rows)
    return model.language_model(
        inputs_embeds=embeds, attention_mask=batch["attention_mask"], labels=batch.get("labels"), use_cache=False
    )
