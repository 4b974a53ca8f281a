#!/usr/bin/env bash
# `npm test`: every test of the project. Installs what is missing (node modules, the Python venv,
# Debian's Chromium) or stops with the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/setup-python.sh
bash scripts/setup-system.sh  # espeak-ng, flite, festival voices, sox (speech synthesis tests)

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && apt-get install -y -q chromium
  else
    echo "error: the browser tests need Debian's Chromium. Install it with: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "== Python toolkit (pytest) =="
.venv/bin/python -m pytest -q tests
echo "== unit tests (vitest) =="
npm run --silent test:unit
echo "== browser tests (Playwright, Debian Chromium) =="
npm run --silent test:e2e
