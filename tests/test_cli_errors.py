"""Bad input and a failing disk end every toolkit command the same way: one line on stderr naming the
problem, exit code 2, no traceback, and nothing the user had is lost."""
import errno
import json
import os
import shutil

import pytest

from compress.__main__ import main as cli

from .conftest import FIXTURE_MODEL
from .fixture_corpus import write_fixture_corpus


def refused(argv, capsys, *expected) -> str:
    """Runs the command; asserts exit code 2 and a one-line message that contains every `expected` string."""
    assert cli([str(a) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def test_export_to_an_unwritable_place(tiny_checkpoint, capsys):
    refused(["export", "--model", tiny_checkpoint, "--out", "/proc/compress-export"], capsys, "/proc")


def test_export_onto_a_full_disk_leaves_the_old_export_and_no_scraps(tiny_checkpoint, tmp_path, monkeypatch, capsys):
    import compress.export.export as export_mod

    out = tmp_path / "m"
    assert cli(["export", "--model", str(tiny_checkpoint), "--out", str(out), "--quant", "fp32"]) == 0
    before = (out / "manifest.json").read_text()

    def full_disk(model, path, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(export_mod, "save_sharded", full_disk)
    refused(["export", "--model", tiny_checkpoint, "--out", out, "--quant", "fp32", "--force"], capsys,
            "No space left on device")
    assert (out / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # no temporary folder left behind


def test_a_checkpoint_with_no_decoder_layers(tiny_checkpoint, tmp_path, capsys):
    empty = tmp_path / "zero"
    shutil.copytree(tiny_checkpoint, empty)
    config = json.loads((empty / "config.json").read_text())
    config["text_config"]["num_hidden_layers"] = 0
    (empty / "config.json").write_text(json.dumps(config))
    refused(["export", "--model", empty, "--out", tmp_path / "o"], capsys, "0 decoder layers")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("argv,expected", [
    (["--vocab-size", "5"], "--vocab-size must be at least 262"),
    (["--layers", "0"], "--layers must be at least 1"),
])
def test_tiny_refuses_a_model_it_cannot_build(argv, expected, tmp_path, capsys):
    refused(["tiny", "--out", tmp_path / "t", *argv], capsys, expected)
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("argv,expected", [
    (["--block-size", "0"], "--block-size must be a power of two ≥ 16, got 0"),
    (["--block-size", "48"], "--block-size must be a power of two ≥ 16, got 48"),
    (["--layers", "0"], "--layers must be at least 1, got 0"),
    (["--layers", "24", "-3"], "--layers must be at least 1, got -3"),
    (["--config", "missing.json"], "config not found: missing.json"),
])
def test_sizes_refuses_bad_arguments(argv, expected, capsys):
    refused(["sizes", *argv], capsys, expected)


def test_sizes_config_must_be_a_qwen2_audio_config(tmp_path, capsys):
    (tmp_path / "bad.json").write_text("{not json")
    refused(["sizes", "--config", tmp_path / "bad.json"], capsys, "is not valid JSON")
    (tmp_path / "llama.json").write_text(json.dumps({"model_type": "llama", "hidden_size": 4096}))
    refused(["sizes", "--config", tmp_path / "llama.json"], capsys, "is not a Qwen2-Audio config")


def test_sizes_reads_a_model_folders_config(capsys):
    assert cli(["sizes", "--config", str(FIXTURE_MODEL), "--layers", "2"]) == 0
    assert "| 2 |" in capsys.readouterr().out


@pytest.fixture
def data(tmp_path):
    (tmp_path / "data").mkdir()
    return write_fixture_corpus(tmp_path / "data")


def test_eval_with_missing_data_or_models(data, tmp_path, capsys):
    corpus, speech = data
    model = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, model)
    before = (model / "manifest.json").read_text()
    md = tmp_path / "results.md"
    common = ["--split", "dev", "--results-md", md]
    refused(["eval", "--onnx", model, "--corpus", tmp_path / "nope", "--speech", speech, *common], capsys,
            "missing", "dev.jsonl")
    refused(["eval", "--onnx", model, "--corpus", corpus, "--speech", tmp_path / "nope", *common], capsys,
            "missing", "manifest.jsonl")
    refused(["eval", "--onnx", tmp_path / "no-model", "--corpus", corpus, "--speech", speech, *common], capsys,
            "no manifest.json")
    refused(["eval", "--model", tmp_path / "no-model", "--corpus", corpus, "--speech", speech, *common], capsys,
            "model directory not found")
    refused(["eval", "--onnx", model, "--variants", "int8", "--corpus", corpus, "--speech", speech, *common], capsys,
            "no int8 variant")
    refused(["eval", "--onnx", model, "--limit", "0", "--corpus", corpus, "--speech", speech, *common], capsys,
            "--limit must be at least 1, got 0")
    (speech / "clips" / "dev-s1.wav").unlink()
    refused(["eval", "--onnx", model, "--corpus", corpus, "--speech", speech, *common], capsys, "dev-s1.wav")
    assert (model / "manifest.json").read_text() == before and not md.exists()


@pytest.mark.parametrize("argv,flag,value", [
    (["--layers", "0"], "--layers", "0"),
    (["--layers", "9"], "--layers", "9"),
    (["--layers", "2", "--save-depths", "3", "1"], "--save-depths", "1"),
])
def test_prune_refuses_depths_the_model_does_not_have(tiny_checkpoint, argv, flag, value, tmp_path, capsys):
    # the data folders do not exist either: the depth is checked first, before anything is loaded
    refused(["prune", "--model", tiny_checkpoint, "--out", tmp_path / "p", "--corpus", tmp_path / "c",
             "--speech", tmp_path / "s", *argv], capsys, f"{flag} must be between 2 and 3 for a 4-layer decoder", f"got {value}")
    assert not (tmp_path / "p").exists()


def test_distil_word_level_kd_needs_the_teacher(tiny_checkpoint, tmp_path, capsys):
    refused(["distil", "--student", tiny_checkpoint, "--out", tmp_path / "d", "--kl-weight", "0.5"], capsys,
            "--kl-weight needs --teacher")
