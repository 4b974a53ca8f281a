"""Synthetic speech: engines, augmentation, voice split and the corpus command (compress.speech)."""
import argparse
import json
import os
import shutil

import numpy as np
import pytest

from compress.audio import SAMPLING_RATE, read_wav
from compress.errors import ToolkitError
from compress.speech import add_cli, list_voices, split_voices, synthesize, synthesize_corpus
from compress.speech import augmentation as aug
from compress.speech.synth import file_sha256
from compress.speech.voices import ENGINES, speakable

SENTENCE = "Excuse me, how do I get to the train station from here?"  # 12 words
ENGINE_BINARY = {"espeak": "espeak-ng", "flite": "flite", "festival": "festival"}

needs_sox = pytest.mark.skipif(not shutil.which("sox"), reason="sox is not installed: run scripts/setup-system.sh")


def engine_voices(engine):
    if not shutil.which(ENGINE_BINARY[engine]) or not shutil.which("sox"):
        pytest.skip(f"{ENGINE_BINARY[engine]} or sox is not installed: run scripts/setup-system.sh (as root)")
    voices = [v for v in list_voices() if v.engine == engine]
    assert voices, f"{engine} is installed but no English voice was found"
    return voices


def band_levels_db(x, bands=32):
    """Long-term average spectrum in dB, in equal-width bands up to 8 kHz: a coarse voice fingerprint."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    chunks = np.array_split(spectrum[1:], bands)
    return 10 * np.log10(np.array([c.mean() for c in chunks]) + 1e-20)


def high_band_ratio_db(x, cutoff_hz):
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / SAMPLING_RATE)
    return 10 * np.log10(spectrum[freqs > cutoff_hz].sum() / spectrum.sum())


# --- engines -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_speaks_16k_audio_of_plausible_length(engine):
    for voice in engine_voices(engine)[:2]:
        x = synthesize(SENTENCE, voice)
        assert x.dtype == np.float32 and x.ndim == 1
        seconds = len(x) / SAMPLING_RATE
        assert 1.5 < seconds < 8.0, f"{voice.id}: {seconds:.2f} s for 12 words"  # ~1.5–8 words/s
        assert np.sqrt(np.mean(x**2)) > 0.02, f"{voice.id} is (nearly) silent"
        # 16 kHz speech: energy both in the voice band and above 2 kHz, none folded past 8 kHz
        assert -40 < high_band_ratio_db(x, 2000) < -3


def test_inventory_has_many_voices_with_stable_unique_ids():
    voices = list_voices()
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids))
    assert ids == [v.id for v in list_voices()]  # discovery is deterministic
    for v in voices:
        assert v.id.startswith(v.engine + ":") and v.engine in ENGINES
    if shutil.which("espeak-ng"):
        espeak = [v for v in voices if v.engine == "espeak"]
        assert len({v.accent for v in espeak}) >= 6, "espeak-ng's English accents are missing"
        assert {v.gender for v in espeak} >= {"F", "M"}


@pytest.mark.parametrize("engine", ENGINES)
def test_distinct_voices_sound_different_and_each_is_repeatable(engine):
    voices = engine_voices(engine)
    if engine == "espeak":  # different variant and accent
        voices = [next(v for v in voices if v.gender == "F"), next(v for v in voices if v.gender == "M")]
    if len(voices) < 2:
        pytest.skip(f"only one {engine} voice installed")
    a, b = voices[0], voices[-1]
    xa, xb = synthesize(SENTENCE, a), synthesize(SENTENCE, b)
    assert np.array_equal(xa, synthesize(SENTENCE, a)), f"{a.id} is not deterministic"
    difference = np.mean(np.abs(band_levels_db(xa) - band_levels_db(xb)))
    assert difference > 2.0, f"{a.id} and {b.id} have nearly the same spectrum ({difference:.2f} dB apart)"


def test_festival_session_output_does_not_depend_on_previous_requests():
    voices = engine_voices("festival")
    fresh = synthesize(SENTENCE, voices[0])
    for v in voices[1:]:
        synthesize("Two coffees and a tea, please.", v)
    assert np.array_equal(synthesize(SENTENCE, voices[0]), fresh)


# --- augmentation ---------------------------------------------------------------------------------


def plain_params(**changes):
    """A clip with only the effects a test asks for."""
    params = {"tempo": 1.0, "pitch_cents": 0.0, "level_dbfs": -30.0, "lead_s": 0.3, "trail_s": 0.5,
              "noise": None, "floor": None, "reverb": None, "telephone": False, "noise_seed": 7}
    params.update(changes)
    return params


def tone_speech(seconds=1.5):
    """A speech-like test signal without needing an engine: harmonics of 140 Hz, amplitude-modulated."""
    t = np.arange(int(seconds * SAMPLING_RATE)) / SAMPLING_RATE
    x = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 40) if 140 * k < 7500)
    return (0.3 * x * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


@pytest.mark.parametrize("kind", ["white", "pink", "babble"])
@pytest.mark.parametrize("snr_db", [5.0, 17.5, 30.0])
def test_noise_is_added_at_the_requested_snr(kind, snr_db):
    speech = tone_speech()
    babble = np.random.default_rng(3).standard_normal(SAMPLING_RATE * 3).astype(np.float32) * tone_speech(3.0)
    clean = aug.apply(speech, plain_params(), babble)
    noisy = aug.apply(speech, plain_params(noise={"type": kind, "snr_db": snr_db}), babble)
    lead, n = int(0.3 * SAMPLING_RATE), len(aug.trim_silence(speech))
    speech_power = aug.power(clean[lead: lead + n])
    measured = 10 * np.log10(speech_power / aug.power(noisy - clean))
    assert abs(measured - snr_db) < 1.0, f"{kind} at {snr_db} dB measured {measured:.2f} dB"


def test_level_and_silence_padding():
    speech = tone_speech()
    params = plain_params(level_dbfs=-24.0, lead_s=0.25, trail_s=0.7, floor={"type": "pink", "dbfs": -70.0})
    out = aug.apply(speech, params)
    lead, trail, n = int(0.25 * SAMPLING_RATE), int(0.7 * SAMPLING_RATE), len(aug.trim_silence(speech))
    assert len(out) == lead + n + trail
    level = 10 * np.log10(aug.power(out[lead: lead + n]))
    assert abs(level - -24.0) < 0.1
    for silence in (out[:lead], out[-trail:]):  # microphone noise only, at the floor level
        assert abs(10 * np.log10(aug.power(silence)) - -70.0) < 3.0
    # the speech starts right where the lead ends: the first 10 ms after it are far above the floor
    assert 10 * np.log10(aug.power(out[lead: lead + 160])) > -45


@needs_sox
def test_telephone_band_removes_energy_above_4khz_and_below_300hz():
    x = np.random.default_rng(0).standard_normal(SAMPLING_RATE * 2).astype(np.float32) * 0.1
    assert high_band_ratio_db(x, 4000) > -4  # white noise: half its energy is above 4 kHz
    y = aug.telephone(x)
    assert len(y) == len(x)
    assert high_band_ratio_db(y, 4000) < -50
    spectrum = np.abs(np.fft.rfft(y)) ** 2
    freqs = np.fft.rfftfreq(len(y), 1 / SAMPLING_RATE)
    assert 10 * np.log10(spectrum[freqs < 200].sum() / spectrum.sum()) < -25


@needs_sox
def test_tempo_changes_duration_and_reverb_adds_a_tail():
    speech = tone_speech()
    base = len(aug.apply(speech, plain_params()))
    faster = len(aug.apply(speech, plain_params(tempo=1.2)))
    assert abs((base - 0.8 * SAMPLING_RATE) / (faster - 0.8 * SAMPLING_RATE) - 1.2) < 0.03
    reverb = aug.apply(speech, plain_params(reverb={"rt60_s": 0.5, "drr_db": 3.0}))
    assert len(reverb) - base == int(0.5 * SAMPLING_RATE) - 1


def test_augment_draws_every_choice_from_the_generator_within_range():
    ranges = aug.AugmentRanges(babble=tone_speech(3.0))
    speech = tone_speech()
    records = [aug.augment(speech, np.random.default_rng(seed), ranges)[1] for seed in range(40)]
    again = [aug.augment(speech, np.random.default_rng(seed), ranges)[1] for seed in range(3)]
    assert records[:3] == again
    for r in records:
        assert ranges.tempo[0] <= r["tempo"] <= ranges.tempo[1]
        assert ranges.lead_s[0] <= r["lead_s"] <= ranges.lead_s[1]
        assert ranges.trail_s[0] <= r["trail_s"] <= ranges.trail_s[1]
        assert (r["noise"] is None) != (r["floor"] is None)
        if r["noise"]:
            assert ranges.snr_db[0] <= r["noise"]["snr_db"] <= ranges.snr_db[1]
        json.dumps(r)  # the record goes into the manifest as is
    assert {r["noise"]["type"] for r in records if r["noise"]} == {"white", "pink", "babble"}
    assert any(r["reverb"] for r in records) and any(r["telephone"] for r in records)
    assert any(r["reverb"] is None for r in records) and not all(r["telephone"] for r in records)


# --- voice split and the corpus -------------------------------------------------------------------


def test_split_holds_out_whole_speakers_from_two_engines():
    voices = list_voices()
    if len({v.engine for v in voices}) < 2:
        pytest.skip("needs two engines installed: run scripts/setup-system.sh")
    split = split_voices(voices, seed=0)
    assert len(split.heldout) >= 2 and len({v.engine for v in split.heldout}) >= 2
    assert {v.speaker for v in split.heldout}.isdisjoint(v.speaker for v in split.train)
    assert len(split.train) + len(split.heldout) == len(voices)
    assert [v.id for v in split_voices(voices, seed=0).heldout] == [v.id for v in split.heldout]


SENTENCES = [
    "Where is the nearest pharmacy?", "I would like a coffee with milk, please.", "How much is a ticket to Berlin?",
    "The train leaves at quarter to ten.", "Could you call a doctor?", "Is breakfast included?",
    "It is very cold today.", "Thank you very much for your help.", "Two beers, please.",
    "Where can I buy a map?", "My room is too noisy.", "Excuse me, is this seat free?",
]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    if not all(shutil.which(b) for b in ("espeak-ng", "sox")):
        pytest.skip("espeak-ng and sox are needed: run scripts/setup-system.sh")
    path = tmp_path_factory.mktemp("corpus")
    for split, rows in (("train", range(0, 6)), ("dev", range(6, 9)), ("test", range(9, 12))):
        with open(path / f"{split}.jsonl", "w") as f:
            for i in rows:
                f.write(json.dumps({"id": f"{split}-{i:03d}", "en": SENTENCES[i], "de": "…", "zh": "…"}) + "\n")
    return path


@pytest.fixture(scope="module")
def synthesized(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("speech")
    summary = synthesize_corpus(corpus_dir, out, seed=0, clips_per_sentence=2, workers=2, log=lambda *a: None)
    return out, summary


def manifest(out):
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_corpus_writes_wavs_and_a_manifest_with_hashes(synthesized):
    out, summary = synthesized
    rows = manifest(out)
    assert len(rows) == 24 and summary["clips"] == 24
    assert summary["clips_per_split"] == {"dev": 6, "test": 6, "train": 12}
    for row in rows:
        path = out / row["path"]
        assert row["path"].startswith(row["split"] + "/")
        assert file_sha256(path) == row["sha256"]
        x = read_wav(path)  # 16 kHz mono 16-bit, or read_wav refuses it
        assert len(x) == row["samples"] and abs(row["duration_s"] - len(x) / SAMPLING_RATE) < 1e-3
        assert row["sentence_id"] in row["clip"]


def test_held_out_voices_are_heard_only_in_test(synthesized):
    out, summary = synthesized
    heldout = set(summary["voices"]["test_heldout"])
    rows = manifest(out)
    assert heldout and all(r["voice"] not in heldout for r in rows if r["split"] in ("train", "dev"))
    assert all(r["voice"] in heldout for r in rows if r["split"] == "test")


def test_same_seed_gives_identical_wavs_whatever_the_worker_count(synthesized, corpus_dir, tmp_path):
    out, _ = synthesized
    synthesize_corpus(corpus_dir, tmp_path, seed=0, clips_per_sentence=2, limit=2, workers=1, log=lambda *a: None)
    again = manifest(tmp_path)
    assert len(again) == 12
    for row in again:
        assert (tmp_path / row["path"]).read_bytes() == (out / row["path"]).read_bytes()
    other = tmp_path / "seed1"
    synthesize_corpus(corpus_dir, other, seed=1, clips_per_sentence=2, limit=2, workers=1, log=lambda *a: None)
    assert [r["sha256"] for r in manifest(other)] != [r["sha256"] for r in again]


def test_resume_skips_intact_clips_and_redoes_damaged_ones(corpus_dir, tmp_path):
    run = lambda: synthesize_corpus(corpus_dir, tmp_path, seed=0, limit=2, workers=1, log=lambda *a: None)
    first = run()
    assert first["this_run"]["clips_made"] == 6
    rows = manifest(tmp_path)
    stamps = {r["path"]: os.stat(tmp_path / r["path"]).st_mtime_ns for r in rows}
    assert run()["this_run"]["clips_made"] == 0
    assert {r["path"]: os.stat(tmp_path / r["path"]).st_mtime_ns for r in rows} == stamps

    damaged, deleted = tmp_path / rows[0]["path"], tmp_path / rows[3]["path"]
    damaged.write_bytes(damaged.read_bytes()[:-100])
    deleted.unlink()
    assert run()["this_run"]["clips_made"] == 2
    assert manifest(tmp_path) == rows  # remade byte-identical, manifest in the same order
    assert os.stat(tmp_path / rows[1]["path"]).st_mtime_ns == stamps[rows[1]["path"]]


def test_cli_parses_synth_and_voices():
    parser = argparse.ArgumentParser()
    add_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["synth", "--corpus", "c", "--out", "o", "--limit", "5", "--workers", "1"])
    assert (args.corpus, args.out, args.seed, args.limit, args.workers, args.clips_per_sentence) == ("c", "o", 0, 5, 1, 1)
    assert parser.parse_args(["voices", "--markdown"]).markdown


def test_symbols_are_spelled_out_so_every_engine_says_the_same_words():
    assert speakable("It costs €85.") == "It costs 85 euros."
    assert speakable("Only €1, or £12.50 with $3.00 off.") == "Only 1 euro, or 12 pounds 50 with 3 dollars off."
    assert speakable("It is 25°C and 50% cloudy & dry.") == "It is 25 degrees Celsius and 50 percent cloudy and dry."
    plain = "Where is the station at 9:45?"
    assert speakable(plain) == plain and speakable(speakable("€85")) == speakable("€85")


def test_festival_takes_quotes_and_reports_a_bad_voice_instead_of_hanging():
    voice = engine_voices("festival")[0]
    x = synthesize('She said "two \\ three" to me.', voice)
    assert len(x) > SAMPLING_RATE
    bogus = voice.__class__("festival:no_such_voice", "festival", "no_such_voice", "en-us", "?", "nobody")
    with pytest.raises(ToolkitError, match="festival failed"):
        synthesize("Hello there.", bogus)
    assert np.array_equal(synthesize('She said "two \\ three" to me.', voice), x)  # a fresh process, same audio


def test_a_corpus_line_without_english_text_is_refused(tmp_path):
    for split in ("train", "dev", "test"):
        (tmp_path / f"{split}.jsonl").write_text(json.dumps({"id": "a", "en": "Hello."}) + "\n")
    (tmp_path / "dev.jsonl").write_text(json.dumps({"id": "b", "de": "Hallo."}) + "\n")
    with pytest.raises(ToolkitError, match=r"dev.jsonl:1: each line needs"):
        synthesize_corpus(tmp_path, tmp_path / "out", log=lambda *a: None)
