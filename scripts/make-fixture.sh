#!/usr/bin/env bash
# Regenerates the committed test model public/models/tiny-random (fp32, q4 and q4dq) and its golden outputs:
# the tiny Qwen2-Audio fitted to the two clips in fixtures/tiny-random (about 4 minutes on 2 cores).
# It has no q8 on purpose: the app's tests then also run a folder exported before q8 (WASM on q4dq),
# while phrasebook-student's tests run q8 on WASM.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ck=$(mktemp -d)
trap 'rm -rf "$ck"' EXIT
$PY -m compress fixture --out "$ck/tiny" --clips fixtures/tiny-random --steps 300 --seed 0
$PY -m compress export --model "$ck/tiny" --out public/models/tiny-random --id tiny-random --version 1 --quant fp32,q4,q4dq --force
$PY -m compress golden --checkpoint "$ck/tiny" --model public/models/tiny-random \
  --wav fixtures/tiny-random/golden.wav --out fixtures/tiny-random/golden.json
