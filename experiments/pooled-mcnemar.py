"""Two models' saved clip outputs (`compress robustness --outputs`) compared clip by clip, pooled over several
split × condition cells: per task, the clips each gets right, those only one gets right, and McNemar's exact
test (compare-outputs.py's, which compares one cell at a time).

    python experiments/pooled-mcnemar.py --first runs/rr/choice-miss.jsonl runs/rr/devcond.jsonl \
        --second runs/enc/choice-v6e5.jsonl runs/enc/devcond-v6e5.jsonl --cells dev/clean dev-kokoro/clean dev/reverb
"""
import argparse
import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
mcnemar = importlib.import_module("compare-outputs").mcnemar  # its name is not an identifier


def load(paths):
    rows = {}
    for path in paths:
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            rows[(r["split"], r["condition"], r["clip"])] = r
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--first", nargs="+", required=True, help="the reference model's outputs")
    ap.add_argument("--second", nargs="+", required=True, help="the candidate's outputs")
    ap.add_argument("--cells", nargs="+", required=True, help="SPLIT/CONDITION, e.g. dev/clean")
    args = ap.parse_args()
    first, second = load(args.first), load(args.second)
    cells = {tuple(c.split("/")) for c in args.cells}
    keys = [k for k in first if k[:2] in cells and k in second]
    print(f"{len(keys)} clips in {', '.join(sorted(args.cells))}")
    for task in ("de", "zh", "transcribe"):
        a = [first[k][task]["right"] for k in keys]
        b = [second[k][task]["right"] for k in keys]
        only_a = sum(x and not y for x, y in zip(a, b))
        only_b = sum(y and not x for x, y in zip(a, b))
        print(f"  {task}: right {sum(a)} / {sum(b)}, only the first {only_a} / only the second {only_b}, "
              f"McNemar exact p = {mcnemar(only_a, only_b):.3f}")


if __name__ == "__main__":
    main()
