"""Translation quality with sacreBLEU, as the paper scores it: chrF++ for German, chrF for Chinese."""
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
    return {"bleu": round(bleu.score, 2), "chrf": round(chrf.score, 2), "chrf_variant": chrf_name(lang), "n": len(hyps)}
