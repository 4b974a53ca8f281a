"""`compress prune`: the paper's iterative layer-importance pruning of the text decoder.

Each iteration removes every remaining candidate layer in turn (never the first or the last
decoder layer; the audio encoder is never touched), translates the dev clips greedily in both
directions and scores them with the paper's metric (chrF++ for de, chrF for zh). The layer whose
removal leaves the highest score goes for good. Both directions share one decoder, so candidates
are ranked by the mean of the two scores: each direction counts equally, and a layer that only
one direction needs is kept. The full table (iteration × layer × scores) is saved, because it is
the evidence for the order, and the dev split is used, never test (the paper chose on its test set).
"""
import contextlib
import json
import time
from pathlib import Path

import numpy as np
import torch

from .arguments import data_args
from .errors import ToolkitError
from .prompt import LANGS


def decoder_layers(model) -> torch.nn.ModuleList:
    return model.language_model.model.layers


def _set_layers(model, layers: list) -> None:
    model.language_model.model.layers = torch.nn.ModuleList(layers)
    for i, layer in enumerate(layers):  # the KV cache is indexed by position in the stack
        layer.self_attn.layer_idx = i
    model.config.text_config.num_hidden_layers = len(layers)
    model.language_model.config.num_hidden_layers = len(layers)


def keep_layers(model, keep: list[int]) -> None:
    """Remove, for good, every decoder layer whose current index is not in `keep`."""
    layers = list(decoder_layers(model))
    bad = [i for i in keep if not 0 <= i < len(layers)]
    if bad or len(set(keep)) != len(keep) or not keep:
        raise ValueError(f"layers to keep must be distinct indices in 0..{len(layers) - 1}, got {keep}")
    _set_layers(model, [layers[i] for i in sorted(keep)])


@contextlib.contextmanager
def without_layer(model, index: int):
    """The model with its decoder layer `index` (current numbering) left out, restored afterwards."""
    layers = list(decoder_layers(model))
    _set_layers(model, layers[:index] + layers[index + 1 :])
    try:
        yield model
    finally:
        _set_layers(model, layers)


def check_target_depth(n: int, depth: int, flag: str = "--layers") -> None:
    """Pruning keeps the first and the last decoder layer, so it can leave 2 … n-1 of n layers."""
    if n < 3:
        raise ToolkitError(f"a {n}-layer decoder cannot be pruned: the first and last layers stay")
    if not 2 <= depth < n:
        raise ToolkitError(f"{flag} must be between 2 and {n - 1} for a {n}-layer decoder (the first and last layers stay), "
                           f"got {depth}")


def dev_score(model, builder, cache, clips, batch_size=32, max_new_tokens=64) -> dict:
    """Per-language metric and their mean ("combined"), the ranking key."""
    from .train import dev_scores

    full = dev_scores(model, builder, cache, clips, max_new_tokens=max_new_tokens, batch_size=batch_size)
    out = {lang: full[lang]["chrf"] for lang in LANGS}
    out["combined"] = round(float(np.mean([out[lang] for lang in LANGS])), 2)
    return out


def layer_importance(model, builder, cache, clips, target_layers: int, batch_size=32, log=print) -> dict:
    """Prune `model` in place down to `target_layers` decoder layers; returns the importance table.

    Layers are named by their index in the original model throughout the table."""
    n = len(decoder_layers(model))
    check_target_depth(n, target_layers)
    model.eval()
    alive = list(range(n))  # original index of each current layer
    table = {"layers": n, "metric": {"de": "chrF++", "zh": "chrF"}, "combined": "mean of de and zh",
             "dev_clips": len(clips), "full": dev_score(model, builder, cache, clips, batch_size), "iterations": []}
    log(f"full model ({n} layers): {table['full']}")
    while len(alive) > target_layers:
        t0 = time.perf_counter()
        scores = {}
        for pos in range(1, len(alive) - 1):
            with without_layer(model, pos):
                scores[alive[pos]] = dev_score(model, builder, cache, clips, batch_size)
        # highest combined score wins; ties go to the deeper layer, which the paper's runs removed more often
        removed = max(scores, key=lambda layer: (scores[layer]["combined"], layer))
        keep_layers(model, [i for i, layer in enumerate(alive) if layer != removed])
        alive.remove(removed)
        row = {"iteration": len(table["iterations"]) + 1, "removed": removed, "remaining": list(alive),
               "scores": {str(k): v for k, v in scores.items()}, "seconds": round(time.perf_counter() - t0, 1)}
        table["iterations"].append(row)
        log(f"iteration {row['iteration']}: removed layer {removed} → {scores[removed]} "
            f"({len(alive)} left, {row['seconds']} s)")
    table["order"] = [r["removed"] for r in table["iterations"]]
    return table


def plot_importance(table: dict, png) -> None:
    """Heat-map: one row per iteration, one column per original layer, colour = combined dev score
    after removing that layer; the removed layer is outlined; blank = already gone or never a candidate."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    its, n = table["iterations"], table["layers"]
    grid = np.full((len(its), n), np.nan)
    for r, it in enumerate(its):
        for layer, s in it["scores"].items():
            grid[r, int(layer)] = s["combined"]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.0 + 0.55 * n), 1.6 + 0.45 * len(its)))
    im = ax.imshow(grid, cmap="viridis", aspect="auto")
    for r, it in enumerate(its):
        ax.add_patch(plt.Rectangle((it["removed"] - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2))
        for layer, s in it["scores"].items():
            ax.text(int(layer), r, f"{s['combined']:.0f}", ha="center", va="center", fontsize=7, color="white")
    ax.set(xticks=range(n), yticks=range(len(its)), yticklabels=[str(it["iteration"]) for it in its],
           xlabel="decoder layer (original index)", ylabel="iteration",
           title=f"dev score without each layer (mean of de chrF++ and zh chrF)\nfull model: {table['full']['combined']}; "
                 f"red: removed in that iteration")
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)


def prune(checkpoint, corpus, speech, out, target_layers: int, dev_clips=200, save_depths=(), device="auto",
          seed=0, log=print) -> dict:
    """`compress prune`: importance table + heat-map in `out`, and pruned checkpoints (no fine-tuning)
    at each depth in `save_depths` under out/layers-<n>/."""
    import random

    from transformers import Qwen2AudioConfig

    from .checkpoint import load_checkpoint, read_config
    from .dataset import FeatureCache, PromptBuilder, load_clips
    from .train import decode_batch_size, resolve_device

    read_config(checkpoint)
    n = Qwen2AudioConfig.from_pretrained(checkpoint).text_config.num_hidden_layers
    check_target_depth(n, target_layers)
    for depth in save_depths:
        check_target_depth(n, depth, "--save-depths")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model, tokenizer, fe = load_checkpoint(checkpoint)
    device = resolve_device(device)
    model.to(device)
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    dev = load_clips(corpus, speech, "dev")
    dev = random.Random(seed).sample(dev, min(dev_clips, len(dev)))
    cache = FeatureCache.build(dev, fe, out / "features" / f"dev-{len(dev)}-{fe.feature_size}", log=log)
    table = layer_importance(model, builder, cache, dev, min([target_layers, *save_depths]),
                             batch_size=decode_batch_size(device), log=log)
    (out / "importance.json").write_text(json.dumps(table, indent=1))
    plot_importance(table, out / "importance.png")
    for depth in save_depths:
        save_pruned(checkpoint, table["order"][: table["layers"] - depth], out / f"layers-{depth}")
    return table


def save_pruned(checkpoint, remove: list[int], out) -> Path:
    """The checkpoint with the decoder layers `remove` (original indices) taken out, saved whole
    (tokenizer and feature extractor included) so that train, export and eval take it as it is.
    It loads the checkpoint afresh for each call: keeping one copy to cut from would double the
    memory of a 7B model."""
    from .checkpoint import load_checkpoint

    model, tokenizer, fe = load_checkpoint(checkpoint)
    n = len(decoder_layers(model))
    keep_layers(model, [i for i in range(n) if i not in set(remove)])
    out = Path(out)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    fe.save_pretrained(out)
    (out / "pruned.json").write_text(json.dumps({"from": str(checkpoint), "removed": list(remove), "layers": n - len(remove)}))
    return out


def cmd_prune(args):
    table = prune(args.model, args.corpus, args.speech, args.out, args.layers, dev_clips=args.dev_clips,
                  save_depths=args.save_depths, device=args.device, seed=args.seed)
    print(f"removal order {table['order']}; table and heat-map in {args.out}")


def add_cli(subparsers):
    p = subparsers.add_parser("prune", help="iterative layer-importance pruning of the decoder on the dev split (the paper's method)")
    p.add_argument("--model", required=True, help="the teacher's HF checkpoint folder")
    p.add_argument("--out", required=True, help="folder for importance.json, importance.png and pruned checkpoints")
    p.add_argument("--layers", type=int, required=True, help="prune down to this many decoder layers")
    p.add_argument("--save-depths", type=int, nargs="*", default=[], help="also save the pruned checkpoint at these depths")
    p.add_argument("--dev-clips", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    data_args(p)
    p.set_defaults(func=cmd_prune)
