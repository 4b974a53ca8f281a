"""The decoding rules (compress/decoding.py) on hand-written cases shared with the browser's copy
(fixtures/decoding/cases.json, read by src/core/decoding.test.ts too), plus the tables' builder."""
import json
from pathlib import Path

import numpy as np
import pytest

from compress.decoding import ACCEPT, REJECT, Chooser, DecodingRules, build_tables, longest_repeat, utf8_after

CASES = json.loads((Path(__file__).parent.parent / "fixtures/decoding/cases.json").read_text())


def run_case(rules, case):
    chooser = Chooser(rules, case["task"])
    for logits in case["steps"]:
        token = chooser.choose(np.asarray(logits, np.float32))
        if token in rules.eos:
            return chooser.ids, "eos", chooser
        if token == rules.out_of_domain:
            return chooser.ids, "out_of_domain", chooser
        chooser.accept(token)
        if len(chooser.ids) >= case["max_new_tokens"]:
            return chooser.complete_ids(), "budget", chooser
    raise AssertionError("case ran out of steps")


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_rule_cases(case):
    rules = DecodingRules(CASES["tables"])
    ids, stop, chooser = run_case(rules, case)
    assert (ids, stop) == (case["ids"], case["stop"])
    # The confidence is the geometric mean of the chosen tokens' softmax probabilities.
    steps = case["steps"][: len(chooser.logprobs)]
    chosen = chooser.ids + ([] if stop == "budget" else [rules.eos[0] if stop == "eos" else rules.out_of_domain])
    probs = [np.exp(s[t]) / np.exp(s).sum() for s, t in zip(np.asarray(steps, np.float64), chosen)]
    assert chooser.confidence() == pytest.approx(float(np.prod(probs) ** (1 / len(probs))), rel=1e-5)


def test_utf8_automaton_accepts_exactly_valid_utf8():
    samples = ["a", "ä", "一", "😀", "Grüße, 你好！"]
    for text in samples:
        assert utf8_after(ACCEPT, text.encode()) == ACCEPT
    # Stray continuation, overlong forms, surrogates, past U+10FFFF, a byte UTF-8 never uses.
    for bad in [b"\x80", b"\xc0\xaf", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xff"]:
        assert utf8_after(ACCEPT, bad) == REJECT
    assert utf8_after(ACCEPT, "一".encode()[:2]) not in (ACCEPT, REJECT)  # half a character: still open


def test_longest_repeat():
    assert longest_repeat([1, 2, 3]) == 0
    assert longest_repeat([1, 2, 1, 2, 3]) == 2
    assert longest_repeat([5, 5]) == 1


def test_build_tables_from_a_real_tokenizer(tmp_path):
    from compress.tokenizer import special_token_ids, train_tokenizer

    texts = ["Wo ist der Bahnhof?", "火车站在哪里？", "Where is the train station?"] * 3
    tok = train_tokenizer(texts, 300)
    special = special_token_ids(tok)
    tables = build_tables(tok, {"de": [texts[0]], "zh": [texts[1]], "transcribe": [texts[2]]}, [special["im_end"]])
    rules = DecodingRules(tables)
    de_ids = tok(texts[0], add_special_tokens=False).input_ids
    assert set(tables["allowed"]["de"]) == set(de_ids)
    # Every special token has no bytes; every other token decodes to its own bytes.
    assert tables["token_bytes"][special["im_end"]] is None
    assert b"".join(bytes.fromhex(tables["token_bytes"][i]) for i in de_ids).decode() == texts[0]
    # No reference is blocked by the n-gram rule, and German never allows a Chinese token.
    repeats = [longest_repeat(tok(t, add_special_tokens=False).input_ids) for t in texts[:3]]
    assert tables["no_repeat_ngram_size"] == max(repeats) + 1
    zh_only = set(tables["allowed"]["zh"]) - set(tables["allowed"]["de"])
    assert zh_only and not rules.mask("de", ACCEPT)[sorted(zh_only)].any()
