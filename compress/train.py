"""`compress train-teacher`: train a small Qwen2AudioForConditionalGeneration on the spoken phrasebook.

Both directions (en→de, en→zh) with the paper's prompts; the loss covers the assistant tokens only.
Resumable: `--out` holds `checkpoint/` (weights, optimiser, step, RNG state), `log.jsonl` (loss,
dev scores) and, at the end, `final/` (an HF checkpoint the exporter takes) and `curves.png`.
"""
import json
import math
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from transformers import Qwen2AudioConfig, Qwen2AudioForConditionalGeneration, WhisperFeatureExtractor

from .dataset import FeatureCache, PromptBuilder, audio_tokens_for_frames, collate_clips, load_clips
from .errors import ToolkitError
from .forward import forward_batch
from .metrics import score
from .tokenizer import special_token_ids, train_tokenizer
from .translate import translate_clips

# Sized for 2 CPU cores and a 90-minute budget; the decoder is deep enough (10 layers) that
# pruning half of it is a real test of the paper's method.
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
    """Length-bucketed batches under a padded-token budget, shuffled."""
    items = sorted(items, key=lambda x: x[0])
    batches, cur = [], []
    for it in items:
        if cur and (len(cur) + 1) * max(it[0], cur[-1][0]) > max_tokens:
            batches.append(cur)
            cur = []
        cur.append(it)
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


def dev_scores(model, builder, cache, clips, max_new_tokens=48) -> dict:
    model.eval()
    out = {}
    for lang in ("de", "zh"):
        hyps, stopped = translate_clips(model, builder, cache, clips, lang, max_new_tokens=max_new_tokens)
        out[lang] = score(hyps, [getattr(c, lang) for c in clips], lang)
        out[lang]["not_stopped"] = sum(not s for s in stopped)
    model.train()
    return out


def train_teacher(corpus, speech, out, *, preset="teacher", vocab_size=4000, minutes=90.0, max_steps=None,
                  batch_tokens=4096, lr=1e-3, warmup=200, dev_clips=200, encoder_init=None, freeze_encoder=False, bf16=True, eval_every=500, log_every=25, seed=0, log=print):
    corpus, speech, out = Path(corpus), Path(speech), Path(out)
    if preset not in PRESETS:
        raise ToolkitError(f"--preset must be one of {', '.join(PRESETS)}, got {preset!r}")
    for p in (corpus / "train.jsonl", corpus / "dev.jsonl", speech / "manifest.jsonl"):
        if not p.is_file():
            raise ToolkitError(f"missing {p}: run `python -m compress phrasebook` and `python -m compress synth` first")
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    rng = random.Random(seed)

    whisper = None
    if encoder_init and not (out / "checkpoint" / "trainer.pt").is_file():
        from .whisper_init import encoder_shape, fetch, read_ct2

        whisper = read_ct2(fetch(encoder_init, log=log))
    n_mels = encoder_shape(whisper)["num_mel_bins"] if whisper else 128
    if (out / "preprocessor_config.json").is_file():
        fe = WhisperFeatureExtractor.from_pretrained(out)
    else:
        fe = WhisperFeatureExtractor(feature_size=n_mels)
    train_clips = load_clips(corpus, speech, "train")
    dev = load_clips(corpus, speech, "dev")
    dev = random.Random(seed).sample(dev, min(dev_clips, len(dev)))
    if not train_clips:
        raise ToolkitError(f"{speech}/manifest.jsonl has no train clips")
    log(f"{len(train_clips)} train clips, {len(dev)} dev clips; caching features …")
    cache = FeatureCache.build(train_clips, fe, out / "features" / "train", log=log)
    dev_cache = FeatureCache.build(dev, fe, out / "features" / "dev", log=log)

    resume = (out / "checkpoint" / "trainer.pt").is_file()
    if resume:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(out / "checkpoint")
        model = Qwen2AudioForConditionalGeneration.from_pretrained(out / "checkpoint", attn_implementation="eager")
    else:
        rows = [json.loads(l) for l in open(corpus / "train.jsonl", encoding="utf-8")]
        texts = [r[k] for r in rows for k in ("en", "de", "zh")]
        tokenizer = train_tokenizer(texts, vocab_size)
        special = special_token_ids(tokenizer)
        config = model_config(PRESETS[preset], len(tokenizer), special, audio=encoder_shape(whisper) if whisper else None)
        config._attn_implementation = "eager"
        model = Qwen2AudioForConditionalGeneration(config)
        if whisper:
            from .whisper_init import load_into

            load_into(model, whisper)
            log(f"audio encoder initialised from {encoder_init}")
        model.generation_config.eos_token_id = [special["im_end"], special["endoftext"]]
        model.generation_config.pad_token_id = special["endoftext"]
    if freeze_encoder:  # the projector and decoder learn; the pretrained encoder stays as it is
        model.audio_tower.requires_grad_(False)
    model.train()
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    fe.save_pretrained(out)

    # Items: (sequence length, clip index, lang): both directions of every clip.
    items = []
    for i, clip in enumerate(train_clips):
        n_audio = audio_tokens_for_frames(cache.frames[cache.position[clip.clip_id]])
        for lang in ("de", "zh"):
            length = len(builder.prompt(lang, n_audio)) + len(builder.target(getattr(clip, lang)))
            items.append((length, i, lang))

    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01, betas=(0.9, 0.98))
    est_steps = max_steps or 10**9
    state = {"step": 0, "epoch": 0, "elapsed": 0.0, "batch_in_epoch": 0}
    if resume:
        saved = torch.load(out / "checkpoint" / "trainer.pt", weights_only=False)
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        torch.set_rng_state(saved["torch_rng"])
        est_steps = state["total_steps"]
        log(f"resumed at step {state['step']} ({state['elapsed'] / 60:.1f} min trained)")
    else:
        # Measure a few steps to turn the time budget into a step count for the cosine schedule.
        probe = _batches(items, batch_tokens, random.Random(seed + 1))[:3]
        t0 = time.perf_counter()
        for b in probe:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = forward_batch(model, _collate(b, train_clips, cache, builder)).loss
            loss.backward()
        model.zero_grad()
        per_step = (time.perf_counter() - t0) / len(probe) * 1.3  # optimiser + logging overhead
        est_steps = max_steps or max(50, int(minutes * 60 / per_step))
        state["total_steps"] = est_steps
        log(f"~{per_step:.2f} s/step → {est_steps} steps in {minutes:.0f} min")

    def lr_at(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, est_steps - warmup))))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at, last_epoch=state["step"] - 1)
    if resume:
        scheduler.load_state_dict(saved["scheduler"])
    logf = open(out / "log.jsonl", "a")
    t_start = time.perf_counter() - state["elapsed"]
    losses = []
    while state["step"] < est_steps:
        epoch_batches = _batches(items, batch_tokens, random.Random(seed * 1000 + state["epoch"]))
        while state["batch_in_epoch"] < len(epoch_batches) and state["step"] < est_steps:
            b = epoch_batches[state["batch_in_epoch"]]
            # bf16 autocast: fp32 master weights, bf16 matmuls (AMX/AVX512-BF16 on this CPU: ~2× faster steps).
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = forward_batch(model, _collate(b, train_clips, cache, builder)).loss
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
            if state["step"] % eval_every == 0 or state["step"] == est_steps:
                scores = dev_scores(model, builder, dev_cache, dev)
                logf.write(json.dumps({"step": state["step"], "dev": scores}) + "\n")
                logf.flush()
                log(f"dev @ {state['step']}: de chrF++ {scores['de']['chrf']}  zh chrF {scores['zh']['chrf']}")
                _save_checkpoint(out, model, optimizer, scheduler, state)
                tokenizer.save_pretrained(out / "checkpoint")
        if state["batch_in_epoch"] >= len(epoch_batches):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
    logf.close()
    final = out / "final"
    shutil.rmtree(final, ignore_errors=True)
    model.eval()
    model.save_pretrained(final, safe_serialization=True)
    tokenizer.save_pretrained(final)
    fe.save_pretrained(final)
    plot_curves(out / "log.jsonl", out / "curves.png")
    return final


def _collate(batch_items, clips, cache, builder):
    rows = []
    for _, i, lang in batch_items:
        window, frames = cache.window(clips[i].clip_id)
        rows.append((window, frames, builder.prompt(lang, audio_tokens_for_frames(frames)), builder.target(getattr(clips[i], lang))))
    return collate_clips(rows, builder.tokenizer.pad_token_id)


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
    for lang in ("de", "zh"):
        b.plot([r["step"] for r in dev], [r["dev"][lang]["chrf"] for r in dev], marker="o",
               label=f"{lang} {'chrF++' if lang == 'de' else 'chrF'}")
    b.set(xlabel="step", ylabel="dev score", title="dev")
    b.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    plt.close(fig)
