"""English voice inventory, discovered from the installed engines, and one-clip synthesis.

Every voice is called through its engine's command line (Kokoro, a neural model, in this process:
`kokoro.py`) and resampled by sox to 16 kHz mono float32. Nothing here is random, so the same text
and voice give the same samples on the same engine versions (`engine_versions()` records them).
"""
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..audio import SAMPLING_RATE
from ..errors import ToolkitError
from . import kokoro

ENGINES = ("espeak", "flite", "festival", "kokoro")
# The engines a split hears unless a command names another (--only-engine kokoro): an engine joining the
# pools would move the voice of every clip of every split spoken before, and the held-out speakers.
DEFAULT_ENGINES = ("espeak", "flite", "festival")


@dataclass(frozen=True)
class Voice:
    id: str        # stable, engine-prefixed: "espeak:en-gb-scotland+f3", "flite:slt", "festival:kal_diphone"
    engine: str    # one of ENGINES
    name: str      # what the engine's command line takes
    accent: str    # "en-us", "en-gb-scotland", … ("unknown" where the engine does not say)
    gender: str    # "M", "F" or "?"
    speaker: str   # recording or timbre behind the voice; voices sharing one are held out together

    def as_dict(self):
        return asdict(self)


def run(cmd, stdin=None, what=None):
    """Run a command, returning stdout bytes; a failure names the command and its stderr."""
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as e:
        raise ToolkitError(f"{cmd[0]} is not installed; run scripts/setup-system.sh") from e
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()[-500:]
        raise ToolkitError(f"{what or cmd[0]} failed (exit {proc.returncode}): {err}")
    return proc.stdout


SOX_PEAK = 0.25  # sox works in 32-bit integers: a boost past full scale would clip


def sox(samples: np.ndarray, effects, rate_in=SAMPLING_RATE, rate_out=SAMPLING_RATE) -> np.ndarray:
    """Pipe float32 mono samples through sox effects. -D: no dither, so the output is deterministic.
    The signal goes in at a peak of SOX_PEAK and is scaled back after: every effect used here
    (tempo, pitch, rate, filters, EQ) is linear in amplitude, so only clipping is avoided."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    scale = SOX_PEAK / peak if peak > 0 else 1.0
    raw = np.ascontiguousarray(np.asarray(samples, dtype=np.float64) * scale, dtype="<f4").tobytes()
    cmd = ["sox", "-D", "-V1", "-t", "f32", "-r", str(rate_in), "-c", "1", "-",
           "-t", "f32", "-r", str(rate_out), "-c", "1", "-", *effects]
    out = np.frombuffer(run(cmd, raw, "sox " + " ".join(effects)), dtype="<f4")
    return (out / scale).astype(np.float32)


def wav_to_16k(path) -> np.ndarray:
    """Any WAV an engine writes (8, 16, 22.05 or 32 kHz) → 16 kHz mono float32, via sox's resampler."""
    cmd = ["sox", "-D", "-V1", str(path), "-t", "f32", "-r", str(SAMPLING_RATE), "-c", "1", "-"]
    return np.frombuffer(run(cmd, what=f"sox reading {path}"), dtype="<f4").copy()


# --- espeak-ng -------------------------------------------------------------------------------------

# espeak-ng's variants change the formant voice (pitch, formants, voice quality); the accent only
# changes pronunciation. Every variant file the installed espeak-ng has is read, and the ones whose
# documented parameters (espeak-ng's docs/voices.md) make them something other than a person talking
# are left out (`variant_exclusion`); each kept variant goes with every English accent.
WHISPER_VOICING = 20      # voicing ≤ 20%: breath noise instead of a voice (the docs' whisper recipe uses 18)
CROAKY_FLUTTER = 20       # "a large value (eg. 20) makes the voice sound croaky"
MONOTONE_RANGE_HZ = 10    # pitch range this close to the base: "setting it equal … will give a monotone"
ECHO_AMPLITUDE = 50       # an echo over half the voice's amplitude is a second voice, not a room
LOWEST_BASE_PITCH_HZ = 60  # the bottom of adult speaking F0; lower is a monster/announcer effect
VOWEL_FORMANTS = (1, 2)   # F1 and F2 place the vowels …
VOWEL_FORMANT_PERCENT = (60, 160)  # … and outside 60–160% of the default they no longer sound like English ones
TEST_SETTINGS = ("fast_test2",)  # a developer's speed test the file itself calls unstable

# The 24 variants the first spoken corpus used (12 female, 12 male). The held-out test variants are
# drawn from these (`split_voices`), so a seed holds out the same speakers however many variants
# were added since: a model trained on either inventory has never heard them.
ESPEAK_FEMALE = ["f1", "f2", "f3", "f4", "f5", "Alicia", "Andrea", "Annie", "aunty", "belinda", "linda", "steph"]
ESPEAK_MALE = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "klatt", "klatt2", "klatt3", "Andy", "edward"]


def espeak_table(kind: str) -> list[list[str]]:
    """Rows of `espeak-ng --voices=<kind>`: [priority, language, age/gender, name, file, …]."""
    if not shutil.which("espeak-ng"):
        return []
    out = run(["espeak-ng", f"--voices={kind}"]).decode()
    return [line.split() for line in out.splitlines()[1:] if line.strip()]


def espeak_data_dir() -> Path:
    """Where the installed espeak-ng reads its voices ("Data at: …" in `espeak-ng --version`)."""
    out = run(["espeak-ng", "--version"]).decode()
    m = re.search(r"Data at:\s*(\S+)", out)
    if not m:
        raise ToolkitError(f"cannot find espeak-ng's data folder in its --version output: {out.strip()!r}")
    return Path(m.group(1))


def read_variant(path) -> dict:
    """A variant file's settings: keyword → list of values; `formant N …` lines as "formantN"."""
    settings = {}
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        words = line.split("//")[0].split()
        if not words or words[0].startswith("#"):
            continue
        key = words[0].lower()
        if key == "formant" and len(words) > 1:
            key, words = f"formant{words[1]}", words[1:]
        if key == "language":  # a variant may also name languages it suits ("language variant", "language en-us")
            settings.setdefault("languages", []).append(words[1] if len(words) > 1 else "")
        settings[key] = words[1:]
    return settings


def numbers(values) -> list[float]:
    out = []
    for v in values:
        try:
            out.append(float(v))
        except ValueError:
            break
    return out


def variant_exclusion(settings: dict) -> str | None:
    """Why a variant does not sound like a person talking, from its settings alone; None if it does."""
    voicing = numbers(settings.get("voicing", []))
    if voicing and voicing[0] <= WHISPER_VOICING:
        return f"whisper: voicing {voicing[0]:g}% (≤ {WHISPER_VOICING})"
    flutter = numbers(settings.get("flutter", []))
    if flutter and flutter[0] >= CROAKY_FLUTTER:
        return f"croaky: flutter {flutter[0]:g} (≥ {CROAKY_FLUTTER})"
    pitch = numbers(settings.get("pitch", []))
    if len(pitch) >= 2 and abs(pitch[1] - pitch[0]) < MONOTONE_RANGE_HZ:
        return f"monotone: pitch {pitch[0]:g}–{pitch[1]:g} Hz"
    if pitch and pitch[0] < LOWEST_BASE_PITCH_HZ:
        return f"base pitch {pitch[0]:g} Hz (< {LOWEST_BASE_PITCH_HZ})"
    echo = numbers(settings.get("echo", []))
    if len(echo) >= 2 and echo[1] > ECHO_AMPLITUDE:
        return f"echo effect: {min(echo[1], 100):g}% at {echo[0]:g} ms (> {ECHO_AMPLITUDE}%)"
    low, high = VOWEL_FORMANT_PERCENT
    for n in VOWEL_FORMANTS:
        frequency = numbers(settings.get(f"formant{n}", []))[:1]  # frequency, strength, width, …
        if frequency and not low <= frequency[0] <= high:
            return f"F{n} moved to {frequency[0]:g}% (outside {low}–{high}%)"
    for key in TEST_SETTINGS:
        if key in settings:
            return f"test setting {key}"
    return None


def espeak_variants() -> tuple[dict, dict]:
    """({variant: gender} of the variants that sound like a person, {variant: why not} of the rest)."""
    folder = espeak_data_dir() / "voices" / "!v"
    kept, excluded = {}, {}
    for path in sorted(folder.iterdir()):
        settings = read_variant(path)
        if "variant" not in settings.get("languages", []):
            continue
        why = variant_exclusion(settings)
        if why:
            excluded[path.name] = why
            continue
        stated = settings.get("gender", ["?"])[0][:1].upper()
        kept[path.name] = ("F" if path.name in ESPEAK_FEMALE else "M" if path.name in ESPEAK_MALE
                           else stated if stated in ("F", "M") else "?")
    return kept, excluded


def mbrola_installed(database: str) -> bool:
    return bool(shutil.which("mbrola")) and any(
        (Path(d) / database / database).exists() for d in ("/usr/share/mbrola", "/usr/lib/x86_64-linux-gnu/espeak-ng-data/mbrola")
    )


def espeak_voices() -> list[Voice]:
    accents, mbrola = [], []
    for row in espeak_table("en"):
        language, gender, file = row[1], row[2].split("/")[-1], row[4]
        if file.startswith("mb/"):  # an mbrola voice: needs the mbrola binary and its diphone database
            name = file.split("/")[1]  # mb-us1, mb-en1, mb-de1-en, …
            database = name.split("-")[1]
            if mbrola_installed(database):
                mbrola.append(Voice(f"espeak:{name}", "espeak", name, language, gender, f"mbrola:{database}"))
        elif language.startswith("en") and language not in accents:
            accents.append(language)
    if not accents:
        return mbrola
    variants, _ = espeak_variants()
    voices = [Voice(f"espeak:{accent}+{variant}", "espeak", f"{accent}+{variant}", accent, gender, f"espeak+{variant}")
              for accent in sorted(accents) for variant, gender in variants.items()]
    return voices + mbrola


# --- flite -----------------------------------------------------------------------------------------

# Known facts about flite's built-in voices; a voice not listed here still gets used, as "unknown".
FLITE_FACTS = {
    "kal": ("en-us", "M", "kal"),      # Kevin Lenzo's diphones, 8 kHz
    "kal16": ("en-us", "M", "kal"),    # the same diphones at 16 kHz
    "awb": ("en-gb-scotland", "M", "awb"),
    "rms": ("en-us", "M", "rms"),
    "slt": ("en-us", "F", "slt"),
}


def flite_voices() -> list[Voice]:
    if not shutil.which("flite"):
        return []
    out = run(["flite", "-lv"]).decode()
    names = out.split(":", 1)[-1].split()
    voices = []
    for name in names:
        if name.endswith("_time"):  # a limited-domain voice: it can only say the time of day
            continue
        accent, gender, speaker = FLITE_FACTS.get(name, ("unknown", "?", name))
        voices.append(Voice(f"flite:{name}", "flite", name, accent, gender, speaker))
    return voices


# --- festival --------------------------------------------------------------------------------------

FESTIVAL_FACTS = {
    "kal_diphone": ("en-us", "M", "kal"),
    "ked_diphone": ("en-us", "M", "ked"),
    "rab_diphone": ("en-gb", "M", "rab"),
    "cmu_us_slt_arctic_hts": ("en-us", "F", "slt"),
}
FESTIVAL_ENGLISH_DIRS = {"english", "us", "british", "uk"}


def festival_voices() -> list[Voice]:
    if not shutil.which("festival"):
        return []
    out = run(["festival", "--batch", "(print (voice.list))"]).decode()
    names = re.findall(r"[\w.-]+", out)
    voices = []
    for name in sorted(names):
        dirs = [p.parent.name for p in Path("/usr/share/festival/voices").glob(f"*/{name}")]
        if not FESTIVAL_ENGLISH_DIRS & set(dirs):
            continue
        default_speaker = re.sub(r"^cmu_us_(\w+?)_arctic.*", r"\1", name)
        accent, gender, speaker = FESTIVAL_FACTS.get(name, ("en", "?", default_speaker))
        voices.append(Voice(f"festival:{name}", "festival", name, accent, gender, speaker))
    return voices


# --- Kokoro ----------------------------------------------------------------------------------------


def kokoro_voices() -> list[Voice]:
    """Kokoro's English voices: each its own speaker; the name says accent and gender (af_heart: American
    female, bm_george: British male)."""
    if not kokoro.installed():
        return []
    return [Voice(f"kokoro:{name}", "kokoro", name, kokoro.ACCENTS[name[0]], name[1].upper(), f"kokoro:{name}")
            for name in kokoro.voice_names()]


def list_voices(engines=DEFAULT_ENGINES) -> list[Voice]:
    """Every English voice of the installed engines, in a stable order (engine, then id)."""
    found = {"espeak": espeak_voices, "flite": flite_voices, "festival": festival_voices, "kokoro": kokoro_voices}
    voices = [v for engine in engines for v in found[engine]()]
    return sorted(voices, key=lambda v: (ENGINES.index(v.engine), v.id))


def engine_versions(engines=DEFAULT_ENGINES) -> dict:
    """First line each engine and tool prints about itself, so a manifest says what made its audio; Kokoro's
    versions only where it was among the engines listed."""
    probes = {
        "espeak-ng": ["espeak-ng", "--version"],
        "flite": ["flite", "--version"],
        "festival": ["festival", "--version"],
        "sox": ["sox", "--version"],
        "opusenc": ["opusenc", "-V"],
        "rubberband": ["rubberband", "-V"],  # prints on stderr
    }
    versions = {}
    for name, cmd in probes.items():
        if shutil.which(cmd[0]):
            proc = subprocess.run(cmd, capture_output=True, text=True)
            out = (proc.stdout.strip() or proc.stderr.strip()).splitlines()
            versions[name] = next((line.strip() for line in out if re.search(r"\d+\.\d+", line)), out[0] if out else "")
    try:
        from importlib.metadata import version

        versions["pyroomacoustics"] = version("pyroomacoustics")
    except ImportError:
        pass
    if "kokoro" in engines and kokoro.installed():
        versions.update(kokoro.versions())
    return versions


# --- synthesis -------------------------------------------------------------------------------------


FESTIVAL_TIMEOUT_S = 60


class FestivalSession:
    """One long-lived `festival --pipe` per process: starting festival and loading a voice costs
    ~0.3 s, speaking a phrase ~0.05 s. Each request selects its voice afresh, so the audio does not
    depend on what was said before (the tests check this against a fresh process)."""

    def __init__(self):
        self.proc = None
        self.owner = None  # pid that started proc: a forked worker must not share its parent's pipes

    def start(self):
        self.owner = os.getpid()
        self.proc = subprocess.Popen(["festival", "--pipe"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def close(self):
        if self.proc is not None and self.owner == os.getpid():
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def say(self, voice: Voice, text: str, wav_file: Path):
        if self.proc is None or self.owner != os.getpid() or self.proc.poll() is not None:
            self.start()
        quoted = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
        marker = f"done {wav_file}"
        # festival buffers stdout when it is a pipe but not stderr, so the end marker goes to stderr
        self.proc.stdin.write(f"(voice_{voice.name})\n"
                              f"(utt.save.wave (utt.synth (Utterance Text \"{quoted}\")) \"{wav_file}\" 'riff)\n"
                              f"(format stderr \"{marker}\\n\")\n")
        self.proc.stdin.flush()
        said = []
        # a request that never finishes (festival waiting for more input) would hang the run: kill it
        watchdog = threading.Timer(FESTIVAL_TIMEOUT_S, self.proc.kill)
        watchdog.start()
        try:
            while True:
                line = self.proc.stderr.readline()
                if not line:  # festival died or the watchdog killed it
                    self.close()
                    raise ToolkitError(f"festival exited while speaking {text[:60]!r} with {voice.id}: "
                                       f"{' '.join(said)[-500:]}")
                if line.strip() == marker:
                    break
                said.append(line.strip())
        finally:
            watchdog.cancel()
        if any("error" in line.lower() for line in said) or not wav_file.exists():
            self.close()  # a fresh process for the next request, in case the error left state behind
            raise ToolkitError(f"festival failed on {text[:60]!r} with {voice.id}: {' '.join(said)[-500:]}")


festival = FestivalSession()


def engine_command(voice: Voice, text_file: Path, wav_file: Path) -> list[str]:
    if voice.engine == "espeak":
        return ["espeak-ng", "-v", voice.name, "-f", str(text_file), "-w", str(wav_file)]
    if voice.engine == "flite":
        return ["flite", "-voice", voice.name, "-f", str(text_file), "-o", str(wav_file)]
    raise ToolkitError(f"unknown engine {voice.engine!r} (voice {voice.id})")


CURRENCY = {"€": ("euro", "euros"), "£": ("pound", "pounds"), "$": ("dollar", "dollars"), "¥": ("yuan", "yuan")}


def currency_words(m):
    whole, cents = m.group(2), m.group(3)
    words = f"{whole} {CURRENCY[m.group(1)][whole != '1']}"
    return f"{words} {int(cents)}" if cents and int(cents) else words


def speakable(text: str) -> str:
    """The sentence with the symbols spelled out that the engines read differently or not at all
    (flite and festival skip "€", espeak-ng says "euros eighty five" for "€85"), so every voice
    says the same words. Numbers and times are left to the engines: all three read them alike."""
    text = re.sub(r"([€£$¥])\s?(\d+)(?:[.,](\d\d))?\b", currency_words, text)
    text = re.sub(r"\s?°\s?C\b", " degrees Celsius", text)
    text = re.sub(r"\s?°\s?F\b", " degrees Fahrenheit", text)
    text = re.sub(r"\s?°", " degrees", text)
    text = re.sub(r"\s?%", " percent", text)
    return re.sub(r"\s?&\s?", " and ", text)


def synthesize(text: str, voice: Voice) -> np.ndarray:
    """Speak `text` (after `speakable`) with `voice`: 16 kHz mono float32 at the engine's own level."""
    if not text.strip():
        raise ToolkitError(f"nothing to say (empty text) for voice {voice.id}")
    with tempfile.TemporaryDirectory(prefix="synth-") as tmp:
        text_file, wav_file = Path(tmp) / "text.txt", Path(tmp) / "speech.wav"
        # the text goes through a file, not argv, so a sentence starting with "-" is not an option
        text = speakable(text.strip())
        text_file.write_text(text + "\n", encoding="utf-8")
        if voice.engine == "kokoro":
            samples = sox(kokoro.say(text, voice.name), [], rate_in=kokoro.SAMPLING_RATE)
        else:
            if voice.engine == "festival":
                festival.say(voice, text, wav_file)
            else:
                run(engine_command(voice, text_file, wav_file), what=f"{voice.id} on {text[:60]!r}")
            samples = wav_to_16k(wav_file)
    if samples.size == 0 or np.max(np.abs(samples)) < 1e-3:
        raise ToolkitError(f"{voice.id} produced silence for {text[:60]!r}")
    return samples
