"""`compress tiny`: a tiny random-initialised Qwen2-Audio checkpoint in HF layout, for tests and fixtures.

Same classes and file layout as Qwen2-Audio-7B-Instruct, only small. Weights are drawn with a
larger standard deviation than HF's default so that greedy decoding has clear top-1 margins:
golden token ids must not flip on float rounding differences between runtimes.
"""
from pathlib import Path

import torch
from transformers import (
    Qwen2AudioConfig,
    Qwen2AudioEncoderConfig,
    Qwen2AudioForConditionalGeneration,
    Qwen2Config,
    WhisperFeatureExtractor,
)

from .errors import ToolkitError
from .prompt import LANGUAGE_NAMES, translation_messages
from .tokenizer import special_token_ids, train_tokenizer

# A few lines in the three languages, so the BPE has real merges for en/de/zh text.
TINY_CORPUS = [
    "Where is the train station?",
    "Wo ist der Bahnhof?",
    "火车站在哪里？",
    "I would like a table for two people at seven o'clock.",
    "Ich möchte einen Tisch für zwei Personen um sieben Uhr.",
    "我想订一张七点钟两个人的桌子。",
    "How much does this ticket cost? It costs 12 euros.",
    "Wie viel kostet diese Fahrkarte? Sie kostet 12 Euro.",
    "这张票多少钱？十二欧元。",
    "Good morning! The weather is nice today.",
    "Guten Morgen! Das Wetter ist heute schön.",
    "早上好！今天天气很好。",
    "Please call a doctor. Bitte rufen Sie einen Arzt. 请叫医生。",
] + [m["content"] for lang in LANGUAGE_NAMES for m in translation_messages(lang)]


def tiny_config(vocab_size: int, special: dict, *, text_layers: int = 4, n_mels: int = 128) -> Qwen2AudioConfig:
    audio = Qwen2AudioEncoderConfig(
        num_mel_bins=n_mels,
        encoder_layers=2,
        encoder_attention_heads=4,
        encoder_ffn_dim=128,
        d_model=64,
        max_source_positions=1500,
    )
    text = Qwen2Config(
        vocab_size=vocab_size,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=text_layers,
        num_attention_heads=4,
        num_key_value_heads=2,  # grouped-query attention, so exports are tested with kv_heads < heads
        max_position_embeddings=2048,
        rope_theta=10000.0,
        tie_word_embeddings=False,
        bos_token_id=special["endoftext"],
        eos_token_id=special["im_end"],
    )
    return Qwen2AudioConfig(
        audio_config=audio.to_dict(),
        text_config=text.to_dict(),
        audio_token_index=special["audio"],
        tie_word_embeddings=False,
    )


def make_tiny(
    out: Path,
    seed: int = 0,
    vocab_size: int = 512,
    text_layers: int = 4,
    init_std: float | None = 0.2,
    model_vocab_size: int | None = None,
) -> Path:
    """`model_vocab_size` pads the embedding table past the tokenizer, as Qwen2-Audio does (156,032 rows)."""
    if text_layers < 1:
        raise ToolkitError(f"--layers must be at least 1, got {text_layers}")
    tokenizer = train_tokenizer(TINY_CORPUS, vocab_size)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    special = special_token_ids(tokenizer)
    config = tiny_config(max(len(tokenizer), model_vocab_size or 0), special, text_layers=text_layers)
    torch.manual_seed(seed)
    model = Qwen2AudioForConditionalGeneration(config).eval()
    if init_std is not None:  # None keeps transformers' own initialisation
        with torch.no_grad():
            for p in model.parameters():
                if p.dim() >= 2:
                    p.normal_(0.0, init_std)
    model.generation_config.eos_token_id = [special["im_end"], special["endoftext"]]
    model.generation_config.pad_token_id = special["endoftext"]
    model.generation_config.bos_token_id = special["endoftext"]
    model.generation_config.do_sample = False
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    WhisperFeatureExtractor(feature_size=config.audio_config.num_mel_bins).save_pretrained(out)
    return out


def cmd_tiny(args):
    path = make_tiny(args.out, seed=args.seed, vocab_size=args.vocab_size, text_layers=args.layers)
    print(f"wrote tiny Qwen2-Audio checkpoint to {path}")


def add_cli(subparsers):
    p = subparsers.add_parser("tiny", help="write a tiny random-initialised Qwen2-Audio checkpoint (HF layout)")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab-size", type=int, default=512)
    p.add_argument("--layers", type=int, default=4, help="text decoder layers")
    p.set_defaults(func=cmd_tiny)
