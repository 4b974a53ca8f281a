"""Audio length arithmetic and feature extraction shared by export, golden files and evaluation.

The browser's Whisper feature extractor returns no attention mask, so the number of audio tokens
is computed from the sample count exactly as HF's Qwen2AudioProcessor derives it from the mask.
"""
import math
import wave

import numpy as np

SAMPLING_RATE = 16000
HOP_LENGTH = 160
MAX_SECONDS = 30.0


def mel_frames(num_samples: int, hop_length: int = HOP_LENGTH, max_frames: int = 3000) -> int:
    """Mel frames that carry real audio: WhisperFeatureExtractor's mask is the sample mask taken every hop."""
    if num_samples <= 0:
        raise ValueError("audio is empty")
    frames = math.ceil(num_samples / hop_length)
    if frames > max_frames:
        seconds = num_samples / SAMPLING_RATE
        raise ValueError(
            f"audio is {seconds:.2f} s long but the model's window is {max_frames * hop_length / SAMPLING_RATE:.0f} s; "
            "segment it first"
        )
    return frames


def tokens_for_frames(frames: int) -> int:
    """Audio tokens for this many real mel frames: conv2 (stride 2), then AvgPool1d(2)."""
    return ((frames - 1) // 2 + 1 - 2) // 2 + 1


def audio_token_count(num_samples: int, hop_length: int = HOP_LENGTH, max_frames: int = 3000) -> int:
    """Audio tokens the encoder emits for this many samples: conv2 (stride 2), then AvgPool1d(2)."""
    tokens = tokens_for_frames(mel_frames(num_samples, hop_length, max_frames))
    if tokens < 1:
        raise ValueError(f"audio is too short: {num_samples} samples give no audio token (need ≥ {3 * hop_length})")
    return tokens


def encoder_input(padded_features: np.ndarray, frames: int, context_frames: int) -> np.ndarray:
    """The encoder's input: the real frames plus the next `context_frames` frames of the padded window
    (zeros past its end, as the reference convolution pads)."""
    want = frames + context_frames
    feats = padded_features[:, :, :want]
    if feats.shape[2] < want:
        feats = np.concatenate([feats, np.zeros((*feats.shape[:2], want - feats.shape[2]), feats.dtype)], axis=2)
    return np.ascontiguousarray(feats, dtype=np.float32)


def read_wav(path) -> np.ndarray:
    """16 kHz mono PCM WAV → float32 in [-1, 1]. Other rates are refused rather than silently resampled."""
    try:
        with wave.open(str(path), "rb") as f:
            rate, channels, width, n = f.getframerate(), f.getnchannels(), f.getsampwidth(), f.getnframes()
            raw = f.readframes(n)
    except (wave.Error, EOFError) as e:
        raise ValueError(f"{path}: not a readable PCM WAV file ({e})") from e
    if rate != SAMPLING_RATE:
        raise ValueError(f"{path}: sample rate is {rate} Hz, expected {SAMPLING_RATE} Hz")
    if width != 2:
        raise ValueError(f"{path}: {8 * width}-bit samples, expected 16-bit PCM")
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    return pcm.reshape(-1, channels).mean(axis=1)


def write_wav(path, samples: np.ndarray) -> None:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLING_RATE)
        f.writeframes(pcm.tobytes())


def extract_features(feature_extractor, samples: np.ndarray, max_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Padded 30 s log-mel window as the reference model wants it, plus its frame mask.

    `max_length` (samples) pads to a shorter window instead: see `encoder_window_features`."""
    out = feature_extractor(
        samples, sampling_rate=SAMPLING_RATE, return_attention_mask=True, padding="max_length",
        max_length=max_length, return_tensors="np",
    )
    return out["input_features"].astype(np.float32), out["attention_mask"].astype(np.int64)


def encoder_window_features(feature_extractor, samples: np.ndarray, context_frames: int) -> tuple[np.ndarray, int]:
    """The encoder input (real frames + context frames) without computing the whole 30 s window.

    STFT frames are local and the window's extra frames are silence, which sits below the clip's
    loudest frame, so padding to a few frames past the context gives the same first frames as the
    30 s window at a tenth of the cost for a 3 s clip (checked in tests/test_audio_tokens.py)."""
    frames = mel_frames(len(samples), feature_extractor.hop_length, feature_extractor.nb_max_frames)
    window = min(feature_extractor.n_samples, (frames + context_frames + 4) * feature_extractor.hop_length)
    feats, _ = extract_features(feature_extractor, samples, max_length=window)
    return encoder_input(feats, frames, context_frames), frames
