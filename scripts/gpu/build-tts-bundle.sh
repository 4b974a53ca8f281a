#!/bin/bash
# Build .devbundle/tts.tar.xz from this (Debian 12) machine's installed espeak-ng, flite, festival
# (+ festlex-cmu, festlex-poslex, festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts), sox (with
# libsox-fmt-mp3), opusenc/opusdec (opus-tools) and rubberband (rubberband-cli): what `compress synth` runs.
# Members are paths relative to / (usr/bin/..., usr/lib/x86_64-linux-gnu/..., usr/share/festival/..., etc/festival.scm).
# Target: tar -xJf tts.tar.xz -C / --skip-old-files && ldconfig
#
# ESPEAK_TRIM=1 (default) leaves out espeak-ng's non-English *_dict files (lang/ and voices/ stay whole,
# so `espeak-ng --voices=...` lists exactly what it lists here). ESPEAK_TRIM=0 keeps espeak-ng-data whole.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)/.devbundle; mkdir -p "$HERE"
OUT=${OUT:-$HERE/tts.tar.xz}
ESPEAK_TRIM=${ESPEAK_TRIM:-1}
STAGE=$(mktemp -d /tmp/ttsbundle.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
LIB=usr/lib/x86_64-linux-gnu

# glibc's own libraries (package libc6): never bundled, the target's newer glibc provides them
GLIBC_RE='^(libc\.so\.6|libm\.so\.6|libmvec\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libresolv\.so\.2|libutil\.so\.1|libanl\.so\.1|libBrokenLocale\.so\.1|libnss_[a-z]+\.so\.2|libthread_db\.so\.1|libc_malloc_debug\.so\.0|libmemusage\.so|libpcprofile\.so|ld-linux-x86-64\.so\.2|linux-vdso\.so\.1)$'

copy() {  # copy a path (file, symlink or dir) from / into the stage, keeping its absolute location
    local p=${1#/}
    mkdir -p "$STAGE/$(dirname "$p")"
    cp -a "/$p" "$STAGE/$p"
}

# --- binaries and data ---------------------------------------------------------------------------
BINS=(/usr/bin/espeak-ng /usr/bin/flite /usr/bin/festival /usr/bin/sox /usr/bin/opusenc /usr/bin/opusdec /usr/bin/rubberband)
for b in "${BINS[@]}"; do copy "$b"; done
ln -s sox "$STAGE/usr/bin/soxi"                     # as the sox package has it (soxi, play, rec -> sox)
copy /usr/bin/text2wave                             # festival's own wav-writer script (tiny)
copy /etc/festival.scm                              # festival reads it at startup (Debian site init)
copy /usr/share/festival                            # lib dir (compiled in) + dicts/cmu, poslex, voices/*
copy /$LIB/sox                                      # libsox format plugins (dlopen'ed via libltdl)
if [ "$ESPEAK_TRIM" = 1 ]; then
    mkdir -p "$STAGE/$LIB/espeak-ng-data"
    (cd /$LIB/espeak-ng-data && for f in *; do
        case "$f" in *_dict) [ "$f" = en_dict ] || continue ;; esac
        cp -a "$f" "$STAGE/$LIB/espeak-ng-data/"
    done)
else
    copy /$LIB/espeak-ng-data
fi

# --- shared libraries: recursive ldd closure of every ELF in the stage -----------------------------
declare -A SEEN=()
NEW=""
add_lib() {  # $1: a path ldd resolved; bundles the real file and its soname link; sets NEW to the staged real file
    local path=$1 name real dir
    NEW=""
    name=$(basename "$path")
    [[ $name =~ $GLIBC_RE ]] && return 0
    [ -n "${SEEN[$path]:-}" ] && return 0
    SEEN[$path]=1
    real=$(readlink -f "$path")
    # canonical place: /lib is a symlink to usr/lib on merged-/usr systems (Debian 12 and Ubuntu 24.04)
    dir=$(dirname "$real"); dir=${dir#/}
    mkdir -p "$STAGE/$dir"
    if [ ! -e "$STAGE/$dir/$(basename "$real")" ]; then
        cp -a "$real" "$STAGE/$dir/"
        NEW=$STAGE/$dir/$(basename "$real")
    fi
    if [ "$name" != "$(basename "$real")" ] && [ ! -e "$STAGE/$dir/$name" ] && [ ! -L "$STAGE/$dir/$name" ]; then
        ln -s "$(basename "$real")" "$STAGE/$dir/$name"
    fi
}
queue=()
while IFS= read -r f; do queue+=("$f"); done < <(find "$STAGE" -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c 'file -b "$1" | grep -q "^ELF" && echo "$1"' _ {} \;)
echo "ELF files from packages: ${#queue[@]}"
while [ ${#queue[@]} -gt 0 ]; do
    elf=${queue[0]}; queue=("${queue[@]:1}")
    sys=/${elf#$STAGE/}   # ldd on the system copy: what the loader resolves here
    while read -r name arrow path rest; do
        [ "$arrow" = "=>" ] || continue
        [ "$path" = "not" ] && { echo "MISSING dependency $name of $sys" >&2; exit 1; }
        add_lib "$path"
        [ -n "$NEW" ] && queue+=("$NEW")
    done < <(ldd "$sys")
done
echo "shared libraries bundled for dependencies: ${#SEEN[@]} (glibc's excluded)"

# --- pack ----------------------------------------------------------------------------------------
find "$STAGE" -name '*.pyc' -delete
(cd "$STAGE" && find . -mindepth 1 -maxdepth 3 | sort | sed 's|^\./||' > "${OUT%.tar.xz}.toplevel.txt")
echo "uncompressed: $(du -sh --apparent-size "$STAGE" | cut -f1)"
(cd "$STAGE" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort > "$STAGE.list")
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --no-recursion -T "$STAGE.list" -cf - \
    | xz -9e -T1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cp "$STAGE.list" "${OUT%.tar.xz}.filelist.txt"; rm -f "$STAGE.list"
echo "wrote $OUT: $(du -h "$OUT" | cut -f1) ($(stat -c %s "$OUT") bytes), $(wc -l < "${OUT%.tar.xz}.filelist.txt") members"
