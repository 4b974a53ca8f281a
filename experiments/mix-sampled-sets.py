"""Train on sampled sets already spoken for earlier grammars, beside today's: a corpus folder and a speech
folder whose train-e1, train-e2, … are those sets, renumbered.

Speaking 10,000 sentences takes 18-22 minutes of this 2-core VM; the sets spoken for v3 (data/corpus-replay)
and v4 (data/corpus-v4) are 20,000 more clips of the same kind. Their sentences were drawn from older
versions of the grammar, so each row is checked against today's evaluation splits as the sampler checks
a draw (no reserved string among its texts or the canonical texts today's grammar gives its sentence and
a joined second one, no held-out combination in either) and dropped if it fails. A row whose English today's corpus translates otherwise takes today's targets (the grammar has
since fixed a few translations, e.g. the bus to Vienna is 长途汽车); the other rows keep their grammar's.
Only complete sets of the base are taken. Audio is not copied: the new manifests point at the old clips.

    python experiments/mix-sampled-sets.py --base data/corpus-v6 data/speech-v6 \
        --add data/corpus-v4 data/speech-v4 --add data/corpus-replay data/speech-replay \
        --corpus-out data/corpus-mix --speech-out data/speech-mix
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.dataset import read_manifest  # noqa: E402
from compress.phrasebook.corpus import (TEMPLATE_BY_ID, canonical_texts, combo_matches, evaluation_splits,  # noqa: E402
                                        normalised, read_jsonl, write_jsonl)


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


def example_of(example_id: str) -> dict:
    """{template, slots} of a sampled id ("e0:sh.count_price:item=stamp,count=3,price=19.50#1"; a joined
    sentence's id has no "e0:" and no "#1"), numbers typed as the rows' slots are."""
    body = re.sub(r"#\d+$", "", re.sub(r"^e\d+:", "", example_id))
    name, _, rest = body.partition(":")
    pairs = (pair.partition("=") for pair in filter(None, rest.split(",")))
    return {"template": name, "slots": {k: int(v) if re.fullmatch(r"-?\d+", v) else v for k, _, v in pairs}}


def todays_canonical(part: dict) -> tuple | None:
    """The canonical texts today's grammar gives a sentence, None when its template or a slot value has
    changed since (the old row's own texts are still checked)."""
    template = TEMPLATE_BY_ID.get(part["template"])
    if template is None or any(k != "person" and str(v) not in {str(x) for x in template.slots.get(k, [])}
                               for k, v in part["slots"].items()):
        return None
    return canonical_texts(part)


def admissible(row: dict, reserved: set, held_out: list) -> bool:
    """What the sampler asks of a draw (compress/phrasebook/sampler.py), of an old row: no reserved string
    among its texts and the canonical texts of its sentences, no held-out combination in either."""
    parts = [{"template": row["template"], "slots": row["slots"]}] + ([example_of(row["joined"])] if row.get("joined") else [])
    texts = [row.get(key) for key in ("en", "de", "zh", "canonical_en")]
    for part in parts:
        texts += todays_canonical(part) or []
    return not any(t and normalised(t) in reserved for t in texts) and not any(
        combo_matches(c, part) for c in held_out for part in parts)


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
    for out in (corpus_out, speech_out):  # links into the base folders must never be written through
        if out.exists() and any(out.iterdir()):
            sys.exit(f"{out} is not empty: give a new folder")
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
    sets = [int(s[len("train-e"):]) for s in spoken if s.startswith("train-e")]
    if not sets:
        sys.exit(f"{base_speech} has no complete sampled set (train-e<k>/summary.json)")
    k = 1 + max(sets)

    ev = evaluation_splits(0)
    targets = today_targets(base_corpus)
    report = {}
    for corpus, speech in args.add:
        corpus, speech, name = Path(corpus), Path(speech), f"train-e{k}"
        rows, kept, dropped, retargeted = read_jsonl(corpus / "train-e0.jsonl"), {}, 0, 0
        for row in rows:
            if not admissible(row, ev["reserved"], ev["held_out"]):
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
        report[name] = {"from": str(corpus / "train-e0.jsonl"), "rows": len(rows), "dropped": dropped,
                        "given_todays_targets": retargeted, "clips": len(clips)}
        k += 1
    (corpus_out / "mix.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
