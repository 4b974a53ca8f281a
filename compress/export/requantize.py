"""`compress requantize`: add the q8 variant to an exported folder, made from its own q4dq graphs.

The folder's other files stay byte for byte, so its metrics, goldens and chosen thresholds still
describe them; a new export gets q8 from `compress export --quant web` instead. The folder is
rebuilt in a temporary sibling and swapped in whole (outdir.writing), so a failure leaves it as it was.
"""
import json
import shutil
from pathlib import Path

from ..errors import ToolkitError
from ..outdir import writing
from .export import backend_variants, graph_path
from .manifest import sha256_file, unlisted_files, write_manifest
from .quantize import quantization_settings, requantize_int8
from .shards import DEFAULT_MAX_SHARD_BYTES, load_with_data, save_sharded


def add_q8(model_dir, log=print) -> dict:
    model_dir = Path(model_dir).resolve()  # "." has no name to make the temporary sibling from
    manifest_path = model_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ToolkitError(f"{model_dir} is not an exported model folder (no manifest.json)")
    try:
        manifest = json.loads(manifest_path.read_text())
        variants, files = manifest["variants"], manifest["files"]
    except (ValueError, KeyError, TypeError) as e:
        raise ToolkitError(f"{manifest_path} is not a model manifest from `compress export` ({e})") from e
    # The folder must be exactly what its manifest says (every file listed, none changed since): the
    # manifest is rewritten with every file's hash, which would otherwise approve whatever is there.
    others = unlisted_files(model_dir, manifest)
    if others:
        raise ToolkitError(f"{model_dir} holds files its manifest does not list ({', '.join(others[:3])}"
                           f"{', …' if len(others) > 3 else ''}); move them out first")
    changed = [f["path"] for f in files if sha256_file(model_dir / f["path"]) != f["sha256"]]
    if changed:
        raise ToolkitError(f"{model_dir}: {', '.join(changed)} changed since the manifest was written; export the folder again")
    if "q8" in variants:
        raise ToolkitError(f"{model_dir} already has a q8 variant")
    if "q4dq" not in variants:
        raise ToolkitError(f"{model_dir} has no q4dq variant to make q8 from (it has {', '.join(variants)}); "
                           "export it again with --quant web")
    q8 = {"embed_tokens": variants["q4dq"]["embed_tokens"]}  # the embedding graph has no MatMul: shared
    for name in ("audio_encoder", "decoder_model_merged"):
        q8[name] = graph_path("q8", name)
        if (model_dir / q8[name]).exists():
            raise ToolkitError(f"{model_dir / q8[name]} is listed but no q8 variant names it; export the folder again")
    quantization = manifest.get("quantization") or {}
    with writing(model_dir, what="requantize") as tmp:
        shutil.copytree(model_dir, tmp, dirs_exist_ok=True)
        for name in ("audio_encoder", "decoder_model_merged"):
            log(f"re-expressing {variants['q4dq'][name]}'s 4-bit weights as 8-bit integers → {q8[name]} …")
            save_sharded(requantize_int8(load_with_data(model_dir / variants["q4dq"][name])), tmp / q8[name],
                         manifest.get("external_data", {}).get("max_shard_bytes", DEFAULT_MAX_SHARD_BYTES))
        variants["q8"] = q8
        manifest["backend_variants"] = {**manifest.get("backend_variants", {}), **backend_variants(variants)}
        settings = quantization_settings(quantization.get("block_size", 32), quantization.get("symmetric", False))
        manifest["quantization"] = {**quantization, "layouts": settings["layouts"], "tool": settings["tool"]}
        manifest.pop("version", None)  # the files changed: a new content version
        manifest = write_manifest(tmp, manifest)
    log(f"{model_dir}: q8 {manifest['variants']['q8']['bytes']:,} bytes, backend variants {manifest['backend_variants']}, "
        f"version {manifest['version']}")
    return manifest


def cmd_requantize(args):
    add_q8(args.model)


def add_cli(subparsers):
    p = subparsers.add_parser("requantize", help="add the q8 variant (WASM's) to an exported folder from its q4dq graphs, "
                                                 "leaving every other file as it is")
    p.add_argument("--model", required=True, help="exported model folder with a q4dq variant")
    p.set_defaults(func=cmd_requantize)
