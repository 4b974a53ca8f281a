"""An English travel phrasebook with German and Simplified Chinese translations, generated from templates.

    generate_corpus(seed) -> examples      every template filled (seeded samples for the large ones)
    evaluation_splits(seed) -> splits      the frozen evaluation splits, the training examples kept from them
    write_corpus(out_dir, seed) -> stats   train.jsonl, dev.jsonl, new-combination.jsonl, test.jsonl, …, stats.json
    vocabulary_markdown(examples) -> str   docs/vocabulary.md
"""
from .corpus import evaluation_splits, generate_corpus, words, write_corpus
from .vocabulary import vocabulary_markdown

__all__ = ["generate_corpus", "evaluation_splits", "write_corpus", "vocabulary_markdown", "words", "add_cli"]


def cmd_phrasebook(args):
    import json

    stats = write_corpus(args.out, seed=args.seed, epochs=args.epochs, epoch_size=args.epoch_size,
                         canonical_share=args.canonical_share, to_the_hour_share=args.to_the_hour_share,
                         word_share=args.word_share, word_swap_share=args.word_swap_share)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in stats["sizes"].items()))
    print("vocabulary: " + json.dumps(stats["vocabulary"]))
    if args.vocabulary_doc:
        from pathlib import Path

        Path(args.vocabulary_doc).write_text(vocabulary_markdown(generate_corpus(args.seed)), encoding="utf-8")
        print(f"wrote {args.vocabulary_doc}")


def share(text: str) -> float:
    """A fraction in [0, 1], for argparse."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be within [0, 1], got {value}")
    return value


def add_cli(subparsers):
    p = subparsers.add_parser("phrasebook", help="generate the EN->DE/ZH travel phrasebook corpus and its splits")
    p.add_argument("--out", required=True, help="output folder, e.g. data/corpus")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=0, help="also sample this many training sets train-e<k>.jsonl (resumable)")
    p.add_argument("--epoch-size", type=int, default=40000, help="sentences per sampled training set")
    p.add_argument("--canonical-share", type=share, default=0.0,
                   help="share of each sampled set that is the canonical sentence, as the first phrasebook "
                        "spoke it (replay when fine-tuning a model trained on it); default 0")
    p.add_argument("--to-the-hour-share", type=share, default=0.0,
                   help="share of each sampled set that is a clock time past the half hour, which English says "
                        "\"to\" the next hour (\"five to eight\" is 7:55), on top of those drawn anyway; default 0")
    p.add_argument("--word-share", type=share, default=0.0,
                   help="share of each sampled set built around one word filler drawn uniformly (\"hand\", "
                        "\"train station\"), in a frame that takes it, so every word is heard often; default 0")
    p.add_argument("--word-swap-share", type=share, default=0.0,
                   help="like --word-share, but only draws that land on a frame with a word slot are swapped for "
                        "a word draw, so the number, date and clock frames keep their share; default 0")
    p.add_argument("--vocabulary-doc", help="also write the vocabulary doc here (docs/vocabulary.md)")
    p.set_defaults(func=cmd_phrasebook)
