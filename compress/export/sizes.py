"""`compress sizes`: the bytes an export will write, computed from a config alone (no weights needed).

The model is built on PyTorch's meta device (shapes, no memory), and each weight is costed the
way the export stores it: in the q4 graphs MatMulNBits for every linear layer (4-bit values, one
fp32 scale and one 4-bit zero point per block), the same blocks along the hidden axis for the
token embeddings, fp16 for other constants of at least FP16_MIN_ELEMENTS, fp32 for the rest; fp32
throughout in the fp32 graphs. The same arithmetic is checked against the tiny model's real
export in the tests.
"""
import json
import math
from pathlib import Path

import torch
from torch import nn
from transformers import Qwen2AudioConfig, Qwen2AudioForConditionalGeneration

from ..errors import ToolkitError
from .quantize import FP16_MIN_ELEMENTS, check_block_size
from .shards import DEFAULT_MAX_SHARD_BYTES

# Qwen2-Audio-7B-Instruct's shapes (its config.json; see shared reference notes).
QWEN2_AUDIO_7B = dict(
    audio_config=dict(
        num_mel_bins=128, encoder_layers=32, encoder_attention_heads=20, encoder_ffn_dim=5120, d_model=1280,
        max_source_positions=1500,
    ),
    text_config=dict(
        model_type="qwen2", vocab_size=156032, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=8192, rope_theta=10000.0,
        tie_word_embeddings=False,
    ),
    audio_token_index=151646,
)


def q4_bytes(in_features: int, out_features: int, block_size: int) -> int:
    """MatMulNBits storage for a K×N weight: packed 4-bit values, fp32 scales, packed 4-bit zero points."""
    blocks = math.ceil(in_features / block_size)
    return out_features * (blocks * (block_size // 2) + blocks * 4 + math.ceil(blocks / 2))


def meta_model(config: Qwen2AudioConfig):
    with torch.device("meta"):
        return Qwen2AudioForConditionalGeneration(config)


def meta_model_with_layers(config_dict: dict, layers: int):
    """meta_model of `config_dict` with its text decoder cut to `layers` layers."""
    return meta_model(Qwen2AudioConfig(**{**config_dict, "text_config": {**config_dict["text_config"], "num_hidden_layers": layers}}))


def graph_bytes(model, block_size: int = 32) -> dict:
    """{graph: {"fp32": bytes, "q4": bytes, "params": n}} for the three exported graphs."""
    lm = model.language_model
    parts = {
        "audio_encoder": [model.audio_tower, model.multi_modal_projector],
        "embed_tokens": [lm.get_input_embeddings()],
        "decoder_model_merged": [lm.model.layers, lm.model.norm, lm.lm_head],
    }
    out = {}
    for graph, modules in parts.items():
        fp32 = q4 = params = 0
        for module in modules:
            for sub in module.modules():
                for name, p in sub.named_parameters(recurse=False):
                    n = p.numel()
                    params += n
                    fp32 += 4 * n
                    if isinstance(sub, nn.Linear) and name == "weight":
                        q4 += q4_bytes(sub.in_features, sub.out_features, block_size)
                    elif graph == "embed_tokens":  # 4-bit blocks along the hidden axis, one row per token
                        q4 += q4_bytes(sub.embedding_dim, sub.num_embeddings, block_size)
                    elif n >= FP16_MIN_ELEMENTS:
                        q4 += 2 * n
                    else:
                        q4 += 4 * n
        out[graph] = {"params": params, "fp32": fp32, "q4": q4}
    return out


def packed_4bit_count(model) -> int:
    """Parameters as `sum(p.numel() for p in model.parameters())` reports them for a model loaded in
    4 bits with bitsandbytes (transformers' `load_in_4bit`), the count the paper's author's code
    prints: every nn.Linear weight except the lm_head is stored as packed uint8, two 4-bit values
    per element, so it counts half; embeddings, convolutions, norms and biases count whole. This is
    how a 24-layer Qwen2-Audio comes out near half of the 8.4B teacher while it keeps 81% of its
    parameters (docs/results.md)."""
    head = model.language_model.get_output_embeddings()
    total = 0
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            packed = isinstance(module, nn.Linear) and name == "weight" and module is not head
            total += p.numel() // 2 if packed else p.numel()
    return total


def shard_count(nbytes: int, max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES) -> int:
    """External-data files the export writes for a graph of this many weight bytes (0: inline)."""
    return 0 if nbytes + 16 * 1024 * 1024 <= max_shard_bytes else math.ceil(nbytes / (max_shard_bytes * 0.999))


def size_table(config_dict: dict, layer_counts: list[int], block_size: int = 32) -> str:
    check_block_size(block_size)
    for layers in layer_counts:
        if layers < 1:
            raise ToolkitError(f"--layers must be at least 1, got {layers}")
    rows = [
        "| decoder layers | parameters | as bitsandbytes 4-bit counts them | fp32 bytes (all graphs) | q4: audio_encoder "
        "| q4: embed_tokens | q4: decoder_model_merged | q4 total | files over 2 GB at q4 (shards) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for layers in layer_counts:
        model = meta_model_with_layers(config_dict, layers)
        g = graph_bytes(model, block_size)
        total_params = sum(p.numel() for p in model.parameters())
        big = [f"{name} ({shard_count(v['q4'])})" for name, v in g.items() if shard_count(v["q4"])]
        rows.append(
            f"| {layers} | {total_params:,} | {packed_4bit_count(model):,} | {sum(v['fp32'] for v in g.values()) / 1e9:.2f} GB "
            f"| {g['audio_encoder']['q4'] / 1e9:.2f} GB | {g['embed_tokens']['q4'] / 1e9:.2f} GB "
            f"| {g['decoder_model_merged']['q4'] / 1e9:.2f} GB | {sum(v['q4'] for v in g.values()) / 1e9:.2f} GB "
            f"| {', '.join(big) or 'none'} |"
        )
    return "\n".join(rows)


def read_config(path) -> dict:
    """A Qwen2-Audio config.json, or the one in a model folder."""
    path = Path(path)
    if path.is_dir():
        path = path / "config.json"
    if not path.is_file():
        raise ToolkitError(f"config not found: {path}")
    try:
        config = json.loads(path.read_text())
    except ValueError as e:
        raise ToolkitError(f"{path} is not valid JSON: {e}") from e
    if not isinstance(config, dict) or config.get("model_type", "qwen2_audio") != "qwen2_audio" or "text_config" not in config:
        raise ToolkitError(f"{path} is not a Qwen2-Audio config (model_type 'qwen2_audio' with a text_config)")
    return config


def cmd_sizes(args):
    print(size_table(read_config(args.config) if args.config else QWEN2_AUDIO_7B, args.layers, args.block_size))


def add_cli(subparsers):
    p = subparsers.add_parser("sizes", help="compute export sizes from a config (default: Qwen2-Audio-7B) per decoder depth")
    p.add_argument("--config", help="a Qwen2-Audio config.json or a model folder (default: Qwen2-Audio-7B-Instruct's shapes)")
    p.add_argument("--layers", type=int, nargs="+", default=[32, 24, 16])
    p.add_argument("--block-size", type=int, default=32)
    p.set_defaults(func=cmd_sizes)
