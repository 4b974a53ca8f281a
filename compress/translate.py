"""Batched greedy translation with the PyTorch model (dev scoring during training, pruning, evaluation)."""
import numpy as np
import torch
from transformers import LogitsProcessor, LogitsProcessorList

from .dataset import collate_audio
from .decoding import ACCEPT, REJECT, DecodingRules
from .forward import encode_audio_batch, merged_embeddings


class RulesProcessor(LogitsProcessor):
    """decoding.py's rules inside transformers' generate(): each row's scores outside its mask (UTF-8
    state, the task's tokens, EOS only between characters, no repeated n-gram, no block twice in a
    row) become -inf."""

    def __init__(self, rules: DecodingRules, task: str, prompt_length: int = 0):
        self.rules, self.task, self.prompt_length = rules, task, prompt_length

    def __call__(self, input_ids, scores):
        # With inputs_embeds, generate() passes only the generated ids; with input_ids, the prompt too.
        for row, ids in enumerate(input_ids[:, self.prompt_length :].tolist()):
            state = ACCEPT
            for t in ids:
                nxt = self.rules.next_state[state, t] if t < self.rules.vocab else REJECT
                state = int(nxt) if nxt != REJECT else state
            mask = torch.from_numpy(self.rules.mask(self.task, state, first=not ids)).to(scores.device)
            scores[row, : mask.shape[0]] = scores[row, : mask.shape[0]].masked_fill(~mask, float("-inf"))
            scores[row, mask.shape[0]:] = float("-inf")
            for t in self.rules.banned(self.task, ids):
                scores[row, t] = float("-inf")
        return scores


@torch.no_grad()
def translate_batch(model, builder, windows: list[np.ndarray], frames: list[int], lang: str, max_new_tokens: int = 64,
                    rules: DecodingRules | None = None):
    """→ list of (token_ids without eos, stopped_at_eos) per clip, greedy like the paper."""
    batch = collate_audio(list(zip(windows, frames)))
    device = model.device
    rows = encode_audio_batch(model, batch["input_features"].to(device), batch["frames"].to(device))
    prompts = [builder.prompt(lang, r.shape[0]) for r in rows]
    width = max(len(p) for p in prompts)
    pad = builder.tokenizer.pad_token_id
    ids = torch.full((len(prompts), width), pad, dtype=torch.long)
    attention = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, p in enumerate(prompts):  # left padding, so every prompt ends where generation starts
        ids[i, width - len(p) :] = torch.tensor(p)
        attention[i, width - len(p) :] = 1
    ids, attention = ids.to(device), attention.to(device)
    embeds = merged_embeddings(model, ids, rows)
    eos = [builder.im_end, pad]
    processors = LogitsProcessorList([RulesProcessor(rules, lang)]) if rules is not None else None
    out = model.language_model.generate(
        inputs_embeds=embeds, attention_mask=attention, max_new_tokens=max_new_tokens, do_sample=False,
        num_beams=1, eos_token_id=eos, pad_token_id=pad, logits_processor=processors,
    )
    results = []
    for row in out.tolist():
        stop = next((k for k, t in enumerate(row) if t in eos), None)
        results.append((row if stop is None else row[:stop], stop is not None))
    return results


def translate_clips(model, builder, cache, clips, lang, batch_size=32, max_new_tokens=64, rules=None):
    """Hypothesis strings and stop flags for clips (sorted by length internally, returned in order)."""
    order = sorted(range(len(clips)), key=lambda i: cache.window(clips[i].clip_id)[1])
    hyps, stopped = [None] * len(clips), [None] * len(clips)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        wins = [cache.window(clips[i].clip_id) for i in idx]
        for i, (ids, stop) in zip(idx, translate_batch(model, builder, [w for w, _ in wins], [f for _, f in wins], lang, max_new_tokens, rules)):
            hyps[i] = builder.tokenizer.decode(ids, skip_special_tokens=True).strip()
            if rules is not None:
                hyps[i] = rules.final_text(lang, hyps[i])
            stopped[i] = stop
    return hyps, stopped
