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
from .export import BACKEND_VARIANTS, graph_path
from .manifest import GRAPH_NAMES, write_manifest
from .quantize import quantization_settings, requantize_int8
from .shards import load_with_data, save_sharded


def add_q8(model_dir, log=print) -> dict:
    model_dir = Path(model_dir)
    manifest_path = model_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ToolkitError(f"{model_dir} is not an exported model folder (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    variants = manifest["variants"]
    if "q8" in variants:
        raise ToolkitError(f"{model_dir} already has a q8 variant")
    if "q4dq" not in variants:
        raise ToolkitError(f"{model_dir} has no q4dq variant to make q8 from (it has {', '.join(variants)}); "
                           "export it again with --quant web")
    quantization = manifest.get("quantization") or {}
    with writing(model_dir, what="requantize") as tmp:
        shutil.copytree(model_dir, tmp, dirs_exist_ok=True)
        q8 = {}
        for name in GRAPH_NAMES:
            q8[name] = rel = graph_path("q8", name)
            if rel == variants["q4dq"][name]:  # the embedding graph: shared, no MatMul
                continue
            log(f"re-expressing {variants['q4dq'][name]}'s 4-bit weights as 8-bit integers → {rel} …")
            save_sharded(requantize_int8(load_with_data(model_dir / variants["q4dq"][name])), tmp / rel,
                         manifest.get("external_data", {}).get("max_shard_bytes", 2_000_000_000))
        variants["q8"] = q8
        backends = manifest.setdefault("backend_variants", {})
        for backend, choices in BACKEND_VARIANTS.items():
            backends[backend] = next(v for v in choices if v in variants)
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
