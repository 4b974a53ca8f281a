import json
import shutil
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
    from compress.export import export_model

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


# The two committed fixture clips with their sentences: a corpus small enough to train on in seconds.
FIXTURE_CLIPS = {
    "s1": ("golden.wav", "Where is the train station, please?", "Wo ist der Bahnhof, bitte?", "请问火车站在哪里？"),
    "s2": ("good-morning.wav", "Good morning, how are you?", "Guten Morgen, wie geht es Ihnen?", "早上好，你好吗？"),
}


def write_fixture_corpus(root: Path, splits=("train", "dev")) -> tuple[Path, Path]:
    """data/corpus + data/speech layout under `root` with both fixture clips in every split."""
    corpus, speech = root / "corpus", root / "speech"
    corpus.mkdir()
    (speech / "clips").mkdir(parents=True)
    manifest = []
    for split in splits:
        with open(corpus / f"{split}.jsonl", "w") as f:
            for sid, (wav, en, de, zh) in FIXTURE_CLIPS.items():
                f.write(json.dumps({"id": f"{split}-{sid}", "topic": "t", "en": en, "de": de, "zh": zh}, ensure_ascii=False) + "\n")
                shutil.copy(ROOT / "fixtures" / "tiny-random" / wav, speech / "clips" / f"{split}-{sid}.wav")
                manifest.append({"path": f"clips/{split}-{sid}.wav", "sentence_id": f"{split}-{sid}", "split": split, "voice": "espeak:en-us"})
    (speech / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))
    return corpus, speech
