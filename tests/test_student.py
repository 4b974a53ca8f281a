"""The compression recipe on a tiny checkpoint: pruning, the simulated 4-bit base, and the whole
compress-student chain (prune to half, distil 2 steps, QLoRA, export, load in onnxruntime, eval)."""
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

from compress.export.quantize import quantize_q4
from compress.qlora import fake_quantize_q4

from .fixture_corpus import write_fixture_corpus

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
    from compress.student import BASE_LABELS, compress_student, last_dev_score

    corpus, speech = three_splits
    out = tmp_path / "student"
    # the GPU half first (training and PyTorch scoring, no exports), then the rest resumes from it
    assert compress_student(tiny_checkpoint, corpus, speech, out, max_steps=2, speed_clips=2, device="cpu",
                            stop_after="eval-torch", log=lambda *a: None) is None
    assert not (out / "onnx").exists() and not (out / "teacher-onnx").exists()
    torch_rows = sorted(p.name for p in (out / "eval").iterdir())
    # teacher, pruned to 3 and 2 layers (25% and 50%/75% of 4), no-KD, KD, QLoRA, two baselines
    assert len(torch_rows) == 8 and not any("ONNX" in name for name in torch_rows)
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
    # QLoRA continued the fine-tune that scored higher on dev (KD wins a tie), and says so
    base = summary["qlora_base"]
    dev = {s: last_dev_score(out / s / "log.jsonl") for s in ("distil", "no-kd")}
    assert base == ("distil" if dev["distil"] >= dev["no-kd"] else "no-kd")
    assert (out / "qlora" / "base").read_text().strip() == base
    assert rows["teacher"]["decoder_layers"] == 4 and rows[f"{BASE_LABELS[base]} + QLoRA"]["decoder_layers"] == 2
    assert rows["pruned + KD"]["params"] < rows["teacher"]["params"]
    shipped = summary["shipped"]
    assert shipped in ("qlora", base)
    assert rows[f"student ({shipped}), ONNX q4 (shipped)"]["speed"]["decode_tokens_per_s"] > 0
    assert {"baseline: middle layers removed + KD", "baseline: last layers removed + KD"} <= set(rows)
    assert (out / "results.md").read_text().count("\n") == len(rows) + 2

    # resumable: a second run redoes nothing and gives the same table
    again = compress_student(tiny_checkpoint, corpus, speech, out, max_steps=2, speed_clips=2, device="cpu", log=lambda *a: None)
    assert [r["de"] for r in again["rows"]] == [r["de"] for r in summary["rows"]]


def test_gpu_pack_round_trip(tiny_checkpoint, three_splits, tmp_path):
    """scripts/gpu/pack.py: what a GPU machine sends back (fp16, students without the shared encoder)
    unpacks into checkpoints that load, with the teacher's encoder and the student's own decoder."""
    import importlib.util

    import torch

    from compress.checkpoint import load_checkpoint
    from compress.student import compress_student

    spec = importlib.util.spec_from_file_location("pack", Path(__file__).parent.parent / "scripts/gpu/pack.py")
    pack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pack)
    corpus, speech = three_splits
    out = tmp_path / "gpu" / "student"
    compress_student(tiny_checkpoint, corpus, speech, out, max_steps=2, device="cpu", stop_after="eval-torch",
                     log=lambda *a: None)
    teacher_run = tmp_path / "gpu" / "teacher"
    (teacher_run / "final").mkdir(parents=True)
    for f in filter(Path.is_file, Path(tiny_checkpoint).iterdir()):
        (teacher_run / "final" / f.name).write_bytes(f.read_bytes())
    pack.pack_teacher(teacher_run, tmp_path / "pack" / "teacher")
    pack.pack_student(out, tmp_path / "pack" / "student")
    assert (tmp_path / "pack/student/baseline-last/final/WEIGHTS_LEFT_ON_GPU_MACHINE").is_file()

    here = tmp_path / "here"
    pack.unpack(tmp_path / "pack", here / "teacher", here / "student")
    teacher, _, _ = load_checkpoint(here / "teacher" / "final")
    qlora, _, _ = load_checkpoint(here / "student" / "qlora" / "final")
    trained, _, _ = load_checkpoint(out / "qlora" / "final")
    for name, w in qlora.state_dict().items():  # QLoRA's own encoder (adapters merged), not the teacher's
        assert torch.equal(w, trained.state_dict()[name].half().float()), name
    distilled, _, _ = load_checkpoint(here / "student" / "distil" / "final")
    assert all(torch.equal(w, teacher.state_dict()[k]) for k, w in distilled.state_dict().items() if k.startswith("audio_tower."))
    assert len(list((here / "student" / "eval").iterdir())) == 8 and (here / "student" / "kd" / "done").is_file()


def test_qat_leaves_every_exported_weight_on_the_4bit_grid(tiny_checkpoint, three_splits, tmp_path):
    """compress qat: the saved linear weights are their own 4-bit round trip (so the q4 export stores
    exactly them), and training moved them (gradients passed the rounding)."""
    from compress.checkpoint import load_checkpoint
    from compress.qat import qat
    from compress.qlora import fake_quantize_q4

    corpus, speech = three_splits
    final = qat(tiny_checkpoint, corpus, speech, tmp_path / "qat", max_steps=3, lr=1e-2, warmup=1, device="cpu",
                log=lambda *a: None)
    before, _, _ = load_checkpoint(tiny_checkpoint)
    after, _, _ = load_checkpoint(final)
    linears = {n: m.weight for n, m in after.named_modules() if isinstance(m, torch.nn.Linear)}
    assert linears and all(torch.allclose(fake_quantize_q4(w), w, atol=1e-6) for w in linears.values())
    start = dict(before.named_modules())
    moved = [n for n, w in linears.items() if not torch.equal(w, fake_quantize_q4(start[n].weight))]
    assert any(n.startswith("language_model.") for n in moved)
    assert not any(n.startswith("audio_tower.") for n in moved)  # frozen by default


def test_without_kd_qlora_continues_the_references_only_student(tmp_path):
    """--no-kd (the sampled-epoch corpus): no KD fine-tune exists to compare, so QLoRA starts from
    the references-only student and says so in its marker; with KD the choice is made on dev."""
    from compress.student import qlora_start

    assert qlora_start(tmp_path / "a", log=lambda *a: None, kd=False) == "no-kd"
    for stage, chrf in (("distil", 80.0), ("no-kd", 82.0)):
        (tmp_path / "b" / stage).mkdir(parents=True)
        (tmp_path / "b" / stage / "log.jsonl").write_text(json.dumps({"dev": {"de": {"chrf": chrf}, "zh": {"chrf": chrf}}}) + "\n")
    assert qlora_start(tmp_path / "b", log=lambda *a: None) == "no-kd"
    assert (tmp_path / "b" / "qlora" / "base").read_text().strip() == "no-kd"
