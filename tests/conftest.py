import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURE_MODEL = ROOT / "public" / "models" / "tiny-random"
GOLDEN = ROOT / "fixtures" / "tiny-random" / "golden.json"


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory):
    from compress.tiny import make_tiny

    return make_tiny(tmp_path_factory.mktemp("tiny") / "ck", seed=1)


@pytest.fixture(scope="session")
def tiny_export(tiny_checkpoint, tmp_path_factory):
    from compress.export.export import export_model

    out = tmp_path_factory.mktemp("export") / "tiny"
    export_model(tiny_checkpoint, out, quant="all", log=lambda *a: None)
    return out


@pytest.fixture(scope="session")
def reference(tiny_checkpoint):
    from compress.checkpoint import load_checkpoint

    return load_checkpoint(tiny_checkpoint)


@pytest.fixture(scope="session")
def speech():
    from compress.audio import read_wav

    return read_wav(ROOT / "fixtures" / "tiny-random" / "golden.wav")


@pytest.fixture(scope="session")
def fixture_features(speech):
    """The golden clip's padded log-mel window, from the committed fixture model's feature extractor."""
    from transformers import WhisperFeatureExtractor

    from compress.audio import extract_features

    return extract_features(WhisperFeatureExtractor.from_pretrained(FIXTURE_MODEL), speech)[0]
