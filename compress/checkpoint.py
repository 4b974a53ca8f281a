"""Load and validate a Qwen2-Audio checkpoint directory (HF layout), with errors that name the problem."""
import json
from pathlib import Path

import torch
from transformers import AutoTokenizer, Qwen2AudioForConditionalGeneration, WhisperFeatureExtractor

from .errors import ToolkitError

SUPPORTED_MODEL_TYPES = {"qwen2_audio"}
REQUIRED_FILES = ["config.json", "tokenizer_config.json", "preprocessor_config.json"]


def read_config(model_dir: Path) -> dict:
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ToolkitError(f"model directory not found: {model_dir}")
    missing = [f for f in REQUIRED_FILES if not (model_dir / f).is_file()]
    if not (model_dir / "tokenizer.json").is_file() and not (model_dir / "vocab.json").is_file():
        missing.append("tokenizer.json (or vocab.json + merges.txt)")
    if missing:
        raise ToolkitError(f"{model_dir} is missing {', '.join(missing)}")
    try:
        config = json.loads((model_dir / "config.json").read_text())
    except json.JSONDecodeError as e:
        raise ToolkitError(f"{model_dir / 'config.json'} is not valid JSON: {e}") from e
    model_type = config.get("model_type")
    if model_type not in SUPPORTED_MODEL_TYPES:
        raise ToolkitError(
            f"{model_dir}: unsupported architecture model_type={model_type!r} "
            f"(architectures={config.get('architectures')}); this toolkit exports Qwen2-Audio (model_type 'qwen2_audio')"
        )
    layers = (config.get("text_config") or {}).get("num_hidden_layers")
    if layers is not None and layers < 1:
        raise ToolkitError(f"{model_dir}: config.json gives the text decoder {layers} decoder layers (text_config.num_hidden_layers); "
                           "it needs at least one")
    if not list(model_dir.glob("*.safetensors")) and not list(model_dir.glob("*.bin")):
        raise ToolkitError(f"{model_dir} has no weights (*.safetensors or *.bin)")
    return config


def load_checkpoint(model_dir: Path, dtype=torch.float32):
    """(model in eval mode with eager attention, tokenizer, feature extractor)."""
    read_config(model_dir)
    # Eager attention: its graph traces to plain ONNX ops, and it is the reference the exports match.
    model = Qwen2AudioForConditionalGeneration.from_pretrained(
        model_dir, torch_dtype=dtype, attn_implementation="eager"
    ).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    feature_extractor = WhisperFeatureExtractor.from_pretrained(model_dir)
    if feature_extractor.feature_size != model.config.audio_config.num_mel_bins:
        raise ToolkitError(
            f"{model_dir}: preprocessor has {feature_extractor.feature_size} mel bins but the audio encoder expects "
            f"{model.config.audio_config.num_mel_bins}"
        )
    return model, tokenizer, feature_extractor


def parameter_counts(model) -> dict:
    def count(module):
        return sum(p.numel() for p in module.parameters())

    lm = model.language_model
    counts = {
        "audio_encoder": count(model.audio_tower),
        "projector": count(model.multi_modal_projector),
        "embed_tokens": count(lm.get_input_embeddings()),
        "decoder": count(lm.model) - count(lm.get_input_embeddings()),
        "lm_head": count(lm.get_output_embeddings()),
    }
    counts["total"] = count(model)
    return counts
