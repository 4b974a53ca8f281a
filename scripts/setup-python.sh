#!/usr/bin/env bash
# Creates .venv with Debian's Python (/usr/bin/python3) and the toolkit's pinned packages from PyPI.
# Re-running is cheap: it reinstalls only when compress/requirements*.txt|lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
stamp=.venv/.requirements.sha256
want=$(cat compress/requirements.txt compress/requirements.lock | sha256sum | cut -d' ' -f1)
# Kokoro's voices: only in kokoro's source tarball (compress/speech/kokoro.py), kept inside the venv
kokoro_dir=.venv/share/kokoro
kokoro_sdist=$kokoro_dir/kokoro-0.9.4.tar.gz
kokoro_sha256=fbf633262797f8cf46fdac3315cf9cade67dc8b762c0feccf334892772fb9ac4
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$kokoro_sdist" ] && .venv/bin/python -c "import compress" 2>/dev/null; then
  exit 0
fi
if [ ! -x "$PY" ]; then
  echo "error: $PY not found. Install it with: apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if ! "$PY" -c "import venv, ensurepip" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && apt-get install -y -q python3-venv
  else
    echo "error: Python's venv module is missing. Install it with: sudo apt-get install -y python3-venv" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
echo "installing the toolkit's Python packages into .venv (torch's wheel brings CUDA libraries: a few GB) …"
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/pip install -q --disable-pip-version-check -r compress/requirements.txt -c compress/requirements.lock
if [ ! -f "$kokoro_sdist" ]; then
  .venv/bin/pip download -q --disable-pip-version-check --no-deps --no-binary kokoro -d "$kokoro_dir" kokoro==0.9.4
fi
if ! echo "$kokoro_sha256  $kokoro_sdist" | sha256sum --check --status; then
  rm -f "$kokoro_sdist"
  echo "error: $kokoro_sdist did not match its sha256; run this script again" >&2
  exit 1
fi
echo "$want" > "$stamp"
