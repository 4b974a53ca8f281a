"""SpecAugment (Park et al., 2019) on log-mel features: frequency masks and time masks.

`spec_augment(features, rng)` takes a [n_mels, frames] array and returns a masked copy; the masks
come from `draw_masks` (plain numbers, so a batch's masks can be logged) and `apply_masks` is a
pure function of them. Time warping, the paper's third step, is left out: the paper found it the
least useful and it is the only costly one.

Policy (`SpecAugmentPolicy`): the paper's LibriSpeech-double frequency masks (mF = 2 masks of up
to F = 27 of 80 mel channels; scaled to n_mels for Whisper's 128-channel extractors), and time
masks adapted to phrasebook clips. The paper's T = 100 frames (1 s) with p = 1.0 assumes
utterances of 10–20 s; a 2–4 s traveller's sentence would lose whole words, and a translation
target cannot be right without them. Here mT = 2 masks of up to T = 40 frames (0.4 s, about one
word at a normal rate) and at most p = 0.15 of the clip's frames each, a little
under the p = 0.2 of the paper's Switchboard policies, whose utterances are longer than ours.

Fill: the paper masks with zero on features normalised to zero mean, i.e. with the mean. Whisper's
log-mel features are not normalised (zero sits between silence and speech at an arbitrary level
that depends on the clip's loudest frame), so zero would paint a band of a level the clip never
has; the clip's own mean over its real frames is what the paper's zero stood for ("mean", the
default). "zero" fills with 0.0 for features that are already mean-normalised.
"""
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class SpecAugmentPolicy:
    freq_masks: int = 2        # mF
    freq_width: int = 27       # F, in channels of an 80-channel extractor (scaled to n_mels)
    time_masks: int = 2        # mT
    time_width: int = 40       # T, frames (10 ms each)
    time_ratio: float = 0.15   # p: no time mask wider than p × frames
    fill: str = "mean"         # "mean" (of the clip's real frames) or "zero"

    def as_dict(self):
        return asdict(self)


REFERENCE_MELS = 80  # the paper's F is for 80 channels


def draw_masks(rng: np.random.Generator, n_mels: int, frames: int, policy: SpecAugmentPolicy = SpecAugmentPolicy()) -> dict:
    """Mask positions as (start, width) pairs: width uniform in [0, max], start uniform where it fits,
    as in the paper. `frames` counts only the clip's real frames (not the padding after them)."""
    if n_mels < 1 or frames < 1:
        raise ValueError(f"features of shape [{n_mels}, {frames}] have nothing to mask")
    f_max = min(n_mels, round(policy.freq_width * n_mels / REFERENCE_MELS))
    t_max = min(policy.time_width, int(policy.time_ratio * frames))
    masks = {"freq": [], "time": []}
    for _ in range(policy.freq_masks):
        width = int(rng.integers(0, f_max + 1))
        masks["freq"].append((int(rng.integers(0, n_mels - width + 1)), width))
    for _ in range(policy.time_masks):
        width = int(rng.integers(0, t_max + 1))
        masks["time"].append((int(rng.integers(0, frames - width + 1)), width))
    return masks


def apply_masks(features: np.ndarray, masks: dict, fill: str = "mean", frames: int | None = None) -> np.ndarray:
    """A copy of features [n_mels, frames_total] with the masked bands and stretches set to the fill value."""
    if features.ndim != 2:
        raise ValueError(f"features must be [n_mels, frames], got shape {features.shape}")
    frames = features.shape[1] if frames is None else frames
    if fill == "mean":
        value = float(features[:, :frames].mean(dtype=np.float64))
    elif fill == "zero":
        value = 0.0
    else:
        raise ValueError(f"fill must be 'mean' or 'zero', not {fill!r}")
    out = features.copy()
    for start, width in masks["freq"]:
        out[start:start + width, :frames] = value
    for start, width in masks["time"]:
        out[:, start:start + width] = value
    return out


def spec_augment(features: np.ndarray, rng: np.random.Generator, policy: SpecAugmentPolicy = SpecAugmentPolicy(),
                 frames: int | None = None) -> np.ndarray:
    """A masked copy of log-mel features [n_mels, frames_total]; `frames` real frames (default all):
    masks stay inside them, so the encoder's context frames after the clip are left as they are."""
    frames = features.shape[1] if frames is None else frames
    if not 0 < frames <= features.shape[1]:
        raise ValueError(f"frames={frames} must be in 1..{features.shape[1]}")
    return apply_masks(features, draw_masks(rng, features.shape[0], frames, policy), policy.fill, frames)
