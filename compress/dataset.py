"""Training/eval data: corpus sentences joined with their synthesized clips, and a log-mel cache.

The cache keeps each clip's encoder window (real mel frames + the conv context frames) in float16
in one flat array, so the Whisper feature extractor runs once per clip, not once per epoch.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .audio import encoder_window_features, read_wav
from .audio import tokens_for_frames as audio_tokens_for_frames
from .export.graphs import CONTEXT_FRAMES
from .sft import IGNORE


@dataclass
class Clip:
    clip_id: str
    sentence_id: str
    split: str
    voice: str
    path: Path
    topic: str
    en: str
    de: str
    zh: str


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_manifest(path) -> list[dict]:
    """A speech manifest's rows. `compress speak` appends a line per finished clip, so a manifest still
    being written may end in a torn line, with no newline yet: that clip is not there yet."""
    text = Path(path).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n")[:-1] if line.strip()]


def speech_for(speech_dir, split: str) -> Path:
    """Where a split's clips are: speech_dir/<split>/ when it was spoken on its own (`compress speak
    --out speech_dir/<split>`), else speech_dir itself (one manifest for all splits, `compress synth`)."""
    own = Path(speech_dir) / split
    return own if (own / "manifest.jsonl").is_file() else Path(speech_dir)


def speech_splits(speech_dir) -> set[str]:
    """Every split that has clips under speech_dir, in either layout."""
    speech_dir = Path(speech_dir)
    manifests = [speech_dir / "manifest.jsonl"] + sorted(speech_dir.glob("*/manifest.jsonl"))
    return {row["split"] for m in manifests if m.is_file() for row in read_manifest(m)}


def load_clips(corpus_dir, speech_dir, split: str) -> list[Clip]:
    """Clips of one split with their sentence's texts, in manifest order (either layout, see speech_for)."""
    corpus_dir, speech_dir = Path(corpus_dir), speech_for(speech_dir, split)
    sentences = {s["id"]: s for s in read_jsonl(corpus_dir / f"{split}.jsonl")}
    clips = []
    for row in read_manifest(speech_dir / "manifest.jsonl"):
        if row["split"] != split:
            continue
        s = sentences.get(row["sentence_id"])
        if s is None:
            raise ValueError(f"{speech_dir}/manifest.jsonl: clip {row['path']} names sentence {row['sentence_id']} not in {split}.jsonl")
        clips.append(Clip(
            clip_id=row.get("clip_id") or Path(row["path"]).stem, sentence_id=s["id"], split=split,
            voice=row["voice"], path=speech_dir / row["path"], topic=s.get("topic", ""), en=s["en"],
            de=s.get("de", ""), zh=s.get("zh", ""),  # out-of-domain sentences have no translation
        ))
    return clips


class FeatureCache:
    """Ragged float16 store: features[offsets[i]:offsets[i+1]] is clip i's [frames+context, n_mels]."""

    def __init__(self, path):
        path = Path(path)
        self.index = json.loads(path.with_suffix(".json").read_text())
        self.data = np.load(path.with_suffix(".npy"), mmap_mode="r")
        self.offsets = self.index["offsets"]
        self.frames = self.index["frames"]
        self.position = {cid: i for i, cid in enumerate(self.index["clip_ids"])}

    @staticmethod
    def build(clips: list[Clip], feature_extractor, path, log=print) -> "FeatureCache":
        path = Path(path)
        if path.with_suffix(".json").exists():
            cached = json.loads(path.with_suffix(".json").read_text())
            if cached["clip_ids"] == [c.clip_id for c in clips]:
                return FeatureCache(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        chunks, offsets, frames = [], [0], []
        for i, clip in enumerate(clips):  # ~2 ms a clip (the STFT covers the clip, not 30 s)
            window, n = encoder_window_features(feature_extractor, read_wav(clip.path), CONTEXT_FRAMES)
            window = window[0].T.astype(np.float16)
            chunks.append(window)
            offsets.append(offsets[-1] + len(window))
            frames.append(n)
            if (i + 1) % 5000 == 0:
                log(f"  features {i + 1}/{len(clips)}")
        tmp = path.with_name(path.name + ".tmp.npy")
        np.save(tmp, np.concatenate(chunks) if chunks else np.zeros((0, feature_extractor.feature_size), np.float16))
        tmp.rename(path.with_suffix(".npy"))
        path.with_suffix(".json").write_text(json.dumps({"clip_ids": [c.clip_id for c in clips], "offsets": offsets, "frames": frames}))
        return FeatureCache(path)

    def window(self, clip_id: str) -> tuple[np.ndarray, int]:
        i = self.position[clip_id]
        return np.asarray(self.data[self.offsets[i] : self.offsets[i + 1]]).T, self.frames[i]


class PromptBuilder:
    """Token ids of the paper's prompt with n audio tokens, plus target ids; tokenised once per language."""

    def __init__(self, tokenizer, audio_token_id: int):
        from .prompt import ALL_TASKS, render_prompt

        self.tokenizer = tokenizer
        self.audio = audio_token_id
        self.parts = {}
        for lang in ALL_TASKS:
            ids = tokenizer(render_prompt(tokenizer, lang), add_special_tokens=False).input_ids
            at = ids.index(audio_token_id)
            self.parts[lang] = (ids[:at], ids[at + 1 :])
        self.im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")

    def prompt(self, lang: str, n_audio: int) -> list[int]:
        before, after = self.parts[lang]
        return before + [self.audio] * n_audio + after

    def text_prompt(self, lang: str, english: str) -> list[int]:
        """The prompt with the English text's tokens where the audio tokens go (a text-only training example)."""
        before, after = self.parts[lang]
        return before + self.tokenizer(english, add_special_tokens=False).input_ids + after

    def target(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False).input_ids + [self.im_end]


def collate_audio(audio: list[tuple[np.ndarray, int]]) -> dict:
    """audio: (window [n_mels, W_i], frames) per clip → zero-padded input_features [C, n_mels, W] and frames [C]."""
    width = max(w.shape[1] for w, _ in audio)
    feats = torch.zeros(len(audio), audio[0][0].shape[0], width)
    for i, (w, _) in enumerate(audio):
        feats[i, :, : w.shape[1]] = torch.from_numpy(w.astype(np.float32))
    return {"input_features": feats, "frames": torch.tensor([f for _, f in audio])}


def collate_clips(audio: list[tuple[np.ndarray, int]], rows: list[tuple[int, list[int], list[int]]], pad_id: int) -> dict:
    """audio: (window [n_mels, W_i], frames) per clip; rows: (index into audio, prompt_ids, target_ids) →
    right-padded batch. A clip with several rows (one per task) is collated once, so the encoder runs over
    it once; audio_index (a list, so that indexing needs no device sync) says which clip each row hears,
    None for a row that hears none (English text in its prompt instead)."""
    seq = max(len(p) + len(t) for _, p, t in rows)
    ids = torch.full((len(rows), seq), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), seq), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(rows), seq), dtype=torch.long)
    for i, (_, p, t) in enumerate(rows):
        ids[i, : len(p) + len(t)] = torch.tensor(p + t)
        labels[i, len(p) : len(p) + len(t)] = torch.tensor(t, dtype=torch.long)
        attention[i, : len(p) + len(t)] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": attention,
            "audio_index": [j for j, _, _ in rows], **(collate_audio(audio) if audio else {})}
