"""Synthetic English speech for the phrasebook corpus: voices (espeak-ng, flite, festival),
augmentation, and the corpus-wide `synth` command. `add_cli` registers `synth` and `voices`."""
from .augmentation import AugmentRanges, augment
from .synth import VoiceSplit, add_cli, split_voices, synthesize_corpus
from .voices import Voice, list_voices, synthesize

__all__ = ["AugmentRanges", "Voice", "VoiceSplit", "add_cli", "augment", "list_voices", "split_voices",
           "synthesize", "synthesize_corpus"]
