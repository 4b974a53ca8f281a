"""A folder of clips and its manifest.jsonl, written resumably by worker processes (synth, speak, conditions).

A plan is one clip to make: a dict with its "path" (relative to the folder) and whatever decides its
audio. `make_clips` keeps every clip of an earlier run whose manifest line was planned the same way
and whose file still has the recorded sha256, makes the rest in `workers` processes, and writes
the manifest line by line as clips finish, then once more in plan order. WAVs are written under a
temporary name and renamed, so an interrupted run loses at most the clips in flight.
"""
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE, write_wav


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def clip_rng(seed: int, split: str, key: str, k: int) -> np.random.Generator:
    """The Generator of one clip: seeded by (seed, split, sentence id or path, clip index), not by processing order."""
    digest = hashlib.sha256(f"{split}\0{key}\0{k}".encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])


def read_jsonl(path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path, rows):
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


def write_clip(out_dir, plan: dict, samples) -> dict:
    """Write samples to out_dir/plan["path"] (atomically) and return the plan's manifest line."""
    path = Path(out_dir) / plan["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    write_wav(tmp, samples)
    os.replace(tmp, path)  # a crash never leaves a half-written WAV under the final name
    return {**plan, "sha256": file_sha256(path), "samples": len(samples), "duration_s": round(len(samples) / SAMPLING_RATE, 3)}


def still_valid(entry: dict, plan: dict, out_dir, keys) -> bool:
    """A clip from an earlier run is kept if it was planned the same way and its file is intact."""
    same = all(entry.get(k) == plan.get(k) for k in keys)
    path = Path(out_dir) / plan["path"]
    return same and path.exists() and file_sha256(path) == entry.get("sha256")


def hms(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m{seconds % 60:02d}s"


def log_line(*args):
    print(*args, flush=True)  # flushed, so progress shows up when the output goes to a pipe or a log file


def _star(args):
    make, plan, out_dir = args
    return make(plan, out_dir)


def make_clips(plans, out_dir, make, *, keys, workers=2, initializer=None, initargs=(), log=log_line, what="clips"):
    """Make every planned clip not already intact in out_dir. `make(plan, out_dir)` (a module-level
    function, so worker processes can run it) writes one clip and returns (manifest line, timing dict).
    Returns (manifest lines in plan order, timings of the clips made now)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.jsonl"
    earlier = {entry["path"]: entry for entry in read_jsonl(manifest_path)}
    kept = {p["path"]: earlier[p["path"]] for p in plans
            if p["path"] in earlier and still_valid(earlier[p["path"]], p, out_dir, keys)}
    todo = [p for p in plans if p["path"] not in kept]
    write_jsonl(manifest_path, kept.values())
    log(f"{len(plans)} {what} planned: {len(kept)} already done, {len(todo)} to make, {workers} worker(s)")

    timings = []
    jobs = [(make, p, str(out_dir)) for p in todo]
    t0, last = time.perf_counter(), 0.0
    with open(manifest_path, "a", encoding="utf-8") as manifest:
        if workers > 1 and len(todo) > 1:
            import multiprocessing

            pool = multiprocessing.Pool(workers, initializer=initializer, initargs=initargs)
            results = pool.imap_unordered(_star, jobs, chunksize=4)
        else:
            pool = None
            if initializer:
                initializer(*initargs)
            results = map(_star, jobs)
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
                    log(f"  {done}/{len(todo)} {what} ({100 * done / len(todo):.1f}%), {rate:.1f}/s, "
                        f"elapsed {hms(now)}, ETA {hms((len(todo) - done) / rate)}")
        finally:
            if pool is not None:
                pool.terminate()
    rows = [kept[p["path"]] for p in plans]
    write_jsonl(manifest_path, rows)  # final order: the plan's, not completion order
    return rows, timings
