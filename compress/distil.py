"""`compress distil`: fine-tune a pruned student on the references plus the teacher's translations.

Sequence-level KD as the paper does it: the teacher's greedy translations of the training audio
(`compress kd-data`) are added to the references and deduplicated. Word-level KD is an option:
with `kl_weight` > 0 the loss mixes in the KL divergence from the teacher's next-token
distribution on the same tokens (the teacher runs alongside, which costs a forward per step).
"""
from .checkpoint import load_checkpoint
from .train import freeze_audio_tower, train


def distil(student, corpus, speech, out, *, kd=None, teacher=None, kl_weight=0.0, freeze_encoder=False, **train_kw):
    """freeze_encoder: the audio encoder keeps the teacher's weights (a third of a CPU step saved
    for the small model)."""
    if kl_weight > 0 and teacher is None:
        raise ValueError("word-level KD (kl_weight > 0) needs the teacher checkpoint")
    return train(corpus, speech, out, lambda: load_checkpoint(student), kd=kd, teacher=teacher, kl_weight=kl_weight,
                 prepare=freeze_audio_tower if freeze_encoder else None, **train_kw)
