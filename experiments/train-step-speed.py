"""Training-step cost with a clip's tasks batched together (the encoder runs once per clip) against one
row per example (the loop before 2026-12-06: the encoder ran once per task), on the same examples.

Both ways run the real training code (compress.train's _batches and _collate, forward_batch, AdamW with
bf16 autocast) over the same examples: one sampled set's first clips, split into rounds, each round's
clips one way then the other. Prints and writes ms per example (fwd + bwd + optimiser step, median of
the rounds) and padded tokens per example.

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


def cpu_name() -> str:
    info = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in info.read_text().splitlines() if line.startswith("model name")] if info.exists() else []
    return names[0] if names else platform.machine()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--speech", required=True)
    ap.add_argument("--split", default="train-e0")
    ap.add_argument("--clips", type=int, default=1200)
    ap.add_argument("--batch-tokens", type=int, default=8192)
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
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-6)
    device = torch.device("cpu")

    def ways(part):
        """(clips, batches) of both ways over the same examples; per example: each example its own clip
        slot, so each is collated and encoded on its own (what _batches did before)."""
        own_clips = [clips[i] for _, i, _, _ in part]
        own_items = [(n, k, task, text) for k, (n, _, task, text) in enumerate(part)]
        return {"clip's tasks together": (clips, _batches(part, args.batch_tokens, random.Random(1))),
                "one row per example": (own_clips, _batches(own_items, args.batch_tokens, random.Random(1)))}

    def run(way_clips, batches):
        for b in batches:
            batch = _collate(b, way_clips, cache, builder, device)
            with autocast(device, True):
                loss = forward_batch(model, batch).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    per_round = len(clips) // (args.rounds + 1)
    for way_clips, batches in ways([it for it in items if it[1] < per_round]).values():  # warm-up
        run(way_clips, batches[:2])
    ms, padded = {}, {}
    for r in range(1, args.rounds + 1):  # each round: the next clips, both ways, the same examples
        part = [it for it in items if r * per_round <= it[1] < (r + 1) * per_round]
        order = list(ways(part).items())
        for way, (way_clips, batches) in order if r % 2 else order[::-1]:  # each way first in turn
            t0 = time.perf_counter()
            run(way_clips, batches)
            ms.setdefault(way, []).append((time.perf_counter() - t0) * 1000 / len(part))
            padded.setdefault(way, []).append(sum(len(b) * max(x[0] for x in b) for b in batches) / len(part))
            print(f"round {r} {way}: {ms[way][-1]:.1f} ms per example ({len(part)} examples, {len(batches)} batches)", flush=True)
    timed = [it for it in items if it[1] >= per_round]
    result = {"command": " ".join(sys.argv), "machine": f"{cpu_name()}, {torch.get_num_threads()} threads",
              "timed_examples": len(timed), "timed_clips": len({it[1] for it in timed}), "warm_up_clips": per_round,
              "batch_tokens": args.batch_tokens,
              "ms_per_example": {w: [round(x, 2) for x in v] for w, v in ms.items()},
              "median_ms_per_example": {w: round(statistics.median(v), 2) for w, v in ms.items()},
              "padded_tokens_per_example": {w: round(statistics.median(v), 1) for w, v in padded.items()}}
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result["median_ms_per_example"]), "padded:", json.dumps(result["padded_tokens_per_example"]))


if __name__ == "__main__":
    main()
