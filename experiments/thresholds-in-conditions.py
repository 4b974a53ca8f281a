"""A confidence threshold that must also hold under the conditions, against the shipped one chosen on clean speech.

The shipped rule (`compress robustness --choose-threshold`) takes, per language, the lowest over the clean choice
splits (dev, dev-kokoro, v1-dev) of `threshold_at` on their correct translations. Here the dev split's clips
under each condition (tempo, pitch, phone, reverb) join those splits as choice sets of their own, and both
thresholds are applied to saved clip outputs of other splits and conditions: the share of correct and of wrong
translations each flags, and of out-of-domain clips.

    python experiments/thresholds-in-conditions.py --choice runs/rr/choice-miss.jsonl runs/rr/devcond.jsonl \
        --apply runs/rr/testcond.jsonl runs/rr/test-miss.jsonl
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.prompt import LANGS  # noqa: E402
from compress.robustness import CHOICE_SPLITS, threshold_at  # noqa: E402


def load(paths):
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]
    return list({(r["split"], r["condition"], r["clip"]): r for r in rows}.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--choice", nargs="+", required=True, help="outputs of the clean choice splits and of dev's conditions")
    ap.add_argument("--apply", nargs="+", required=True, help="outputs to apply both thresholds to")
    args = ap.parse_args()
    choice, applied = load(args.choice), load(args.apply)
    for lang in LANGS:
        def held(sets):
            return min(threshold_at([r[lang]["confidence"] for r in choice if (r["split"], r["condition"]) == s and r[lang]["right"]]) for s in sets)

        clean = [(s, "clean") for s in CHOICE_SPLITS]
        conditions = sorted({(r["split"], r["condition"]) for r in choice if r["split"] == "dev" and r["condition"] != "clean"})
        for name, threshold in (("clean choice splits (shipped rule)", held(clean)), ("and dev under each condition", held(clean + conditions))):
            cells = []
            for split, condition in sorted({(r["split"], r["condition"]) for r in applied}):
                rows = [r for r in applied if (r["split"], r["condition"]) == (split, condition)]
                flagged = [not r[lang]["text"] or r[lang]["confidence"] < threshold for r in rows]
                if split.startswith("ood") or split.startswith("paraphrase"):
                    cells.append(f"{split}/{condition} flagged {100 * np.mean(flagged):.1f}%")
                    continue
                correct = [f for f, r in zip(flagged, rows) if r[lang]["right"]]
                wrong = [f for f, r in zip(flagged, rows) if not r[lang]["right"] and r[lang]["text"]]
                cells.append(f"{split}/{condition} correct {100 * np.mean(correct):.2f}% wrong {100 * np.mean(wrong):.1f}%")
            print(f"{lang} {name}: threshold {threshold:.4f}\n  " + "\n  ".join(cells))


if __name__ == "__main__":
    main()
