"""Translation quality with sacreBLEU, as the paper scores it: chrF++ for German, chrF for Chinese."""
import re

import sacrebleu

# BLEU's tokeniser per target language: 'zh' splits Chinese characters, 13a is the WMT default.
BLEU_TOKENIZE = {"de": "13a", "zh": "zh"}


def chrf_name(lang: str) -> str:
    return "chrF++" if lang == "de" else "chrF"


def score(hyps: list[str], refs: list[str], lang: str) -> dict:
    """BLEU and the paper's chrF variant for one language."""
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses for {len(refs)} references")
    bleu = sacrebleu.corpus_bleu(hyps, [refs], tokenize=BLEU_TOKENIZE[lang])
    chrf = sacrebleu.corpus_chrf(hyps, [refs], word_order=2 if lang == "de" else 0)
    return {"bleu": round(bleu.score, 2), "chrf": round(chrf.score, 2), "chrf_variant": chrf_name(lang),
            "accuracy": sentence_accuracy(hyps, refs), "n": len(hyps)}


def normalised(text: str) -> str:
    """A sentence with case, spaces and punctuation ignored (letters, digits and CJK characters kept)."""
    return re.sub(r"[\W_]+", "", text.lower())  # lower(), not casefold(): the browser's toLowerCase() agrees


def sentence_accuracy(hyps: list[str], refs: list[str]) -> float:
    """Share of hypotheses equal to their reference once normalised, in percent. chrF gives most of
    its credit to a translation with the wrong city in it; for a phrasebook that one is wrong."""
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses for {len(refs)} references")
    if not hyps:
        return 0.0
    return round(100 * sum(normalised(h) == normalised(r) for h, r in zip(hyps, refs)) / len(hyps), 2)


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


# A phrase said twice in a row: two or more words (group 1, then separators and group 1 again), or
# three or more Chinese characters. src/core/decoding.ts writes the same patterns for JavaScript; the
# separators are spelt out because Python's and JavaScript's \s differ (U+0085, U+FEFF, …).
SEPARATORS = r"[ \t\n\r\u00a0\u3000,]+"
LOOP_WORDS = re.compile(rf"(?<!\w)((?:\w+{SEPARATORS}){{1,}}\w+){SEPARATORS}\1(?!\w)")
LOOP_HAN = re.compile(r"([\u3400-\u9fff]{3,})\1")


def loop_span(text: str) -> str | None:
    """A phrase said twice in a row ("ist zu lang ist zu lang", "火车站火车站"): two or more words, or
    three or more Chinese characters, immediately repeated; None if there is none."""
    m = LOOP_WORDS.search(text) or LOOP_HAN.search(text)
    return m.group(1) if m else None


def collapse_loops(text: str) -> str:
    """The text with every phrase said twice in a row said once ("Sie bitte vier Schnitzel, bitte
    vier Schnitzel bringen" → "Sie bitte vier Schnitzel bringen"), until loop_span finds none."""
    while True:
        shorter = LOOP_HAN.sub(r"\1", LOOP_WORDS.sub(r"\1", text))
        if shorter == text:
            return text
        text = shorter


def broken(text: str, lang: str, latin_ok: frozenset = frozenset()) -> list[str]:
    """What is wrong with an output's form, whatever it means: a replacement character (half a
    character), a word in the wrong script (Chinese in German or English; a Latin word in Chinese that
    the references never use, given as `latin_ok`), or a loop."""
    problems = []
    if "\ufffd" in text:
        problems.append("U+FFFD")
    if lang == "zh":
        if any(w not in latin_ok for w in LATIN_WORD.findall(text)):
            problems.append("wrong script")
    elif CJK.search(text):
        problems.append("wrong script")
    if loop_span(text):
        problems.append("loop")
    return problems


def word_error_rate(hyps: list[str], refs: list[str]) -> float:
    """English WER in percent with jiwer, on lower-cased words without punctuation (how ASR is scored)."""
    import jiwer

    clean = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip(),
                           jiwer.ReduceToListOfListOfWords()])
    pairs = [(r, h) for r, h in zip(refs, hyps) if r.strip()]
    if not pairs:
        return 0.0
    refs_, hyps_ = [r for r, _ in pairs], [h if h.strip() else "<empty>" for _, h in pairs]
    return round(100 * jiwer.wer(refs_, hyps_, reference_transform=clean, hypothesis_transform=clean), 2)


def roc_auc(positive: list[float], negative: list[float]) -> float:
    """Probability that a positive scores above a negative (ties count half): the ROC AUC, from the
    Mann-Whitney U statistic (scipy)."""
    from scipy.stats import mannwhitneyu

    if not positive or not negative:
        return float("nan")
    return round(float(mannwhitneyu(positive, negative, alternative="two-sided").statistic) / (len(positive) * len(negative)), 4)
