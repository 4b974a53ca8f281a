"""Saving ONNX graphs with weights split into external-data shards of bounded size.

The browser hands each external-data file to onnxruntime-web as one ArrayBuffer, and an
ArrayBuffer tops out around 2 GB, so no shard may be larger than that. onnx's own
`save_model(save_as_external_data=True)` writes either one file or one file per tensor; packing
tensors into a few size-bounded files (`x.onnx_data`, `x.onnx_data_1`, …, as transformers.js
names them) is written here.
"""
from pathlib import Path

import onnx
from onnx import numpy_helper
from onnx.external_data_helper import set_external_data

DEFAULT_MAX_SHARD_BYTES = 2_000_000_000  # below 2 GiB, with room for the rest of the page's buffers
ALIGN = 4096  # page-aligned offsets let native onnxruntime mmap the weights
SMALL_TENSOR_BYTES = 1024  # stays inline in the graph


def _tensor_bytes(t: onnx.TensorProto) -> bytes:
    return t.raw_data if t.HasField("raw_data") else numpy_helper.to_array(t).tobytes()


def save_sharded(model: onnx.ModelProto, path: Path, max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES) -> list[Path]:
    """Write `model` to `path`; weights go inline if everything fits one shard, else to shards.

    Returns every file written (the .onnx first). A single tensor larger than a shard is an error:
    the graph builders split such matrices into row chunks first.
    """
    path = Path(path)
    inits = [t for t in model.graph.initializer if len(_tensor_bytes(t)) >= SMALL_TENSOR_BYTES]
    total = sum(len(_tensor_bytes(t)) for t in model.graph.initializer)
    if total + 16 * 1024 * 1024 <= max_shard_bytes:  # the whole file fits in one buffer
        onnx.save_model(model, str(path))
        return [path]

    shard_paths, shard, offset = [], None, 0
    try:
        for t in inits:
            data = _tensor_bytes(t)
            if len(data) > max_shard_bytes:
                raise ValueError(
                    f"tensor {t.name} is {len(data)} bytes, larger than one shard ({max_shard_bytes} bytes)"
                )
            pad = (-offset) % ALIGN
            if shard is None or offset + pad + len(data) > max_shard_bytes:
                if shard is not None:
                    shard.close()
                index = len(shard_paths)
                shard_paths.append(path.with_name(path.name + "_data" + (f"_{index}" if index else "")))
                shard, offset, pad = open(shard_paths[-1], "wb"), 0, 0
            shard.write(b"\0" * pad)
            offset += pad
            shard.write(data)
            for field in ("float_data", "int32_data", "int64_data", "double_data", "uint64_data"):
                t.ClearField(field)
            t.raw_data = data  # set_external_data wants raw_data present; it is dropped just below
            set_external_data(t, location=shard_paths[-1].name, offset=offset, length=len(data))
            t.data_location = onnx.TensorProto.EXTERNAL
            t.ClearField("raw_data")
            offset += len(data)
    finally:
        if shard is not None:
            shard.close()
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return [path, *shard_paths]


def load_with_data(path: Path) -> onnx.ModelProto:
    """Load a graph and pull all its external data into memory (for quantising or re-sharding)."""
    return onnx.load(str(path), load_external_data=True)
