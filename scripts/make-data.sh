#!/usr/bin/env bash
# Regenerates all training data from fixed seeds: the phrasebook corpus (data/corpus) and its
# synthesized, augmented speech (data/speech, ~28k clips, ~25 h of audio, ~3 GB; 10–15 minutes on
# 2 cores). Nothing here is committed. Resumable: a rerun keeps clips whose hash still matches.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-system.sh
.venv/bin/python -m compress phrasebook --out data/corpus --seed 0
.venv/bin/python -m compress synth --corpus data/corpus --out data/speech --seed 0 --workers 2
