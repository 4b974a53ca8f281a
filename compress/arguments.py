"""Argument groups that several commands share (each command module registers its own subparser)."""


def data_args(p):
    """The corpus, its speech and the torch device."""
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--device", default="auto")


def fine_tune_args(p, minutes: float, lr: float, lr_help: str | None = None):
    """What every fine-tuning stage of a student takes (distil, qlora, qat)."""
    p.add_argument("--student", required=True, help="the checkpoint to start from (e.g. compress prune --save-depths)")
    p.add_argument("--out", required=True)
    p.add_argument("--kd", help="teacher translations from `compress kd-data` (sequence-level KD)")
    p.add_argument("--minutes", type=float, default=minutes)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--lr", type=float, default=lr, help=lr_help)
    data_args(p)
