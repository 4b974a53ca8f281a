"""Surface variation (compress/phrasebook/variation.py) and the per-epoch sampler (sampler.py)."""
import random
import re
from collections import Counter

import pytest

from compress.metrics import normalised
from compress.phrasebook.corpus import combo_matches, evaluation_splits
from compress.phrasebook.numbers import clock_en, price_forms
from compress.phrasebook.sampler import (draw_word_example, is_word, sample_epoch, to_the_hour_templates, word_frames,
                                         word_hearing)
from compress.phrasebook.spoken import speaking
from compress.phrasebook.variation import _swap, contract, with_opener, with_person


@pytest.mark.parametrize("person, expected", [
    ("son", ("My son is allergic to nuts.", "Mein Sohn ist allergisch gegen Nüsse.", "我儿子对坚果过敏。")),
    ("we", ("We are allergic to nuts.", "Wir sind allergisch gegen Nüsse.", "我们对坚果过敏。")),
    ("wife_and_i", ("My wife and I are allergic to nuts.", "Meine Frau und ich sind allergisch gegen Nüsse.", "我和我妻子对坚果过敏。")),
])
def test_person_agrees_in_all_three_languages(person, expected):
    assert with_person("I am allergic to nuts.", "Ich bin allergisch gegen Nüsse.", "我对坚果过敏。", person) == expected


def test_person_verbs():
    assert with_person("I don't eat meat.", "Ich esse kein Fleisch.", "我不吃肉。", "daughter") == (
        "My daughter doesn't eat meat.", "Meine Tochter isst kein Fleisch.", "我女儿不吃肉。")
    assert with_person("I speak a little German.", "Ich spreche ein bisschen Deutsch.", "我会说一点德语。", "father") == (
        "My father speaks a little German.", "Mein Vater spricht ein bisschen Deutsch.", "我爸爸会说一点德语。")
    assert with_person("I live in Berlin.", "Ich wohne in Berlin.", "我住在柏林。", "parents") == (
        "My parents live in Berlin.", "Meine Eltern wohnen in Berlin.", "我父母住在柏林。")


def test_person_leaves_an_adverb_before_the_verb_alone():
    assert with_person("I really appreciate your help.", "Ich weiß Ihre Hilfe sehr zu schätzen.", "我很感激您的帮助。", "son") is None
    assert with_person("I appreciate your help.", "Ich weiß Ihre Hilfe zu schätzen.", "我感激您的帮助。", "son")[0] == "My son appreciates your help."


def test_person_keeps_sentences_that_refer_back_to_the_speaker():
    assert with_person("I have lost my passport.", "Ich habe meinen Pass verloren.", "我的护照丢了。", "son") is None
    assert with_person("Where is the bank?", "Wo ist die Bank?", "银行在哪里？", "son") is None


def test_opener_translates_and_keeps_capitals_where_german_needs_them():
    rng = random.Random(0)
    seen_translated = seen_hesitation = False
    for _ in range(200):
        en, de, zh = with_opener("Do you speak German?", "Sprechen Sie Deutsch?", "您会说德语吗？", rng)
        assert en.endswith(", do you speak German?")
        if de == "Sprechen Sie Deutsch?":  # a hesitation ("Um, …") is not translated
            seen_hesitation = True
            assert zh == "您会说德语吗？"
            continue
        seen_translated = True
        assert re.fullmatch(r"(Entschuldigung|Hallo|Guten Morgen|Guten Abend), sprechen Sie Deutsch\?", de), de
        assert re.fullmatch(r"(请问|不好意思|你好|早上好|晚上好)，您会说德语吗？", zh), zh
    assert seen_translated and seen_hesitation
    en, de, _ = with_opener("Munich is very beautiful?", "München ist sehr schön?", "慕尼黑很美吗？", random.Random(1))
    assert "Munich" in en and "München" in de  # names keep their capital
    assert with_opener("Hello!", "Hallo!", "你好！", rng) is None  # nothing to open


def test_contractions_and_synonyms():
    rng = random.Random(0)
    assert contract("Where is the train station?", rng, p=1.0) == "Where's the train station?"
    assert contract("I am looking for the bank.", rng, p=1.0) == "I'm looking for the bank."
    assert contract("Do you know where the bank is?", rng, p=1.0) == "Do you know where the bank is?"
    assert _swap("Is there a lift near here?", "lift", "elevator") == "Is there an elevator near here?"
    assert _swap("Is there an exit?", "exit", "way out") == "Is there a way out?"
    assert _swap("I would like a single ticket.", "single ticket", "one-way ticket") == "I would like a one-way ticket."


def test_spoken_numbers_keep_their_targets():
    rng = random.Random(0)
    with speaking(rng):
        forms = {clock_en("6:30") for _ in range(50)}
        prices = {price_forms("12.50") for _ in range(50)}
    assert forms == {"half past six", "half six", "six thirty"}
    assert clock_en("6:30") == "half past six"  # outside the sampler: the canonical form
    for en, de, zh in prices:
        unit = {"Euro": ("euro", "欧元"), "Pfund": ("pound", "英镑"), "Dollar": ("dollar", "美元")}[de.split()[-1]]
        assert de.startswith("12,50") and zh == "12.50" + unit[1]
        assert en.startswith("twelve") and (unit[0] in en or en == "twelve fifty")


@pytest.fixture(scope="module")
def evaluation():
    return evaluation_splits(0)


def test_sampled_epochs_are_fresh_and_never_leak_evaluation(evaluation):
    reserved = evaluation["reserved"]
    epoch0 = sample_epoch(0, 3000, 0, reserved, evaluation["held_out"])
    assert sample_epoch(0, 50, 0, reserved, evaluation["held_out"]) == epoch0[:50]  # seeded
    epoch1 = sample_epoch(1, 3000, 0, reserved, evaluation["held_out"])
    english0, english1 = {ex["en"] for ex in epoch0}, {ex["en"] for ex in epoch1}
    assert len(english0) > 0.95 * len(epoch0)
    assert len(english0 & english1) < 0.2 * len(english0)  # a new epoch is mostly new sentences
    assert sum(ex["en"] != ex["canonical_en"] for ex in epoch0) > 0.4 * len(epoch0)
    assert sum("person" in ex["slots"] for ex in epoch0) > 100
    for ex in epoch0:
        for key in ("en", "de", "zh", "canonical_en"):
            assert normalised(ex[key]) not in reserved, (key, ex[key])
        assert not any(combo_matches(c, ex) for c in evaluation["held_out"]), ex["id"]
        assert not re.search(r"\d", ex["en"]) and ex["zh"][-1] in "。？！" and ex["de"][-1] in ".?!"
    # Every topic and most templates are drawn.
    assert len({ex["topic"] for ex in epoch0}) == 10
    assert len({ex["template"] for ex in epoch0}) > 140


def test_canonical_share_replays_the_first_phrasebooks_sentences(evaluation):
    reserved = evaluation["reserved"]
    plain = lambda ex: ex["en"] == ex["canonical_en"] and "person" not in ex["slots"] and "joined" not in ex
    spoken = sample_epoch(0, 2000, 0, reserved, evaluation["held_out"])
    epoch = sample_epoch(0, 2000, 0, reserved, evaluation["held_out"], canonical_share=0.3)
    canonical = [ex for ex in epoch if plain(ex)]
    # A spoken draw without any variation drawn is canonical too (about 40%): 30% replay on top of those.
    base = sum(map(plain, spoken)) / len(spoken)
    assert abs(len(canonical) / len(epoch) - (base + 0.3 * (1 - base))) < 0.04
    for ex in canonical:
        assert normalised(ex["en"]) not in reserved and not any(combo_matches(c, ex) for c in evaluation["held_out"])
    # A share of 0 draws exactly what the default draws.
    assert sample_epoch(0, 50, 0, reserved, evaluation["held_out"], canonical_share=0.0) == sample_epoch(0, 50, 0, reserved, evaluation["held_out"])
    with pytest.raises(ValueError, match="canonical_share"):
        sample_epoch(0, 1, 0, canonical_share=1.5)


def test_to_the_hour_share_adds_clock_times_past_the_half_hour(evaluation):
    reserved = evaluation["reserved"]
    late = lambda ex: int(ex["slots"].get("clock", "0:00").split(":")[1]) > 30
    plain = sample_epoch(0, 2000, 0, reserved, evaluation["held_out"])
    epoch = sample_epoch(0, 2000, 0, reserved, evaluation["held_out"], to_the_hour_share=0.2)
    base = sum(map(late, plain)) / len(plain)
    assert base < 0.05
    assert abs(sum(map(late, epoch)) / len(epoch) - (base + 0.2 * (1 - base))) < 0.04
    # English (and German) say most of them "to" the next hour; Chinese names the hour before ("five to eight": 七点五十五分).
    said_to = [ex for ex in epoch if late(ex) and re.search(r"\bto (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", ex["en"])]
    assert len(said_to) > 0.1 * len(epoch)
    assert any("five to eight" in ex["en"] and "七点五十五分" in ex["zh"] and "fünf vor acht" in ex["de"] for ex in said_to)
    for ex in epoch:
        assert normalised(ex["en"]) not in reserved and not any(combo_matches(c, ex) for c in evaluation["held_out"])
    assert len({ex["template"] for ex in epoch}) > 140  # every other template is still drawn
    # Every template with a clock slot is in the pool, with its late times only.
    pool = to_the_hour_templates()
    assert {t.id for t in pool} >= {"re.reserve_at.clock", "ti.meet_at.clock", "tr.arrives_at.clock"}
    assert all(int(c.split(":")[1]) > 30 for t in pool for c in t.slots["clock"])
    assert sample_epoch(0, 50, 0, reserved, evaluation["held_out"], to_the_hour_share=0.0) == plain[:50]
    with pytest.raises(ValueError, match="to_the_hour_share must be within"):
        sample_epoch(0, 1, 0, to_the_hour_share=-0.1)


def test_word_share_hears_every_word_more_evenly(evaluation):
    reserved, held_out = evaluation["reserved"], evaluation["held_out"]
    frames = word_frames()
    # Words, not numbers, dates, clock times or a template's frame choice.
    assert {"hand", "station", "tomorrow", "berlin"} <= set(frames)
    assert not any(w[:1].isdigit() for w in frames) and not is_word("frame", "my_name") and not is_word("n", 3)
    assert {(t.id, slot) for t, slot in frames["hand"]} >= {("he.hurts", "part"), ("he.injury", "part")}

    plain = sample_epoch(0, 3000, 0, reserved, held_out)
    epoch = sample_epoch(0, 3000, 0, reserved, held_out, word_share=0.5)
    before, after = word_hearing(plain), word_hearing(epoch)
    assert after["never"] < 0.5 * before["never"] and after["under_3"] < 0.8 * before["under_3"]
    heard = Counter(v for ex in epoch for s, v in ex["slots"].items() if is_word(s, v))
    assert after["never"] == sum(heard[w] == 0 for w in frames) and after["words"] == len(frames)
    for ex in epoch:
        assert normalised(ex["en"]) not in reserved and not any(combo_matches(c, ex) for c in held_out)
    assert len({ex["template"] for ex in epoch}) > 140
    assert sample_epoch(0, 50, 0, reserved, held_out, word_share=0.0) == plain[:50]
    assert sample_epoch(0, 50, 0, reserved, held_out, word_share=0.5) == epoch[:50]  # seeded
    with pytest.raises(ValueError, match="word_share must be within"):
        sample_epoch(0, 1, 0, word_share=1.2)


def test_word_draw_names_a_word_it_cannot_place():
    # Every frame that takes "hand" held out with it: the draw gives up with a clear error, not a hang.
    frames = {"hand": word_frames()["hand"]}
    held_out = [{"kind": "template_value", "template": t.id, "slot": slot, "value": "hand"} for t, slot in frames["hand"]]
    with pytest.raises(RuntimeError, match="no admissible example around 200 words drawn"):
        draw_word_example(random.Random(0), ["hand"], frames, None, set(), held_out, spoken=True)


def test_word_swap_share_spares_the_number_frames(evaluation):
    reserved, held_out = evaluation["reserved"], evaluation["held_out"]
    worded = {t.id for places in word_frames().values() for t, _ in places}
    numbers_only = lambda epoch: sum(ex["template"] not in worded for ex in epoch)
    plain = sample_epoch(0, 3000, 0, reserved, held_out)
    shared = sample_epoch(0, 3000, 0, reserved, held_out, word_share=0.5)
    swapped = sample_epoch(0, 3000, 0, reserved, held_out, word_swap_share=0.5)
    # --word-share draws the templates with no word slot (numbers, dates, clock times) ~40% less; this does not.
    assert numbers_only(shared) < 0.75 * numbers_only(plain)
    assert abs(numbers_only(swapped) - numbers_only(plain)) < 0.15 * numbers_only(plain)
    assert word_hearing(swapped)["never"] < 0.5 * word_hearing(plain)["never"]
    for ex in swapped:
        assert normalised(ex["en"]) not in reserved and not any(combo_matches(c, ex) for c in held_out)
    assert sample_epoch(0, 50, 0, reserved, held_out, word_swap_share=0.0) == plain[:50]
    with pytest.raises(ValueError, match="two ways of the same thing"):
        sample_epoch(0, 1, 0, word_share=0.5, word_swap_share=0.5)
