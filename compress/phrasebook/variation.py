"""Surface variation: the many ways people say one phrasebook sentence.

A template renders one canonical English sentence per meaning ("Where is the train station?").
Travellers say "Sorry, where's the station?", "Um, where is the, the railway station?" or "My wife
and I would like …". Each operator here takes an example's three texts and returns a variant, or
None where it does not apply; the sampler draws which operators run (sampler.py).

- `with_person`: another subject for a first-person sentence (we, my son, my wife and I, …), with
  the verb agreeing in all three languages. It changes the meaning, so it is a slot ("person") of
  the example: held-out combinations can hold a person out of a template.
- `with_opener`: "Excuse me," / "Sorry," / "Hi," (translated) or a hesitation ("Um," "So,": not).
- `contract`: where's, I'd, don't, … (English only; the translation is the same).
- `with_synonyms`: loo / restroom / toilet, the check / the bill, I'd like / I want … (English only).
- `with_hesitation`: "um", "uh" or a repeated word inside the sentence (English only).
"""
import random
import re
from functools import lru_cache

from .grammar import a_an

# --- Person --------------------------------------------------------------------------------------
# key: (English subject, English agreement "pl" (we/they) or "sg3" (he/she), German subject, German
# agreement, Chinese subject). Kin terms without 的 (docs/vocabulary.md).
PERSONS = {
    "we": ("we", "pl", "wir", "pl", "我们"),
    "wife_and_i": ("my wife and I", "pl", "meine Frau und ich", "pl", "我和我妻子"),
    "husband_and_i": ("my husband and I", "pl", "mein Mann und ich", "pl", "我和我丈夫"),
    "son": ("my son", "sg3", "mein Sohn", "sg3", "我儿子"),
    "daughter": ("my daughter", "sg3", "meine Tochter", "sg3", "我女儿"),
    "wife": ("my wife", "sg3", "meine Frau", "sg3", "我妻子"),
    "husband": ("my husband", "sg3", "mein Mann", "sg3", "我丈夫"),
    "mother": ("my mother", "sg3", "meine Mutter", "sg3", "我妈妈"),
    "father": ("my father", "sg3", "mein Vater", "sg3", "我爸爸"),
    "parents": ("my parents", "pl", "meine Eltern", "pl", "我父母"),
    "children": ("my children", "pl", "meine Kinder", "pl", "我的孩子们"),
    "he": ("he", "sg3", "er", "sg3", "他"),
    "she": ("she", "sg3", "sie", "sg3", "她"),
}

EN_PLURAL = {"am": "are", "was": "were", "'m": "'re"}
EN_THIRD = {"am": "is", "have": "has", "do": "does", "was": "was", "'m": "'s", "go": "goes"}
EN_ADVERBS = {"really", "also", "just", "often", "usually", "never", "always", "still", "only", "sometimes"}
EN_MODALS = {"would", "will", "can", "could", "must", "should", "may", "might", "'d", "'ll"}
# German present tense: first person singular → (wir/sie plural, er/sie singular). The regular rule
# (wohne → wohnen / wohnt) covers the rest; these are the strong verbs and modals.
DE_IRREGULAR = {
    "bin": ("sind", "ist"), "habe": ("haben", "hat"), "möchte": ("möchten", "möchte"), "hätte": ("hätten", "hätte"),
    "kann": ("können", "kann"), "muss": ("müssen", "muss"), "will": ("wollen", "will"), "darf": ("dürfen", "darf"),
    "weiß": ("wissen", "weiß"), "würde": ("würden", "würde"), "nehme": ("nehmen", "nimmt"), "spreche": ("sprechen", "spricht"),
    "esse": ("essen", "isst"), "fahre": ("fahren", "fährt"), "sehe": ("sehen", "sieht"), "schlafe": ("schlafen", "schläft"),
    "heiße": ("heißen", "heißt"), "reise": ("reisen", "reist"), "vertrage": ("vertragen", "verträgt"), "mag": ("mögen", "mag"),
    "bekomme": ("bekommen", "bekommt"), "lese": ("lesen", "liest"), "trage": ("tragen", "trägt"),
}
# After a subject other than "I" these would refer back to it: such sentences keep their "I".
EN_SELF = re.compile(r"\b(I|me|my|mine|myself|I'm|I'd|I've|I'll)\b")
DE_SELF = re.compile(r"\b(ich|mich|mir|mein\w*)\b", re.IGNORECASE)


def _en_verb(verb: str, agreement: str) -> str:
    if verb in EN_MODALS:
        return verb
    if agreement == "pl":
        return EN_PLURAL.get(verb, verb)
    if verb in EN_THIRD:
        return EN_THIRD[verb]
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _de_verb(verb: str, agreement: str) -> str | None:
    if verb in DE_IRREGULAR:
        plural, third = DE_IRREGULAR[verb]
        return plural if agreement == "pl" else third
    if not verb.endswith("e") or not verb.isalpha():
        return None
    stem = verb[:-1]
    if agreement == "pl":
        return stem + "en"
    return stem + ("et" if stem.endswith(("t", "d")) else "t")


def with_person(en: str, de: str, zh: str, person: str) -> tuple[str, str, str] | None:
    """'I would like a coffee.' → 'My son would like a coffee.' / 'Mein Sohn möchte …' / '我儿子想要…';
    None unless all three start with the first person singular and never refer to it again."""
    en_subject, en_agr, de_subject, de_agr, zh_subject = PERSONS[person]
    m_en = re.match(r"I ([a-z]+n't|[a-z]+)\b(.*)$", en)
    m_de = re.match(r"Ich (\w+)\b(.*)$", de)
    if not (m_en and m_de and zh.startswith("我") and not zh.startswith("我们")):
        return None
    en_rest, de_rest, zh_rest = m_en.group(2), m_de.group(2), zh[1:]
    if EN_SELF.search(en_rest) or DE_SELF.search(de_rest) or "我" in zh_rest:
        return None
    verb_en = m_en.group(1)
    if verb_en in EN_ADVERBS:  # "I really appreciate …" would become "My son reallies …"
        return None
    if verb_en.endswith("n't"):  # the auxiliary agrees, the verb after it stays bare: "doesn't eat"
        base = verb_en[:-3]
        en_verb = ("does" if base == "do" and en_agr == "sg3" else base) + "n't"
    else:
        en_verb = _en_verb(verb_en, en_agr)
    de_verb = _de_verb(m_de.group(1), de_agr)
    if de_verb is None:
        return None
    en_out = en_subject[0].upper() + en_subject[1:] + " " + en_verb + en_rest
    de_out = de_subject[0].upper() + de_subject[1:] + " " + de_verb + de_rest
    return en_out, de_out, zh_subject + zh_rest


# --- Openers -------------------------------------------------------------------------------------
# (English, German, Chinese before a question, Chinese before a statement, weight)
OPENERS = [
    ("Excuse me", "Entschuldigung", "请问", "打扰一下", 4),
    ("Sorry", "Entschuldigung", "不好意思", "不好意思", 3),
    ("Hi", "Hallo", "你好", "你好", 2),
    ("Hello", "Hallo", "你好", "你好", 2),
    ("Hi there", "Hallo", "你好", "你好", 1),
    ("Good morning", "Guten Morgen", "早上好", "早上好", 1),
    ("Good evening", "Guten Abend", "晚上好", "晚上好", 1),
]
# Hesitations before the sentence: spoken, not translated.
HESITATION_OPENERS = ["Um", "Uh", "Er", "So", "Well", "OK, so", "Right", "Oh", "Hmm", "Ah"]
ALREADY_OPENED = re.compile(r"^(Excuse me|Sorry|Hi|Hello|Good (morning|afternoon|evening)|Thank|Thanks|Pardon|Um|Uh|Er|So|Well|OK|Right|Oh|Hmm|Ah)\b")


@lru_cache(maxsize=1)
def _case_of_words() -> tuple[frozenset, frozenset]:
    """From the canonical corpus, inside sentences: English words written capitalised (names: they
    keep their capital after an opener) and German words written in lower case (the only ones an
    opener may lower-case: "Wo ist …" → "Entschuldigung, wo ist …", never "Sie", a noun or a name)."""
    from .corpus import generate_corpus

    en_names, de_lower = set(), set()
    for ex in generate_corpus(0):
        en_names.update(w for w in re.findall(r"\w+", ex["en"])[1:] if w[:1].isupper())
        de_lower.update(w for w in re.findall(r"\w+", ex["de"])[1:] if w[:1].islower())
    return frozenset(en_names), frozenset(de_lower)


def _lower_en(text: str) -> str:
    word = re.match(r"\w+", text)
    if word and (word.group(0) == "I" or word.group(0) in _case_of_words()[0]):
        return text
    return text[:1].lower() + text[1:]


def _lower_de(text: str) -> str:
    word = re.match(r"\w+", text)
    if word and word.group(0).lower() in _case_of_words()[1]:
        return text[:1].lower() + text[1:]
    return text


def opener_applies(en: str) -> bool:
    return not ALREADY_OPENED.match(en) and (en.endswith("?") or re.match(r"(I|We|My|Could|Can|Do|Is|Are|Where|How|What|When|Which|Please)\b", en) is not None)


def with_opener(en: str, de: str, zh: str, rng: random.Random) -> tuple[str, str, str] | None:
    if not opener_applies(en):
        return None
    if rng.random() < 0.3:
        return f"{rng.choice(HESITATION_OPENERS)}, {_lower_en(en)}", de, zh
    en_o, de_o, zh_q, zh_s, _ = rng.choices(OPENERS, weights=[o[-1] for o in OPENERS])[0]
    if zh.startswith(("请问", "打扰", "不好意思", "你好")):
        return None
    zh_o = zh_q if en.endswith("?") else zh_s
    return f"{en_o}, {_lower_en(en)}", f"{de_o}, {_lower_de(de)}", f"{zh_o}，{zh}"


# --- Contractions (English only) -----------------------------------------------------------------
CONTRACTIONS = [
    (r"\bI am\b", "I'm"), (r"\bI would\b", "I'd"), (r"\bI will\b", "I'll"), (r"\bwe will\b", "we'll"),
    (r"\bI have (been|lost|got|had|left|forgotten|booked|missed|seen)\b", r"I've \1"),
    (r"\b([Ww]here|[Ww]hat|[Hh]ow|[Ww]ho|[Ww]hen|[Tt]hat|[Tt]here|[Ii]t) is\b(?! \w+ is\b)(?=.)(?![?.!])", r"\1's"),
    (r"\b([Ww]e|[Yy]ou|[Tt]hey) are\b(?=.)(?![?.!])", r"\1're"),
    (r"\bdo not\b", "don't"), (r"\bdoes not\b", "doesn't"), (r"\bis not\b", "isn't"), (r"\bare not\b", "aren't"),
    (r"\bcannot\b|\bcan not\b", "can't"), (r"\bwill not\b", "won't"), (r"\bhave not\b", "haven't"),
    (r"\bwould not\b", "wouldn't"), (r"\bcould not\b", "couldn't"), (r"\bwas not\b", "wasn't"),
    (r"\b([Ww]hat time) is\b", r"\1's"), (r"\b([Ll])et us\b", r"\1et's"),
    (r"\b([Hh]e|[Ss]he|[Mm]y (?:husband|wife|son|daughter|mother|father)) is\b(?=.)(?![?.!])", r"\1's"),
    (r"\b([Hh]e|[Ss]he) would\b", r"\1'd"),
]
EXPANSIONS = [(r"\bdon't\b", "do not"), (r"\bdoesn't\b", "does not"), (r"\bcan't\b", "cannot"), (r"\bisn't\b", "is not")]


def contract(en: str, rng: random.Random, p: float = 0.6) -> str:
    """Contract what can be contracted, each kind with probability p (spoken English contracts most)."""
    for pattern, repl in CONTRACTIONS:
        if re.search(pattern, en) and rng.random() < p:
            en = re.sub(pattern, repl, en)
    for pattern, repl in EXPANSIONS:
        if re.search(pattern, en) and rng.random() < 0.2:
            en = re.sub(pattern, repl, en)
    return en


# --- Synonyms (English only) ---------------------------------------------------------------------
# The canonical phrase first; each alternative means the same and keeps the translation.
SYNONYMS = [
    ("toilet", "restroom", "bathroom", "loo", "ladies' room"),
    ("toilets", "restrooms", "bathrooms", "loos"),
    ("cash machine", "cash point", "cashpoint", "cash dispenser"),
    ("train station", "railway station", "station"),
    ("subway station", "underground station", "metro station", "tube station"),
    ("petrol station", "gas station", "filling station"),
    ("city centre", "town centre", "centre of town"),
    ("lift", "elevator"),
    ("coffee shop", "café", "coffee place"),
    ("pharmacy", "chemist's", "chemist"),
    ("mobile phone", "mobile", "cell phone", "phone"),
    ("on holiday", "on vacation"),
    ("the bill", "the check"),
    ("taxi", "cab"),
    ("Thank you very much", "Thanks a lot", "Thank you so much", "Many thanks", "Thanks very much", "Thanks so much"),
    ("Thank you", "Thanks"),
    ("How do I get to", "How can I get to", "What's the way to", "Which way is it to"),
    ("near here", "nearby", "around here", "close by"),
    ("I would like", "I'd like", "I want"),
    ("We would like", "We'd like", "We want"),
    ("Could you", "Can you", "Would you"),
    ("Could I have", "Can I have", "May I have", "Can I get"),
    ("Do you have", "Have you got"),
    ("I am looking for", "I'm looking for", "I'm trying to find"),
    ("Where is the", "Where's the", "Where can I find the"),
    ("What time does", "When does"),
    ("Is it far", "Is it a long way"),
    ("speak a little", "speak a bit of"),
    ("a little louder", "a bit louder"),
    # A contracted form is a member too: contract() runs after the swap, and the producibility check
    # (producible.py) undoes synonyms before contractions.
    ("I have lost", "I lost", "I've lost"),
    ("I have left", "I left", "I've left"),
    ("I am sorry", "I'm sorry", "I'm so sorry", "I'm really sorry"),
    ("What is the weather like", "What's the weather like", "How is the weather", "How's the weather",
     "What's the weather doing"),
    ("platform", "track"),
    ("return ticket", "round-trip ticket"),
    ("single ticket", "one-way ticket"),
    ("subway", "underground", "metro", "tube"),
    ("cinema", "movie theatre"),
    ("portion of chips", "portion of fries"),
    ("bookshop", "bookstore", "book shop"),
    ("shopping centre", "shopping mall", "mall"),
    ("old town", "historic centre", "old part of town"),
    ("sweater", "jumper"),
    ("car park", "parking lot"),
    ("taxi rank", "taxi stand", "cab rank", "cab stand"),  # "taxi rank" may already be "cab rank" (taxi/cab above)
    ("a fever", "a temperature"),
    ("hurts", "aches"),
    ("ill", "unwell"),
    ("Goodbye", "Bye", "Bye-bye"),
    ("See you later", "See you", "Catch you later"),
    ("Could I check out later", "Could I have a late check-out"),
    ("Do you accept credit cards", "Do you take credit cards"),
    ("phone charger", "charger"),
    ("hair salon", "hairdresser's"),
    ("launderette", "laundromat"),
    ("kiosk", "newsagent's"),
    ("main square", "town square"),
]
# "toilet paper" is not "loo paper", and "speak a little louder" is not "speak a bit of louder" (its own
# group makes it "a bit louder"): a phrase followed by one of these words keeps its canonical form.
NOT_BEFORE = r"(?! paper| louder)"


def _swap(text: str, phrase: str, alternative: str) -> str:
    """Replace whole-word occurrences; 'a'/'an' before the phrase follows the new word."""
    def repl(m):
        article = m.group(1)
        if article:
            article = a_an(alternative).split(" ")[0] + " " if article.lower().strip() in ("a", "an") else article
            if m.group(1)[0].isupper():
                article = article.capitalize()
        return (article or "") + alternative

    return re.sub(r"(\b[Aa]n? )?\b" + re.escape(phrase) + r"\b" + NOT_BEFORE, repl, text)


def with_synonyms(en: str, rng: random.Random, p: float = 0.5) -> str:
    for group in SYNONYMS:
        canonical = group[0]
        if re.search(r"\b" + re.escape(canonical) + r"\b" + NOT_BEFORE, en) and rng.random() < p:
            en = _swap(en, canonical, rng.choice(group[1:]))
    return en


# --- Hesitations inside the sentence (English only) --------------------------------------------------
REPEATED = {"I", "the", "a", "an", "to", "is", "at", "in", "on", "my", "we", "it", "can", "could", "would", "do", "for", "and"}


def with_hesitation(en: str, rng: random.Random) -> str:
    """'I would like, um, a coffee.' or 'I would like the the window seat.' (people restart on short
    function words, so only those are repeated)."""
    words = en.split(" ")
    if len(words) < 3:
        return en
    at = rng.randrange(1, len(words) - 1)
    if words[at - 1][-1:] in ",.?!":
        return en
    if rng.random() < 0.6:
        words.insert(at, rng.choice(["um,", "uh,", "er,"]))
        words[at - 1] += ","
        return " ".join(words)
    repeatable = [i for i, w in enumerate(words[:-1]) if w in REPEATED]
    if not repeatable:
        return en
    i = rng.choice(repeatable)
    words.insert(i, words[i])
    return " ".join(words)
