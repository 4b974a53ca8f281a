#!/usr/bin/env bash
# Regenerates all training and evaluation data from fixed seeds (nothing here is committed; every
# step is resumable: a rerun keeps the clips whose hash still matches).
#   data/corpus   the phrasebook's splits and EPOCHS freshly sampled training sets (compress phrasebook)
#   data/speech   training speech, one folder per split, augmented, training voices (compress speak)
#   data/eval     evaluation speech: clean, held-out voices, and every condition (compress conditions);
#                 <split>-festival: the held-out engine; dev-kokoro, test-kokoro: Kokoro's neural voices
#   data/speech-v1  the first phrasebook's test split as it was spoken (compress synth, its own code path)
# EPOCHS (default 8) × EPOCH_SIZE (default 10000) sentences; WORKERS (default 2). Training can start once
# train-e0 is spoken (the evaluation speech comes next): it picks up each further epoch's set as soon
# as its speech is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-8}
EPOCH_SIZE=${EPOCH_SIZE:-10000}
WORKERS=${WORKERS:-2}
bash scripts/setup-python.sh
bash scripts/setup-system.sh
py() { .venv/bin/python -m compress "$@"; }

py phrasebook --out data/corpus --seed 0 --epochs "$EPOCHS" --epoch-size "$EPOCH_SIZE"
speak() { py speak --sentences "data/corpus/$1.jsonl" --split "$1" --out "$2" --workers "$WORKERS" "${@:3}"; }

# What training needs first: dev, the out-of-domain sentences, the first epoch.
speak dev data/speech/dev --voices train
speak ood-train data/speech/ood-train --voices train
speak train-e0 data/speech/train-e0 --voices train
# Evaluation, clean: test splits by the held-out voices; the dev splits (where thresholds and
# checkpoints are chosen) by training voices, so that no choice hears a test voice.
for split in test new-combination paraphrase ood; do speak "$split" "data/eval/$split" --clean --voices heldout; done
for split in dev v1-dev paraphrase-dev ood-dev; do speak "$split" "data/eval/$split" --clean --voices train; done
# The conditions of every test split, and the held-out engine (festival's voices only).
for split in test new-combination paraphrase ood; do
  py conditions --speech "data/eval/$split" --out "data/eval/$split-conditions" --workers "$WORKERS"
done
speak new-combination data/eval/new-combination-festival --clean --only-engine festival
# Kokoro, an engine no model has heard: its dev voices speak dev (the threshold is chosen on both dev
# splits), its test voices the test sentences (~30 min of one core each).
speak dev data/eval/dev-kokoro --clean --only-engine kokoro --voices dev
speak test data/eval/test-kokoro --clean --only-engine kokoro --voices heldout
# The remaining epochs.
for ((k = 1; k < EPOCHS; k++)); do speak "train-e$k" "data/speech/train-e$k" --voices train; done
