"""`python -m compress voices`: the voice inventory, the espeak-ng variants left out and why, and
timings of synthesis and of each augmentation step (the tables of docs/voices.md)."""
import json
import os
import resource
import statistics
import sys
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE
from . import augmentation as aug
from .conditions import CONDITIONS, apply_condition, draw_condition
from .synth import count, split_voices
from .voices import ENGINES, engine_versions, espeak_variants, festival, list_voices, synthesize

TIMING_SENTENCES = [
    "Excuse me, where is the nearest train station?",
    "I would like to book a double room for three nights, please.",
    "How much does this jacket cost?",
    "Could you bring us the bill, please?",
    "The museum opens at half past nine on Sundays.",
]


def only(**step):
    """Augmentation parameters with nothing on but `step` (level and silence as a clip has them)."""
    params = {**aug.clean_params(), "noise_seed": 7}
    params.update(step)
    return params


STEPS = {  # one augmentation step at a time, at mid-range settings
    "tempo + pitch (sox)": only(tempo=1.1, pitch_cents=150.0),
    "VTLP (sox speed + Rubber Band)": only(vtlp={"alpha": 1.08}),
    "reverb (pyroomacoustics RIR, RT60 0.5 s)": only(reverb={"size_m": [6.0, 4.5, 2.8], "rt60_s": 0.5, "talker_m": [1.5, 1.5, 1.6],
                                                             "mic_m": [3.0, 2.5, 1.0], "seed": 3}),
    "babble noise": only(noise={"type": "babble", "snr_db": 10.0}),
    "pink noise": only(noise={"type": "pink", "snr_db": 10.0}),
    "microphone EQ (sox, 3 peaks)": only(mic={"highpass_hz": 150, "lowpass_hz": 5000, "bass_db": -3.0, "treble_db": 2.0,
                                              "peaks": [[400, 1.5, 6.0], [2500, 2.0, -8.0], [4000, 1.0, 4.0]]}),
    "telephone (sox band + μ-law)": only(channel={"type": "telephone"}),
    "Opus 16 kb/s (opusenc + opusdec)": only(channel={"type": "opus", "kbps": 16}),
    "MP3 32 kb/s (sox LAME + libmad)": only(channel={"type": "mp3", "kbps": 32}),
}


def cpu_s():
    """CPU seconds of this process, of the engines and tools it ran, and of the festival process it
    keeps (a shared machine's wall clock mostly measures the other jobs)."""
    import psutil

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    if festival.proc is not None and festival.proc.poll() is None:
        times = psutil.Process(festival.proc.pid).cpu_times()
        total += times.user + times.system
    return total


def cpu_times(fn, runs):
    times = []
    for i in range(runs):
        t0 = cpu_s()
        fn(i)
        times.append(cpu_s() - t0)
    return times


def median_s(fn, runs):
    return statistics.median(cpu_times(fn, runs))


def time_engines(voices, clips=20, log=print) -> dict:
    """Median CPU seconds per clip: synthesis per engine, a whole drawn augmentation, each step alone,
    and each evaluation condition."""
    results = {"engines": {}, "steps": {}, "conditions": {}}
    samples = []
    for engine in sorted({v.engine for v in voices}):
        pool = [v for v in voices if v.engine == engine]
        said = []
        synth = median_s(lambda i: said.append(synthesize(TIMING_SENTENCES[i % len(TIMING_SENTENCES)],
                                                          pool[(i * 7) % len(pool)])), clips)
        samples += said
        audio_s = statistics.median(len(x) / SAMPLING_RATE for x in said)
        results["engines"][engine] = {"synth_s": round(synth, 4), "audio_s": round(audio_s, 2), "clips": clips}
        log(f"{engine:9s} synthesis {synth:.3f} s per clip (median of {clips}; clips of {audio_s:.1f} s)")
    babble = np.concatenate(samples[:12])
    ranges = aug.AugmentRanges(babble=babble)
    aug.reverberate(np.zeros(100), STEPS["reverb (pyroomacoustics RIR, RT60 0.5 s)"]["reverb"])  # import once, untimed
    whole = cpu_times(lambda i: aug.augment(samples[i % len(samples)], np.random.default_rng(i), ranges), clips)
    results["augment_s"] = {"median": round(statistics.median(whole), 4), "mean": round(statistics.mean(whole), 4)}
    log(f"augmentation as drawn (default ranges): median {statistics.median(whole):.3f} s, "
        f"mean {statistics.mean(whole):.3f} s per clip (of {clips})")
    for step, params in STEPS.items():
        s = median_s(lambda i: aug.apply(samples[i % len(samples)], params, babble), clips)
        results["steps"][step] = round(s, 4)
        log(f"  {step:42s} {s:.3f} s")
    clean = [aug.apply(x, aug.clean_params()) for x in samples]
    for name in CONDITIONS:
        s = median_s(lambda i: apply_condition(clean[i % len(clean)], draw_condition(name, np.random.default_rng(i))), clips)
        results["conditions"][name] = round(s, 4)
        log(f"  condition {name:32s} {s:.3f} s")
    return results


def side_of(voice, voice_split) -> str:
    if voice in voice_split.heldout:
        return "**held out**"
    return "dev (choice splits only)" if voice in voice_split.dev else "train/dev"


def markdown_tables(voices, voice_split) -> str:
    held = {v.id for v in voice_split.heldout}
    kept, excluded = espeak_variants()
    espeak = [v for v in voices if v.engine == "espeak" and not v.name.startswith("mb-")]
    accents = sorted({v.accent for v in espeak})
    heldout_variants = sorted({v.speaker.removeprefix("espeak+") for v in espeak if v.id in held})
    lines = [f"espeak-ng: {len(accents)} accents × {len(kept)} variants = {len(espeak)} voices "
             f"(`espeak:<accent>+<variant>`).", "",
             "Accents: " + ", ".join(f"`{a}`" for a in accents) + ".", "",
             "| gender | variants kept |", "|---|---|"]
    for gender in ("F", "M", "?"):
        names = [f"`{n}`" + (" (**held out**)" if n in heldout_variants else "") for n, g in kept.items() if g == gender]
        lines.append(f"| {gender} | {', '.join(names)} |")
    lines += ["", "| variant left out | why (its settings) |", "|---|---|"]
    lines += [f"| `{name}` | {why} |" for name, why in excluded.items()]
    lines += ["", "| engine | voice id | accent | gender | speaker | split |", "|---|---|---|---|---|---|"]
    for v in voices:
        if v.engine != "espeak" or v.name.startswith("mb-"):
            lines.append(f"| {v.engine} | `{v.id}` | {v.accent} | {v.gender} | {v.speaker} | {side_of(v, voice_split)} |")
    return "\n".join(lines)


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"cpu": model, "cores": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def print_inventory(seed: int, markdown=False, time_clips=None, out=None):
    voices = list_voices(ENGINES)
    voice_split = split_voices(voices, seed)
    if markdown:
        print(markdown_tables(voices, voice_split))
    else:
        for v in voices:
            print(f"{v.id:40s} {v.accent:16s} {v.gender}  {side_of(v, voice_split).strip('*')}")
    engines = count([v.as_dict() for v in voices], "engine")
    print(f"{len(voices)} voices: " + ", ".join(f"{e} {n}" for e, n in engines.items())
          + f"; held out for test: {len(voice_split.heldout)} voices of "
          + ", ".join(sorted({v.speaker for v in voice_split.heldout}))
          + f"; for the choice splits only: {len(voice_split.dev)}", file=sys.stderr)
    if time_clips:
        before = machine()
        results = time_engines(voices, time_clips, log=lambda *a: print(*a, file=sys.stderr))
        if out:
            record = {"what": "median CPU seconds per clip (self + children + the festival process)",
                      "command": f"python -m compress voices --time {time_clips}", "machine": before,
                      "load_average_after": machine()["load_average"], "engines": engine_versions(ENGINES), **results}
            Path(out).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
