#!/bin/sh
# Fetches Debian bookworm's arm64 QEMU (qemu-system-aarch64, the VMM that runs
# a KVM guest inside the emulated Linux host) with exactly the packages that
# provide the shared libraries in its NEEDED closure, and builds the second
# initramfs, initramfs-kvm.cpio.gz: busybox + guest/init-kvm + QEMU + its
# libraries + the exit microbenchmark guest (docs/exitbench.md).
# Nothing is installed on the host: `apt-get download` + `dpkg -x`.
# Idempotent and cached in $A83_GUEST_CACHE (default ./guest-cache) under kvm/.
#
# usage: scripts/fetch-kvm.sh [EXITBENCH_ELF]
#   EXITBENCH_ELF  the benchmark guest (build/guest/exitbench/exitbench.elf);
#                  without it the initramfs has no /exitbench.elf.
#
# How the packages are chosen: start from qemu-system-arm:arm64 (it contains
# qemu-system-aarch64); resolve the NEEDED entries of every ELF file kept,
# recursively (readelf -d); while a soname is not found in the unpacked tree,
# download the next candidate among the Depends (apt-cache depends) of the
# packages kept so far, unpack it in a scratch tree and keep it only if it
# provides a missing soname. Only library packages (names lib*, zlib*) are
# candidates: qemu-system-common/-data hold helpers and firmware that
# `-M virt -kernel ELF -nodefaults` does not read. The kept list is written
# to kvm/packages; the initramfs gets only the binary, the libraries in the
# closure and the dynamic loader.
#
# Output ($A83_GUEST_CACHE):
#   initramfs-kvm.cpio.gz   byte-reproducible (mtimes 0, sorted, gzip -n)
#   kvm/packages            the Debian packages used, one per line
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
elf=${1:-}
[ -z "$elf" ] || [ -s "$elf" ] || { echo "fetch-kvm: $elf: no such file" >&2; exit 1; }
[ -z "$elf" ] || elf=$(cd "$(dirname "$elf")" && pwd)/$(basename "$elf")
kvm="$cache/kvm"
out="$cache/initramfs-kvm.cpio.gz"

# The base guest (kernel, busybox) first.
sh "$top/scripts/fetch-guest.sh"

for t in readelf cpio gzip apt-get apt-cache dpkg; do
    command -v $t >/dev/null 2>&1 || { echo "fetch-kvm: $t is missing (run scripts/install-deps.sh)" >&2; exit 1; }
done

# Up to date? (the archive is newer than every input)
if [ -s "$out" ] && [ -s "$kvm/packages" ] && [ "$out" -nt "$top/guest/init-kvm" ] &&
   [ "$out" -nt "$top/scripts/fetch-kvm.sh" ] && { [ -z "$elf" ] || [ "$out" -nt "$elf" ]; }; then
    exit 0
fi

mkdir -p "$kvm/debs" "$kvm/x" "$kvm/scratch"
cd "$kvm/debs"

# fetch PKG: the .deb of PKG (arm64) in kvm/debs, downloaded once.
fetch() {
    ls "${1}"_*_arm64.deb >/dev/null 2>&1 || apt-get download -q "$1:arm64" >/dev/null ||
        { echo "fetch-kvm: apt-get download $1:arm64 failed" >&2; exit 1; }
    ls "${1}"_*_arm64.deb | head -n 1
}
# libdirs: where the dynamic loader looks, in the unpacked tree.
LIBDIRS="lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib"
# find_lib TREE SONAME: prints the path (relative to TREE) of SONAME or nothing.
find_lib() {
    for d in $LIBDIRS; do
        if [ -e "$1/$d/$2" ]; then echo "$d/$2"; return 0; fi
    done
    return 0
}
# needed FILE: the NEEDED sonames of an ELF file.
needed() {
    readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
# closure: prints "soname path-or-MISSING" for the NEEDED closure of the binary.
closure() {
    todo="usr/bin/qemu-system-aarch64" seen=" "
    while [ -n "$todo" ]; do
        set -- $todo
        f=$1; shift; todo="$*"
        for n in $(needed "$kvm/x/$f"); do
            case "$seen" in *" $n "*) continue ;; esac
            seen="$seen$n "
            p=$(find_lib "$kvm/x" "$n")
            if [ -n "$p" ]; then echo "$n $p"; todo="$todo $p"; else echo "$n MISSING"; fi
        done
    done
}

rm -rf "$kvm/x"
mkdir -p "$kvm/x"
# A previous run's package list, all its .debs still here: reuse it (checked
# below: the closure must be complete, else the search runs again).
reuse=0
if [ -s "$kvm/packages" ]; then
    reuse=1
    for p in $(cat "$kvm/packages"); do
        ls "${p}"_*_arm64.deb >/dev/null 2>&1 || reuse=0
    done
fi
if [ $reuse = 1 ]; then
    for p in $(cat "$kvm/packages"); do dpkg -x "$(ls "${p}"_*_arm64.deb | head -n 1)" "$kvm/x"; done
    if closure | grep -q ' MISSING$'; then
        rm -rf "$kvm/x" && mkdir -p "$kvm/x"
        reuse=0
    fi
fi
kept="qemu-system-arm"
tried=" qemu-system-arm "
if [ $reuse = 0 ]; then
rm -f "$kvm/packages"
deb=$(fetch qemu-system-arm)
dpkg -x "$deb" "$kvm/x"
# depends PKG: PKG's Depends/PreDepends (arm64) that are library packages.
depends() {
    apt-cache depends --no-recommends --no-suggests --no-enhances "$1:arm64" 2>/dev/null |
        sed -n 's/^ *\(Pre\)\{0,1\}Depends: \([a-z0-9.+-]*\)\(:arm64\)\{0,1\}$/\2/p' |
        grep -E '^(lib|zlib)' || true
}
queue=$(depends qemu-system-arm)
missing=$(closure | awk '$2 == "MISSING" {print $1}')
while [ -n "$missing" ]; do
    [ -n "$queue" ] || { echo "fetch-kvm: no dependency of $kept provides: $missing" >&2; exit 1; }
    set -- $queue
    c=$1; shift; queue="$*"
    case "$tried" in *" $c "*) continue ;; esac
    tried="$tried$c "
    deb=$(fetch "$c")
    rm -rf "$kvm/scratch" && mkdir -p "$kvm/scratch"
    dpkg -x "$deb" "$kvm/scratch"
    provides=0
    for n in $missing; do
        [ -n "$(find_lib "$kvm/scratch" "$n")" ] && provides=1
    done
    if [ $provides = 1 ]; then
        dpkg -x "$deb" "$kvm/x"
        kept="$kept $c"
        queue="$queue $(depends "$c")"
        missing=$(closure | awk '$2 == "MISSING" {print $1}')
    else
        rm -f "$deb"    # provides nothing QEMU loads
    fi
done
rm -rf "$kvm/scratch"
echo "$kept" | tr ' ' '\n' | LC_ALL=C sort >"$kvm/packages"
fi

# The initramfs: busybox, init, QEMU, its library closure, the loader.
root="$kvm/root"
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/usr/bin"
cp "$cache/x/bin/busybox" "$root/bin/busybox"
cp "$top/guest/init-kvm" "$root/init"
cp "$kvm/x/usr/bin/qemu-system-aarch64" "$root/usr/bin/"
closure | while read -r n p; do
    mkdir -p "$root/$(dirname "$p")"
    cp -L "$kvm/x/$p" "$root/$p"
done
# The loader named by PT_INTERP (/lib/ld-linux-aarch64.so.1) is a symlink into
# the multiarch directory in libc6; keep both names.
ldso=$(find_lib "$kvm/x" ld-linux-aarch64.so.1)
[ -n "$ldso" ] || { echo "fetch-kvm: ld-linux-aarch64.so.1 not found" >&2; exit 1; }
mkdir -p "$root/lib"
[ -e "$root/lib/ld-linux-aarch64.so.1" ] || cp -L "$kvm/x/$ldso" "$root/lib/ld-linux-aarch64.so.1"
[ -z "$elf" ] || cp "$elf" "$root/exitbench.elf"
chmod +x "$root/init" "$root/bin/busybox" "$root/usr/bin/qemu-system-aarch64"
find "$root" -exec touch -h -d @0 {} +    # byte-identical archive on every machine
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | gzip -n -9) \
    >"$out.tmp"
mv "$out.tmp" "$out"
echo "fetch-kvm: $out ready ($(wc -l <"$kvm/packages") packages, $(find "$root" -type f | wc -l) files)"
