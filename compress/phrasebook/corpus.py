"""Generate the phrasebook from its templates, split it, and write it out.

Split rules (all checked in tests/test_phrasebook.py):
- Examples that share an English, German or Chinese string form one group, and a group lies in one
  split, so no dev/test sentence (in any language) occurs in train.
- Some slot combinations are held out of train entirely and appear only in dev or test: a slot value
  with one template ("template_value": e.g. re.order never orders two bottles of beer in train) or two
  slot values together in any template ("value_pair": e.g. city=vienna with when=tomorrow).
- Every word (English/German word, Chinese character, digit) of dev and test occurs in train; a
  dev/test example that would break this goes back to train, and a held-out combination with such an
  example is given up.
"""
import itertools
import json
import random
import re
from collections import Counter
from pathlib import Path

from .templates import TEMPLATES, TOPICS
from .variation import PERSONS, with_person

DEV_SIZE = 500
TEST_SIZE = 600  # the new-combination split
# Share of each split drawn from held-out combinations: dev mixes them with held-out sentences of
# seen combinations; the new-combination split is nothing but held-out combinations.
HELD_OUT_SHARE = {"dev": 0.45, "test": 1.0}
MAX_COMBO_EXAMPLES = 12  # a held-out combination is small, so many of them fit
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


def _groups(examples) -> list[int]:
    """Union-find over shared sentences: group id per example."""
    parent = list(range(len(examples)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner = {}
    for i, ex in enumerate(examples):
        for lang in ("en", "de", "zh"):
            key = (lang, ex[lang])
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    return [find(i) for i in range(len(examples))]


def combo_matches(combo: dict, ex: dict) -> bool:
    if combo["kind"] == "template_value":
        return ex["template"] == combo["template"] and ex["slots"].get(combo["slot"]) == combo["value"]
    return all(ex["slots"].get(slot) == value for slot, value in combo["slots"].items())


def _candidate_combos(examples, rng):
    """Candidate held-out combinations, in a seeded order, each as (combination, indices of the examples it matches)."""
    by_template, templates_of = {}, {}
    for i, ex in enumerate(examples):
        by_template.setdefault(ex["template"], []).append(i)
        for slot, value in ex["slots"].items():
            templates_of.setdefault((slot, value), set()).add(ex["template"])
    candidates = []
    for tid, idx in by_template.items():
        slot_values = {}
        for i in idx:
            for slot, value in examples[i]["slots"].items():
                slot_values.setdefault(slot, {}).setdefault(value, []).append(i)
        if len(slot_values) < 2:
            continue  # one-slot templates: a held-out value would be a held-out sentence, nothing compositional
        for slot, by_value in slot_values.items():
            if slot == "frame" or len(by_value) < 4:
                continue
            for value, matched in by_value.items():
                # The value must be seen with other templates, so only its use with this one is new.
                if 1 <= len(matched) <= MAX_COMBO_EXAMPLES and len(templates_of[(slot, value)]) > 1:
                    candidates.append(({"kind": "template_value", "template": tid, "slot": slot, "value": value}, matched))
    # Slot-value pairs seen in some example, over every template that has both slots; a pair with
    # "frame" is a template's sentence frame with a filler it never takes in train.
    pair_index = {}
    for i, ex in enumerate(examples):
        items = sorted(ex["slots"].items(), key=lambda kv: (kv[0], str(kv[1])))
        for a, b in itertools.combinations(items, 2):
            pair_index.setdefault((a, b), []).append(i)
    for (a, b), idx in pair_index.items():
        if 1 <= len(idx) <= MAX_COMBO_EXAMPLES:
            candidates.append(({"kind": "value_pair", "slots": {a[0]: a[1], b[0]: b[1]}}, idx))
    rng.shuffle(candidates)
    return candidates


def split_corpus(examples: list[dict], seed: int = 0, dev_size: int = DEV_SIZE, test_size: int = TEST_SIZE) -> dict:
    """{"train", "dev", "test"} lists, plus "held_out": the held-out combinations with their split."""
    rng = random.Random(f"split:{seed}")
    group = _groups(examples)
    members = {}
    for i, g in enumerate(group):
        members.setdefault(g, []).append(i)
    where = {}  # group -> "dev" | "test"
    combos = []
    budget = {"dev": int(dev_size * HELD_OUT_SHARE["dev"]), "test": int(test_size * HELD_OUT_SHARE["test"])}
    used = {"dev": 0, "test": 0}
    taken_templates = Counter()

    # Held-out combinations: alternate dev and test in proportion to their budgets, at most a few per
    # template so they spread out.
    for combo, idx in _candidate_combos(examples, rng):
        split = "test" if used["test"] * budget["dev"] <= used["dev"] * budget["test"] else "dev"
        if used[split] >= budget[split]:
            split = "dev" if split == "test" else "test"
            if used[split] >= budget[split]:
                break
        tids = {examples[i]["template"] for i in idx}
        if any(taken_templates[t] >= 3 for t in tids):
            continue
        groups = {group[i] for i in idx}
        if any(where.get(g, split) != split for g in groups):
            continue
        size = sum(len(members[g]) for g in groups if g not in where)
        if used[split] + size > budget[split]:
            continue
        for g in groups:
            if g not in where:
                where[g] = split
                used[split] += len(members[g])
        taken_templates.update(tids)
        combos.append(({**combo, "split": split}, idx))

    # Random groups fill the rest; then give back whatever breaks the vocabulary rule, and refill.
    order = sorted(members)
    rng.shuffle(order)
    target = {"dev": dev_size, "test": test_size}
    banned = set()  # groups that had to go back to train
    for _ in range(20):
        for split in ("dev", "test"):
            have = sum(len(members[g]) for g, s in where.items() if s == split)
            for g in order:
                if have >= target[split]:
                    break
                if g in where or g in banned:
                    continue
                where[g] = split
                have += len(members[g])
        train_vocab = {lang: set() for lang in WORD_RE}
        for i, ex in enumerate(examples):
            if group[i] not in where:
                for lang in WORD_RE:
                    train_vocab[lang].update(words(ex[lang], lang))
        bad_groups = {group[i] for i, ex in enumerate(examples) if group[i] in where and any(
            w not in train_vocab[lang] for lang in WORD_RE for w in words(ex[lang], lang))}
        # Each part of a held-out combination must still be seen in train.
        train_slots = {(k, json.dumps(v)) for i, ex in enumerate(examples) if group[i] not in where
                       for k, v in ex["slots"].items()}
        for combo, idx in combos:
            parts = [(combo["slot"], combo["value"])] if combo["kind"] == "template_value" else combo["slots"].items()
            if any((k, json.dumps(v)) not in train_slots for k, v in parts):
                bad_groups |= {group[i] for i in idx}
        if not bad_groups:
            break
        # A held-out combination with an unknowable word is given up as a whole.
        for combo, idx in list(combos):
            if any(group[i] in bad_groups for i in idx):
                combos.remove((combo, idx))
                bad_groups |= {group[i] for i in idx}
        kept = {group[i] for _, idx in combos for i in idx}
        for g in bad_groups - kept:
            where.pop(g, None)
            banned.add(g)
    else:
        raise RuntimeError("split did not settle: dev/test words still missing from train")

    out = {"train": [], "dev": [], "test": []}
    for i, ex in enumerate(examples):
        out[where.get(group[i], "train")].append(ex)
    out["held_out"] = [combo for combo, _ in combos]
    return out


def corpus_stats(splits: dict, seed: int) -> dict:
    stats = {"seed": seed, "sizes": {}, "topics": {}, "vocabulary": {}, "avg_words": {}, "held_out": splits["held_out"]}
    for split in ("train", "dev", "test"):
        exs = splits[split]
        stats["sizes"][split] = len(exs)
        stats["topics"][split] = {topic: sum(ex["topic"] == topic for ex in exs) for topic in TOPICS}
        stats["held_out_examples"] = {
            s: sum(any(combo_matches(c, ex) for c in splits["held_out"] if c["split"] == s) for ex in splits[s])
            for s in ("dev", "test")
        }
    everything = splits["train"] + splits["dev"] + splits["test"]
    for lang in ("en", "de", "zh"):
        vocab = {w for ex in everything for w in words(ex[lang], lang)}
        stats["vocabulary"][lang] = len(vocab)
        stats["avg_words"][lang] = round(sum(len(words(ex[lang], lang)) for ex in everything) / len(everything), 2)
    stats["vocabulary_units"] = "English and German: words and single digits; Chinese: characters and single digits"
    stats["templates"] = len({ex["template"] for ex in everything})
    return stats


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
    """Every split that training must not see, by name, and the held-out combinations it must not draw.

    dev: 500 enumerated sentences (45% from held-out combinations), spoken like training; choices are
    made on it. new-combination: 600 sentences, all from held-out combinations, canonical English.
    test: the first phrasebook's test split, frozen (frozen/v1-test.jsonl) so that progress stays
    comparable; its held-out combinations stay held out too. The hand-written splits when present.
    """
    from .sampler import spoken_variant

    splits = split_corpus(generate_corpus(seed), seed)
    rng = random.Random(f"dev-speech:{seed}")
    out = {
        "train": splits["train"],
        "dev": [spoken_variant(ex, rng) for ex in splits["dev"]],
        "new-combination": splits["test"],
        "test": read_jsonl(FROZEN / "v1-test.jsonl"),
        "v1-dev": read_jsonl(FROZEN / "v1-dev.jsonl"),
    }
    for name, stem in HANDWRITTEN_SPLITS.items():
        if (HANDWRITTEN / f"{stem}.jsonl").is_file():
            out[name] = read_jsonl(HANDWRITTEN / f"{stem}.jsonl")
    held_out = splits["held_out"] + json.loads((FROZEN / "v1-held-out.json").read_text())
    return {"splits": out, "held_out": held_out, "v2": splits}


def write_corpus(out_dir, seed: int = 0, epochs: int = 0, epoch_size: int = 40000, log=print,
                 canonical_share: float = 0.0) -> dict:
    """Write every split as <name>.jsonl, `epochs` freshly sampled training sets train-e<k>.jsonl
    (`canonical_share` of each the canonical sentences: sample_epoch), and stats.json under out_dir;
    returns the stats. Resumable: existing epochs are kept, so they must have been sampled alike."""
    from ..errors import ToolkitError
    from .sampler import reserved_strings, sample_epoch

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # How the epochs here are sampled, written before the first one, so that a resumed run (the
    # interrupted one included) cannot add epochs sampled otherwise. Folders from before this file
    # have share 0.
    sampling = {"seed": seed, "epoch_size": epoch_size, "canonical_share": canonical_share}
    sampling_path = out / "sampling.json"
    if any(out.glob("train-e*.jsonl")):
        before = json.loads(sampling_path.read_text(encoding="utf-8")) if sampling_path.is_file() else {"canonical_share": 0.0}
        if any(before[k] != sampling[k] for k in before):
            raise ToolkitError(f"{out} holds epochs sampled with {before}, not {sampling}: use another --out folder, or the same settings")
    if epochs:
        sampling_path.write_text(json.dumps(sampling) + "\n", encoding="utf-8")
    ev = evaluation_splits(seed)
    for name, rows in ev["splits"].items():
        write_jsonl(out / f"{name}.jsonl", rows)
    reserved = reserved_strings(*(rows for name, rows in ev["splits"].items() if name not in ("train", "ood-train")))
    for epoch in range(epochs):
        path = out / f"train-e{epoch}.jsonl"
        if not path.exists():
            rows = sample_epoch(epoch, epoch_size, seed, reserved, ev["held_out"], canonical_share)
            write_jsonl(path.with_suffix(".tmp"), rows)
            path.with_suffix(".tmp").rename(path)
            log(f"sampled {path.name}: {len(rows)} examples, {len({r['en'] for r in rows})} distinct")
    stats = corpus_stats(ev["v2"], seed)
    stats["sizes"] = {name: len(rows) for name, rows in ev["splits"].items()}
    stats["epochs"] = {"count": epochs, "size": epoch_size, "canonical_share": canonical_share}
    (out / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return stats
