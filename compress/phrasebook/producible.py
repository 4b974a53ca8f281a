"""Could the training grammar say this English sentence? The check that keeps hand-written splits honest.

The paraphrase and out-of-domain splits must hold no sentence the sampler can produce (issue 13). The
sampler's space is every filling of every template (not only the enumerated sample), every spoken
number style and currency (`spoken.choose`), every person, then English-only operators (openers,
hesitations, contractions, synonyms) and joins of two sentences. The first three are enumerated; the
English-only operators are undone on both sides by `english_key`, so a sentence is producible exactly
when its key is among the keys of the enumerated sentences (or, for two sentences, each one's is).
"""
import itertools
import re

from . import spoken
from .templates import TEMPLATES
from .variation import HESITATION_OPENERS, NOT_BEFORE, OPENERS, PERSONS, SYNONYMS, with_person


class _Odometer:
    """Stands in for the sampler's generator in `spoken.speaking`: the k-th `choose` of a rendering
    takes option digits[k], and `advance` walks every combination once."""

    def __init__(self):
        self.digits, self.radix, self.calls = [], [], 0

    def choice(self, options):
        k = self.calls
        self.calls += 1
        if k == len(self.digits):
            self.digits.append(0)
            self.radix.append(len(options))
        return options[self.digits[k]]

    def advance(self) -> bool:
        self.calls = 0
        for k in reversed(range(len(self.digits))):
            self.digits[k] += 1
            if self.digits[k] < self.radix[k]:
                del self.digits[k + 1 :], self.radix[k + 1 :]
                return True
            self.digits[k] = 0
        return False


def spoken_renderings(template, filling) -> set[tuple[str, str, str]]:
    """Every (en, de, zh) that `template` renders for `filling` under any spoken choice."""
    out, odometer = set(), _Odometer()
    while True:
        with spoken.speaking(odometer):
            rendered = template.render(filling)
        if rendered is None:
            return out
        out.add(rendered)
        if not odometer.advance():
            return out


# --- undoing the English-only operators ----------------------------------------------------------------
_OPENER = re.compile(r"^(?:(?:%s),\s*)+" % "|".join(re.escape(o.lower()) for o in
                                                   sorted([o[0] for o in OPENERS] + HESITATION_OPENERS, key=len, reverse=True)))
_HESITATION = re.compile(r",?\s*\b(?:um|uh|er)\b,?")
_EXPAND = [
    (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon't\b", "will not"), (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bi'm\b", "i am"), (r"\b(\w+)'re\b", r"\1 are"), (r"\b(\w+)'ll\b", r"\1 will"), (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\b(\w+)'d\b", r"\1 would"), (r"\blet's\b", "let us"), (r"\b(\w+)'s\b", r"\1 is"),
]
# Every phrase of a synonym group becomes one placeholder; longest first, so "train station" is one phrase,
# and not before the words the sampler does not swap before.
_GROUP_OF = {phrase.lower(): f"<{k}>" for k, group in enumerate(SYNONYMS) for phrase in group}
_SYNONYM = re.compile(r"\b(%s)\b" % "|".join(re.escape(p) for p in sorted(_GROUP_OF, key=len, reverse=True)) + NOT_BEFORE)


def english_key(en: str) -> str:
    """The sentence with openers, hesitations, repeated words, contractions, synonyms and a/an undone,
    and case, spaces and punctuation ignored."""
    text = en.lower().strip()
    text = re.sub(r"\s+", " ", _HESITATION.sub(" ", text)).strip()
    text = _OPENER.sub("", text)
    text = re.sub(r"\b(\w+) \1\b", r"\1", text)
    text = _SYNONYM.sub(lambda m: _GROUP_OF[m.group(1)], text)
    for pattern, repl in _EXPAND:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\ban\b", "a", text)  # a swapped phrase takes its own article: "a lift" → "an elevator"
    return re.sub(r"[^\w<>]+", "", text)


def _fillings(template):
    names = list(template.slots)
    for combo in itertools.product(*(template.slots[n] for n in names)):
        yield dict(zip(names, combo))


class GrammarSpace:
    """The keys of every English sentence the sampler can draw (tens of seconds to build)."""

    def __init__(self):
        self.keys = set()
        for template in TEMPLATES:
            for filling in _fillings(template):
                for en, de, zh in spoken_renderings(template, filling):
                    self.keys.add(english_key(en))
                    if with_person(en, de, zh, "we") is not None:
                        self.keys.update(english_key(with_person(en, de, zh, p)[0]) for p in PERSONS)

    def __contains__(self, en: str) -> bool:
        if english_key(en) in self.keys:
            return True
        parts = re.findall(r"[^.?!]+[.?!]", en)  # a join of two sentences
        return len(parts) == 2 and all(english_key(p) in self.keys for p in parts)

