"""`compress qat`: quantisation-aware fine-tuning on the export's own 4-bit grid.

Why this stage exists: QLoRA trains adapters on a frozen 4-bit base, but merging them gives
weights W' = Q(W) + BA that are not on any 4-bit grid, and the export quantises W' again. Where the
adapters' updates are smaller than a quantisation step they are rounded away, so the q4 export
loses part of what QLoRA learned (measured: -0.8 chrF++ de / -1.6 chrF zh against the merged
fp32 student). Here every linear weight the export quantises is seen in the forward pass exactly
as MatMulNBits will hold it (onnxruntime's own quantiser, `fake_quantize_q4`), and gradients pass
straight through the rounding to the full-precision weights (the straight-through estimator). The
saved weights are the rounded ones: the round trip is idempotent (to 1e-8), so the exported q4
graphs compute what training saw, and PyTorch scores of the checkpoint are the q4 model's.
"""
import torch
from torch.nn.utils import parametrize

from .arguments import fine_tune_args
from .export.quantize import DEFAULT_BLOCK_SIZE, check_block_size


class FakeQuantQ4(torch.nn.Module):
    """Weight parametrisation: forward value = the 4-bit round trip, gradient = identity."""

    def __init__(self, block_size: int = DEFAULT_BLOCK_SIZE):
        super().__init__()
        self.block_size = block_size

    def forward(self, weight):
        from .qlora import fake_quantize_q4

        return weight + (fake_quantize_q4(weight, self.block_size) - weight).detach()


def qat(student, corpus, speech, out, *, block_size=DEFAULT_BLOCK_SIZE, freeze_encoder=True, log=print, **train_kw):
    """Fine-tune `student` with every nn.Linear weight fake-quantised (encoder, projector, decoder,
    lm_head: what the export quantises); out/final holds the rounded weights."""
    check_block_size(block_size)
    from .checkpoint import load_checkpoint
    from .train import freeze_audio_tower, train

    def prepare(model):
        if freeze_encoder:
            freeze_audio_tower(model)
        linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
        for m in linears:
            parametrize.register_parametrization(m, "weight", FakeQuantQ4(block_size))
        log(f"QAT: {len(linears)} linear weights seen through the 4-bit grid (block {block_size})"
            + ("; audio encoder frozen" if freeze_encoder else ""))

    def finalize(model):
        for m in model.modules():
            if parametrize.is_parametrized(m, "weight"):
                parametrize.remove_parametrizations(m, "weight", leave_parametrized=True)
        return model

    return train(corpus, speech, out, lambda: load_checkpoint(student), prepare=prepare, finalize=finalize,
                 resumable=False, log=log, **train_kw)


def cmd_qat(args):
    final = qat(args.student, args.corpus, args.speech, args.out, block_size=args.block_size, kd=args.kd,
                freeze_encoder=not args.train_encoder, minutes=args.minutes, max_steps=args.max_steps, lr=args.lr,
                batch_tokens=args.batch_tokens, features=args.features, device=args.device)
    print(f"checkpoint on the 4-bit grid: {final}")


def add_cli(subparsers):
    p = subparsers.add_parser("qat", help="quantisation-aware fine-tuning on the export's 4-bit grid (after QLoRA's merge)")
    fine_tune_args(p, minutes=8.0, lr=5e-5)
    p.add_argument("--block-size", type=int, default=32, help="the export's 4-bit block size")
    p.add_argument("--train-encoder", action="store_true", help="fine-tune the audio encoder too (default: frozen)")
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--features", help="folder of existing log-mel caches to share (default OUT/features)")
    p.set_defaults(func=cmd_qat)
