"""`compress kd-data`: the teacher's greedy translations of the training audio (sequence-level KD).

The paper adds the teacher's translations of the training audio to the references and
deduplicates them. This writes one JSON line per clip and direction ({"clip_id", "lang", "hyp",
"stopped"}), appending as it goes so that an interrupted run continues where it stopped;
`kd_targets` then gives the training targets of each clip: its reference, plus the teacher's
output when it differs and is usable.
"""
import json
from pathlib import Path

from .arguments import data_args
from .dataset import read_jsonl
from .prompt import LANGS


def teacher_translations(checkpoint, corpus, speech, out_jsonl, split="train", features=None, device="auto",
                         batch_size=None, limit=None, max_new_tokens=64, log=print) -> Path:
    from .checkpoint import load_checkpoint
    from .dataset import FeatureCache, PromptBuilder, load_clips
    from .train import resolve_device
    from .translate import translate_clips

    out_jsonl = Path(out_jsonl)
    out_jsonl.parent.mkdir(parents=True, exist_ok=True)
    model, tokenizer, fe = load_checkpoint(checkpoint)
    device = resolve_device(device)
    model.to(device)
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    clips = load_clips(corpus, speech, split)
    if limit and limit < len(clips):  # a seeded sample, so every topic is represented
        import random

        clips = sorted(random.Random(0).sample(clips, limit), key=lambda c: c.clip_id)
    cache_path = Path(features) if features else out_jsonl.parent / "features" / f"{split}-{len(clips)}-{fe.feature_size}"
    cache = FeatureCache.build(clips, fe, cache_path, log=log)
    done = set()
    if out_jsonl.is_file():
        done = {(r["clip_id"], r["lang"]) for r in read_jsonl(out_jsonl)}
    batch_size = batch_size or (512 if device.type == "cuda" else 32)
    block = batch_size * 8  # written (and resumable) in blocks
    with open(out_jsonl, "a", encoding="utf-8") as f:
        for lang in LANGS:
            todo = [c for c in clips if (c.clip_id, lang) not in done]
            for start in range(0, len(todo), block):
                part = todo[start : start + block]
                hyps, stopped = translate_clips(model, builder, cache, part, lang, batch_size=batch_size,
                                                max_new_tokens=max_new_tokens)
                for c, h, s in zip(part, hyps, stopped):
                    f.write(json.dumps({"clip_id": c.clip_id, "lang": lang, "hyp": h, "stopped": s}, ensure_ascii=False) + "\n")
                f.flush()
                log(f"  kd {lang}: {min(start + block, len(todo))}/{len(todo)}")
    return out_jsonl


def kd_targets(clips, kd_jsonl) -> dict[tuple[str, str], list[str]]:
    """(clip_id, lang) → deduplicated targets: the reference first, then the teacher's output if it
    stopped by itself, is not empty and is not the reference (compared after whitespace folding)."""
    teacher = {}
    for r in read_jsonl(kd_jsonl):
        if r["stopped"] and r["hyp"].strip():
            teacher[(r["clip_id"], r["lang"])] = r["hyp"].strip()
    targets = {}
    for c in clips:
        for lang in LANGS:
            ref = getattr(c, lang)
            hyp = teacher.get((c.clip_id, lang))
            same = hyp is not None and " ".join(hyp.split()) == " ".join(ref.split())
            targets[(c.clip_id, lang)] = [ref] if hyp is None or same else [ref, hyp]
    return targets


def cmd_kd_data(args):
    path = teacher_translations(args.model, args.corpus, args.speech, args.out, split=args.split, features=args.features,
                                device=args.device, limit=args.limit)
    print(f"teacher translations in {path}")


def add_cli(subparsers):
    p = subparsers.add_parser("kd-data", help="the teacher's greedy translations of the training audio (sequence-level KD)")
    p.add_argument("--model", required=True, help="the teacher's HF checkpoint folder")
    p.add_argument("--out", required=True, help="JSON-lines file (appended to; an interrupted run resumes)")
    p.add_argument("--split", default="train")
    p.add_argument("--features", help="an existing log-mel cache of the split (e.g. runs/teacher/features/train-80)")
    p.add_argument("--limit", type=int, help="a seeded sample of N clips (CPU budget)")
    data_args(p)
    p.set_defaults(func=cmd_kd_data)
