"""Evaluation conditions: a split's clean clips rendered fast, slow, higher, lower, on a phone line, in a room.

`python -m compress conditions --speech data/eval/paraphrase --out data/eval/paraphrase-conditions`
reads the clean clips of a spoken split (`speak --clean`) and writes one folder per condition,
each with the same clip paths and a manifest.jsonl, so `compress eval --speech <out>/<condition>`
scores it like any spoken split. Each clip's condition parameters (noise type and SNR, the room)
come from a Generator seeded by (seed, condition, clip path), so a folder is reproducible from
its seed and the same clip gets the same room whatever the worker count.

Names: `clean`, `tempoX` (sox tempo, pitch kept: 0.85 = 15% slower), `pitch±N` (N semitones, sox
pitch), `phone` (noise at 10–15 dB SNR, then the telephone band and μ-law), `reverb` (a
reverberant room simulated by pyroomacoustics: RT60 0.6–0.9 s, talker 1–2.5 m from the mic).
"""
import json
import re
import shutil
import time
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE, read_wav
from ..errors import ToolkitError
from . import augmentation as aug
from .clips import clip_rng, file_sha256, log_line, make_clips, read_jsonl, write_clip
from .voices import sox

CONDITIONS = ("clean", "tempo0.85", "tempo1.15", "pitch-3", "pitch+3", "phone", "reverb")
PHONE_SNR_DB = (10.0, 15.0)
PHONE_NOISES = ("white", "pink")  # a line's hiss, a street's rumble
REVERB_ROOM_M = aug.AugmentRanges.room_m
REVERB_RT60_S = (0.6, 0.9)        # a bare office or a stairwell: clearly reverberant, still intelligible
REVERB_DISTANCE_M = (1.0, 2.5)    # a laptop or a phone on the table, not held to the mouth
SOURCE_KEYS = ("clip", "path", "split", "sentence_id", "text", "spoken", "voice", "engine", "speaker", "augment")
PLAN_KEYS = ("condition", "source_sha256", "split", "sentence_id")


def parse_condition(name: str) -> dict:
    """A condition's fixed part from its name; refuses names it does not know."""
    if name in ("clean", "phone", "reverb"):
        return {"name": name}
    m = re.fullmatch(r"tempo(\d+(?:\.\d+)?)", name)
    if m and 0.5 <= float(m.group(1)) <= 2.0 and float(m.group(1)) != 1.0:
        return {"name": name, "tempo": float(m.group(1))}
    m = re.fullmatch(r"pitch([+-]\d+(?:\.\d+)?)", name)
    if m and 0 < abs(float(m.group(1))) <= 12:
        return {"name": name, "pitch_cents": round(100 * float(m.group(1)), 1)}
    raise ToolkitError(f"unknown condition {name!r}: use clean, phone, reverb, tempoX (0.5–2, e.g. tempo0.85) "
                       "or pitch±N (semitones, e.g. pitch-3)")


def draw_condition(name: str, rng: np.random.Generator) -> dict:
    """Every choice of one clip's condition, as JSON-ready numbers."""
    params = parse_condition(name)
    if name == "phone":
        params["noise"] = {"type": aug.choice(rng, PHONE_NOISES), "snr_db": aug.uniform(rng, PHONE_SNR_DB, 2)}
        params["noise_seed"] = int(rng.integers(2**31))
    elif name == "reverb":
        params["room"] = aug.draw_room(rng, REVERB_ROOM_M, REVERB_RT60_S, REVERB_DISTANCE_M)
    return params


def apply_condition(samples: np.ndarray, params: dict) -> np.ndarray:
    """The clean clip under the condition; a pure function of the recorded parameters."""
    x = np.asarray(samples, dtype=np.float32)
    if "tempo" in params:
        return sox(x, ["tempo", "-s", f"{params['tempo']}"])
    if "pitch_cents" in params:
        return sox(x, ["pitch", f"{params['pitch_cents']}"])
    if params["name"] == "phone":
        noisy = aug.add_noise(x.astype(np.float64), params["noise"], params["noise_seed"])
        return aug.limit_peak(aug.telephone(aug.limit_peak(noisy))).astype(np.float32)
    if params["name"] == "reverb":
        wet = aug.reverberate(x.astype(np.float64), params["room"])
        wet *= np.sqrt(np.sum(np.square(x, dtype=np.float64)) / np.sum(np.square(wet)))  # the same energy as the clean clip
        return aug.limit_peak(wet).astype(np.float32)
    if params["name"] == "clean":
        return x
    raise ValueError(f"unknown condition {params['name']!r}")


def make_condition_clip(plan, out_dir):
    t0 = time.perf_counter()
    source = Path(plan["source"])
    if plan["condition"]["name"] == "clean":  # the very file, so clean scores match the split's own
        target = Path(out_dir) / plan["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        record = {**plan, "sha256": file_sha256(target), "samples": len(read_wav(target))}
        record["duration_s"] = round(record["samples"] / SAMPLING_RATE, 3)
    else:
        record = write_clip(out_dir, plan, apply_condition(read_wav(source), plan["condition"]))
    return record, {"condition": plan["condition"]["name"], "seconds": time.perf_counter() - t0}


def plan_conditions(rows, speech_dir, names, seed) -> dict:
    plans = {name: [] for name in names}
    for row in rows:
        for name in names:
            plan = {k: row[k] for k in SOURCE_KEYS if k in row}
            plan.update(source=str(Path(speech_dir) / row["path"]), source_sha256=row["sha256"],
                        condition=draw_condition(name, clip_rng(seed, f"condition {name}", row["path"], 0)))
            plans[name].append(plan)
    return plans


def render_conditions(speech_dir, out_dir, names=CONDITIONS, *, seed=0, split=None, workers=2, log=log_line) -> dict:
    """Write out_dir/<condition>/<clip path> and out_dir/<condition>/manifest.jsonl for each condition
    from the clean clips in speech_dir, and out_dir/summary.json. Returns the summary."""
    started = time.perf_counter()
    if workers < 1:
        raise ToolkitError("--workers must be at least 1")
    names = list(dict.fromkeys(names))
    for name in names:
        parse_condition(name)
    speech_dir, out_dir = Path(speech_dir), Path(out_dir)
    manifest = speech_dir / "manifest.jsonl"
    rows = [r for r in read_jsonl(manifest) if split is None or r["split"] == split]
    if not rows:
        raise ToolkitError(f"no clips in {manifest}" + (f" for split {split!r}" if split else ""))
    augmented = [r["path"] for r in rows if r.get("augment") != aug.clean_params()]
    if augmented:
        raise ToolkitError(f"{len(augmented)} clips of {manifest} are augmented (e.g. {augmented[0]}): conditions start "
                           "from clean clips; speak the split with `python -m compress speak --clean` first")
    if out_dir.resolve() == speech_dir.resolve():
        raise ToolkitError("--out must be a folder of its own, not the clean split's")
    plans = plan_conditions(rows, speech_dir, names, seed)
    summary = {"seed": seed, "source": {"manifest": str(manifest), "sha256": file_sha256(manifest), "split": split},
               "conditions": {}}
    for name in names:
        log(f"condition {name}:")
        made, timings = make_clips(plans[name], out_dir / name, make_condition_clip, keys=PLAN_KEYS, workers=workers,
                                   log=log, what="clips")
        summary["conditions"][name] = {"clips": len(made), "hours": round(sum(r["duration_s"] for r in made) / 3600, 4),
                                       "made_now": len(timings)}
    summary["wall_s"] = round(time.perf_counter() - started, 1)  # not deterministic: this run's time
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    log(f"wrote {', '.join(names)} under {out_dir}")
    return summary


def cmd_conditions(args):
    render_conditions(args.speech, args.out, args.conditions, seed=args.seed, split=args.split, workers=args.workers)


def add_cli(subparsers):
    p = subparsers.add_parser("conditions", help="render a spoken split's clean clips under evaluation conditions "
                              "(tempo, pitch, phone, reverb), one folder + manifest each")
    p.add_argument("--speech", required=True, help="a folder spoken with `speak --clean` (manifest.jsonl + WAVs)")
    p.add_argument("--out", required=True, help="output folder: <condition>/<split>/*.wav, <condition>/manifest.jsonl")
    p.add_argument("--conditions", nargs="+", default=list(CONDITIONS), metavar="NAME",
                   help=f"default: {' '.join(CONDITIONS)}")
    p.add_argument("--split", help="only this split's clips (default: every clip in the manifest)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_conditions)
