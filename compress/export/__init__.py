"""From a Qwen2-Audio checkpoint to the browser's model folder (docs/model-contract.md), one module per step:

    graphs     the three ONNX graphs (audio_encoder, embed_tokens, decoder_model_merged), traced from HF's modules
    quantize   4-bit weights with onnxruntime's quantiser (q4: MatMulNBits, q4dq: DequantizeLinear + MatMul,
               q8: the same numbers as 8-bit integers for WASM)
    shards     saving graphs with external data in size-bounded files
    manifest   manifest.json: files, sizes, sha256, prompts, metrics
    export     `compress export`: all of the above into one folder, written atomically
    requantize `compress requantize`: add the q8 variant to an exported folder from its q4dq graphs
    sizes      `compress sizes`: the bytes an export will write, from a config alone
    golden     `compress golden`: expected outputs of an export for the app's tests

Nothing is imported here, so `compress.export.graphs` costs no onnx import.
"""
