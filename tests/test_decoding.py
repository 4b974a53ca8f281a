"""The decoding rules (compress/decoding.py) on hand-written cases shared with the browser's copy
(fixtures/decoding/cases.json, read by src/core/decoding.test.ts too), plus the tables' builder."""
import json
import random
from pathlib import Path

import numpy as np
import pytest

from compress.decoding import (ACCEPT, REJECT, ChainedChooser, Chooser, DecodingRules, build_tables, longest_repeat, longest_tandem_block,
                               tandem_banned, utf8_after)
from compress.errors import ToolkitError

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


def test_confidence_of_the_least_probable_tokens():
    # Three chosen tokens (argmax, no rules) whose probabilities are 0.9, 0.2 and 0.6.
    rows = [np.log([0.9, 0.1]), np.log([0.2] + [0.16] * 5), np.log([0.6, 0.4])]

    def confidence(k):
        chooser = Chooser(None, "de", k)
        assert [chooser.choose(row) for row in rows] == [0, 0, 0]
        return chooser.confidence()

    assert confidence(None) == pytest.approx((0.9 * 0.2 * 0.6) ** (1 / 3))
    assert confidence(1) == pytest.approx(0.2) and confidence(2) == pytest.approx((0.2 * 0.6) ** 0.5)
    assert confidence(9) == pytest.approx(confidence(None))  # more than there are: every token


def test_a_chained_answer_writes_english_then_the_translation_under_each_tasks_rules():
    """"transcribe+de": the English under the transcription's rules until the separator, which may not
    open the answer; then the German under its own, its first token may be the out-of-domain answer, and
    the confidence is the German's alone."""
    rules = DecodingRules(CASES["tables"])
    sep, vocab = 13, len(CASES["tables"]["token_bytes"])  # "." as the separator: not a transcription token

    def row(*best):  # logits favouring `best` in order
        logits = np.full(vocab, -5.0, np.float32)
        for rank, token in enumerate(best):
            logits[token] = 10.0 - rank
        return logits

    chooser = ChainedChooser(rules, "transcribe+de", sep)
    steps = [row(sep, 10, 0), row(sep, 0), row(10, 0), row(rules.eos[0])]
    chosen = []
    for logits in steps:
        token = chooser.choose(logits)
        chosen.append(token)
        if token in rules.eos:
            break
        chooser.accept(token)
    # No separator first; "Es" (10) is German, not English, so "a" (0) before it; after the separator, "Es".
    assert chosen == [0, sep, 10, rules.eos[0]]
    assert chooser.complete_ids() == [0, sep, 10]
    german = [steps[2][10], steps[3][rules.eos[0]]]
    expected = [float(x - np.log(np.exp(s.astype(np.float64)).sum())) for x, s in zip(german, steps[2:])]
    assert chooser.logprobs == pytest.approx(expected, abs=1e-5)
    assert chooser.confidence() == pytest.approx(float(np.exp(np.mean(expected))), rel=1e-5)
    english = [float(s[t] - np.log(np.exp(s.astype(np.float64)).sum())) for s, t in zip(steps[:2], (0, sep))]
    assert chooser.heard.logprobs == pytest.approx(english, abs=1e-5)  # the English's, kept apart

    refusal = ChainedChooser(rules, "transcribe+de", sep)
    for logits in (row(0), row(sep)):
        refusal.accept(refusal.choose(logits))
    assert refusal.choose(row(rules.out_of_domain)) == rules.out_of_domain  # the translation's first token
    assert ChainedChooser(rules, "transcribe+de", sep).choose(row(rules.out_of_domain, 0)) == 0  # not for the English
    cut = ChainedChooser(rules, "transcribe+zh", sep)
    for logits in (row(0), row(sep), row(2)):  # 2: the first byte of a Chinese character
        cut.accept(cut.choose(logits))
    assert cut.complete_ids() == [0, sep]  # a budget cut there drops the character's open start
    stopped = ChainedChooser(rules, "transcribe+de", sep)
    stopped.accept(stopped.choose(row(0)))
    assert stopped.choose(row(rules.eos[0])) == rules.eos[0] and stopped.confidence() == 0.0  # no translation


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


def case(name_start):
    return next(c for c in CASES["cases"] if c["name"].startswith(name_start))


def test_version_1_tables_decode_without_the_tandem_rule():
    """Shipped folders written before rule 4 keep loading: their decoding.json has version 1."""
    old = {k: v for k, v in CASES["tables"].items() if k != "no_tandem_repeat_min"} | {"version": 1}
    loop = case("no phrase twice in a row")
    assert run_case(DecodingRules(old), loop)[:2] == ([10, 11, 12, 11, 12], "eos")  # "Es ist sieben ist sieben"
    assert run_case(DecodingRules(CASES["tables"]), loop)[:2] == (loop["ids"], "eos")


def test_version_2_tables_need_a_tandem_minimum_per_task():
    tables = CASES["tables"] | {"no_tandem_repeat_min": {"de": 2, "zh": 1}}
    with pytest.raises(ToolkitError, match="no_tandem_repeat_min.*zh, transcribe"):
        DecodingRules(tables)
    with pytest.raises(ToolkitError, match="version 4 is not supported"):
        DecodingRules(CASES["tables"] | {"version": 4})


@pytest.mark.parametrize("case", CASES["final_text"], ids=[c["name"] for c in CASES["final_text"]])
def test_rule_5_says_a_phrase_said_twice_in_a_row_once(case):
    from compress.metrics import loop_span

    rules = DecodingRules(CASES["tables"])
    assert rules.final_text(case["task"], case["text"]) == case["expected"]
    if rules.collapse[case["task"]]:
        assert loop_span(case["expected"]) is None


def test_version_2_tables_finish_texts_as_they_are_and_version_3_needs_collapse_loops():
    old = {k: v for k, v in CASES["tables"].items() if k != "collapse_loops"} | {"version": 2}
    loop = CASES["final_text"][0]
    assert DecodingRules(old).final_text(loop["task"], loop["text"]) == loop["text"]
    with pytest.raises(ToolkitError, match="collapse_loops needs true or false for task.s. zh, de, transcribe"):
        DecodingRules({k: v for k, v in CASES["tables"].items() if k != "collapse_loops"})


def test_tandem_banned_is_exactly_the_tokens_that_end_a_block_twice():
    rng = random.Random(0)
    for _ in range(3000):
        ids = [rng.randrange(3) for _ in range(rng.randrange(12))]
        k_min = rng.randrange(2, 5)
        brute = {t for t in range(3) for k in range(k_min, len(ids) // 2 + 2)
                 if 2 * k <= len(ids) + 1 and (ids + [t])[-2 * k : -k] == (ids + [t])[-k:]}
        assert tandem_banned(ids, k_min) == brute, (ids, k_min)
    assert tandem_banned([5, 7, 5], 2) == {7}
    assert tandem_banned([5, 5], 2) == set()  # a single token twice ("谢谢") is never a ban


def test_longest_tandem_block():
    assert longest_tandem_block([1, 2, 3]) == 0
    assert longest_tandem_block([4, 4]) == 1
    assert longest_tandem_block([9, 1, 2, 3, 1, 2, 3, 8, 8]) == 3


def test_build_tables_from_a_real_tokenizer(tmp_path):
    from compress.tokenizer import special_token_ids, train_tokenizer

    texts = ["Wo ist der Bahnhof?", "火车站在哪里？", "Where is the train station?"] * 3
    tok = train_tokenizer(texts, 300)
    special = special_token_ids(tok)
    tandem = "Well, well, well."  # a transcript that says a phrase twice in a row
    tables = build_tables(tok, {"de": [texts[0]], "zh": [texts[1]], "transcribe": [texts[2], tandem]}, [special["im_end"]])
    rules = DecodingRules(tables)
    de_ids = tok(texts[0], add_special_tokens=False).input_ids
    assert set(tables["allowed"]["de"]) == set(de_ids)
    # Every special token has no bytes; every other token decodes to its own bytes.
    assert tables["token_bytes"][special["im_end"]] is None
    assert b"".join(bytes.fromhex(tables["token_bytes"][i]) for i in de_ids).decode() == texts[0]
    # No reference is blocked by the n-gram rule, and German never allows a Chinese token.
    repeats = [longest_repeat(tok(t, add_special_tokens=False).input_ids) for t in texts[:3] + [tandem]]
    assert tables["no_repeat_ngram_size"] == max(repeats) + 1
    # Rule 4 blocks no target either: its minimum is one more than the longest block a target repeats.
    block = longest_tandem_block(tok(tandem, add_special_tokens=False).input_ids)
    assert block >= 2 and tables["no_tandem_repeat_min"] == {"de": 2, "zh": 2, "transcribe": block + 1}
    zh_only = set(tables["allowed"]["zh"]) - set(tables["allowed"]["de"])
    assert zh_only and not rules.mask("de", ACCEPT)[sorted(zh_only)].any()
    # Rule 5 only where no target says a phrase twice in a row ("Well, well, well." is one word thrice).
    assert tables["collapse_loops"] == {"de": True, "zh": True, "transcribe": True}
    looped = build_tables(tok, {"de": ["Es ist gut, es ist gut."], "zh": [texts[1]], "transcribe": ["It was very good, very good."]}, [special["im_end"]])
    assert looped["collapse_loops"] == {"de": True, "zh": True, "transcribe": False}


@pytest.mark.parametrize("case", [c for c in CASES["cases"] if c["stop"] != "budget"], ids=lambda c: c["name"][:40])
def test_rules_processor_inside_generate_chooses_the_same_ids(case):
    """translate.py's LogitsProcessor (PyTorch generate(), dev scoring and goldens) applies the same rules."""
    import torch

    from compress.translate import RulesProcessor

    rules = DecodingRules(CASES["tables"])
    processor, ids = RulesProcessor(rules, case["task"]), []
    for logits in case["steps"]:
        token = int(processor(torch.tensor([ids], dtype=torch.long), torch.tensor([logits])).argmax())
        if token in rules.eos or token == rules.out_of_domain:
            break
        ids.append(token)
    assert ids == case["ids"]


def test_the_onnx_runtime_takes_the_manifests_confidence_tokens(tiny_export, reference, speech, tmp_path):
    import shutil

    from compress.reference import reference_inputs
    from compress.runtime import OnnxSpeechTranslator

    folder = tmp_path / "model"
    shutil.copytree(tiny_export, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    feats = reference_inputs(*reference, speech, "de")["input_features"].numpy()

    def generate(**fields):
        (folder / "manifest.json").write_text(json.dumps(manifest | fields))
        return OnnxSpeechTranslator(folder, "fp32").generate(feats, len(speech), "de", max_new_tokens=8)

    every, least = generate(), generate(confidence_tokens=1)
    assert least.confidence < every.confidence
    assert least.confidence == pytest.approx(np.exp(min(least.token_logprobs)))
    assert every.confidence == pytest.approx(np.exp(np.mean(every.token_logprobs)))
    assert generate(confidence_tokens=100).confidence == pytest.approx(every.confidence)


def run_beam_case(rules, case, beams):
    """decoding.BeamSearch over a case's model: logits that depend on the hypothesis so far."""
    from compress.decoding import BeamSearch

    def logits(chooser):
        key = ",".join(str(t) for t in chooser.ids)
        return np.asarray(case["logits"].get(key, case["default"]), np.float32)

    search = BeamSearch(Chooser(rules, case["task"]), beams, set(rules.eos) | {rules.out_of_domain}, case["max_new_tokens"])
    rows = [logits(search.live[0].chooser)]
    while search.step(rows):
        rows = [logits(beam.chooser) for beam in search.live]
    best = search.best()
    stop = "budget" if best.stop is None else "eos" if best.stop in rules.eos else "out_of_domain"
    return best.beam.chooser.complete_ids(), stop


@pytest.mark.parametrize("case", CASES["beam_cases"], ids=lambda c: c["name"][:60])
def test_beam_search_cases_shared_with_the_browser(case):
    rules = DecodingRules(CASES["tables"])
    assert run_beam_case(rules, case, case["beams"]) == (case["ids"], case["stop"])


@pytest.mark.parametrize("case", CASES["beam_cases"], ids=lambda c: c["name"][:60])
def test_greedy_on_the_beam_cases_writes_their_greedy_ids(case):
    """The cases' models are built so that greedy decoding writes something else where beams differ."""
    rules = DecodingRules(CASES["tables"])
    chooser = Chooser(rules, case["task"])
    while True:
        token = chooser.choose(np.asarray(case["logits"].get(",".join(map(str, chooser.ids)), case["default"]), np.float32))
        if token in rules.eos or token == rules.out_of_domain:
            break
        chooser.accept(token)
        if len(chooser.ids) >= case["max_new_tokens"]:
            break
    assert chooser.complete_ids() == case["greedy_ids"]


def test_beam_search_refuses_a_width_under_one():
    from compress.decoding import BeamSearch

    with pytest.raises(ToolkitError, match="beams must be at least 1"):
        BeamSearch(Chooser(None, "de"), 0, {6}, 8)


def test_the_onnx_runtime_decodes_with_the_manifests_beams(tiny_export, speech, tmp_path):
    """`compress decoding --beams` writes the widths; the runtime then decodes that task by beam search
    (batched steps, the KV cache following the parents) and the others greedy; one beam is greedy."""
    import shutil

    from compress.audio import encoder_input, extract_features, mel_frames
    from compress.decoding import parse_beams, write_beams
    from compress.runtime import OnnxSpeechTranslator
    from transformers import WhisperFeatureExtractor

    folder = tmp_path / "model"
    shutil.copytree(tiny_export, folder)
    feats, _ = extract_features(WhisperFeatureExtractor.from_pretrained(folder), speech)
    frames = mel_frames(len(speech), 160, 3000)
    window = encoder_input(feats, frames, 2)

    def decode(task, **kw):
        runner = OnnxSpeechTranslator(folder, "fp32")
        return runner, runner.generate_window(window, frames, task, max_new_tokens=12, **kw)

    greedy = {task: decode(task)[1] for task in ("de", "zh")}
    write_beams(folder, parse_beams(["de=4"]), log=lambda _: None)
    runner, de = decode("de")
    assert runner.beams == {"de": 4} and runner.beams_for("zh") == 1
    assert decode("zh")[1].token_ids == greedy["zh"].token_ids
    assert decode("de", beams=1)[1].token_ids == greedy["de"].token_ids
    # On this fixture four beams write another sentence than greedy: the manifest's width was used (the
    # ids themselves are checked against the browser's on the student: src/core/beam-search.test.ts).
    assert de.token_ids != greedy["de"].token_ids and len(de.token_logprobs) >= len(de.token_ids)
    write_beams(folder, {"de": 1}, log=lambda _: None)
    assert "beams" not in json.loads((folder / "manifest.json").read_text())


@pytest.mark.parametrize("items, message", [
    (["de"], "expects TASK=WIDTH"), (["de=x"], "expects TASK=WIDTH"), (["fr=4"], "has no 'fr' prompt"), (["de=17"], "1 to 16"),
])
def test_write_beams_refuses_what_no_runtime_can_decode(tiny_export, tmp_path, items, message):
    import shutil

    from compress.decoding import parse_beams, write_beams

    folder = tmp_path / "model"
    shutil.copytree(tiny_export, folder)
    with pytest.raises(ToolkitError, match=message):
        write_beams(folder, parse_beams(items), log=lambda _: None)
