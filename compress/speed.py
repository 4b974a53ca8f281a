"""`compress speed`: decode tokens/s of exported models in onnxruntime (CPU), several models compared.

A decode rate is timed over a fixed number of forced steps after the prefill (EOS is not a stop),
so every model is timed over the same work; a translation's own 5–10 tokens are too few to time.
When comparing, the models take turns clip by clip and round by round, so a slow spell of a
shared machine lands on all of them alike; the ratio reported is the median of per-clip ratios.
"""
import json
import random
import statistics
import time
from pathlib import Path

from .evaluate import check_variant, exported_manifest, split_features
from .runtime import OnnxSpeechTranslator


def forced_decode_rate(runner: OnnxSpeechTranslator, window, frames: int, lang: str, tokens: int) -> tuple[float, float]:
    """(decode tokens/s over `tokens` forced steps, prefill ms) for one clip."""
    t0 = time.perf_counter()
    state = runner.prefill_window(window[None], frames, lang)
    t1 = time.perf_counter()
    runner.greedy(state, tokens, stop_at_eos=False)
    t2 = time.perf_counter()
    return (tokens - 1) / (t2 - t1), (t1 - t0) * 1000  # the first token comes from the prefill's logits


def compare_decode_speed(models: list[tuple[str, str]], cache, clips, tokens: int = 64, rounds: int = 3,
                         lang: str = "de", threads: int | None = None) -> dict:
    """models: [(folder, variant)]. Per model: median decode tokens/s and prefill ms; for every model
    after the first, the median over clips and rounds of its rate divided by the first model's."""
    runners = [OnnxSpeechTranslator(path, variant, threads=threads) for path, variant in models]
    window, frames = cache.window(clips[0].clip_id)
    for runner in runners:  # warm-up: first runs allocate and plan
        forced_decode_rate(runner, window, frames, lang, 4)
    rates = [[] for _ in runners]
    prefill = [[] for _ in runners]
    for _ in range(rounds):
        for clip in clips:
            window, frames = cache.window(clip.clip_id)
            for i, runner in enumerate(runners):
                rate, ms = forced_decode_rate(runner, window, frames, lang, tokens)
                rates[i].append(rate)
                prefill[i].append(ms)
    out = []
    for i, (path, variant) in enumerate(models):
        row = {"model": str(path), "variant": variant, "decode_tokens_per_s": round(statistics.median(rates[i]), 1),
               "prefill_ms": round(statistics.median(prefill[i]), 1)}
        if i:
            row["ratio_to_first"] = round(statistics.median(b / a for a, b in zip(rates[0], rates[i])), 3)
        out.append(row)
    return {"clips": len(clips), "rounds": rounds, "tokens": tokens, "lang": lang, "threads": threads or "onnxruntime default",
            "models": out}


def sample_clips(clips, n: int, seed: int = 0):
    return random.Random(seed).sample(clips, min(n, len(clips)))


def describe(result: dict) -> str:
    lines = [f"forced {result['tokens']}-token decode, {result['clips']} clips × {result['rounds']} rounds, models alternating, "
             f"intra-op threads: {result['threads']}; median tokens/s (prefill ms)"]
    for m in result["models"]:
        ratio = f"  {m['ratio_to_first']}× the first" if "ratio_to_first" in m else ""
        lines.append(f"  {m['model']} [{m['variant']}]: {m['decode_tokens_per_s']} tok/s ({m['prefill_ms']} ms){ratio}")
    return "\n".join(lines)


def cmd_speed(args):
    models = []
    for spec in args.models:
        path, _, variant = spec.partition(":")
        manifest = exported_manifest(path)
        variant = variant or manifest["default_variant"]
        check_variant(path, manifest, variant)
        models.append((path, variant))
    clips, cache = split_features(args.corpus, args.speech, args.split, models[0][0])
    result = compare_decode_speed(models, cache, sample_clips(clips, args.clips, args.seed), tokens=args.tokens, rounds=args.rounds,
                                  threads=args.threads)
    print(describe(result))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


def add_cli(subparsers):
    p = subparsers.add_parser("speed", help="decode tokens/s of exported models in onnxruntime, models alternating (forced steps)")
    p.add_argument("--models", nargs="+", required=True, help="exported folders, each optionally :VARIANT (default: its default); ratios are to the first")
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--split", default="test")
    p.add_argument("--clips", type=int, default=10)
    p.add_argument("--tokens", type=int, default=64, help="forced decode steps per clip")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, help="intra-op threads per session (default: onnxruntime's, every physical core)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="JSON results file")
    p.set_defaults(func=cmd_speed)
