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
    return re.sub(r"[\W_]+", "", text.casefold())


def sentence_accuracy(hyps: list[str], refs: list[str]) -> float:
    """Share of hypotheses equal to their reference once normalised, in percent. chrF gives most of
    its credit to a translation with the wrong city in it; for a phrasebook that one is wrong."""
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses for {len(refs)} references")
    if not hyps:
        return 0.0
    return round(100 * sum(normalised(h) == normalised(r) for h, r in zip(hyps, refs)) / len(hyps), 2)
