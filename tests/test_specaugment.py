"""SpecAugment on log-mel features (compress/specaugment.py)."""
import numpy as np
import pytest

from compress.audio import SAMPLING_RATE
from compress.specaugment import SpecAugmentPolicy, apply_masks, draw_masks, spec_augment


def whisper_features(seconds=3.0):
    """Real Whisper log-mel features [80, frames] of a speech-like signal (no download: the default extractor)."""
    from transformers import WhisperFeatureExtractor

    t = np.arange(int(seconds * SAMPLING_RATE)) / SAMPLING_RATE
    x = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 40)) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    fe = WhisperFeatureExtractor()
    feats = fe(0.1 * x, sampling_rate=SAMPLING_RATE, return_tensors="np", padding="max_length",
               max_length=int(seconds * SAMPLING_RATE))["input_features"][0]
    return feats.astype(np.float32)


def masked_rows_and_columns(before, after):
    changed = before != after
    return np.flatnonzero(changed.all(axis=1)), np.flatnonzero(changed.all(axis=0))


def test_masks_take_the_requested_widths_and_fill_with_the_clip_mean():
    feats = whisper_features()
    n_mels, frames = feats.shape
    assert n_mels == 80 and frames == 300
    policy = SpecAugmentPolicy(freq_masks=1, freq_width=27, time_masks=1, time_width=40, time_ratio=0.15)
    masks = {"freq": [(10, 20)], "time": [(100, 35)]}
    out = apply_masks(feats, masks)
    mean = feats.mean(dtype=np.float64)
    assert np.allclose(out[10:30], mean) and np.allclose(out[:, 100:135], mean)
    keep = np.ones_like(feats, dtype=bool)
    keep[10:30], keep[:, 100:135] = False, False
    assert np.array_equal(out[keep], feats[keep])  # nothing else touched …
    assert not np.array_equal(out, feats) and feats[10, 0] != mean  # … and the input is left as it was
    rows, cols = masked_rows_and_columns(feats, out)
    assert list(rows) == list(range(10, 30)) and list(cols) == list(range(100, 135))

    widths = {"freq": [], "time": []}
    for seed in range(400):
        drawn = draw_masks(np.random.default_rng(seed), n_mels, frames, policy)
        for axis, limit, size in (("freq", 27, n_mels), ("time", 40, frames)):
            for start, width in drawn[axis]:
                assert 0 <= width <= limit and 0 <= start and start + width <= size
                widths[axis].append(width)
    # the paper's uniform widths: every width from 0 to F (and to T) turns up
    assert set(widths["freq"]) == set(range(28)) and set(widths["time"]) == set(range(41))


def test_short_clips_cap_time_masks_at_a_share_of_their_frames():
    policy = SpecAugmentPolicy(time_width=40, time_ratio=0.15)
    for seed in range(200):
        for start, width in draw_masks(np.random.default_rng(seed), 80, 120, policy)["time"]:
            assert width <= 18  # 0.15 × 120 frames, under T = 40
    assert draw_masks(np.random.default_rng(0), 128, 300, SpecAugmentPolicy(freq_masks=40))["freq"]
    widths = [w for seed in range(100) for _, w in draw_masks(np.random.default_rng(seed), 128, 300)["freq"]]
    assert max(widths) == 43  # F = 27 of 80 channels is 43 of Whisper large-v3's 128


def test_spec_augment_is_seeded_and_leaves_the_context_frames_alone():
    feats = whisper_features(3.5)
    real = 300  # the clip's frames; the rest stand for the encoder's context frames
    a = spec_augment(feats, np.random.default_rng(7), frames=real)
    assert a.shape == feats.shape and a.dtype == feats.dtype
    assert np.array_equal(a, spec_augment(feats, np.random.default_rng(7), frames=real))
    assert not np.array_equal(a, spec_augment(feats, np.random.default_rng(8), frames=real))
    assert np.array_equal(a[:, real:], feats[:, real:])
    policy = SpecAugmentPolicy(freq_masks=2, freq_width=27, time_masks=2, time_width=40, fill="zero")
    masks = draw_masks(np.random.default_rng(3), 80, real, policy)
    zero = apply_masks(feats, masks, "zero", real)
    for start, width in masks["freq"]:
        assert not zero[start:start + width, :real].any()
    for start, width in masks["time"]:
        assert not zero[:, start:start + width].any()


def test_bad_input_is_refused():
    feats = np.zeros((80, 100), np.float32)
    with pytest.raises(ValueError, match=r"\[n_mels, frames\]"):
        spec_augment(feats[None], np.random.default_rng(0))
    with pytest.raises(ValueError, match="frames=101"):
        spec_augment(feats, np.random.default_rng(0), frames=101)
    with pytest.raises(ValueError, match="fill"):
        apply_masks(feats, {"freq": [], "time": []}, "median")
