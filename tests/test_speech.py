"""Synthetic speech: engines, augmentation, voice split, spoken splits and evaluation conditions (compress.speech)."""
import argparse
import json
import os
import shutil

import numpy as np
import pytest

from compress.audio import SAMPLING_RATE, read_wav, write_wav
from compress.errors import ToolkitError
from compress.speech import VoiceChoice, add_cli, list_voices, render_conditions, speak_splits, split_voices, synthesize, \
    synthesize_corpus
from compress.speech import augmentation as aug
from compress.speech.clips import file_sha256
from compress.speech.conditions import apply_condition, draw_condition
from compress.speech import kokoro
from compress.speech.voices import ENGINES, Voice, espeak_variants, speakable, variant_exclusion

SENTENCE = "Excuse me, how do I get to the train station from here?"  # 12 words
ENGINE_BINARY = {"espeak": "espeak-ng", "flite": "flite", "festival": "festival"}

needs_sox = pytest.mark.skipif(not shutil.which("sox"), reason="sox is not installed: run scripts/setup-system.sh")
needs = {tool: pytest.mark.skipif(not shutil.which(tool), reason=f"{tool} is not installed: run scripts/setup-system.sh")
         for tool in ("rubberband", "opusenc", "espeak-ng")}


def engine_voices(engine):
    if engine == "kokoro" and not (kokoro.installed() and shutil.which("sox")):
        pytest.skip("Kokoro or sox is not installed: run scripts/setup-python.sh and scripts/setup-system.sh")
    if engine != "kokoro" and not (shutil.which(ENGINE_BINARY[engine]) and shutil.which("sox")):
        pytest.skip(f"{ENGINE_BINARY[engine]} or sox is not installed: run scripts/setup-system.sh (as root)")
    voices = [v for v in list_voices(ENGINES) if v.engine == engine]
    assert voices, f"{engine} is installed but no English voice was found"
    return voices


def spectrum_db(x):
    return np.abs(np.fft.rfft(x)) ** 2, np.fft.rfftfreq(len(x), 1 / SAMPLING_RATE)


def band_levels_db(x, bands=32):
    """Long-term average spectrum in dB, in equal-width bands up to 8 kHz: a coarse voice fingerprint."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    chunks = np.array_split(spectrum[1:], bands)
    return 10 * np.log10(np.array([c.mean() for c in chunks]) + 1e-20)


def high_band_ratio_db(x, cutoff_hz):
    spectrum, freqs = spectrum_db(x)
    return 10 * np.log10(spectrum[freqs > cutoff_hz].sum() / spectrum.sum())


def band_gain_db(before, after, lo, hi):
    (s0, f), (s1, _) = spectrum_db(before), spectrum_db(after)
    band = (f >= lo) & (f < hi)
    return 10 * np.log10(s1[band].sum() / s0[band].sum())


def spectral_centroid(x):
    spectrum, freqs = spectrum_db(x)
    return float((spectrum * freqs).sum() / spectrum.sum())


def f0_autocorrelation(x, lo=70, hi=300):
    x = x - x.mean()
    ac = np.fft.irfft(np.abs(np.fft.rfft(x, 2 * len(x))) ** 2)[: len(x)]
    lags = np.arange(SAMPLING_RATE // hi, SAMPLING_RATE // lo)
    return SAMPLING_RATE / lags[np.argmax(ac[lags])]


def best_lag(x, y, max_lag=60):
    """Lag of y behind x (samples) where they correlate best."""
    n = len(x) - 2 * max_lag
    return max(range(-max_lag, max_lag + 1), key=lambda l: float(np.dot(x[max_lag:max_lag + n], y[max_lag + l:max_lag + l + n])))


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


def test_inventory_has_every_speaking_variant_with_every_accent_and_stable_ids():
    voices = list_voices()
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids))
    assert ids == [v.id for v in list_voices()]  # discovery is deterministic
    for v in voices:
        assert v.id.startswith(v.engine + ":") and v.engine in ENGINES
    if shutil.which("espeak-ng"):
        kept, excluded = espeak_variants()
        espeak = [v for v in voices if v.engine == "espeak"]
        accents = {v.accent for v in espeak}
        assert len(accents) >= 6, "espeak-ng's English accents are missing"
        assert len(kept) >= 60 and len(espeak) == len(accents) * len(kept)
        assert {v.name.split("+")[1] for v in espeak} == set(kept)
        assert {"whisper", "whisperf", "robosoft", "robosoft6", "croak"} <= set(excluded)
        assert "Storm" in kept  # a variant file that also names a language ("language en-us") is still a variant
        assert {v.gender for v in espeak} >= {"F", "M"}


def test_variant_rules_read_the_documented_settings():
    assert variant_exclusion({"voicing": ["18"], "breath": ["75", "75"]}).startswith("whisper")
    assert variant_exclusion({"flutter": ["20"]}).startswith("croaky")
    assert variant_exclusion({"pitch": ["150", "150"]}).startswith("monotone")
    assert variant_exclusion({"echo": ["10", "10000"]}).startswith("echo effect")
    assert variant_exclusion({"echo": ["140", "10"]}) is None  # a faint echo is a room, not an effect
    assert variant_exclusion({"formant1": ["40", "80", "100"]}).startswith("F1 moved")
    assert variant_exclusion({"formant3": ["0", "0", "0"]}) is None  # F3 alone does not decide a vowel (Andy)
    assert variant_exclusion({"pitch": ["82", "118"], "formant1": ["100", "100", "100"], "klatt": ["6"]}) is None


@needs["espeak-ng"]
def test_each_variant_kind_changes_the_voice():
    # espeak-ng silently speaks the plain accent for a variant it cannot find: a name it mangles would
    # pass as a voice of its own. One variant of each kind: a file name with a space, Klatt, a child.
    plain = synthesize(SENTENCE, Voice("espeak:en-us", "espeak", "en-us", "en-us", "M", "espeak"))
    for variant in ("Mr serious", "klatt6", "zac", "Andy"):
        voice = next(v for v in list_voices() if v.id == f"espeak:en-us+{variant}")
        assert not np.array_equal(synthesize(SENTENCE, voice)[: len(plain)], plain[: len(plain)]), variant


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


def test_kokoro_has_28_english_speakers_split_three_ways_without_moving_the_others():
    voices = engine_voices("kokoro")
    assert len(voices) == 28 and {v.accent for v in voices} == {"en-us", "en-gb"} and {v.gender for v in voices} == {"F", "M"}
    assert len({v.speaker for v in voices}) == 28
    assert not any(v.engine == "kokoro" for v in list_voices())  # heard only where a command names it
    split, classic = split_voices(list_voices(ENGINES), 0), split_voices(list_voices(), 0)
    # the held-out speakers of every split spoken before stay where they were
    assert [v for v in split.heldout if v.engine != "kokoro"] == classic.heldout
    assert [v for v in split.train if v.engine != "kokoro"] == classic.train and classic.dev == []
    sides = [[v.name for v in side if v.engine == "kokoro"] for side in (split.train, split.heldout, split.dev)]
    assert [len(side) for side in sides] == [14, 7, 7] and sorted(sum(sides, [])) == sorted(v.name for v in voices)
    for side in sides[1:]:  # each held-out side hears both accents and both genders
        assert {name[:2] for name in side} == {"af", "am", "bf", "bm"}
    assert [v.id for v in split_voices(list_voices(ENGINES), 0).dev] == [v.id for v in split.dev]  # seeded
    assert [v.id for v in split_voices(list_voices(ENGINES), 1).dev] != [v.id for v in split.dev]


def test_inventory_says_which_side_each_kokoro_voice_is_on():
    from compress.speech.inventory import markdown_tables

    engine_voices("kokoro")
    voices = list_voices(ENGINES)
    table = markdown_tables(voices, split_voices(voices, 0))
    assert "| kokoro | `kokoro:af_aoede` | en-us | F | kokoro:af_aoede | dev (choice splits only) |" in table
    assert "| kokoro | `kokoro:bm_lewis` | en-gb | M | kokoro:bm_lewis | **held out** |" in table
    assert "| kokoro | `kokoro:af_heart` | en-us | F | kokoro:af_heart | train/dev |" in table


def test_kokoro_says_a_long_text_in_sentences(monkeypatch):
    engine_voices("kokoro")
    first, second = "Where is the station?", "Two tickets to Munich, please."
    whole = kokoro.say(f"{first} {second}", "af_heart")
    monkeypatch.setattr(kokoro, "MAX_TOKENS", 30)  # both sentences fit under it alone, not together
    assert len(kokoro.token_ids(first, False)) <= 30 < len(kokoro.token_ids(f"{first} {second}", False))
    pieces = kokoro.say(f"{first} {second}", "af_heart")
    assert np.array_equal(pieces, np.concatenate([kokoro.say(first, "af_heart"), kokoro.say(second, "af_heart")]))
    assert not np.array_equal(pieces[: len(whole)], whole[: len(pieces)])
    with pytest.raises(ToolkitError, match="at most 30 phonemes"):
        kokoro.say("Excuse me, how do I get to the train station from here", "af_heart")


def test_kokoro_missing_pieces_get_the_command_that_installs_them(monkeypatch, tmp_path):
    monkeypatch.setattr(kokoro, "voices_dir", lambda: tmp_path)
    assert not kokoro.installed()
    assert not any(v.engine == "kokoro" for v in list_voices(ENGINES))
    with pytest.raises(ToolkitError, match=r"Kokoro's voices .* are missing: run bash scripts/setup-python.sh"):
        kokoro.voice_names()
    sentences = tmp_path / "dev.jsonl"
    sentences.write_text(json.dumps({"id": "a", "en": "Hello."}) + "\n")
    with pytest.raises(ToolkitError, match="no voice left for split 'dev'.*only engine kokoro"):
        speak_splits({"dev": sentences}, tmp_path / "out", clean=True, choice=VoiceChoice("dev", "kokoro"), **quiet)
    with pytest.raises(ToolkitError, match="--with-engine kokoro: no kokoro voice is installed"):
        speak_splits({"train": sentences}, tmp_path / "out", clean=True, choice=VoiceChoice(with_engines=("kokoro",)), **quiet)


def test_festival_session_output_does_not_depend_on_previous_requests():
    voices = engine_voices("festival")
    fresh = synthesize(SENTENCE, voices[0])
    for v in voices[1:]:
        synthesize("Two coffees and a tea, please.", v)
    assert np.array_equal(synthesize(SENTENCE, voices[0]), fresh)


# --- augmentation ---------------------------------------------------------------------------------


def plain_params(**changes):
    """A clip with only the effects a test asks for."""
    params = {**aug.clean_params(), "level_dbfs": -30.0, "lead_s": 0.3, "trail_s": 0.5, "noise_seed": 7}
    params.update(changes)
    return params


def tone_speech(seconds=1.5, f0=140):
    """A speech-like test signal without needing an engine: harmonics of f0, amplitude-modulated."""
    t = np.arange(int(seconds * SAMPLING_RATE)) / SAMPLING_RATE
    x = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 60) if f0 * k < 7500)
    return (0.3 * x * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


def vowel(seconds=1.0, f0=120, formants=(700, 1220, 2600)):
    """A sustained vowel: a 120 Hz pulse train through three formant resonances (source-filter)."""
    n = int(seconds * SAMPLING_RATE)
    source = np.zeros(n)
    source[:: SAMPLING_RATE // f0] = 1.0
    spectrum, freqs = np.fft.rfft(source), np.fft.rfftfreq(n, 1 / SAMPLING_RATE)
    envelope = sum(1 / np.abs(1 + 1j * (freqs - f) / (f / 10)) for f in formants)
    x = np.fft.irfft(spectrum * envelope, n)
    return (0.3 * x / np.max(np.abs(x))).astype(np.float32)


def white(seconds=2.0, seed=0):
    return (np.random.default_rng(seed).standard_normal(int(seconds * SAMPLING_RATE)) * 0.05).astype(np.float32)


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
    x = white()
    assert high_band_ratio_db(x, 4000) > -4  # white noise: half its energy is above 4 kHz
    y = aug.telephone(x)
    assert len(y) == len(x)
    assert high_band_ratio_db(y, 4000) < -50
    spectrum, freqs = spectrum_db(y)
    assert 10 * np.log10(spectrum[freqs < 200].sum() / spectrum.sum()) < -25


@needs_sox
def test_tempo_changes_duration_and_pitch_keeps_it():
    speech = tone_speech()
    base = len(aug.apply(speech, plain_params()))
    faster = len(aug.apply(speech, plain_params(tempo=1.2)))
    assert abs((base - 0.8 * SAMPLING_RATE) / (faster - 0.8 * SAMPLING_RATE) - 1.2) < 0.03
    assert abs(len(aug.apply(speech, plain_params(pitch_cents=200.0))) - base) < 0.01 * SAMPLING_RATE


@needs["rubberband"]
@pytest.mark.parametrize("alpha", [0.9, 1.1])
def test_vtlp_moves_the_formants_the_right_way_and_keeps_pitch_and_length(alpha):
    x = vowel()
    y = aug.vtlp(x, alpha)
    assert len(y) == len(x)
    middle = slice(2000, len(x) - 2000)  # away from the edges of Rubber Band's windows
    ratio = spectral_centroid(y[middle]) / spectral_centroid(x[middle])
    assert (ratio - 1) * (alpha - 1) > 0 and abs(ratio - alpha) < 0.06, f"alpha {alpha}: centroid ×{ratio:.3f}"
    assert abs(f0_autocorrelation(y[middle]) - f0_autocorrelation(x[middle])) < 3  # the pitch stays 120 Hz
    # a pitch shift by the same factor (sox pitch) moves the pitch too: VTLP is not that
    shifted = aug.sox(x, ["pitch", f"{1200 * np.log2(alpha):.1f}"])
    assert abs(f0_autocorrelation(shifted[middle]) - 120 * alpha) < 4


@needs_sox
def test_microphone_colouring_applies_the_drawn_filters():
    x = white(3.0)
    mic = {"highpass_hz": 300, "lowpass_hz": None, "bass_db": 0.0, "treble_db": 0.0, "peaks": [[1000, 2.0, 10.0]]}
    y = aug.colour(x, mic)
    assert len(y) == len(x)
    assert band_gain_db(x, y, 950, 1050) == pytest.approx(10.0, abs=1.5)   # the peak
    assert band_gain_db(x, y, 3500, 6000) == pytest.approx(0.0, abs=1.0)   # untouched above it
    assert band_gain_db(x, y, 20, 100) < -15                               # the low cut
    lowpassed = aug.colour(x, {"lowpass_hz": 3500, "peaks": []})
    assert band_gain_db(x, lowpassed, 6000, 8000) < -12 and abs(band_gain_db(x, lowpassed, 300, 1500)) < 1


@needs["opusenc"]
@pytest.mark.parametrize("codec,kbps", [("opus", 12), ("opus", 32), ("mp3", 24), ("mp3", 64)])
def test_codec_round_trip_changes_the_signal_but_keeps_length_rate_and_timing(codec, kbps, tmp_path):
    x = tone_speech(2.0).astype(np.float64) * np.repeat(np.random.default_rng(1).uniform(0.2, 1, 20), 1600)
    y = aug.through_channel(x, {"type": codec, "kbps": kbps})
    assert len(y) == len(x) and not np.allclose(y, x, atol=1e-3)
    assert abs(best_lag(x, y)) <= 1, f"{codec} output is shifted by {best_lag(x, y)} samples"
    corr = np.dot(x, y) / np.linalg.norm(x) / np.linalg.norm(y)
    assert corr > 0.8, f"{codec} at {kbps} kb/s: correlation {corr:.3f}"
    params = plain_params(channel={"type": codec, "kbps": kbps})
    aug_a, aug_b = aug.apply(x, params), aug.apply(x, params)  # the codec is deterministic
    assert np.array_equal(aug_a, aug_b)
    write_wav(tmp_path / "a.wav", aug_a)
    assert len(read_wav(tmp_path / "a.wav")) == len(aug_a)  # still a 16 kHz clip the toolkit reads


def drawn_room(rt60, seed):
    return aug.draw_room(np.random.default_rng(seed), aug.AugmentRanges.room_m, (rt60, rt60), (0.5, 3.0))


@pytest.mark.parametrize("rt60,seed", [(0.3, 0), (0.6, 1), (0.8, 2)])
def test_room_impulse_response_has_the_drawn_rt60(rt60, seed):
    pytest.importorskip("pyroomacoustics")
    room = drawn_room(rt60, seed)
    for position in (room["talker_m"], room["mic_m"]):
        assert all(0.3 <= p <= s - 0.3 for p, s in zip(position, room["size_m"]))
    rir = aug.room_impulse_response(room)
    measured = aug.measure_rt60(rir)
    assert abs(measured / rt60 - 1) < 0.15, f"drew RT60 {rt60} s, the RIR has {measured:.3f} s"
    assert np.array_equal(rir, aug.room_impulse_response(room))  # the ray tracer is seeded
    other = aug.room_impulse_response({**room, "seed": room["seed"] + 1})
    assert not np.array_equal(rir[: len(other)], other[: len(rir)])


def test_reverb_adds_a_tail_as_long_as_the_room_rings():
    pytest.importorskip("pyroomacoustics")
    speech = tone_speech()
    dry = aug.apply(speech, plain_params())
    room = drawn_room(0.6, 5)
    wet = aug.apply(speech, plain_params(reverb=room))
    tail = len(wet) - len(dry)
    assert 0.4 * SAMPLING_RATE < tail < 1.5 * SAMPLING_RATE
    end = int(0.3 * SAMPLING_RATE) + len(aug.trim_silence(speech))
    # after the speech stops the room still rings: 100 ms later well above silence
    assert 10 * np.log10(aug.power(wet[end + 1600: end + 3200]) / aug.power(wet[:end])) > -40


def test_augment_draws_every_choice_from_the_generator_within_range():
    ranges = aug.AugmentRanges(babble=tone_speech(3.0))
    records = [aug.draw(np.random.default_rng(seed), ranges) for seed in range(300)]
    assert records[:3] == [aug.draw(np.random.default_rng(seed), ranges) for seed in range(3)]
    for r in records:
        assert ranges.tempo[0] <= r["tempo"] <= ranges.tempo[1]
        assert ranges.lead_s[0] <= r["lead_s"] <= ranges.lead_s[1]
        assert (r["noise"] is None) != (r["floor"] is None)
        if r["noise"]:
            limits = ranges.babble_snr_db if r["noise"]["type"] == "babble" else ranges.snr_db
            assert limits[0] <= r["noise"]["snr_db"] <= limits[1]
        if r["vtlp"]:
            assert ranges.vtlp_alpha[0] <= r["vtlp"]["alpha"] <= ranges.vtlp_alpha[1]
        if r["reverb"]:
            assert ranges.rt60_s[0] <= r["reverb"]["rt60_s"] <= ranges.rt60_s[1]
        if r["mic"]:
            assert len(r["mic"]["peaks"]) <= ranges.peaks[1]
        json.dumps(r)  # the record goes into the manifest as is
    share = lambda test: sum(map(test, records)) / len(records)
    assert {r["noise"]["type"] for r in records if r["noise"]} == {"white", "pink", "babble"}
    assert {r["channel"]["type"] for r in records if r["channel"]} == {"telephone", "opus", "mp3"}
    assert 0.2 < share(lambda r: r["channel"] is not None) < 0.4  # 30% of clips go through a channel
    assert 0.4 < share(lambda r: r["vtlp"] is not None) < 0.6
    assert 0.25 < share(lambda r: r["reverb"] is not None) < 0.45
    assert 0.4 < share(lambda r: r["mic"] is not None) < 0.6


def test_augment_settings_change_only_what_they_name_and_the_draws_follow():
    base = aug.AugmentRanges()
    ranges = aug.with_settings(base, ["reverb_prob=1", "rt60_s=0.6,0.9", "channel_probs=0.5,0,0", "opus_kbps=8,12",
                                      "pitch_cents=-100.5,100"])
    set_here = ("reverb_prob", "rt60_s", "channel_probs", "opus_kbps", "pitch_cents")
    assert [getattr(ranges, k) for k in set_here] == [1.0, (0.6, 0.9), (0.5, 0.0, 0.0), (8, 12), (-100.5, 100.0)]
    assert {k: v for k, v in ranges.as_dict().items() if k not in set_here} == {k: v for k, v in base.as_dict().items() if k not in set_here}
    records = [aug.draw(np.random.default_rng(seed), ranges) for seed in range(200)]
    assert all(r["reverb"] and 0.6 <= r["reverb"]["rt60_s"] <= 0.9 for r in records)
    assert {r["channel"]["type"] for r in records if r["channel"]} == {"telephone"}
    assert 0.4 < sum(r["channel"] is not None for r in records) / len(records) < 0.6
    # the other values are drawn as before: the same seed gives the same talker, level and noise
    for seed in range(50):
        plain, changed = aug.draw(np.random.default_rng(seed), base), aug.draw(np.random.default_rng(seed), ranges)
        assert all(plain[k] == changed[k] for k in ("tempo", "level_dbfs", "lead_s", "noise", "floor", "vtlp", "mic"))


@pytest.mark.parametrize("setting, message", [
    ("reverb_prob", "write KEY=VALUE"),
    ("reverb=0.5", "unknown setting 'reverb'"),
    ("babble=1", "unknown setting 'babble'"),
    ("peaks=0,5", "unknown setting 'peaks'"),  # would shift every later draw of the seed
    ("reverb_prob=1.5", "a probability is between 0 and 1"),
    ("reverb_prob=often", "'often' is not a number"),
    ("reverb_prob=0.5,0.6", "one number"),
    ("rt60_s=0.9,0.6", "a range is low,high"),
    ("rt60_s=0.6", "a range is low,high"),
    ("rt60_s=0.1,0.5", r"values lie within 0.2..2"),  # pyroomacoustics cannot make the largest room that dead
    ("rt60_s=nan,1", "values must be finite"),
    ("mic_distance_m=0,1", r"values lie within 0.1..5"),  # drawn log-uniform
    ("opus_kbps=7", "bitrates are some of 8,12,16,24,32"),
    ("channel_probs=0.5,0.5,0.5", "three probabilities"),
    ("channel_probs=nan,0,0", "values must be finite"),
    ("noise_types=white,traffic", "unknown noise 'traffic'"),
    ("noise_types=white,", "unknown noise ''"),
])
def test_augment_settings_refuse_what_they_cannot_mean(setting, message):
    with pytest.raises(ToolkitError, match=message):
        aug.with_settings(aug.AugmentRanges(), [setting])


@needs["opusenc"]
@needs["rubberband"]
def test_apply_rebuilds_a_clip_exactly_from_its_record():
    pytest.importorskip("pyroomacoustics")
    ranges = aug.AugmentRanges(babble=tone_speech(3.0))
    speech = tone_speech()
    params = {**aug.draw(np.random.default_rng(4), ranges), "vtlp": {"alpha": 1.07}, "reverb": drawn_room(0.4, 4),
              "mic": {"highpass_hz": 120, "lowpass_hz": None, "bass_db": 2.0, "treble_db": -3.0, "peaks": [[900, 1.2, 5.0]]},
              "channel": {"type": "opus", "kbps": 16}, "noise": {"type": "babble", "snr_db": 12.0}}
    a = aug.apply(speech, json.loads(json.dumps(params)), ranges.babble)  # from the manifest's JSON
    assert np.array_equal(a, aug.apply(speech, params, ranges.babble))
    assert a.dtype == np.float32 and np.max(np.abs(a)) <= 0.99


# --- voice split, spoken splits -------------------------------------------------------------------


def test_split_holds_out_whole_speakers_from_two_engines():
    voices = list_voices()
    if len({v.engine for v in voices}) < 2:
        pytest.skip("needs two engines installed: run scripts/setup-system.sh")
    split = split_voices(voices, seed=0)
    assert len(split.heldout) >= 2 and len({v.engine for v in split.heldout}) >= 2
    assert {v.speaker for v in split.heldout}.isdisjoint(v.speaker for v in split.train)
    assert len(split.train) + len(split.heldout) == len(voices)
    assert [v.id for v in split_voices(voices, seed=0).heldout] == [v.id for v in split.heldout]


def test_seed_0_holds_out_the_speakers_the_old_test_split_had():
    # the first corpus's test split heard espeak-ng's Andy and belinda and festival's ked; adding
    # variants must not move the held-out speakers, or the old test split would stop being comparable
    voices = list_voices()
    if not all(shutil.which(b) for b in ENGINE_BINARY.values()):
        pytest.skip("needs all three engines: run scripts/setup-system.sh")
    assert {v.speaker for v in split_voices(voices, seed=0).heldout} == {"espeak+Andy", "espeak+belinda", "ked"}


SENTENCES = [
    "Where is the nearest pharmacy?", "I would like a coffee with milk, please.", "How much is a ticket to Berlin?",
    "The train leaves at quarter to ten.", "Could you call a doctor?", "Is breakfast included?",
    "It is very cold today.", "Thank you very much for your help.", "Two beers, please.",
    "Where can I buy a map?", "My room is too noisy.", "Excuse me, is this seat free?",
]
quiet = {"log": lambda *a: None}


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
    summary = synthesize_corpus(corpus_dir, out, seed=0, clips_per_sentence=2, workers=2, **quiet)
    return out, summary


def manifest(out):
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_corpus_writes_wavs_and_a_manifest_with_hashes(synthesized, tmp_path):
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
    voices = {v.id: v for v in list_voices()}
    for row in rows[::8]:  # a clip is rebuilt byte for byte from its manifest line (and babble.wav)
        write_wav(tmp_path / "again.wav", aug.apply(synthesize(row["text"], voices[row["voice"]]), row["augment"],
                                                    read_wav(out / "babble.wav")))
        assert (tmp_path / "again.wav").read_bytes() == (out / row["path"]).read_bytes()


def test_held_out_voices_are_heard_only_in_test(synthesized):
    out, summary = synthesized
    heldout = set(summary["voices"]["pools"]["test"])
    rows = manifest(out)
    assert heldout and all(r["voice"] not in heldout for r in rows if r["split"] in ("train", "dev"))
    assert all(r["voice"] in heldout for r in rows if r["split"] == "test")


def test_same_seed_gives_identical_wavs_whatever_the_worker_count(synthesized, corpus_dir, tmp_path):
    out, _ = synthesized
    synthesize_corpus(corpus_dir, tmp_path, seed=0, clips_per_sentence=2, limit=2, workers=1, **quiet)
    again = manifest(tmp_path)
    assert len(again) == 12
    for row in again:
        assert (tmp_path / row["path"]).read_bytes() == (out / row["path"]).read_bytes()
    other = tmp_path / "seed1"
    synthesize_corpus(corpus_dir, other, seed=1, limit=1, workers=1, **quiet)
    assert {r["path"]: r["sha256"] for r in manifest(other)}.items().isdisjoint(
        {r["path"]: r["sha256"] for r in again}.items())


def test_resume_skips_intact_clips_and_redoes_damaged_ones(corpus_dir, tmp_path):
    run = lambda: synthesize_corpus(corpus_dir, tmp_path, seed=0, limit=2, workers=1, **quiet)
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


def test_exclude_engine_keeps_an_engine_out_of_every_split(corpus_dir, tmp_path):
    if not shutil.which("festival"):
        pytest.skip("festival is not installed")
    summary = synthesize_corpus(corpus_dir, tmp_path, seed=0, clips_per_sentence=3, workers=2, clean=True,
                                choice=VoiceChoice(exclude_engines=("festival",)), **quiet)
    assert "festival" not in summary["clips_per_engine"]
    assert all(not v.startswith("festival:") for pool in summary["voices"]["pools"].values() for v in pool)


@pytest.fixture(scope="module")
def eval_sentences(tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "paraphrase.jsonl"
    rows = [{"id": "p1", "en": "Where's the loo?", "de": "Wo ist die Toilette?"},
            {"id": "p2", "en": "What time's the next train to Munich?", "de": "…"},
            {"id": "p3", "en": "Sorry, could you say that again?", "de": "…"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def spoken_clean(corpus_dir, eval_sentences, tmp_path_factory):
    out = tmp_path_factory.mktemp("paraphrase")
    summary = speak_splits({"paraphrase": eval_sentences}, out, seed=0, clips_per_sentence=2, clean=True, workers=2, **quiet)
    return out, summary


def test_speak_writes_a_named_split_clean_with_held_out_voices(spoken_clean, eval_sentences, tmp_path):
    out, summary = spoken_clean
    rows = manifest(out)
    assert [r["path"] for r in rows] == [f"paraphrase/p{i}_{k}.wav" for i in (1, 2, 3) for k in (0, 1)]
    assert all(r["split"] == "paraphrase" and r["augment"] == aug.clean_params() for r in rows)
    assert summary["clean"] and not (out / "babble.wav").exists()
    heldout = split_voices(list_voices(), 0).heldout
    assert {r["voice"] for r in rows} <= {v.id for v in heldout}
    for row in rows:  # clean: the voice alone, at the fixed level, with 0.3 s of digital silence either side
        x = read_wav(out / row["path"])
        lead = int(aug.CLEAN_SILENCE_S * SAMPLING_RATE)
        assert not x[:lead].any() and not x[-lead:].any()
        level = 10 * np.log10(aug.power(x[lead:-lead]))  # P.56's −26 dB, unless the peak limit had to lower it
        assert level == pytest.approx(aug.CLEAN_LEVEL_DBFS, abs=0.1) or (level < aug.CLEAN_LEVEL_DBFS
                                                                         and np.max(np.abs(x)) > 0.98)
    # the same split spoken augmented gets the same voice for every clip
    augmented = speak_splits({"paraphrase": eval_sentences}, tmp_path, seed=0, clips_per_sentence=2, workers=1, **quiet)
    assert [r["voice"] for r in manifest(tmp_path)] == [r["voice"] for r in rows]
    assert all(r["augment"] != aug.clean_params() for r in manifest(tmp_path)) and not augmented["clean"]


def test_speak_augments_with_the_settings_given_and_records_them(eval_sentences, tmp_path):
    with pytest.raises(ToolkitError, match="does not go with --clean"):
        speak_splits({"paraphrase": eval_sentences}, tmp_path, clean=True, augment=["reverb_prob=1"], **quiet)
    with pytest.raises(ToolkitError, match="a range is low,high"):
        speak_splits({"paraphrase": eval_sentences}, tmp_path, augment=["rt60_s=1,0.5"], **quiet)
    assert not any(tmp_path.iterdir())  # refused before anything is written, the babble pool included
    summary = speak_splits({"paraphrase": eval_sentences}, tmp_path, seed=0, workers=1,
                           augment=["reverb_prob=1", "rt60_s=0.7,0.8"], **quiet)
    assert summary["augment_ranges"]["reverb_prob"] == 1 and tuple(summary["augment_ranges"]["rt60_s"]) == (0.7, 0.8)
    assert all(0.7 <= r["augment"]["reverb"]["rt60_s"] <= 0.8 for r in manifest(tmp_path))


def test_only_engine_speaks_a_split_with_that_engine_alone(eval_sentences, tmp_path):
    if not shutil.which("festival"):
        pytest.skip("festival is not installed")
    summary = speak_splits({"paraphrase": eval_sentences}, tmp_path, seed=0, clips_per_sentence=4, clean=True,
                           workers=2, choice=VoiceChoice(only_engine="festival"), **quiet)
    assert summary["clips_per_engine"] == {"festival": 12}
    # a held-out engine is unseen as a whole: all its voices speak, not only the seed's held-out one
    assert set(summary["voices"]["pools"]["paraphrase"]) == {v.id for v in list_voices() if v.engine == "festival"}


def test_kokoro_dev_voices_speak_a_choice_split(eval_sentences, tmp_path):
    engine_voices("kokoro")
    summary = speak_splits({"dev": eval_sentences}, tmp_path, seed=0, clean=True, workers=2,
                           choice=VoiceChoice("dev", "kokoro"), **quiet)
    dev = {v.id for v in split_voices(list_voices(ENGINES), 0).dev}
    assert summary["clips_per_engine"] == {"kokoro": 3} and set(summary["voices"]["pools"]["dev"]) == dev
    assert {r["voice"] for r in manifest(tmp_path)} <= dev
    assert summary["voices"]["dev_speakers"] == sorted(dev) and "hibari-tts" in summary["engines"]


def test_with_engine_adds_kokoro_training_voices_to_a_training_split(eval_sentences, tmp_path):
    engine_voices("kokoro")
    with pytest.raises(ToolkitError, match="both added"):
        speak_splits({"train": eval_sentences}, tmp_path, choice=VoiceChoice(with_engines=("kokoro",), exclude_engines=("kokoro",)),
                     **quiet)
    summary = speak_splits({"train": eval_sentences}, tmp_path, seed=0, clips_per_sentence=4, clean=True, workers=2,
                           choice=VoiceChoice(with_engines=("kokoro",)), **quiet)
    split = split_voices(list_voices(ENGINES), 0)
    pool = set(summary["voices"]["pools"]["train"])
    assert pool == {v.id for v in split.train} and {v.id for v in split.train if v.engine == "kokoro"} <= pool
    assert "kokoro" in summary["clips_per_engine"] and summary["voices"]["choice"]["with_engines"] == ["kokoro"]
    args = argparse.ArgumentParser()
    add_cli(args.add_subparsers())
    parsed = args.parse_args(["speak", "--sentences", "x.jsonl", "--out", "o", "--with-engine", "kokoro"])
    assert parsed.with_engine == ["kokoro"]
    with pytest.raises(SystemExit):  # the default engines are heard anyway: naming one is a mistake
        args.parse_args(["speak", "--sentences", "x.jsonl", "--out", "o", "--with-engine", "flite"])


def test_speak_refuses_a_folder_holding_another_split(spoken_clean, eval_sentences):
    out, _ = spoken_clean
    with pytest.raises(ToolkitError, match="already holds split"):
        speak_splits({"ood": eval_sentences}, out, clean=True, workers=1, **quiet)


# --- evaluation conditions ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def conditions(spoken_clean, tmp_path_factory):
    pytest.importorskip("pyroomacoustics")
    source, _ = spoken_clean
    out = tmp_path_factory.mktemp("conditions")
    return source, out, render_conditions(source, out, seed=0, workers=2, **quiet)


def test_conditions_write_a_folder_and_manifest_each(conditions):
    source, out, summary = conditions
    clean_rows = {r["path"]: r for r in manifest(source)}
    assert set(summary["conditions"]) == {"clean", "tempo0.85", "tempo1.15", "pitch-3", "pitch+3", "phone", "reverb"}
    for name in summary["conditions"]:
        rows = manifest(out / name)
        assert [r["path"] for r in rows] == list(clean_rows)  # the same clip ids as the clean split
        for row in rows:
            source_row = clean_rows[row["path"]]
            assert row["condition"]["name"] == name and row["source_sha256"] == source_row["sha256"]
            assert (row["split"], row["sentence_id"], row["voice"]) == (source_row["split"], source_row["sentence_id"],
                                                                      source_row["voice"])
            assert file_sha256(out / name / row["path"]) == row["sha256"]
    first = next(iter(clean_rows))
    clean, n = read_wav(source / first), clean_rows[first]["samples"]
    assert (out / "clean" / first).read_bytes() == (source / first).read_bytes()
    assert len(read_wav(out / "tempo0.85" / first)) == pytest.approx(n / 0.85, rel=0.02)
    assert len(read_wav(out / "tempo1.15" / first)) == pytest.approx(n / 1.15, rel=0.02)
    for pitch in ("pitch-3", "pitch+3"):
        assert abs(len(read_wav(out / pitch / first)) - n) < 0.01 * SAMPLING_RATE
    phone_row = next(r for r in manifest(out / "phone") if r["path"] == first)
    assert 10 <= phone_row["condition"]["noise"]["snr_db"] <= 15
    assert high_band_ratio_db(read_wav(out / "phone" / first), 4000) < -40
    reverb_row = next(r for r in manifest(out / "reverb") if r["path"] == first)
    assert 0.6 <= reverb_row["condition"]["room"]["rt60_s"] <= 0.9
    assert len(read_wav(out / "reverb" / first)) > n + 0.3 * SAMPLING_RATE  # the room's tail


def test_a_condition_folder_is_reproducible_from_its_seed(conditions, tmp_path):
    source, out, _ = conditions
    again = render_conditions(source, tmp_path / "again", ["phone", "reverb", "tempo0.85"], seed=0, workers=1, **quiet)
    for name in again["conditions"]:
        assert manifest(tmp_path / "again" / name) == manifest(out / name)
    render_conditions(source, tmp_path / "seed1", ["phone", "reverb", "tempo0.85"], seed=1, workers=1, **quiet)
    sha = lambda folder: [r["sha256"] for r in manifest(folder)]
    assert sha(tmp_path / "seed1" / "phone") != sha(out / "phone")
    assert sha(tmp_path / "seed1" / "reverb") != sha(out / "reverb")
    assert sha(tmp_path / "seed1" / "tempo0.85") == sha(out / "tempo0.85")  # nothing random in a tempo change
    rerun = render_conditions(source, out, ["phone"], seed=0, workers=1, **quiet)
    assert rerun["conditions"]["phone"]["made_now"] == 0  # resumable: an intact folder is kept


def test_conditions_start_from_clean_clips_only(synthesized, tmp_path):
    out, _ = synthesized
    with pytest.raises(ToolkitError, match="speak --clean"):
        render_conditions(out, tmp_path, ["tempo0.85"], workers=1, **quiet)


def test_condition_names_are_checked_and_drawn_from_their_ranges():
    with pytest.raises(ToolkitError, match="unknown condition"):
        draw_condition("louder", np.random.default_rng(0))
    assert draw_condition("pitch-3", np.random.default_rng(0)) == {"name": "pitch-3", "pitch_cents": -300.0}
    phone = [draw_condition("phone", np.random.default_rng(s)) for s in range(20)]
    assert all(10 <= p["noise"]["snr_db"] <= 15 for p in phone) and {p["noise"]["type"] for p in phone} == {"white", "pink"}
    x = tone_speech()
    assert np.array_equal(apply_condition(x, phone[0]), apply_condition(x, json.loads(json.dumps(phone[0]))))


# --- text and command line ------------------------------------------------------------------------


def test_cli_parses_synth_speak_conditions_and_voices():
    parser = argparse.ArgumentParser()
    add_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["synth", "--corpus", "c", "--out", "o", "--limit", "5", "--workers", "1",
                              "--exclude-engine", "festival"])
    assert (args.corpus, args.out, args.seed, args.limit, args.workers, args.clips_per_sentence) == ("c", "o", 0, 5, 1, 1)
    assert args.exclude_engine == ["festival"] and not args.clean
    args = parser.parse_args(["speak", "--sentences", "p.jsonl", "--out", "o", "--clean", "--only-engine", "festival"])
    assert args.clean and args.only_engine == "festival" and args.split is None
    args = parser.parse_args(["conditions", "--speech", "s", "--out", "o", "--conditions", "phone", "tempo0.85"])
    assert args.conditions == ["phone", "tempo0.85"]
    assert parser.parse_args(["voices", "--markdown"]).markdown
    with pytest.raises(SystemExit):
        parser.parse_args(["speak", "--sentences", "p.jsonl", "--out", "o", "--only-engine", "mbrola"])


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


def test_bad_sentence_files_are_refused_with_the_line(tmp_path):
    for split in ("train", "dev", "test"):
        (tmp_path / f"{split}.jsonl").write_text(json.dumps({"id": "a", "en": "Hello."}) + "\n")
    (tmp_path / "dev.jsonl").write_text(json.dumps({"id": "b", "de": "Hallo."}) + "\n")
    with pytest.raises(ToolkitError, match=r"dev.jsonl:1: each line needs"):
        synthesize_corpus(tmp_path, tmp_path / "out", **quiet)
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "en": "Hi."}\n{"id": "b", "en": \n')
    with pytest.raises(ToolkitError, match=r"bad.jsonl:2: not JSON"):
        speak_splits({"bad": tmp_path / "bad.jsonl"}, tmp_path / "o", clean=True, **quiet)
    with pytest.raises(ToolkitError, match="plain folder name"):
        speak_splits({"features": tmp_path / "test.jsonl"}, tmp_path / "o", clean=True, **quiet)
