"""Result folders written whole or not at all: a command writes into a temporary sibling of --out,
which replaces --out only when everything is there, so a failed or interrupted run never leaves a
half-written folder where the app or a later step would find it."""
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import ToolkitError


def check_out(out: Path, source: Path, force: bool):
    if out.resolve() == source.resolve():
        raise ToolkitError("--out must differ from --model")
    if out.exists() and not out.is_dir():
        raise ToolkitError(f"--out {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not force:
        raise ToolkitError(f"--out {out} already holds files; pass --force to replace it")
    if not out.parent.is_dir():
        raise ToolkitError(f"parent folder of --out does not exist: {out.parent}")


@contextmanager
def writing(out: Path):
    """Yields the temporary folder to fill; on success it becomes `out` (replacing an old one)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; exported folders are served to browsers
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
