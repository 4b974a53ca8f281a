"""The robustness measures (compress/metrics.py) and the threshold choice (compress/robustness.py) on
hand-made outputs, each checked against what it must say."""
from types import SimpleNamespace

import numpy as np
import pytest

from compress.metrics import broken, loop_span, normalised, roc_auc, score, sentence_accuracy, word_error_rate
from compress.errors import ToolkitError
from compress.robustness import choose_threshold, summarize, threshold_at


def test_sentence_accuracy_ignores_case_spaces_and_punctuation_only():
    assert normalised("Wo ist der Bahnhof?") == normalised("wo ist der  Bahnhof")
    assert normalised("请问，火车站在哪里？") == normalised("请问火车站在哪里")
    assert sentence_accuracy(["Mein Mann kommt aus China.", "Wo ist der Bahnhof"],
                             ["Mein Mann kommt aus Deutschland.", "Wo ist der Bahnhof?"]) == 50.0
    # chrF gives the wrong country most of its credit; accuracy gives it none.
    s = score(["Mein Mann kommt aus China."], ["Mein Mann kommt aus Deutschland."], "de")
    assert s["chrf"] > 50 and s["accuracy"] == 0.0


@pytest.mark.parametrize("text, lang, expected", [
    ("Das ist zu lang ist zu lang ist zu Fuß entfernt.", "de", ["loop"]),
    ("Entschuldigung, wo火车站在哪里？", "de", ["wrong script"]),
    ("我在找U-Bahn。", "zh", ["wrong script"]),
    ("火车站\ufffd在哪里？", "zh", ["U+FFFD"]),
    ("Der Zug fährt um halb neun, der Bus um halb zehn.", "de", []),
    ("Two two tickets, please.", "en", []),  # a repeated single word is a hesitation, not a loop
])
def test_broken_outputs(text, lang, expected):
    assert broken(text, lang) == expected


def test_loop_span_names_the_repeated_phrase():
    assert loop_span("ist zu lang ist zu lang") == "ist zu lang"
    assert loop_span("火车站火车站") == "火车站"
    assert loop_span("halb neun bis halb zehn") is None


def test_word_error_rate_is_jiwers_on_normalised_words():
    assert word_error_rate(["where is the station"], ["Where is the train station?"]) == 20.0
    assert word_error_rate([""], ["Hello there."]) == 100.0


def test_roc_auc():
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.1, 0.2], [0.9, 0.8]) == 0.0
    assert roc_auc([0.5], [0.5]) == 0.5


def _row(text, confidence, ood=False):
    return {"text": text, "confidence": confidence, "out_of_domain": ood, "stopped": True}


def test_threshold_flags_at_most_five_percent_of_each_languages_correct_dev_translations():
    clips = [SimpleNamespace(de=f"Satz {i}.", zh=f"句子{i}。") for i in range(150)]
    dev = {"de": [_row(f"Satz {i}.", 0.5 + i / 200) for i in range(100)],
           "zh": [_row(f"句子{i}。", 0.3 + i / 200) for i in range(100)] + [_row("错", 0.99) for _ in range(50)]}  # wrong: not counted
    ood = {"de": [_row("x", 0.2), _row("", 0.9, ood=True)], "zh": [_row("y", 0.4), _row("z", 0.95)]}
    chosen = choose_threshold({"dev": (clips, dev)}, ood)
    assert chosen["correct_dev"] == {"de": 100, "zh": 100}
    for lang, n in chosen["correct_dev"].items():
        assert sum(r["confidence"] < chosen["threshold"][lang] for r in dev[lang][:n]) <= 0.05 * n
    # Each language's own: the 2nd lowest of 100 (the highest whose share of new ones under it is at most
    # 5% with 95% confidence; the plain 5% point would be the 5th), not one pooled value.
    assert chosen["threshold"] == {"de": 0.505, "zh": 0.305}
    assert chosen["ood_dev_flagged"] == {"de": 100.0, "zh": 0.0}  # 0.2 under de's, the refusal counts; 0.4, 0.95 over zh's
    # Written rounded down to 4 places, so rounding never flags one more correct translation.
    odd = {"de": [_row(f"Satz {i}.", 0.50006 + i / 200) for i in range(100)], "zh": dev["zh"]}
    assert choose_threshold({"dev": (clips, odd)}, None)["threshold"]["de"] == 0.505
    with pytest.raises(ToolkitError, match="no correct dev translation into zh"):
        choose_threshold({"dev": (clips, {"de": dev["de"], "zh": [_row("错", 0.9)] * 150})}, None)
    with pytest.raises(ToolkitError, match="dev, zh: only 58 correct translations to choose a threshold on: at least 59"):
        choose_threshold({"dev": (clips, {"de": dev["de"], "zh": dev["zh"][:58]})}, None)


def test_threshold_holds_five_percent_on_new_clips_with_95_percent_confidence():
    # 2,000 choice sets of 300 correct translations with uniform confidences: the share of new correct
    # translations under a threshold t is t itself. The plain 5% point went over 5% about half the time.
    draws = np.random.default_rng(0).random((2000, 300))
    over = np.mean([threshold_at(list(d)) > 0.05 for d in draws])
    plain = np.mean([np.quantile(d, 0.05, method="lower") > 0.05 for d in draws])
    assert over <= 0.05 + 0.015 and 0.4 < plain < 0.6


def test_threshold_holds_on_each_choice_split_not_only_on_them_pooled():
    # 200 correct translations in voices heard in training, confident; 100 in voices none heard, less so.
    # Pooled, the threshold would be the 9th lowest of 300 (0.508), the unheard split's 9th: 8% of it flagged.
    clips = [SimpleNamespace(de=f"Satz {i}.", zh=f"句子{i}。") for i in range(200)]
    heard = {lang: [_row(getattr(c, lang), 0.9 + i / 1000) for i, c in enumerate(clips)] for lang in ("de", "zh")}
    unheard = {lang: [_row(getattr(c, lang), 0.5 + i / 1000) for i, c in enumerate(clips[:100])] for lang in ("de", "zh")}
    alone = choose_threshold({"dev": (clips, heard)}, None)
    both = choose_threshold({"dev": (clips, heard), "dev-kokoro": (clips[:100], unheard)}, None)
    assert alone["threshold"]["de"] == 0.904 and both["correct_dev"]["de"] == 300
    assert both["per_split"] == {"dev": {"de": 0.904, "zh": 0.904}, "dev-kokoro": {"de": 0.501, "zh": 0.501}}
    for lang in ("de", "zh"):
        for split in (heard, unheard):
            assert np.mean([r["confidence"] < both["threshold"][lang] for r in split[lang]]) <= 0.05


def test_loops_that_rule_5_said_once_are_counted_and_shown():
    from compress.robustness import markdown_table

    clips = [SimpleNamespace(en="Where is the bank?", de="Wo ist die Bank?", zh="银行在哪里？")] * 2
    said_once = _row("银行在哪里？", 0.9) | {"raw": "银行在哪里银行在哪里？"}
    row = summarize(clips, {"de": [_row("Wo ist die Bank?", 0.9)] * 2, "zh": [said_once, _row("银行在哪里？", 0.9)]}, 0.5, in_domain=True)
    assert row["zh"]["loops_said_once"] == 1 and row["zh"]["broken"]["loop"] == 0 and row["de"]["loops_said_once"] == 0
    assert "| 0 (1 loops said once) |" in markdown_table({"m": {"results": {"test": {"clean": row}}}})


def test_a_threshold_per_language_flags_each_language_by_its_own():
    clips = [SimpleNamespace(en="Where is the bank?", de="Wo ist die Bank?", zh="银行在哪里？")]
    decoded = {"de": [_row("Wo ist die Bank?", 0.6)], "zh": [_row("银行在哪里？", 0.6)]}
    s = summarize(clips, decoded, threshold={"de": 0.7, "zh": 0.5}, in_domain=True)
    assert s["de"]["flagged"] == 100.0 and s["zh"]["flagged"] == 0.0


def test_summary_counts_flags_breakage_and_correct_flags():
    clips = [SimpleNamespace(en="Where is the bank?", de="Wo ist die Bank?", zh="银行在哪里？")] * 2
    decoded = {"de": [_row("Wo ist die Bank?", 0.9), _row("Die Bank die Bank die Bank", 0.3)],
               "zh": [_row("银行在哪里？", 0.95), _row("", 0.1, ood=True)],
               "transcribe": [_row("where is the bank", 0.9), _row("where is bank", 0.5)]}
    s = summarize(clips, decoded, threshold=0.5, in_domain=True)
    assert s["de"]["accuracy"] == 50.0 and s["de"]["flagged"] == 50.0 and s["de"]["correct_flagged"] == 0.0
    assert s["zh"]["flagged"] == 50.0
    assert s["de"]["broken"]["loop"] == 1 and s["de"]["broken_examples"] == ["Die Bank die Bank die Bank"]
    assert s["transcribe"]["wer"] == pytest.approx(100 / 8, abs=0.01)


def test_the_held_out_engine_is_heard_only_from_its_own_folder(tmp_path):
    import json

    from compress.robustness import speech_dir

    (tmp_path / "new-combination").mkdir()
    (tmp_path / "new-combination" / "manifest.jsonl").write_text(json.dumps({"split": "new-combination"}) + "\n")
    # Without the festival folder the held-out voices of new-combination must not stand in for it.
    assert speech_dir(tmp_path, "held-out-engine", "clean") is None
    assert speech_dir(tmp_path, "new-combination", "clean") == tmp_path / "new-combination"
    (tmp_path / "new-combination-festival").mkdir()
    (tmp_path / "new-combination-festival" / "manifest.jsonl").write_text(json.dumps({"split": "new-combination"}) + "\n")
    assert speech_dir(tmp_path, "held-out-engine", "clean") == tmp_path / "new-combination-festival"
    assert speech_dir(tmp_path, "held-out-engine", "phone") is None


def test_kokoro_splits_are_heard_from_their_own_folders(tmp_path):
    import json

    from compress.robustness import speech_dir

    for folder, split in (("dev", "dev"), ("test", "test"), ("dev-kokoro", "dev"), ("test-kokoro", "test")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "manifest.jsonl").write_text(json.dumps({"split": split}) + "\n")
    assert speech_dir(tmp_path, "dev-kokoro", "clean") == tmp_path / "dev-kokoro"
    assert speech_dir(tmp_path, "test-kokoro", "clean") == tmp_path / "test-kokoro"
    assert speech_dir(tmp_path, "dev", "clean") == tmp_path / "dev"
    (tmp_path / "dev-kokoro" / "manifest.jsonl").write_text(json.dumps({"split": "paraphrase"}) + "\n")
    assert speech_dir(tmp_path, "dev-kokoro", "clean") is None  # another split's clips never stand in


def test_a_held_out_voice_split_is_heard_in_conditions_from_its_own_folder(tmp_path):
    import json

    from compress.robustness import speech_dir

    # dev's room holds dev's voices (the training engines'); dev-kokoro's must be Kokoro's, rendered from its own clips.
    for folder in ("dev-conditions/reverb", "dev-kokoro-conditions/reverb"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "manifest.jsonl").write_text(json.dumps({"split": "dev"}) + "\n")
    assert speech_dir(tmp_path, "dev", "reverb") == tmp_path / "dev-conditions" / "reverb"
    assert speech_dir(tmp_path, "dev-kokoro", "reverb") == tmp_path / "dev-kokoro-conditions" / "reverb"
    assert speech_dir(tmp_path, "dev-kokoro", "phone") is None
    assert speech_dir(tmp_path, "test-kokoro", "reverb") is None  # never test's room


def test_a_split_and_condition_without_speech_is_said(tmp_path):
    from pathlib import Path

    from compress.robustness import decode_splits

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "dev.jsonl").write_text("")
    model = Path(__file__).resolve().parents[1] / "public" / "models" / "tiny-random"
    lines = []
    _, decoded = decode_splits(model, tmp_path / "corpus", tmp_path, splits=["dev-kokoro"], conditions=["reverb"],
                               log=lines.append)
    assert decoded == {} and lines == [f"  dev-kokoro/reverb: no speech under {tmp_path}, skipped"]


def test_the_table_has_a_row_per_model_split_and_condition():
    from compress.robustness import markdown_table

    clips = [SimpleNamespace(en="Where is the bank?", de="Wo ist die Bank?", zh="银行在哪里？")]
    row = summarize(clips, {"de": [_row("Wo ist die Bank?", 0.9)], "zh": [_row("银行在哪里？", 0.9)],
                            "transcribe": [_row("where is the bank", 0.9)]}, 0.5, in_domain=True)
    ood = summarize(clips, {"de": [_row("", 0.1, ood=True)], "zh": [_row("x", 0.2)]}, 0.5, in_domain=False)
    ood["de"]["auc"] = ood["zh"]["auc"] = 1.0
    table = markdown_table({"public/models/phrasebook-student": {"results": {
        "test": {"clean": row, "phone": row}, "ood": {"clean": ood}}}})
    lines = table.splitlines()
    assert len(lines) == 2 + 3
    assert lines[2].startswith("| phrasebook-student | test | clean | 1 | ") and lines[2].endswith(" | 0.0 |")
    assert "100.0 (AUC 1.0)" in lines[4] and lines[4].endswith(" |  |")


def test_each_clips_outputs_say_what_was_written_flagged_and_right():
    from compress.robustness import clip_outputs

    clips = [SimpleNamespace(clip_id="c1", sentence_id="s1", en="Where is the bank?", de="Wo ist die Bank?", zh="银行在哪里？"),
             SimpleNamespace(clip_id="c2", sentence_id="s2", en="The markets closed higher.", de="", zh="")]
    decoded = {"de": [_row("wo ist die Bank", 0.9), _row("", 0.2, ood=True)],
               "zh": [_row("银行在哪？", 0.4), _row("", 0.1, ood=True)],
               "transcribe": [_row("Where is the bank", 0.9), _row("the markets closed higher", 0.8)]}
    rows = clip_outputs("m", "dev", "clean", clips, decoded, {"de": 0.5, "zh": 0.5})
    assert [r["clip"] for r in rows] == ["c1", "c2"] and rows[0]["de"] == {"text": "wo ist die Bank", "confidence": 0.9,
                                                                          "flagged": False, "right": True}
    assert rows[0]["zh"]["flagged"] and not rows[0]["zh"]["right"]
    assert rows[1]["de"]["flagged"] and not rows[1]["de"]["right"]  # no reference: never "right"
    assert rows[1]["transcribe"]["right"] and rows[0]["en"] == "Where is the bank?"


def test_chained_decoding_splits_each_answer_into_the_transcript_and_the_translation(tiny_export):
    """--chained: each language through its chained prompt with twice the token budget; the translation
    after the separator is the language's text, finished under that language's rule 5, and the English of
    the German answers is the transcription, finished under the transcription's (which keeps the repeat)."""
    import json
    from pathlib import Path

    from compress.decoding import DecodingRules
    from compress.robustness import decode_all, decode_splits
    from compress.runtime import Generation, OnnxSpeechTranslator

    answers = {"transcribe+de": "Where is the bank, the bank?\nWo ist die Bank die Bank?",
               "transcribe+zh": "Where is the bank?\n银行在哪里？"}
    tables = json.loads((Path(__file__).parent.parent / "fixtures/decoding/cases.json").read_text())["tables"]
    tables["collapse_loops"]["transcribe"] = True  # so that the transcription's raw and text differ

    class Runner:
        rules = DecodingRules(tables)
        final_text = OnnxSpeechTranslator.final_text
        asked = []

        def generate_window(self, window, frames, task, max_new_tokens, heard=None):
            assert heard is None  # chained: no separate transcription to rerank by
            self.asked.append((task, max_new_tokens))
            return Generation(token_ids=[], prompt_ids=[], n_audio_tokens=0, confidence=0.8, heard_confidence=0.6, stopped=True)

        raw_text = OnnxSpeechTranslator.raw_text  # over this tokenizer, which decodes to the answer
        decoded = OnnxSpeechTranslator.decoded
        tokenizer = SimpleNamespace(decode=lambda ids, skip_special_tokens: answers[Runner.asked[-1][0]] + " ")

    cache = SimpleNamespace(window=lambda clip_id: (np.zeros((80, 10), np.float32), 10))
    out = decode_all(Runner(), [SimpleNamespace(clip_id="c")], cache, ["de", "zh", "transcribe"], chained=True)
    assert Runner.asked == [("transcribe+de", 128), ("transcribe+zh", 128)]
    Runner.asked.clear()
    assert out["de"][0]["text"] == "Wo ist die Bank?" and out["de"][0]["raw"] == "Wo ist die Bank die Bank?"
    assert out["zh"][0]["text"] == "银行在哪里？" and out["de"][0]["confidence"] == 0.8
    assert list(out) == ["de", "zh", "transcribe"]
    assert out["transcribe"] == [{"text": "Where is the bank?", "raw": "Where is the bank, the bank?",
                                  "confidence": 0.6, "out_of_domain": False, "stopped": True}]
    # An answer that ended before its translation: nothing translated, so not stopped; a leading separator
    # (nothing heard) keeps the translation a translation.
    answers["transcribe+de"], answers["transcribe+zh"] = "Where is the bank?", "\n银行在哪里？"
    out = decode_all(Runner(), [SimpleNamespace(clip_id="c")], cache, ["de", "zh", "transcribe"], chained=True)
    assert (out["de"][0]["text"], out["de"][0]["stopped"]) == ("", False)
    assert (out["zh"][0]["text"], out["zh"][0]["stopped"]) == ("银行在哪里？", True)
    with pytest.raises(ToolkitError, match="has no transcribe\\+de or transcribe\\+zh prompt: export a model trained with --chain"):
        decode_splits(tiny_export, "nowhere", "nowhere", chained=True)


def test_decode_all_transcribes_first_and_gives_each_translation_its_clip_s_transcript():
    """A folder that reranks beams by the transcript needs it before the translation: decode_all decodes the
    transcription first, hands each clip's finished transcript to that clip's translations, and reports the
    tasks in the order asked."""
    from compress.robustness import decode_all
    from compress.runtime import Generation

    class Runner:
        rules = None
        calls = []

        def generate_window(self, window, frames, task, max_new_tokens, heard=None):
            self.calls.append((task, int(window[0, 0, 0]), heard))
            return Generation(token_ids=[int(window[0, 0, 0])], prompt_ids=[], n_audio_tokens=0, stopped=True)

        def raw_text(self, gen):
            return f"clip {gen.token_ids[0]}"

        def final_text(self, task, raw):
            return raw

    cache = SimpleNamespace(window=lambda clip_id: (np.full((80, 10), int(clip_id), np.float32), 10))
    out = decode_all(Runner(), [SimpleNamespace(clip_id="1"), SimpleNamespace(clip_id="2")], cache, ["de", "zh", "transcribe"])
    assert Runner.calls == [("transcribe", 1, None), ("transcribe", 2, None), ("de", 1, "clip 1"), ("de", 2, "clip 2"),
                            ("zh", 1, "clip 1"), ("zh", 2, "clip 2")]
    assert list(out) == ["de", "zh", "transcribe"] and out["transcribe"][1]["text"] == "clip 2"
