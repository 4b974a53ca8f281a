"""`compress distil`: fine-tune a pruned student on the references plus the teacher's translations.

Sequence-level KD as the paper does it: the teacher's greedy translations of the training audio
(`compress kd-data`) are added to the references and deduplicated. Word-level KD is an option:
with `kl_weight` > 0 the loss mixes in the KL divergence from the teacher's next-token
distribution on the same tokens (the teacher runs alongside, which costs a forward per step).
"""
from .arguments import fine_tune_args
from .checkpoint import load_checkpoint
from .errors import ToolkitError
from .train import freeze_audio_tower, train


def distil(student, corpus, speech, out, *, kd=None, teacher=None, kl_weight=0.0, freeze_encoder=False, **train_kw):
    """freeze_encoder: the audio encoder keeps the teacher's weights (a third of a CPU step saved
    for the small model)."""
    if not 0 <= kl_weight <= 1:
        raise ToolkitError(f"--kl-weight must be between 0 and 1 (the KL term's share of the loss), got {kl_weight}")
    if kl_weight > 0 and teacher is None:
        raise ToolkitError("--kl-weight needs --teacher: word-level KD learns the teacher's next-token distribution")
    return train(corpus, speech, out, lambda: load_checkpoint(student), kd=kd, teacher=teacher, kl_weight=kl_weight,
                 prepare=freeze_audio_tower if freeze_encoder else None, **train_kw)


def cmd_distil(args):
    final = distil(args.student, args.corpus, args.speech, args.out, kd=args.kd, teacher=args.teacher,
                   kl_weight=args.kl_weight, freeze_encoder=args.freeze_encoder, minutes=args.minutes, max_steps=args.max_steps,
                   lr=args.lr, device=args.device)
    print(f"final checkpoint: {final}")


def add_cli(subparsers):
    p = subparsers.add_parser("distil", help="fine-tune a pruned student on references + the teacher's translations (resumable)")
    fine_tune_args(p, minutes=20.0, lr=5e-4)
    p.add_argument("--teacher", help="teacher checkpoint, for word-level KD")
    p.add_argument("--kl-weight", type=float, default=0.0, help="weight of the word-level KL term (0: off)")
    p.add_argument("--freeze-encoder", action="store_true", help="keep the audio encoder as the teacher had it")
    p.set_defaults(func=cmd_distil)
