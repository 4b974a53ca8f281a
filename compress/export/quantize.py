"""4-bit weight-only quantisation with onnxruntime's MatMulNBits quantiser.

Every MatMul with a constant weight (all linear layers of encoder, projector, decoder and the
lm_head) becomes a `com.microsoft.MatMulNBits` with blockwise 4-bit weights, one scale and zero
point per `block_size` input rows. The token embedding table is quantised by the same tool
(its Gather path, 4 bits in blocks along the hidden axis) and then stored as a standard opset-21
blocked `DequantizeLinear` + `Gather`: the onnxruntime-web build the app loads has no CPU
kernel for the tool's `GatherBlockQuantized`, while every build runs the standard pair with the
same numbers.

Two layouts of the same 4-bit numbers (same tool, same blocks, scales and zero points):
- "q4": MatMulNBits, for runtimes with native 4-bit kernels (onnxruntime x64/ARM, WebGPU);
- "q4dq": standard opset-21 blocked DequantizeLinear + MatMul. onnxruntime folds the constant
  DequantizeLinear into an fp32 weight when the session loads, so the runtime multiplies fp32.
  It was WASM's variant: its MatMulNBits has no fast kernel and dequantises every weight on every
  call (measured in the browser: decode 3× slower than the folded fp32 MatMul). Download bytes stay
  4-bit; memory at run time is fp32. It is also what `compress import-onnx` reads back.

A third layout, "q8" (`requantize_int8`), re-expresses those 4-bit numbers for 8-bit integer
kernels; it is WASM's variant now: onnxruntime-web's WASM runs MatMulInteger with integer SIMD,
which made the encoder and the prefill 1.6× as fast as the folded fp32 MatMul (docs/results.md),
at 8 bits of storage instead of 4 (and 8-bit instead of fp32 weights in memory).

The other large fp32 constants (the encoder's position table and convolutions) are
stored as fp16 and cast back to fp32 when the graph loads; norms, biases and scales stay fp32.
"""
import logging
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ..errors import ToolkitError

# MatMul4BitsQuantizer is imported where it is used: onnxruntime builds without it still train and score

DEFAULT_BLOCK_SIZE = 32


EMBEDDING_OPSET = 21  # blocked DequantizeLinear and the 4-bit types
FORMATS = ("matmulnbits", "qdq")
# onnx.version_converter serialises the model, which protobuf caps at 2 GB; the q4dq layout is
# for models small enough to hold as fp32 in a browser tab anyway.
QDQ_MAX_BYTES = 2**31 - 2**24
FP16_MIN_ELEMENTS = 65536  # constants smaller than this stay fp32: a few KB are not worth a Cast


def check_block_size(block_size: int) -> None:
    """onnxruntime's 4-bit kernels take power-of-two blocks of at least 16."""
    if block_size < 16 or block_size & (block_size - 1):
        raise ToolkitError(f"--block-size must be a power of two ≥ 16, got {block_size}")


def quantize_q4(model: onnx.ModelProto, block_size: int = DEFAULT_BLOCK_SIZE, symmetric: bool = False,
                embeddings: bool = False, fmt: str = "matmulnbits") -> onnx.ModelProto:
    """MatMuls → MatMulNBits (fmt="matmulnbits") or DequantizeLinear + MatMul (fmt="qdq"); with
    embeddings=True (the embed_tokens graph) also the Gathers that read a constant table; then
    large leftover fp32 constants → fp16 storage."""
    check_block_size(block_size)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    from onnxruntime.quantization import QuantFormat
    from onnxruntime.quantization.matmul_4bits_quantizer import DefaultWeightOnlyQuantConfig, MatMul4BitsQuantizer

    if embeddings:
        # The opset is raised in place, not with onnx.version_converter (which serialises the model
        # and fails past 2 GB, e.g. the 7B table): the embedding graph's ops (Gather, Clip, Cast,
        # Unsqueeze, comparisons, arithmetic) mean the same at opset 21.
        for opset in model.opset_import:
            if opset.domain in ("", "ai.onnx"):
                opset.domain, opset.version = "", max(opset.version, EMBEDDING_OPSET)
        config = DefaultWeightOnlyQuantConfig(block_size=block_size, is_symmetric=symmetric,
                                              op_types_to_quantize=("MatMul", "Gather"),
                                              quant_axes=(("MatMul", 0), ("Gather", 1)))
        quantizer = MatMul4BitsQuantizer(model, algo_config=config)
    elif fmt == "qdq":
        if model.ByteSize() > QDQ_MAX_BYTES:
            raise ValueError(f"the q4dq layout is for models under 2 GB per graph (this one is {model.ByteSize() / 2**30:.1f} GB); use q4")
        from onnx import version_converter

        model = version_converter.convert_version(model, EMBEDDING_OPSET)  # blocked DequantizeLinear needs opset 21
        config = DefaultWeightOnlyQuantConfig(block_size=block_size, is_symmetric=symmetric, quant_format=QuantFormat.QDQ,
                                              op_types_to_quantize=("MatMul",))
        quantizer = MatMul4BitsQuantizer(model, algo_config=config)
    else:
        quantizer = MatMul4BitsQuantizer(model, block_size=block_size, is_symmetric=symmetric, op_types_to_quantize=("MatMul",))
    quantizer.process()
    model = quantizer.model.model
    if embeddings:
        gather_block_quantized_to_standard(model)
    store_large_constants_fp16(model)
    return model


def requantize_int8(q4dq: onnx.ModelProto) -> onnx.ModelProto:
    """A q4dq graph → "q8": every constant weight dequantised from its 4-bit blocks, then quantised
    again by onnxruntime's dynamic quantiser to signed 8 bits with one scale per output channel
    (MatMul → DynamicQuantizeLinear + MatMulInteger; activations quantised per call). The numbers
    are the 4-bit model's: a 4-bit block's levels land on the channel's 8-bit grid to within half
    a step (≤ 0.4% of the channel's largest weight). Large leftover fp32 constants → fp16 storage."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        src, folded, out = (Path(tmp) / n for n in ("q4dq.onnx", "folded.onnx", "q8.onnx"))
        onnx.save(q4dq, src)
        # onnxruntime's constant folding computes the DequantizeLinear (and fp16 → fp32 Cast) of
        # every stored weight; it keeps DequantizeLinear for its own QDQ fusions unless told not to.
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.add_session_config_entry("session.disable_quant_qdq", "1")
        options.optimized_model_filepath = str(folded)
        ort.InferenceSession(str(src), options, providers=["CPUExecutionProvider"])
        quantize_dynamic(folded, out, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
        model = onnx.load(out)
    store_large_constants_fp16(model)
    return model


def gather_block_quantized_to_standard(model: onnx.ModelProto) -> int:
    """com.microsoft.GatherBlockQuantized(data, indices, scales[, zero_points]) → DequantizeLinear
    (same 4-bit data, scales and zero points, blocked along the quantised axis) + Gather. Same
    numbers; the table is dequantised once per run, which for an embedding is a few MB of fp32."""
    nodes, n = [], 0
    for node in model.graph.node:
        if node.op_type != "GatherBlockQuantized":
            nodes.append(node)
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        data, indices, scales = node.input[:3]
        zero_points = node.input[3:4] if len(node.input) > 3 and node.input[3] else []
        table = f"{node.output[0]}_table"
        nodes.append(helper.make_node("DequantizeLinear", [data, scales, *zero_points], [table], name=f"{node.name}_dq",
                                      axis=attrs.get("quantize_axis", 1), block_size=attrs["block_size"]))
        nodes.append(helper.make_node("Gather", [table, indices], list(node.output), name=f"{node.name}_gather",
                                      axis=attrs.get("gather_axis", 0)))
        n += 1
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return n


def store_large_constants_fp16(model: onnx.ModelProto) -> int:
    """fp32 initializers of at least FP16_MIN_ELEMENTS read only by standard ONNX ops are stored
    as fp16 behind a Cast to fp32, halving their bytes; the compute stays fp32 (WASM has no fast
    fp16). onnxconverter-common's float16 pass converts the compute too, hence this small pass."""
    consumers = {}
    for node in model.graph.node:
        for i in node.input:
            consumers.setdefault(i, []).append(node)
    converted = []
    for init in model.graph.initializer:
        users = consumers.get(init.name, [])
        if (init.data_type != onnx.TensorProto.FLOAT or np.prod(init.dims) < FP16_MIN_ELEMENTS or not users
                or any(u.domain not in ("", "ai.onnx") for u in users)):
            continue
        name = init.name
        init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), name + "_fp16"))
        for node in users:  # readers take the cast-back copy
            for k, i in enumerate(node.input):
                if i == name:
                    node.input[k] = name + "_fp32"
        converted.append(name)
    casts = [helper.make_node("Cast", [n + "_fp16"], [n + "_fp32"], name=f"{n}_to_fp32", to=onnx.TensorProto.FLOAT)
             for n in converted]
    nodes = casts + list(model.graph.node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return len(converted)


def quantization_settings(block_size: int, symmetric: bool) -> dict:
    return {
        "method": "MatMulNBits",
        "layouts": {
            "q4": "MatMulNBits (native 4-bit kernels: onnxruntime CPU, WebGPU)",
            "q4dq": "the same 4-bit blocks as DequantizeLinear (opset 21) + MatMul, folded to fp32 weights when the "
                    "session loads",
            "q8": "the same 4-bit numbers re-quantised to signed 8 bits per output channel, DynamicQuantizeLinear + "
                  "MatMulInteger (WASM, where MatMulNBits dequantises on every call and integer kernels beat fp32)",
        },
        "tool": "onnxruntime.quantization.matmul_4bits_quantizer.MatMul4BitsQuantizer (q8: then onnxruntime.quantization.quantize_dynamic)",
        "bits": 4,
        "block_size": block_size,
        "symmetric": symmetric,
        "quantized": "every MatMul with constant weights: encoder, projector, decoder layers and lm_head (MatMulNBits); "
                     "the token embeddings (4-bit blocks along the hidden axis, DequantizeLinear + Gather)",
        "not_quantized": "convolutions and the encoder's position table (stored fp16), norms, biases",
    }
