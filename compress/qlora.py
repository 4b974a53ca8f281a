"""`compress qlora`: the paper's final QLoRA stage, with a simulated 4-bit base.

QLoRA trains LoRA adapters on a frozen 4-bit base. bitsandbytes' NF4 kernels need a GPU, so the
base is simulated on the CPU: every linear weight is replaced by what the export will store,
quantised with onnxruntime's own MatMulNBits kernel (the one `quantize.py` runs through
MatMul4BitsQuantizer: same block size, same asymmetric zero points) and dequantised. Adapters are
peft's LoRA with the paper's settings (r=64, alpha=128, rsLoRA, all linear layers). At the end the
adapters are merged into the weights and the result is an ordinary checkpoint for the exporter,
which quantises the merged weights to 4 bits again.
"""
import numpy as np
import torch
from onnxruntime.capi._pybind_state import quantize_matmul_4bits

from .arguments import fine_tune_args
from .export.quantize import DEFAULT_BLOCK_SIZE, check_block_size


def fake_quantize_q4(weight: torch.Tensor, block_size: int = DEFAULT_BLOCK_SIZE, symmetric: bool = False) -> torch.Tensor:
    """A torch Linear weight [out, in] as MatMulNBits stores it: the ONNX MatMul's B is weight.T
    [in=K, out=N], quantised in blocks of `block_size` along K for each of the N columns."""
    b = weight.detach().float().cpu().T.contiguous().numpy()
    k, n = b.shape
    blocks = (k + block_size - 1) // block_size
    if blocks * block_size != k:
        b = np.pad(b, ((0, blocks * block_size - k), (0, 0)))
    packed = np.zeros((n, blocks, block_size // 2), np.uint8)
    zero_points = np.zeros(n * ((blocks + 1) // 2), np.uint8)
    scales = np.zeros(n * blocks, np.float32)
    quantize_matmul_4bits(packed, b, scales, zero_points, block_size, n, k, symmetric)
    # Two 4-bit values per byte, the first in the low nibble (for weights and zero points alike).
    q = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(n, blocks, block_size).astype(np.float32)
    if symmetric:
        zp = np.full((n, blocks), 8.0, np.float32)
    else:
        zp = np.stack([zero_points & 0x0F, zero_points >> 4], axis=-1).reshape(n, -1)[:, :blocks].astype(np.float32)
    deq = (q - zp[..., None]) * scales.reshape(n, blocks)[..., None]  # [N, blocks, block]
    return torch.from_numpy(deq.reshape(n, -1)[:, :k].copy()).to(weight.device, weight.dtype)  # [N, K] = torch's [out, in]


def quantize_base(model, block_size: int = DEFAULT_BLOCK_SIZE, symmetric: bool = False) -> int:
    """Replace every nn.Linear weight (encoder, projector, decoder, lm_head: the layers the export
    quantises) by its 4-bit round trip, in place; returns how many were replaced."""
    n = 0
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Linear):
                module.weight.copy_(fake_quantize_q4(module.weight, block_size, symmetric))
                n += 1
    return n


def qlora(student, corpus, speech, out, *, r=64, alpha=128, dropout=0.05, block_size=DEFAULT_BLOCK_SIZE,
          kd=None, log=print, **train_kw):
    """Frozen simulated-4-bit `student` + LoRA on all linear layers (not lm_head, as peft's
    "all-linear" and the paper), trained by `train`, merged into out/final."""
    check_block_size(block_size)
    from peft import LoraConfig, get_peft_model

    from .checkpoint import load_checkpoint
    from .train import train

    wrapped = {}

    def prepare(model):
        replaced = quantize_base(model, block_size)
        model.requires_grad_(False)
        config = LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, use_rslora=True, target_modules="all-linear")
        wrapped["peft"] = get_peft_model(model, config)  # injects the adapters into `model` in place
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        log(f"QLoRA: {replaced} linear weights on a simulated 4-bit base (block {block_size}); "
            f"{trainable:,} adapter parameters (r={r}, alpha={alpha}, rsLoRA)")

    def finalize(model):
        return wrapped["peft"].merge_and_unload()

    return train(corpus, speech, out, lambda: load_checkpoint(student), kd=kd, prepare=prepare, finalize=finalize,
                 resumable=False, log=log, **train_kw)


def cmd_qlora(args):
    final = qlora(args.student, args.corpus, args.speech, args.out, r=args.rank, alpha=args.alpha, block_size=args.block_size,
                  kd=args.kd, minutes=args.minutes, max_steps=args.max_steps, lr=args.lr, device=args.device)
    print(f"merged checkpoint: {final}")


def add_cli(subparsers):
    p = subparsers.add_parser("qlora", help="LoRA on a frozen, simulated 4-bit base, merged at the end")
    fine_tune_args(p, minutes=8.0, lr=5e-5, lr_help="rsLoRA scales the adapters by alpha/sqrt(r) = 16 at the paper's settings")
    p.add_argument("--rank", type=int, default=64)
    p.add_argument("--alpha", type=float, default=128)
    p.add_argument("--block-size", type=int, default=32, help="4-bit block size of the simulated base (the export's)")
    p.set_defaults(func=cmd_qlora)
