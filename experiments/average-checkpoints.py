"""Weight-space interpolation of a fine-tuned checkpoint with the one it started from (WiSE-FT, Wortsman
et al. 2022): (1 − w) · start + w · fine-tuned, tensor by tensor. Fine-tuning on a shifted set (more
reverberant rooms) can trade what the start did well for what the set taught; the average often keeps both.

    python experiments/average-checkpoints.py --start runs/student-v5q --tuned runs/student-v5r/final \
        --weight 0.5 --out runs/student-v5r-wise50

Written by hand: mergekit, the field's merging tool, works from per-architecture definitions written for
language models, and this linear average is one line per tensor. The config, tokenizer and feature
extractor are the fine-tuned checkpoint's (both must have the same tensors and shapes).
"""
import argparse
import shutil
import sys
from pathlib import Path

from safetensors.torch import load_file, save_file


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--start", required=True, help="the checkpoint fine-tuning started from")
    p.add_argument("--tuned", required=True, help="the fine-tuned checkpoint")
    p.add_argument("--weight", type=float, required=True, help="the fine-tuned checkpoint's share, 0–1")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if not 0 <= args.weight <= 1:
        sys.exit(f"--weight must be within 0–1, got {args.weight}")
    out = Path(args.out)
    if out.exists():
        sys.exit(f"{out} exists: choose another --out")
    for folder in (args.start, args.tuned):
        if not (Path(folder) / "model.safetensors").is_file():
            sys.exit(f"{folder} has no model.safetensors: not a checkpoint folder")
    start, tuned = (load_file(Path(d) / "model.safetensors") for d in (args.start, args.tuned))
    if start.keys() != tuned.keys() or any(start[k].shape != tuned[k].shape for k in start):
        sys.exit(f"{args.start} and {args.tuned} hold different tensors: not the same architecture")
    shutil.copytree(args.tuned, out)
    w = args.weight
    save_file({k: ((1 - w) * start[k].float() + w * tuned[k].float()).to(tuned[k].dtype) for k in tuned},
              out / "model.safetensors", metadata={"format": "pt"})
    recipe = f"{1 - w:g} × {args.start} + {w:g} × {args.tuned}"
    (out / "averaged_from.txt").write_text(recipe + "\n")
    print(f"wrote {out}: {recipe}, {len(tuned)} tensors")


if __name__ == "__main__":
    main()
