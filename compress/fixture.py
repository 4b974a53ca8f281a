"""`compress fixture`: the tiny model the app's tests run, fitted to two short committed clips.

A random-weight model is fine for exact fp32 parity tests, but its logits are noise: 4-bit
rounding moves them a lot and its greedy text is gibberish. Fitting the tiny model to a couple of
clips (with silence, gain and noise augmentation, so a VAD's cut points do not matter) gives the
app's tests a model that really listens: each clip gives its own translation, in both languages,
with confident top-1 margins that survive 4-bit weights and other backends.
"""
import json
import time
from pathlib import Path

import numpy as np
import torch

from .audio import read_wav
from .sft import build_example, collate
from .tiny import make_tiny

FIXTURE_CLIPS = {
    "golden.wav": {"de": "Wo ist der Bahnhof, bitte?", "zh": "请问火车站在哪里？"},
    "good-morning.wav": {"de": "Guten Morgen, wie geht es Ihnen?", "zh": "早上好，你好吗？"},
}


def augment(samples: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A different cut and level each time: 0–0.4 s of silence trimmed or added at each end, gain, noise."""
    lead, tail = rng.integers(-2400, 6400, size=2)
    x = samples[max(0, -lead) : len(samples) - max(0, -tail)]
    x = np.concatenate([np.zeros(max(0, lead), np.float32), x, np.zeros(max(0, tail), np.float32)])
    x = x * rng.uniform(0.4, 1.6)
    x = x + rng.normal(0, rng.uniform(0, 0.01), size=len(x)).astype(np.float32)
    return x.astype(np.float32)


def fit_fixture(out: Path, clip_dir: Path, steps: int = 400, seed: int = 0, log=print) -> Path:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    out = make_tiny(out, seed=seed, init_std=None)
    from .checkpoint import load_checkpoint

    model, tokenizer, fe = load_checkpoint(out)
    clips = {name: read_wav(Path(clip_dir) / name) for name in FIXTURE_CLIPS}
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps, pct_start=0.1)
    t0 = time.time()
    for step in range(steps):
        batch = [
            build_example(tokenizer, fe, augment(clips[name], rng), lang, text)
            for name, targets in FIXTURE_CLIPS.items()
            for lang, text in targets.items()
        ]
        loss = model(**collate(batch, tokenizer.pad_token_id)).loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"step {step:4d}  loss {loss.item():.4f}  {time.time() - t0:.0f} s")
    model.eval()
    model.save_pretrained(out, safe_serialization=True)
    (out / "fixture_clips.json").write_text(json.dumps(FIXTURE_CLIPS, ensure_ascii=False, indent=1) + "\n")
    return out


def cmd_fixture(args):
    path = fit_fixture(args.out, args.clips, steps=args.steps, seed=args.seed)
    print(f"wrote fitted tiny checkpoint to {path}")


def add_cli(subparsers):
    p = subparsers.add_parser("fixture", help="fit the tiny model to the committed fixture clips (the app's test model)")
    p.add_argument("--out", required=True)
    p.add_argument("--clips", default="fixtures/tiny-random")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_fixture)
