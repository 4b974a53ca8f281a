"""GPU smoke test of the toolkit's CUDA paths (train, prune, kd) on the two committed fixture clips, ~30 s,
run on a lent GPU machine before scripts/gpu/lease.sh spends its minutes: python3 experiments/smoke.py
(SMOKE_DEVICE=cpu rehearses it here, in a few minutes)."""
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import transformers  # noqa: E402

from compress.kd import teacher_translations  # noqa: E402
from compress.prune import prune  # noqa: E402
from compress.train import train_teacher  # noqa: E402
from tests.fixture_corpus import write_fixture_corpus  # noqa: E402

DEVICE = os.environ.get("SMOKE_DEVICE", "cuda")
print("torch", torch.__version__, "transformers", transformers.__version__, "cuda", torch.cuda.is_available(), flush=True)
tmp = Path("/tmp/smoke")
shutil.rmtree(tmp, ignore_errors=True)
tmp.mkdir()
corpus, speech = write_fixture_corpus(tmp)
t0 = time.time()
final = train_teacher(corpus, speech, tmp / "run", preset="tiny", vocab_size=300, batch_tokens=1024, lr=3e-3, warmup=5,
                      max_steps=60, eval_every=30, log_every=10, device=DEVICE)
prune(final, corpus, speech, tmp / "prune", 2, save_depths=[3, 2], device=DEVICE)
teacher_translations(final, corpus, speech, tmp / "kd.jsonl", features=tmp / "run/features/train", device=DEVICE)
print((tmp / "kd.jsonl").read_text()[:400])
print("SMOKE OK", round(time.time() - t0, 1), "s", flush=True)
