"""A converted Whisper folder (peer_whisper.py) → transformers.js's ONNX layout, as the
transformers.js project itself builds its Whisper repos: optimum's exporter for the graphs, then
onnxruntime's quantisers with the conventions of transformers.js's scripts/quantize.py.

    <out>/config.json, generation_config.json, preprocessor_config.json, tokenizer*.json, …
    <out>/onnx/encoder_model{,_quantized,_q4}.onnx
    <out>/onnx/decoder_model_merged{,_quantized,_q4}.onnx

transformers.js picks the file by `dtype`: fp32 → no suffix, q8 → `_quantized` (its WASM default),
q4 → `_q4` (see DEFAULT_DTYPE_SUFFIX_MAPPING in @huggingface/transformers/src/utils/dtypes.js).
"""
import logging
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

# The two graphs transformers.js's Whisper loads (session_config.js: encoder_model + decoder_model_merged).
GRAPHS = ("encoder_model", "decoder_model_merged")
DTYPES = {"q8": "_quantized", "q4": "_q4"}
# As transformers.js's quantize.py: 8-bit weights are unsigned when the graph has a Conv
# (onnxruntime-web has no ConvInteger kernel for int8 weights), signed otherwise (faster on most CPUs).
QUINT8_OPS = ("Conv", "GroupQueryAttention", "MultiHeadAttention")
Q4_BLOCK_SIZE = 32  # transformers.js's default block for MatMul4BitsQuantizer, symmetric


def export_onnx(hf_dir, out) -> Path:
    """optimum's ONNX export (encoder + merged decoder with KV cache), moved into `<out>/onnx/`."""
    from optimum.exporters.onnx import main_export

    out = Path(out)
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # optimum's own validation compares against random inputs and flags the decoder (its
        # tolerance check fails on this transformers version though the graphs decode the same ids);
        # tests/test_peer_whisper.py checks the exported graphs' transcription instead.
        main_export(str(hf_dir), output=tmp, task="automatic-speech-recognition-with-past", device="cpu", do_validation=False)
        for path in Path(tmp).iterdir():
            if path.suffix == ".onnx":
                if path.stem in GRAPHS:
                    shutil.move(path, out / "onnx" / path.name)
            elif path.is_file():
                shutil.move(path, out / path.name)
    missing = [g for g in GRAPHS if not (out / "onnx" / f"{g}.onnx").is_file()]
    if missing:
        raise RuntimeError(f"optimum's export wrote no {', '.join(missing)}")
    decoder = out / "onnx" / "decoder_model_merged.onnx"
    onnx.save(derive_cache_position(onnx.load(decoder)), decoder)
    return out


def derive_cache_position(model: onnx.ModelProto) -> onnx.ModelProto:
    """Computes the decoder's `cache_position` input inside the graph, as past length + arange(new).

    optimum adds the input for transformers ≥ 4.43 (whose Whisper decoder takes the positions of the
    new tokens); transformers.js's Whisper feeds the inputs of the older export (input_ids, encoder
    states, past, use_cache_branch) and refuses a session with an input it does not know. The
    positions are exactly [past, past + new), so the graph derives them from its own input shapes
    (an empty past in the first, no-cache branch gives 0)."""
    graph = model.graph
    names = [i.name for i in graph.input]
    if "cache_position" not in names:
        return model
    past = next(n for n in names if n.startswith("past_key_values.") and n.endswith(".decoder.key"))
    graph.input.remove(graph.input[names.index("cache_position")])
    graph.initializer.extend([
        numpy_helper.from_array(np.array(1, np.int64), "cache_position/one"),
        numpy_helper.from_array(np.array(2, np.int64), "cache_position/two"),
    ])
    nodes = [
        helper.make_node("Shape", [past], ["cache_position/past_shape"]),
        helper.make_node("Gather", ["cache_position/past_shape", "cache_position/two"], ["cache_position/past"], axis=0),
        helper.make_node("Shape", ["input_ids"], ["cache_position/ids_shape"]),
        helper.make_node("Gather", ["cache_position/ids_shape", "cache_position/one"], ["cache_position/new"], axis=0),
        helper.make_node("Add", ["cache_position/past", "cache_position/new"], ["cache_position/end"]),
        helper.make_node("Range", ["cache_position/past", "cache_position/end", "cache_position/one"], ["cache_position"]),
    ]
    for node in reversed(nodes):
        graph.node.insert(0, node)
    onnx.checker.check_model(model)
    return model


def operators(model: onnx.ModelProto) -> set[str]:
    """Op types of the graph and its subgraphs (the merged decoder's If branches)."""
    ops = set()

    def visit(graph):
        for node in graph.node:
            ops.add(node.op_type)
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    visit(attr.g)

    visit(model.graph)
    return ops


def quantize_q8(src: Path, dst: Path) -> None:
    """Dynamic 8-bit weights (MatMulInteger / ConvInteger), activations quantised per call."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    weight_type = QuantType.QUInt8 if operators(onnx.load(src, load_external_data=False)) & set(QUINT8_OPS) else QuantType.QInt8
    quantize_dynamic(src, dst, weight_type=weight_type, per_channel=False, reduce_range=False,
                     extra_options={"EnableSubgraph": True, "MatMulConstBOnly": True})


def quantize_q4(src: Path, dst: Path) -> None:
    """Blockwise 4-bit MatMul weights (MatMulNBits); everything else stays fp32."""
    from onnxruntime.quantization.matmul_4bits_quantizer import MatMul4BitsQuantizer

    quantizer = MatMul4BitsQuantizer(onnx.load(src), block_size=Q4_BLOCK_SIZE, is_symmetric=True)
    quantizer.process()
    onnx.save(quantizer.model.model, dst)


def quantize_all(out, dtypes=tuple(DTYPES), log=print) -> list[Path]:
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    onnx_dir = Path(out) / "onnx"
    written = []
    for graph in GRAPHS:
        for dtype in dtypes:
            dst = onnx_dir / f"{graph}{DTYPES[dtype]}.onnx"
            (quantize_q8 if dtype == "q8" else quantize_q4)(onnx_dir / f"{graph}.onnx", dst)
            log(f"  {dst.name}: {dst.stat().st_size / 1e6:.1f} MB")
            written.append(dst)
    return written
