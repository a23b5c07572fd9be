#!/bin/sh
# Fetches the Debian arm64 guest (kernel, busybox; Xen with --xen) into a
# git-ignored cache and builds the initramfs from guest/init. Nothing is
# installed on the host: packages are fetched with `apt-get download` and
# unpacked with `dpkg -x`. Idempotent: does nothing when the cache is full.
#
# Output ($A83_GUEST_CACHE, default ./guest-cache):
#   Image            uncompressed Linux arm64 Image (Debian cloud kernel)
#   initramfs.cpio.gz
#   xen              Xen 4.17 hypervisor (with --xen)
#   initramfs-kvm.cpio.gz  with --kvm [EXITBENCH_ELF]: QEMU for the KVM
#                    exit microbenchmark (scripts/fetch-kvm.sh, docs/exitbench.md)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
want_xen=0
[ "${1:-}" = "--xen" ] && want_xen=1
if [ "${1:-}" = "--kvm" ]; then
    shift
    exec sh "$top/scripts/fetch-kvm.sh" "$@"    # it runs this script first, without --kvm
fi
mkdir -p "$cache/debs" "$cache/x"
SUDO=""
[ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo

need_fetch=0
[ -s "$cache/Image" ] && [ -s "$cache/initramfs.cpio.gz" ] || need_fetch=1
[ $want_xen = 1 ] && [ ! -s "$cache/xen" ] && need_fetch=1
[ $need_fetch = 0 ] && [ "$cache/initramfs.cpio.gz" -nt "$top/guest/init" ] && exit 0

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -qq
fi
if ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
    $SUDO apt-get update -qq
fi
kpkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$' |
       awk '{print $1}' | sort -V | tail -n 1)
[ -n "$kpkg" ] || { echo "fetch-guest: no linux-image-6.1.0-*-cloud-arm64-unsigned package" >&2; exit 1; }
pkgs="$kpkg:arm64 busybox-static:arm64"
[ $want_xen = 1 ] && pkgs="$pkgs xen-hypervisor-4.17-arm64:arm64"
cd "$cache/debs"
for p in $pkgs; do
    name=${p%%:*}
    ls "${name}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p"
done
for d in *.deb; do dpkg -x "$d" "$cache/x"; done

# Kernel: Debian's arm64 vmlinuz is a gzip-compressed Image.
vmlinuz=$(ls "$cache"/x/boot/vmlinuz-*-cloud-arm64 | sort -V | tail -n 1)
if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" >"$cache/Image.tmp"; else cp "$vmlinuz" "$cache/Image.tmp"; fi
mv "$cache/Image.tmp" "$cache/Image"
echo "$kpkg" >"$cache/kernel-package"

# initramfs: busybox + guest/init
for t in cpio gzip; do
    command -v $t >/dev/null 2>&1 || { echo "fetch-guest: $t is missing (run scripts/install-deps.sh)" >&2; exit 1; }
done
root="$cache/initramfs-root"
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
cp "$cache/x/bin/busybox" "$root/bin/busybox"
cp "$top/guest/init" "$root/init"
chmod +x "$root/init" "$root/bin/busybox"
find "$root" -exec touch -h -d @0 {} +    # byte-identical archive on every machine
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | gzip -n -9) \
    >"$cache/initramfs.cpio.gz"

if [ $want_xen = 1 ]; then
    xen=$(ls "$cache"/x/boot/xen-4.17* 2>/dev/null | grep -v '\.config' | sort -V | tail -n 1)
    [ -n "$xen" ] || { echo "fetch-guest: xen binary not found in the package" >&2; exit 1; }
    cp "$xen" "$cache/xen"
fi
echo "fetch-guest: $cache ready ($(cat "$cache/kernel-package"))"
