#!/bin/sh
# Builds the reference QEMU of the nested benchmark (bench/bench.sh nested):
# a Debian trixie chroot for the host's architecture (amd64 here) made with
# mmdebstrap, with qemu-system-arm from trixie-backports (QEMU 11, whose
# TCG '-cpu max' has FEAT_NV2). Nothing is installed on the host but
# mmdebstrap (scripts/install-deps.sh --bench). The archive URL is the one
# of the host's own Debian sources (scripts/private-apt.sh), never written
# into the project. Idempotent: reuses a finished chroot.
#
#   sh bench/fetch-qemu11.sh            -> $A83_GUEST_CACHE/qemu11-host (a chroot)
#
# The chroot's QEMU runs as: chroot DIR qemu-system-aarch64 ...
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
dir=$cache/qemu11-host
if [ -x "$dir/usr/bin/qemu-system-aarch64" ] && [ -s "$dir/qemu-version" ]; then
    echo "fetch-qemu11: $dir ready ($(cat "$dir/qemu-version"))"
    exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || {
    echo "fetch-qemu11: mmdebstrap is missing (run scripts/install-deps.sh --bench)" >&2
    exit 1
}
. "$top/scripts/private-apt.sh"
url=$(a83_debian_archive)
[ -n "$url" ] || { echo "fetch-qemu11: no Debian archive in the host's apt sources" >&2; exit 1; }
bp=trixie-backports
rm -rf "$dir.tmp"
mkdir -p "$cache"
# --variant=apt: Essential + apt, no recommends; QEMU and the two packages
# that must have the same version come from backports, their libraries from
# trixie.
mmdebstrap --quiet --variant=apt --mode=root \
    --include="qemu-system-arm/$bp,qemu-system-common/$bp,qemu-system-data/$bp" \
    trixie "$dir.tmp" "deb $url trixie main" "deb $url $bp main" >"$cache/qemu11-host.log" 2>&1 || {
    echo "fetch-qemu11: mmdebstrap failed (see $cache/qemu11-host.log)" >&2
    exit 1
}
chroot "$dir.tmp" dpkg-query -W -f='qemu-system-arm ${Version}\n' qemu-system-arm >"$dir.tmp/qemu-version"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "fetch-qemu11: $dir ready ($(cat "$dir/qemu-version"))"
