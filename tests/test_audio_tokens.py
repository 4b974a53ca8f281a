"""Audio-token counts from the sample count must equal what the HF processor derives from the feature mask."""
import numpy as np
import pytest
import torch

from compress.audio import audio_token_count, encoder_input, mel_frames


@pytest.mark.parametrize("seconds, expected", [(0.5, 12), (1.0, 25), (7.3, 182), (30.0, 750)])
def test_token_count_matches_hf_processor(reference, seconds, expected):
    model, _, fe = reference
    samples = np.zeros(round(seconds * 16000), np.float32)
    mask = fe(samples, sampling_rate=16000, return_attention_mask=True, padding="max_length", return_tensors="pt")[
        "attention_mask"
    ]
    _, hf_tokens = model.audio_tower._get_feat_extract_output_lengths(mask.sum(-1))
    assert audio_token_count(len(samples)) == int(hf_tokens) == expected


@pytest.mark.parametrize("n", [480, 8001, 12345, 91366, 479999])
def test_odd_lengths_match_hf_processor(reference, n):
    model, _, fe = reference
    mask = fe(np.zeros(n, np.float32), sampling_rate=16000, return_attention_mask=True, padding="max_length",
              return_tensors="pt")["attention_mask"]
    assert mel_frames(n) == int(mask.sum())
    assert audio_token_count(n) == int(model.audio_tower._get_feat_extract_output_lengths(mask.sum(-1))[1])


def test_longer_than_window_is_a_clear_error():
    with pytest.raises(ValueError, match=r"30\.50 s long .* window is 30 s; segment it first"):
        audio_token_count(488000)


def test_empty_and_too_short_audio_are_errors():
    with pytest.raises(ValueError, match="empty"):
        audio_token_count(0)
    with pytest.raises(ValueError, match="too short"):
        audio_token_count(300)


def test_encoder_input_pads_past_the_window_with_zeros():
    feats = np.ones((1, 4, 3000), np.float32)
    out = encoder_input(feats, 2999, 2)
    assert out.shape == (1, 4, 3001)
    assert out[0, :, 2999].tolist() == [1, 1, 1, 1] and out[0, :, 3000].tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize("seconds", [0.3, 2.0, 3.31, 12.0, 29.99])
def test_short_window_features_equal_the_30s_window(reference, speech, seconds):
    from compress.audio import encoder_window_features, extract_features

    _, _, fe = reference
    samples = np.resize(speech, round(seconds * 16000)).astype(np.float32)
    full, _ = extract_features(fe, samples)
    expected = encoder_input(full, mel_frames(len(samples)), 2)
    got, frames = encoder_window_features(fe, samples, 2)
    assert frames == mel_frames(len(samples))
    assert got.shape == expected.shape and np.abs(got - expected).max() <= 1e-5
