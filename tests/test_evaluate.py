"""`compress eval` records what it measured without destroying what was there: a subset never replaces a
whole split's figures, and a docs row lands in the results table, wherever that table is in the file."""
import json
import shutil

import pytest

from compress.__main__ import main as cli
from compress.evaluate import RESULTS_HEADER

from .conftest import FIXTURE_MODEL
from .fixture_corpus import write_fixture_corpus

# A results file shaped like docs/results.md: the table, then prose and another table after it.
RESULTS_MD = f"""# Results

Intro.

{RESULTS_HEADER}
|---|---|---|---|---|---|---|---|---|---|
| earlier model | onnx-q4 | dev | 2 | 1 | 2 | 3 | 4 | 0 | 0 |

## Later section

A paragraph of prose that a row must never follow.

| system | chrF |
|---|---|
| other | 1 |
"""
FULL_SPLIT = {"de": {"bleu": 1.0, "chrf": 2.0}, "zh": {"bleu": 3.0, "chrf": 4.0}}


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "data").mkdir()
    corpus, speech = write_fixture_corpus(tmp_path / "data")  # 2 dev clips
    model = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, model)
    manifest = json.loads((model / "manifest.json").read_text())
    manifest["metrics"] = {"dev": {"onnx-q4": FULL_SPLIT}}
    (model / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    md = tmp_path / "results.md"
    md.write_text(RESULTS_MD)
    args = ["eval", "--onnx", str(model), "--variants", "q4", "--corpus", str(corpus), "--speech", str(speech),
            "--split", "dev", "--results-md", str(md), "--label", "new"]
    return model, md, args


def test_a_subset_changes_neither_the_manifest_nor_the_docs(setup, capsys):
    model, md, args = setup
    before = (model / "manifest.json").read_text()
    assert cli([*args, "--limit", "1"]) == 0
    assert "the first 1 of 2 dev clips: not recorded" in capsys.readouterr().out
    assert (model / "manifest.json").read_text() == before
    assert md.read_text() == RESULTS_MD


def test_a_subset_recorded_on_request_stays_apart_from_the_whole_split(setup):
    model, md, args = setup
    assert cli([*args, "--limit", "1", "--record"]) == 0
    metrics = json.loads((model / "manifest.json").read_text())["metrics"]
    assert metrics["dev"] == {"onnx-q4": FULL_SPLIT}
    assert metrics["dev[:1]"]["onnx-q4"]["de"]["n"] == 1
    lines = md.read_text().splitlines()
    assert lines[lines.index(RESULTS_HEADER) + 3].startswith("| new | onnx-q4 | dev[:1] | 1 |")


def test_a_whole_split_row_goes_into_the_results_table(setup):
    model, md, args = setup
    assert cli(args) == 0
    metrics = json.loads((model / "manifest.json").read_text())["metrics"]
    assert metrics["dev"]["onnx-q4"]["de"]["n"] == 2 and metrics["dev"]["onnx-q4"] != FULL_SPLIT
    expected = RESULTS_MD.replace("| earlier model | onnx-q4 | dev | 2 | 1 | 2 | 3 | 4 | 0 | 0 |\n",
                                  "| earlier model | onnx-q4 | dev | 2 | 1 | 2 | 3 | 4 | 0 | 0 |\n"
                                  "| new | onnx-q4 | dev | 2 | 100.0 | 100.0 | 100.0 | 100.0 | 0 | 0 |\n")
    assert md.read_text() == expected


def test_no_record_leaves_a_whole_split_unrecorded(setup):
    model, md, args = setup
    before = (model / "manifest.json").read_text()
    assert cli([*args, "--no-record"]) == 0
    assert (model / "manifest.json").read_text() == before and md.read_text() == RESULTS_MD


def test_a_file_without_the_table_gets_one_at_its_end(setup):
    model, md, args = setup
    md.write_text("# Notes\n\nprose without a newline at the end")
    assert cli(args) == 0
    assert md.read_text().endswith(f"at the end\n\n{RESULTS_HEADER}\n|---|---|---|---|---|---|---|---|---|---|\n"
                                   "| new | onnx-q4 | dev | 2 | 100.0 | 100.0 | 100.0 | 100.0 | 0 | 0 |\n")
