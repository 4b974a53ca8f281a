"""Augmentation that makes clean synthetic speech sound like many talkers, rooms, microphones and lines.

`draw(rng, ranges)` makes every random choice up front and returns plain numbers (the per-clip
record that goes into the manifest); `apply(samples, params)` is a pure function of them. Noise
signals and the room simulation come from a seed that is itself one of the drawn numbers, so a
recorded clip can be rebuilt from its manifest line alone (plus the babble pool, whose hash the
summary records).

Order, as a signal meets it in the world: the talker speaks faster or slower and higher or lower
(tempo, pitch) with a longer or shorter vocal tract (VTLP), the room adds reverb, the talker is
louder or quieter (level), the recording starts before and ends after the speech (silence), the
room and the microphone add noise, the microphone colours what it picks up (EQ), and a channel
(telephone line, Opus call, MP3 file) codes what is left.
"""
import math
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE
from ..errors import ToolkitError
from .voices import SOX_PEAK, run, sox

# LAME's encoder delay (576 samples) plus libmad's decoder delay (529): sox's MP3 round trip
# starts this many samples late at every bitrate (tests/test_speech.py checks the alignment).
MP3_DELAY = 1105
CHANNELS = ("telephone", "opus", "mp3")


@dataclass
class AugmentRanges:
    tempo: tuple = (0.85, 1.2)          # duration factor inverse (sox tempo): 1.2 = 20% faster, pitch kept
    pitch_cents: tuple = (-200, 200)    # sox pitch: ±2 semitones, formants move with it
    vtlp_prob: float = 0.5
    vtlp_alpha: tuple = (0.9, 1.1)      # formant frequencies × alpha, pitch kept (Jaitly & Hinton's range)
    reverb_prob: float = 0.35
    room_m: tuple = ((3.0, 10.0), (2.5, 8.0), (2.4, 4.0))  # shoebox length, width, height
    rt60_s: tuple = (0.2, 0.8)          # a furnished living room … a bare office
    mic_distance_m: tuple = (0.3, 3.0)  # a phone held close … a laptop across the room (log-uniform)
    level_dbfs: tuple = (-32.0, -14.0)  # speech RMS after gain: a quiet far talker … a close loud one
    lead_s: tuple = (0.1, 0.8)          # silence before the speech
    trail_s: tuple = (0.1, 0.8)         # and after it
    noise_prob: float = 0.75
    snr_db: tuple = (5.0, 30.0)         # white and pink noise
    babble_snr_db: tuple = (5.0, 20.0)  # other talkers: above 20 dB they are inaudible under the speech
    noise_types: tuple = ("white", "pink", "babble")
    floor_dbfs: tuple = (-75.0, -55.0)  # microphone self-noise when no other noise is added
    mic_prob: float = 0.5               # microphone colouring: band limits, shelves, resonances
    highpass_prob: float = 0.5
    highpass_hz: tuple = (60.0, 300.0)  # a small capsule's bass roll-off
    lowpass_prob: float = 0.3
    lowpass_hz: tuple = (3500.0, 7500.0)  # a cheap headset's or a narrowband codec's top end
    shelf_db: tuple = (-6.0, 6.0)       # sox bass (100 Hz) and treble (3 kHz) shelves
    peaks: tuple = (0, 3)               # parametric resonances/dips per microphone …
    peak_hz: tuple = (150.0, 6000.0)    # … at log-uniform frequencies,
    peak_q: tuple = (0.7, 4.0)
    peak_db: tuple = (-10.0, 10.0)
    channel_probs: tuple = (0.1, 0.1, 0.1)  # telephone, Opus, MP3 (the rest: no channel)
    opus_kbps: tuple = (8, 12, 16, 24, 32)  # VoIP calls and voice messages
    mp3_kbps: tuple = (16, 24, 32, 48, 64)  # MPEG-2 layer III at 16 kHz: voice memos … podcasts
    babble: np.ndarray | None = field(default=None, repr=False)  # speech of other talkers to mix as babble

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if k != "babble"}


# What `--augment` may set, and the values each effect is made for: outside them sox, pyroomacoustics
# or the codecs fail part-way through a run (a room deader than RT60 0.2 s cannot be built in the largest
# shoebox; a log-uniform draw needs a positive low end) or the clip stops sounding like speech.
# Not settable: the room sizes, the babble pool, and `peaks`, whose count changes how many numbers a clip
# draws and so every later choice of the same seed.
SETTING_LIMITS = {
    "tempo": (0.5, 2.0), "pitch_cents": (-1200.0, 1200.0), "vtlp_alpha": (0.7, 1.4), "rt60_s": (0.2, 2.0),
    "mic_distance_m": (0.1, 5.0), "level_dbfs": (-60.0, -3.0), "lead_s": (0.0, 5.0), "trail_s": (0.0, 5.0),
    "snr_db": (-10.0, 60.0), "babble_snr_db": (-10.0, 60.0), "floor_dbfs": (-120.0, -20.0),
    "highpass_hz": (20.0, 1000.0), "lowpass_hz": (1000.0, 7900.0), "shelf_db": (-20.0, 20.0),
    "peak_hz": (20.0, 7900.0), "peak_q": (0.1, 20.0), "peak_db": (-20.0, 20.0),
    **{f"{name}_prob": (0.0, 1.0) for name in ("vtlp", "reverb", "noise", "mic", "highpass", "lowpass")},
}
OPTION_SETTINGS = ("noise_types", "opus_kbps", "mp3_kbps", "channel_probs")  # lists of options, not ranges


def with_settings(ranges: AugmentRanges, settings: list[str]) -> AugmentRanges:
    """`compress speak --augment KEY=VALUE`: the ranges with some fields set, e.g. reverb_prob=0.6,
    rt60_s=0.3,1.0 (low,high) or channel_probs=0.25,0.1,0.1 (telephone, Opus, MP3). Each value is
    checked (a number, within SETTING_LIMITS, a range low <= high), so a typo or a value the effects
    cannot take stops the run before any clip."""
    settable = [*SETTING_LIMITS, *OPTION_SETTINGS]
    changes = {}
    for setting in settings:
        key, sep, text = setting.partition("=")
        if not sep or not text:
            raise ToolkitError(f"--augment {setting!r}: write KEY=VALUE, e.g. reverb_prob=0.6 or rt60_s=0.3,1.0")
        if key not in settable:
            raise ToolkitError(f"--augment {setting!r}: unknown setting {key!r} (settable: {', '.join(sorted(settable))})")
        changes[key] = parse_setting(key, text, getattr(ranges, key))
    return replace(ranges, **changes)


def parse_setting(key: str, text: str, default):
    def fail(why):
        raise ToolkitError(f"--augment {key}={text}: {why}")

    words = text.split(",")
    if key == "noise_types":
        unknown = [w for w in words if w not in AugmentRanges.noise_types]
        if unknown:
            fail(f"unknown noise {unknown[0]!r} (one or more of {', '.join(AugmentRanges.noise_types)})")
        return tuple(words)
    values = []
    for word in words:
        try:
            values.append(float(word))
        except ValueError:
            fail(f"{word!r} is not a number")
    if not all(math.isfinite(v) for v in values):
        fail("values must be finite")
    if key in ("opus_kbps", "mp3_kbps"):  # the bitrates whose codec round trip the tests check
        if any(v not in default for v in values):
            fail(f"bitrates are some of {','.join(map(str, default))}")
        return tuple(int(v) for v in values)
    if key == "channel_probs":
        if len(values) != len(CHANNELS) or min(values) < 0 or sum(values) > 1:
            fail(f"three probabilities ({', '.join(CHANNELS)}) of at least 0 that sum to at most 1")
        return tuple(values)
    lo, hi = SETTING_LIMITS[key]
    if not all(lo <= v <= hi for v in values):
        fail("a probability is between 0 and 1" if key.endswith("_prob") else f"values lie within {lo:g}..{hi:g}")
    if not isinstance(default, tuple):
        if len(values) != 1:
            fail("one number")
        return values[0]
    if len(values) != 2 or values[0] > values[1]:
        fail("a range is low,high with low <= high")
    return tuple(values)


def uniform(rng, lo_hi, digits=3):
    # rounded so the record in the manifest is exactly the value that was applied
    return round(float(rng.uniform(*lo_hi)), digits)


def log_uniform(rng, lo_hi, digits=3):
    return round(float(math.exp(rng.uniform(math.log(lo_hi[0]), math.log(lo_hi[1])))), digits)


def choice(rng, options):
    return options[int(rng.integers(len(options)))]


def draw_room(rng, room_m, rt60_s, distance_m) -> dict:
    """A shoebox room, its reverberation time, a talker and a microphone `distance_m` away (log-uniform),
    both at least 0.3 m from the walls. Positions are recorded, so the simulation needs no randomness of its own
    beyond its seed."""
    size = [uniform(rng, r, 2) for r in room_m]
    rt60 = uniform(rng, rt60_s)
    margin = 0.3
    talker = [uniform(rng, (0.5, size[0] - 0.5), 2), uniform(rng, (0.5, size[1] - 0.5), 2), uniform(rng, (1.2, 1.9), 2)]
    distance, azimuth = log_uniform(rng, distance_m), float(rng.uniform(0, 2 * math.pi))
    mic = [talker[0] + distance * math.cos(azimuth), talker[1] + distance * math.sin(azimuth), float(rng.uniform(0.7, 1.6))]
    mic = [round(min(max(m, margin), s - margin), 2) for m, s in zip(mic, size)]  # a wall in the way: closer
    return {"size_m": size, "rt60_s": rt60, "talker_m": talker, "mic_m": mic, "seed": int(rng.integers(2**31))}


def draw_mic(rng, ranges: AugmentRanges) -> dict:
    highpass, lowpass = log_uniform(rng, ranges.highpass_hz, 0), log_uniform(rng, ranges.lowpass_hz, 0)
    mic = {
        "highpass_hz": highpass if rng.random() < ranges.highpass_prob else None,
        "lowpass_hz": lowpass if rng.random() < ranges.lowpass_prob else None,
        "bass_db": uniform(rng, ranges.shelf_db, 1),
        "treble_db": uniform(rng, ranges.shelf_db, 1),
        "peaks": [],
    }
    for _ in range(int(rng.integers(ranges.peaks[0], ranges.peaks[1] + 1))):
        mic["peaks"].append([log_uniform(rng, ranges.peak_hz, 0), uniform(rng, ranges.peak_q, 2),
                             uniform(rng, ranges.peak_db, 1)])
    return mic


def draw(rng: np.random.Generator, ranges: AugmentRanges) -> dict:
    """Every random choice for one clip, as JSON-ready numbers."""
    noise_types = [t for t in ranges.noise_types if t != "babble" or ranges.babble is not None]
    params = {
        "tempo": uniform(rng, ranges.tempo),
        "pitch_cents": uniform(rng, ranges.pitch_cents, 1),
        "level_dbfs": uniform(rng, ranges.level_dbfs, 2),
        "lead_s": uniform(rng, ranges.lead_s),
        "trail_s": uniform(rng, ranges.trail_s),
        "noise_seed": int(rng.integers(2**31)),
    }
    # every value below is drawn whether or not its effect is chosen, so changing one effect's
    # probability does not reshuffle the values of the others
    noise_type = choice(rng, noise_types)
    noise = {"type": noise_type, "snr_db": uniform(rng, ranges.babble_snr_db if noise_type == "babble" else ranges.snr_db, 2)}
    floor = {"type": "pink", "dbfs": uniform(rng, ranges.floor_dbfs, 2)}
    vtlp = {"alpha": uniform(rng, ranges.vtlp_alpha)}
    reverb = draw_room(rng, ranges.room_m, ranges.rt60_s, ranges.mic_distance_m)
    mic = draw_mic(rng, ranges)
    channel_roll = rng.random()
    codecs = {"telephone": {"type": "telephone"}, "opus": {"type": "opus", "kbps": int(choice(rng, ranges.opus_kbps))},
              "mp3": {"type": "mp3", "kbps": int(choice(rng, ranges.mp3_kbps))}}
    params["noise"] = noise if rng.random() < ranges.noise_prob else None
    params["floor"] = None if params["noise"] else floor
    params["vtlp"] = vtlp if rng.random() < ranges.vtlp_prob else None
    params["reverb"] = reverb if rng.random() < ranges.reverb_prob else None
    params["mic"] = mic if rng.random() < ranges.mic_prob else None
    params["channel"] = None
    for name, p in zip(CHANNELS, np.cumsum(ranges.channel_probs)):
        if channel_roll < p:
            params["channel"] = codecs[name]
            break
    return params


CLEAN_LEVEL_DBFS = -26.0  # ITU-T P.56 active speech level of telephony tests (dBov)
CLEAN_SILENCE_S = 0.3


def clean_params() -> dict:
    """No augmentation: the engine's voice, trimmed, at a fixed level, with 0.3 s of silence either side."""
    return {"tempo": 1.0, "pitch_cents": 0.0, "level_dbfs": CLEAN_LEVEL_DBFS, "lead_s": CLEAN_SILENCE_S,
            "trail_s": CLEAN_SILENCE_S, "noise_seed": 0, "noise": None, "floor": None, "vtlp": None, "reverb": None,
            "mic": None, "channel": None}


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


def trim_silence(samples: np.ndarray, threshold_db=-45.0, frame=160) -> np.ndarray:
    """Cut the engine's own leading/trailing quiet (frames more than 45 dB below the loudest),
    so the silence around the speech is exactly what `lead_s`/`trail_s` say."""
    n = len(samples) // frame
    if n == 0:
        return samples
    energy = np.square(samples[: n * frame].astype(np.float64)).reshape(n, frame).mean(axis=1)
    loud = np.flatnonzero(energy > energy.max() * 10 ** (threshold_db / 10))
    if loud.size == 0:  # all zeros: nothing to trim to
        return samples
    return samples[loud[0] * frame: (loud[-1] + 1) * frame]


def speech_power(samples: np.ndarray) -> float:
    """Power of the speech stretch of a clip (its leading and trailing quiet left out)."""
    return power(trim_silence(samples))


def white_noise(rng, n):
    return rng.standard_normal(n)


def pink_noise(rng, n):
    """1/f power: white noise shaped in the frequency domain."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(f), n)


def babble_noise(rng, n, pool: np.ndarray, talkers=(3, 7)):
    """Several overlapping talkers: random stretches of the pool summed, each at its own level."""
    out = np.zeros(n)
    for _ in range(int(rng.integers(talkers[0], talkers[1] + 1))):
        start = int(rng.integers(len(pool)))
        segment = np.resize(np.roll(pool, -start), n)  # wraps around the pool if it is shorter than n
        out += segment * 10 ** (rng.uniform(-6, 0) / 20)
    return out


def make_noise(kind, rng, n, babble=None):
    if kind == "white":
        return white_noise(rng, n)
    if kind == "pink":
        return pink_noise(rng, n)
    if kind == "babble":
        if babble is None:
            raise ValueError("babble noise needs a babble pool")
        return babble_noise(rng, n, babble)
    raise ValueError(f"unknown noise type {kind!r}")


def scale_to_snr(noise: np.ndarray, speech_power: float, snr_db: float) -> np.ndarray:
    """The noise, scaled so that speech_power / noise power = snr_db."""
    return noise * np.sqrt(speech_power / (power(noise) * 10 ** (snr_db / 10)))


def add_noise(x: np.ndarray, noise: dict, seed: int, babble=None, speech=None) -> np.ndarray:
    """x plus noise at noise["snr_db"] below the speech power (default: of x's speech stretch)."""
    rng = np.random.default_rng(seed)
    n = make_noise(noise["type"], rng, len(x), babble)
    return x + scale_to_snr(n, speech_power(x) if speech is None else speech, noise["snr_db"])


# --- the talker ------------------------------------------------------------------------------------


def vtlp(samples: np.ndarray, alpha: float) -> np.ndarray:
    """Vocal-tract-length perturbation: every formant × alpha, pitch and duration kept.

    Jaitly & Hinton (2013) warp the spectrum's frequency axis by alpha; on a waveform, warping the
    whole spectrum is a pitch shift (the `pitch` step). Here only the spectral envelope moves, as a
    longer or shorter vocal tract would: sox `speed` scales every frequency by alpha (and the
    duration by 1/alpha), then Rubber Band shifts the pitch back by 1/alpha with its formant
    preservation on (-F, R3 engine) and restores the duration, so the formants stay scaled.
    Rubber Band runs in its real-time mode (-R): the offline mode spends ~0.3 s of CPU setting up
    per call, the real-time one ~0.08 s, and its output has the same length and timing."""
    if alpha == 1.0:
        return samples
    with tempfile.TemporaryDirectory(prefix="vtlp-") as tmp:
        fast, out = Path(tmp) / "speed.wav", Path(tmp) / "vtlp.wav"
        peak = max(float(np.max(np.abs(samples))), 1e-9)
        raw = np.ascontiguousarray(samples * (SOX_PEAK / peak), dtype="<f4").tobytes()
        run(["sox", "-D", "-V1", "-t", "f32", "-r", str(SAMPLING_RATE), "-c", "1", "-", "-e", "floating-point", "-b", "32",
             str(fast), "speed", f"{alpha}"], raw, "sox speed")
        run(["rubberband", "-q", "-3", "-R", "-F", "--frequency", f"{1 / alpha:.8f}", "--time", f"{alpha:.8f}", str(fast), str(out)],
            what="rubberband (VTLP)")
        y = np.frombuffer(run(["sox", "-D", "-V1", str(out), "-t", "f32", "-"], what="sox reading rubberband's output"),
                          dtype="<f4") * (peak / SOX_PEAK)
    return fit_length(y, len(samples))


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    return x[:n] if len(x) >= n else np.pad(x, (0, n - len(x)))


# --- the room --------------------------------------------------------------------------------------


def simulate_room(room: dict, absorption: float, sr=SAMPLING_RATE) -> np.ndarray:
    import pyroomacoustics as pra

    # hybrid simulation, as pyroomacoustics recommends for reverberant rooms: image sources up to the
    # third order for the early reflections, ray tracing for the tail (a pure image-source model of an
    # RT60 of 0.8 s needs ~100 orders: seconds per room). Its ray tracer is seeded, so the RIR is exact.
    pra.random.seed(numpy=room["seed"], libroom=room["seed"])
    shoebox = pra.ShoeBox(room["size_m"], fs=sr, materials=pra.Material(absorption), max_order=3, ray_tracing=True,
                          air_absorption=False)
    shoebox.set_ray_tracing()
    shoebox.add_source(room["talker_m"])
    shoebox.add_microphone(room["mic_m"])
    shoebox.compute_rir()
    return np.asarray(shoebox.rir[0][0], dtype=np.float64)


def measure_rt60(rir: np.ndarray, sr=SAMPLING_RATE) -> float:
    """T30 (Schroeder's backward integral, −5 to −35 dB, extrapolated to 60 dB), pyroomacoustics' routine."""
    import pyroomacoustics as pra

    return float(pra.experimental.measure_rt60(rir, fs=sr, decay_db=30))


def room_impulse_response(room: dict, sr=SAMPLING_RATE) -> np.ndarray:
    """The impulse response from talker to microphone in the drawn room, with the drawn RT60.

    Sabine's formula (pyroomacoustics' `inverse_sabine`) gives the wall absorption for a target
    RT60, but a shoebox's field is not diffuse and its decay came out 0–40% longer than the target
    in the rooms drawn here; one correction of the absorption by the measured/target ratio brings
    it within ~7% (tests/test_speech.py checks 15%)."""
    import pyroomacoustics as pra

    absorption, _ = pra.inverse_sabine(room["rt60_s"], room["size_m"])
    rir = simulate_room(room, absorption, sr)
    measured = measure_rt60(rir, sr)
    corrected = float(np.clip(absorption * measured / room["rt60_s"], 0.01, 0.99))
    return simulate_room(room, corrected, sr)


def reverberate(x: np.ndarray, room: dict) -> np.ndarray:
    from scipy.signal import fftconvolve

    return fftconvolve(x, room_impulse_response(room))


# --- the microphone and the channel ---------------------------------------------------------------


def mic_effects(mic: dict) -> list[str]:
    effects = []
    if mic.get("highpass_hz"):
        effects += ["highpass", f"{mic['highpass_hz']:g}"]
    if mic.get("lowpass_hz"):
        effects += ["lowpass", f"{mic['lowpass_hz']:g}"]
    if mic.get("bass_db"):
        effects += ["bass", f"{mic['bass_db']:g}"]
    if mic.get("treble_db"):
        effects += ["treble", f"{mic['treble_db']:g}"]
    for freq, q, gain in mic.get("peaks", []):
        effects += ["equalizer", f"{freq:g}", f"{q:g}q", f"{gain:g}"]
    return effects


def colour(x: np.ndarray, mic: dict) -> np.ndarray:
    """The microphone's frequency response: sox highpass/lowpass (2-pole Butterworth), bass and treble
    shelves, and peaking `equalizer` bands."""
    effects = mic_effects(mic)
    return sox(x, effects) if effects else x


def mu_law(x, mu=255):
    """G.711-style 8-bit μ-law quantisation (encode, round to 256 levels, decode)."""
    x = np.clip(x, -1.0, 1.0)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    y = np.round(y * 127.5) / 127.5
    return np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu


def telephone(samples: np.ndarray) -> np.ndarray:
    """Telephone channel: 300–3400 Hz band-pass, down to 8 kHz, μ-law, back up to 16 kHz."""
    narrow = sox(samples, ["sinc", "300-3400"], rate_out=8000)
    wide = sox(mu_law(narrow), [], rate_in=8000, rate_out=SAMPLING_RATE)
    return fit_length(wide, len(samples))


def opus_round_trip(samples: np.ndarray, kbps: int) -> np.ndarray:
    """Encode with libopus (opusenc, VBR at `kbps`) and decode (opusdec, float, no dither) at 16 kHz.
    opusdec removes the encoder's pre-skip, so the result lines up with the input sample for sample."""
    with tempfile.TemporaryDirectory(prefix="opus-") as tmp:
        wav, out = Path(tmp) / "in.wav", Path(tmp) / "out.wav"
        raw = np.ascontiguousarray(samples, dtype="<f4").tobytes()
        run(["sox", "-D", "-V1", "-t", "f32", "-r", str(SAMPLING_RATE), "-c", "1", "-", "-e", "floating-point", "-b", "32",
             str(wav)], raw, "sox writing the Opus input")
        opus = run(["opusenc", "--quiet", "--bitrate", str(kbps), "--serial", "0", str(wav), "-"], what="opusenc")
        run(["opusdec", "--quiet", "--rate", str(SAMPLING_RATE), "--float", "-", str(out)], opus, "opusdec")
        decoded = np.frombuffer(run(["sox", "-D", "-V1", str(out), "-t", "f32", "-"], what="sox reading opusdec's output"),
                                dtype="<f4")
    return fit_length(decoded.astype(np.float64), len(samples))


def mp3_round_trip(samples: np.ndarray, kbps: int) -> np.ndarray:
    """Encode with LAME and decode with libmad, both through sox (libsox-fmt-mp3), at `kbps` CBR.
    The decoded signal starts MP3_DELAY samples late; a frame of zeros after the clip keeps its end."""
    padded = np.concatenate([samples, np.zeros(1152)]).astype("<f4")
    mp3 = run(["sox", "-D", "-V1", "-t", "f32", "-r", str(SAMPLING_RATE), "-c", "1", "-", "-C", str(kbps), "-t", "mp3", "-"],
              padded.tobytes(), "sox writing MP3")
    decoded = np.frombuffer(run(["sox", "-D", "-V1", "-t", "mp3", "-", "-t", "f32", "-"], mp3, "sox reading MP3"), dtype="<f4")
    return fit_length(decoded[MP3_DELAY:].astype(np.float64), len(samples))


def through_channel(x: np.ndarray, channel: dict) -> np.ndarray:
    if channel["type"] == "telephone":
        return telephone(x)
    if channel["type"] == "opus":
        return opus_round_trip(x, channel["kbps"])
    if channel["type"] == "mp3":
        return mp3_round_trip(x, channel["kbps"])
    raise ValueError(f"unknown channel {channel['type']!r}")


def limit_peak(x: np.ndarray, peak=0.99) -> np.ndarray:
    """Scale down rather than clip a clip whose peak would exceed full scale (keeps the SNR)."""
    top = float(np.max(np.abs(x))) if len(x) else 0.0
    return x * (peak / top) if top > peak else x


def apply(samples: np.ndarray, params: dict, babble: np.ndarray | None = None) -> np.ndarray:
    """Apply the recorded choices to a clean 16 kHz clip; float32 out, peak ≤ 0.99."""
    sr = SAMPLING_RATE
    x = trim_silence(np.asarray(samples, dtype=np.float32))

    effects = []
    if params["tempo"] != 1.0:
        effects += ["tempo", "-s", f"{params['tempo']}"]
    if params["pitch_cents"] != 0:
        effects += ["pitch", f"{params['pitch_cents']}"]
    if effects:
        x = sox(x, effects)
    x = x.astype(np.float64)
    if params.get("vtlp"):
        x = vtlp(x, params["vtlp"]["alpha"])
    if params.get("reverb"):
        x = reverberate(x, params["reverb"])

    x *= 10 ** (params["level_dbfs"] / 20) / np.sqrt(power(x))
    speech = power(x)

    lead, trail = int(round(params["lead_s"] * sr)), int(round(params["trail_s"] * sr))
    x = np.concatenate([np.zeros(lead), x, np.zeros(trail)])

    if params.get("noise"):
        x = add_noise(x, params["noise"], params["noise_seed"], babble, speech=speech)
    elif params.get("floor"):
        floor = make_noise(params["floor"]["type"], np.random.default_rng(params["noise_seed"]), len(x))
        x += floor * 10 ** (params["floor"]["dbfs"] / 20) / np.sqrt(power(floor))

    if params.get("mic"):
        x = colour(x, params["mic"])
    if params.get("channel"):
        x = through_channel(limit_peak(x), params["channel"])
    return limit_peak(x).astype(np.float32)


def augment(samples: np.ndarray, rng: np.random.Generator, ranges: AugmentRanges | None = None):
    """Draw this clip's choices from `rng` and apply them. Returns (samples, params)."""
    ranges = ranges or AugmentRanges()
    params = draw(rng, ranges)
    return apply(samples, params, ranges.babble), params
