"""`compress import-onnx`: an exported model folder → a transformers Qwen2-Audio checkpoint again.

For warm-starting training from a shipped model whose PyTorch checkpoint is gone. The weights
are the export's own: the 4-bit blocks dequantised (q4dq), the fp16-stored convolutions and
position table cast back, everything else as stored; so the rebuilt model computes what the ONNX
graphs compute, up to float summation order.

Which initializer holds which parameter is learned, not hard-coded: a model of the folder's
config.json, every tensor filled with distinct random values, is traced by the exporter's own
graph code (export/graphs.py), and each of its initializers is found among the parameters by
value (MatMul weights are stored transposed, under traced names like onnx::MatMul_1987). The
folder's graphs hold the same weights in the same node order, each behind the DequantizeLinear,
Cast or Identity the export put in front of it, which onnxruntime evaluates here (no hand-unpacking
of 4-bit data). Pairs are checked by consuming op and shape; a parameter left unfilled or an initializer
left unused is an error that names it.
"""
import hashlib
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper

from .errors import ToolkitError
from .export.manifest import FORMAT, GRAPH_NAMES
from .outdir import check_out, writing
from .prompt import LANGS

# Variants made of standard ONNX ops; q4's MatMulNBits hold the same 4-bit numbers as q4dq.
VARIANTS = ("q4dq", "fp32")
# How the export stores weights: 4-bit blocks; fp16 behind a Cast; equal tensors once, behind Identity
# nodes (torch.onnx's deduplication, e.g. the zero biases of an untrained model).
STORAGE_OPS = ("DequantizeLinear", "Cast", "Identity")
INDEX_TYPES = (onnx.TensorProto.INT64, onnx.TensorProto.INT32)  # shape and index constants, never weights
FLOAT_TYPES = (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE)
TAG_SEED = 20261205


def _key(a) -> tuple:
    a = np.ascontiguousarray(a, dtype=np.float32)
    return a.shape, hashlib.sha1(a.tobytes()).digest()


def stored_weights(model: onnx.ModelProto) -> tuple[list[tuple], dict]:
    """The float constants the graph's compute nodes read, in node order, each once, as
    (name, op_type, input index, value): initializers, and the outputs of STORAGE_OPS nodes over
    initializers, evaluated with onnxruntime. Also returns {name: the initializers behind it}."""
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    behind = {name: {name} for name in inits}
    elem = {name: t.data_type for name, t in inits.items()}
    storage, outputs, stored = [], [], set()
    for node in graph.node:
        if node.op_type in STORAGE_OPS and all(i in behind for i in node.input if i):
            storage.append(node)
            stored.update(node.output)
            out = node.output[0]
            behind[out] = set().union(*(behind[i] for i in node.input if i))
            if node.op_type == "DequantizeLinear":
                elem[out] = elem[node.input[1]]  # the scale's type
            elif node.op_type == "Cast":
                elem[out] = next(helper.get_attribute_value(a) for a in node.attribute if a.name == "to")
            else:
                elem[out] = elem[node.input[0]]
            outputs.append(helper.make_tensor_value_info(out, elem[out], None))
    # Only float initializers are read here (onnx unpacks 4-bit data element by element in Python:
    # minutes for a small model); onnxruntime dequantises the rest.
    values = {name: numpy_helper.to_array(t) for name, t in inits.items() if t.data_type in FLOAT_TYPES}
    if storage:
        needed = set().union(*(behind[o.name] for o in outputs))
        sub = helper.make_model(helper.make_graph(storage, "stored_weights", [], outputs, [inits[n] for n in needed]),
                                opset_imports=model.opset_import, ir_version=model.ir_version)
        options = ort.SessionOptions()
        options.log_severity_level = 3
        session = ort.InferenceSession(sub.SerializeToString(), options, providers=["CPUExecutionProvider"])
        values.update(zip((o.name for o in outputs), session.run(None, {})))
    sites, seen = [], set()
    for node in graph.node:
        if node.output[0] in stored:
            continue
        for k, name in enumerate(node.input):
            if name in values and name not in seen and values[name].dtype.kind == "f":
                seen.add(name)
                sites.append((name, node.op_type, k, values[name]))
    return sites, behind


def _read_folder(model_dir: Path, variant: str | None) -> tuple[dict, str]:
    if not model_dir.is_dir():
        raise ToolkitError(f"model folder not found: {model_dir}")
    for name in ("manifest.json", "config.json", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json"):
        if not (model_dir / name).is_file():
            raise ToolkitError(f"{model_dir} is missing {name}: not an exported model folder (docs/model-contract.md)")
    manifest = json.loads((model_dir / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise ToolkitError(f"{model_dir}/manifest.json: format {manifest.get('format')!r}, expected {FORMAT!r}")
    have = sorted(manifest["variants"])
    if variant is None:
        variant = next((v for v in VARIANTS if v in have), None)
        if variant is None:
            raise ToolkitError(f"{model_dir} has variants {have}; importing needs one of {list(VARIANTS)} "
                               "(re-export with --quant web or all)")
    elif variant not in VARIANTS:
        raise ToolkitError(f"--variant must be one of {', '.join(VARIANTS)} (q4 holds the same 4-bit numbers as q4dq), "
                           f"got {variant!r}")
    elif variant not in have:
        raise ToolkitError(f"{model_dir} has no variant {variant!r}; it has {have}")
    for name in GRAPH_NAMES:
        if not (model_dir / manifest["variants"][variant][name]).is_file():
            raise ToolkitError(f"{model_dir} is missing {manifest['variants'][variant][name]}")
    return manifest, variant


def _tagged_model(config, tmp: Path):
    """A model of `config` whose every tensor (and every transposed matrix) holds distinct values,
    loaded the way the exporter loads a checkpoint (eager attention)."""
    from transformers import Qwen2AudioForConditionalGeneration

    model = Qwen2AudioForConditionalGeneration(config)
    generator = torch.Generator().manual_seed(TAG_SEED)
    with torch.no_grad():
        for tensor in model.state_dict().values():
            tensor.copy_(torch.randn(tensor.shape, generator=generator))
    model.save_pretrained(tmp, safe_serialization=True)
    return Qwen2AudioForConditionalGeneration.from_pretrained(tmp, attn_implementation="eager").eval()


def _places(state: dict, max_tensor_bytes: int) -> dict:
    """{value key: (parameter, first row, transposed)} for every form a parameter takes in the graphs:
    itself, transposed (MatMul weights), in row blocks (tables over one shard)."""
    from .export.graphs import row_split

    places = {}
    for name, tensor in state.items():
        blocks = row_split(tensor, max_tensor_bytes) if tensor.dim() == 2 else (tensor,)
        row = 0
        for block in blocks:
            places[_key(block.numpy())] = (name, row, False)
            if block.dim() == 2:
                places[_key(block.T.numpy())] = (name, row, True)
            row += block.shape[0]
    return places


def rebuild_weights(model_dir: Path, variant: str, manifest: dict, model) -> dict:
    """{parameter name: numpy array} from the folder's graphs, for `model` (a _tagged_model)."""
    from .export.graphs import export_graphs

    state = model.state_dict()
    places = _places(state, manifest["external_data"]["max_shard_bytes"])
    weights = {name: np.zeros(t.shape, np.float32) for name, t in state.items()}
    filled = {name: np.zeros(t.shape[0], bool) for name, t in state.items()}
    with tempfile.TemporaryDirectory(prefix="import-onnx-") as tmp:
        traced = export_graphs(model, tmp, max_tensor_bytes=manifest["external_data"]["max_shard_bytes"])
        for graph in GRAPH_NAMES:
            rel = manifest["variants"][variant][graph]
            ours, _ = stored_weights(onnx.load(str(traced[graph])))
            stored = onnx.load(str(model_dir / rel))
            theirs, behind = stored_weights(stored)
            used = set()
            for i, ((name, op, k, tag), (stored_name, stored_op, stored_k, value)) in enumerate(zip(ours, theirs)):
                if _key(tag) not in places:
                    raise ToolkitError(f"exporter constant {name} of {graph} is no parameter of the model: "
                                       "this import does not know this exporter's graphs")
                param, row, transposed = places[_key(tag)]
                if (op, k, tag.shape) != (stored_op, stored_k, value.shape):
                    raise ToolkitError(
                        f"{rel}: weight #{i} ({stored_name}) is input {stored_k} of a {stored_op}, shape {list(value.shape)}, "
                        f"but a model of {model_dir}/config.json has {param} there (input {k} of a {op}, shape "
                        f"{list(tag.shape)}): config.json does not describe these graphs")
                value = value.T if transposed else value
                weights[param][row : row + value.shape[0]] = value
                filled[param][row : row + value.shape[0]] = True
                used |= behind[stored_name]
            unused = [t.name for t in stored.graph.initializer if t.name not in used and t.data_type not in INDEX_TYPES]
            if unused:
                raise ToolkitError(f"{rel}: initializers left unused (no parameter of a model of config.json holds them): "
                                   f"{', '.join(unused)}")
    unfilled = [name for name, rows in filled.items() if not rows.all()]
    if unfilled:
        raise ToolkitError(f"{model_dir} ({variant}): parameters left unfilled by its graphs: {', '.join(unfilled)}")
    return weights


def import_onnx(model_dir, out, *, variant: str | None = None, force: bool = False, log=print) -> Path:
    """Write an HF checkpoint folder (weights, config, generation config, tokenizer, feature
    extractor) rebuilt from the exported folder `model_dir`. Returns `out`."""
    from transformers import AutoTokenizer, GenerationConfig, Qwen2AudioConfig, WhisperFeatureExtractor

    model_dir, out = Path(model_dir), Path(out)
    manifest, variant = _read_folder(model_dir, variant)
    out.parent.mkdir(parents=True, exist_ok=True)  # runs/ is generated data, maybe not there yet
    check_out(out, model_dir, force)
    config = Qwen2AudioConfig.from_pretrained(model_dir)
    if config.model_type != "qwen2_audio":
        raise ToolkitError(f"{model_dir}/config.json: model_type {config.model_type!r}, expected 'qwen2_audio'")
    with tempfile.TemporaryDirectory(prefix="import-onnx-") as tmp:
        model = _tagged_model(config, Path(tmp))
    if model.language_model.lm_head.weight is model.language_model.get_input_embeddings().weight:
        raise ToolkitError(f"{model_dir}/config.json ties lm_head to the embeddings; the export stores them apart "
                           "(differently quantised), so they cannot be imported into one tensor")
    log(f"reading {variant} weights of {model_dir} …")
    weights = rebuild_weights(model_dir, variant, manifest, model)
    model.load_state_dict({name: torch.from_numpy(w) for name, w in weights.items()}, strict=True)
    model.config._name_or_path = str(model_dir)
    if (model_dir / "generation_config.json").is_file():
        model.generation_config = GenerationConfig.from_pretrained(model_dir)

    with writing(out) as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        AutoTokenizer.from_pretrained(model_dir).save_pretrained(tmp)
        WhisperFeatureExtractor.from_pretrained(model_dir).save_pretrained(tmp)
        graphs = {name: manifest["variants"][variant][name] for name in GRAPH_NAMES}
        sha = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
        (tmp / "imported_from.json").write_text(json.dumps({
            "model": str(model_dir), "id": manifest.get("id"), "version": manifest.get("version"), "variant": variant,
            "graphs": {name: {"path": path, "sha256": sha.get(path)} for name, path in graphs.items()},
            "weights": "dequantised 4-bit blocks (q4dq)" if variant == "q4dq" else "as stored",
        }, indent=1) + "\n")
    return out


def cmd_import_onnx(args):
    from .audio import read_wav

    try:
        samples = read_wav(args.check) if args.check else None  # a bad clip is refused before the long part
    except (OSError, ValueError) as e:
        raise ToolkitError(f"--check: {e}") from e
    t0 = time.perf_counter()
    out = import_onnx(args.model, args.out, variant=args.variant, force=args.force)
    print(f"wrote {out} in {time.perf_counter() - t0:.1f} s")
    if samples is not None:
        from .checkpoint import load_checkpoint
        from .reference import onnx_logit_gap
        from .runtime import OnnxSpeechTranslator

        variant = json.loads((out / "imported_from.json").read_text())["variant"]
        gap = onnx_logit_gap(load_checkpoint(out), OnnxSpeechTranslator(args.model, variant), samples, args.lang,
                             steps=args.steps)
        print(f"{args.check} ({args.lang}): max |logit difference| vs the {variant} ONNX model over the prefill and "
              f"{args.steps} decode steps: {gap['max_abs_diff']:.2e} (logits up to {gap['max_abs_logit']:.1f}); "
              f"greedy ids {'match' if gap['torch_ids'] == gap['onnx_ids'] else 'DIFFER'}: {gap['onnx_ids']}")


def add_cli(subparsers):
    p = subparsers.add_parser("import-onnx", help="rebuild a transformers checkpoint from an exported model folder (to warm-start training)")
    p.add_argument("--model", required=True, help="exported folder, e.g. public/models/phrasebook-teacher")
    p.add_argument("--out", required=True, help="checkpoint folder to write, e.g. runs/v1-teacher")
    p.add_argument("--variant", help="graphs to read (default: q4dq when the folder has it, else fp32)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument("--check", metavar="WAV", help="then compare the checkpoint's logits with the ONNX model's on this clip")
    p.add_argument("--lang", default="de", choices=LANGS, help="target language of --check (default de)")
    p.add_argument("--steps", type=int, default=8, help="decode steps of --check (default 8)")
    p.set_defaults(func=cmd_import_onnx)
