#!/bin/sh
# Lists the files an arm64 ELF program needs at run time inside an unpacked
# Debian tree: the program, its program interpreter (ld-linux-aarch64.so.1),
# and the transitive closure of its DT_NEEDED shared libraries, found the way
# the dynamic loader finds them (the multiarch and plain library folders of
# ROOT), with symbolic links kept as links and their targets listed too.
#
# usage: elf-closure.sh ROOT PROGRAM...      (PROGRAM: a path inside ROOT, e.g.
#                                             /usr/bin/qemu-system-aarch64)
# Files of an extracted merged-/usr tree (no /lib -> usr/lib link) are listed
# under /usr: the image must provide the /lib -> usr/lib link itself.
# Prints one path per line, relative to ROOT, sorted, each once. Exit status 1
# with a message naming the library when a NEEDED entry cannot be found.
set -eu
root=$1
shift
command -v readelf >/dev/null 2>&1 || { echo "elf-closure: readelf is missing (binutils)" >&2; exit 1; }
libdirs="/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib"
list=$(mktemp)
todo=$(mktemp)
trap 'rm -f "$list" "$todo"' EXIT

# canon PATH: PATH with every symbolic link among its folders resolved inside
# ROOT (merged-/usr trees have /lib -> usr/lib).
canon() {
    out=""
    rest=${1#/}
    while [ -n "$rest" ]; do
        c=${rest%%/*}
        case "$rest" in */*) rest=${rest#*/} ;; *) rest="" ;; esac
        if [ -n "$rest" ] && [ -L "$root$out/$c" ]; then
            t=$(readlink "$root$out/$c")
            case "$t" in /*) rest=${t#/}/$rest; out="" ;; *) rest=$t/$rest ;; esac
            continue
        fi
        case "$c" in
        .|"") ;;
        ..) out=${out%/*} ;;
        *) out=$out/$c ;;
        esac
    done
    # An extracted (not installed) merged-/usr tree has no /lib -> usr/lib
    # link yet: the file is under /usr (the image builder adds the links).
    [ ! -e "$root$out" ] && [ ! -L "$root$out" ] && [ -e "$root/usr$out" ] && out=/usr$out
    echo "$out"
}

# add PATH: records PATH (inside ROOT) and, for a symbolic link, its target.
add() {
    p=$(canon "$1")
    while :; do
        grep -qxF "$p" "$list" 2>/dev/null && return 0
        echo "$p" >>"$list"
        if [ -L "$root$p" ]; then
            t=$(readlink "$root$p")
            case "$t" in /*) p=$(canon "$t") ;; *) p=$(canon "$(dirname "$p")/$t") ;; esac
            continue
        fi
        echo "$p" >>"$todo"
        return 0
    done
}

find_lib() {
    for d in $libdirs; do
        [ -e "$root$d/$1" ] && { echo "$d/$1"; return 0; }
    done
    return 1
}

for prog in "$@"; do
    [ -e "$root$prog" ] || { echo "elf-closure: $root$prog not found" >&2; exit 1; }
    add "$prog"
    interp=$(readelf -lW "$root$prog" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
    [ -n "$interp" ] && add "$interp"
done
n=0
while [ "$n" -lt "$(wc -l <"$todo")" ]; do
    n=$((n + 1))
    f=$(sed -n "${n}p" "$todo")
    for lib in $(readelf -dW "$root$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        p=$(find_lib "$lib") || { echo "elf-closure: $lib (needed by $f) not found under $root" >&2; exit 1; }
        add "$p"
    done
done
LC_ALL=C sort -u "$list"
