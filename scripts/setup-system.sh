#!/usr/bin/env bash
# Installs the Debian packages the toolkit's speech synthesis needs: the engines (espeak-ng, flite,
# festival with its English voices), sox with its MP3 format (LAME + libmad), opus-tools (the Opus
# codec augmentation) and Rubber Band (vocal-tract-length perturbation).
# Re-running is cheap: it does nothing when all are there.
# As non-root it installs nothing and prints the exact command to run.
set -euo pipefail

# festlex-cmu and festlex-poslex (festival's English lexicon) come in as dependencies of the voices.
packages=(espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts sox libsox-fmt-mp3 opus-tools
          rubberband-cli)
# MBROLA's English voices would add three more espeak-ng voices, but Debian ships mbrola in
# non-free only; they are installed when an apt source offers them, and skipped otherwise.
optional=(mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {if ($2 != "(none)") print $2}')" ]; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
missing_optional=()
for p in "${optional[@]}"; do installed "$p" || missing_optional+=("$p"); done

if [ ${#missing[@]} -eq 0 ] && { [ ${#missing_optional[@]} -eq 0 ] || ! available mbrola; }; then
  echo "speech packages: all installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  if [ ${#missing[@]} -eq 0 ]; then
    echo "speech packages: installed (optional ${missing_optional[*]} not installed: needs root)"
    exit 0
  fi
  echo "error: missing Debian packages for speech synthesis. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
for p in "${missing_optional[@]}"; do available "$p" && missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "speech packages: installed ${missing[*]:-nothing new}"
