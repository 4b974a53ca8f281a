"""Each language's confidence threshold chosen on dev alone and on dev + dev-kokoro, applied to one model's saved
clip outputs of every clean split: the share of correct translations each flags, and of out-of-domain clips.

The threshold is compress.robustness's (`threshold_at`). The outputs hold confidences rounded to 4 places,
so "dev alone" can differ from the manifest's value in the last digit.

    python experiments/thresholds-on-outputs.py OUTPUTS.jsonl [MORE.jsonl …]   (`compress robustness --outputs`)
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.robustness import threshold_at  # noqa: E402

SPLITS = ("dev", "dev-kokoro", "test", "test-kokoro", "new-combination", "held-out-engine")


def main(paths):
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]

    def clips(split):  # a clip given in several files counts once
        return list({r["clip"]: r for r in rows if r["split"] == split and r["condition"] == "clean"}.values())

    for lang in ("de", "zh"):
        correct = {s: [r[lang]["confidence"] for r in clips(s) if r[lang]["right"]] for s in SPLITS}
        for method, t in (("dev alone", threshold_at(correct["dev"])),
                          ("dev + dev-kokoro", threshold_at(correct["dev"] + correct["dev-kokoro"]))):
            shares = [f"{s} {100 * np.mean([c < t for c in correct[s]]):.2f}%" for s in SPLITS if correct[s]]
            for s in ("ood-dev", "ood"):
                ood = clips(s)
                if ood:
                    shares.append(f"{s} flagged {100 * np.mean([r[lang]['text'] == '' or r[lang]['confidence'] < t for r in ood]):.2f}%")
            print(f"{lang} {method}: threshold {t}; correct translations flagged: " + ", ".join(shares))


if __name__ == "__main__":
    main(sys.argv[1:])
