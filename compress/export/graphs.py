"""The three ONNX graphs of the browser contract, as torch modules around HF's own submodules.

Each wrapper calls the transformers modules of a loaded `Qwen2AudioForConditionalGeneration`;
only the glue that the contract needs differently from HF's forward is written here:
- the encoder runs on the real mel frames only (HF's encoder insists on a padded 30 s window);
- the decoder takes and returns the KV cache as flat tensors;
- any weight matrix larger than one external-data shard is split into row chunks, because a
  single tensor cannot span two shard files (the browser reads each shard as one ArrayBuffer).
"""
import warnings
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F
from transformers import DynamicCache


def row_split(weight: torch.Tensor, max_bytes: int) -> tuple[torch.Tensor, ...]:
    """The row blocks (views) a weight matrix is stored in: one block unless it is over `max_bytes`."""
    return torch.split(weight.detach(), max(1, max_bytes // (weight.shape[1] * weight.element_size())))


def _row_chunks(weight: torch.Tensor, max_bytes: int) -> list[nn.Parameter]:
    # Copies, not views: a traced view of one tensor would export the whole tensor plus a Slice.
    return [nn.Parameter(c.clone(), requires_grad=False) for c in row_split(weight, max_bytes)]


# Mel frames after the real ones that the encoder input must carry: conv1 (kernel 3) and conv2
# (kernel 3, stride 2) read up to two frames past the last real one, and in the padded reference
# those are the feature extractor's padding frames, not zeros.
CONTEXT_FRAMES = 2


class AudioEncoderGraph(nn.Module):
    """input_features [1, n_mels, real + CONTEXT_FRAMES] → audio_features [1, n_audio_tokens, hidden].

    HF's encoder only takes a padded 30 s window and masks the padded keys. This runs the same HF
    modules (conv stem, encoder layers, AvgPool, LayerNorm, projector) on the real frames only,
    plus the two context frames the convolutions read, then drops the conv outputs that belong to
    padding before attention. Real positions therefore see exactly what they see in the padded,
    masked reference, at a fraction of the cost for short utterances.
    """

    def __init__(self, model):
        super().__init__()
        self.tower = model.audio_tower
        self.projector = model.multi_modal_projector

    def forward(self, input_features):
        tower = self.tower
        x = F.gelu(tower.conv1(input_features))
        x = F.gelu(tower.conv2(x))
        real_frames = input_features.shape[2] - CONTEXT_FRAMES
        x = x[:, :, : (real_frames - 1) // 2 + 1].permute(0, 2, 1)
        x = x + tower.embed_positions.weight[: x.shape[1]]
        for layer in tower.layers:
            x = layer(x, None, layer_head_mask=None)[0]
        x = tower.avg_pooler(x.permute(0, 2, 1)).permute(0, 2, 1)
        return self.projector(tower.layer_norm(x))


class EmbedTokensGraph(nn.Module):
    """input_ids → inputs_embeds, exact, with the table split into shard-sized chunks when needed."""

    def __init__(self, model, max_tensor_bytes: int):
        super().__init__()
        weight = model.language_model.get_input_embeddings().weight
        self.chunks = nn.ParameterList(_row_chunks(weight, max_tensor_bytes))

    def forward(self, input_ids):
        if len(self.chunks) == 1:
            return F.embedding(input_ids, self.chunks[0])
        out, offset = None, 0
        for w in self.chunks:
            local = input_ids - offset
            inside = ((local >= 0) & (local < w.shape[0])).unsqueeze(-1).to(w.dtype)
            rows = F.embedding(local.clamp(0, w.shape[0] - 1), w) * inside
            out = rows if out is None else out + rows
            offset += w.shape[0]
        return out


def additive_causal_mask(attention_mask: torch.Tensor, seq: int, past_len, dtype) -> torch.Tensor:
    """[batch, total] 0/1 padding mask → [batch, 1, seq, total] additive mask (0 keep, dtype-min drop).

    The same mask HF's eager path builds (a key is visible when it is not padding and not after
    the query), written as one comparison and one Where: HF's general version (full matrix, triu,
    in-place slice writes) traces to ~60 ONNX nodes that every decode step pays for.
    """
    key_pos = torch.arange(attention_mask.shape[1], device=attention_mask.device)
    query_pos = torch.arange(seq, device=attention_mask.device) + past_len
    visible = (key_pos[None, :] <= query_pos[:, None])[None, None] & attention_mask[:, None, None, :].bool()
    return torch.where(visible, torch.zeros((), dtype=dtype), torch.full((), torch.finfo(dtype).min, dtype=dtype))


def rotary_cos_sin(rotary_emb: nn.Module, position_ids: torch.Tensor, dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """HF's RoPE tables for `position_ids`, from the module's own inv_freq and scaling.

    HF's forward computes the same product through an expanded batched MatMul, which traces to
    ~20 nodes of shape arithmetic per step; a broadcast multiply is the same numbers in six.
    Dynamic RoPE changes inv_freq with the length, which a traced graph cannot follow.
    """
    if "dynamic" in rotary_emb.rope_type:
        raise ValueError(f"rope type {rotary_emb.rope_type!r} cannot be exported as a fixed graph")
    freqs = position_ids[..., None].float() * rotary_emb.inv_freq.float()
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    if rotary_emb.attention_scaling != 1.0:
        cos, sin = cos * rotary_emb.attention_scaling, sin * rotary_emb.attention_scaling
    return cos.to(dtype), sin.to(dtype)


class DecoderGraph(nn.Module):
    """(inputs_embeds, attention_mask, position_ids, past k/v …) → (logits, present k/v …).

    Runs HF's decoder layers and final norm; only the per-step glue around them (attention mask,
    RoPE tables) is built here, in few nodes, because at this model size a decode step's time is
    mostly per-node dispatch, and that glue is paid once per step whatever the depth.
    """

    def __init__(self, model, max_tensor_bytes: int):
        super().__init__()
        lm = model.language_model
        self.body = lm.model
        self.num_layers = lm.config.num_hidden_layers
        if lm.config._attn_implementation != "eager":
            raise ValueError(f"export needs eager attention (the additive mask), got {lm.config._attn_implementation!r}")
        if lm.lm_head.bias is not None:
            raise ValueError("lm_head with a bias is not supported")
        self.lm_head_chunks = nn.ParameterList(_row_chunks(lm.lm_head.weight, max_tensor_bytes))

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        cache = DynamicCache.from_legacy_cache(tuple((past[2 * i], past[2 * i + 1]) for i in range(self.num_layers)))
        seq, past_len = inputs_embeds.shape[1], past[0].shape[2]
        mask = additive_causal_mask(attention_mask, seq, past_len, inputs_embeds.dtype)
        position_embeddings = rotary_cos_sin(self.body.rotary_emb, position_ids, inputs_embeds.dtype)
        cache_position = torch.arange(seq, device=inputs_embeds.device) + past_len
        hidden = inputs_embeds
        for layer in self.body.layers:
            hidden = layer(
                hidden, attention_mask=mask, position_ids=position_ids, past_key_value=cache, use_cache=True,
                cache_position=cache_position, position_embeddings=position_embeddings,
            )[0]
        hidden = self.body.norm(hidden)
        logits = torch.cat([F.linear(hidden, w) for w in self.lm_head_chunks], dim=-1)
        present = [t for kv in cache.to_legacy_cache() for t in kv]
        return (logits, *present)


def kv_shape(model) -> tuple[int, int, int]:
    """(num_layers, kv_heads, head_dim) of the text decoder."""
    cfg = model.config.text_config
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    return cfg.num_hidden_layers, cfg.num_key_value_heads, head_dim


def decoder_io_names(num_layers: int) -> tuple[list[str], list[str]]:
    past = [f"past_key_values.{i}.{kv}" for i in range(num_layers) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(num_layers) for kv in ("key", "value")]
    return ["inputs_embeds", "attention_mask", "position_ids", *past], ["logits", *present]


@torch.no_grad()
def export_graphs(model, out_dir, max_tensor_bytes: int, opset: int = 17) -> dict:
    """Trace the three graphs to `out_dir` (plain fp32 ONNX). Returns {name: path}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_mels = model.config.audio_config.num_mel_bins
    hidden = model.config.text_config.hidden_size
    num_layers, kv_heads, head_dim = kv_shape(model)
    paths = {name: out_dir / f"{name}.onnx" for name in ("audio_encoder", "embed_tokens", "decoder_model_merged")}

    def export(module, args, path, inputs, outputs, axes):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about Python ints; parity tests check the result
            torch.onnx.export(
                module, args, str(path), input_names=inputs, output_names=outputs, dynamic_axes=axes,
                opset_version=opset, do_constant_folding=True, dynamo=False,
            )

    # Trace with lengths that differ from each other, so no two dynamic dims get folded together.
    export(
        AudioEncoderGraph(model).eval(), (torch.randn(1, n_mels, 203),), paths["audio_encoder"],
        ["input_features"], ["audio_features"],
        {"input_features": {0: "batch", 2: "frames"}, "audio_features": {0: "batch", 1: "audio_tokens"}},
    )
    export(
        EmbedTokensGraph(model, max_tensor_bytes).eval(), (torch.tensor([[1, 2, 3, 4, 5]], dtype=torch.long),),
        paths["embed_tokens"], ["input_ids"], ["inputs_embeds"],
        {"input_ids": {0: "batch", 1: "sequence"}, "inputs_embeds": {0: "batch", 1: "sequence"}},
    )
    seq, past_len = 5, 3
    past = [torch.randn(1, kv_heads, past_len, head_dim) for _ in range(2 * num_layers)]
    inputs, outputs = decoder_io_names(num_layers)
    axes = {
        "inputs_embeds": {0: "batch", 1: "sequence"},
        "attention_mask": {0: "batch", 1: "total_sequence"},
        "position_ids": {0: "batch", 1: "sequence"},
        "logits": {0: "batch", 1: "sequence"},
    }
    axes.update({n: {0: "batch", 2: "past_sequence"} for n in inputs[3:]})
    axes.update({n: {0: "batch", 2: "total_sequence"} for n in outputs[1:]})
    export(
        DecoderGraph(model, max_tensor_bytes).eval(),
        (
            torch.randn(1, seq, hidden),
            torch.ones(1, past_len + seq, dtype=torch.long),
            torch.arange(past_len, past_len + seq).unsqueeze(0),
            *past,
        ),
        paths["decoder_model_merged"], inputs, outputs, axes,
    )
    return paths
