"""Argument groups that several commands share (each command module registers its own subparser)."""
from .errors import ToolkitError


def task_values(items: list[str], option: str, name: str, kind, example: str) -> dict:
    """TASK=VALUE items (`--beams de=4`, `--weights de=0.05`) → {task: kind(value)}; a malformed one is refused."""
    out = {}
    for item in items:
        task, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError(item)
            out[task.strip()] = kind(value)
        except ValueError:
            raise ToolkitError(f"{option} expects TASK={name} (e.g. {example}), got {item!r}") from None
    return out


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
