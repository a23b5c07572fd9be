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
# How the packages are chosen: qemu-system-arm:arm64 (it contains
# qemu-system-aarch64) and the library packages (names lib*, zlib*) of its
# recursive Depends (one apt-cache call, one apt-get download) are unpacked;
# the NEEDED entries of the binary are resolved recursively in that tree
# (scripts/elf-closure.sh, shared with fetch-nested.sh and fetch-xen-domu.sh);
# the packages that provide a file of that closure are listed in
# kvm/packages. qemu-system-common/-data hold helpers and firmware that
# `-M virt -kernel ELF -nodefaults` does not read. The initramfs gets only
# the files of the closure: the binary, the dynamic loader and the libraries,
# symbolic links kept as links.
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
   [ "$out" -nt "$top/scripts/fetch-kvm.sh" ] && [ "$out" -nt "$top/scripts/elf-closure.sh" ] &&
   { [ -z "$elf" ] || [ "$out" -nt "$elf" ]; }; then
    exit 0
fi

mkdir -p "$kvm/debs" "$kvm/x"
cd "$kvm/debs"

# fetch PKG: the .deb of PKG (arm64) in kvm/debs, downloaded once.
fetch() {
    ls "${1}"_*_arm64.deb >/dev/null 2>&1 || apt-get download -q "$1:arm64" >/dev/null ||
        { echo "fetch-kvm: apt-get download $1:arm64 failed" >&2; exit 1; }
    ls "${1}"_*_arm64.deb | head -n 1
}
# closure: the files (paths inside kvm/x, one a line) the binary needs at run
# time; status 1, naming the library on stderr, when one cannot be found.
closure() {
    sh "$top/scripts/elf-closure.sh" "$kvm/x" /usr/bin/qemu-system-aarch64
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
    if ! closure >/dev/null 2>&1; then
        rm -rf "$kvm/x" && mkdir -p "$kvm/x"
        reuse=0
    fi
fi
if [ $reuse = 0 ]; then
    rm -f "$kvm/packages"
    # Candidates: qemu-system-arm and every library package (lib*, zlib*) in
    # its recursive Depends/PreDepends, resolved by one apt-cache call and
    # fetched by one apt-get call (one package at a time took minutes). Only
    # names printed with ":arm64" are arm64 packages: Architecture: all ones
    # (libasound2-data, ...) hold no libraries.
    cands=$(apt-cache depends --recurse --no-recommends --no-suggests --no-enhances --no-conflicts \
                --no-breaks --no-replaces qemu-system-arm:arm64 2>/dev/null |
            sed -n 's/^\([a-z0-9][a-z0-9.+-]*\):arm64$/\1/p' | grep -E '^(lib|zlib)' |
            LC_ALL=C sort -u)
    [ -n "$cands" ] || { echo "fetch-kvm: apt-cache depends qemu-system-arm:arm64 found nothing" >&2; exit 1; }
    todo=""
    for c in qemu-system-arm $cands; do
        ls "${c}"_*_arm64.deb >/dev/null 2>&1 || todo="$todo $c:arm64"
    done
    # shellcheck disable=SC2086
    [ -z "$todo" ] || apt-get download -q $todo >/dev/null ||
        { echo "fetch-kvm: apt-get download failed for:$todo" >&2; exit 1; }
    for c in qemu-system-arm $cands; do dpkg -x "$(ls "${c}"_*_arm64.deb | head -n 1)" "$kvm/x"; done
    closure 2>"$kvm/closure.err" | sed 's|^|.|' | LC_ALL=C sort -u >"$kvm/closure.files"
    [ -s "$kvm/closure.err" ] &&
        { echo "fetch-kvm: no dependency of qemu-system-arm provides: $(cat "$kvm/closure.err")" >&2; exit 1; }
    rm -f "$kvm/closure.err"
    # Keep the packages that provide a file of the closure (kvm/packages).
    kept="qemu-system-arm"
    for c in $cands; do
        if dpkg-deb -c "$(ls "${c}"_*_arm64.deb | head -n 1)" | awk '{print $6}' |
           LC_ALL=C sort -u | LC_ALL=C comm -12 - "$kvm/closure.files" | grep -q .; then
            kept="$kept $c"
        fi
    done
    rm -f "$kvm/closure.files"
    echo "$kept" | tr ' ' '\n' | LC_ALL=C sort >"$kvm/packages"
fi

# The initramfs: busybox, init, QEMU with its closure (loader, libraries).
root="$kvm/root"
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/usr/bin"
cp "$cache/x/bin/busybox" "$root/bin/busybox"
cp "$top/guest/init-kvm" "$root/init"
files=$(closure) || exit 1
for p in $files; do
    mkdir -p "$root$(dirname "$p")"
    cp -P "$kvm/x$p" "$root$p"
done
# PT_INTERP (/lib/ld-linux-aarch64.so.1, a link into libc6's multiarch folder)
[ -e "$root/lib/ld-linux-aarch64.so.1" ] ||
    { echo "fetch-kvm: /lib/ld-linux-aarch64.so.1 is not in the closure" >&2; exit 1; }
[ -z "$elf" ] || cp "$elf" "$root/exitbench.elf"
chmod +x "$root/init" "$root/bin/busybox" "$root/usr/bin/qemu-system-aarch64"
find "$root" -exec touch -h -d @0 {} +    # byte-identical archive on every machine
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | gzip -n -9) \
    >"$out.tmp"
mv "$out.tmp" "$out"
echo "fetch-kvm: $out ready ($(wc -l <"$kvm/packages") packages, $(find "$root" -type f | wc -l) files)"
