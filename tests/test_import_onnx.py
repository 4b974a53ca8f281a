"""import-onnx: an exported folder back to a transformers checkpoint that computes what its graphs compute."""
import json
import shutil

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from compress.__main__ import main as cli
from compress.checkpoint import load_checkpoint
from compress.errors import ToolkitError
from compress.export.export import export_model
from compress.import_onnx import import_onnx
from compress.reference import onnx_logit_gap, reference_generate, reference_inputs
from compress.runtime import OnnxSpeechTranslator

from .conftest import FIXTURE_MODEL

quiet = dict(log=lambda *a: None)


@pytest.fixture(scope="module")
def imported_fixture(tmp_path_factory):
    """The committed fixture model, imported from its q4dq graphs."""
    return import_onnx(FIXTURE_MODEL, tmp_path_factory.mktemp("imported") / "tiny", **quiet)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """A checkpoint and its export with the embedding table and lm_head over one shard (row chunks,
    external data), as a 7B export stores them."""
    from compress.tiny import make_tiny

    root = tmp_path_factory.mktemp("sharded")
    ck = make_tiny(root / "ck", seed=3, model_vocab_size=2048)
    export_model(ck, root / "model", quant="all", max_shard_bytes=400_000, **quiet)
    return ck, root / "model"


def test_imported_fixture_computes_the_q4dq_logits(imported_fixture, speech):
    lang = "zh"
    reference = load_checkpoint(imported_fixture)
    q4dq = OnnxSpeechTranslator(FIXTURE_MODEL, "q4dq")
    gap = onnx_logit_gap(reference, q4dq, speech, lang, steps=4)
    assert gap["max_abs_diff"] <= 1e-4 and gap["max_abs_logit"] > 1
    assert gap["torch_ids"] == gap["onnx_ids"]

    # Free-running greedy decoding: transformers' generate() against the ONNX generation loop.
    model, tokenizer, fe = reference
    expected = reference_generate(model, reference_inputs(model, tokenizer, fe, speech, lang), max_new_tokens=16)
    feats = reference_inputs(model, tokenizer, fe, speech, lang)["input_features"].numpy()
    got = q4dq.generate(feats, len(speech), lang, max_new_tokens=16, constrained=False)
    assert got.token_ids == [t for t in expected if t not in set(q4dq.tokens["eos"])] and got.token_ids

    # The comparison sees a wrong weight: one lm_head row off by 10% moves the logits far past the bound.
    with torch.no_grad():
        model.language_model.lm_head.weight[got.token_ids[0]] *= 1.1
    assert onnx_logit_gap(reference, q4dq, speech, lang, steps=0)["max_abs_diff"] > 1e-2


def test_reexported_import_is_bit_identical_to_the_q4dq_graphs(imported_fixture, tmp_path, speech, fixture_features):
    """The weights are exactly the export's dequantised ones: the import exported again as fp32 gives
    the q4dq graphs' logits to the last bit (onnxruntime folds DequantizeLinear to the same fp32)."""
    export_model(imported_fixture, tmp_path / "again", quant="fp32", **quiet)
    again, q4dq = OnnxSpeechTranslator(tmp_path / "again", "fp32"), OnnxSpeechTranslator(FIXTURE_MODEL, "q4dq")
    a, b = again.prefill(fixture_features, len(speech), "de"), q4dq.prefill(fixture_features, len(speech), "de")
    assert np.array_equal(a[0], b[0])
    token = int(np.argmax(b[0][0, -1]))
    assert np.array_equal(again.step(token, len(b[2]), a[1])[0], q4dq.step(token, len(b[2]), b[1])[0])


def test_import_writes_a_checkpoint_training_starts_from(imported_fixture, tmp_path):
    for name in ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "preprocessor_config.json", "imported_from.json"):
        assert (imported_fixture / name).is_file(), name
    source = json.loads((imported_fixture / "imported_from.json").read_text())
    assert source["variant"] == "q4dq" and source["graphs"]["decoder_model_merged"]["path"] == "onnx/decoder_model_merged_q4dq.onnx"
    assert json.loads((imported_fixture / "generation_config.json").read_text())["eos_token_id"] == \
        json.loads((FIXTURE_MODEL / "generation_config.json").read_text())["eos_token_id"]

    # Warm start the way distil/qlora/qat do (train(make_model=load_checkpoint)): the fixture model
    # was fitted to these clips, so its first loss is already low where a fresh model's is ~6.
    from compress.distil import distil

    from .fixture_corpus import write_fixture_corpus

    corpus, speech = write_fixture_corpus(tmp_path)
    final = distil(imported_fixture, corpus, speech, tmp_path / "run", max_steps=2, log_every=1, eval_every=100,
                   dev_clips=2, lr=1e-5, **quiet)
    losses = [json.loads(l)["loss"] for l in open(tmp_path / "run" / "log.jsonl") if '"loss"' in l]
    assert len(losses) == 2 and losses[0] < 1.0
    assert load_checkpoint(final)[0].config.text_config.num_hidden_layers == 4


def test_fp32_import_restores_every_tensor_exactly(sharded, tmp_path):
    ck, model_dir = sharded
    assert any(n.startswith("chunks.1") for n in (t.name for t in onnx.load(str(model_dir / "onnx/embed_tokens.onnx")).graph.initializer))
    out = import_onnx(model_dir, tmp_path / "fp32", variant="fp32", **quiet)
    original, imported = load_checkpoint(ck)[0].state_dict(), load_checkpoint(out)[0].state_dict()
    assert original.keys() == imported.keys()
    for name in original:
        assert torch.equal(original[name], imported[name]), name


def test_q4dq_import_holds_the_4bit_rounding_of_every_matrix(sharded, tmp_path):
    ck, model_dir = sharded
    out = import_onnx(model_dir, tmp_path / "q4dq", **quiet)
    original, imported = load_checkpoint(ck)[0].state_dict(), load_checkpoint(out)[0].state_dict()
    for name, w in original.items():
        got = imported[name]
        if name == "audio_tower.embed_positions.weight":  # stored fp16
            assert torch.equal(got, w.half().float()), name
        elif w.dim() == 2:  # 4-bit blocks of 32, zero in range: off by at most half a step of the whole range
            step = (max(w.max(), 0) - min(w.min(), 0)) / 15
            err = (got - w).abs().max()
            assert 0 < err <= step / 2 * 1.001, name
        else:  # norms, biases, convolutions (under the fp16 size threshold here)
            assert torch.equal(got, w), name


def test_clear_errors(tmp_path, capsys):
    with pytest.raises(ToolkitError, match="model folder not found"):
        import_onnx(tmp_path / "nope", tmp_path / "out", **quiet)
    with pytest.raises(ToolkitError, match="--variant must be one of q4dq, fp32 .*same 4-bit numbers"):
        import_onnx(FIXTURE_MODEL, tmp_path / "out", variant="q4", **quiet)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    assert cli(["import-onnx", "--model", str(FIXTURE_MODEL), "--out", str(tmp_path / "full")]) == 2
    assert "already holds files; pass --force" in capsys.readouterr().err
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


def _copy_fixture(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, folder)
    return folder


def test_an_initializer_no_parameter_holds_is_named(tmp_path):
    folder = _copy_fixture(tmp_path)
    path = folder / "onnx" / "decoder_model_merged_q4dq.onnx"
    g = onnx.load(str(path))
    g.graph.initializer.append(numpy_helper.from_array(np.ones((8, 8), np.float32), "stray_weight"))
    onnx.save(g, str(path))
    with pytest.raises(ToolkitError, match="decoder_model_merged_q4dq.onnx: initializers left unused .*: stray_weight$"):
        import_onnx(folder, tmp_path / "out", **quiet)
    assert not (tmp_path / "out").exists()


def test_a_config_that_does_not_describe_the_graphs_is_refused(tmp_path):
    folder = _copy_fixture(tmp_path)
    config = json.loads((folder / "config.json").read_text())
    config["text_config"]["num_hidden_layers"] = 5
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ToolkitError, match="has language_model.model.layers.4.* there .*config.json does not describe these graphs"):
        import_onnx(folder, tmp_path / "out", **quiet)


def test_a_parameter_no_graph_holds_is_named(tmp_path, monkeypatch):
    from compress import import_onnx as module

    monkeypatch.setattr(module, "GRAPH_NAMES", ("audio_encoder", "decoder_model_merged"))  # the table's graph unread
    with pytest.raises(ToolkitError, match=r"parameters left unfilled by its graphs: language_model.model.embed_tokens.weight$"):
        import_onnx(FIXTURE_MODEL, tmp_path / "out", **quiet)
