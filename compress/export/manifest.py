"""manifest.json: what an exported model folder holds, how to prompt it, and every file's size and sha256."""
import hashlib
import json
import os
from pathlib import Path

FORMAT = "qwen2-audio-onnx"
FORMAT_VERSION = 1
GRAPH_NAMES = ("audio_encoder", "embed_tokens", "decoder_model_merged")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_entries(folder: Path) -> list[dict]:
    """Every file under `folder` except manifest.json, sorted, with bytes and sha256."""
    folder = Path(folder)
    return [
        {"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    ]


def unlisted_files(folder: Path, manifest: dict) -> list[str]:
    """Files (and links) under `folder` that neither are manifest.json nor are in its `files`."""
    listed = {"manifest.json", *(f.get("path") for f in manifest["files"] if isinstance(f, dict))}
    on_disk = {p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_symlink() or not p.is_dir()}
    return sorted(on_disk - listed)


def content_version(files: list[dict]) -> str:
    """A version derived from the files' hashes: any change to any file gives a new version."""
    h = hashlib.sha256("".join(f"{f['path']}:{f['sha256']}\n" for f in files).encode())
    return h.hexdigest()[:16]


def write_manifest(folder: Path, manifest: dict) -> dict:
    folder = Path(folder)
    files = file_entries(folder)
    manifest = dict(manifest)
    manifest["files"] = files
    manifest["total_bytes"] = sum(f["bytes"] for f in files)
    manifest["version"] = manifest.get("version") or content_version(files)
    by_path = {f["path"]: f for f in files}
    for variant in manifest["variants"].values():
        # A variant's bytes: its three graphs plus their external-data shards.
        variant["bytes"] = sum(
            f["bytes"] for p, f in by_path.items() if any(p == variant[g] or p.startswith(variant[g] + "_data") for g in GRAPH_NAMES)
        )
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def update_metrics(folder: Path, metrics: dict) -> dict:
    """Merge evaluation results ({split: {system: scores}}) into the manifest's `metrics` slot, per
    split and system, so that scoring one variant keeps the others' rows (hashes and version are unchanged)."""
    path = Path(folder) / "manifest.json"
    manifest = json.loads(path.read_text())
    slot = manifest.setdefault("metrics", {})
    for split, systems in metrics.items():
        slot.setdefault(split, {}).update(systems)
    write_text_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` in one step: a full disk or a crash mid-write leaves the old file, never half of one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
