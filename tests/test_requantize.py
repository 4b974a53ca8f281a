"""`compress requantize`: the q8 variant added to an exported folder, every other file left as it was."""
import json
import shutil

import pytest

from compress.__main__ import main as cli
from compress.export.manifest import sha256_file
from compress.export.requantize import add_q8
from compress.runtime import OnnxSpeechTranslator

from .conftest import FIXTURE_MODEL


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "tiny-random"
    shutil.copytree(FIXTURE_MODEL, out)
    return out


def test_adds_q8_and_keeps_every_other_file(folder, speech, fixture_features, capsys):
    before = json.loads((folder / "manifest.json").read_text())
    assert "q8" not in before["variants"] and before["backend_variants"] == {"wasm": "q4dq"}
    assert cli(["requantize", "--model", str(folder)]) == 0
    after = json.loads((folder / "manifest.json").read_text())
    assert after["backend_variants"] == {"wasm": "q8"}
    q8 = after["variants"]["q8"]
    assert q8 == {"audio_encoder": "onnx/audio_encoder_q8.onnx", "embed_tokens": before["variants"]["q4dq"]["embed_tokens"],
                  "decoder_model_merged": "onnx/decoder_model_merged_q8.onnx", "bytes": q8["bytes"]}
    assert q8["bytes"] == sum((folder / q8[g]).stat().st_size for g in ("audio_encoder", "embed_tokens", "decoder_model_merged"))
    # Every file of before is still there, byte for byte; the new ones are listed with their hashes.
    files = {f["path"]: f for f in after["files"]}
    for f in before["files"]:
        assert files[f["path"]] == f and sha256_file(folder / f["path"]) == f["sha256"]
    assert sorted(set(files) - {f["path"] for f in before["files"]}) == ["onnx/audio_encoder_q8.onnx", "onnx/decoder_model_merged_q8.onnx"]
    for path in ("onnx/audio_encoder_q8.onnx", "onnx/decoder_model_merged_q8.onnx"):
        assert sha256_file(folder / path) == files[path]["sha256"]
    assert after["version"] != before["version"] and after["metrics"] == before["metrics"]
    assert set(after["quantization"]["layouts"]) == {"q4", "q4dq", "q8"}
    assert after["quantization"]["block_size"] == before["quantization"]["block_size"]
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny-random"]  # no temporary folder left
    # It runs, and decodes what q4dq decodes on the fixture clip.
    q4dq, q8 = OnnxSpeechTranslator(folder, "q4dq"), OnnxSpeechTranslator(folder, "q8")
    for lang in ("de", "zh"):
        a, b = q4dq.generate(fixture_features, len(speech), lang, 16), q8.generate(fixture_features, len(speech), lang, 16)
        assert a.token_ids and b.token_ids == a.token_ids
    assert "backend variants {'wasm': 'q8'}" in capsys.readouterr().out


def test_it_writes_what_an_export_with_q8_writes(tiny_checkpoint, tiny_export, tmp_path):
    from compress.export.export import export_model

    export_model(tiny_checkpoint, tmp_path / "old", quant="fp32,q4,q4dq", log=lambda *a: None)
    after = add_q8(tmp_path / "old", log=lambda *a: None)
    exported = json.loads((tiny_export / "manifest.json").read_text())  # --quant all: q8 beside the others
    for name in ("audio_encoder", "embed_tokens", "decoder_model_merged"):
        assert sha256_file(tmp_path / "old" / after["variants"]["q8"][name]) == sha256_file(tiny_export / exported["variants"]["q8"][name])


def test_refusals_leave_the_folder_as_it_was(folder, tmp_path, capsys, monkeypatch):
    manifest = (folder / "manifest.json").read_text()
    assert cli(["requantize", "--model", str(tmp_path / "nowhere")]) == 2
    assert "is not an exported model folder (no manifest.json)" in capsys.readouterr().err

    (folder / "manifest.json").write_text("{")
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "manifest.json is not a model manifest from `compress export`" in capsys.readouterr().err
    (folder / "manifest.json").write_text(manifest)

    # A file the manifest does not list, or one changed since it was written, is never approved.
    (folder / "notes.txt").write_text("mine")
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "holds files its manifest does not list (notes.txt); move them out first" in capsys.readouterr().err
    (folder / "notes.txt").unlink()
    tokenizer = (folder / "tokenizer.json").read_bytes()
    (folder / "tokenizer.json").write_bytes(tokenizer + b" ")
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "tokenizer.json changed since the manifest was written" in capsys.readouterr().err
    (folder / "tokenizer.json").write_bytes(tokenizer)

    no_q4dq = json.loads(manifest)
    del no_q4dq["variants"]["q4dq"]
    (folder / "manifest.json").write_text(json.dumps(no_q4dq))
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "has no q4dq variant to make q8 from (it has fp32, q4); export it again with --quant web" in capsys.readouterr().err
    (folder / "manifest.json").write_text(manifest)

    # A failure part-way (here: the decoder's graph) leaves the folder exactly as it was.
    from compress.export import requantize

    real = requantize.requantize_int8
    calls = []

    def fail_second(graph):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(graph)

    monkeypatch.setattr(requantize, "requantize_int8", fail_second)
    listing = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "requantize to" in capsys.readouterr().err and len(calls) == 2
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == listing
    assert (folder / "manifest.json").read_text() == manifest
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny-random"]  # the temporary copy is gone
    monkeypatch.undo()

    assert cli(["requantize", "--model", str(folder)]) == 0
    capsys.readouterr()
    assert cli(["requantize", "--model", str(folder)]) == 2
    assert "already has a q8 variant" in capsys.readouterr().err
