"""Extra fine-tunes in the same GPU lease, after `scripts/gpu/lease.sh 2`: word-level KL, and the 20%/70%-pruned
students fine-tuned like the 50% one; PyTorch test scores into $OUT/extra.jsonl (docs/results.md, "Extra runs").
Run from the repository root on the GPU machine: OUT=… python3 experiments/extra-runs.py"""
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.dataset import FeatureCache, load_clips  # noqa: E402
from compress.distil import distil  # noqa: E402
from compress.evaluate import eval_model  # noqa: E402

S = Path("runs/student-gpu")
OUT = Path(os.environ["OUT"])
T = "runs/teacher-gpu/final"
test = load_clips("data/corpus", "data/speech", "test")
cache = FeatureCache(S / "features" / "test-500-80")
kw = dict(max_steps=300, lr=5e-4, warmup=100, seed=0, device="cuda", dev_clips=200, features=S / "features", batch_tokens=16384,
          freeze_encoder=True)
runs = [("kl-0.5", S / "prune/layers-5", dict(kd=S / "kd/train.jsonl", teacher=T, kl_weight=0.5)),
        ("distil-8", S / "prune/layers-8", dict(kd=S / "kd/train.jsonl")),
        ("distil-3", S / "prune/layers-3", dict(kd=S / "kd/train.jsonl"))]
for name, start, extra in runs:
    t0 = time.time()
    final = distil(start, "data/corpus", "data/speech", S / f"extra-{name}", **extra, **kw)
    m, tok, _ = load_checkpoint(final)
    r = eval_model(m.to("cuda"), tok, test, cache, batch_size=256)
    row = {"run": name, "de": r["de"]["chrf"], "zh": r["zh"]["chrf"], "bleu_de": r["de"]["bleu"], "bleu_zh": r["zh"]["bleu"],
           "dev": [json.loads(l)["dev"] for l in open(S / f"extra-{name}/log.jsonl") if '"dev"' in l][-1], "s": round(time.time() - t0)}
    print(row, flush=True)
    with open(OUT / "extra.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
