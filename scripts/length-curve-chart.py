"""Fits and draws cost against utterance length (cli/length-curve.ts writes the JSON).

Usage: .venv/bin/python scripts/length-curve-chart.py bench/results/<date>-length.json docs/length-curve.png
Prints the markdown table (medians per length, linear fit, log-log exponent) that the runner stores
next to the JSON, and writes the chart.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

STAGES = [("featuresMs", "features ms"), ("encoderMs", "encoder ms"), ("prefillMs", "prefill ms"), ("decodeMsPerStep", "decode ms/step")]


def medians(curve, stage):
    return np.array([np.median([r[stage] for r in point["runs"]]) for point in curve])


def fits(seconds, ms):
    """Least-squares line (ms = slope·s + intercept) and log-log exponent (ms ∝ s^k), numpy.polyfit."""
    slope, intercept = np.polyfit(seconds, ms, 1)
    exponent, _ = np.polyfit(np.log(seconds), np.log(ms), 1)
    return slope, intercept, exponent


def warm_up(report):
    """The report's warm-up: a count of runs (reports before 2026-12-05's evening) or cli/length-curve.ts's
    STEADY_STATE rule (src/core/stats.ts warmUp)."""
    if "warmups" in report:
        return f"{report['warmups']} runs per length"
    w = report["warmUp"]
    return (f"to the steady state once: at least {w['minMs'] / 1000:g} s and until the median of the last {w['window']} runs "
            f"is within {w['tolerance'] * 100:g}% of the {w['window']} before them; then one untimed run per length")


def main(path, chart):
    report = json.load(open(path))
    lines = [
        f"# Cost against utterance length {report['date']}: {report['model']} (→ {report['lang']})",
        "",
        f"Machine: {report['machine']}. Runtimes: {report.get('onnxruntime', 'not recorded')}. Browser: {report['userAgent']}. Clips: the bundled test clips concatenated and cut "
        f"at each length (cli/length-clips.ts); each run a forced decode of {report['forcedTokens']} steps; median of "
        f"{report['runs']} runs after a warm-up ({warm_up(report)}). Fit: least squares on the medians; exponent k of ms ∝ s^k from log-log.",
        "",
    ]
    fig, axes = plt.subplots(1, len(STAGES), figsize=(4 * len(STAGES), 3.6))
    for runtime, curve in report["runtimes"].items():
        seconds = np.array([p["seconds"] for p in curve], dtype=float)
        lines += [f"## {runtime}", "", "| stage | " + " | ".join(f"{s:g} s" for s in seconds) + " | slope ms/s | intercept ms | log-log exponent | shortest / longest |",
                  "|---|" + "---|" * (len(seconds) + 4)]
        for (stage, label), ax in zip(STAGES, axes):
            ms = medians(curve, stage)
            slope, intercept, exponent = fits(seconds, ms)
            lines.append(f"| {label} | " + " | ".join(f"{m:.1f}" for m in ms) +
                         f" | {slope:.2f} | {intercept:.1f} | {exponent:.2f} | {ms[0] / ms[-1]:.3f} |")
            ax.plot(seconds, ms, "o-", label=runtime)
            ax.set_title(label)
            ax.set_xlabel("utterance length, s")
            ax.grid(alpha=0.3)
        if len(seconds) > 1 and 3 in seconds and 30 in seconds:
            enc = medians(curve, "encoderMs")
            share = enc[list(seconds).index(3)] / enc[list(seconds).index(30)]
            lines += ["", f"Encoder at 3 s / at 30 s: {share:.3f} (linear would be 0.100; target ≤ 0.20)."]
        lines.append("")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"{report['model']}: cost against utterance length (median of {report['runs']} runs)")
    fig.tight_layout()
    fig.savefig(chart, dpi=110)
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:3])
