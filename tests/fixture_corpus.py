"""A corpus of the two committed fixture clips, small enough to train on in seconds: for the tests and
experiments/smoke.py (which runs where pytest is not installed, hence not in conftest)."""
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The fixture clips and their sentences.
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
