"""Train on sampled sets already spoken for earlier grammars, beside today's: a corpus folder and a speech
folder whose train-e1, train-e2, … are those sets, renumbered.

Speaking 10,000 sentences takes ~22 minutes of this 2-core VM; the sets spoken for v3 (data/corpus-replay)
and v4 (data/corpus-v4) are 20,000 more clips of the same kind. Their sentences were drawn from older
versions of the grammar, so each row is checked against today's evaluation splits (no reserved string, no
held-out combination: what the sampler itself enforces) and dropped if it fails, and a row whose English
today's corpus also has, with other targets, takes today's (the grammar has since fixed a few translations, e.g. the
bus to Vienna is 长途汽车). Audio is not copied: the new manifests point at the old clips.

    python experiments/mix-sampled-sets.py --base data/corpus-v6 data/speech-v6 \
        --add data/corpus-v4 data/speech-v4 --add data/corpus-replay data/speech-replay \
        --corpus-out data/corpus-mix --speech-out data/speech-mix
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.dataset import read_manifest  # noqa: E402
from compress.phrasebook.corpus import combo_matches, evaluation_splits, normalised, read_jsonl, write_jsonl  # noqa: E402


def today_targets(corpus: Path) -> dict:
    """English → every (de, zh) today's corpus gives it (some sentences have several: "Bye!" → "Tschüss!"
    or "Auf Wiedersehen!"), the first one found first."""
    out = {}
    for path in [corpus / "train.jsonl", *sorted(corpus.glob("train-e*.jsonl"))]:
        for row in read_jsonl(path):
            pairs = out.setdefault(row["en"], [])
            if (row["de"], row["zh"]) not in pairs:
                pairs.append((row["de"], row["zh"]))
    return out


def link(target: Path, name: Path):
    if name.is_symlink() or name.exists():
        name.unlink()
    name.symlink_to(target.resolve())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", nargs=2, required=True, metavar=("CORPUS", "SPEECH"),
                   help="today's corpus and speech: every split of theirs is linked as it is")
    p.add_argument("--add", nargs=2, action="append", required=True, metavar=("CORPUS", "SPEECH"),
                   help="an earlier corpus and speech whose train-e0 becomes the next train-e<k>")
    p.add_argument("--corpus-out", required=True)
    p.add_argument("--speech-out", required=True)
    args = p.parse_args()

    base_corpus, base_speech = Path(args.base[0]), Path(args.base[1])
    corpus_out, speech_out = Path(args.corpus_out), Path(args.speech_out)
    corpus_out.mkdir(parents=True, exist_ok=True)
    speech_out.mkdir(parents=True, exist_ok=True)
    for f in base_corpus.glob("*.json*"):
        if not f.name.startswith("train-e"):
            link(f, corpus_out / f.name)
    spoken = sorted(d.name for d in base_speech.iterdir() if (d / "summary.json").is_file())
    for split in spoken:  # only complete sets: a set still being spoken would end the mix's numbering early
        link(base_speech / split, speech_out / split)
        if split.startswith("train-e"):
            link(base_corpus / f"{split}.jsonl", corpus_out / f"{split}.jsonl")
    k = 1 + max(int(s[len("train-e"):]) for s in spoken if s.startswith("train-e"))

    ev = evaluation_splits(0)
    targets = today_targets(base_corpus)
    report = {}
    for corpus, speech in args.add:
        corpus, speech, name = Path(corpus), Path(speech), f"train-e{k}"
        rows, kept, dropped, retargeted = read_jsonl(corpus / "train-e0.jsonl"), {}, 0, 0
        for row in rows:
            strings = (row.get(key) for key in ("en", "de", "zh", "canonical_en"))
            if any(s and normalised(s) in ev["reserved"] for s in strings) or any(combo_matches(c, row) for c in ev["held_out"]):
                dropped += 1
                continue
            if row["en"] in targets and (row["de"], row["zh"]) not in targets[row["en"]]:
                row = {**row, "de": targets[row["en"]][0][0], "zh": targets[row["en"]][0][1]}
                retargeted += 1
            kept[row["id"]] = {**row, "id": f"e{k}/{row['id']}"}  # ids stay unique across the mix
        write_jsonl(corpus_out / f"{name}.jsonl", kept.values())
        clips = []
        for clip in read_manifest(speech / "train-e0" / "manifest.jsonl"):
            if clip["sentence_id"] in kept:
                clips.append({**clip, "split": name, "sentence_id": kept[clip["sentence_id"]]["id"],
                              "path": str((speech / "train-e0" / clip["path"]).resolve())})
        (speech_out / name).mkdir(exist_ok=True)
        write_jsonl(speech_out / name / "manifest.jsonl", clips)
        (speech_out / name / "summary.json").write_text(json.dumps({"from": str(speech / "train-e0"), "clips": len(clips)}) + "\n")
        report[name] = {"from": str(corpus / "train-e0.jsonl"), "rows": len(rows), "dropped_as_evaluation": dropped,
                        "given_todays_targets": retargeted, "clips": len(clips)}
        k += 1
    (corpus_out / "mix.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
