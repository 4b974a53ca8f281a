"""The compression recipe on a tiny checkpoint: pruning, the simulated 4-bit base, and the whole
compress-student chain (prune to half, distil 2 steps, QLoRA, export, load in onnxruntime, eval)."""
import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

from compress.qlora import fake_quantize_q4
from compress.quantize import quantize_q4

from .conftest import write_fixture_corpus

@pytest.mark.parametrize("k,n", [(64, 48), (100, 40), (256, 96)])
def test_fake_quantized_weight_is_what_matmulnbits_computes_with(k, n):
    """The QLoRA base is the export's 4-bit weight: x @ W_fq.T equals onnxruntime's MatMulNBits output."""
    w = torch.nn.Linear(k, n, bias=False).weight.detach()
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, n])],
        [numpy_helper.from_array(w.T.contiguous().numpy(), "w")],
    )
    q4 = quantize_q4(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))
    assert [node.op_type for node in q4.graph.node] == ["MatMulNBits"]
    x = np.random.RandomState(0).randn(3, k).astype(np.float32)
    y = ort.InferenceSession(q4.SerializeToString()).run(None, {"x": x})[0]
    fq = fake_quantize_q4(w)
    np.testing.assert_allclose(y, x @ fq.T.numpy(), atol=2e-6)
    assert 0 < (w - fq).abs().max() < 0.05  # it is quantised, and only by a 4-bit step


def test_pruned_checkpoint_matches_layer_removal_in_memory(tiny_checkpoint, tmp_path):
    from compress.checkpoint import load_checkpoint
    from compress.prune import decoder_layers, keep_layers, save_pruned, without_layer

    model, _, _ = load_checkpoint(tiny_checkpoint)
    ids = torch.tensor([[1, 5, 9, 30, 2]])
    full = model.language_model(input_ids=ids).logits
    with without_layer(model, 2):
        skipped = model.language_model(input_ids=ids).logits
    assert torch.equal(model.language_model(input_ids=ids).logits, full)  # restored exactly
    assert not torch.allclose(skipped, full)

    path = save_pruned(tiny_checkpoint, [2], tmp_path / "pruned")
    pruned, _, _ = load_checkpoint(path)
    assert len(decoder_layers(pruned)) == 3 and pruned.config.text_config.num_hidden_layers == 3
    torch.testing.assert_close(pruned.language_model(input_ids=ids).logits, skipped, atol=1e-6, rtol=0)
    # the KV cache is indexed by each layer's position in the pruned stack
    assert [layer.self_attn.layer_idx for layer in decoder_layers(pruned)] == [0, 1, 2]
    with pytest.raises(ValueError, match="distinct indices"):
        keep_layers(pruned, [0, 0])


@pytest.fixture
def three_splits(tmp_path):
    return write_fixture_corpus(tmp_path, ("train", "dev", "test"))


def test_compress_student_end_to_end_on_tiny(tiny_checkpoint, three_splits, tmp_path):
    from compress.runtime import OnnxSpeechTranslator
    from compress.student import compress_student

    corpus, speech = three_splits
    out = tmp_path / "student"
    summary = compress_student(tiny_checkpoint, corpus, speech, out, max_steps=2, speed_clips=2, device="cpu",
                               log=lambda *a: None)
    table = json.loads((out / "prune" / "importance.json").read_text())
    # 4 layers → 2: two iterations; the first and the last layer are never candidates
    assert len(table["iterations"]) == 2 and set(table["iterations"][0]["scores"]) == {"1", "2"}
    assert set(table["order"]) <= {1, 2} and (out / "prune" / "importance.png").is_file()
    assert summary["layers"] == 2

    manifest = json.loads((out / "onnx" / "manifest.json").read_text())
    assert manifest["decoder"]["num_layers"] == 2
    runner = OnnxSpeechTranslator(out / "onnx", "q4")
    assert runner.num_layers == 2
    decoder = onnx.load(out / "onnx" / "onnx" / "decoder_model_merged_q4.onnx", load_external_data=False)
    assert sum(n.op_type == "MatMulNBits" for n in decoder.graph.node) == 2 * 7 + 1

    rows = {r["label"]: r for r in summary["rows"]}
    assert rows["teacher"]["decoder_layers"] == 4 and rows["pruned + KD + QLoRA"]["decoder_layers"] == 2
    assert rows["pruned + KD"]["params"] < rows["teacher"]["params"]
    shipped = summary["shipped"]
    assert shipped in ("qlora", "distil")
    assert rows[f"student ({shipped}), ONNX q4 (shipped)"]["speed"]["decode_tokens_per_s"] > 0
    assert {"baseline: middle layers removed + KD", "baseline: last layers removed + KD"} <= set(rows)
    assert (out / "results.md").read_text().count("\n") == len(rows) + 2

    # resumable: a second run redoes nothing and gives the same table
    again = compress_student(tiny_checkpoint, corpus, speech, out, max_steps=2, speed_clips=2, device="cpu", log=lambda *a: None)
    assert [r["de"] for r in again["rows"]] == [r["de"] for r in summary["rows"]]
