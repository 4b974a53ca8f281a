"""Runs an exported model folder with onnxruntime exactly as the browser does (the reference for the JS runtime).

features → audio_encoder → audio_features; prompt ids → embed_tokens; audio rows replace the
<|AUDIO|> positions; prefill with an empty KV cache; greedy decode one token per step, or beam search for
a task the manifest gives a beam width (`beams`), its hypotheses reranked by the transcript when the folder
has rerank.json.
"""
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import onnxruntime as ort

from .audio import audio_token_count, encoder_input, mel_frames
from .decoding import BeamSearch, ChainedChooser, Chooser, DecodingRules, Finished
from .errors import ToolkitError
from .prompt import CHAIN_SEPARATOR, CHAINED, TRANSCRIBE
from .rerank import Reranker

# The q4 embedding table is a constant DequantizeLinear + Gather. onnxruntime leaves DequantizeLinear
# unfolded by default (to keep QDQ patterns for its quantised kernels), which would dequantise the
# whole table at every decode step (measured: decode 779 → 287 tok/s); with QDQ handling off it is
# folded once at load. Our graphs have no QDQ patterns (MatMulNBits is quantised natively).
FOLD_DEQUANTIZED_CONSTANTS = ("session.disable_quant_qdq", "1")


@dataclass
class Generation:
    token_ids: list[int]
    prompt_ids: list[int]
    n_audio_tokens: int
    step_logits: list[np.ndarray] = field(default_factory=list)  # last-position logits per step, if kept
    stopped: bool = False
    # Geometric-mean probability of the least probable chosen tokens (decoding.Chooser); a reranked answer's is
    # discounted by its misses (rerank.Reranker.confidence).
    confidence: float = 0.0
    token_logprobs: list[float] = field(default_factory=list)  # each chosen token's, EOS included: the confidence's input
    out_of_domain: bool = False  # the model answered "not in the phrasebook"
    heard_confidence: float | None = None  # a chained answer's: its English's (confidence is its translation's)
    # Beams reranked by the transcript: each candidate's (ids, score after the rerank), best first.
    reranked: list[tuple[list[int], float]] = field(default_factory=list)


class OnnxSpeechTranslator:
    def __init__(self, model_dir, variant: str | None = None, providers=("CPUExecutionProvider",),
                 threads: int | None = None):
        self.dir = Path(model_dir)
        self.manifest = json.loads((self.dir / "manifest.json").read_text())
        variant = variant or self.manifest["default_variant"]
        if variant not in self.manifest["variants"]:
            raise ValueError(f"{self.dir}: no variant {variant!r}; has {sorted(self.manifest['variants'])}")
        files = self.manifest["variants"][variant]
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.add_session_config_entry(*FOLD_DEQUANTIZED_CONSTANTS)
        if threads:  # None: onnxruntime's default (every physical core)
            opts.intra_op_num_threads = threads
        self.sessions = {
            name: ort.InferenceSession(str(self.dir / files[name]), opts, providers=list(providers))
            for name in ("audio_encoder", "embed_tokens", "decoder_model_merged")
        }
        self.tokens = self.manifest["tokens"]
        self.audio = self.manifest["audio"]
        dec = self.manifest["decoder"]
        self.num_layers, self.kv_heads, self.head_dim = dec["num_layers"], dec["num_kv_heads"], dec["head_dim"]
        # The folder's decoding rules (decoding.json) when it has them; constrained=False decodes plain
        # greedy (the parity checks against transformers' generate()).
        self.rules = DecodingRules.load(self.dir)
        # How many of the least probable chosen tokens the confidence averages (None: every one).
        self.confidence_tokens = self.manifest.get("confidence_tokens")
        # The beam width per task (the manifest's `beams`; a task not named decodes greedy).
        self.beams = dict(self.manifest.get("beams", {}))
        # The tables that rerank a task's beams by the transcript (rerank.json), when the folder has them.
        self.reranker = Reranker.load(self.dir)
        self._tokenizer = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(self.dir)
        return self._tokenizer

    def prompt_ids(self, lang: str, n_audio_tokens: int) -> list[int]:
        ids = self.tokenizer(self.manifest["prompts"][lang]["text"], add_special_tokens=False).input_ids
        at = ids.index(self.tokens["audio"])
        return ids[:at] + [self.tokens["audio"]] * n_audio_tokens + ids[at + 1 :]

    def encode_audio(self, padded_features: np.ndarray, num_samples: int) -> np.ndarray:
        frames = mel_frames(num_samples, self.audio["hop_length"], self.audio["max_frames"])
        feats = encoder_input(padded_features, frames, self.audio["context_frames"])
        return self.sessions["audio_encoder"].run(None, {"input_features": feats})[0]

    def decoder_step(self, embeds, attention_mask, position_ids, past):
        feed = {"inputs_embeds": embeds, "attention_mask": attention_mask, "position_ids": position_ids}
        for i in range(self.num_layers):
            feed[f"past_key_values.{i}.key"], feed[f"past_key_values.{i}.value"] = past[i]
        out = self.sessions["decoder_model_merged"].run(None, feed)
        return out[0], [(out[1 + 2 * i], out[2 + 2 * i]) for i in range(self.num_layers)]

    def embed(self, ids) -> np.ndarray:
        return self.sessions["embed_tokens"].run(None, {"input_ids": np.asarray([ids], dtype=np.int64)})[0]

    def empty_past(self):
        return [(np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32),) * 2 for _ in range(self.num_layers)]

    def prefill(self, padded_features, num_samples, lang):
        """Encoder + merged prompt embeddings + decoder over the whole prompt. Returns (logits, past, prompt_ids)."""
        frames = mel_frames(num_samples, self.audio["hop_length"], self.audio["max_frames"])
        return self.prefill_window(encoder_input(padded_features, frames, self.audio["context_frames"]), frames, lang)

    def prefill_window(self, window, frames: int, lang):
        """Same, from the encoder window (real frames + context frames, as the browser builds it)."""
        n_audio = audio_token_count(frames * self.audio["hop_length"], self.audio["hop_length"], self.audio["max_frames"])
        audio_features = self.sessions["audio_encoder"].run(None, {"input_features": np.ascontiguousarray(window, np.float32)})[0]
        if audio_features.shape[1] != n_audio:
            raise RuntimeError(f"encoder gave {audio_features.shape[1]} audio rows, formula says {n_audio}")
        prompt = self.prompt_ids(lang, n_audio)
        embeds = self.embed(prompt)
        embeds[0, np.asarray(prompt) == self.tokens["audio"]] = audio_features[0]
        n = len(prompt)
        logits, past = self.decoder_step(embeds, np.ones((1, n), np.int64), np.arange(n, dtype=np.int64)[None], self.empty_past())
        return logits, past, prompt

    def step(self, token: int, position: int, past):
        """One cached decode step for `token` at `position`."""
        return self.decoder_step(
            self.embed([token]), np.ones((1, position + 1), np.int64), np.array([[position]], np.int64), past
        )

    def generate(self, padded_features, num_samples, lang, max_new_tokens=64, stop_at_eos=True, keep_logits=False,
                 constrained=True):
        return self.greedy(self.prefill(padded_features, num_samples, lang), max_new_tokens, stop_at_eos, keep_logits,
                           task=lang if constrained else None)

    def raw_text(self, gen: "Generation") -> str:
        """A generation's decoded ids, before decoding rule 5."""
        return self.decoded(gen.token_ids)

    def decoded(self, ids: list[int]) -> str:
        """Ids as text, before decoding rule 5 (spaces stripped, not a chained answer's separator, which may
        come first when nothing was heard)."""
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip(" ")

    def final_text(self, task: str, raw: str) -> str:
        """A decoded output finished under decoding rule 5, when the folder has rules."""
        return self.rules.final_text(task, raw) if self.rules is not None else raw

    @cached_property
    def separator(self) -> int:
        """The chained answers' separator: one token, or the chained prompts cannot be decoded."""
        ids = self.tokenizer(CHAIN_SEPARATOR, add_special_tokens=False).input_ids
        if len(ids) != 1:
            raise ToolkitError(f"{self.dir}: the tokenizer writes {CHAIN_SEPARATOR!r} as {len(ids)} tokens, not one")
        return ids[0]

    def chooser(self, task: str | None, stop_at_eos: bool = True):
        """The greedy chooser of a task (None: plain argmax, no rules)."""
        rules = self.rules if task is not None and stop_at_eos else None
        if task in CHAINED.values():
            return ChainedChooser(rules, task, self.separator, self.confidence_tokens)
        return Chooser(rules, task, self.confidence_tokens)

    def text(self, gen: "Generation", task: str) -> str:
        """A generation's finished text."""
        return self.final_text(task, self.raw_text(gen))

    def generate_window(self, window, frames, lang, max_new_tokens=64, constrained=True, beams=None, heard=None):
        """Decodes a task the way the folder's manifest says (`beams`: its beam width for the task, 1 or
        absent: greedy; `rerank`: its beams reranked by what the model heard, decoded here first unless
        `heard`, the finished transcript, is given); `beams` overrides the width, `constrained=False` decodes
        plain greedy argmax."""
        width = self.beams_for(lang) if beams is None else beams
        if constrained and width > 1:
            if heard is None and self.reranks(lang):
                heard = self.transcript(window, frames, max_new_tokens)
            return self.beam_search(self.prefill_window(window, frames, lang), width, max_new_tokens, task=lang, heard=heard)
        return self.greedy(self.prefill_window(window, frames, lang), max_new_tokens, task=lang if constrained else None)

    def transcript(self, window, frames, max_new_tokens=64) -> str:
        """What the model heard, finished: the text that reranks a task's beams."""
        return self.text(self.generate_window(window, frames, TRANSCRIBE, max_new_tokens), TRANSCRIBE)

    def reranks(self, task: str) -> bool:
        """Whether the folder reranks this task's beams by the transcript (rerank.json names it)."""
        return self.reranker is not None and task in self.reranker.tasks

    def beams_for(self, task: str) -> int:
        return int(self.beams.get(task, 1))

    def beam_search(self, prefilled, beams: int, max_new_tokens=64, task=None, heard=None):
        """decoding.BeamSearch over batched decoder steps: every live beam is one row of the batch, and the
        KV cache's rows follow their parents. With `heard` (the transcript) and a task the folder reranks,
        the finished hypotheses are reranked by it (rerank.Reranker)."""
        if task in CHAINED.values():
            raise ToolkitError(f"beam search decodes one answer; {task!r} is a chained task (greedy only)")
        logits, past, prompt = prefilled
        stops = set(self.tokens["eos"])
        if self.rules is not None and self.rules.out_of_domain is not None:
            stops.add(self.rules.out_of_domain)
        search = BeamSearch(self.chooser(task), beams, stops, max_new_tokens)
        rows = [logits[0, -1]]
        while picks := search.step(rows):
            parents = np.asarray([b for b, _ in picks])
            past = [(k[parents], v[parents]) for k, v in past]
            position = len(prompt) + len(search.live[0].chooser.ids) - 1
            n = len(picks)
            embeds = self.sessions["embed_tokens"].run(None, {"input_ids": np.asarray([[t] for _, t in picks], np.int64)})[0]
            logits, past = self.decoder_step(embeds, np.ones((n, position + 1), np.int64), np.full((n, 1), position, np.int64), past)
            rows = list(logits[:, -1])
        best, reranked = self.chosen(search, task, heard)
        chooser = best.beam.chooser
        # A hypothesis cut at the token budget may end mid-character; a stopped one ends between characters.
        gen = Generation(token_ids=chooser.complete_ids(), prompt_ids=prompt,
                         n_audio_tokens=prompt.count(self.tokens["audio"]))
        gen.stopped = best.stop is not None
        gen.out_of_domain = self.rules is not None and best.stop == self.rules.out_of_domain
        gen.confidence, gen.token_logprobs = chooser.confidence(), chooser.logprobs
        gen.reranked = reranked
        if reranked:
            gen.confidence = self.reranker.confidence(task, gen.confidence, self.final_text(task, self.decoded(gen.token_ids)), heard)
        return gen

    def chosen(self, search: BeamSearch, task, heard) -> tuple[Finished, list[tuple[list[int], float]]]:
        """(the search's best hypothesis, []), or, given what was heard and a task the folder reranks, (the best
        once reranked, every candidate's (ids, reranked score) best first). A refusal that scores best stays:
        the model said it does not know; other refusals are not candidates."""
        best = search.best()
        refusal = self.rules.out_of_domain if self.rules is not None else None
        if heard is None or not self.reranks(task) or (refusal is not None and best.stop == refusal):
            return best, []
        # Best-scored first, the first finished among equals first, as search.best() ranks them.
        finished = sorted((f for f in search.finished if refusal is None or f.stop != refusal), key=lambda f: -f.score)
        texts = [self.final_text(task, self.decoded(f.beam.chooser.complete_ids())) for f in finished]
        ranked = self.reranker.ranked(task, [(t, f.score) for t, f in zip(texts, finished)], heard)
        return finished[ranked[0][0]], [(finished[i].beam.chooser.complete_ids(), score) for i, score in ranked]

    def greedy(self, prefilled, max_new_tokens=64, stop_at_eos=True, keep_logits=False, task=None):
        """Greedy decoding from a prefill's (logits, past, prompt); `task` ("de", "zh", "transcribe", or a
        chained "transcribe+de") applies the folder's decoding rules, None decodes plain argmax."""
        logits, past, prompt = prefilled
        gen = Generation(token_ids=[], prompt_ids=prompt, n_audio_tokens=prompt.count(self.tokens["audio"]))
        eos = set(self.tokens["eos"])
        chooser = self.chooser(task, stop_at_eos)
        while True:
            last = logits[0, -1]
            if keep_logits:
                gen.step_logits.append(last.copy())
            token = chooser.choose(last)
            if stop_at_eos and token in eos:
                gen.stopped = True
                break
            if chooser.rules is not None and token == chooser.rules.out_of_domain:
                gen.out_of_domain = gen.stopped = True
                break
            chooser.accept(token)
            gen.token_ids.append(token)
            if len(gen.token_ids) >= max_new_tokens:
                gen.token_ids = chooser.complete_ids()
                break
            logits, past = self.step(token, len(prompt) + len(gen.token_ids) - 1, past)
        gen.confidence, gen.token_logprobs = chooser.confidence(), chooser.logprobs
        if isinstance(chooser, ChainedChooser):
            gen.heard_confidence = chooser.heard.confidence()
        return gen
