"""Result folders written whole or not at all: a command writes into a temporary sibling of --out,
which replaces --out only when everything is there, so a failed or interrupted run never leaves a
half-written folder where the app or a later step would find it, and never loses the one before."""
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import ToolkitError


def check_out(out: Path, source: Path, force: bool, replaceable=None):
    """Refuse an --out that cannot be (re)written; `replaceable(out)` raises for an existing folder
    that --force must not replace (e.g. one that is not this command's own earlier output)."""
    if out.resolve() == source.resolve():
        raise ToolkitError("--out must differ from --model")
    if out.exists() and not out.is_dir():
        raise ToolkitError(f"--out {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if replaceable:
            replaceable(out)
        if not force:
            raise ToolkitError(f"--out {out} already holds files; pass --force to replace it")
    if not out.parent.is_dir():
        raise ToolkitError(f"parent folder of --out does not exist: {out.parent}")


@contextmanager
def writing(out: Path, what: str = "writing"):
    """Yields the temporary folder to fill; on success it becomes `out` (replacing an old one, which
    stays in place if the swap fails). A full disk or an unwritable place ends as one ToolkitError."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as e:
        raise ToolkitError(f"cannot create a folder in {out.parent} for --out {out}: {e.strerror or e}") from e
    tmp.chmod(0o755)  # mkdtemp makes it private; exported folders are served to browsers
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            try:
                tmp.rename(out)
            except BaseException:
                old.rename(out)
                raise
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError):  # a full disk, a folder that turned read-only: one line, not a traceback
            raise ToolkitError(f"{what} to {out} failed: {e.strerror or e}" + (f" ({e.filename})" if e.filename else "")) from e
        raise
