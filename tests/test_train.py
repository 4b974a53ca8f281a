"""train-teacher end to end on a two-clip corpus: loss falls, checkpoints resume, the result exports."""
import json
import shutil

import pytest

from compress.errors import ToolkitError
from compress.train import _batches, epoch_set, train_teacher

from .fixture_corpus import write_fixture_corpus

@pytest.fixture
def mini_data(tmp_path):
    return write_fixture_corpus(tmp_path)


def test_train_resume_and_export(mini_data, tmp_path):
    corpus, speech = mini_data
    out = tmp_path / "run"
    kw = dict(preset="tiny", vocab_size=300, batch_tokens=1024, lr=3e-3, warmup=5, eval_every=20, log_every=5, log=lambda *a: None)
    train_teacher(corpus, speech, out, max_steps=20, **kw)
    log = [json.loads(l) for l in open(out / "log.jsonl")]
    first_loss = log[0]["loss"]
    assert (out / "checkpoint" / "trainer.pt").is_file() and (out / "curves.png").is_file()
    assert any("dev" in r for r in log)

    # Resume: a second call with a larger budget continues from step 20, not from scratch.
    import torch

    saved = torch.load(out / "checkpoint" / "trainer.pt", weights_only=False)
    saved["state"]["total_steps"] = 60
    torch.save(saved, out / "checkpoint" / "trainer.pt")
    train_teacher(corpus, speech, out, max_steps=60, **kw)
    log = [json.loads(l) for l in open(out / "log.jsonl")]
    steps = [r["step"] for r in log if "loss" in r]
    assert steps == sorted(steps) and steps[-1] == 60 and steps.count(25) == 1 and steps[0] == 5
    assert log[-2]["loss"] < first_loss / 2

    from compress.export.export import export_model

    m = export_model(out / "final", tmp_path / "exported", quant="q4", log=lambda *a: None)
    assert m["decoder"]["num_layers"] == 4


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(ToolkitError, match="missing .*train.jsonl: run `python -m compress phrasebook`"):
        train_teacher(tmp_path / "nope", tmp_path / "speech", tmp_path / "out")


def test_eval_scores_the_fixture_model_and_records_metrics(mini_data, tmp_path):
    """The committed fixture model was fitted to these two clips, so it must translate them exactly."""
    from compress.evaluate import evaluate

    from .conftest import FIXTURE_MODEL

    corpus, speech = mini_data
    model = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, model)
    md = tmp_path / "results.md"
    res = evaluate(corpus, speech, "dev", onnx_dir=model, results_md=md, label="fixture", out=tmp_path / "r.json",
                   log=lambda *a: None)
    for variant in ("onnx-fp32", "onnx-q4"):
        assert res[variant]["de"]["chrf"] == 100.0 and res[variant]["zh"]["chrf"] == 100.0
        assert res[variant]["de"]["bleu"] == 100.0 and res[variant]["de"]["not_stopped"] == 0
        assert res[variant]["zh"]["per_voice"]["espeak:en-us"]["chrf"] == 100.0
    manifest = json.loads((model / "manifest.json").read_text())
    assert manifest["metrics"]["dev"]["onnx-q4"]["zh"]["chrf"] == 100.0
    assert md.read_text().count("| fixture |") == 2
    assert json.loads((tmp_path / "r.json").read_text())["onnx-fp32"]["clips"] == 2


def test_eval_torch_and_onnx_agree_on_a_trained_model(mini_data, tmp_path):
    from compress.evaluate import evaluate
    from compress.export.export import export_model

    corpus, speech = mini_data
    out = tmp_path / "run"
    train_teacher(corpus, speech, out, preset="tiny", vocab_size=300, max_steps=30, batch_tokens=1024, lr=3e-3,
                  warmup=5, eval_every=30, log=lambda *a: None)
    export_model(out / "final", tmp_path / "exported", quant="fp32", log=lambda *a: None)
    res = evaluate(corpus, speech, "dev", checkpoint=out / "final", onnx_dir=tmp_path / "exported", variants=["fp32"],
                   log=lambda *a: None)
    for lang in ("de", "zh"):
        assert res["torch"][lang]["examples"] == res["onnx-fp32"][lang]["examples"]


def test_whisper_initialised_frozen_encoder(mini_data, tmp_path):
    import torch

    from compress.checkpoint import load_checkpoint
    from compress.whisper_init import encoder_state_dict, fetch, read_ct2

    corpus, speech = mini_data
    out = tmp_path / "run"
    train_teacher(corpus, speech, out, preset="tiny", vocab_size=300, max_steps=6, batch_tokens=1024, warmup=2,
                  eval_every=6, encoder_init="whisper-tiny.en", freeze_encoder=True, log=lambda *a: None)
    model, _, fe = load_checkpoint(out / "final")
    assert fe.feature_size == 80 and model.config.audio_config.d_model == 384
    whisper = encoder_state_dict(read_ct2(fetch("whisper-tiny.en", log=lambda *a: None)))
    tower = model.audio_tower.state_dict()
    assert all(torch.equal(tower[k], v) for k, v in whisper.items())  # frozen: still Whisper's weights


def test_encoder_learning_rate_scale(mini_data, tmp_path):
    """--encoder-lr-scale 0: the encoder trains (gradients flow) at zero learning rate, so only the
    projector and decoder move; the scale reaches the optimiser's parameter groups."""
    import torch

    from compress.checkpoint import load_checkpoint
    from compress.whisper_init import encoder_state_dict, fetch, read_ct2

    corpus, speech = mini_data
    out = tmp_path / "run"
    train_teacher(corpus, speech, out, preset="tiny", vocab_size=300, max_steps=4, batch_tokens=1024, warmup=1,
                  eval_every=4, encoder_init="whisper-tiny.en", encoder_lr_scale=0.0, log=lambda *a: None)
    model, _, _ = load_checkpoint(out / "final")
    whisper = encoder_state_dict(read_ct2(fetch("whisper-tiny.en", log=lambda *a: None)))
    tower = model.audio_tower.state_dict()
    assert all(torch.equal(tower[k], v) for k, v in whisper.items())
    saved = torch.load(out / "checkpoint" / "trainer.pt", weights_only=False)
    assert [g["initial_lr"] for g in saved["optimizer"]["param_groups"]] == [1e-3, 0.0]  # decoder side, encoder


def _add_split(corpus, speech, split, rows):
    """Another split of the fixture clips in `speak`'s layout (speech/<split>/manifest.jsonl)."""
    from .fixture_corpus import FIXTURE_CLIPS, ROOT

    folder = speech / split
    folder.mkdir()
    manifest = []
    with open(corpus / f"{split}.jsonl", "w") as f:
        for sid, row in rows.items():
            f.write(json.dumps({"id": f"{split}-{sid}", **row}, ensure_ascii=False) + "\n")
            shutil.copy(ROOT / "fixtures" / "tiny-random" / FIXTURE_CLIPS[sid][0], folder / f"{sid}.wav")
            manifest.append({"path": f"{sid}.wav", "sentence_id": f"{split}-{sid}", "split": split, "voice": "espeak:en-us"})
    (folder / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))


def test_warm_start_on_sampled_epochs_with_transcription_and_out_of_domain(mini_data, tiny_checkpoint, tmp_path):
    """A model from before the tasks (no out-of-domain token) warm-starts, gains the token and the
    transcription prompt, trains each epoch on its own sampled set plus the out-of-domain clips, and
    exports every task's prompt and the token into its manifest."""
    from compress.decoding import OUT_OF_DOMAIN_TOKEN
    from compress.export.export import export_model

    from .fixture_corpus import FIXTURE_CLIPS

    corpus, speech = mini_data
    for k in (0, 1):
        _add_split(corpus, speech, f"train-e{k}", {sid: {"topic": "t", "en": en, "de": de, "zh": zh}
                                                   for sid, (_, en, de, zh) in FIXTURE_CLIPS.items()})
    _add_split(corpus, speech, "ood-train", {"s2": {"domain": "news", "en": "The markets closed higher today."}})
    lines = []
    out = tmp_path / "warm"
    final = train_teacher(corpus, speech, out, init=tiny_checkpoint, max_steps=8, batch_tokens=4096, lr=1e-3, warmup=2,
                          eval_every=8, log_every=2, log=lambda *a: lines.append(" ".join(map(str, a))))
    assert any(f"added {OUT_OF_DOMAIN_TOKEN}" in line for line in lines)
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert epochs[0].startswith("epoch 0: train-e0, 3 clips, 9 examples")  # (2 clips + 1 out-of-domain) × 3 tasks
    assert epochs[1].startswith("epoch 1: train-e1")
    # A warm start that goes on where its parent stopped: its first epoch is the next sampled set.
    lines.clear()
    train_teacher(corpus, speech, tmp_path / "next", init=final, max_steps=2, batch_tokens=4096, lr=1e-3, warmup=1,
                  eval_every=2, log_every=1, first_epoch=1, log=lambda *a: lines.append(" ".join(map(str, a))))
    assert [line for line in lines if line.startswith("epoch ")][0].startswith("epoch 0: train-e1")
    with pytest.raises(ToolkitError, match="--first-epoch must be 0 or more, got -1"):
        train_teacher(corpus, speech, tmp_path / "bad", init=final, max_steps=1, first_epoch=-1)
    m = export_model(final, tmp_path / "exported", quant="fp32", log=lambda *a: None)
    assert set(m["prompts"]) == {"de", "zh", "transcribe"}
    assert m["prompts"]["transcribe"]["text"].endswith("Transcribe the English speech:<|im_end|>\n<|im_start|>assistant\n")
    assert m["tokens"]["out_of_domain"] == m["decoder"]["vocab_size"] - 1


def test_chained_tasks_write_the_english_then_the_translation(mini_data, tiny_checkpoint, tmp_path):
    """--chain: every clip also trains "transcribe, then translate" answers (the English, a newline, the
    translation; for out-of-domain speech the English and the "not in the phrasebook" token), and the
    export can still ship the three tasks the runtimes know."""
    from compress.dataset import Clip, PromptBuilder
    from compress.decoding import OUT_OF_DOMAIN_TOKEN
    from compress.export.export import export_model
    from compress.train import target_text

    from .fixture_corpus import FIXTURE_CLIPS

    clip = Clip("c", "s", "dev", "v", tmp_path, "t", "Where is the station?", "Wo ist der Bahnhof?", "车站在哪里？")
    assert target_text(clip, "transcribe+de") == "Where is the station?\nWo ist der Bahnhof?"
    assert target_text(clip, "transcribe+zh") == "Where is the station?\n车站在哪里？"
    ood = Clip("o", "o", "ood-train", "v", tmp_path, "", "The markets closed higher today.", "", "")
    assert target_text(ood, "transcribe+de") == f"The markets closed higher today.\n{OUT_OF_DOMAIN_TOKEN}"

    corpus, speech = mini_data
    _add_split(corpus, speech, "train-e0", {sid: {"topic": "t", "en": en, "de": de, "zh": zh}
                                            for sid, (_, en, de, zh) in FIXTURE_CLIPS.items()})
    _add_split(corpus, speech, "ood-train", {"s2": {"domain": "news", "en": "The markets closed higher today."}})
    lines = []
    final = train_teacher(corpus, speech, tmp_path / "chain", init=tiny_checkpoint, chain=True, max_steps=2,
                          batch_tokens=4096, lr=1e-3, warmup=1, eval_every=2, log_every=1,
                          log=lambda *a: lines.append(" ".join(map(str, a))))
    epoch = next(line for line in lines if line.startswith("epoch 0"))
    assert epoch.startswith("epoch 0: train-e0, 3 clips, 15 examples")  # (2 clips + 1 out-of-domain) × 5 tasks
    from compress.checkpoint import load_checkpoint

    model, tokenizer, _ = load_checkpoint(final)
    assert model.config.tasks == ["de", "zh", "transcribe", "transcribe+de", "transcribe+zh"]
    prompt = tokenizer.decode(PromptBuilder(tokenizer, model.config.audio_token_index).prompt("transcribe+zh", 1))
    assert prompt.endswith("Transcribe the English speech, then translate it into Chinese:<|im_end|>\n<|im_start|>assistant\n")
    m = export_model(final, tmp_path / "exported", quant="fp32", log=lambda *a: None)
    assert set(m["prompts"]) == {"de", "zh", "transcribe"}  # no runtime decodes the chained ones yet


def test_batches_keep_a_clips_tasks_together_under_the_token_budget():
    import random

    rng = random.Random(0)
    items = [(rng.randint(20, 200), clip, task, f"{clip}-{task}") for clip in range(300) for task in ("de", "zh", "transcribe")]
    batches = _batches(items, 2048, random.Random(1))
    assert sorted(x for b in batches for x in b) == sorted(items)
    for b in batches:
        assert len(b) * max(x[0] for x in b) <= 2048
        clips = {x[1] for x in b}
        assert len(b) == 3 * len(clips)  # every task of each of its clips, no clip split across batches
    # one clip whose three examples exceed the budget on their own still gets a batch
    assert _batches([(900, 0, "de", "a"), (900, 0, "zh", "b"), (900, 0, "transcribe", "c")], 2048, random.Random(1)) == \
        [[(900, 0, "de", "a"), (900, 0, "zh", "b"), (900, 0, "transcribe", "c")]]


def test_a_sampled_set_spoken_late_joins_at_the_next_epoch():
    """A GPU lease speaks train-e1 while the teacher trains on train-e0: once complete, e1 is the next
    epoch's set (cycling by epoch number alone had e0 again for epoch 2 and e1 only at epoch 3)."""
    assert epoch_set(0, ["train-e0"], []) == "train-e0"
    assert epoch_set(1, ["train-e0"], ["train-e0"]) == "train-e0"  # e1 still being spoken
    assert epoch_set(2, ["train-e0", "train-e1"], ["train-e0", "train-e0"]) == "train-e1"
    # every set spoken: each epoch its own, then round robin, the one trained on longest ago first
    assert epoch_set(2, ["train-e0", "train-e1"], ["train-e0", "train-e1"]) == "train-e0"
    assert epoch_set(3, ["train-e0", "train-e1"], ["train-e0", "train-e1", "train-e0"]) == "train-e1"
    # a warm start that begins at set 1 (first_epoch): e1, then e0, then e1 again
    assert epoch_set(1, ["train-e0", "train-e1"], []) == "train-e1"
    assert epoch_set(2, ["train-e0", "train-e1"], ["train-e1"]) == "train-e0"
    assert epoch_set(3, ["train-e0", "train-e1"], ["train-e1", "train-e0"]) == "train-e1"


def test_a_manifest_still_being_written_ends_before_its_torn_line(tmp_path):
    from compress.dataset import read_manifest, speech_splits

    folder = tmp_path / "train-e1"
    folder.mkdir()
    (folder / "manifest.jsonl").write_text(json.dumps({"split": "train-e1", "path": "a.wav"}) + "\n" + '{"split": "train-e1", "pa')
    assert read_manifest(folder / "manifest.jsonl") == [{"split": "train-e1", "path": "a.wav"}]
    assert speech_splits(tmp_path) == {"train-e1"}


def test_a_held_out_engine_never_trains(mini_data, tiny_checkpoint, tmp_path):
    """--without-engine festival leaves festival's clips out of every training epoch, a resumed run
    keeps it, and an engine that spoke nothing is an error, not a run on every voice."""
    from .fixture_corpus import FIXTURE_CLIPS

    corpus, speech = mini_data
    _add_split(corpus, speech, "train-e0", {sid: {"topic": "t", "en": en, "de": de, "zh": zh}
                                            for sid, (_, en, de, zh) in FIXTURE_CLIPS.items()})
    manifest = speech / "train-e0" / "manifest.jsonl"
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    rows[1]["voice"] = "festival:kal_diphone"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    lines, out = [], tmp_path / "held-out"
    kw = dict(init=tiny_checkpoint, batch_tokens=4096, lr=1e-3, warmup=1, eval_every=2, log_every=1,
              log=lambda *a: lines.append(" ".join(map(str, a))))
    train_teacher(corpus, speech, out, max_steps=2, without_engine="festival", **kw)
    assert [line for line in lines if line.startswith("epoch ")][0].startswith("epoch 0: train-e0, 1 clips, 3 examples")
    with pytest.raises(ToolkitError, match="was trained without engine 'festival', not None"):
        train_teacher(corpus, speech, out, max_steps=4, **kw)
    with pytest.raises(ToolkitError, match=r"--without-engine festivall: no clip of train-e0 is spoken by it \(engines: espeak, festival\)"):
        train_teacher(corpus, speech, tmp_path / "typo", max_steps=2, without_engine="festivall", **kw)


def test_english_text_examples_train_beside_the_clips(mini_data, tiny_checkpoint, tmp_path):
    """--text-share 0.5: half of each epoch's examples translate English sentences of train.jsonl, put where the
    audio tokens go; the run trains on them, a resumed run must keep the share, and a share of 1 is refused."""
    import random

    from compress.checkpoint import load_checkpoint
    from compress.dataset import PromptBuilder
    from compress.train import text_examples

    from .fixture_corpus import FIXTURE_CLIPS

    corpus, speech = mini_data
    _add_split(corpus, speech, "train-e0", {sid: {"topic": "t", "en": en, "de": de, "zh": zh}
                                            for sid, (_, en, de, zh) in FIXTURE_CLIPS.items()})
    with open(corpus / "train.jsonl", "a") as f:
        for k in range(8):
            f.write(json.dumps({"id": f"text-{k}", "topic": "t", "en": f"Room {k}, please.", "de": f"Zimmer {k}, bitte.",
                                "zh": f"请给我{k}号房间。"}, ensure_ascii=False) + "\n")
    model, tokenizer, _ = load_checkpoint(tiny_checkpoint)
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    sentences = [json.loads(line) for line in open(corpus / "train.jsonl")]
    items = text_examples(sentences, builder, ["de", "zh"], 12, 0.5, random.Random(0))
    # 12 clip examples at a share of 0.5: 12 text examples, 6 sentences each into both languages, none twice
    assert len(items) == 12 and len({x[1] for x in items}) == 6 and sorted({x[2] for x in items}) == ["de", "zh"]
    rows = {json.loads(line)["en"]: json.loads(line) for line in open(corpus / "train.jsonl")}
    for length, english, lang, target in items:
        assert target == rows[english][lang]
        assert length == len(builder.text_prompt(lang, english)) + len(builder.target(target))
    assert text_examples(sentences, builder, ["de", "zh"], 12, 0.0, random.Random(0)) == []
    # the whole train.jsonl (10 sentences) at most, however many are wanted
    assert len(text_examples(sentences, builder, ["de", "zh"], 1000, 0.5, random.Random(0))) == 20

    lines, out = [], tmp_path / "text"
    kw = dict(init=tiny_checkpoint, batch_tokens=4096, lr=1e-3, warmup=1, eval_every=2, log_every=1,
              log=lambda *a: lines.append(" ".join(map(str, a))))
    train_teacher(corpus, speech, out, max_steps=2, text_share=0.5, **kw)
    epoch = next(line for line in lines if line.startswith("epoch 0"))
    assert epoch.startswith("epoch 0: train-e0, 2 clips, 6 examples + 6 from English text")  # 2 clips × 3 tasks
    losses = [json.loads(line)["loss"] for line in open(out / "log.jsonl") if '"loss"' in line]
    assert len(losses) == 2 and all(loss == loss and 0 < loss < 100 for loss in losses)
    with pytest.raises(ToolkitError, match="was trained with --text-share 0.5, not 0.0"):
        train_teacher(corpus, speech, out, max_steps=4, **kw)
    with pytest.raises(ToolkitError, match="--text-share must be at least 0 and under 1, got 1.0"):
        train_teacher(corpus, speech, tmp_path / "all-text", max_steps=2, text_share=1.0, **kw)
