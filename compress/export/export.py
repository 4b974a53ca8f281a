"""`compress export`: a Qwen2-Audio checkpoint → the browser contract folder (docs/model-contract.md).

Everything is written into a temporary sibling folder and renamed into place at the end, so a
failed or interrupted export never leaves a half-written model where the app would find it.
"""
import json
import resource
import shutil
import time
from pathlib import Path

from ..audio import HOP_LENGTH, MAX_SECONDS, SAMPLING_RATE
from ..checkpoint import load_checkpoint, parameter_counts
from ..decoding import OUT_OF_DOMAIN_TOKEN
from ..errors import ToolkitError
from ..outdir import check_out, writing
from ..prompt import LANGUAGE_NAMES, TASKS, render_prompt, translation_messages
from ..tokenizer import special_token_ids
from .graphs import CONTEXT_FRAMES, export_graphs, kv_shape
from .manifest import FORMAT, FORMAT_VERSION, GRAPH_NAMES, unlisted_files, write_manifest
from .quantize import DEFAULT_BLOCK_SIZE, check_block_size, quantization_settings, quantize_q4, requantize_int8
from .shards import DEFAULT_MAX_SHARD_BYTES, load_with_data, save_sharded

QUANT_CHOICES = {
    "fp32": ["fp32"], "q4": ["q4"], "q4dq": ["q4dq"], "q8": ["q8"], "both": ["fp32", "q4"], "web": ["q4", "q4dq", "q8"],
    "all": ["fp32", "q4", "q4dq", "q8"],
}
SUFFIX = {"fp32": "", "q4": "_q4", "q4dq": "_q4dq", "q8": "_q8"}
QUANT_FORMAT = {"q4": "matmulnbits", "q4dq": "qdq", "q8": "qdq"}  # q8 is made from the q4dq graph
# The variant each browser backend loads, the first of these the folder has (else default_variant):
# WASM has no fast MatMulNBits kernel, so it runs the 4-bit numbers on its 8-bit integer kernels,
# or folded to fp32 in folders exported before q8 (quantize.py).
BACKEND_VARIANTS = {"wasm": ("q8", "q4dq")}


def backend_variants(variants) -> dict:
    """Each backend's variant: the first of BACKEND_VARIANTS[backend] that `variants` has."""
    return {b: next(v for v in vs if v in variants) for b, vs in BACKEND_VARIANTS.items() if any(v in variants for v in vs)}


def graph_path(variant: str, name: str) -> str:
    """The embedding graph has no MatMul, so q4dq and q8 share q4's file (one download, one cache entry)."""
    suffix = SUFFIX["q4" if variant in ("q4dq", "q8") and name == "embed_tokens" else variant]
    return f"onnx/{name}{suffix}.onnx"


def _check_args(model_dir: Path, out: Path, quant: str, block_size: int, max_shard_bytes: int, force: bool):
    if quant not in QUANT_CHOICES and not set(quant.split(",")) <= set(SUFFIX):
        raise ToolkitError(f"--quant must be one of {', '.join(QUANT_CHOICES)} or a comma-separated list of "
                           f"{', '.join(SUFFIX)}, got {quant!r}")
    check_block_size(block_size)
    if max_shard_bytes < 64 * 1024:
        raise ToolkitError(f"--max-shard-bytes must be at least 65536, got {max_shard_bytes}")
    check_out(out, model_dir, force, replaceable=_check_replaceable)


def _check_replaceable(out: Path) -> None:
    """An existing --out may only be an earlier export whose manifest lists every file in it: replacing
    anything else (a folder of models and their index, the user's own files) would delete what the
    export did not write."""
    try:
        manifest = json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), list):
        raise ToolkitError(f"--out {out} holds files and is not a model export (no manifest.json from `compress export`); "
                           f"give a new folder or an earlier export's own folder, e.g. {out / '<id>'}")
    others = unlisted_files(out, manifest)
    if others:
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        raise ToolkitError(f"--out {out} is a model export but also holds files its manifest does not list ({shown}); "
                           "move them out before replacing it")


def export_model(
    model_dir,
    out,
    *,
    model_id: str | None = None,
    quant: str = "both",
    block_size: int = DEFAULT_BLOCK_SIZE,
    symmetric: bool = False,
    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES,
    version: str | None = None,
    force: bool = False,
    tasks: list[str] | None = None,
    log=print,
) -> dict:
    model_dir, out = Path(model_dir), Path(out)
    _check_args(model_dir, out, quant, block_size, max_shard_bytes, force)
    # The folder is made before the checkpoint loads, so a place that cannot be written fails at once.
    with writing(out, what="export") as tmp:
        model, tokenizer, feature_extractor = load_checkpoint(model_dir)
        try:
            special = special_token_ids(tokenizer)
        except ValueError as e:
            raise ToolkitError(f"{model_dir}: {e}") from e
        if model.config.audio_token_index != special["audio"]:
            raise ToolkitError(
                f"{model_dir}: config audio_token_index={model.config.audio_token_index} but the tokenizer's <|AUDIO|> "
                f"is {special['audio']}"
            )

        trained = list(getattr(model.config, "tasks", LANGUAGE_NAMES))
        untrained = [t for t in tasks or () if t not in trained]
        if untrained:
            raise ToolkitError(f"--tasks {' '.join(untrained)}: {model_dir} was trained on {', '.join(trained)} only")
        # Every runtime reads a prompt for each of languages.targets: only the transcription may be left out.
        missing = [lang for lang in LANGUAGE_NAMES if lang not in (tasks or LANGUAGE_NAMES)]
        if missing:
            raise ToolkitError(f"--tasks must keep every translation target ({', '.join(LANGUAGE_NAMES)}); "
                               f"{', '.join(missing)} is missing (only transcribe may be left out)")

        raw = tmp / ".raw"
        log(f"tracing graphs of {model_dir} …")
        raw_paths = export_graphs(model, raw, max_tensor_bytes=max_shard_bytes)
        (tmp / "onnx").mkdir()
        variants = {}
        for variant in QUANT_CHOICES.get(quant) or dict.fromkeys(quant.split(",")):
            variants[variant] = {}
            for name in GRAPH_NAMES:
                rel = graph_path(variant, name)
                variants[variant][name] = rel
                if (tmp / rel).exists():
                    continue
                q4dq = tmp / graph_path("q4dq", name)
                if variant == "q8" and q4dq.exists():  # q8 is made from the q4dq graph already written
                    graph = load_with_data(q4dq)
                else:
                    graph = load_with_data(raw_paths[name])
                    if variant in QUANT_FORMAT:
                        log(f"quantising {name} to 4 bits ({variant}, block {block_size}) …")
                        try:
                            graph = quantize_q4(graph, block_size, symmetric, embeddings=name == "embed_tokens", fmt=QUANT_FORMAT[variant])
                        except ValueError as e:
                            raise ToolkitError(f"{name}: {e}") from e
                if variant == "q8" and name != "embed_tokens":  # the embedding stays q4's 4-bit Gather
                    log(f"re-expressing {name}'s 4-bit weights as 8-bit integers (q8) …")
                    graph = requantize_int8(graph)
                save_sharded(graph, tmp / rel, max_shard_bytes)
        shutil.rmtree(raw)

        model.config.save_pretrained(tmp)
        model.generation_config.save_pretrained(tmp)
        feature_extractor.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        for extra in ("special_tokens_map.json",):  # the browser needs only tokenizer.json + tokenizer_config.json
            (tmp / extra).unlink(missing_ok=True)

        num_layers, kv_heads, head_dim = kv_shape(model)
        text_cfg = model.config.text_config
        fe = feature_extractor
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "id": model_id or out.name,
            "version": version,
            "source": {
                "checkpoint": str(model_dir),
                "architecture": "Qwen2AudioForConditionalGeneration",
                "name_or_path": model.config._name_or_path,
            },
            "languages": {"source": "en", "targets": list(LANGUAGE_NAMES)},
            # The tasks asked for, else every one the model was trained on (config.tasks; translation
            # only for older models) that the runtimes decode: not the chained ones (`train-teacher --chain`).
            # A task left out is one the model does too poorly to show users.
            "prompts": {
                task: {"messages": translation_messages(task), "text": render_prompt(tokenizer, task)}
                for task in (tasks or [t for t in trained if t in TASKS])
            },
            "audio": {
                "sampling_rate": fe.sampling_rate,
                "n_mels": fe.feature_size,
                "hop_length": fe.hop_length,
                "n_samples": fe.n_samples,
                "max_frames": fe.nb_max_frames,
                "max_seconds": fe.n_samples / fe.sampling_rate,
                "token_formula": "frames=min(ceil(samples/hop_length),max_frames); L1=(frames-1)//2+1; n=(L1-2)//2+1",
                "context_frames": CONTEXT_FRAMES,
                "conv_stride": 2,
                "pool_stride": 2,
            },
            "tokens": {
                "audio": special["audio"],
                "audio_bos": special["audio_bos"],
                "audio_eos": special["audio_eos"],
                "im_start": special["im_start"],
                "im_end": special["im_end"],
                "eos": [special["im_end"], special["endoftext"]],
                "pad": special["endoftext"],
                **({"out_of_domain": tokenizer.convert_tokens_to_ids(OUT_OF_DOMAIN_TOKEN)}
                   if OUT_OF_DOMAIN_TOKEN in tokenizer.get_vocab() else {}),
            },
            "decoder": {
                "num_layers": num_layers,
                "num_kv_heads": kv_heads,
                "head_dim": head_dim,
                "hidden_size": text_cfg.hidden_size,
                "vocab_size": text_cfg.vocab_size,
                "max_position_embeddings": text_cfg.max_position_embeddings,
            },
            "variants": variants,
            # q8 last: its integer kernels are for WASM; native onnxruntime and WebGPU run the others faster
            "default_variant": next(v for v in ("q4", "q4dq", "fp32", "q8") if v in variants),
            "backend_variants": backend_variants(variants),
            "parameters": parameter_counts(model),
            "quantization": quantization_settings(block_size, symmetric) if set(variants) & set(QUANT_FORMAT) else None,
            "external_data": {"max_shard_bytes": max_shard_bytes},
            "metrics": {},
        }
        if (fe.sampling_rate, fe.hop_length) != (SAMPLING_RATE, HOP_LENGTH) or manifest["audio"]["max_seconds"] != MAX_SECONDS:
            log(f"note: non-default audio settings {manifest['audio']}")
        manifest = write_manifest(tmp, manifest)
    return manifest


def describe(manifest: dict) -> str:
    lines = [f"{manifest['id']} version {manifest['version']}: {manifest['total_bytes']:,} bytes in {len(manifest['files'])} files"]
    for name, v in manifest["variants"].items():
        lines.append(f"  {name:5s} {v['bytes']:>14,} bytes")
    lines.append("  parameters " + json.dumps(manifest["parameters"]))
    return "\n".join(lines)


def cmd_export(args):
    t0 = time.perf_counter()
    manifest = export_model(
        args.model, args.out, model_id=args.id, quant=args.quant, block_size=args.block_size,
        symmetric=args.symmetric, max_shard_bytes=args.max_shard_bytes, version=args.version, force=args.force,
        tasks=args.tasks,
    )
    print(describe(manifest))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"export took {time.perf_counter() - t0:.1f} s, peak resident memory {peak_mb:.0f} MB")


def add_cli(subparsers):
    p = subparsers.add_parser("export", help="export a checkpoint to the browser ONNX contract")
    p.add_argument("--model", required=True, help="HF checkpoint folder (Qwen2AudioForConditionalGeneration)")
    p.add_argument("--out", required=True, help="output folder, e.g. public/models/<id>")
    p.add_argument("--id", help="model id in the manifest (default: the output folder's name)")
    p.add_argument("--quant", default="both", help="variants: fp32, q4 (MatMulNBits), q4dq (the same 4-bit blocks as DequantizeLinear + MatMul), q8 (the same "
                        "4-bit numbers as 8-bit integers for WASM), both = fp32 + q4, web = q4 + q4dq + q8, all, or a "
                        "comma-separated list, e.g. fp32,q4,q4dq (default both)")
    p.add_argument("--block-size", type=int, default=32, help="4-bit block size (default 32)")
    p.add_argument("--symmetric", action="store_true", help="symmetric 4-bit (default asymmetric, with zero points)")
    p.add_argument("--max-shard-bytes", type=int, default=2_000_000_000, help="largest external-data file")
    p.add_argument("--version", help="manifest version (default: derived from the files' hashes)")
    p.add_argument("--force", action="store_true", help="replace an earlier export in --out (a folder whose manifest.json lists every file in it)")
    p.add_argument("--tasks", nargs="+", metavar="TASK", help="the prompts to ship: every translation target, with or without transcribe (default: every task the model was trained on)")
    p.set_defaults(func=cmd_export)
