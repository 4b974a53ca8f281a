"""The batched variable-length forward used for training equals HF's padded forward."""
import numpy as np
import torch

from compress.forward import forward_batch
from compress.sft import build_example, collate


def test_batched_forward_matches_hf_forward(reference, speech):
    model, tokenizer, fe = reference
    clips = [speech, speech[:9000], np.resize(speech, 70001)]
    examples = [build_example(tokenizer, fe, c, lang, t) for c, lang, t in
                zip(clips, ["de", "zh", "de"], ["Wo ist der Bahnhof?", "火车站在哪里？", "Guten Morgen"])]
    batch = collate(examples, tokenizer.pad_token_id)
    with torch.no_grad():
        ours = forward_batch(model, batch)
        hf = model(**batch)
    assert abs(ours.loss.item() - hf.loss.item()) <= 1e-5
    real = batch["attention_mask"].bool()
    assert (ours.logits[real] - hf.logits[real]).abs().max() <= 1e-4
