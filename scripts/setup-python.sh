#!/usr/bin/env bash
# Creates .venv with Debian's Python (/usr/bin/python3) and the toolkit's pinned packages from PyPI.
# Re-running is cheap: it reinstalls only when compress/requirements*.txt|lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
stamp=.venv/.requirements.sha256
want=$(cat compress/requirements.txt compress/requirements.lock | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c "import compress" 2>/dev/null; then
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
echo "$want" > "$stamp"
