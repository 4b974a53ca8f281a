"""Fresh training sentences for every epoch: a random filling of a random template, spoken a random way.

`generate_corpus` enumerates each template's canonical sentences once (`train.jsonl`). Training
does not read that list: each epoch, `sample_epoch` draws new examples, so the model meets every
filler in every frame that takes it, with every person, opener, contraction, synonym and number style,
and does not see the same sentence often enough to learn it by heart. A draw is rejected when it
would leak an evaluation sentence (its canonical or spoken form in any language is reserved) or a
held-out combination (a frame × filler pair of dev, new-combination or the first phrasebook's splits).
"""
import math
import random
from collections import Counter
from dataclasses import replace

from ..metrics import normalised
from .corpus import combo_matches, example_id
from .spoken import speaking
from .templates import TEMPLATES
from .variation import PERSONS, contract, with_hesitation, with_opener, with_person, with_synonyms

# How often each kind of variation is drawn for one sentence.
P_PERSON = 0.3      # of the sentences that start with "I"
P_OPENER = 0.3      # of the questions and requests
P_HESITATION = 0.1
P_TWO_SENTENCES = 0.07
MAX_TRIES = 200


def _fillings(template) -> int:
    return math.prod(len(values) for values in template.slots.values())


def template_weights(templates=TEMPLATES) -> list[float]:
    """A template is drawn in proportion to the square root of its fillings: big templates (every
    date × every room) still dominate less than in the enumerated corpus, small ones are not lost."""
    return [math.sqrt(min(_fillings(t), t.limit or 10**9)) for t in templates]


def to_the_hour_templates() -> list:
    """The templates with a colloquial clock slot, each keeping only its times past the half hour, which
    English (and German) say "to" the next hour while Chinese names the hour before ("five to eight" is
    七点五十五分; only a quarter to keeps it, 差一刻八点): the one time a model must work out rather than
    copy, and the one the students got wrong most (docs/results.md, v5o)."""
    late = [replace(t, slots={**t.slots, "clock": [c for c in t.slots["clock"] if int(c.split(":")[1]) > 30]})
            for t in TEMPLATES if "clock" in t.slots]
    return [t for t in late if t.slots["clock"]]


def is_word(slot: str, value) -> bool:
    """A filler that is a word or phrase of the domain ("hand", "train station", "tomorrow"): not a
    number, clock time or date (keys starting with a digit, which the model composes digit by digit
    from every number it hears) and not a template's sentence-frame choice (slot "frame")."""
    return slot != "frame" and isinstance(value, str) and not value[:1].isdigit()


def word_frames(templates=TEMPLATES) -> dict[str, list[tuple]]:
    """Every word filler and the (template, slot) places that take it: {"hand": [(he.hurts, "part"), …]}."""
    frames = {}
    for t in templates:
        for slot, values in t.slots.items():
            for value in values:
                if is_word(slot, value):
                    frames.setdefault(value, []).append((t, slot))
    return frames


def worded_templates(templates=TEMPLATES) -> set[str]:
    """Ids of the templates with a word slot; the others take only numbers, dates and clock times."""
    return {t.id for places in word_frames(templates).values() for t, _ in places}


def word_hearing(rows: list[dict]) -> dict:
    """How often a sampled set says each word filler (word_frames): the words it never says, those it says
    fewer than three times, and the median. Written to stats.json for every set, since a word heard once or
    twice is one the model will not learn."""
    heard = Counter(v for ex in rows for slot, v in ex["slots"].items() if is_word(slot, v))
    counts = sorted(heard[w] for w in word_frames())
    return {"words": len(counts), "never": sum(c == 0 for c in counts), "under_3": sum(c < 3 for c in counts),
            "median": counts[len(counts) // 2]}


def draw_canonical(rng: random.Random, template) -> tuple[dict, tuple] | None:
    """A random filling of `template` and its canonical rendering, or None if it is not a sentence."""
    filling = {name: rng.choice(values) for name, values in template.slots.items()}
    rendered = template.render(filling)
    if rendered is None:
        return None
    return filling, rendered


def draw_example(rng: random.Random, weights=None, reserved: set | None = None, held_out: list | None = None,
                 allow_join: bool = True, spoken: bool = True, pool: tuple | None = None, tries: int = MAX_TRIES) -> dict:
    """One training example: template, slots (with "person" when the subject changed), the canonical
    English it comes from, and the spoken English with its German and Chinese. `spoken=False`: the
    canonical sentence itself, as the first phrasebook had it (no person, number style, opener or join).
    `pool`: (templates, weights) to draw this sentence from instead of every template; a joined second
    sentence is drawn from every template. `tries`: draws before giving up (RuntimeError)."""
    weights = weights or template_weights()
    templates, drawn_weights = pool or (TEMPLATES, weights)
    reserved = reserved or set()
    for _ in range(tries):
        template = rng.choices(templates, weights=drawn_weights)[0]
        drawn = draw_canonical(rng, template)
        if drawn is None:
            continue
        filling, canonical = drawn
        slots = {k: v for k, v in filling.items() if v is not None}
        person = None
        if spoken and rng.random() < P_PERSON and with_person(*canonical, "we") is not None:
            person = rng.choice(list(PERSONS))
            canonical = with_person(*canonical, person)
            slots["person"] = person
        if any(normalised(text) in reserved for text in canonical):
            continue
        ex = {"id": example_id(template.id, slots), "topic": template.topic, "template": template.id, "slots": slots}
        if held_out and any(combo_matches(c, ex) for c in held_out):
            continue
        if not spoken:
            return ex | {"canonical_en": canonical[0], "en": canonical[0], "de": canonical[1], "zh": canonical[2]}
        # The spoken form: the same filling rendered with the number styles and currencies drawn.
        with speaking(rng):
            en, de, zh = template.render(filling)
        if person:
            personal = with_person(en, de, zh, person)
            if personal is None:
                continue
            en, de, zh = personal
        en, de, zh = speak(rng, en, de, zh)
        if allow_join and rng.random() < P_TWO_SENTENCES:
            other = draw_example(rng, weights, reserved, held_out, allow_join=False)
            first, second = (ex | {"en": en, "de": de, "zh": zh}), other
            if rng.random() < 0.5:
                first, second = second, first
            en, de, zh = (f"{first['en']} {second['en']}", f"{first['de']} {second['de']}", first["zh"] + second["zh"])
            ex["joined"] = other["id"]
        if any(normalised(text) in reserved for text in (en, de, zh)):
            continue
        return ex | {"canonical_en": canonical[0], "en": en, "de": de, "zh": zh}
    raise RuntimeError(f"no admissible example in {tries} draws: are most sentences reserved?")


def draw_word_example(rng: random.Random, words: list, frames: dict, weights, reserved, held_out, spoken: bool) -> dict:
    """An example built around one word: a word filler drawn uniformly, then one of the frames that take it,
    that slot fixed to it and the others drawn as usual. A frame whose every filling with the word is
    reserved or held out (a held-out frame × filler pair) gives up after a few draws and another word is drawn.
    `words`: sorted(frames), made once per set rather than once per draw."""
    for _ in range(MAX_TRIES):
        word = rng.choice(words)
        template, slot = rng.choice(frames[word])
        fixed = replace(template, slots={**template.slots, slot: [word]})
        try:
            return draw_example(rng, weights, reserved, held_out, spoken=spoken, pool=([fixed], [1.0]), tries=20)
        except RuntimeError:
            continue
    raise RuntimeError(f"no admissible example around {MAX_TRIES} words drawn: are most sentences reserved?")


def draw_sparing_numbers(rng: random.Random, words: list, frames: dict, worded: set, weights, reserved, held_out,
                         spoken: bool, share: float) -> dict:
    """An ordinary draw, swapped `share` of the time for one built around a word (draw_word_example) when its
    template has a word slot (`worded`): the templates without one keep exactly their share of the set."""
    ex = draw_example(rng, weights, reserved, held_out, spoken=spoken)
    if ex["template"] in worded and rng.random() < share:
        return draw_word_example(rng, words, frames, weights, reserved, held_out, spoken)
    return ex


def speak(rng: random.Random, en: str, de: str, zh: str) -> tuple[str, str, str]:
    """Opener, synonyms, contractions and hesitations, each drawn with its probability."""
    if rng.random() < P_OPENER:
        en, de, zh = with_opener(en, de, zh, rng) or (en, de, zh)
    en = contract(with_synonyms(en, rng), rng)
    if rng.random() < P_HESITATION:
        en = with_hesitation(en, rng)
    return en, de, zh


def sample_epoch(epoch: int, n: int, seed: int = 0, reserved: set | None = None, held_out: list | None = None,
                 canonical_share: float = 0.0, to_the_hour_share: float = 0.0, word_share: float = 0.0,
                 word_swap_share: float = 0.0) -> list[dict]:
    """`n` examples for one epoch, from a generator seeded by (seed, epoch); ids are unique per epoch.

    `canonical_share`: this share of the examples (drawn per example) is the canonical sentence, as
    the first phrasebook spoke it: replay for a model fine-tuned from one trained on that phrasebook,
    whose frame × filler pairs the spoken variation otherwise dilutes (docs/results.md, v2b).
    `to_the_hour_share`: this share (drawn per example, independently) is a clock time past the half
    hour (to_the_hour_templates), on top of those the templates draw anyway (about 3%).
    `word_share`: this share (of the draws that are not to-the-hour ones) is built around a word filler drawn
    uniformly (draw_word_example). Drawing templates in proportion to their size hears each word rarely
    (a 10,000-sentence set said "hand" twice and "head" never: docs/results.md, v5t), so the model learns a
    frame's few fillers by heart instead of the words. The 21 templates with no word slot (numbers, dates and
    clock times only) are drawn by the rest of the set alone, so a share of 0.5 draws them about 40% less
    often, and a model trained on such a set lost numbers there (docs/results.md, v5t).
    `word_swap_share`: word draws that spare those templates: an example is drawn as usual, and when its
    template has a word slot, this share of such draws is built around a word instead; the number, date and
    clock templates keep their share of the set. With shares of 0 the draws are exactly those without the options."""
    for name, value in (("canonical_share", canonical_share), ("to_the_hour_share", to_the_hour_share),
                        ("word_share", word_share), ("word_swap_share", word_swap_share)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be within [0, 1], got {value}")
    if word_share and word_swap_share:
        raise ValueError("word_share and word_swap_share are two ways of the same thing: give one")
    rng = random.Random(f"epoch:{seed}:{epoch}")
    weights = template_weights()
    late = to_the_hour_templates()
    late_pool = (late, template_weights(late))
    frames = word_frames() if word_share or word_swap_share else {}
    words = sorted(frames)
    worded = worded_templates() if word_swap_share else set()
    out, counts = [], Counter()
    for _ in range(n):
        spoken = not (canonical_share > 0 and rng.random() < canonical_share)
        to_the_hour = to_the_hour_share > 0 and rng.random() < to_the_hour_share
        if not to_the_hour and word_share > 0 and rng.random() < word_share:
            ex = draw_word_example(rng, words, frames, weights, reserved, held_out, spoken)
        elif not to_the_hour and word_swap_share > 0:
            ex = draw_sparing_numbers(rng, words, frames, worded, weights, reserved, held_out, spoken, word_swap_share)
        else:
            ex = draw_example(rng, weights, reserved, held_out, spoken=spoken, pool=late_pool if to_the_hour else None)
        counts[ex["id"]] += 1
        out.append(ex | {"id": f"e{epoch}:{ex['id']}#{counts[ex['id']]}"})
    return out
