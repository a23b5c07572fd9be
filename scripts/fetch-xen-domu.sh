#!/bin/sh
# Fetches Xen 4.17's dom0 toolstack (Debian bookworm's xen-utils-4.17 for
# arm64) and builds the images of the Xen run with a guest domain
# (docs/xen.md, "A domU created by xl"):
#
#   $A83_GUEST_CACHE/xen-domu/initramfs-domu.cpio.gz
#        busybox + guest/xen/init-domu + the PV front-end modules
#   $A83_GUEST_CACHE/xen-domu/initramfs-dom0.cpio.gz
#        busybox + guest/xen/init-dom0 + xl, xenstored (the C one),
#        xenconsoled, xen-init-dom0, xenstore-* with exactly their ELF
#        closure (scripts/elf-closure.sh) + the back-end modules + the
#        domU's kernel (Debian's gzip'd vmlinuz, which Xen's domain
#        builder unpacks) and initramfs + guest/xen/domu.cfg and the
#        hotplug scripts of guest/xen/scripts (+ the exit microbenchmark
#        domU, guest/xen/xenbench.cfg, when --bench gives its image)
#
# The packages come through a private apt configuration (its own sources
# list with [arch=arm64], state and cache folders under the cache); the
# archive URLs are those of the host's own Debian sources, never written
# here. Nothing is installed on the host. The kernel, its modules, busybox
# and Xen come from scripts/fetch-guest.sh --xen. Idempotent: the images
# are rebuilt when an input is newer.
#
# usage: scripts/fetch-xen-domu.sh [--bench IMG]   (IMG: guest/exitbench
#        built with -DEXITBENCH_XEN as a raw arm64 Image, build/tests/xen/xenbench.img)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
d=$cache/xen-domu
bench=""
while [ $# -gt 0 ]; do
    case "$1" in
    --bench) bench=$2; shift 2 ;;
    *) echo "fetch-xen-domu: unknown option $1 (usage: fetch-xen-domu.sh [--bench IMG])" >&2; exit 2 ;;
    esac
done
[ -z "$bench" ] || [ -s "$bench" ] || { echo "fetch-xen-domu: --bench $bench: no such file" >&2; exit 2; }
for t in apt-get dpkg cpio gzip readelf; do
    command -v $t >/dev/null 2>&1 || {
        echo "fetch-xen-domu: $t is missing (run scripts/install-deps.sh)" >&2
        exit 1
    }
done
sh "$top/scripts/fetch-guest.sh" --xen >/dev/null
. "$top/scripts/private-apt.sh"
a83_private_apt_init "$d"
mkdir -p "$d/debs"
# The host's Debian archives: bookworm from the main one, the current
# xen-utils-4.17 from bookworm-security.
url=$(a83_debian_archive)
sec=$(a83_debian_security)
[ -n "$url" ] || { echo "fetch-xen-domu: no Debian archive in the host's apt sources" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
    echo "deb [arch=arm64 signed-by=$keyring] $url bookworm main"
    echo "deb [arch=arm64 signed-by=$keyring] $url bookworm-updates main"
    [ -n "$sec" ] && echo "deb [arch=arm64 signed-by=$keyring] $sec bookworm-security main"
} >"$d/apt/sources.list"
apt_private() { a83_apt "$@"; }

# ---- the toolstack -----------------------------------------------------------
# xen-utils-4.17 and the libraries its programs need (the list follows the
# NEEDED entries of xl, xenstored, xenconsoled; elf-closure.sh fails naming
# any library that is missing).
pkgs="xen-utils-4.17 libxenmisc4.17 libxenctrl4.17 libxenstore4 libxentoollog1 libxenevtchn1
      libxengnttab1 libxenforeignmemory1 libxendevicemodel1 libxencall1 libxentoolcore1
      libxenhypfs1 xenstore-utils libc6 libgcc-s1 libyajl2 libuuid1 zlib1g liblzma5 libbz2-1.0
      libzstd1 liblzo2-2 libfdt1 libnl-3-200 libnl-route-3-200 libsystemd0 libcap2 libgcrypt20
      libgpg-error0 liblz4-1 libxenhypfs1 libutil-linux libtinfo6 libncursesw6"
tx=$d/x
xb=/usr/lib/xen-4.17/bin
if [ ! -x "$tx$xb/xl" ]; then
    apt_private apt-get update >/dev/null
    (cd "$d/debs" && for p in $pkgs; do
        ls "${p}"_*.deb >/dev/null 2>&1 && continue
        apt_private apt-cache show "$p:arm64" >/dev/null 2>&1 || continue
        # apt's _apt user cannot write into a cache owned by another user:
        # download without its sandbox (checked against the signed index).
        apt_private apt-get -o APT::Sandbox::User=root download "$p:arm64" >/dev/null
    done)
    rm -rf "$tx"
    for f in "$d"/debs/*.deb; do dpkg -x "$f" "$tx"; done
    [ -x "$tx$xb/xl" ] || { echo "fetch-xen-domu: no $xb/xl in xen-utils-4.17" >&2; exit 1; }
fi

# ---- the images ----------------------------------------------------------------
mkimage() {
    find "$1" -exec touch -h -d @0 {} +
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | gzip -n -9) >"$2.tmp"
    mv "$2.tmp" "$2"
}
base_root() {
    rm -rf "$1"
    mkdir -p "$1/bin" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" "$1/modules"
    cp "$cache/x/bin/busybox" "$1/bin/busybox"
    chmod +x "$1/bin/busybox"
}
kver=$(ls "$cache/x/lib/modules" | sort -V | tail -n 1)
kmod=$cache/x/lib/modules/$kver
# add_modules ROOT MODULE...: the modules and, first, what each depends on
# (the depends= string of the module's .modinfo section), into ROOT/modules
# with a load order in ROOT/modules/order.
add_modules() {
    r=$1
    shift
    for m in "$@"; do
        f=$(find "$kmod" -name "$m.ko" | head -n 1)
        [ -n "$f" ] || { echo "fetch-xen-domu: module $m not in $kmod" >&2; exit 1; }
        deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
        # (a subshell: sh has no local variables, and the state is in files)
        if [ -n "$deps" ]; then (add_modules "$r" $deps) || exit 1; fi
        grep -qx "$m" "$r/modules/order" 2>/dev/null && continue
        cp "$f" "$r/modules/"
        echo "$m" >>"$r/modules/order"
    done
}
stamp=$d/images.stamp
inputs="$top/guest/xen/init-dom0 $top/guest/xen/init-domu $top/guest/xen/domu.cfg $top/guest/xen/xenbench.cfg $top/guest/xen/xl.conf
        $top/guest/xen/scripts/block $top/guest/xen/scripts/vif-bridge
        $top/scripts/fetch-xen-domu.sh $cache/Image"
[ -n "$bench" ] && inputs="$inputs $bench"
fresh=1
[ -s "$d/initramfs-dom0.cpio.gz" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "bench=$bench" ] || fresh=0
for f in $inputs; do [ "$f" -nt "$d/initramfs-dom0.cpio.gz" ] && fresh=0; done
if [ $fresh = 0 ]; then
    r=$d/root
    base_root "$r"
    cp "$top/guest/xen/init-domu" "$r/init"
    chmod +x "$r/init"
    add_modules "$r" xen-blkfront xen-netfront
    mkimage "$r" "$d/initramfs-domu.cpio.gz"

    base_root "$r"
    cp "$top/guest/xen/init-dom0" "$r/init"
    chmod +x "$r/init"
    add_modules "$r" xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback bridge loop
    # Debian's /usr/sbin/xl is a wrapper script of xen-utils-common: the
    # program itself is in xen-4.17/bin. xenstore-read and the others are
    # hard links of one program: each is a copy in the image.
    xs="/usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-ls /usr/bin/xenstore-rm"
    # libgcc_s is no NEEDED entry: glibc loads it (dlopen) when a thread is
    # cancelled, which xl's child process does ("libgcc_s.so.1 must be
    # installed for pthread_cancel to work", then abort).
    gcc_s=$(cd "$tx" && ls lib/aarch64-linux-gnu/libgcc_s.so.1 usr/lib/aarch64-linux-gnu/libgcc_s.so.1 2>/dev/null | head -n 1)
    [ -n "$gcc_s" ] || { echo "fetch-xen-domu: no libgcc_s.so.1 in libgcc-s1" >&2; exit 1; }
    for f in $(sh "$top/scripts/elf-closure.sh" "$tx" $xb/xl $xb/xenstored $xb/xenconsoled \
                  $xb/xen-init-dom0 $xs "/$gcc_s"); do
        mkdir -p "$r$(dirname "$f")"
        cp -P "$tx$f" "$r$f"
    done
    mkdir -p "$r/usr/sbin"
    ln -s ../lib/xen-4.17/bin/xl "$r/usr/sbin/xl"
    [ -e "$r/lib" ] || ln -s usr/lib "$r/lib"
    mkdir -p "$r/etc/xen/scripts" "$r/var/lib/xen" "$r/var/run/xen" "$r/var/log/xen" "$r/domu"
    cp "$top/guest/xen/scripts/block" "$top/guest/xen/scripts/vif-bridge" "$r/etc/xen/scripts/"
    chmod +x "$r/etc/xen/scripts/"*
    cp "$top/guest/xen/xl.conf" "$r/etc/xen/xl.conf"
    cp "$top/guest/xen/domu.cfg" "$r/domu/domu.cfg"
    cp "$cache/x/boot/vmlinuz-$kver" "$r/domu/vmlinuz"
    cp "$d/initramfs-domu.cpio.gz" "$r/domu/initramfs.cpio.gz"
    if [ -n "$bench" ]; then
        cp "$top/guest/xen/xenbench.cfg" "$r/domu/xenbench.cfg"
        cp "$bench" "$r/domu/xenbench.img"
    fi
    mkimage "$r" "$d/initramfs-dom0.cpio.gz"
    rm -rf "$r"
    echo "bench=$bench" >"$stamp"
fi
echo "fetch-xen-domu: $d ready ($(ls "$d"/debs/xen-utils-4.17_*.deb | sed 's/.*_\(.*\)_arm64.deb/xen-utils-4.17 \1/'))"
