"""`compress compress-student`: the paper's whole recipe in one resumable command.

prune (dev split) → teacher translations (KD data) → distil the pruned student → QLoRA on a
simulated 4-bit base → export (q4 + fp32) → evaluate on the test split, with the ablations that
make the numbers mean something: the pruned model before fine-tuning (at 25/50/75% of the layers
removed), the pruned model fine-tuned on references only (no KD), and two same-size baselines
(a contiguous middle block removed, the last layers removed) fine-tuned exactly like the student.

Every stage writes into its own folder under `out` and is skipped when its result is there, so
an interrupted run continues from the last finished stage (training stages also resume inside).
`out/summary.json` has one row per system; `out/results.md` renders it as the report's table.
"""
import json
import random
from pathlib import Path

from .arguments import data_args
from .errors import ToolkitError
from .prompt import LANGS

# --stop-after: the stages in order. "eval-torch" ends after scoring the PyTorch systems, before the
# exports: a GPU machine trains and scores, the ONNX exports and their timings follow elsewhere.
STUDENT_STAGES = ("prune", "kd", "distil", "qlora", "ablations", "eval-torch")


def depths_for(n_layers: int) -> dict[int, int]:
    """Percent of decoder layers removed → remaining depth (the first and last layers always stay)."""
    return {pct: max(2, n_layers - n_layers * pct // 100) for pct in (25, 50, 75)}


def baseline_removals(n_layers: int, remove: int) -> dict[str, list[int]]:
    """Same-size baselines: a contiguous block from the middle, and the last layers (but the final
    one, which the importance search may not remove either)."""
    start = (n_layers - remove) // 2
    return {"middle": list(range(start, start + remove)), "last": list(range(n_layers - 1 - remove, n_layers - 1))}


def decode_speed(model_dir, variant: str, cache, clips, tokens: int = 32) -> dict:
    """Median decode tokens/s (after prefill, `tokens` forced steps) and prefill ms, onnxruntime CPU."""
    from .speed import compare_decode_speed

    result = compare_decode_speed([(model_dir, variant)], cache, clips, tokens=tokens, rounds=1)
    model = result["models"][0]
    return {"decode_tokens_per_s": model["decode_tokens_per_s"], "prefill_ms": model["prefill_ms"],
            "clips": len(clips), "tokens": tokens, "threads": result["threads"]}


def _done(folder: Path) -> bool:
    return (folder / "final" / "config.json").is_file()


BASE_LABELS = {"distil": "pruned + KD", "no-kd": "pruned + fine-tuned, no KD"}


def qlora_start(out: Path, log=print, kd: bool = True) -> str:
    """Which fine-tuned student QLoRA continues: the KD one (the paper's recipe; it also wins a tie)
    unless the references-only one scores higher on dev. Sequence-level KD helps when the teacher's
    translations carry knowledge the references lack; a teacher that mostly repeats the references
    adds only its errors (measured on the phrasebook: docs/results.md). Chosen once, on dev, and
    written down so that a resumed run continues the same QLoRA."""
    marker = out / "qlora" / "base"
    if marker.is_file():
        return marker.read_text().strip()
    if _done(out / "qlora"):
        return "distil"  # a run from before the choice existed: its QLoRA continued the KD student
    if not kd:
        return "no-kd"
    dev = {stage: last_dev_score(out / stage / "log.jsonl") for stage in ("distil", "no-kd")}
    base = "distil" if dev["distil"] >= dev["no-kd"] else "no-kd"
    log(f"QLoRA starts from {base} (dev: KD {dev['distil']}, no KD {dev['no-kd']})")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(base + "\n")
    return base


def compress_student(teacher, corpus, speech, out, *, layers: int | None = None, dev_clips=200, kd_clips=None,
                     minutes=20.0, qlora_minutes=8.0, kl_weight=0.0, baselines=True, eval_limit=None,
                     speed_clips=10, max_steps=None, train_encoder=False, device="auto", seed=0, batch_tokens=4096,
                     stop_after=None, use_kd=True, log=print) -> dict | None:
    """use_kd=False skips the teacher's translations and the KD fine-tune: the references-only student
    goes on to QLoRA. The sampled-epoch corpus (compress phrasebook --epochs) needs it: KD data is
    made for the enumerated training split, which that corpus does not speak."""
    from .checkpoint import load_checkpoint, parameter_counts
    from .dataset import FeatureCache, load_clips
    from .distil import distil
    from .evaluate import eval_model, eval_onnx
    from .export.export import export_model
    from .kd import teacher_translations
    from .prune import check_target_depth, decoder_layers, prune, save_pruned
    from .qlora import qlora
    from .train import decode_batch_size, resolve_device

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model, _, fe = load_checkpoint(teacher)
    n = len(decoder_layers(model))
    teacher_params = parameter_counts(model)
    del model
    depths = depths_for(n)
    layers = layers or depths[50]
    check_target_depth(n, layers)
    train_kw = dict(minutes=minutes, max_steps=max_steps, lr=5e-4, warmup=100, seed=seed, device=device, dev_clips=dev_clips,
                    features=out / "features", batch_tokens=batch_tokens, log=log)

    # 1. importance table on dev, and pruned checkpoints at each depth
    prune_dir = out / "prune"
    deepest = min(layers, *depths.values())
    if not (prune_dir / "importance.json").is_file():
        log(f"== prune {n} → {deepest} layers on {dev_clips} dev clips")
        prune(teacher, corpus, speech, prune_dir, deepest, dev_clips=dev_clips, device=device, seed=seed, log=log)
    table = json.loads((prune_dir / "importance.json").read_text())
    if len(table["order"]) < n - deepest:
        raise ToolkitError(f"{prune_dir}/importance.json stops at {n - len(table['order'])} layers; "
                           f"delete {prune_dir} to prune deeper")
    pruned = {}
    for depth in sorted({layers, *depths.values()}):
        pruned[depth] = prune_dir / f"layers-{depth}"
        if not (pruned[depth] / "config.json").is_file():
            save_pruned(teacher, table["order"][: n - depth], pruned[depth])
    if stop_after == "prune":
        return None

    # 2. sequence-level KD data: the teacher's translations of (some of) the training audio
    kd = out / "kd" / "train.jsonl" if use_kd else None
    if use_kd and not (out / "kd" / "done").is_file():
        log("== teacher translations of the training audio")
        # all clips: the fine-tuning runs' log-mel cache serves (one cache of the training split)
        shared = None if kd_clips else out / "features" / f"train-{fe.feature_size}"
        teacher_translations(teacher, corpus, speech, kd, limit=kd_clips, features=shared, device=device, log=log)
        (out / "kd" / "done").write_text("")
    if stop_after == "kd":
        return None

    # 3. the student: fine-tuned with KD and without (the no-KD ablation, and QLoRA's start if it
    # wins on dev), then QLoRA on a simulated 4-bit base (before the baselines, so that a cut-short
    # run has the model that ships), 4. the same-size baselines, fine-tuned exactly like the student
    def fine_tune(name, start, kd_file):
        if not _done(out / name):
            log(f"== fine-tune {name} from {start}")
            distil(start, corpus, speech, out / name, kd=kd_file, teacher=teacher if kl_weight else None,
                   kl_weight=kl_weight, freeze_encoder=not train_encoder, **train_kw)

    if use_kd:
        fine_tune("distil", pruned[layers], kd)
    fine_tune("no-kd", pruned[layers], None)
    if stop_after == "distil":
        return None
    qlora_base = qlora_start(out, log, kd=use_kd)
    if not _done(out / "qlora"):
        log(f"== QLoRA on a simulated 4-bit base, from {qlora_base}")
        qlora(out / qlora_base / "final", corpus, speech, out / "qlora", kd=kd if qlora_base == "distil" else None,
              **{**train_kw, "minutes": qlora_minutes, "lr": 5e-5})
    if stop_after == "qlora":
        return None
    if baselines:
        for name, removed in baseline_removals(n, n - layers).items():
            path = out / f"baseline-{name}" / "pruned"
            if not (path / "config.json").is_file():
                save_pruned(teacher, removed, path)
            fine_tune(f"baseline-{name}", path, kd)
    if stop_after == "ablations":
        return None

    # 5. export
    # QLoRA is kept only if it does not lose on dev (a short CPU QLoRA on a 4-bit base can): the
    # choice is made on dev, never on test.
    dev = {stage: last_dev_score(out / stage / "log.jsonl") for stage in ("qlora", qlora_base)}
    shipped = max(dev, key=dev.get)  # a tie keeps QLoRA, the paper's last stage
    log(f"shipping the {shipped} checkpoint (dev: {qlora_base} {dev[qlora_base]}, qlora {dev['qlora']})")
    onnx_dir, teacher_onnx = out / "onnx", out / "teacher-onnx"
    torch_only = stop_after == "eval-torch"
    for src, dst in ((out / shipped / "final", onnx_dir), (Path(teacher), teacher_onnx)):
        if not torch_only and not (dst / "manifest.json").is_file():
            export_model(src, dst, quant="both", force=dst.exists(), log=log)

    # 6. test-split evaluation of every system (cached per system in out/eval)
    clips = load_clips(corpus, speech, "test")[:eval_limit]
    cache = FeatureCache.build(clips, fe, out / "features" / f"test-{len(clips)}-{fe.feature_size}", log=log)
    speed = random.Random(seed).sample(clips, min(speed_clips, len(clips)))
    systems = [("teacher", "torch", Path(teacher))]
    systems += [(f"pruned {100 * (n - d) // n}%, no fine-tuning", "torch", pruned[d]) for d in sorted(pruned, reverse=True)]
    systems += [(BASE_LABELS["no-kd"], "torch", out / "no-kd" / "final")]
    systems += [(BASE_LABELS["distil"], "torch", out / "distil" / "final")] if use_kd else []
    systems += [(f"{BASE_LABELS[qlora_base]} + QLoRA", "torch", out / "qlora" / "final"),
                ("teacher, ONNX q4", "onnx-q4", teacher_onnx),
                (f"student ({shipped}), ONNX fp32", "onnx-fp32", onnx_dir),
                (f"student ({shipped}), ONNX q4 (shipped)", "onnx-q4", onnx_dir)]
    if baselines:
        systems += [(f"baseline: {k} layers removed" + (" + KD" if use_kd else ""), "torch", out / f"baseline-{k}" / "final")
                    for k in ("middle", "last")]
    (out / "eval").mkdir(exist_ok=True)
    rows = []
    device = resolve_device(device)
    for label, system, path in systems:
        if torch_only and system != "torch":
            continue
        cached = out / "eval" / (label.replace(" ", "_").replace("%", "pct").replace(",", "").replace(":", "") + ".json")
        if cached.is_file():
            rows.append(json.loads(cached.read_text()))
            continue
        log(f"== eval {label} ({system}) on {len(clips)} test clips")
        if system == "torch":
            model, tokenizer, _ = load_checkpoint(path)  # loaded once: scored and counted
            result = eval_model(model.to(device), tokenizer, clips, cache, batch_size=decode_batch_size(device))
            params, layers_of = parameter_counts(model)["total"], len(decoder_layers(model))
            size = params * 4
        else:
            variant = system.split("-")[1]
            result = eval_onnx(path, variant, clips, cache)
            manifest = json.loads((path / "manifest.json").read_text())
            params, layers_of = manifest["parameters"]["total"], manifest["decoder"]["num_layers"]
            size = manifest["variants"][variant]["bytes"]
            result["speed"] = decode_speed(path, variant, cache, speed)
        row = {"label": label, "system": system, "path": str(path), "decoder_layers": layers_of, "params": params,
               "bytes": size, **{lang: {k: result[lang][k] for k in ("bleu", "chrf", "chrf_variant", "empty", "not_stopped")} for lang in LANGS},
               "speed": result.get("speed")}
        cached.write_text(json.dumps(row, indent=1))
        rows.append(row)
    if torch_only:
        return None
    base = rows[0]
    for row in rows:
        row["retention"] = {lang: round(100 * row[lang]["chrf"] / base[lang]["chrf"], 1) if base[lang]["chrf"] else None
                            for lang in LANGS}
    summary = {"teacher": str(teacher), "teacher_params": teacher_params, "layers": layers, "importance_order": table["order"],
               "qlora_base": qlora_base, "shipped": shipped, "kd": use_kd,
               "kd_clips": kd_clips, "minutes": minutes, "qlora_minutes": qlora_minutes, "kl_weight": kl_weight, "rows": rows}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    (out / "results.md").write_text(results_table(rows))
    log(results_table(rows))
    return summary


def last_dev_score(log_jsonl: Path) -> float:
    """Mean of de chrF++ and zh chrF at the run's last dev evaluation."""
    scores = [json.loads(line)["dev"] for line in open(log_jsonl) if '"dev"' in line]
    return round((scores[-1]["de"]["chrf"] + scores[-1]["zh"]["chrf"]) / 2, 2)


def results_table(rows: list[dict]) -> str:
    head = ("| system | decoder layers | params | bytes | BLEU de | chrF++ de | BLEU zh | chrF zh | decode tok/s (ORT CPU) "
            "| retention de / zh |\n|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        speed = r["speed"]["decode_tokens_per_s"] if r.get("speed") else "—"
        lines.append(f"| {r['label']} | {r['decoder_layers']} | {r['params'] / 1e6:.2f} M | {r['bytes'] / 1e6:.1f} MB "
                     f"| {r['de']['bleu']} | {r['de']['chrf']} | {r['zh']['bleu']} | {r['zh']['chrf']} | {speed} "
                     f"| {_pct(r['retention']['de'])} / {_pct(r['retention']['zh'])} |")
    return head + "\n".join(lines) + "\n"


def _pct(x):
    return "—" if x is None else f"{x}%"


def cmd_compress_student(args):
    compress_student(args.teacher, args.corpus, args.speech, args.out, layers=args.layers, dev_clips=args.dev_clips,
                     kd_clips=args.kd_clips, minutes=args.minutes, qlora_minutes=args.qlora_minutes, kl_weight=args.kl_weight,
                     baselines=not args.no_baselines, eval_limit=args.eval_limit, max_steps=args.max_steps,
                     train_encoder=args.train_encoder, device=args.device, seed=args.seed, batch_tokens=args.batch_tokens,
                     stop_after=args.stop_after, speed_clips=args.speed_clips, use_kd=not args.no_kd)


def add_cli(subparsers):
    p = subparsers.add_parser("compress-student", help="prune → KD data → distil → QLoRA → export → eval, resumable")
    p.add_argument("--teacher", required=True, help="the teacher's HF checkpoint")
    p.add_argument("--out", required=True)
    p.add_argument("--layers", type=int, help="student decoder depth (default: half the teacher's)")
    p.add_argument("--dev-clips", type=int, default=200, help="dev clips that score each pruning candidate")
    p.add_argument("--kd-clips", type=int, help="translate a seeded sample of N training clips for KD (CPU budget)")
    p.add_argument("--minutes", type=float, default=20.0, help="each fine-tuning run (student, no-KD, baselines)")
    p.add_argument("--qlora-minutes", type=float, default=8.0)
    p.add_argument("--kl-weight", type=float, default=0.0, help="word-level KD weight (0: sequence-level KD only)")
    p.add_argument("--no-baselines", action="store_true", help="skip the middle-block and last-layers baselines")
    p.add_argument("--no-kd", action="store_true", help="no teacher translations and no KD fine-tune (the sampled-epoch "
                   "corpus, whose training sets change every epoch): the references-only student goes on to QLoRA")
    p.add_argument("--train-encoder", action="store_true", help="fine-tune the audio encoder too (default: frozen)")
    p.add_argument("--eval-limit", type=int, help="evaluate on the first N test clips only")
    p.add_argument("--max-steps", type=int, help="fixed steps per fine-tuning run instead of --minutes")
    p.add_argument("--batch-tokens", type=int, default=4096, help="tokens per fine-tuning batch (a GPU takes 16384)")
    p.add_argument("--stop-after", choices=STUDENT_STAGES, help="end after this stage (a GPU machine does the training "
                   "and the PyTorch scoring; exports, ONNX scoring and speed follow where the app is measured)")
    p.add_argument("--speed-clips", type=int, default=10, help="clips timed for decode tokens/s")
    p.add_argument("--seed", type=int, default=0)
    data_args(p)
    p.set_defaults(func=cmd_compress_student)
