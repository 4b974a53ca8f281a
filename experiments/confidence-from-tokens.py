"""Which confidence separates a model's right translations from its wrong ones: the geometric mean of every chosen
token's probability, or of the k least probable (k = 1..5). The model decodes the choice splits (dev, dev-kokoro,
ood-dev, clean) under its rules, keeping each utterance's token log-probabilities; then, per language and
candidate: the ROC AUC of correct against wrong translations (refusals left out) on dev + dev-kokoro, and at the
threshold `compress robustness` would choose for it (`threshold_at`) the share of wrong translations and of ood-dev
flagged (docs/results.md, "A confidence from the least probable tokens").

    python experiments/confidence-from-tokens.py public/models/phrasebook-student [--corpus data/corpus-v6]
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.decoding import confidence_of  # noqa: E402
from compress.evaluate import split_features  # noqa: E402
from compress.metrics import normalised, roc_auc  # noqa: E402
from compress.robustness import SPEECH_OF, speech_dir, threshold_at  # noqa: E402
from compress.runtime import OnnxSpeechTranslator  # noqa: E402

CANDIDATES = [None, 1, 2, 3, 4, 5]  # None: every token
SPLITS = ("dev", "dev-kokoro")  # the choice splits when this was measured (compress robustness's CHOICE_SPLITS then)


def token_logprobs(runner, corpus, eval_dir):
    """[(split, lang, right, refused, logprobs)] for every clip of the choice splits and ood-dev."""
    rows = []
    for split in (*SPLITS, "ood-dev"):
        sentences = SPEECH_OF.get(split, (split,))[0]
        clips, cache = split_features(corpus, speech_dir(Path(eval_dir), split, "clean"), sentences, runner.dir)
        for clip in clips:
            window, frames = cache.window(clip.clip_id)
            for lang in ("de", "zh"):
                gen = runner.generate_window(window[None], frames, lang)
                text = runner.text(gen, lang)
                right = split != "ood-dev" and not gen.out_of_domain and normalised(text) == normalised(getattr(clip, lang))
                rows.append((split, lang, right, gen.out_of_domain, gen.token_logprobs))
    return rows


def main(model, corpus, eval_dir):
    runner = OnnxSpeechTranslator(model)
    rows = token_logprobs(runner, corpus, eval_dir)
    print(f"# python experiments/confidence-from-tokens.py {model} --corpus {corpus} ({runner.manifest['default_variant']})")
    print("| confidence: geometric mean of | lang | AUC correct / wrong | threshold (held) | wrong flagged | ood-dev flagged |")
    print("|---|---|---|---|---|---|")
    for k in CANDIDATES:
        for lang in ("de", "zh"):
            mine = [r for r in rows if r[1] == lang]
            right = [confidence_of(r[4], k) for r in mine if r[0] != "ood-dev" and r[2]]
            wrong = [confidence_of(r[4], k) for r in mine if r[0] != "ood-dev" and not r[2] and not r[3]]
            ood = [0.0 if r[3] else confidence_of(r[4], k) for r in mine if r[0] == "ood-dev"]
            t = threshold_at(right)
            print(f"| {'every token' if k is None else f'the {k} least probable'} | {lang} | {roc_auc(right, wrong):.4f} | {t} "
                  f"| {100 * np.mean(np.array(wrong) < t):.1f}% | {100 * np.mean(np.array(ood) < t):.0f}% |")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--corpus", default="data/corpus-v6")
    p.add_argument("--eval-speech", default="data/eval")
    a = p.parse_args()
    main(a.model, a.corpus, a.eval_speech)
