"""Generate the phrasebook from its templates, keep training away from the evaluation splits, and write it out.

The evaluation splits are frozen files (frozen/README.md), so that the grammar can grow without moving
them and every score stays comparable: v2-dev and v2-new-combination were drawn from the grammar of
2026-12-06 (seed 0), v1-test and v1-dev from the first phrasebook. Rules (tests/test_phrasebook.py):
- No training example says an evaluation sentence in any language (compared normalised).
- Held-out slot combinations never occur in training: a slot value with one template
  ("template_value": e.g. re.order never orders two bottles of beer) or two slot values together in
  any template ("value_pair": e.g. city=vienna with when=tomorrow). Each part of one is trained.
- Every word (English/German word, Chinese character, digit) of dev and new-combination occurs in
  the enumerated training examples.
"""
import itertools
import json
import random
import re
from pathlib import Path

from ..metrics import normalised
from .templates import TEMPLATES, TOPICS
from .variation import PERSONS, with_person

TEMPLATE_BY_ID = {t.id: t for t in TEMPLATES}
PERSON_SHARE = 0.2  # of first-person sentences, also enumerated with another person (variation.py)

WORD_RE = {
    "en": re.compile(r"[^\W\d_]+|\d"),
    "de": re.compile(r"[^\W\d_]+|\d"),
    "zh": re.compile(r"[\u3400-\u9fff]|[^\W\d_]+|\d"),
}


def words(text: str, lang: str) -> list[str]:
    """Words as a model sees them: letters-only words, single digits, and single Chinese characters."""
    return WORD_RE[lang].findall(text)


def example_id(template_id: str, slots: dict) -> str:
    return template_id + ":" + ",".join(f"{k}={v}" for k, v in slots.items())


def generate_corpus(seed: int = 0) -> list[dict]:
    """Every template's fillings (a seeded sample where a template has more than its limit), first
    English wins; a seeded share of the first-person ones also with another person ("person" slot),
    so that the splits can hold a person out of a frame."""
    examples, seen = [], set()
    person_rng = random.Random(f"{seed}:persons")
    for t in TEMPLATES:
        names = list(t.slots)
        rows = []
        for combo in itertools.product(*(t.slots[name] for name in names)):
            slots = {name: value for name, value in zip(names, combo) if value is not None}
            rendered = t.render(dict(zip(names, combo)))
            if rendered is not None:
                rows.append((slots, rendered))
        if t.limit is not None and len(rows) > t.limit:
            keep = sorted(random.Random(f"{seed}:{t.id}").sample(range(len(rows)), t.limit))
            rows = [rows[i] for i in keep]
        for slots, texts in list(rows):
            if person_rng.random() < PERSON_SHARE and with_person(*texts, "we") is not None:
                person = person_rng.choice(list(PERSONS))
                rows.append((slots | {"person": person}, with_person(*texts, person)))
        for slots, (en, de, zh) in rows:
            if en in seen:
                continue
            seen.add(en)
            examples.append({"id": example_id(t.id, slots), "topic": t.topic, "template": t.id, "slots": slots,
                             "en": en, "de": de, "zh": zh})
    return examples


def combo_matches(combo: dict, ex: dict) -> bool:
    if combo["kind"] == "template_value":
        return ex["template"] == combo["template"] and ex["slots"].get(combo["slot"]) == combo["value"]
    return all(ex["slots"].get(slot) == value for slot, value in combo["slots"].items())


def reserved_strings(*example_lists) -> set:
    """Every en/de/zh string of evaluation examples (and their canonical English), normalised, so
    that case, spacing or punctuation cannot smuggle one into training."""
    out = set()
    for ex in itertools.chain(*example_lists):
        for key in ("en", "de", "zh", "canonical_en"):
            if ex.get(key):
                out.add(normalised(ex[key]))
    return out


def canonical_texts(ex: dict) -> tuple[str, str, str] | None:
    """What the grammar renders for an example's template, slots and person: the canonical form of a
    spoken dev sentence (None when the grammar no longer renders it)."""
    template = TEMPLATE_BY_ID[ex["template"]]
    texts = template.render({slot: ex["slots"].get(slot) for slot in template.slots})
    if texts is not None and "person" in ex["slots"]:
        texts = with_person(*texts, ex["slots"]["person"])
    return texts


def training_examples(examples: list[dict], reserved: set, held_out: list[dict]) -> list[dict]:
    """The enumerated examples training may see: none that says an evaluation sentence in any
    language, none from a held-out combination."""
    # Indexed by slot value (keys compare like combo_matches' ==): 33,000 examples against 536
    # combinations one by one take half a minute.
    one_template = {(c["template"], c["slot"], c["value"]) for c in held_out if c["kind"] == "template_value"}
    pairs = {}
    for c in held_out:
        if c["kind"] == "value_pair":
            for item in c["slots"].items():
                pairs.setdefault(item, []).append(c)

    def held(ex):
        items = list(ex["slots"].items())
        return (any((ex["template"], *item) in one_template for item in items)
                or any(combo_matches(c, ex) for item in items for c in pairs.get(item, ())))

    return [ex for ex in examples
            if not any(normalised(ex[lang]) in reserved for lang in ("en", "de", "zh")) and not held(ex)]


def corpus_stats(splits: dict, held_out: list[dict], seed: int) -> dict:
    """Topics and vocabulary of the enumerated training examples and the grammar's evaluation splits (dev,
    new-combination), and the held-out combinations with how many examples each split has of them."""
    names = ("train", "dev", "new-combination")
    stats = {"seed": seed, "topics": {}, "vocabulary": {}, "avg_words": {}, "held_out": held_out}
    for name in names:
        stats["topics"][name] = {topic: sum(ex["topic"] == topic for ex in splits[name]) for topic in TOPICS}
    stats["held_out_examples"] = {
        name: sum(any(combo_matches(c, ex) for c in held_out if c["split"] == split) for ex in splits[name])
        for name, split in (("dev", "dev"), ("new-combination", "test"))
    }
    everything = [ex for name in names for ex in splits[name]]
    for lang in ("en", "de", "zh"):
        vocab = {w for ex in everything for w in words(ex[lang], lang)}
        stats["vocabulary"][lang] = len(vocab)
        stats["avg_words"][lang] = round(sum(len(words(ex[lang], lang)) for ex in everything) / len(everything), 2)
    stats["vocabulary_units"] = "English and German: words and single digits; Chinese: characters and single digits"
    stats["templates"] = len({ex["template"] for ex in everything})
    return stats


def english_coverage(training: list[dict], rows: list[dict]) -> dict:
    """How much of a hand-written dev split's English the training sentences contain: the share of its
    words that training ever says, and how many of its sentences have no word training lacks. A growing
    grammar is steered by this on dev only; the test splits are never looked at."""
    known = {w.lower() for ex in training for w in words(ex["en"], "en")}
    sentences = [[w.lower() for w in words(ex["en"], "en")] for ex in rows]
    tokens = [w for sentence in sentences for w in sentence]
    if not tokens:
        raise ValueError("english_coverage of a split with no English words")
    return {"words_known_pct": round(100 * sum(w in known for w in tokens) / len(tokens), 1),
            "sentences_all_known": sum(all(w in known for w in sentence) for sentence in sentences),
            "sentences": len(rows), "training_word_types": len(known)}


FROZEN = Path(__file__).parent / "frozen"
HANDWRITTEN = Path(__file__).parent / "handwritten"
# Hand-written splits (handwritten/README.md) copied into the corpus folder under these names.
HANDWRITTEN_SPLITS = {"paraphrase": "paraphrase-test", "paraphrase-dev": "paraphrase-dev", "ood": "ood-test",
                      "ood-dev": "ood-dev", "ood-train": "ood-train"}


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def evaluation_splits(seed: int = 0) -> dict:
    """Every split that training must not see, by name, the enumerated training examples ("train"), and
    the held-out combinations training must not draw.

    dev: 500 sentences (179 from held-out combinations), spoken like training; choices are made on it.
    new-combination: 600 canonical sentences, 478 from held-out combinations. test and v1-dev: the first
    phrasebook's, whose held-out combinations stay held out too. The hand-written splits. Reserved for
    evaluation: every string of these, and dev's canonical German and Chinese (its files hold the spoken
    ones, with an opener or another currency).
    """
    out = {
        "dev": read_jsonl(FROZEN / "v2-dev.jsonl"),
        "new-combination": read_jsonl(FROZEN / "v2-new-combination.jsonl"),
        "test": read_jsonl(FROZEN / "v1-test.jsonl"),
        "v1-dev": read_jsonl(FROZEN / "v1-dev.jsonl"),
    }
    for name, stem in HANDWRITTEN_SPLITS.items():
        if (HANDWRITTEN / f"{stem}.jsonl").is_file():
            out[name] = read_jsonl(HANDWRITTEN / f"{stem}.jsonl")
    v2_held_out = json.loads((FROZEN / "v2-held-out.json").read_text(encoding="utf-8"))
    held_out = v2_held_out + json.loads((FROZEN / "v1-held-out.json").read_text(encoding="utf-8"))
    reserved = reserved_strings(*(rows for name, rows in out.items() if name not in ("train", "ood-train")))
    reserved |= {normalised(text) for ex in out["dev"] for text in canonical_texts(ex) or ()}
    out["train"] = training_examples(generate_corpus(seed), reserved, held_out)
    return {"splits": out, "held_out": held_out, "v2_held_out": v2_held_out, "reserved": reserved}


def write_corpus(out_dir, seed: int = 0, epochs: int = 0, epoch_size: int = 40000, log=print,
                 canonical_share: float = 0.0, to_the_hour_share: float = 0.0, word_share: float = 0.0,
                 word_swap_share: float = 0.0) -> dict:
    """Write every split as <name>.jsonl, `epochs` freshly sampled training sets train-e<k>.jsonl
    (`canonical_share` of each the canonical sentences, `to_the_hour_share` clock times past the half
    hour, `word_share` or `word_swap_share` built around a word drawn uniformly: sample_epoch), and
    stats.json under out_dir;
    returns the stats. Resumable: existing epochs are kept, so they must have been sampled alike."""
    from ..errors import ToolkitError
    from .sampler import sample_epoch, word_hearing

    if word_share and word_swap_share:
        raise ToolkitError("--word-share and --word-swap-share are two ways of the same thing: give one")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # How the epochs here are sampled, written before the first one, so that a resumed run (the
    # interrupted one included) cannot add epochs sampled otherwise. Folders from before this file
    # have shares of 0.
    shares = {"canonical_share": canonical_share, "to_the_hour_share": to_the_hour_share, "word_share": word_share,
              "word_swap_share": word_swap_share}
    sampling = {"seed": seed, "epoch_size": epoch_size} | shares
    sampling_path = out / "sampling.json"
    if any(out.glob("train-e*.jsonl")):
        before = dict.fromkeys(shares, 0.0) | (
            json.loads(sampling_path.read_text(encoding="utf-8")) if sampling_path.is_file() else {})
        if any(before[k] != sampling[k] for k in before):
            raise ToolkitError(f"{out} holds epochs sampled with {before}, not {sampling}: use another --out folder, or the same settings")
    if epochs:
        sampling_path.write_text(json.dumps(sampling) + "\n", encoding="utf-8")
    ev = evaluation_splits(seed)
    for name, rows in ev["splits"].items():
        write_jsonl(out / f"{name}.jsonl", rows)
    for epoch in range(epochs):
        path = out / f"train-e{epoch}.jsonl"
        if not path.exists():
            rows = sample_epoch(epoch, epoch_size, seed, ev["reserved"], ev["held_out"], **shares)
            write_jsonl(path.with_suffix(".tmp"), rows)
            path.with_suffix(".tmp").rename(path)
            log(f"sampled {path.name}: {len(rows)} examples, {len({r['en'] for r in rows})} distinct")
    stats = corpus_stats(ev["splits"], ev["v2_held_out"], seed)
    stats["sizes"] = {name: len(rows) for name, rows in ev["splits"].items()}
    stats["epochs"] = {"count": epochs, "size": epoch_size} | shares
    sets = {f"train-e{k}": read_jsonl(out / f"train-e{k}.jsonl") for k in range(epochs)}
    stats["word_hearing"] = {name: word_hearing(rows) for name, rows in sets.items()}
    training = ev["splits"]["train"] + [row for rows in sets.values() for row in rows]
    stats["coverage"] = {name: english_coverage(training, ev["splits"][name])
                         for name in ("paraphrase-dev", "ood-dev") if name in ev["splits"]}
    (out / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return stats
