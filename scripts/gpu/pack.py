"""Moves GPU-trained checkpoints back through a narrow pipe (the device tool returns at most 64 MiB):
weights as fp16, and the fine-tuned students without their audio encoder, which they share with the
teacher (compress-student freezes it; QLoRA's adapters change it, so the QLoRA student carries
its own). `unpack` rebuilds full fp32 HF checkpoints from that.

  python3 scripts/gpu/pack.py teacher runs/teacher-gpu /tmp/pack/teacher
  python3 scripts/gpu/pack.py student runs/student-gpu /tmp/pack/student
  python scripts/gpu/pack.py unpack /work/.device/N/pack --teacher-out runs/teacher-gpu --student-out runs/student-gpu
  python scripts/gpu/pack.py unpack /work/.device/N/pack --teacher-out runs/student-direct   (lease.sh student)
"""
import argparse
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

ENCODER = "audio_tower."
STAGES = ("distil", "no-kd", "baseline-middle", "baseline-last", "qlora")
CARRIED_WEIGHTS = ("distil", "no-kd", "qlora")  # the shipped student is QLoRA or its start; baselines are scored on the GPU


def _meta(src: Path, dst: Path):
    """Everything in a checkpoint folder but its weights."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".safetensors") and not f.name.endswith(".pt"):
            shutil.copy(f, dst / f.name)


def _weights(src: Path) -> dict:
    out = {}
    for f in sorted(src.glob("*.safetensors")):
        out.update(load_file(f))
    return out


def pack_teacher(run: Path, dst: Path):
    ckpt = run / "final" if (run / "final" / "config.json").is_file() else run / "checkpoint"
    _meta(ckpt, dst / "final")
    save_file({k: v.half().contiguous() for k, v in _weights(ckpt).items()}, dst / "final" / "model.fp16.safetensors")
    for name in ("log.jsonl", "curves.png", "preprocessor_config.json", "train.log"):
        if (run / name).is_file():
            shutil.copy(run / name, dst / name)
    (dst / "FROM").write_text(str(ckpt.name))


def pack_student(out: Path, dst: Path):
    dst.mkdir(parents=True, exist_ok=True)
    for stage in STAGES:
        run = out / stage
        if not run.is_dir():
            continue
        for name in ("log.jsonl", "curves.png", "train.log"):
            if (run / name).is_file():
                (dst / stage).mkdir(parents=True, exist_ok=True)
                shutil.copy(run / name, dst / stage / name)
        if (run / "final" / "config.json").is_file():
            _meta(run / "final", dst / stage / "final")
            if stage in CARRIED_WEIGHTS:
                # QLoRA adapts every linear layer, the encoder's too: only the fine-tuned students'
                # encoders are the teacher's (frozen), so only there can it stay behind
                keep_encoder = stage == "qlora"
                w = {k: v.half().contiguous() for k, v in _weights(run / "final").items()
                     if keep_encoder or not k.startswith(ENCODER)}
                save_file(w, dst / stage / "final" / "decoder.fp16.safetensors")
            else:
                (dst / stage / "final" / "WEIGHTS_LEFT_ON_GPU_MACHINE").write_text("scored there; see eval/\n")
    for sub in ("eval", "prune"):
        if (out / sub).is_dir():
            (dst / sub).mkdir(exist_ok=True)
            for f in (out / sub).iterdir():
                if f.is_file():
                    shutil.copy(f, dst / sub / f.name)
    if (out / "kd" / "train.jsonl").is_file():
        (dst / "kd").mkdir(exist_ok=True)
        shutil.copy(out / "kd" / "train.jsonl", dst / "kd" / "train.jsonl")
        if (out / "kd" / "done").is_file():
            (dst / "kd" / "done").write_text("")


def unpack(pack: Path, teacher_out: Path, student_out: Path):
    teacher = None
    if (pack / "teacher").is_dir():
        _meta(pack / "teacher" / "final", teacher_out / "final")
        for f in (pack / "teacher").iterdir():
            if f.is_file():
                shutil.copy(f, teacher_out / f.name)
        teacher = load_file(pack / "teacher" / "final" / "model.fp16.safetensors")
        save_file({k: v.float() for k, v in teacher.items()}, teacher_out / "final" / "model.safetensors")
        print(f"teacher → {teacher_out}/final ({len(teacher)} tensors)")
    if not (pack / "student").is_dir():
        return
    if student_out is None:
        raise SystemExit(f"{pack} holds a student: give --student-out")
    if teacher is None:
        teacher = _weights(teacher_out / "final")
    encoder = {k: v.float() for k, v in teacher.items() if k.startswith(ENCODER)}
    src = pack / "student"
    student_out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, student_out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("decoder.fp16.safetensors"))
    kd = student_out / "kd" / "train.jsonl.gz"
    if kd.is_file():
        import gzip

        (student_out / "kd" / "train.jsonl").write_bytes(gzip.decompress(kd.read_bytes()))
        kd.unlink()
    for stage in CARRIED_WEIGHTS:
        part = src / stage / "final" / "decoder.fp16.safetensors"
        if part.is_file():
            w = {k: v.float() for k, v in load_file(part).items()}
            save_file({**encoder, **w}, student_out / stage / "final" / "model.safetensors")  # its own encoder wins
            print(f"{stage} → {student_out}/{stage}/final")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["teacher", "student", "unpack"])
    p.add_argument("src")
    p.add_argument("dst", nargs="?")
    p.add_argument("--teacher-out")
    p.add_argument("--student-out")
    a = p.parse_args()
    torch.set_grad_enabled(False)
    if a.what == "teacher":
        pack_teacher(Path(a.src), Path(a.dst))
    elif a.what == "student":
        pack_student(Path(a.src), Path(a.dst))
    else:
        unpack(Path(a.src), Path(a.teacher_out), Path(a.student_out) if a.student_out else None)


if __name__ == "__main__":
    main()
