#!/usr/bin/env bash
# One lease of a GPU machine (no network, no TTS engines), in two calls on the same warm machine. A lease
# is 15 minutes of device time in all (the machine's start, ~1-2 min, both calls, the transfers) and a
# call at most 600 s, so the calls' deadlines add up to ~690 s. Needs .devbundle (scripts/gpu/prepare.sh)
# and data/whisper/whisper-tiny.en/encoder.npz carried. Every stage has a deadline; what finished is packed
# into $OUT (≤ 8 files, ≤ 64 MiB).
#   call 1: END=430 bash scripts/gpu/lease.sh 1   speech of dev, ood-train and the first sampled set →
#                                                  teacher (the other sets are spoken meanwhile on the
#                                                  idle cores, each joining at the next epoch once complete)
#                                                  → pack; prune → pack
#   call 2: END=260 bash scripts/gpu/lease.sh 2   the rest of compress-student (no KD: the corpus samples new
#                                                  sentences every epoch) up to the fine-tunes → pack
# Call 2 needs call 1's machine: send it at once (a machine stays warm 30 s after a call).
#   or one call: END=540 bash scripts/gpu/lease.sh student
#                                                  the 5-layer student trained on directly (v5's recipe at a
#                                                  GPU's scale), warm-started from the exported folder that
#                                                  prepare.sh put in .devbundle/student-init (STUDENT_INIT),
#                                                  on every sampled set spoken in time → pack (the bundle's
#                                                  corpus should hold sets the init has not heard: another
#                                                  --seed than its own, or FIRST_EPOCH=k past them)
# The corpus (data/corpus, from `compress phrasebook --epochs N`) comes in .devbundle; EPOCHS sets how
# many of its sampled sets are spoken here (16 cores: ~100 s per 10,000 clips with augmentation).
# AUGMENT="rt60_s=0.3,1.0" widens the training speech's augmentation ranges (`compress speak --augment`; the
# reverb condition's rooms have RT60 0.6–0.9 s, the default draws 0.2–0.8 s); give every call of a lease the same.
# WITHOUT_ENGINE=festival trains the teacher without that engine's clips (the held-out-engine model, #13; call
# 2's student fine-tunes still hear every engine, so measure the teacher on held-out-engine).
# (the 2026-11-27 lease: call 1 took 308 s, call 2 250 s, on an H200; END = seconds the call may use)
# Back here: cat pack.tar.* | tar -x; python scripts/gpu/pack.py unpack pack --teacher-out … --student-out …
# (the student call's pack holds one run in the teacher's layout: unpack it with --teacher-out)
set -uo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
[ -n "${REHEARSAL:-}" ] || export PYTHONPATH=/tmp/site
T0=$(date +%s)
END=${END:-$(case $1 in 1) echo 430 ;; student) echo 540 ;; *) echo 260 ;; esac)}
PY=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
left() { echo $((END - ($(date +%s) - T0))); }
until_end() { local t=$(($(left) - $1)); echo $((t > 10 ? t : 10)); }  # a stage's timeout: what is left less a margin
say() { echo "[$(($(date +%s) - T0)) s] $*"; }
pack() {  # pack NAME DIR...: tar, split into 15 MiB parts under $OUT
  local name=$1; shift
  tar -cf - "$@" | split -b 15M -d - "$OUT/$name.tar."
  say "packed $name: $(du -ch "$OUT/$name".tar.* | tail -1)"
}

AUGMENT_ARGS=()  # AUGMENT="rt60_s=0.3,1.0 reverb_prob=0.5": `compress speak --augment` settings, one per word
for setting in ${AUGMENT:-}; do AUGMENT_ARGS+=(--augment "$setting"); done
speak() {  # speak SPLIT WORKERS: resumable (clips already spoken are kept)
  $PY -m compress speak --sentences "data/corpus/$1.jsonl" --split "$1" --out "data/speech/$1" --voices train \
    --seed 0 --workers "$2" "${AUGMENT_ARGS[@]}" 2>&1 | awk 'NR%50==1'
}
speak_the_other_sets() {  # on the cores training leaves idle (the GPU loop uses ~2)
  for k in $(seq 1 $((${EPOCHS:-2} - 1))); do
    [ -f "data/speech/train-e$k/summary.json" ] && continue  # spoken whole by an earlier call
    speak "train-e$k" $(($(nproc) > 4 ? $(nproc) - 2 : 1)) || { say "speaking train-e$k failed"; return 1; }
  done
  say "every sampled set spoken: $(cat data/speech/*/manifest.jsonl | wc -l) clips"
}
if [ "$1" = rest ]; then speak_the_other_sets; exit; fi
start_speaking_the_other_sets() {  # in a process group of its own, ended with this call (a second
  setsid bash "$SELF" rest &      # speaker on the same set would write the same files)
  trap "kill -- -$! 2>/dev/null" EXIT
}

first_speech() {  # the environment, then the speech training cannot start without
  nproc; nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  if [ -z "${REHEARSAL:-}" ]; then  # REHEARSAL=1: a dry run here, on the CPU, with a small data/ already in place
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .devbundle/whl/*.whl
    tar -xJf .devbundle/tts.tar.xz -C / --skip-old-files && ldconfig
    tar -xJf .devbundle/corpus.tar.xz
  fi
  say "environment ready"
  for split in dev ood-train train-e0; do speak "$split" "$(nproc)"; done
  say "speech ready: $(cat data/speech/*/manifest.jsonl | wc -l) clips"
  start_speaking_the_other_sets  # each set joins the training at the first epoch after it is complete
}

mkdir -p runs
if [ "$1" = student ]; then
  [ -f .devbundle/student-init/manifest.json ] || { say "no .devbundle/student-init: STUDENT_INIT=… bash scripts/gpu/prepare.sh"; exit 1; }
  first_speech  # installs the wheels import-onnx needs
  $PY -m compress import-onnx --model .devbundle/student-init --out runs/student-init --force || exit 1
  # the schedule ends with the time left (a run cut by its timeout would end mid-schedule, at a high lr),
  # less 120 s for what --minutes does not count (the first feature caches, the last evaluation, the save)
  # and the 10% the trainer may overrun it
  timeout "$(until_end 30)" $PY -m compress train-teacher --init runs/student-init --device "$DEVICE" \
    --minutes "$(awk "BEGIN { print $(until_end 120) / 60 }")" --batch-tokens "${STUDENT_BATCH:-32768}" \
    --lr "${STUDENT_LR:-4e-4}" --warmup 50 --encoder-lr-scale 0.1 --eval-every 500 --first-epoch "${FIRST_EPOCH:-0}" \
    --out runs/student-direct 2>&1 | grep -v "^  features" | tee runs/student-direct.log
  say "student done"
  rm -rf /tmp/pack && mkdir -p /tmp/pack && cp runs/student-direct.log /tmp/pack/  # the log comes back on every path
  status=0
  if [ -d runs/student-direct/final ] || [ -d runs/student-direct/checkpoint ]; then
    cp runs/student-direct.log runs/student-direct/train.log
    $PY scripts/gpu/pack.py teacher runs/student-direct /tmp/pack/teacher || { say "packing the checkpoint failed"; status=1; }
  else
    say "no checkpoint: the training ended before its first one"; status=1
  fi
  (cd /tmp && pack student-direct pack)
  ls -la "$OUT"; say "call student done"
  exit $status
fi
if [ "$1" = 1 ]; then
  first_speech
  timeout "$(until_end 60)" $PY -m compress train-teacher --device "$DEVICE" --minutes "${TEACHER_MINUTES:-2.4}" \
    --encoder-init whisper-tiny.en --encoder-lr-scale 0.1 --batch-tokens "${TEACHER_BATCH:-32768}" --lr "${TEACHER_LR:-2e-3}" \
    --eval-every 500 ${WITHOUT_ENGINE:+--without-engine "$WITHOUT_ENGINE"} --out runs/teacher-gpu 2>&1 | grep -v "^  features" | tee runs/teacher-gpu.log
  say "teacher done"
  cp runs/teacher-gpu.log runs/teacher-gpu/train.log
  rm -rf /tmp/pack && $PY scripts/gpu/pack.py teacher runs/teacher-gpu /tmp/pack/teacher && (cd /tmp && pack teacher pack)
  mkdir -p runs/student-gpu && ln -sfn ../teacher-gpu/features runs/student-gpu/features
  timeout "$(until_end 25)" $PY -m compress compress-student --teacher runs/teacher-gpu/final --out runs/student-gpu \
    --device "$DEVICE" --no-kd --stop-after prune 2>&1 | grep -v "^  features" | tee runs/student-gpu-1.log
  say "prune stage ended"
else
  [ -d runs/teacher-gpu/final ] || { say "no teacher: call 1 did not finish, or this is not its machine"; exit 1; }
  start_speaking_the_other_sets  # a set left unfinished by call 1 joins the fine-tunes once complete
  timeout "$(until_end 40)" $PY -m compress compress-student --teacher runs/teacher-gpu/final --out runs/student-gpu \
    --device "$DEVICE" --no-kd --stop-after ablations --batch-tokens "${BATCH:-16384}" --max-steps "${STEPS:-300}" \
    2>&1 | grep -v "^  features\|^  kd" | tee runs/student-gpu-2.log
  say "student stages ended"
fi
rm -rf /tmp/pack && $PY scripts/gpu/pack.py student runs/student-gpu /tmp/pack/student
cp runs/*.log /tmp/pack/ 2>/dev/null
gzip -f /tmp/pack/student/kd/train.jsonl 2>/dev/null
(cd /tmp && pack "student$1" pack)
ls -la "$OUT"; say "call $1 done"
