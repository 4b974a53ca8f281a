"""The exported folder: manifest, 4-bit graphs, sharded external data, atomic writes and clear errors."""
import json
import shutil

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from compress.__main__ import main as cli
from compress.errors import ToolkitError
from compress.export.export import export_model
from compress.export.manifest import sha256_file
from compress.runtime import OnnxSpeechTranslator

from .conftest import FIXTURE_MODEL, GOLDEN


def test_manifest_describes_every_file(tiny_export):
    m = json.loads((tiny_export / "manifest.json").read_text())
    on_disk = sorted(p.relative_to(tiny_export).as_posix() for p in tiny_export.rglob("*") if p.is_file())
    assert sorted(f["path"] for f in m["files"]) == [p for p in on_disk if p != "manifest.json"]
    for f in m["files"]:
        assert f["bytes"] == (tiny_export / f["path"]).stat().st_size
        assert f["sha256"] == sha256_file(tiny_export / f["path"])
    assert m["total_bytes"] == sum(f["bytes"] for f in m["files"])
    for name in ("config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json"):
        assert (tiny_export / name).is_file()
    assert m["prompts"]["de"]["messages"][0]["content"] == "You are a professional translator."
    assert m["prompts"]["zh"]["text"].endswith(
        "Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nTranslate the English speech into Chinese:<|im_end|>\n<|im_start|>assistant\n"
    )
    p = m["parameters"]
    assert p["total"] == sum(v for k, v in p.items() if k != "total")
    assert m["metrics"] == {}
    assert m["variants"]["q4"]["bytes"] < m["variants"]["fp32"]["bytes"]


def test_q4_graphs_use_matmulnbits_on_every_linear_layer(tiny_export):
    for name in ("audio_encoder", "decoder_model_merged"):
        g = onnx.load(str(tiny_export / "onnx" / f"{name}_q4.onnx"))
        ops = [n.op_type for n in g.graph.node]
        assert "MatMul" not in [o for o, n in zip(ops, g.graph.node) if any(i in {t.name for t in g.graph.initializer} for i in n.input)]
        nbits = [n for n in g.graph.node if n.op_type == "MatMulNBits"]
        assert nbits and all(a.i == 32 for n in nbits for a in n.attribute if a.name == "block_size")
    dec = onnx.load(str(tiny_export / "onnx" / "decoder_model_merged_q4.onnx"))
    # 4 layers × 7 projections + lm_head
    assert sum(n.op_type == "MatMulNBits" for n in dec.graph.node) == 4 * 7 + 1


def test_q4dq_holds_the_same_4bit_blocks_as_dequantize_and_matmul(tiny_export):
    m = json.loads((tiny_export / "manifest.json").read_text())
    assert m["default_variant"] == "q4"
    # The embedding graph has no MatMul: both layouts share one file (one download).
    assert m["variants"]["q4dq"]["embed_tokens"] == m["variants"]["q4"]["embed_tokens"]
    for name in ("audio_encoder", "decoder_model_merged"):
        g = onnx.load(str(tiny_export / m["variants"]["q4dq"][name]))
        ops = [n.op_type for n in g.graph.node]
        assert "MatMulNBits" not in ops
        dq = [n for n in g.graph.node if n.op_type == "DequantizeLinear"]
        weights = {t.name: t for t in g.graph.initializer}
        assert dq and all(weights[n.input[0]].data_type == onnx.TensorProto.UINT4 for n in dq)
        assert all(a.i == 32 for n in dq for a in n.attribute if a.name == "block_size")
        q4 = onnx.load(str(tiny_export / m["variants"]["q4"][name]))
        assert len(dq) == sum(n.op_type == "MatMulNBits" for n in q4.graph.node)


def test_q4dq_computes_what_q4_computes(speech, fixture_features):
    """Same blocks, scales and zero points: only the order of float sums differs."""
    feats = fixture_features
    q4, q4dq = OnnxSpeechTranslator(FIXTURE_MODEL, "q4"), OnnxSpeechTranslator(FIXTURE_MODEL, "q4dq")
    for lang in ("de", "zh"):
        la, _, _ = q4.prefill(feats, len(speech), lang)
        lb, _, _ = q4dq.prefill(feats, len(speech), lang)
        assert np.abs(la - lb).max() <= 1e-3 * max(1.0, np.abs(la).max())
        assert q4.generate(feats, len(speech), lang, 16).token_ids == q4dq.generate(feats, len(speech), lang, 16).token_ids


def _folded_q4dq_weights(graph: onnx.ModelProto) -> dict:
    """Each blocked DequantizeLinear's output computed here with numpy (4-bit levels, per-block scale
    and zero point along the input axis), by its output name."""
    inits = {t.name: numpy_helper.to_array(t) for t in graph.graph.initializer}
    weights = {}
    for n in graph.graph.node:
        if n.op_type != "DequantizeLinear":
            continue
        block = next(a.i for a in n.attribute if a.name == "block_size")
        q, scale, zero = (inits[i].astype(np.float32) for i in n.input)
        weights[n.output[0]] = (q - np.repeat(zero, block, axis=0)[: len(q)]) * np.repeat(scale, block, axis=0)[: len(q)]
    return weights


def test_q8_holds_the_4bit_numbers_as_8bit_integers_per_output_channel(tiny_export):
    m = json.loads((tiny_export / "manifest.json").read_text())
    assert m["backend_variants"] == {"wasm": "q8"}
    assert m["variants"]["q8"]["embed_tokens"] == m["variants"]["q4"]["embed_tokens"]
    for name in ("audio_encoder", "decoder_model_merged"):
        q4dq = onnx.load(str(tiny_export / m["variants"]["q4dq"][name]))
        q8 = onnx.load(str(tiny_export / m["variants"]["q8"][name]))
        ops = [n.op_type for n in q8.graph.node]
        assert "MatMulNBits" not in ops and "DequantizeLinear" not in ops
        inits = {t.name: numpy_helper.to_array(t) for t in q8.graph.initializer}
        # No MatMul is left with a stored weight: each became DynamicQuantizeLinear + MatMulInteger.
        assert not [n for n in q8.graph.node if n.op_type == "MatMul" and any(i in inits for i in n.input)]
        integer = [n for n in q8.graph.node if n.op_type == "MatMulInteger"]
        expected = _folded_q4dq_weights(q4dq)
        assert len(integer) == len(expected)
        for n in integer:
            w = n.input[1].removesuffix("_quantized")
            q, scale = inits[n.input[1]], inits[f"{w}_scale"]
            assert q.dtype == np.int8 and scale.shape == (q.shape[1],)  # one scale per output channel
            # Each 4-bit level lands on the channel's 8-bit grid within half a step.
            assert np.all(np.abs(q * scale - expected[w]) <= scale / 2 + 1e-6), w


def test_q8_computes_what_q4dq_computes(tiny_export, speech):
    """Same numbers to within the 8-bit grid, activations quantised per call: close logits."""
    from transformers import WhisperFeatureExtractor

    from compress.audio import extract_features

    feats, _ = extract_features(WhisperFeatureExtractor.from_pretrained(tiny_export), speech)
    q4dq, q8 = OnnxSpeechTranslator(tiny_export, "q4dq"), OnnxSpeechTranslator(tiny_export, "q8")
    for lang in ("de", "zh"):
        la, pa, prompt = q4dq.prefill(feats, len(speech), lang)
        lb, pb, _ = q8.prefill(feats, len(speech), lang)
        assert _cosines(la.reshape(1, -1), lb.reshape(1, -1))[0] >= 0.99
        token = int(np.argmax(la[0, -1]))
        for step in range(4):  # teacher-forced on q4dq's tokens
            la, pa = q4dq.step(token, len(prompt) + step, pa)
            lb, pb = q8.step(token, len(prompt) + step, pb)
            assert _cosines(la[:, -1], lb[:, -1])[0] >= 0.99, f"{lang} step {step}"
            token = int(np.argmax(la[0, -1]))


def test_quant_takes_a_list_of_variants(tiny_checkpoint, tiny_export, tmp_path):
    m = export_model(tiny_checkpoint, tmp_path / "q8", quant="q8", log=lambda *a: None)
    assert list(m["variants"]) == ["q8"] and m["default_variant"] == "q8" and m["backend_variants"] == {"wasm": "q8"}
    # q8 alone writes the same embedding (q4's 4-bit Gather) and graphs as beside q4 and q4dq.
    full = json.loads((tiny_export / "manifest.json").read_text())
    for name, rel in m["variants"]["q8"].items():
        if name != "bytes":
            assert sha256_file(tmp_path / "q8" / rel) == sha256_file(tiny_export / full["variants"]["q8"][name]), name
    m = export_model(tiny_checkpoint, tmp_path / "old", quant="fp32,q4,q4dq", log=lambda *a: None)
    assert list(m["variants"]) == ["fp32", "q4", "q4dq"] and m["backend_variants"] == {"wasm": "q4dq"}
    for bad in ("q4,int8", "q4,,q8", ""):
        with pytest.raises(ToolkitError, match=f"--quant must be one of .* got '{bad}'"):
            export_model(tiny_checkpoint, tmp_path / "bad", quant=bad)
    # q8 last among the defaults: native runtimes take q4, q4dq or fp32 when a folder has one.
    m = export_model(tiny_checkpoint, tmp_path / "fp32-q8", quant="q8,fp32", log=lambda *a: None)
    assert m["default_variant"] == "fp32" and m["backend_variants"] == {"wasm": "q8"}


def test_q4dq_is_refused_for_graphs_over_2gb(monkeypatch):
    from compress.export import quantize

    monkeypatch.setattr(quantize, "QDQ_MAX_BYTES", 1000)
    g = onnx.load(str(FIXTURE_MODEL / "onnx" / "decoder_model_merged.onnx"))
    with pytest.raises(ValueError, match="the q4dq layout is for models under 2 GB per graph .*; use q4"):
        quantize.quantize_q4(g, fmt="qdq")


def _cosines(a, b):
    a, b = a.reshape(-1, a.shape[-1]), b.reshape(-1, b.shape[-1])
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def test_q4_logits_stay_close_to_fp32_on_the_fixture(speech, fixture_features):
    feats = fixture_features
    fp32, q4 = OnnxSpeechTranslator(FIXTURE_MODEL, "fp32"), OnnxSpeechTranslator(FIXTURE_MODEL, "q4")
    for lang in ("de", "zh"):
        lf, pf, prompt = fp32.prefill(feats, len(speech), lang)
        lq, pq, _ = q4.prefill(feats, len(speech), lang)
        # The whole prefill logit tensor, and each logit vector that greedy decoding reads.
        assert _cosines(lf.reshape(1, -1), lq.reshape(1, -1))[0] >= 0.99
        cos = [_cosines(lf[:, -1], lq[:, -1])[0]]
        token = int(np.argmax(lf[0, -1]))
        for step in range(8):  # teacher-forced on the fp32 tokens, so both see the same inputs
            lf, pf = fp32.step(token, len(prompt) + step, pf)
            lq, pq = q4.step(token, len(prompt) + step, pq)
            cos.append(_cosines(lf[:, -1], lq[:, -1])[0])
            token = int(np.argmax(lf[0, -1]))
        assert min(cos) >= 0.99, f"{lang}: min cosine {min(cos):.4f}"


def test_sharded_external_data_gives_the_same_logits(tmp_path, speech):
    from transformers import WhisperFeatureExtractor

    from compress.audio import extract_features
    from compress.tiny import make_tiny

    # A vocabulary padded to 2048 rows (as Qwen2-Audio pads to 156,032) makes the embedding table and
    # lm_head 512 KiB each: more than one 400 kB shard, so they must be split into row chunks.
    ck = make_tiny(tmp_path / "ck", seed=3, model_vocab_size=2048)
    shard = 400_000
    whole = export_model(ck, tmp_path / "whole", quant="both", log=lambda *a: None)
    assert not [f for f in whole["files"] if "_data" in f["path"]]
    out = tmp_path / "sharded"
    m = export_model(ck, out, quant="both", max_shard_bytes=shard, log=lambda *a: None)
    shards = [f for f in m["files"] if "_data" in f["path"]]
    assert all(f["bytes"] <= shard for f in shards)
    assert {"onnx/decoder_model_merged.onnx_data", "onnx/decoder_model_merged.onnx_data_1",
            "onnx/audio_encoder.onnx_data_1", "onnx/embed_tokens.onnx_data_1"} <= {f["path"] for f in shards}
    assert m["variants"]["fp32"]["bytes"] > sum(f["bytes"] for f in shards if "_q4" not in f["path"])
    embed = onnx.load(str(out / "onnx" / "embed_tokens.onnx"), load_external_data=False)
    assert sum(n.op_type == "Gather" for n in embed.graph.node) == 2

    fe = WhisperFeatureExtractor.from_pretrained(out)
    feats, _ = extract_features(fe, speech)
    for variant in ("fp32", "q4"):
        a = OnnxSpeechTranslator(tmp_path / "whole", variant).prefill(feats, len(speech), "de")[0]
        b = OnnxSpeechTranslator(out, variant).prefill(feats, len(speech), "de")[0]
        assert a.shape[-1] == 2048
        assert np.abs(a - b).max() <= 1e-5


def test_failed_export_leaves_nothing_behind(tiny_checkpoint, tmp_path, monkeypatch):
    import compress.export.export as export_mod

    def broken(*a, **k):
        raise RuntimeError("quantiser crashed")

    monkeypatch.setattr(export_mod, "quantize_q4", broken)
    with pytest.raises(RuntimeError, match="quantiser crashed"):
        export_model(tiny_checkpoint, tmp_path / "m", log=lambda *a: None)
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_to_overwrite_without_force(tiny_checkpoint, tiny_export):
    before = (tiny_export / "manifest.json").read_text()
    with pytest.raises(ToolkitError, match="already holds files; pass --force"):
        export_model(tiny_checkpoint, tiny_export, log=lambda *a: None)
    assert (tiny_export / "manifest.json").read_text() == before


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_force_replaces_only_an_earlier_export(tiny_checkpoint, tiny_export, tmp_path, capsys):
    """`--out public/models --force` must not delete the sibling models and index.json it holds."""
    models = tmp_path / "models"
    shutil.copytree(tiny_export, models / "a")
    (models / "index.json").write_text('{"models": [{"id": "a"}]}')
    before = _snapshot(models)
    assert cli(["export", "--model", str(tiny_checkpoint), "--out", str(models), "--force", "--quant", "fp32"]) == 2
    err = capsys.readouterr().err
    assert "is not a model export" in err and str(models / "<id>") in err
    assert _snapshot(models) == before

    # An export that also holds a file of the user's is not replaced either.
    (models / "a" / "notes.txt").write_text("mine")
    before = _snapshot(models)
    assert cli(["export", "--model", str(tiny_checkpoint), "--out", str(models / "a"), "--force", "--quant", "fp32"]) == 2
    assert "holds files its manifest does not list (notes.txt)" in capsys.readouterr().err
    assert _snapshot(models) == before

    # An earlier export (every file in its manifest) is what --force replaces.
    (models / "a" / "notes.txt").unlink()
    m = export_model(tiny_checkpoint, models / "a", quant="fp32", force=True, log=lambda *a: None)
    assert sorted(m["variants"]) == ["fp32"] and (models / "index.json").is_file()
    assert sorted(p.name for p in models.iterdir()) == ["a", "index.json"]


def test_clear_errors(tiny_checkpoint, tmp_path, capsys):
    with pytest.raises(ToolkitError, match="model directory not found"):
        export_model(tmp_path / "nope", tmp_path / "o")
    with pytest.raises(ToolkitError, match="--quant must be one of fp32, q4, q4dq, q8, both, web, all or a comma-separated list of fp32, q4, q4dq, q8, got 'int8'"):
        export_model(tiny_checkpoint, tmp_path / "o", quant="int8")

    wrong = tmp_path / "llama"
    shutil.copytree(tiny_checkpoint, wrong)
    cfg = json.loads((wrong / "config.json").read_text())
    cfg["model_type"] = "llama"
    (wrong / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ToolkitError, match="unsupported architecture model_type='llama'"):
        export_model(wrong, tmp_path / "o")

    (wrong / "config.json").write_text(json.dumps({**cfg, "model_type": "qwen2_audio"}))
    (wrong / "preprocessor_config.json").unlink()
    assert cli(["export", "--model", str(wrong), "--out", str(tmp_path / "o")]) == 2
    assert "is missing preprocessor_config.json" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_committed_fixture_is_intact_and_reproduces_its_golden_ids():
    from transformers import WhisperFeatureExtractor

    from compress.audio import extract_features, read_wav

    m = json.loads((FIXTURE_MODEL / "manifest.json").read_text())
    for f in m["files"]:
        assert sha256_file(FIXTURE_MODEL / f["path"]) == f["sha256"], f["path"]
    assert m["total_bytes"] < 5_000_000
    golden = json.loads(GOLDEN.read_text())
    samples = read_wav(FIXTURE_MODEL.parent.parent.parent / golden["wav"])
    feats, _ = extract_features(WhisperFeatureExtractor.from_pretrained(FIXTURE_MODEL), samples)
    for case in golden["cases"]:
        runner = OnnxSpeechTranslator(FIXTURE_MODEL, case["variant"])
        gen = runner.generate(feats, len(samples), case["lang"], max_new_tokens=golden["max_new_tokens"])
        assert gen.prompt_ids == case["prompt_ids"]
        assert gen.token_ids == case["generated_ids"]
        # The golden text is what the app shows: the finished text, after decoding rule 5.
        assert runner.raw_text(gen) == case["raw_text"]
        assert runner.text(gen, case["lang"]) == case["text"]
    assert golden["n_audio_tokens"] == golden["cases"][0]["prompt_ids"].count(m["tokens"]["audio"])


def test_update_metrics_keeps_the_other_systems_of_a_split(tmp_path):
    from compress.export.manifest import update_metrics

    (tmp_path / "manifest.json").write_text(json.dumps({"metrics": {"test": {"torch": {"de": 1}}, "dev": {"torch": {"de": 2}}}}))
    m = update_metrics(tmp_path, {"test": {"onnx-q4dq": {"de": 3}}})
    assert m["metrics"] == {"test": {"torch": {"de": 1}, "onnx-q4dq": {"de": 3}}, "dev": {"torch": {"de": 2}}}
    assert json.loads((tmp_path / "manifest.json").read_text()) == m


def test_tasks_ships_only_the_prompts_asked_for(tiny_checkpoint, tmp_path):
    ck = tmp_path / "ck"
    shutil.copytree(tiny_checkpoint, ck)
    cfg = json.loads((ck / "config.json").read_text())
    (ck / "config.json").write_text(json.dumps({**cfg, "tasks": ["de", "zh", "transcribe"]}))

    full = export_model(ck, tmp_path / "full", quant="fp32", log=lambda *a: None)
    assert sorted(full["prompts"]) == ["de", "transcribe", "zh"]
    shipped = export_model(ck, tmp_path / "shipped", quant="fp32", tasks=["de", "zh"], log=lambda *a: None)
    assert sorted(shipped["prompts"]) == ["de", "zh"]
    assert json.loads((tmp_path / "shipped" / "manifest.json").read_text())["prompts"] == shipped["prompts"]

    with pytest.raises(ToolkitError, match="--tasks fr: .* was trained on de, zh, transcribe only"):
        export_model(ck, tmp_path / "o", quant="fp32", tasks=["de", "fr"], log=lambda *a: None)
    # The app refuses a manifest whose target language has no prompt, so a translation cannot be left out.
    with pytest.raises(ToolkitError, match=r"--tasks must keep every translation target \(de, zh\); zh is missing"):
        export_model(ck, tmp_path / "o", quant="fp32", tasks=["de", "transcribe"], log=lambda *a: None)
    assert not (tmp_path / "o").exists()
