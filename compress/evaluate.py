"""`compress eval`: BLEU and chrF on a split, through PyTorch and through the exported ONNX graphs.

Scores are overall, per voice and per topic, with counts of empty outputs and of outputs that hit
the length limit without <|im_end|>. Results go to a JSON file, the ONNX folder's manifest
`metrics`, and a row of docs/results.md's table. A --limit subset is recorded only when asked, and
then as its own split ("test[:20]"), so it never replaces the figures of a whole split.
"""
import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from .dataset import FeatureCache, PromptBuilder, load_clips
from .errors import ToolkitError
from .export.manifest import update_metrics, write_text_atomic
from .metrics import score
from .prompt import LANGS


def _grouped(clips, hyps, lang, key):
    groups = defaultdict(list)
    for c, h in zip(clips, hyps):
        groups[getattr(c, key)].append((h, getattr(c, lang)))
    return {g: score([h for h, _ in v], [r for _, r in v], lang) for g, v in sorted(groups.items())}


def summarize(clips, outputs: dict, seconds: float) -> dict:
    """outputs: {lang: (hyps, stopped)} → figures overall, per voice and per topic."""
    result = {"clips": len(clips), "seconds": round(seconds, 1)}
    for lang, (hyps, stopped) in outputs.items():
        r = score(hyps, [getattr(c, lang) for c in clips], lang)
        r["empty"] = sum(not h.strip() for h in hyps)
        r["not_stopped"] = sum(not s for s in stopped)
        r["per_voice"] = _grouped(clips, hyps, lang, "voice")
        r["per_topic"] = _grouped(clips, hyps, lang, "topic")
        r["examples"] = [{"ref": getattr(c, lang), "hyp": h} for c, h in list(zip(clips, hyps))[:5]]
        result[lang] = r
    return result


def eval_torch(checkpoint, clips, cache, max_new_tokens=64) -> dict:
    from .checkpoint import load_checkpoint

    model, tokenizer, _ = load_checkpoint(checkpoint)
    return eval_model(model, tokenizer, clips, cache, max_new_tokens)


def eval_model(model, tokenizer, clips, cache, max_new_tokens=64, batch_size=32) -> dict:
    """eval_torch on a model already in memory."""
    from .translate import translate_clips

    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    t0 = time.perf_counter()
    outputs = {lang: translate_clips(model, builder, cache, clips, lang, batch_size=batch_size, max_new_tokens=max_new_tokens)
               for lang in LANGS}
    return summarize(clips, outputs, time.perf_counter() - t0)


def eval_onnx(model_dir, variant, clips, cache, max_new_tokens=64) -> dict:
    from .runtime import OnnxSpeechTranslator

    runner = OnnxSpeechTranslator(model_dir, variant)
    t0 = time.perf_counter()
    outputs = {}
    # Each clip's transcript once, for the languages whose beams it reranks (else each would decode it again).
    heard = {}
    if any(runner.reranks(lang) and runner.beams_for(lang) > 1 for lang in LANGS):
        for c in clips:
            window, frames = cache.window(c.clip_id)
            heard[c.clip_id] = runner.transcript(window[None], frames, max_new_tokens)
    for lang in LANGS:
        hyps, stopped = [], []
        for c in clips:
            window, frames = cache.window(c.clip_id)
            gen = runner.generate_window(window[None], frames, lang, max_new_tokens=max_new_tokens, heard=heard.get(c.clip_id))
            hyps.append(runner.text(gen, lang))
            stopped.append(gen.stopped)
        outputs[lang] = (hyps, stopped)
    return summarize(clips, outputs, time.perf_counter() - t0)


def headline(result: dict) -> dict:
    return {lang: {k: result[lang][k] for k in ("bleu", "chrf", "chrf_variant", "n", "empty", "not_stopped")} for lang in LANGS}


RESULTS_HEADER = "| model | system | split | clips | BLEU de | chrF++ de | BLEU zh | chrF zh | empty | not stopped |"


def add_results_row(md: Path, label: str, system: str, split: str, result: dict):
    """A row at the end of `md`'s results table (the one under RESULTS_HEADER), wherever the table
    is in the file; a file without that table gets one at its end."""
    empty = sum(result[l]["empty"] for l in LANGS)
    loose = sum(result[l]["not_stopped"] for l in LANGS)
    row = (f"| {label} | {system} | {split} | {result['clips']} | {result['de']['bleu']} | {result['de']['chrf']} "
           f"| {result['zh']['bleu']} | {result['zh']['chrf']} | {empty} | {loose} |")
    lines = md.read_text().splitlines() if md.exists() else [
        "# Results", "", "Appended by `python -m compress eval`; one row per evaluated system.", ""]
    headers = [i for i, line in enumerate(lines) if line.strip() == RESULTS_HEADER]
    if headers:
        last = headers[0]
    else:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [RESULTS_HEADER, "|" + "---|" * (RESULTS_HEADER.count("|") - 1)]
        last = len(lines) - 1
    while last + 1 < len(lines) and lines[last + 1].lstrip().startswith("|"):
        last += 1
    lines.insert(last + 1, row)
    md.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(md, "\n".join(lines) + "\n")


def split_features(corpus, speech, split, model_dir, *, limit=None, cache_dir=None, log=print):
    """(clips, FeatureCache) of a split, features from `model_dir`'s feature extractor, cached under
    `cache_dir` (default: the speech folder's features/)."""
    if limit is not None and limit < 1:
        raise ToolkitError(f"--limit must be at least 1, got {limit}")
    for path in (Path(corpus) / f"{split}.jsonl", Path(speech) / "manifest.jsonl"):
        if not path.is_file():
            raise ToolkitError(f"missing {path}: run `python -m compress phrasebook` and `python -m compress synth` first")
    clips = load_clips(corpus, speech, split)
    if not clips:
        raise ToolkitError(f"no {split} clips in {speech}/manifest.jsonl")
    if limit:
        clips = clips[:limit]
    from transformers import WhisperFeatureExtractor

    fe = WhisperFeatureExtractor.from_pretrained(model_dir)
    cache_dir = Path(cache_dir or Path(speech) / "features")
    return clips, FeatureCache.build(clips, fe, cache_dir / f"{split}-{len(clips)}-{fe.feature_size}", log=log)


def exported_manifest(onnx_dir) -> dict:
    manifest_path = Path(onnx_dir) / "manifest.json"
    if not manifest_path.is_file():
        raise ToolkitError(f"{onnx_dir} has no manifest.json: export it with `python -m compress export`")
    return json.loads(manifest_path.read_text())


def check_variant(onnx_dir, manifest: dict, variant: str) -> None:
    if variant not in manifest["variants"]:
        raise ToolkitError(f"{onnx_dir} has no {variant} variant (has {', '.join(manifest['variants'])})")


def evaluate(corpus, speech, split, *, checkpoint=None, onnx_dir=None, variants=("fp32", "q4"), limit=None,
             out=None, results_md=None, label=None, record=None, cache_dir=None, log=print) -> dict:
    """record: write the scores into `onnx_dir`'s manifest and a row of `results_md`. None: only when
    the whole split was scored. A subset (limit) is recorded as split "SPLIT[:N]"."""
    from .checkpoint import read_config

    if checkpoint is None and onnx_dir is None:
        raise ToolkitError("give --model (an HF checkpoint) and/or --onnx (an exported folder)")
    if checkpoint:
        read_config(checkpoint)
    if onnx_dir:
        manifest = exported_manifest(onnx_dir)
        for variant in variants:
            check_variant(onnx_dir, manifest, variant)
    clips, cache = split_features(corpus, speech, split, checkpoint or onnx_dir, limit=limit, cache_dir=cache_dir, log=log)
    total = len(load_clips(corpus, speech, split))
    scored = split if len(clips) == total else f"{split}[:{len(clips)}]"
    record = scored == split if record is None else record
    results = {}
    if checkpoint:
        log(f"PyTorch {checkpoint} on {len(clips)} {split} clips …")
        results["torch"] = eval_torch(checkpoint, clips, cache)
    for variant in variants if onnx_dir else ():
        log(f"onnxruntime {variant} on {len(clips)} {split} clips …")
        results[f"onnx-{variant}"] = eval_onnx(onnx_dir, variant, clips, cache)
    if onnx_dir and record:
        update_metrics(onnx_dir, {scored: {system: headline(r) for system, r in results.items()}})
    for system, r in results.items():
        log(f"{system:10s} de BLEU {r['de']['bleu']:6.2f} chrF++ {r['de']['chrf']:6.2f} | "
            f"zh BLEU {r['zh']['bleu']:6.2f} chrF {r['zh']['chrf']:6.2f}")
        if results_md and record:
            add_results_row(Path(results_md), label or str(onnx_dir or checkpoint), system, scored, r)
    if scored != split and not record:
        log(f"scored the first {len(clips)} of {total} {split} clips: not recorded in the manifest or the results table "
            f"(--record records them as split {scored})")
    if out:
        Path(out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return results


def cmd_eval(args):
    evaluate(
        args.corpus, args.speech, args.split, checkpoint=args.model, onnx_dir=args.onnx,
        variants=args.variants, limit=args.limit, out=args.out, results_md=args.results_md, label=args.label,
        record=args.record,
    )


def add_cli(subparsers):
    p = subparsers.add_parser("eval", help="BLEU/chrF on a split through PyTorch and/or the exported ONNX")
    p.add_argument("--model", help="HF checkpoint folder (PyTorch path)")
    p.add_argument("--onnx", help="exported model folder (onnxruntime path); its manifest gets the metrics")
    p.add_argument("--variants", nargs="+", default=["fp32", "q4"])
    p.add_argument("--corpus", default="data/corpus")
    p.add_argument("--speech", default="data/speech")
    p.add_argument("--split", default="test")
    p.add_argument("--limit", type=int, help="score the split's first N clips only")
    p.add_argument("--out", help="JSON results file")
    p.add_argument("--results-md", default="docs/results.md", help="the file whose results table gets a row per system")
    p.add_argument("--label", help="the row's model name (default: the --onnx or --model path)")
    p.add_argument("--record", action=argparse.BooleanOptionalAction,
                   help="write the scores into the --onnx manifest's metrics and a row of --results-md (default: only "
                        "when the whole split is scored; a --limit subset is recorded as split SPLIT[:N])")
    p.set_defaults(func=cmd_eval)
