"""Synthetic English speech: voices (espeak-ng, flite, festival), augmentation, the spoken splits
(`synth`, `speak`), evaluation conditions (`conditions`) and the inventory (`voices`).
`add_cli` registers those four commands."""
from .augmentation import AugmentRanges, augment
from .conditions import CONDITIONS, render_conditions
from .synth import VoiceChoice, VoiceSplit, add_cli, speak_splits, split_voices, synthesize_corpus
from .voices import Voice, list_voices, synthesize

__all__ = ["AugmentRanges", "CONDITIONS", "Voice", "VoiceChoice", "VoiceSplit", "add_cli", "augment", "list_voices",
           "render_conditions", "speak_splits", "split_voices", "synthesize", "synthesize_corpus"]
