"""A confidence discounted by the rerank's misses, tried on saved clip outputs (`compress robustness --outputs`) of
the choice splits: for each weight a, the confidence times e^(-a) per miss of the translation against the clip's
transcript (rerank.Reranker.misses), thresholds chosen by `compress robustness`'s rule (the lowest over dev,
dev-kokoro and v1-dev of `threshold_at` on the correct translations), and the share of correct and of wrong
translations each flags, and of ood-dev. Also the transcript's own confidence to the power b multiplied in, the
other signal at hand. The outputs hold confidences rounded to 4 places.

    python experiments/miss-confidence.py runs/rr/choice.jsonl --model public/models/phrasebook-student
"""
import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.prompt import LANGS  # noqa: E402
from compress.rerank import Reranker  # noqa: E402
from compress.robustness import CHOICE_SPLITS, threshold_at  # noqa: E402


def report(rows, lang, name, confidence):
    threshold = min(threshold_at([confidence(r) for r in rows if r["split"] == s and r[lang]["right"]]) for s in CHOICE_SPLITS)
    cells = []
    for s in CHOICE_SPLITS:
        clips = [r for r in rows if r["split"] == s]
        right = [confidence(r) < threshold for r in clips if r[lang]["right"]]
        wrong = [confidence(r) < threshold for r in clips if not r[lang]["right"] and r[lang]["text"]]
        cells.append(f"{s} correct {100 * np.mean(right):.2f}% wrong {100 * np.mean(wrong):.1f}%")
    ood = [r[lang]["text"] == "" or confidence(r) < threshold for r in rows if r["split"] == "ood-dev"]
    print(f"{lang} {name}: threshold {threshold:.4f}; flagged: " + ", ".join(cells) + f", ood-dev {100 * np.mean(ood):.1f}%")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outputs", nargs="+")
    ap.add_argument("--model", required=True, help="the folder whose rerank.json counts the misses")
    ap.add_argument("--weights", type=float, nargs="+", default=[0, 0.05, 0.1, 0.2, 0.3])
    ap.add_argument("--heard-powers", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    args = ap.parse_args()
    reranker = Reranker.load(args.model)
    rows = [json.loads(line) for path in args.outputs for line in open(path, encoding="utf-8")]
    rows = [r for r in rows if r["condition"] == "clean"]
    for lang in LANGS:
        misses = {id(r): reranker.misses(lang, r[lang]["text"], r["transcribe"]["text"]) for r in rows}
        for a in args.weights:
            report(rows, lang, f"a {a:g}", lambda r: r[lang]["confidence"] * math.exp(-a * misses[id(r)]))
        for b in args.heard_powers:
            report(rows, lang, f"a 0.05, heard^{b:g}", lambda r: r[lang]["confidence"] * math.exp(-0.05 * misses[id(r)])
                   * max(r["transcribe"]["confidence"], 1e-9) ** b)


if __name__ == "__main__":
    main()
