import pytest
from transformers import AutoTokenizer

from compress.tokenizer import SPECIAL_TOKENS

SENTENCES = [
    "Wo ist der Bahnhof? Ich hätte gern zwei Fahrkarten nach Köln, um 14:30 Uhr.",
    "Größe, Straße, Übermorgen — ÄÖÜ äöü ß.",
    "请问火车站在哪里？我想买两张去北京的票，下午两点半。",
    "¥12.50, 3個, 「引号」 and emoji-free punctuation…",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_round_trips_german_and_chinese_exactly(tiny_checkpoint, text):
    tok = AutoTokenizer.from_pretrained(tiny_checkpoint)
    assert tok.decode(tok(text, add_special_tokens=False).input_ids) == text


def test_special_tokens_are_single_ids_after_the_vocabulary(tiny_checkpoint):
    tok = AutoTokenizer.from_pretrained(tiny_checkpoint)
    ids = [tok.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS]
    assert ids == list(range(len(tok) - len(SPECIAL_TOKENS), len(tok)))
    text = "<|im_start|>user\nAudio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\n<|im_end|>"
    enc = tok(text, add_special_tokens=False).input_ids
    for t in ("<|im_start|>", "<|audio_bos|>", "<|AUDIO|>", "<|audio_eos|>", "<|im_end|>"):
        assert enc.count(tok.convert_tokens_to_ids(t)) == 1
