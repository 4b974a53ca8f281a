"""4-bit weight-only quantisation with onnxruntime's MatMulNBits quantiser.

Every MatMul with a constant weight (all linear layers of encoder, projector, decoder and the
lm_head) becomes a `com.microsoft.MatMulNBits` with blockwise 4-bit weights, one scale and zero
point per `block_size` input rows. The token embeddings (a Gather) stay fp32: the quantiser's
Gather path needs opset 21 int4 types that onnxruntime-web's kernels do not all cover, and a
lookup costs bytes, not compute. Convolutions, norms and biases stay fp32 too.
"""
import logging

import onnx
# MatMul4BitsQuantizer is imported where it is used: onnxruntime builds without it still train and score

DEFAULT_BLOCK_SIZE = 32


def quantize_q4(model: onnx.ModelProto, block_size: int = DEFAULT_BLOCK_SIZE, symmetric: bool = False) -> onnx.ModelProto:
    if block_size < 16 or block_size & (block_size - 1):
        raise ValueError(f"block size must be a power of two ≥ 16, got {block_size}")
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    from onnxruntime.quantization.matmul_4bits_quantizer import MatMul4BitsQuantizer

    quantizer = MatMul4BitsQuantizer(model, block_size=block_size, is_symmetric=symmetric, op_types_to_quantize=("MatMul",))
    quantizer.process()
    return quantizer.model.model


def count_ops(model: onnx.ModelProto) -> dict:
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


def quantization_settings(block_size: int, symmetric: bool) -> dict:
    return {
        "method": "MatMulNBits",
        "tool": "onnxruntime.quantization.matmul_4bits_quantizer.MatMul4BitsQuantizer",
        "bits": 4,
        "block_size": block_size,
        "symmetric": symmetric,
        "quantized": "every MatMul with constant weights: encoder, projector, decoder layers and lm_head",
        "not_quantized": "token embeddings (Gather), convolutions, norms, biases, position embeddings",
    }
