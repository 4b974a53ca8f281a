"""Each language's confidence threshold chosen four ways, applied to one model's saved clip outputs of every clean
split: the share of correct translations each flags, of wrong ones, and of paraphrase and out-of-domain clips.

- "dev alone, 5% point" and "dev + dev-kokoro, 5% point": the 5% point of the correct translations (numpy's "lower"
  quantile, rounded down), compress.robustness's rule until 2026-12-07, kept here to compare;
- "dev + dev-kokoro, held": `threshold_at` over both splits pooled, the highest threshold that flags at most 5% of new
  correct translations with 95% confidence (compress.robustness's rule until the next one);
- "each of dev, dev-kokoro, v1-dev, held": the lowest of `threshold_at` per split, compress.robustness's rule now.

The outputs hold confidences rounded to 4 places, so a threshold can differ from the manifest's in the last digit.

    python experiments/thresholds-on-outputs.py OUTPUTS.jsonl [MORE.jsonl …]   (`compress robustness --outputs`)
"""
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.robustness import CHOICE_SPLITS, MAX_FLAGGED_CORRECT, threshold_at  # noqa: E402

SPLITS = ("dev", "dev-kokoro", "v1-dev", "test", "test-kokoro", "new-combination", "held-out-engine")


def five_percent_point(confidences):
    return math.floor(1e4 * float(np.quantile(confidences, MAX_FLAGGED_CORRECT, method="lower"))) / 1e4


def main(paths):
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]

    def clips(split):  # a clip given in several files counts once
        return list({r["clip"]: r for r in rows if r["split"] == split and r["condition"] == "clean"}.values())

    for lang in ("de", "zh"):
        correct = {s: [r[lang]["confidence"] for r in clips(s) if r[lang]["right"]] for s in SPLITS}
        # wrong: neither right nor refused (a refusal is flagged whatever the threshold)
        wrong = {s: [r[lang]["confidence"] for r in clips(s) if not r[lang]["right"] and r[lang]["text"]] for s in SPLITS}
        choice = correct["dev"] + correct["dev-kokoro"]
        for method, t in (("dev alone, 5% point", five_percent_point(correct["dev"])),
                          ("dev + dev-kokoro, 5% point", five_percent_point(choice)),
                          ("dev + dev-kokoro, held", threshold_at(choice)),
                          ("each of dev, dev-kokoro, v1-dev, held", min(threshold_at(correct[s]) for s in CHOICE_SPLITS))):
            shares = [f"{s} {100 * np.mean([c < t for c in correct[s]]):.2f}% (wrong {100 * np.mean([c < t for c in wrong[s]]):.1f}%)"
                      for s in SPLITS if correct[s]]
            for s in ("paraphrase-dev", "paraphrase", "ood-dev", "ood"):  # speech the phrasebook does not say
                ood = clips(s)
                if ood:
                    shares.append(f"{s} flagged {100 * np.mean([r[lang]['text'] == '' or r[lang]['confidence'] < t for r in ood]):.2f}%")
            print(f"{lang} {method}: threshold {t}; correct translations flagged (and wrong ones): " + ", ".join(shares))


if __name__ == "__main__":
    main(sys.argv[1:])
