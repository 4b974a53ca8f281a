"""Two models' per-clip outputs (`compress robustness --outputs`) on one split, side by side.

Prints, per task, how many clips each model alone gets right, with McNemar's exact p (and of the clock times said "to" the hour,
and of the clips whose template has only number, date and clock slots, how many each gets right), which
templates the second loses most,
and every clip the first gets right and the second does not (its English, both outputs, and whether the
second's own transcript heard it right), so a candidate's regressions can be read rather than guessed.
With --corpus (the folder with <split>.jsonl), also each model's chrF (chrF++ for German) and whether the
difference is more than resampling noise: sacreBLEU's paired bootstrap (1,000 resamples, its fixed seed).
With --speech (the split's spoken folder), also each model's accuracy per speaker: whether a difference
belongs to one voice.

    python experiments/compare-outputs.py SHIPPED.jsonl CANDIDATE.jsonl --split v1-dev --task zh [--corpus data/corpus-v6] [--speech data/eval/v1-dev]
"""
import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.phrasebook.sampler import worded_templates  # noqa: E402
from compress.phrasebook.templates import TEMPLATES  # noqa: E402
from compress.robustness import SPEECH_OF  # noqa: E402

# A clock time said "to" the hour ("five to eight" = 7:55): the one phrase whose Chinese hour (七点) is not
# the spoken one, counted apart because every retrained candidate converts it with the spoken hour.
TO_THE_HOUR = re.compile(r"\bto (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b")
# The templates whose slots take only numbers, dates and clock times: a word share draws them less
# (docs/results.md, v5t), so their clips are counted apart.
WORDLESS = {t.id for t in TEMPLATES} - worded_templates()


def load(path, split, condition):
    rows = (json.loads(line) for line in open(path, encoding="utf-8"))
    return {r["clip"]: r for r in rows if r["split"] == split and r["condition"] == condition}


def paired_bootstrap(a: dict, b: dict, references: dict, task: str) -> str:
    from sacrebleu.metrics import CHRF
    from sacrebleu.significance import PairedTest

    keys = sorted(a)
    systems = [(name, [rows[k][task]["text"] for k in keys]) for name, rows in (("first", a), ("second", b))]
    refs = [references[a[k]["sentence"]][task] for k in keys]
    metric = CHRF(word_order=2 if task == "de" else 0)
    _, scores = PairedTest(systems, {"chrf": metric}, [refs], test_type="bs", n_samples=1000)()
    # beside "System", one list per metric, keyed by sacreBLEU's name for it ("chrF2++"), in system order
    first, second = next(v for k, v in scores.items() if k != "System")
    return (f"chrF {first.score:.2f} / {second.score:.2f} (second {second.score - first.score:+.2f}; "
            f"second's chrF ±{second.ci:.2f} over the resamples (95%); paired bootstrap p = {second.p_value:.4f})")


def mcnemar(only_first: int, only_second: int) -> float:
    """McNemar's exact test on the clips only one model gets right: a two-sided binomial test at 1/2 (scipy)."""
    from scipy.stats import binomtest

    n = only_first + only_second
    return binomtest(only_first, n, 0.5).pvalue if n else 1.0


def print_by_speaker(a: dict, b: dict, tasks: list, manifest: Path):
    if not manifest.is_file():
        raise SystemExit(f"{manifest} not found: --speech is the split's spoken folder")
    # An outputs row names its clip by the WAV's file name.
    speaker = {Path(r["path"]).stem: r["speaker"] for r in map(json.loads, open(manifest, encoding="utf-8"))}
    unknown = set(a) - set(speaker)
    if unknown:
        raise SystemExit(f"{len(unknown)} clips of the outputs are not in {manifest}, e.g. {sorted(unknown)[0]!r}")
    print("accuracy per speaker, first → second:")
    for name in sorted(set(speaker[k] for k in a)):
        keys = [k for k in a if speaker[k] == name]
        print(f"  {name}: {len(keys)} clips; " + ", ".join(
            f"{t} {100 * sum(a[k][t]['right'] for k in keys) / len(keys):.1f} → "
            f"{100 * sum(b[k][t]['right'] for k in keys) / len(keys):.1f}%" for t in tasks))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", help="outputs of the reference model (e.g. the shipped one)")
    ap.add_argument("second", help="outputs of the candidate")
    ap.add_argument("--split", required=True)
    ap.add_argument("--condition", default="clean")
    ap.add_argument("--task", default="zh", choices=["de", "zh", "transcribe"],
                    help="the task whose losses are listed clip by clip")
    ap.add_argument("--corpus", help="folder with <split>.jsonl (the references): also chrF and a paired bootstrap")
    ap.add_argument("--speech", help="the split's spoken folder (manifest.jsonl): also accuracy per speaker")
    args = ap.parse_args()
    a, b = load(args.first, args.split, args.condition), load(args.second, args.split, args.condition)
    if set(a) != set(b):
        raise SystemExit(f"the two files hold different clips of {args.split}/{args.condition}: "
                         f"{len(a)} against {len(b)}")
    if not a:
        raise SystemExit(f"no clip of {args.split}/{args.condition} in {args.first}")
    row_a, row_b = next(iter(a.values())), next(iter(b.values()))  # every row of a file holds the same tasks
    heard = "transcribe" in row_b
    tasks = [t for t in ("de", "zh", "transcribe") if t in row_a and t in row_b]
    references = None
    if args.corpus:
        sentences = SPEECH_OF.get(args.split, (args.split,))[0]  # dev-kokoro says dev's sentences
        path = Path(args.corpus) / f"{sentences}.jsonl"
        if not path.is_file():
            raise SystemExit(f"{path} not found: --corpus is the folder with the split's references")
        references = {r["id"]: r for r in map(json.loads, open(path, encoding="utf-8"))}
        missing = {r["sentence"] for r in a.values() if references.get(r["sentence"], {}).get("en") != r["en"]}
        if missing:
            raise SystemExit(f"{len(missing)} sentences of the outputs are not in {path} as spoken, "
                             f"e.g. {sorted(missing)[0]!r}: another corpus?")
    said_to = [k for k in a if TO_THE_HOUR.search(a[k]["en"])]
    wordless = [k for k in a if a[k]["sentence"].split(":")[0] in WORDLESS]
    for task in tasks:
        only_a = [k for k in a if a[k][task]["right"] and not b[k][task]["right"]]
        only_b = [k for k in a if b[k][task]["right"] and not a[k][task]["right"]]
        lost = collections.Counter(a[k]["sentence"].split(":")[0] for k in only_a)
        clocks = [sum(bool(TO_THE_HOUR.search(a[k]["en"])) for k in keys) for keys in (only_a, only_b)]
        print(f"{task}: right from the first only {len(only_a)}, from the second only {len(only_b)} "
              f"(McNemar's exact p = {mcnemar(len(only_a), len(only_b)):.2g}); "
              f"clock times \"to\" the hour among them {clocks[0]} / {clocks[1]}, right of all {len(said_to)} "
              f"{sum(a[k][task]['right'] for k in said_to)} / {sum(b[k][task]['right'] for k in said_to)}")
        print(f"  of the {len(wordless)} clips whose template has no word slot, right "
              f"{sum(a[k][task]['right'] for k in wordless)} / {sum(b[k][task]['right'] for k in wordless)}")
        if task != "transcribe" and references:
            print("  " + paired_bootstrap(a, b, references, task))
        if task != "transcribe" and heard:
            print(f"  of the first's {len(only_a)}, the second heard right "
                  f"{sum(b[k]['transcribe']['right'] for k in only_a)}")
        print("  templates the second loses most:", ", ".join(f"{t} {n}" for t, n in lost.most_common(10)))
    if args.speech:
        print_by_speaker(a, b, tasks, Path(args.speech) / "manifest.jsonl")
    print(f"\n{args.task}: right from the first only (English | first | second | second heard it right)")
    for k in a:
        if a[k][args.task]["right"] and not b[k][args.task]["right"]:
            print(" ", a[k]["en"], "|", a[k][args.task]["text"], "|", b[k][args.task]["text"],
                  "|", b[k]["transcribe"]["right"] if heard else "n/a")


if __name__ == "__main__":
    main()
