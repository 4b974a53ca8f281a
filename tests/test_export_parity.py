"""The fp32 export computes what transformers' Qwen2AudioForConditionalGeneration computes."""
import numpy as np
import pytest
import torch

from compress.reference import reference_generate, reference_inputs
from compress.runtime import OnnxSpeechTranslator

LOGIT_TOL = 1e-4


@pytest.fixture(scope="module")
def fp32(tiny_export):
    return OnnxSpeechTranslator(tiny_export, "fp32")


@pytest.mark.parametrize("lang", ["de", "zh"])
def test_prefill_and_cached_decode_logits_match(reference, fp32, speech, lang):
    model, tokenizer, fe = reference
    inputs = reference_inputs(model, tokenizer, fe, speech, lang)
    feats = inputs["input_features"].numpy()
    logits, past, prompt = fp32.prefill(feats, len(speech), lang)
    assert prompt == inputs["input_ids"][0].tolist()
    with torch.no_grad():
        ref = model(**inputs, use_cache=True)
    assert np.abs(logits - ref.logits.numpy()).max() <= LOGIT_TOL

    ref_past, attention = ref.past_key_values, inputs["attention_mask"]
    token = int(np.argmax(logits[0, -1]))
    for step in range(3):
        position = len(prompt) + step
        logits, past = fp32.step(token, position, past)
        attention = torch.cat([attention, torch.ones(1, 1, dtype=attention.dtype)], dim=1)
        with torch.no_grad():
            ref = model(input_ids=torch.tensor([[token]]), attention_mask=attention, past_key_values=ref_past, use_cache=True)
        ref_past = ref.past_key_values
        diff = np.abs(logits - ref.logits.numpy()).max()
        assert diff <= LOGIT_TOL, f"decode step {step}: max abs diff {diff}"
        assert past[0][0].shape[2] == position + 1
        token = int(np.argmax(logits[0, -1]))


@pytest.mark.parametrize("lang", ["de", "zh"])
def test_greedy_ids_match_generate(reference, fp32, speech, lang):
    model, tokenizer, fe = reference
    expected = reference_generate(model, reference_inputs(model, tokenizer, fe, speech, lang), max_new_tokens=16)
    got = fp32.generate(reference_inputs(model, tokenizer, fe, speech, lang)["input_features"].numpy(), len(speech),
                        lang, max_new_tokens=16)
    eos = set(fp32.tokens["eos"])
    assert got.token_ids == [t for t in expected if t not in eos]
    assert len(got.token_ids) == 16 or got.stopped


def _padded_reference_audio_features(model, feats, mask):
    """HF's own encoder path: padded 3000-frame window, padded keys masked, as in its forward()."""
    with torch.no_grad():
        f, m = torch.from_numpy(feats), torch.from_numpy(mask)
        conv_len, n_tokens = model.audio_tower._get_feat_extract_output_lengths(m.sum(-1))
        T = feats.shape[2] // 2
        padded = (torch.arange(T)[None] >= conv_len[:, None]).view(1, 1, 1, T).expand(1, 1, T, T)
        attn = torch.zeros(padded.shape).masked_fill(padded, float("-inf"))
        out = model.audio_tower(f, attention_mask=attn).last_hidden_state
        return model.multi_modal_projector(out)[0, : int(n_tokens)].numpy()


@pytest.mark.parametrize("seconds", [0.5, 1.0, 3.31, 7.3, 12.345, 29.99, 30.0])
def test_variable_length_encoder_matches_padded_reference(reference, fp32, speech, seconds):
    from compress.audio import extract_features

    model, _, fe = reference
    samples = np.resize(speech, round(seconds * 16000)).astype(np.float32)
    feats, mask = extract_features(fe, samples)
    expected = _padded_reference_audio_features(model, feats, mask)
    got = fp32.encode_audio(feats, len(samples))[0]
    assert got.shape == expected.shape
    # Exact up to float rounding, boundary tokens included, thanks to the two context frames.
    assert np.abs(got - expected).max() <= 1e-4


def test_without_context_frames_the_boundary_differs(reference, fp32, speech):
    """Why the encoder input carries two frames past the real ones: feeding only the real frames
    lets the convolutions read zeros instead of the padding frames at the end."""
    from compress.audio import extract_features, mel_frames

    model, _, fe = reference
    feats, mask = extract_features(fe, speech)
    expected = _padded_reference_audio_features(model, feats, mask)
    frames = mel_frames(len(speech))
    # Same graph, real frames followed by two zero frames instead of the window's padding frames.
    x = np.concatenate([feats[:, :, :frames], np.zeros((1, feats.shape[1], 2), np.float32)], axis=2)
    got = fp32.sessions["audio_encoder"].run(None, {"input_features": x})[0][0]
    assert np.abs(got - expected).max() > 1e-3
