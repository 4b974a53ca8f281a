#!/usr/bin/env bash
# Prepares .devbundle/ (git-ignored) for a GPU machine with no network and no TTS engines:
# the Debian TTS engines and audio tools (tts.tar.xz), wheels of this toolkit's transformers/tokenizers/hub/
# peft/pyroomacoustics pins for Python 3.12, and the corpus (xz). Carry `.devbundle` and data/whisper/whisper-tiny.en/encoder.npz.
# On the machine: `bash scripts/gpu/lease.sh 1` then `bash scripts/gpu/lease.sh 2` (see that script), or
# `bash scripts/gpu/lease.sh student` with STUDENT_INIT=an exported folder given here (~11 MB of q4dq);
# `python3 experiments/smoke.py` checks the CUDA paths on two fixture clips first (~30 s).
# The call's working tree is limited to 64 MiB: leave committed model folders out of it for the call.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${STUDENT_INIT:-}" ]; then  # checked first: the rest takes minutes
  .venv/bin/python -c "import json, sys; sys.exit('q4dq' not in json.load(open(sys.argv[1]))['variants'])" "$STUDENT_INIT/manifest.json" \
    || { echo "$STUDENT_INIT has no q4dq variant: compress export --quant q4dq"; exit 1; }
fi
grep -qx '/.devbundle/' .git/info/exclude || echo /.devbundle/ >> .git/info/exclude
bash scripts/gpu/build-tts-bundle.sh
mkdir -p .devbundle/whl
# pyroomacoustics (the reverb augmentation): the machine has scipy and numpy; its Cython requirement is for building only
for w in transformers==4.48.3 tokenizers==0.21.0 huggingface_hub==0.27.1 peft==0.14.0 pyroomacoustics==0.10.1; do
  .venv/bin/python -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .devbundle/whl "$w"
done
tar -cJf .devbundle/corpus.tar.xz data/corpus
if [ -n "${STUDENT_INIT:-}" ]; then  # `lease.sh student` starts from this exported folder (its q4dq graphs)
  rm -rf .devbundle/student-init && cp -r "$STUDENT_INIT" .devbundle/student-init
fi
.venv/bin/python -c "from compress.whisper_init import encoder_arrays; encoder_arrays('whisper-tiny.en')"
du -sh .devbundle data/whisper/whisper-tiny.en/encoder.npz
