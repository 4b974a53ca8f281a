"""scripts/length-curve-chart.py on the reports cli/length-curve.ts writes, the older form included."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def report(**warm_up):
    point = lambda s: {"seconds": s, "audioTokens": 25 * s,  # noqa: E731
                       "runs": [{"featuresMs": 5.0 * s, "encoderMs": 10.0 * s + 3, "prefillMs": 2.0 * s + 20, "decodeMsPerStep": 0.1 * s + 2}] * 3}
    return {"date": "2026-12-05T00:00:00Z", "model": "phrasebook-student", "lang": "de", "machine": "test", "userAgent": "none",
            "runs": 3, "forcedTokens": 32, **warm_up, "runtimes": {"node": [point(s) for s in (1, 3, 10, 30)]}}


def chart(tmp_path, data):
    path = tmp_path / "length.json"
    path.write_text(json.dumps(data))
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "length-curve-chart.py"), str(path), str(tmp_path / "c.png")],
                         capture_output=True, text=True, check=True).stdout
    assert (tmp_path / "c.png").stat().st_size > 0
    return out


def test_describes_the_steady_state_warm_up(tmp_path):
    out = chart(tmp_path, report(warmUp={"minMs": 5000, "maxMs": 30000, "window": 3, "tolerance": 0.1}))
    assert "after a warm-up (to the steady state once: at least 5 s and until the median of the last 3 runs is within 10% of the 3 before them" in out
    assert "Encoder at 3 s / at 30 s: 0.109" in out


def test_reads_the_older_reports_with_a_count_of_warm_ups(tmp_path):
    assert "after a warm-up (3 runs per length)" in chart(tmp_path, report(warmups=3))
