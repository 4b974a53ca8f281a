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


def test_a_clip_shared_by_several_rows_is_encoded_once_with_the_same_loss(reference, speech):
    """Training batches hold each clip once for all its tasks (audio_index): the loss and logits equal
    those of a batch that repeats the clip for every row."""
    from compress.audio import encoder_window_features
    from compress.dataset import PromptBuilder, audio_tokens_for_frames, collate_clips
    from compress.export.graphs import CONTEXT_FRAMES

    model, tokenizer, fe = reference
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    audio = [encoder_window_features(fe, s, CONTEXT_FRAMES) for s in (speech, speech[:9000])]
    audio = [(w[0], n) for w, n in audio]
    targets = [(0, "de", "Wo ist der Bahnhof?"), (1, "zh", "火车站在哪里？"), (0, "zh", "你好"), (0, "de", "Danke")]
    rows = [(j, builder.prompt(task, audio_tokens_for_frames(audio[j][1])), builder.target(text)) for j, task, text in targets]
    shared = collate_clips(audio, rows, tokenizer.pad_token_id)
    repeated = collate_clips([audio[j] for j, *_ in rows], [(i, p, t) for i, (_, p, t) in enumerate(rows)], tokenizer.pad_token_id)
    assert shared["input_features"].shape[0] == 2 and repeated["input_features"].shape[0] == 4
    with torch.no_grad():
        ours, theirs = forward_batch(model, shared), forward_batch(model, repeated)
    assert abs(ours.loss.item() - theirs.loss.item()) <= 1e-6
    real = shared["attention_mask"].bool()
    assert (ours.logits[real] - theirs.logits[real]).abs().max() <= 1e-5


def test_rows_with_english_text_in_the_audio_slot_need_no_audio(reference, speech):
    """A text row (audio_index None) is the prompt with the English tokens where the audio tokens go: its logits
    are the language model's on those ids, beside a clip's row or in a batch with no audio at all."""
    from compress.audio import encoder_window_features
    from compress.dataset import PromptBuilder, audio_tokens_for_frames, collate_clips
    from compress.export.graphs import CONTEXT_FRAMES

    model, tokenizer, fe = reference
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    window, frames = encoder_window_features(fe, speech, CONTEXT_FRAMES)
    clip_row = (0, builder.prompt("de", audio_tokens_for_frames(frames)), builder.target("Wo ist der Bahnhof?"))
    text_row = (None, builder.text_prompt("de", "Where is the station?"), builder.target("Wo ist der Bahnhof?"))
    assert model.config.audio_token_index not in text_row[1]
    mixed = collate_clips([(window[0], frames)], [clip_row, text_row], tokenizer.pad_token_id)
    alone = collate_clips([(window[0], frames)], [clip_row], tokenizer.pad_token_id)
    text_only = collate_clips([], [text_row], tokenizer.pad_token_id)
    assert "input_features" not in text_only
    ids = torch.tensor([text_row[1] + text_row[2]])
    with torch.no_grad():
        ours, clip, text = forward_batch(model, mixed), forward_batch(model, alone), forward_batch(model, text_only)
        lm = model.language_model(input_ids=ids).logits[0]
    n = ids.shape[1]
    assert (ours.logits[1, :n] - lm).abs().max() <= 1e-4 and (text.logits[0] - lm).abs().max() <= 1e-4
    real = alone["attention_mask"][0].bool()
    assert (ours.logits[0][: real.sum()] - clip.logits[0][real]).abs().max() <= 1e-4
