"""Training-step cost with a clip's tasks batched together (the encoder runs once per clip) against one
row per example (the loop before 2026-12-06: the encoder ran once per task), on the same examples.

Both ways run the real training code (compress.train's _batches and _collate, forward_batch, AdamW with
bf16 autocast) on one sampled set's first clips, alternating, several rounds; per-example mode gives every
example its own clip slot, which is exactly what the old batching did. Prints and writes ms per example
(fwd + bwd + optimiser step) and padded tokens per example.

  python experiments/train-step-speed.py --model runs/student-v4/final --corpus data/corpus-v4 \
      --speech data/speech-v4 --out bench/results/DATE-train-step-speed.json
"""
import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.dataset import FeatureCache, PromptBuilder, audio_tokens_for_frames, load_clips  # noqa: E402
from compress.prompt import LANGS, TASKS  # noqa: E402
from compress.train import _batches, _collate, autocast, target_text  # noqa: E402
from compress.forward import forward_batch  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--speech", required=True)
    ap.add_argument("--split", default="train-e0")
    ap.add_argument("--clips", type=int, default=1200)
    ap.add_argument("--batch-tokens", type=int, default=8192)
    ap.add_argument("--steps", type=int, default=6, help="batches timed per way and round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    model, tokenizer, fe = load_checkpoint(Path(args.model))
    model.train()
    clips = load_clips(Path(args.corpus), Path(args.speech), args.split)[: args.clips]
    cache = FeatureCache.build(clips, fe, Path("/tmp/train-step-speed") / f"{args.split}-{len(clips)}", log=lambda *a: None)
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    tasks = [t for t in TASKS if t in getattr(model.config, "tasks", LANGS)]  # as train() does
    items = []
    for i, clip in enumerate(clips):
        n_audio = audio_tokens_for_frames(cache.frames[cache.position[clip.clip_id]])
        for task in tasks:
            text = target_text(clip, task)
            items.append((len(builder.prompt(task, n_audio)) + len(builder.target(text)), i, task, text))
    # per example: each example its own clip slot, so each is collated and encoded on its own
    own_clips = [clips[i] for _, i, _, _ in items]
    own_items = [(n, k, task, text) for k, (n, _, task, text) in enumerate(items)]
    ways = {"clip's tasks together": (clips, _batches(items, args.batch_tokens, random.Random(1))),
            "one row per example": (own_clips, _batches(own_items, args.batch_tokens, random.Random(1)))}
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-6)
    device = torch.device("cpu")
    ms, padded = {w: [] for w in ways}, {}
    for way_clips, batches in ways.values():  # warm-up: first-call allocation and kernel choice
        with autocast(device, True):
            forward_batch(model, _collate(batches[-1], way_clips, cache, builder, device)).loss.backward()
    for r in range(args.rounds):
        for way, (way_clips, batches) in ways.items():
            chosen = batches[r * args.steps: (r + 1) * args.steps]
            rows = sum(len(b) for b in chosen)
            t0 = time.perf_counter()
            for b in chosen:
                batch = _collate(b, way_clips, cache, builder, device)
                with autocast(device, True):
                    loss = forward_batch(model, batch).loss
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            ms[way].append((time.perf_counter() - t0) * 1000 / rows)
            print(f"round {r} {way}: {ms[way][-1]:.1f} ms per example ({rows} examples)", flush=True)
        for way, (_, batches) in ways.items():
            padded[way] = round(sum(len(b) * max(x[0] for x in b) for b in batches) / len(items), 1)
    result = {"command": " ".join(sys.argv), "machine": f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads",
              "examples": len(items), "clips": len(clips), "batch_tokens": args.batch_tokens,
              "ms_per_example": {w: [round(x, 2) for x in v] for w, v in ms.items()},
              "median_ms_per_example": {w: round(statistics.median(v), 2) for w, v in ms.items()},
              "padded_tokens_per_example": padded,
              "batches_per_epoch": {w: len(b) for w, (_, b) in ways.items()}}
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result["median_ms_per_example"]), "padded:", json.dumps(padded))


if __name__ == "__main__":
    main()
