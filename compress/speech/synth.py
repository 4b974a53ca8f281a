"""The spoken corpus: every sentence of train/dev/test.jsonl spoken by a synthetic voice and augmented.

Voices: whole speakers are held out for the test split (`split_voices`); train and dev draw from
the rest, so dev measures unseen sentences from known voices and test unseen sentences from
unknown voices.

Determinism: each clip's voice and augmentation come from a Generator seeded by (seed, split,
sentence id, clip index), never from processing order, so the same seed gives byte-identical WAVs
whatever the worker count, and a resumed run makes the same clips a fresh run would.
"""
import hashlib
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE, read_wav, write_wav
from ..errors import ToolkitError
from . import augmentation as aug
from .voices import Voice, engine_versions, list_voices, speakable, synthesize

SPLITS = ("train", "dev", "test")
BABBLE_SENTENCES = 12  # talkers in the babble pool: enough that no single voice stands out


@dataclass
class VoiceSplit:
    train: list  # voices of the train and dev splits
    heldout: list  # voices only the test split hears

    def for_split(self, split):
        return self.heldout if split == "test" else self.train


def split_voices(voices: list[Voice], seed: int) -> VoiceSplit:
    """Hold out whole speakers for the test split: one female and one male espeak-ng variant (all
    accents they appear with) and one recorded voice that only one engine has (flite's awb or rms,
    festival's ked, …), so the test hears a formant voice and a natural one that training never did.
    Voices that share a speaker (flite kal/kal16 and festival kal_diphone) stay on one side."""
    rng = np.random.default_rng([seed, 0x5017])
    by_speaker = {}
    for v in voices:
        by_speaker.setdefault(v.speaker, []).append(v)
    speakers = sorted(by_speaker)
    chosen = []

    def pick(candidates):
        candidates = [s for s in candidates if s not in chosen]
        if candidates:
            chosen.append(candidates[int(rng.integers(len(candidates)))])

    formant = [s for s in speakers if all(v.engine == "espeak" and not v.name.startswith("mb-") for v in by_speaker[s])]
    for gender in ("F", "M"):
        pick([s for s in formant if by_speaker[s][0].gender == gender])
    pick([s for s in speakers if len(by_speaker[s]) == 1 and by_speaker[s][0].engine != "espeak"])
    while sum(len(by_speaker[s]) for s in chosen) < 2 and len(chosen) < len(speakers) - 1:
        pick(speakers)
    heldout = [v for v in voices if v.speaker in chosen]
    train = [v for v in voices if v.speaker not in chosen]
    if len(heldout) < 2 or not train:
        raise ToolkitError(f"{len(voices)} voices are too few to hold out two and keep some for training; "
                           "run scripts/setup-system.sh to install the speech engines")
    return VoiceSplit(train, heldout)


def choose_voice(rng, voices: list[Voice]) -> Voice:
    """Engine first, then a voice of it: espeak-ng's many variants would otherwise drown the few
    recorded voices of flite and festival, which are the ones closest to real speech."""
    engines = sorted({v.engine for v in voices})
    engine = engines[int(rng.integers(len(engines)))]
    pool = [v for v in voices if v.engine == engine]
    return pool[int(rng.integers(len(pool)))]


def clip_rng(seed: int, split: str, sentence_id: str, k: int) -> np.random.Generator:
    key = hashlib.sha256(f"{split}\0{sentence_id}\0{k}".encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(key[:8], "little")])


def read_corpus(corpus_dir) -> dict:
    corpus_dir = Path(corpus_dir)
    corpus = {}
    for split in SPLITS:
        path = corpus_dir / f"{split}.jsonl"
        if not path.exists():
            raise ToolkitError(f"{path} is missing (the corpus needs {', '.join(s + '.jsonl' for s in SPLITS)})")
        rows, seen = [], set()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("id"), (str, int)) or not isinstance(row.get("en"), str) or not row["en"].strip():
                raise ToolkitError(f"{path}:{n}: each line needs an \"id\" and a non-empty \"en\"")
            if str(row["id"]) in seen:
                raise ToolkitError(f"{path}:{n}: duplicate id {row['id']!r}")
            seen.add(str(row["id"]))
            rows.append({"id": str(row["id"]), "en": row["en"]})
        corpus[split] = rows
    return corpus


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def safe_name(sentence_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", sentence_id)


def plan_clips(corpus, voice_split, seed, clips_per_sentence, limit, ranges) -> list[dict]:
    plans, paths = [], set()
    for split in SPLITS:
        for row in corpus[split][:limit]:
            for k in range(clips_per_sentence):
                rng = clip_rng(seed, split, row["id"], k)
                voice = choose_voice(rng, voice_split.for_split(split))
                path = f"{split}/{safe_name(row['id'])}_{k}.wav"
                if path in paths:
                    raise ToolkitError(f"sentence ids {row['id']!r} and another map to the same file {path}")
                paths.add(path)
                plan = {
                    "clip": f"{split}/{row['id']}_{k}", "path": path, "split": split, "sentence_id": row["id"],
                    "text": row["en"], "voice": voice.id, "engine": voice.engine, "speaker": voice.speaker,
                    "augment": aug.draw(rng, ranges),
                }
                if speakable(row["en"]) != row["en"]:
                    plan["spoken"] = speakable(row["en"])  # what the voice actually said
                plans.append(plan)
    return plans


def build_babble(corpus, voices, seed) -> np.ndarray:
    """Babble noise material: train sentences spoken by train voices, each at the same level, end to end."""
    rng = np.random.default_rng([seed, 0xBABB1E])
    rows = corpus["train"]
    pool = []
    for i in rng.permutation(len(rows))[:BABBLE_SENTENCES]:
        x = aug.trim_silence(synthesize(rows[i]["en"], choose_voice(rng, voices))).astype(np.float64)
        pool.append(x * 0.05 / np.sqrt(aug.power(x)))
    return np.concatenate(pool).astype(np.float32)


_babble = None  # the babble pool, set once per worker process


def init_worker(babble):
    global _babble
    _babble = babble


def make_clip(plan, out_dir, voices_by_id) -> dict:
    t0 = time.perf_counter()
    clean = synthesize(plan["text"], voices_by_id[plan["voice"]])
    t1 = time.perf_counter()
    samples = aug.apply(clean, plan["augment"], _babble)
    path = Path(out_dir) / plan["path"]
    tmp = path.with_name(path.name + ".tmp")
    write_wav(tmp, samples)
    os.replace(tmp, path)  # a crash never leaves a half-written WAV under the final name
    record = {**plan, "sha256": file_sha256(path), "samples": len(samples),
              "duration_s": round(len(samples) / SAMPLING_RATE, 3)}
    return record, {"engine": plan["engine"], "synth_s": t1 - t0, "augment_s": time.perf_counter() - t1}


def make_clip_star(args):
    return make_clip(*args)


def still_valid(entry, plan, out_dir) -> bool:
    """A clip from an earlier run is kept if it was planned the same way and its file is intact."""
    same = all(entry.get(k) == plan[k] for k in ("voice", "text", "augment", "split", "sentence_id"))
    path = Path(out_dir) / plan["path"]
    return same and path.exists() and file_sha256(path) == entry.get("sha256")


def write_jsonl(path, rows):
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


def hms(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m{seconds % 60:02d}s"


def log_line(*args):
    print(*args, flush=True)  # flushed, so progress shows up when the output goes to a pipe or a log file


def synthesize_corpus(corpus_dir, out_dir, seed=0, clips_per_sentence=1, limit=None, workers=2, log=log_line) -> dict:
    """Write out_dir/<split>/<id>_<k>.wav, out_dir/manifest.jsonl and out_dir/summary.json. Returns the summary."""
    started = time.perf_counter()
    corpus = read_corpus(corpus_dir)
    voices = list_voices()
    voice_split = split_voices(voices, seed)
    voices_by_id = {v.id: v for v in voices}
    out_dir = Path(out_dir)
    for split in SPLITS:
        (out_dir / split).mkdir(parents=True, exist_ok=True)

    babble_path = out_dir / "babble.wav"
    write_wav(babble_path, build_babble(corpus, voice_split.train, seed))
    babble = read_wav(babble_path)  # what the workers mix is exactly what the file holds
    ranges = aug.AugmentRanges(babble=babble)
    plans = plan_clips(corpus, voice_split, seed, clips_per_sentence, limit, ranges)

    manifest_path = out_dir / "manifest.jsonl"
    earlier = {}
    if manifest_path.exists():
        for line in manifest_path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            earlier[entry["path"]] = entry
    kept = {p["path"]: earlier[p["path"]] for p in plans if p["path"] in earlier and still_valid(earlier[p["path"]], p, out_dir)}
    todo = [p for p in plans if p["path"] not in kept]
    write_jsonl(manifest_path, kept.values())
    log(f"{len(plans)} clips planned: {len(kept)} already done, {len(todo)} to make, {workers} worker(s); "
        f"{len(voice_split.train)} train/dev voices, held out for test: {', '.join(v.id for v in voice_split.heldout)}")

    timings = []
    jobs = [(p, str(out_dir), voices_by_id) for p in todo]
    t0, last = time.perf_counter(), 0.0
    with open(manifest_path, "a", encoding="utf-8") as manifest:
        if workers > 1 and len(todo) > 1:
            import multiprocessing

            pool = multiprocessing.Pool(workers, initializer=init_worker, initargs=(babble,))
            results = pool.imap_unordered(make_clip_star, jobs, chunksize=4)
        else:
            pool = None
            init_worker(babble)
            results = map(make_clip_star, jobs)
        try:
            for done, (record, timing) in enumerate(results, 1):
                manifest.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                manifest.flush()
                kept[record["path"]] = record
                timings.append(timing)
                now = time.perf_counter() - t0
                if now - last >= 10 or done == len(todo):
                    last = now
                    rate = done / now
                    log(f"  {done}/{len(todo)} clips ({100 * done / len(todo):.1f}%), {rate:.1f} clips/s, "
                        f"elapsed {hms(now)}, ETA {hms((len(todo) - done) / rate)}")
        finally:
            if pool is not None:
                pool.terminate()
    rows = [kept[p["path"]] for p in plans]
    write_jsonl(manifest_path, rows)  # final order: the plan's, not completion order

    summary = summarize(rows, plans, voices, voice_split, seed, clips_per_sentence, limit, ranges, corpus_dir,
                        babble_path, timings, len(todo), time.perf_counter() - started)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {len(rows)} clips ({summary['hours']:.2f} h) to {out_dir}, manifest {manifest_path}")
    return summary


def count(rows, key):
    out = {}
    for row in rows:
        out[row[key]] = out.get(row[key], 0) + 1
    return dict(sorted(out.items()))


def summarize(rows, plans, voices, voice_split, seed, clips_per_sentence, limit, ranges, corpus_dir, babble_path,
              timings, made, wall_s):
    per_engine = {}
    for t in timings:
        per_engine.setdefault(t["engine"], []).append(t)
    return {
        "seed": seed,
        "clips_per_sentence": clips_per_sentence,
        "limit": limit,
        "clips": len(rows),
        "hours": sum(r["duration_s"] for r in rows) / 3600,
        "clips_per_split": count(rows, "split"),
        "clips_per_engine": count(rows, "engine"),
        "clips_per_voice": count(rows, "voice"),
        "corpus": {s: file_sha256(Path(corpus_dir) / f"{s}.jsonl") for s in SPLITS},
        "babble_sha256": file_sha256(babble_path),
        "voices": {"inventory": [v.as_dict() for v in voices],
                   "train_dev": [v.id for v in voice_split.train],
                   "test_heldout": [v.id for v in voice_split.heldout]},
        "augment_ranges": ranges.as_dict(),
        "engines": engine_versions(),
        "this_run": {  # not deterministic: how long this run took, to size the next one
            "clips_made": made,
            "wall_s": round(wall_s, 1),
            "median_s_per_clip": {
                e: {"synth": round(statistics.median(t["synth_s"] for t in ts), 4),
                    "augment": round(statistics.median(t["augment_s"] for t in ts), 4), "clips": len(ts)}
                for e, ts in sorted(per_engine.items())
            },
        },
    }


# --- inventory and timing, for docs/voices.md ------------------------------------------------------

TIMING_SENTENCES = [
    "Excuse me, where is the nearest train station?",
    "I would like to book a double room for three nights, please.",
    "How much does this jacket cost?",
    "Could you bring us the bill, please?",
    "The museum opens at half past nine on Sundays.",
]


def time_engines(voices, clips=20, log=print) -> dict:
    """Median seconds per clip for each engine, synthesis alone and augmentation alone."""
    rng = np.random.default_rng(0)
    results = {}
    for engine in sorted({v.engine for v in voices}):
        pool = [v for v in voices if v.engine == engine]
        synth_s, augment_s, audio_s = [], [], []
        for i in range(clips):
            t0 = time.perf_counter()
            x = synthesize(TIMING_SENTENCES[i % len(TIMING_SENTENCES)], pool[i % len(pool)])
            t1 = time.perf_counter()
            aug.augment(x, rng)
            synth_s.append(t1 - t0)
            augment_s.append(time.perf_counter() - t1)
            audio_s.append(len(x) / SAMPLING_RATE)
        results[engine] = {"synth_s": statistics.median(synth_s), "augment_s": statistics.median(augment_s),
                           "audio_s": statistics.median(audio_s), "clips": clips}
        log(f"{engine:9s} synth {results[engine]['synth_s']:.3f} s, augment {results[engine]['augment_s']:.3f} s "
            f"per clip (median of {clips}; clips of {results[engine]['audio_s']:.1f} s)")
    return results


def inventory_table(voices, voice_split) -> str:
    held = {v.id for v in voice_split.heldout}
    lines = ["| engine | voice id | accent | gender | speaker | split |", "|---|---|---|---|---|---|"]
    for v in voices:
        lines.append(f"| {v.engine} | `{v.id}` | {v.accent} | {v.gender} | {v.speaker} | "
                     f"{'**test only**' if v.id in held else 'train/dev'} |")
    return "\n".join(lines)


# --- command line ----------------------------------------------------------------------------------


def cmd_synth(args):
    if args.workers < 1:
        raise ToolkitError("--workers must be at least 1")
    synthesize_corpus(args.corpus, args.out, seed=args.seed, clips_per_sentence=args.clips_per_sentence,
                      limit=args.limit, workers=args.workers)


def cmd_voices(args):
    voices = list_voices()
    voice_split = split_voices(voices, args.seed)
    if args.markdown:
        print(inventory_table(voices, voice_split))
    else:
        held = {v.id for v in voice_split.heldout}
        for v in voices:
            print(f"{v.id:40s} {v.accent:16s} {v.gender}  {'test only' if v.id in held else ''}")
    engines = count([v.as_dict() for v in voices], "engine")
    print(f"{len(voices)} voices: " + ", ".join(f"{e} {n}" for e, n in engines.items()), file=sys.stderr)
    if args.time:
        time_engines(voices, args.time, log=lambda *a: print(*a, file=sys.stderr))


def add_cli(subparsers):
    p = subparsers.add_parser("synth", help="speak the corpus with synthetic voices, augmented (16 kHz WAVs + manifest)")
    p.add_argument("--corpus", required=True, help="folder with train.jsonl, dev.jsonl, test.jsonl (\"id\", \"en\")")
    p.add_argument("--out", required=True, help="output folder: <split>/*.wav, manifest.jsonl, summary.json")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, help="only the first N sentences of each split")
    p.add_argument("--clips-per-sentence", type=int, default=1)
    p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p.set_defaults(func=cmd_synth)

    p = subparsers.add_parser("voices", help="list the installed English voices and which are held out for test")
    p.add_argument("--seed", type=int, default=0, help="the seed that decides the held-out voices")
    p.add_argument("--markdown", action="store_true", help="print a markdown table")
    p.add_argument("--time", type=int, metavar="N", help="also time N clips per engine")
    p.set_defaults(func=cmd_voices)
