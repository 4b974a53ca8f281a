"""Does a translation written after the model's own transcript get more sentences right than one written
straight from the speech? One checkpoint trained with `compress train-teacher --chain` answers both prompts,
so the comparison is within one model: on each split, the direct translation ("Translate the English speech
into German:") against the chained one ("Transcribe the English speech, then translate it into German:",
the text after the newline), greedy, in PyTorch, without the decoding rules (neither prompt gets them).

Prints, per split, condition and language, sentence accuracy and chrF of both and the clips only one gets
right, with McNemar's exact test on those (scipy's binomial test); and the English WER of the transcription
prompt against the chained answer's first line. Writes a JSON with every clip's outputs.

    python experiments/chained-translation.py runs/student-v5x/final --corpus data/corpus-v6 \
        --splits dev dev-kokoro v1-dev --conditions clean phone reverb --out bench/results/…-chained.json
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.stats import binomtest  # noqa: E402

from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.dataset import PromptBuilder  # noqa: E402
from compress.evaluate import split_features  # noqa: E402
from compress.metrics import normalised, score, word_error_rate  # noqa: E402
from compress.prompt import CHAINED, LANGS, TRANSCRIBE, split_chained  # noqa: E402
from compress.robustness import SPEECH_OF, speech_dir  # noqa: E402
from compress.translate import translate_clips  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", help="a checkpoint trained with --chain")
    ap.add_argument("--corpus", default="data/corpus-v6")
    ap.add_argument("--eval-speech", default="data/eval")
    ap.add_argument("--splits", nargs="+", default=["dev", "dev-kokoro", "v1-dev"])
    ap.add_argument("--conditions", nargs="+", default=["clean"])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out")
    args = ap.parse_args()

    model, tokenizer, _ = load_checkpoint(args.model)
    model.eval()
    missing = [t for t in CHAINED.values() if t not in getattr(model.config, "tasks", [])]
    if missing:
        sys.exit(f"{args.model} was not trained on {', '.join(missing)}: train it with `compress train-teacher --chain`")
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    results, rows = {}, []
    for split in args.splits:
        for condition in args.conditions:
            speech = speech_dir(Path(args.eval_speech), split, condition)
            if speech is None:
                print(f"{split}/{condition}: no speech, skipped")
                continue
            sentences = SPEECH_OF.get(split, (split,))[0]
            clips, cache = split_features(args.corpus, speech, sentences, args.model, limit=args.limit)
            out = {task: translate_clips(model, builder, cache, clips, task, max_new_tokens=64)[0]
                   for task in LANGS + (TRANSCRIBE,)}
            for lang, task in CHAINED.items():
                out[task] = translate_clips(model, builder, cache, clips, task, max_new_tokens=128)[0]
            entry = {"clips": len(clips)}
            english = [c.en for c in clips]
            entry["wer"] = {"transcribe": word_error_rate(out[TRANSCRIBE], english)}
            for lang, task in CHAINED.items():
                parts = [split_chained(t) for t in out[task]]
                entry["wer"][task] = word_error_rate([e for e, _ in parts], english)
                refs = [getattr(c, lang) for c in clips]
                direct, chained = out[lang], [t for _, t in parts]
                right_d = [normalised(h) == normalised(r) for h, r in zip(direct, refs)]
                right_c = [normalised(h) == normalised(r) for h, r in zip(chained, refs)]
                only_d = sum(d and not c for d, c in zip(right_d, right_c))
                only_c = sum(c and not d for d, c in zip(right_d, right_c))
                p = binomtest(only_c, only_d + only_c).pvalue if only_d + only_c else 1.0
                entry[lang] = {"direct": score(direct, refs, lang), "chained": score(chained, refs, lang),
                               "only_direct_right": only_d, "only_chained_right": only_c, "mcnemar_p": round(p, 4)}
                d, c = entry[lang]["direct"], entry[lang]["chained"]
                print(f"{split}/{condition} {lang}: accuracy {d['accuracy']} -> {c['accuracy']}, "
                      f"{d['chrf_variant']} {d['chrf']} -> {c['chrf']}; right only direct {only_d}, only chained {only_c} (p = {p:.3g})")
            print(f"{split}/{condition} WER: {entry['wer']}")
            results.setdefault(split, {})[condition] = entry
            for i, c in enumerate(clips):
                rows.append({"split": split, "condition": condition, "clip": c.clip_id, "en": c.en, "de": c.de, "zh": c.zh,
                             **{task: out[task][i] for task in out}})
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"model": args.model, "results": results, "clips": rows},
                                             indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
