"""The Python references' answers, stored for the TypeScript unit tests so that vitest runs without
Python: sacreBLEU's scores and tokenizations (src/core/metrics.test.ts reads fixtures/reference/
sacrebleu.json) and compress.audio's frame and token arithmetic with the fixture model's encoder at
the boundaries (src/core/audio.test.ts reads fixtures/reference/audio-frames.json).

Each test recomputes a fixture and fails when the committed one differs: a sacreBLEU upgrade, a
changed case or a changed contract shows up here. Rewrite both with:

    .venv/bin/python -m tests.test_reference_fixtures
"""
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "reference"
SACREBLEU_FIXTURE = FIXTURES / "sacrebleu.json"
AUDIO_FIXTURE = FIXTURES / "audio-frames.json"
FIXTURE_MODEL = ROOT / "public" / "models" / "tiny-random"
REWRITE = ".venv/bin/python -m tests.test_reference_fixtures"

# --- sacreBLEU ------------------------------------------------------------------------------------

GERMAN_REFS = [
    "Ich habe seit einer Stunde Fieber.",
    "Die Bank ist drei Kilometer entfernt.",
    "Was kostet eine Fahrkarte nach Salzburg?",
    "Wann schließt das Museum?",
    "Wir brauchen einen Kleiderbügel.",
    "In Salzburg wird es am Mittwoch schwül.",
]
CHINESE_REFS = ["我发烧一个小时了。", "银行离这里三公里。", "去萨尔茨堡的票多少钱？", "博物馆几点关门？", "我们需要一个衣架。", "萨尔茨堡星期三会很闷热。"]

# refs[k][i] is the k-th reference of segment i (sacreBLEU's reference streams).
CASES = [
    {
        "name": "German with punctuation and umlauts",
        "hyps": [
            "Ich habe seit einer Stunde Fieber.",
            "Die Bank ist 3 Kilometer entfernt!",
            "Was kostet die Fahrkarte nach Salzburg ?",
            "Wann schliesst das Museum?",
            "Wir brauchen bitte einen Kleiderbügel, danke.",
            "„Schwül“ wird es am Mittwoch – in Salzburg.",
        ],
        "refs": [GERMAN_REFS],
    },
    {
        "name": "Chinese with full-width punctuation, digits and Latin words",
        "hyps": ["我发烧了一个小时。", "银行离这里3公里。", "去Salzburg的票多少钱?", "博物馆几点关门？", "我们需要衣架", "萨尔茨堡星期三很闷热。"],
        "refs": [CHINESE_REFS],
    },
    {"name": "an empty hypothesis in a corpus", "hyps": ["Ich habe seit einer Stunde Fieber.", "", "Was kostet eine Fahrkarte?"], "refs": [GERMAN_REFS[:3]]},
    {"name": "only empty hypotheses", "hyps": ["", "  "], "refs": [GERMAN_REFS[:2]]},
    {"name": "identical strings (German)", "hyps": GERMAN_REFS, "refs": [GERMAN_REFS]},
    {"name": "identical strings (Chinese)", "hyps": CHINESE_REFS, "refs": [CHINESE_REFS]},
    {
        "name": "hypotheses longer than the references",
        "hyps": [
            "Ich habe seit einer Stunde Fieber und Kopfschmerzen und brauche einen Arzt, bitte schnell.",
            "Die Bank ist drei Kilometer entfernt, gleich hinter dem Bahnhof.",
        ],
        "refs": [GERMAN_REFS[:2]],
    },
    {"name": "a one-word hypothesis", "hyps": ["Fieber"], "refs": [GERMAN_REFS[:1]]},
    {
        "name": "13a edge cases: entities, decimals, digit dashes, brackets, odd whitespace",
        "hyps": [
            "Das kostet 3,50 &amp; 1.000 Euro (ca.) &quot;heute&quot;.",
            "Zimmer 10-15\u00a0sind frei;\tdanke\u3000sehr",
            "Er sagt: ‚ja‘ <skipped> - ok-\nay",
        ],
        "refs": [["Das kostet 3,50 & 1.000 Euro (etwa) \"heute\".", "Die Zimmer 10-15 sind frei; danke sehr", "Er sagt: ja - okay"]],
    },
    {
        "name": "zh tokenizer quirks: general punctuation, astral and emoji characters",
        "hyps": ["“你好”——世界€ 𠀀 😀 OK.", "价格是3.5元–很便宜"],
        "refs": [["“你好”—世界€ 𠀀 😀 OK。", "价格是3.5元，很便宜"]],
    },
    {
        "name": "two references per segment",
        "hyps": ["Die Bank ist drei Kilometer weit weg.", "Wann macht das Museum zu?"],
        "refs": [
            ["Die Bank ist drei Kilometer entfernt.", "Wann schließt das Museum?"],
            ["Die Bank liegt drei Kilometer weit weg.", "Wann macht das Museum zu?"],
        ],
    },
]

# Lines for the tokenizers and Python's str.split / str.strip (which split on more than ASCII whitespace).
LINES = [
    *GERMAN_REFS,
    *CHINESE_REFS,
    *[line for case in CASES for line in [*case["hyps"], *(r for stream in case["refs"] for r in stream)]],
    "  leading and trailing spaces  ",
    "a.b,c 1.5 1,5 x. y, 3-4 a-b (x) [y] {z} ~`!@#$%^&*_+=|\\/<>?",
    "a\u00a0b\u3000c\u2028d\x1ce\x85f\ufeffg\u200bh\t\ni ",
]


def sacrebleu_answers() -> dict:
    """sacreBLEU's scores, plus compress.metrics' sentence accuracy (its own, not sacreBLEU's) so
    that the browser's copy of it is held to the same answers."""
    import sacrebleu

    from compress.metrics import sentence_accuracy
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    t13a, tzh = Tokenizer13a(), TokenizerZh()
    return {
        "sacrebleu": sacrebleu.__version__,
        "cases": [
            {
                **case,
                "scores": {
                    "bleu13a": sacrebleu.corpus_bleu(case["hyps"], case["refs"], tokenize="13a").score,
                    "bleuZh": sacrebleu.corpus_bleu(case["hyps"], case["refs"], tokenize="zh").score,
                    "chrf": sacrebleu.corpus_chrf(case["hyps"], case["refs"], word_order=0).score,
                    "chrfpp": sacrebleu.corpus_chrf(case["hyps"], case["refs"], word_order=2).score,
                    "accuracy": sentence_accuracy(case["hyps"], case["refs"][0]),
                },
            }
            for case in CASES
        ],
        "lines": [{"text": line, "13a": t13a(line), "zh": tzh(line), "split": line.split(), "strip": line.strip()} for line in LINES],
    }


# --- audio frames and tokens ----------------------------------------------------------------------

# Around every threshold of the arithmetic: empty, under and over the too-short limit (2 hops), a
# partial hop, and the end of the 30 s window, where the context frames lie past the window.
SAMPLE_COUNTS = [0, 1, 160, 320, 321, 479, 480, 481, 8000, 16001, 479_680, 479_681, 479_999, 480_000, 480_001]
CONTEXT_FRAMES = 2
TAIL_MELS = [0, 64, 127]
TAIL_FRAMES = 4


def clip_signal(n: int) -> np.ndarray:
    """The same deterministic clip the TypeScript test builds (float32 of a float64 formula)."""
    i = np.arange(n, dtype=np.float64)
    return (0.3 * np.sin(i / 7) * np.sin(i / 3000)).astype(np.float32)


def audio_answers() -> dict:
    import onnxruntime as ort
    from transformers import WhisperFeatureExtractor

    from compress.audio import audio_token_count, encoder_window_features, mel_frames

    fe = WhisperFeatureExtractor.from_pretrained(FIXTURE_MODEL)
    encoder = ort.InferenceSession(str(FIXTURE_MODEL / "onnx" / "audio_encoder.onnx"), providers=["CPUExecutionProvider"])
    cases = []
    for n in SAMPLE_COUNTS:
        case: dict = {"samples": n}
        try:
            case["frames"] = mel_frames(n)
            case["tokens"] = audio_token_count(n)
        except ValueError as e:
            case["error"] = "empty" if "empty" in str(e) else "too short" if "too short" in str(e) else "too long"
            cases.append(case)
            continue
        features, _ = encoder_window_features(fe, clip_signal(n), CONTEXT_FRAMES)
        case["encoder_frames"] = features.shape[2]
        case["encoder_rows"] = encoder.run(["audio_features"], {"input_features": features})[0].shape[1]
        case["tail"] = {str(m): features[0, m, -TAIL_FRAMES:].astype(float).tolist() for m in TAIL_MELS}
        cases.append(case)
    return {"model": "public/models/tiny-random", "context_frames": CONTEXT_FRAMES, "signal": "0.3 * sin(i / 7) * sin(i / 3000)", "cases": cases}


# --- the tests ------------------------------------------------------------------------------------


def same(a, b, rel: float) -> bool:
    """Equal structures, floats within `rel` (features come from FFTs whose last bits differ by CPU)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=rel, abs_tol=rel)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rel) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, rel) for x, y in zip(a, b))
    return a == b


def check(path: Path, answers: dict, rel: float) -> None:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing; write it with: {REWRITE}"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert same(committed, answers, rel), f"{path.relative_to(ROOT)} differs from the reference's answers; rewrite it with: {REWRITE}"


def test_sacrebleu_fixture_is_current():
    check(SACREBLEU_FIXTURE, sacrebleu_answers(), rel=0.0)


def test_audio_frames_fixture_is_current():
    check(AUDIO_FIXTURE, audio_answers(), rel=1e-5)


def test_the_fixture_check_catches_a_changed_score():
    answers = sacrebleu_answers()
    drifted = json.loads(json.dumps(answers))
    drifted["cases"][0]["scores"]["chrfpp"] += 0.001
    assert same(answers, json.loads(json.dumps(answers)), 0.0) and not same(answers, drifted, 0.0)


def write(path: Path, answers: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(answers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    write(SACREBLEU_FIXTURE, sacrebleu_answers())
    write(AUDIO_FIXTURE, audio_answers())
