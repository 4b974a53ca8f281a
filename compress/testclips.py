"""`compress test-clips`: a handful of held-out test clips with their references, for the app.

The app's benchmark, its "compare" action and the e2e tests need real test-split speech (held-out
sentences spoken by held-out voices) without the 3 GB corpus, so a few short clips are copied into
the repo with their references. The pick is seeded and spreads over voices and topics.
"""
import json
import random
import shutil
from pathlib import Path

from .dataset import load_clips, read_jsonl


def pick_test_clips(corpus, speech, out, n=8, max_seconds=3.5, seed=0) -> Path:
    clips = load_clips(corpus, speech, "test")
    seconds = {Path(r["path"]).stem: r["duration_s"] for r in read_jsonl(Path(speech) / "manifest.jsonl")}
    short = [c for c in clips if seconds[c.clip_id] <= max_seconds]
    rng = random.Random(seed)
    rng.shuffle(short)
    chosen, voices, topics = [], {}, set()
    for c in short:  # at most 2 per voice, topics not repeated while others remain
        if len(chosen) == n:
            break
        if voices.get(c.voice, 0) < 2 and c.topic not in topics:
            chosen.append(c)
            voices[c.voice] = voices.get(c.voice, 0) + 1
            topics.add(c.topic)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for c in chosen:
        shutil.copy(c.path, out / f"{c.clip_id}.wav")
        rows.append({"file": f"{c.clip_id}.wav", "voice": c.voice, "topic": c.topic, "seconds": seconds[c.clip_id],
                     "en": c.en, "de": c.de, "zh": c.zh})
    (out / "clips.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return out / "clips.json"


def cmd_test_clips(args):
    print(f"wrote {pick_test_clips(args.corpus, args.speech, args.out, n=args.n, seed=args.seed)}")


def add_cli(subparsers):
    p = subparsers.add_parser("test-clips", help="copy a few held-out test clips and their references into the repo (for the app)")
    p.add_argument("--out", default="public/test-clips")
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.set_defaults(func=cmd_test_clips)
