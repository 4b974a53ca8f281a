"""Spoken splits: every sentence of a split spoken by a synthetic voice, augmented or clean.

`synth` speaks a corpus folder's train/dev/test.jsonl; `speak` speaks any JSONL of {"id", "en", …}
rows as one named split (the eval splits: paraphrase, new-combination, out-of-domain, …).

Voices: whole speakers are held out (`split_voices`); train and dev draw from the rest, every
other split from the held-out ones, so dev measures unseen sentences from known voices and test
(and the eval splits) unseen sentences from unknown voices. `--exclude-engine`/`--only-engine`
narrow the pools to train without an engine and test on it alone. Kokoro, the neural engine, is
heard only where a command names it (`--only-engine kokoro`, `--with-engine kokoro`); its speakers
are split three ways, with a third side, dev, that neither training nor the test splits hear:
choices made on it see voices the model has never heard, as a user's.

Determinism: each clip's voice and augmentation come from a Generator seeded by (seed, split,
sentence id, clip index), never from processing order, so the same seed gives byte-identical WAVs
whatever the worker count, a resumed run makes the same clips a fresh run would, and a split
spoken clean gets the same voice per clip as the same split spoken augmented.
"""
import json
import re
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..audio import read_wav, write_wav
from ..errors import ToolkitError
from . import augmentation as aug
from .clips import clip_rng, file_sha256, log_line, make_clips, read_jsonl, write_clip
from .voices import (DEFAULT_ENGINES, ENGINES, ESPEAK_FEMALE, ESPEAK_MALE, Voice, engine_versions, list_voices,
                     speakable, synthesize)

SPLITS = ("train", "dev", "test")
TRAIN_SPLITS = ("train", "dev")  # the splits that hear the training voices
SIDES = ("train", "heldout", "dev", "all")
# Kokoro's speakers held out per accent and gender, for the test splits and again for the choice splits
# (dev side): of 11 American women 3 and 3, of 9 American men 2 and 2, of 4 British women or men 1 and 1.
KOKORO_HELDOUT_SHARE = 0.25
BABBLE_SENTENCES = 12  # talkers in the babble pool: enough that no single voice stands out
PLAN_KEYS = ("voice", "text", "augment", "split", "sentence_id")  # what decides a clip's audio


@dataclass
class VoiceSplit:
    train: list  # voices of the train and dev splits
    heldout: list  # voices the other splits hear
    dev: list = field(default_factory=list)  # voices only the choice splits hear (Kokoro's)

    def side(self, name):
        return {"train": self.train, "heldout": self.heldout, "dev": self.dev,
                "all": self.train + self.heldout + self.dev}[name]


def split_voices(voices: list[Voice], seed: int) -> VoiceSplit:
    """Hold out whole speakers: one female and one male espeak-ng variant of the 24 the first corpus
    used (with every accent), and one recorded voice that only one engine has (flite's awb or rms,
    festival's ked, …), so the test hears a formant voice and a natural one that training never did.
    Voices that share a speaker (flite kal/kal16 and festival kal_diphone) stay on one side.
    Kokoro's speakers, when listed, are split apart (`split_kokoro`), so they never move the others."""
    neural = [v for v in voices if v.engine == "kokoro"]
    voices = [v for v in voices if v.engine != "kokoro"]
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
    for first_corpus in (ESPEAK_FEMALE, ESPEAK_MALE):
        pick([s for s in formant if s.removeprefix("espeak+") in first_corpus])
    pick([s for s in speakers if len(by_speaker[s]) == 1 and by_speaker[s][0].engine != "espeak"])
    while sum(len(by_speaker[s]) for s in chosen) < 2 and len(chosen) < len(speakers) - 1:
        pick(speakers)
    heldout = [v for v in voices if v.speaker in chosen]
    train = [v for v in voices if v.speaker not in chosen]
    if len(heldout) < 2 or not train:
        raise ToolkitError(f"{len(voices)} voices are too few to hold out two and keep some for training; "
                           "run scripts/setup-system.sh to install the speech engines")
    kokoro = split_kokoro(neural, seed)
    return VoiceSplit(train + kokoro.train, heldout + kokoro.heldout, kokoro.dev)


def split_kokoro(voices: list[Voice], seed: int) -> VoiceSplit:
    """Kokoro's voices (one speaker each) in three: per accent and gender, KOKORO_HELDOUT_SHARE of them
    (at least one) for the test splits, as many for the choice splits, the rest for training."""
    rng = np.random.default_rng([seed, 0x6060])
    split = VoiceSplit([], [], [])
    for group in sorted({(v.accent, v.gender) for v in voices}):
        members = [voices[i] for i in rng.permutation(len(voices)) if (voices[i].accent, voices[i].gender) == group]
        n = max(1, round(KOKORO_HELDOUT_SHARE * len(members)))
        split.heldout += members[:n]
        split.dev += members[n:2 * n]
        split.train += members[2 * n:]
    return VoiceSplit(*(sorted(side, key=lambda v: v.id) for side in (split.train, split.heldout, split.dev)))


@dataclass
class VoiceChoice:
    """Which voices each split hears: a side of the seed's split, narrowed by engine."""
    side: str | None = None        # "train", "heldout", "dev", "all"; None: train for train/dev, held-out otherwise
    only_engine: str | None = None  # every voice of this engine, both sides unless `side` says otherwise
    exclude_engines: tuple = ()
    with_engines: tuple = ()       # engines beyond DEFAULT_ENGINES that join the pools (kokoro)

    def engines(self) -> tuple:
        """The engines to list: the default ones, whose held-out speakers never move, and the named ones."""
        named = (self.only_engine,) + tuple(self.with_engines)
        return DEFAULT_ENGINES + tuple(dict.fromkeys(e for e in named if e and e not in DEFAULT_ENGINES))

    def pool(self, voice_split: VoiceSplit, split: str) -> list[Voice]:
        side = self.side or ("all" if self.only_engine else "train" if split in TRAIN_SPLITS else "heldout")
        voices = [v for v in voice_split.side(side)
                  if (self.only_engine is None or v.engine == self.only_engine) and v.engine not in self.exclude_engines]
        if not voices:
            raise ToolkitError(f"no voice left for split {split!r}: side {side}"
                               + (f", only engine {self.only_engine}" if self.only_engine else "")
                               + (f", excluding {', '.join(self.exclude_engines)}" if self.exclude_engines else "")
                               + "; is the engine installed (python -m compress voices)?")
        return voices

    def as_dict(self):
        return {"side": self.side, "only_engine": self.only_engine, "exclude_engines": list(self.exclude_engines),
                "with_engines": list(self.with_engines)}


def choose_voice(rng, voices: list[Voice]) -> Voice:
    """Engine first, then a voice of it: espeak-ng's hundreds of voices would otherwise drown the few
    recorded voices of flite and festival, which are the ones closest to real speech."""
    engines = sorted({v.engine for v in voices})
    engine = engines[int(rng.integers(len(engines)))]
    pool = [v for v in voices if v.engine == engine]
    return pool[int(rng.integers(len(pool)))]


def read_sentences(path) -> list[dict]:
    """{"id", "en"} of each line of a JSONL file; a line without them, or a repeated id, is refused."""
    path = Path(path)
    if not path.is_file():
        raise ToolkitError(f"{path} is missing")
    rows, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ToolkitError(f"{path}:{n}: not JSON ({e.msg})") from e
        if not isinstance(row, dict) or not isinstance(row.get("id"), (str, int)) \
                or not isinstance(row.get("en"), str) or not row["en"].strip():
            raise ToolkitError(f"{path}:{n}: each line needs an \"id\" and a non-empty \"en\"")
        if str(row["id"]) in seen:
            raise ToolkitError(f"{path}:{n}: duplicate id {row['id']!r}")
        seen.add(str(row["id"]))
        rows.append({"id": str(row["id"]), "en": row["en"]})
    if not rows:
        raise ToolkitError(f"{path} has no sentences")
    return rows


def read_corpus(corpus_dir) -> dict:
    corpus_dir = Path(corpus_dir)
    for split in SPLITS:
        if not (corpus_dir / f"{split}.jsonl").exists():
            raise ToolkitError(f"{corpus_dir / (split + '.jsonl')} is missing "
                               f"(the corpus needs {', '.join(s + '.jsonl' for s in SPLITS)})")
    return {split: corpus_dir / f"{split}.jsonl" for split in SPLITS}


def safe_name(sentence_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", sentence_id)


def check_split_name(split: str):
    # the split names a folder next to the manifest; "features" is where evaluation caches log-mels
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", split) or split == "features":
        raise ToolkitError(f"split name {split!r} must be a plain folder name (letters, digits, '.', '_', '-'), "
                           "and not 'features'")


def plan_clips(sentences, pools, seed, clips_per_sentence, limit, ranges) -> list[dict]:
    """One plan per clip; ranges=None: spoken clean."""
    plans, paths = [], set()
    for split, rows in sentences.items():
        for row in rows[:limit]:
            for k in range(clips_per_sentence):
                rng = clip_rng(seed, split, row["id"], k)
                voice = choose_voice(rng, pools[split])
                path = f"{split}/{safe_name(row['id'])}_{k}.wav"
                if path in paths:
                    raise ToolkitError(f"sentence ids {row['id']!r} and another map to the same file {path}")
                paths.add(path)
                plan = {
                    "clip": f"{split}/{row['id']}_{k}", "path": path, "split": split, "sentence_id": row["id"],
                    "text": row["en"], "voice": voice.id, "engine": voice.engine, "speaker": voice.speaker,
                    "augment": aug.clean_params() if ranges is None else aug.draw(rng, ranges),
                }
                if speakable(row["en"]) != row["en"]:
                    plan["spoken"] = speakable(row["en"])  # what the voice actually said
                plans.append(plan)
    return plans


def build_babble(rows, voices, seed) -> np.ndarray:
    """Babble noise material: sentences spoken by training voices, each at the same level, end to end."""
    rng = np.random.default_rng([seed, 0xBABB1E])
    pool = []
    for i in rng.permutation(len(rows))[:BABBLE_SENTENCES]:
        x = aug.trim_silence(synthesize(rows[i]["en"], choose_voice(rng, voices))).astype(np.float64)
        pool.append(x * 0.05 / np.sqrt(aug.power(x)))
    return np.concatenate(pool).astype(np.float32)


_babble, _voices = None, {}  # the babble pool and the voices by id, set once per worker process


def init_worker(babble, voices_by_id):
    global _babble, _voices
    _babble, _voices = babble, voices_by_id


def make_clip(plan, out_dir):
    t0 = time.perf_counter()
    clean = synthesize(plan["text"], _voices[plan["voice"]])
    t1 = time.perf_counter()
    samples = aug.apply(clean, plan["augment"], _babble)
    record = write_clip(out_dir, plan, samples)
    return record, {"engine": plan["engine"], "synth_s": t1 - t0, "augment_s": time.perf_counter() - t1}


def speak_splits(sources: dict, out_dir, *, seed=0, clips_per_sentence=1, limit=None, workers=2, clean=False,
                 choice: VoiceChoice | None = None, babble_split="train", augment=(), log=log_line) -> dict:
    """Speak {split: JSONL path} into out_dir/<split>/<id>_<k>.wav with out_dir/manifest.jsonl and
    out_dir/summary.json (and babble.wav unless clean). augment: KEY=VALUE settings of the augmentation
    ranges (`aug.with_settings`). Returns the summary."""
    started = time.perf_counter()
    if workers < 1:
        raise ToolkitError("--workers must be at least 1")
    if clips_per_sentence < 1:
        raise ToolkitError("--clips-per-sentence must be at least 1")
    if clean and augment:
        raise ToolkitError("--augment sets how clips are augmented: it does not go with --clean")
    settings = aug.with_settings(aug.AugmentRanges(), list(augment))  # a bad one fails before anything is written
    for split in sources:
        check_split_name(split)
    choice = choice or VoiceChoice()
    named = ([choice.only_engine] if choice.only_engine else []) + list(choice.exclude_engines) + list(choice.with_engines)
    if set(choice.with_engines) & set(choice.exclude_engines):
        raise ToolkitError("an engine cannot be both added (--with-engine) and left out (--exclude-engine)")
    for engine in named:
        if engine not in ENGINES:
            raise ToolkitError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
    sentences = {split: read_sentences(path) for split, path in sources.items()}
    out_dir = Path(out_dir)
    others = sorted({r["split"] for r in read_jsonl(out_dir / "manifest.jsonl")} - set(sources))
    if others:
        raise ToolkitError(f"{out_dir} already holds split(s) {', '.join(others)}: speak into another folder")

    voices = list_voices(choice.engines())
    for engine in choice.with_engines:  # the split would otherwise be spoken without it, silently
        if not any(v.engine == engine for v in voices):
            raise ToolkitError(f"--with-engine {engine}: no {engine} voice is installed "
                               f"(python -m compress voices); run bash scripts/setup-python.sh")
    voice_split = split_voices(voices, seed)
    pools = {split: choice.pool(voice_split, split) for split in sources}
    ranges, babble, babble_path = None, None, None
    if not clean:
        out_dir.mkdir(parents=True, exist_ok=True)
        babble_rows = sentences.get(babble_split) or next(iter(sentences.values()))
        babble_voices = VoiceChoice("train", None, choice.exclude_engines).pool(voice_split, "train")
        babble_path = out_dir / "babble.wav"
        write_wav(babble_path, build_babble(babble_rows, babble_voices, seed))
        babble = read_wav(babble_path)  # what the workers mix is exactly what the file holds
        ranges = replace(settings, babble=babble)
    plans = plan_clips(sentences, pools, seed, clips_per_sentence, limit, ranges)
    log(f"voices: {', '.join(f'{s} {len(p)}' for s, p in pools.items())}; held out from training: "
        f"{', '.join(sorted({v.speaker for v in voice_split.heldout}))}")
    rows, timings = make_clips(plans, out_dir, make_clip, keys=PLAN_KEYS, workers=workers, initializer=init_worker,
                               initargs=(babble, {v.id: v for v in voices}), log=log)

    summary = summarize(rows, voices, voice_split, pools, choice, seed, clips_per_sentence, limit, ranges, sources,
                        babble_path, timings, time.perf_counter() - started)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {len(rows)} clips ({summary['hours']:.2f} h) to {out_dir}, manifest {out_dir / 'manifest.jsonl'}")
    return summary


def synthesize_corpus(corpus_dir, out_dir, **options) -> dict:
    """Speak a corpus folder's train.jsonl, dev.jsonl and test.jsonl (see `speak_splits`)."""
    return speak_splits(read_corpus(corpus_dir), out_dir, **options)


def count(rows, key):
    out = {}
    for row in rows:
        out[row[key]] = out.get(row[key], 0) + 1
    return dict(sorted(out.items()))


def summarize(rows, voices, voice_split, pools, choice, seed, clips_per_sentence, limit, ranges, sources, babble_path,
              timings, wall_s):
    per_engine = {}
    for t in timings:
        per_engine.setdefault(t["engine"], []).append(t)
    return {
        "seed": seed,
        "clips_per_sentence": clips_per_sentence,
        "limit": limit,
        "clean": ranges is None,
        "clips": len(rows),
        "hours": sum(r["duration_s"] for r in rows) / 3600,
        "clips_per_split": count(rows, "split"),
        "clips_per_engine": count(rows, "engine"),
        "clips_per_voice": count(rows, "voice"),
        "sentences": {split: {"file": str(path), "sha256": file_sha256(path)} for split, path in sources.items()},
        "babble_sha256": file_sha256(babble_path) if babble_path else None,
        "voices": {"inventory": [v.as_dict() for v in voices],
                   "heldout_speakers": sorted({v.speaker for v in voice_split.heldout}),
                   "dev_speakers": sorted({v.speaker for v in voice_split.dev}),
                   "choice": choice.as_dict(),
                   "pools": {split: [v.id for v in pool] for split, pool in pools.items()}},
        "augment_ranges": ranges.as_dict() if ranges else None,
        "engines": engine_versions({v.engine for v in voices}),
        "this_run": {  # not deterministic: how long this run took, to size the next one
            "clips_made": len(timings),
            "wall_s": round(wall_s, 1),
            "median_s_per_clip": {
                e: {"synth": round(statistics.median(t["synth_s"] for t in ts), 4),
                    "augment": round(statistics.median(t["augment_s"] for t in ts), 4), "clips": len(ts)}
                for e, ts in sorted(per_engine.items())
            },
        },
    }


# --- command line ----------------------------------------------------------------------------------


def choice_from(args) -> VoiceChoice:
    return VoiceChoice(getattr(args, "voices", None), args.only_engine, tuple(args.exclude_engine or ()),
                       tuple(args.with_engine or ()))


def cmd_synth(args):
    synthesize_corpus(args.corpus, args.out, seed=args.seed, clips_per_sentence=args.clips_per_sentence,
                      limit=args.limit, workers=args.workers, clean=args.clean, choice=choice_from(args),
                      augment=args.augment or ())


def cmd_speak(args):
    split = args.split or Path(args.sentences).stem
    speak_splits({split: Path(args.sentences)}, args.out, seed=args.seed, clips_per_sentence=args.clips_per_sentence,
                 limit=args.limit, workers=args.workers, clean=args.clean, choice=choice_from(args), babble_split=split,
                 augment=args.augment or ())


def cmd_voices(args):
    from .inventory import print_inventory

    print_inventory(args.seed, markdown=args.markdown, time_clips=args.time, out=args.out)


def add_cli(subparsers):
    from .conditions import add_cli as add_conditions_cli

    def common(p):
        p.add_argument("--out", required=True, help="output folder: <split>/*.wav, manifest.jsonl, summary.json")
        p.add_argument("--seed", type=int, default=0, help="decides the held-out voices, each clip's voice and augmentation")
        p.add_argument("--limit", type=int, help="only the first N sentences of each split")
        p.add_argument("--clips-per-sentence", type=int, default=1)
        p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
        p.add_argument("--clean", action="store_true", help="no augmentation: the voice alone, at a fixed level "
                       "(evaluation clips; `conditions` then renders them noisy, fast, …)")
        p.add_argument("--only-engine", choices=ENGINES, help="speak only with this engine's voices (all of them, "
                       "unless --voices narrows it): the held-out-engine test")
        p.add_argument("--exclude-engine", choices=ENGINES, action="append",
                       help="leave this engine's voices out (repeatable): train without it")
        p.add_argument("--with-engine", choices=[e for e in ENGINES if e not in DEFAULT_ENGINES], action="append",
                       help="add an engine heard only where named (kokoro) to the voices of every split; each clip "
                       "draws an engine first, so it speaks an equal share")
        p.add_argument("--augment", action="append", metavar="KEY=VALUE",
                       help="set one augmentation range (repeatable), e.g. reverb_prob=0.6, rt60_s=0.3,1.0, "
                       "channel_probs=0.25,0.1,0.1 (telephone, Opus, MP3); the summary records them all")

    p = subparsers.add_parser("synth", help="speak the corpus (train/dev/test.jsonl) with synthetic voices, augmented")
    p.add_argument("--corpus", required=True, help="folder with train.jsonl, dev.jsonl, test.jsonl (\"id\", \"en\")")
    common(p)
    p.set_defaults(func=cmd_synth)

    p = subparsers.add_parser("speak", help="speak any JSONL of {\"id\", \"en\"} rows as one split (the eval splits)")
    p.add_argument("--sentences", required=True, help="JSONL file, one {\"id\", \"en\", …} per line")
    p.add_argument("--split", help="split name in the manifest and the folder (default: the file's name)")
    p.add_argument("--voices", choices=SIDES, help="which side of the voice split speaks (default: held-out voices, "
                   "as the test split; train for a split named train or dev; all with --only-engine); dev: the "
                   "voices only choice splits hear (Kokoro's)")
    common(p)
    p.set_defaults(func=cmd_speak)

    p = subparsers.add_parser("voices", help="list the installed English voices and which are held out for test")
    p.add_argument("--seed", type=int, default=0, help="the seed that decides the held-out voices")
    p.add_argument("--markdown", action="store_true", help="print markdown tables (docs/voices.md)")
    p.add_argument("--time", type=int, metavar="N", help="also time N clips per engine and each augmentation step")
    p.add_argument("--out", help="with --time: write the timings as JSON (e.g. bench/results/speech-timing.json)")
    p.set_defaults(func=cmd_voices)

    add_conditions_cli(subparsers)
