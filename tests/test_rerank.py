"""Reranking beams by the transcript (compress/rerank.py): the cases shared with the browser
(fixtures/rerank/cases.json, src/core/rerank.test.ts), the tables NLTK's IBM Model 1 learns from a corpus,
rerank.json in an exported folder, and the runtime's choice among a finished search's hypotheses."""
import json
import shutil
from pathlib import Path

import pytest

from compress.errors import ToolkitError
from compress.rerank import Reranker, parse_weights, train_tables, words, write_rerank

CASES = json.loads((Path(__file__).parent.parent / "fixtures/rerank/cases.json").read_text())


@pytest.mark.parametrize("case", CASES["words"], ids=lambda c: c["text"][:30])
def test_words_shared_with_the_browser(case):
    assert words(case["text"]) == case["words"]


@pytest.mark.parametrize("case", CASES["misses"], ids=lambda c: c["name"][:60])
def test_misses_shared_with_the_browser(case):
    assert Reranker(CASES["tables"]).misses(case["task"], case["hypothesis"], case["heard"]) == case["misses"]


@pytest.mark.parametrize("case", CASES["confidence"], ids=lambda c: c["name"][:60])
def test_confidence_shared_with_the_browser(case):
    reranker = Reranker(CASES["tables"])
    assert reranker.confidence(case["task"], case["confidence"], case["hypothesis"], case["heard"]) == pytest.approx(case["expected"], rel=1e-9)


@pytest.mark.parametrize("case", CASES["choose"], ids=lambda c: c["name"][:60])
def test_choose_shared_with_the_browser(case):
    hypotheses = [(h["text"], h["score"]) for h in case["hypotheses"]]
    assert Reranker(CASES["tables"]).choose(case["task"], hypotheses, case["heard"]) == case["index"]


def write_corpus(folder):
    """A corpus where each drink and each city comes with its own words, in several frames."""
    rows = []
    for en_drink, de_drink, zh_drink in (("coffee", "Kaffee", "咖啡"), ("tea", "Tee", "茶"), ("water", "Wasser", "水")):
        for en_city, de_city, zh_city in (("Berlin", "Berlin", "柏林"), ("Vienna", "Wien", "维也纳")):
            rows.append({"en": f"A {en_drink} in {en_city}, please.", "de": f"Einen {de_drink} in {de_city}, bitte.", "zh": f"请在{zh_city}给我{zh_drink}。"})
            rows.append({"en": f"I drink {en_drink} in {en_city}.", "de": f"Ich trinke {de_drink} in {de_city}.", "zh": f"我在{zh_city}喝{zh_drink}。"})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_ibm_model_1_learns_each_word_from_the_corpus(tmp_path):
    tables = train_tables(write_corpus(tmp_path / "corpus"), {"de": 0.05, "zh": 0.1}, tau=0.05, log=lambda _: None)
    de, zh = tables["tasks"]["de"], tables["tasks"]["zh"]
    assert (de["weight"], zh["weight"], tables["tau"]) == (0.05, 0.1, 0.05)
    assert "coffee" in de["to"]["kaffee"] and "vienna" in de["to"]["wien"] and "tea" not in de["to"]["kaffee"]
    assert "kaffee" in de["back"]["coffee"] and "维" in zh["back"]["vienna"] and "茶" in zh["back"]["tea"]
    reranker = Reranker(tables)
    assert reranker.misses("de", "Einen Tee in Wien, bitte.", "A tea in Vienna, please.") == 0
    assert reranker.misses("de", "Einen Kaffee in Wien, bitte.", "A tea in Vienna, please.") == 2
    assert reranker.choose("zh", [("我在柏林喝茶。", -0.3), ("我在维也纳喝茶。", -0.31)], "I drink tea in Vienna.") == 1


@pytest.mark.parametrize("tasks, tau, message", [
    ({"fr": 0.05}, 0.05, "no 'fr' references"), ({"de": 0.0}, 0.05, "must be positive"), ({"de": 0.05}, 1.5, "between 0 and 1"),
])
def test_train_tables_refuses_bad_settings(tmp_path, tasks, tau, message):
    with pytest.raises(ToolkitError, match=message):
        train_tables(write_corpus(tmp_path / "corpus"), tasks, tau, log=lambda _: None)


def test_train_tables_needs_the_corpus(tmp_path):
    with pytest.raises(ToolkitError, match="train.jsonl not found"):
        train_tables(tmp_path, {"de": 0.05}, 0.05)


@pytest.mark.parametrize("items, message", [(["de"], "TASK=WEIGHT"), (["de=x"], "TASK=WEIGHT")])
def test_parse_weights_refuses_what_is_not_a_weight(items, message):
    with pytest.raises(ToolkitError, match=message):
        parse_weights(items)


def test_reranker_refuses_an_unknown_version():
    with pytest.raises(ToolkitError, match="version 2 is not supported"):
        Reranker({**CASES["tables"], "version": 2})


def transcribing_copy(tiny_export, folder):
    """The tiny export with a transcription prompt (its translation prompt's shape), which reranking needs."""
    shutil.copytree(tiny_export, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["prompts"]["transcribe"] = manifest["prompts"]["de"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_write_rerank_lists_the_tables_in_the_manifest(tiny_export, tmp_path):
    from compress.export.manifest import file_entries

    folder = transcribing_copy(tiny_export, tmp_path / "model")
    write_rerank(folder, write_corpus(tmp_path / "corpus"), {"de": 0.05}, 0.05, log=lambda _: None)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rerank"] == "rerank.json"
    assert {f["path"]: f for f in manifest["files"]}["rerank.json"] == {f["path"]: f for f in file_entries(folder)}["rerank.json"]
    assert Reranker.load(folder).tasks.keys() == {"de"}


def test_write_rerank_refuses_a_folder_that_cannot_transcribe_or_a_language_it_lacks(tiny_export, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    plain = tmp_path / "plain"
    shutil.copytree(tiny_export, plain)
    with pytest.raises(ToolkitError, match="no transcribe prompt"):
        write_rerank(plain, corpus, {"de": 0.05}, 0.05, log=lambda _: None)
    with pytest.raises(ToolkitError, match="has no fr prompt"):
        write_rerank(transcribing_copy(tiny_export, tmp_path / "model"), corpus, {"fr": 0.05}, 0.05, log=lambda _: None)


def test_the_runtime_picks_among_the_finished_hypotheses_by_the_transcript(tiny_export, tmp_path):
    """OnnxSpeechTranslator.chosen on a search whose hypotheses are written by the folder's tokenizer: the
    transcript picks the second-scored, a best-scored refusal stays, a lower refusal is never picked, and
    without a transcript the best-scored is kept."""
    from compress.decoding import BeamSearch, Beam, Chooser, Finished
    from compress.runtime import OnnxSpeechTranslator

    folder = transcribing_copy(tiny_export, tmp_path / "model")
    runner = OnnxSpeechTranslator(folder, "fp32")
    runner.reranker = Reranker(CASES["tables"])
    refusal = 9999

    def search(*hypotheses):
        s = BeamSearch(Chooser(None, "de"), len(hypotheses), {refusal}, 8)
        for text, score, stop in hypotheses:
            chooser = Chooser(None, "de")
            for token in runner.tokenizer(text, add_special_tokens=False).input_ids:
                chooser.accept(token)
            s.finished.append(Finished(Beam(chooser, score * len(chooser.ids)), score, stop))
        return s

    def text(finished):
        return runner.tokenizer.decode(finished.beam.chooser.ids)

    heard = "I would like a coffee, please."
    tea_first = search(("Ich möchte einen Tee, bitte.", -0.3, 0), ("Ich möchte einen Kaffee, bitte.", -0.32, 0))
    best, ranking = runner.chosen(tea_first, "de", heard)
    assert text(best) == "Ich möchte einen Kaffee, bitte."
    # Kaffee: -0.32 and no miss; Tee: -0.3 and two (Tee unheard, coffee unwritten).
    assert [score for _, score in ranking] == pytest.approx([-0.32, -0.4]) and ranking[0][0] == best.beam.chooser.ids
    assert text(runner.chosen(tea_first, "de", None)[0]) == "Ich möchte einen Tee, bitte."
    assert runner.chosen(tea_first, "de", None)[1] == []
    # Without rules (no refusal token) a best-scored hypothesis cut at the token budget is reranked too.
    cut = search(("Ich möchte einen Tee, bitte.", -0.3, None), ("Ich möchte einen Kaffee, bitte.", -0.32, 0))
    assert text(runner.chosen(cut, "de", heard)[0]) == "Ich möchte einen Kaffee, bitte."
    # Rules that only name the refusal token (this fixture's vocabulary has none) and finish text as it is.
    runner.rules = type("Rules", (), {"out_of_domain": refusal, "final_text": lambda self, task, text: text})()
    refused = search(("Ich möchte einen Tee, bitte.", -0.3, 0), ("", -0.1, refusal))
    assert runner.chosen(refused, "de", heard)[0].stop == refusal
    later = search(("Ich möchte einen Tee, bitte.", -0.3, 0), ("", -0.35, refusal))
    assert runner.chosen(later, "de", "")[0].stop != refusal


def test_a_reranked_answer_s_confidence_counts_its_misses(tiny_export, speech, tmp_path):
    """The runtime's beam search discounts the reranked answer's confidence by its misses against the
    transcript (Reranker.confidence); a folder without rerank tables keeps the tokens' confidence alone."""
    import math

    from compress.audio import encoder_input, extract_features, mel_frames
    from compress.decoding import confidence_of
    from compress.runtime import OnnxSpeechTranslator
    from transformers import WhisperFeatureExtractor

    folder = transcribing_copy(tiny_export, tmp_path / "model")
    runner = OnnxSpeechTranslator(folder, "fp32")
    feats, _ = extract_features(WhisperFeatureExtractor.from_pretrained(folder), speech)
    frames = mel_frames(len(speech), 160, 3000)
    window = encoder_input(feats, frames, 2)
    heard = "I would like a coffee, please."
    plain = runner.generate_window(window, frames, "de", max_new_tokens=12, beams=3, heard=heard)
    runner.reranker = Reranker(CASES["tables"])
    reranked = runner.generate_window(window, frames, "de", max_new_tokens=12, beams=3, heard=heard)
    assert plain.confidence == pytest.approx(confidence_of(plain.token_logprobs, runner.confidence_tokens))
    misses = runner.reranker.misses("de", runner.text(reranked, "de"), heard)
    assert misses > 0  # the random fixture's German shares no word with the tables: the discount shows
    tokens = confidence_of(reranked.token_logprobs, runner.confidence_tokens)
    assert reranked.confidence == pytest.approx(tokens * math.exp(-0.05 * misses)) and reranked.confidence < tokens
