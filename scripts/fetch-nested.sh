#!/bin/sh
# Fetches the real nested-virtualization stack (docs/nested.md) into
# $A83_GUEST_CACHE/nested and builds its initramfs images:
#
#   Image                Debian trixie-backports' Linux 7.x cloud kernel for arm64
#                        (linux-binary-7.*-cloud-arm64: its vmlinuz is an Image)
#   qemu/                Debian trixie-backports' QEMU 11 for arm64, extracted
#                        with mmdebstrap --variant=extract (nothing installed)
#   initramfs-l2.cpio    busybox + guest/nested/init-l2: L2, the innermost Linux
#   initramfs-l1.cpio    busybox + QEMU + Image + initramfs-l2.cpio: L1 at vEL2
#   initramfs-l0.cpio    busybox + QEMU + Image + initramfs-l1.cpio: L0 at EL2
#
# The trixie suites are reached through a private apt configuration (its own
# sources list, state and cache folders under the cache); the archive URL is
# the one of the host's own Debian sources, never written here. Nothing is
# installed on the host but mmdebstrap (scripts/install-deps.sh --nested).
# busybox comes from scripts/fetch-guest.sh (bookworm's static arm64 build).
# Idempotent: reuses what is cached; the images are rebuilt when an init
# script is newer. The archives are uncompressed on purpose: every level's
# kernel unpacks its initramfs, and gzip there would cost instructions at
# every level.
#
# usage: scripts/fetch-nested.sh [--bench ELF [--bench-only]]
#        ELF: the exit microbenchmark, copied into L0's and L1's images so that
#        they can run it as a guest before the Linux guest; these images have
#        their own names (initramfs-l1-bench.cpio, initramfs-l0-bench.cpio,
#        images-bench.stamp), so that the plain ones, which bench/bench.sh's
#        nested benchmark runs, never change with what ran before (the tests
#        and the nested demo use the -bench ones). --bench-only builds another
#        pair instead (initramfs-l1-benchonly.cpio, initramfs-l0-benchonly.cpio) in
#        which L1 runs only the microbenchmark as L2 (no L2 Linux): the feature
#        ablation (scripts/ablation-nested.sh) needs no more, at a fraction of
#        the instructions. --vmm VMM (with --bench-only) also puts the
#        project's own VMM (guest/vmm, a static arm64 program) into L0's image,
#        so that L0 can start L1 with it instead of QEMU (a83.run=vmm-e2h0 on
#        L0's command line: guest/nested/init-hv).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
n=$cache/nested
bench=""
only=""
vmm=""
while [ $# -gt 0 ]; do
    case "$1" in
    --bench) bench=$2; shift 2 ;;
    --bench-only) only=-benchonly; shift ;;
    --vmm) vmm=$2; shift 2 ;;
    *) echo "fetch-nested: unknown option $1 (usage: fetch-nested.sh [--bench ELF [--bench-only]])" >&2; exit 2 ;;
    esac
done
[ -z "$only" ] || [ -n "$bench" ] || { echo "fetch-nested: --bench-only needs --bench ELF" >&2; exit 2; }
[ -z "$vmm" ] || [ -n "$only" ] || { echo "fetch-nested: --vmm needs --bench-only" >&2; exit 2; }
[ -z "$vmm" ] || [ -s "$vmm" ] || { echo "fetch-nested: --vmm $vmm: no such file" >&2; exit 2; }
[ -z "$bench" ] || [ -s "$bench" ] || { echo "fetch-nested: --bench $bench: no such file" >&2; exit 2; }
for t in apt-get dpkg cpio readelf mmdebstrap; do
    command -v $t >/dev/null 2>&1 || {
        echo "fetch-nested: $t is missing (run scripts/install-deps.sh --nested)" >&2
        exit 1
    }
done
sh "$top/scripts/fetch-guest.sh" >/dev/null
. "$top/scripts/private-apt.sh"
a83_private_apt_init "$n"
mkdir -p "$n/debs"
# The host's Debian archive (the main one, not security updates).
url=$(a83_debian_archive)
[ -n "$url" ] || { echo "fetch-nested: no Debian archive in the host's apt sources" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$n/apt/sources.list" <<EOF
deb [arch=arm64 signed-by=$keyring] $url trixie main
deb [arch=arm64 signed-by=$keyring] $url trixie-backports main
EOF
apt_private() { a83_apt "$@"; }

# ---- the kernel ----------------------------------------------------------
if [ ! -s "$n/Image" ]; then
    apt_private apt-get update >/dev/null
    kpkg=$(apt_private apt-cache search --names-only '^linux-binary-7\.[0-9.]+\+deb13-cloud-arm64$' |
           awk '{print $1}' | sort -V | tail -n 1)
    [ -n "$kpkg" ] || { echo "fetch-nested: no linux-binary-7.*-cloud-arm64 in trixie(-backports)" >&2; exit 1; }
    # apt's _apt user cannot write into a cache owned by another user: download
    # without its sandbox (the download is checked against the signed index).
    (cd "$n/debs" && ls "${kpkg}"_*.deb >/dev/null 2>&1 ||
        apt_private apt-get -o APT::Sandbox::User=root download "$kpkg")
    rm -rf "$n/kx"
    dpkg -x "$(ls "$n/debs/${kpkg}"_*.deb | head -n 1)" "$n/kx"
    # The 7.x packages keep the kernel at /usr/lib/modules/VERSION/vmlinuz.
    vmlinuz=$(ls "$n"/kx/boot/vmlinuz-* "$n"/kx/usr/lib/modules/*/vmlinuz 2>/dev/null | sort -V | tail -n 1)
    [ -n "$vmlinuz" ] || { echo "fetch-nested: no vmlinuz in $kpkg" >&2; exit 1; }
    if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" >"$n/Image.tmp"; else cp "$vmlinuz" "$n/Image.tmp"; fi
    # booting.rst: the arm64 Image header has the magic "ARM\x64" at offset 56.
    [ "$(dd if="$n/Image.tmp" bs=1 skip=56 count=4 2>/dev/null | od -An -c | tr -d ' ')" = 'ARMd' ] || {
        echo "fetch-nested: $vmlinuz is not an arm64 Image" >&2
        exit 1
    }
    mv "$n/Image.tmp" "$n/Image"
    echo "$kpkg" >"$n/kernel-package"
    rm -rf "$n/kx"
fi

# ---- QEMU 11 for arm64 ----------------------------------------------------
if [ ! -x "$n/qemu/usr/bin/qemu-system-aarch64" ]; then
    rm -rf "$n/qemu.tmp"
    bp=trixie-backports
    mmdebstrap --quiet --variant=extract --mode=root --architectures=arm64 \
        --include="qemu-system-arm/$bp,qemu-system-common/$bp,qemu-system-data/$bp" \
        trixie "$n/qemu.tmp" "deb $url trixie main" "deb $url $bp main" >"$n/mmdebstrap.log" 2>&1 || {
        echo "fetch-nested: mmdebstrap failed (see $n/mmdebstrap.log)" >&2
        exit 1
    }
    rm -rf "$n/qemu"
    mv "$n/qemu.tmp" "$n/qemu"
    apt_private apt-get update >/dev/null
    echo "qemu-system-arm $(apt_private apt-cache madison qemu-system-arm |
        awk -F'|' '/trixie-backports/ {gsub(/ /, "", $2); print $2; exit}')" >"$n/qemu-version"
fi

# ---- the images -------------------------------------------------------------
# add_qemu ROOT: QEMU and exactly the files its NEEDED closure names.
add_qemu() {
    for f in $(sh "$top/scripts/elf-closure.sh" "$n/qemu" /usr/bin/qemu-system-aarch64); do
        mkdir -p "$1$(dirname "$f")"
        cp -P "$n/qemu$f" "$1$f"
    done
    # merged /usr: the loader is asked for /lib/ld-linux-aarch64.so.1
    ln -s usr/lib "$1/lib"
}
# mkimage ROOT OUT: a byte-reproducible newc archive of ROOT.
mkimage() {
    find "$1" -exec touch -h -d @0 {} +
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet) >"$2.tmp"
    mv "$2.tmp" "$2"
}
base_root() {
    rm -rf "$1"
    mkdir -p "$1/bin" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" "$1/nested"
    cp "$cache/x/bin/busybox" "$1/bin/busybox"
    chmod +x "$1/bin/busybox"
}
# the images' names: plain, -bench (--bench) or -benchonly (--bench-only)
sfx=$only
[ -n "$sfx" ] || [ -z "$bench" ] || sfx=-bench
stamp=$n/images$sfx.stamp
l0img=$n/initramfs-l0$sfx.cpio
inputs="$top/guest/nested/init-l2 $top/guest/nested/init-hv $top/scripts/fetch-nested.sh $n/Image"
[ -n "$bench" ] && inputs="$inputs $bench"
[ -n "$vmm" ] && inputs="$inputs $vmm"
# the stamp names the contents, not the paths (the tests pass absolute ones)
content_id() { if [ -n "$1" ]; then sha256sum <"$1" | cut -c1-16; fi; }
want="bench=$(content_id "$bench") vmm=$(content_id "$vmm")"
fresh=1
[ -s "$l0img" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] || fresh=0
for f in $inputs; do [ "$f" -nt "$l0img" ] && fresh=0; done
if [ $fresh = 0 ]; then
    r=$n/root
    base_root "$r"
    cp "$top/guest/nested/init-l2" "$r/init"
    mkimage "$r" "$n/initramfs-l2.cpio"

    # level DIR LEVEL NEXT_CPIO NEXT_CMDLINE NEXT_MEM
    level() {
        base_root "$1"
        cp "$top/guest/nested/init-hv" "$1/init"
        add_qemu "$1"
        echo "$2" >"$1/nested/level"
        cp "$n/Image" "$1/nested/Image"
        cp "$3" "$1/nested/initramfs.cpio"
        echo "$4" >"$1/nested/next.cmdline"
        echo "$5" >"$1/nested/next.mem"
        echo "linux" >"$1/nested/run"
        if [ -n "$bench" ]; then
            cp "$bench" "$1/nested/exitbench.elf"
            echo "bench linux" >"$1/nested/run"
        fi
        # --bench-only: L1 runs the microbenchmark and no Linux guest
        if [ -n "$only" ] && [ "$2" = 1 ]; then
            rm -f "$1/nested/Image" "$1/nested/initramfs.cpio"
            echo "bench" >"$1/nested/run"
        fi
        if [ -n "$vmm" ] && [ "$2" = 0 ]; then
            cp "$vmm" "$1/nested/a83vmm"
            chmod +x "$1/nested/a83vmm"
        fi
    }
    level "$r" 1 "$n/initramfs-l2.cpio" "console=ttyAMA0 a83.level=2" 256M
    mkimage "$r" "$n/initramfs-l1$sfx.cpio"
    level "$r" 0 "$n/initramfs-l1$sfx.cpio" "console=ttyAMA0 a83.level=1" 1280M
    mkimage "$r" "$l0img"
    rm -rf "$r"
    echo "$want" >"$stamp"
fi
echo "fetch-nested: $n ready ($(cat "$n/kernel-package"), $(cat "$n/qemu-version"))"
