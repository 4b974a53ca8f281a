"""A small byte-level BPE with Qwen2-Audio's special tokens and chat template, saved in HF layout.

Byte-level BPE (as Qwen2's tokenizer) so that German umlauts and every Chinese character round-trip
exactly, whatever the training corpus covered.
"""
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from .errors import ToolkitError
from .prompt import CHAT_TEMPLATE

# In Qwen2-Audio's order: <|endoftext|> 151643, <|im_start|> 151644, <|im_end|> 151645,
# <|AUDIO|> 151646, <|audio_bos|> 151647, <|audio_eos|> 151648. Ours follow the BPE vocabulary.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|AUDIO|>", "<|audio_bos|>", "<|audio_eos|>"]
MIN_VOCAB_SIZE = 256 + len(SPECIAL_TOKENS)  # the byte alphabet is always in the vocabulary

# Qwen2's pre-tokenizer split pattern (contractions, letters, single digits, punctuation, spaces).
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def train_tokenizer(texts, vocab_size: int) -> PreTrainedTokenizerFast:
    """Train on `texts` (an iterable of strings) and wrap it as a transformers fast tokenizer."""
    if vocab_size < MIN_VOCAB_SIZE:
        raise ToolkitError(f"--vocab-size must be at least {MIN_VOCAB_SIZE} (the 256 byte symbols of a byte-level BPE and "
                           f"{len(SPECIAL_TOKENS)} special tokens), got {vocab_size}")
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - len(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    tok.add_special_tokens(SPECIAL_TOKENS)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        bos_token=None,
        chat_template=CHAT_TEMPLATE,
        model_max_length=32768,
        clean_up_tokenization_spaces=False,
    )


def special_token_ids(tokenizer) -> dict:
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS}
    missing = [t for t, i in ids.items() if i is None or i == tokenizer.unk_token_id]
    if missing:
        raise ValueError(f"tokenizer lacks Qwen2-Audio special tokens: {', '.join(missing)}")
    return {
        "endoftext": ids["<|endoftext|>"],
        "im_start": ids["<|im_start|>"],
        "im_end": ids["<|im_end|>"],
        "audio": ids["<|AUDIO|>"],
        "audio_bos": ids["<|audio_bos|>"],
        "audio_eos": ids["<|audio_eos|>"],
    }
