"""A chained checkpoint's (`train-teacher --chain`) whole answers on one spoken split: what it heard, then
its translation, per clip and task, and how often each part is right (sentence accuracy's normalisation:
case, spaces and punctuation ignored), so that a wrong translation can be told from a wrong hearing.

    python experiments/chain-answers.py --model runs/student-v5s/final --corpus data/corpus-v6 --speech data/eval/dev --split dev --out ANSWERS.json
"""
import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.dataset import FeatureCache, PromptBuilder, load_clips  # noqa: E402
from compress.metrics import normalised  # noqa: E402
from compress.prompt import LANGS, split_chained  # noqa: E402
from compress.translate import translate_clips  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--speech", required=True)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    model, tokenizer, fe = load_checkpoint(args.model)
    if not getattr(model.config, "chain_translation", False):
        sys.exit(f"{args.model} was not trained with --chain")
    model.config.chain_translation = False  # translate_clips then returns the whole answer, not its translation
    clips = load_clips(args.corpus, args.speech, args.split)
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    rows = [{"clip": c.clip_id, "en": c.en} for c in clips]
    with tempfile.TemporaryDirectory() as tmp:
        cache = FeatureCache.build(clips, fe, Path(tmp) / "features", log=lambda *a: None)
        answers = {lang: translate_clips(model, builder, cache, clips, lang, max_new_tokens=128)[0] for lang in LANGS}
    for lang in LANGS:
        for row, clip, answer in zip(rows, clips, answers[lang]):
            heard, translation = split_chained(answer)
            row[lang] = {"heard": heard, "translation": translation, "heard_right": normalised(heard) == normalised(clip.en),
                         "right": normalised(translation) == normalised(getattr(clip, lang))}
    Path(args.out).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    for lang in LANGS:
        c = Counter((r[lang]["heard_right"], r[lang]["right"]) for r in rows)
        print(f"{lang}: heard right and translated right {c[True, True]}, heard right but translated wrong {c[True, False]}, "
              f"misheard but translated right {c[False, True]}, both wrong {c[False, False]}")


if __name__ == "__main__":
    main()
