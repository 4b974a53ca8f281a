"""Nouns in three languages and the grammar that inflects them.

A `Noun` carries what each language needs: English singular, plural and article; German gender,
plural, weak (n-declension) flag; Chinese noun and measure word. German noun phrases are built
from a determiner kind, a case and a number, with the determiner and adjective endings of the
standard declension tables; prepositions contract with the article ("zu dem" -> "zum").
"""
from dataclasses import dataclass, field

from .numbers import de_count, en_number, zh_number

CASES = ("nom", "acc", "dat")

DEFINITE = {
    "nom": {"m": "der", "f": "die", "n": "das", "pl": "die"},
    "acc": {"m": "den", "f": "die", "n": "das", "pl": "die"},
    "dat": {"m": "dem", "f": "der", "n": "dem", "pl": "den"},
}
# Endings of ein-words (ein, kein, mein, Ihr) and der-words (dieser, welcher, jeder) on their stem.
EIN_ENDINGS = {
    "nom": {"m": "", "f": "e", "n": "", "pl": "e"},
    "acc": {"m": "en", "f": "e", "n": "", "pl": "e"},
    "dat": {"m": "em", "f": "er", "n": "em", "pl": "en"},
}
DER_ENDINGS = {
    "nom": {"m": "er", "f": "e", "n": "es", "pl": "e"},
    "acc": {"m": "en", "f": "e", "n": "es", "pl": "e"},
    "dat": {"m": "em", "f": "er", "n": "em", "pl": "en"},
}
# Adjective endings: weak after a der-word, mixed after an ein-word, strong with no determiner.
ADJ_WEAK = {
    "nom": {"m": "e", "f": "e", "n": "e", "pl": "en"},
    "acc": {"m": "en", "f": "e", "n": "e", "pl": "en"},
    "dat": {"m": "en", "f": "en", "n": "en", "pl": "en"},
}
ADJ_MIXED = {
    "nom": {"m": "er", "f": "e", "n": "es", "pl": "en"},
    "acc": {"m": "en", "f": "e", "n": "es", "pl": "en"},
    "dat": {"m": "en", "f": "en", "n": "en", "pl": "en"},
}
ADJ_STRONG = {
    "nom": {"m": "er", "f": "e", "n": "es", "pl": "e"},
    "acc": {"m": "en", "f": "e", "n": "es", "pl": "e"},
    "dat": {"m": "em", "f": "er", "n": "em", "pl": "en"},
}
CONTRACTIONS = {
    ("zu", "dem"): "zum", ("zu", "der"): "zur", ("an", "dem"): "am", ("in", "dem"): "im",
    ("in", "das"): "ins", ("an", "das"): "ans", ("von", "dem"): "vom", ("bei", "dem"): "beim",
}
EN_AN_WORDS = {"hour", "honest"}  # silent h takes "an"
EN_A_WORDS = {"one", "one-way", "european", "university", "uniform", "usb"}  # vowel letter, consonant sound


@dataclass(frozen=True)
class Noun:
    key: str
    en: str  # singular ("cup of tea"), or the plural-only form ("trousers")
    en_pl: str
    de: str  # German singular without article ("Tasse Tee")
    gender: str  # m, f, n; "pl" for a German plural-only noun (die Leute)
    de_pl: str
    zh: str
    mw: str = "个"  # Chinese measure word
    weak: bool = False  # German n-declension: den Automaten, dem Automaten
    de_dat_pl: str | None = None  # when the dative plural is not plural + n
    en_plural_only: bool = False  # "trousers", "shoes": English agrees in the plural
    tags: frozenset = field(default_factory=frozenset)
    extra: tuple = ()  # per-noun forms a template needs, as (name, value) pairs

    def get(self, name: str, default=None):
        return dict(self.extra).get(name, default)


def N(key, en, en_pl, de, gender, de_pl, zh, mw="个", tags=(), **extra):
    """Shorthand constructor: keyword arguments that are not Noun fields become `extra` forms."""
    fields = {k: extra.pop(k) for k in ("weak", "de_dat_pl", "en_plural_only") if k in extra}
    return Noun(key, en, en_pl, de, gender, de_pl, zh, mw, tags=frozenset(tags),
                extra=tuple(sorted(extra.items())), **fields)


# --- English ------------------------------------------------------------------------------------
def a_an(phrase: str) -> str:
    word = phrase.split()[0].lower()
    if word in EN_AN_WORDS:
        return "an " + phrase
    if word in EN_A_WORDS:
        return "a " + phrase
    return ("an " if word[0] in "aeiou" else "a ") + phrase


def en_count(n: int, noun: Noun, adj: str = "") -> str:
    """'a cup of tea', 'two cups of tea', 'a red scarf', 'three postcards'."""
    words = (adj + " " if adj else "")
    if n == 1:
        return a_an(words + noun.en)
    return f"{en_number(n)} {words}{noun.en_pl}"


def capitalize(s: str) -> str:
    return s[:1].upper() + s[1:]


# --- German -------------------------------------------------------------------------------------
def de_noun_form(noun: Noun, case: str, plural: bool) -> str:
    if plural or noun.gender == "pl":
        if case == "dat":
            if noun.de_dat_pl:
                return noun.de_dat_pl
            head, _, rest = noun.de_pl.partition(" ")
            if not head.endswith(("n", "s")):
                head += "n"
            return head + (" " + rest if rest else "")
        return noun.de_pl
    if noun.weak and case != "nom":
        head, _, rest = noun.de.partition(" ")
        head += "n" if head.endswith("e") else "en"
        return head + (" " + rest if rest else "")
    return noun.de


def adj_form(stem: str, table: dict, case: str, gk: str) -> str:
    ending = table[case][gk]
    if stem.endswith("e") and ending.startswith("e"):
        ending = ending[1:]
    return stem + ending


def de_np(noun: Noun, det: str, case: str = "nom", plural: bool = False, adj: str = "", count: int = 0) -> str:
    """A German noun phrase.

    det: "def" (der), "indef" (ein; none in the plural), "none", "kein", "mein", "Ihr", "unser",
    "dies" (dieser), "welch" (welcher), "count" (a number: "zwei Tassen", "ein Glas").
    adj: an adjective stem ("rot", "ruhig", "nächst") that gets its ending from the determiner.
    """
    plural = plural or noun.gender == "pl" or (det == "count" and count > 1)
    gk = "pl" if plural else noun.gender
    noun_form = de_noun_form(noun, case, plural)
    if det == "def":
        article, table = DEFINITE[case][gk], ADJ_WEAK
    elif det in ("dies", "welch", "jed"):
        article, table = det + DER_ENDINGS[case][gk], ADJ_WEAK
    elif det in ("kein", "mein", "Ihr", "unser"):
        article, table = det + EIN_ENDINGS[case][gk], ADJ_MIXED
    elif det in ("indef", "count") and not plural:
        article, table = "ein" + EIN_ENDINGS[case][gk], ADJ_MIXED
    elif det == "count":
        article, table = de_count(count), ADJ_STRONG
    else:  # "none", or "indef" in the plural
        article, table = "", ADJ_STRONG
    words = [article] if article else []
    if adj:
        words.append(adj_form(adj, table, case, gk))
    words.append(noun_form)
    return " ".join(words)


def de_pp(prep: str, noun: Noun, det: str = "def", case: str = "dat", plural: bool = False, adj: str = "") -> str:
    """Preposition + noun phrase, with the standard contractions (zum, zur, am, im, ins, vom, beim)."""
    np = de_np(noun, det, case, plural, adj)
    article, _, rest = np.partition(" ")
    if det == "def" and (prep, article) in CONTRACTIONS and rest:
        # "am nächsten Bahnhof" is right, but "zu der nächsten" contracts just the same.
        return CONTRACTIONS[(prep, article)] + " " + rest
    return prep + " " + np


def de_capitalize(s: str) -> str:
    return s[:1].upper() + s[1:]


# --- Chinese ------------------------------------------------------------------------------------
def zh_count(n: int, noun: Noun, modifier: str = "") -> str:
    """'两杯咖啡', '一条红色的围巾' (modifier already carries its 的)."""
    return zh_number(n, measure=True) + noun.mw + modifier + noun.zh
