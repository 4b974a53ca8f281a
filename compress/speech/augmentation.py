"""Augmentation that makes clean synthetic speech sound more like a phone or laptop microphone.

`draw(rng, ranges)` makes every random choice up front and returns plain numbers (the per-clip
record that goes into the manifest); `apply(samples, params)` is a pure function of them. Noise
signals come from a seed that is itself one of the drawn numbers, so a recorded clip can be rebuilt
from its manifest line alone (plus the babble pool, whose hash the summary records).

Order, as a signal meets it in the world: the talker speaks faster or slower and higher or lower
(tempo, pitch), the room adds reverb, the talker is louder or quieter (level), the recording starts
before and ends after the speech (silence), the room and the microphone add noise, and a phone line
band-limits and μ-law-codes what is left.
"""
from dataclasses import dataclass, field

import numpy as np

from ..audio import SAMPLING_RATE
from .voices import sox


@dataclass
class AugmentRanges:
    tempo: tuple = (0.85, 1.2)          # duration factor inverse (sox tempo): 1.2 = 20% faster, pitch kept
    pitch_cents: tuple = (-200, 200)    # sox pitch: ±2 semitones, formants move with it (a different vocal tract)
    level_dbfs: tuple = (-32.0, -14.0)  # speech RMS after gain: a quiet far talker … a close loud one
    lead_s: tuple = (0.1, 0.8)          # silence before the speech
    trail_s: tuple = (0.1, 0.8)         # and after it
    noise_prob: float = 0.75
    snr_db: tuple = (5.0, 30.0)
    noise_types: tuple = ("white", "pink", "babble")
    floor_dbfs: tuple = (-75.0, -55.0)  # microphone self-noise when no other noise is added
    reverb_prob: float = 0.35
    rt60_s: tuple = (0.15, 0.8)
    drr_db: tuple = (0.0, 12.0)         # direct-to-reverberant energy ratio
    telephone_prob: float = 0.1
    babble: np.ndarray | None = field(default=None, repr=False)  # speech of other talkers to mix as babble

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if k != "babble"}


def uniform(rng, lo_hi, digits=3):
    # rounded so the record in the manifest is exactly the value that was applied
    return round(float(rng.uniform(*lo_hi)), digits)


def draw(rng: np.random.Generator, ranges: AugmentRanges) -> dict:
    """Every random choice for one clip, as JSON-ready numbers."""
    noise_types = [t for t in ranges.noise_types if t != "babble" or ranges.babble is not None]
    params = {
        "tempo": uniform(rng, ranges.tempo),
        "pitch_cents": uniform(rng, ranges.pitch_cents, 1),
        "level_dbfs": uniform(rng, ranges.level_dbfs, 2),
        "lead_s": uniform(rng, ranges.lead_s),
        "trail_s": uniform(rng, ranges.trail_s),
        "noise": None,
        "floor": None,
        "reverb": None,
        "telephone": False,
        "noise_seed": int(rng.integers(2**31)),
    }
    # the draws below happen whether or not an effect is chosen, so switching one effect's
    # probability does not reshuffle the values of the others
    noise = {"type": noise_types[int(rng.integers(len(noise_types)))], "snr_db": uniform(rng, ranges.snr_db, 2)}
    floor = {"type": "pink", "dbfs": uniform(rng, ranges.floor_dbfs, 2)}
    reverb = {"rt60_s": uniform(rng, ranges.rt60_s), "drr_db": uniform(rng, ranges.drr_db, 2)}
    params["noise"] = noise if rng.random() < ranges.noise_prob else None
    params["floor"] = None if params["noise"] else floor
    params["reverb"] = reverb if rng.random() < ranges.reverb_prob else None
    params["telephone"] = bool(rng.random() < ranges.telephone_prob)
    return params


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
        return babble_noise(rng, n, babble)
    raise ValueError(f"unknown noise type {kind!r}")


def scale_to_snr(noise: np.ndarray, speech_power: float, snr_db: float) -> np.ndarray:
    """The noise, scaled so that speech_power / noise power = snr_db."""
    return noise * np.sqrt(speech_power / (power(noise) * 10 ** (snr_db / 10)))


def room_impulse_response(rng, rt60_s, drr_db, sr=SAMPLING_RATE):
    """A direct-path impulse plus a diffuse tail: Gaussian noise whose energy falls 60 dB in rt60_s."""
    n = int(rt60_s * sr)
    t = np.arange(n) / sr
    tail = rng.standard_normal(n) * np.exp(-6.9078 * t / rt60_s)  # ln(1000): amplitude −60 dB at rt60
    tail[: int(0.0025 * sr)] = 0.0  # the first reflection arrives a few ms after the direct sound
    tail *= np.sqrt(1.0 / (np.sum(tail**2) * 10 ** (drr_db / 10)))
    tail[0] = 1.0
    return tail


def convolve(x, h):
    n = len(x) + len(h) - 1
    size = 1 << (n - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(h, size), size)[:n]


def mu_law(x, mu=255):
    """G.711-style 8-bit μ-law quantisation (encode, round to 256 levels, decode)."""
    x = np.clip(x, -1.0, 1.0)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    y = np.round(y * 127.5) / 127.5
    return np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu


def telephone(samples: np.ndarray) -> np.ndarray:
    """Telephone channel: 300–3400 Hz band-pass, down to 8 kHz, μ-law, back up to 16 kHz."""
    narrow = sox(samples, ["sinc", "300-3400"], rate_out=8000)
    wide = sox(mu_law(narrow), [], rate_in=8000, rate_out=SAMPLING_RATE)[: len(samples)]
    return np.pad(wide, (0, len(samples) - len(wide)))


def apply(samples: np.ndarray, params: dict, babble: np.ndarray | None = None) -> np.ndarray:
    """Apply the recorded choices to a clean 16 kHz clip; float32 out, peak ≤ 0.99."""
    sr = SAMPLING_RATE
    rng = np.random.default_rng(params["noise_seed"])
    x = trim_silence(np.asarray(samples, dtype=np.float32))

    effects = []
    if params["tempo"] != 1.0:
        effects += ["tempo", "-s", f"{params['tempo']}"]
    if params["pitch_cents"] != 0:
        effects += ["pitch", f"{params['pitch_cents']}"]
    if effects:
        x = sox(x, effects)
    x = x.astype(np.float64)

    if params["reverb"]:
        x = convolve(x, room_impulse_response(rng, params["reverb"]["rt60_s"], params["reverb"]["drr_db"]))

    x *= 10 ** (params["level_dbfs"] / 20) / np.sqrt(power(x))
    speech_power = power(x)

    lead, trail = int(round(params["lead_s"] * sr)), int(round(params["trail_s"] * sr))
    x = np.concatenate([np.zeros(lead), x, np.zeros(trail)])

    if params["noise"]:
        noise = make_noise(params["noise"]["type"], rng, len(x), babble)
        x += scale_to_snr(noise, speech_power, params["noise"]["snr_db"])
    elif params.get("floor"):
        floor = make_noise(params["floor"]["type"], rng, len(x))
        x += floor * 10 ** (params["floor"]["dbfs"] / 20) / np.sqrt(power(floor))

    if params["telephone"]:
        x = telephone(x.astype(np.float32)).astype(np.float64)

    peak = float(np.max(np.abs(x)))
    if peak > 0.99:  # a loud clip with noise can exceed full scale: scale down rather than clip
        x *= 0.99 / peak
    return x.astype(np.float32)


def augment(samples: np.ndarray, rng: np.random.Generator, ranges: AugmentRanges | None = None):
    """Draw this clip's choices from `rng` and apply them. Returns (samples, params)."""
    ranges = ranges or AugmentRanges()
    params = draw(rng, ranges)
    return apply(samples, params, ranges.babble), params
