#!/bin/sh
# make demo-boot: boots Debian's arm64 Linux on the virt board at EL2 with VHE on 2
# CPUs (KVM initialises in the guest), runs guest/init's check script (uname,
# /proc/cpuinfo, KVM's log, sha256 of 64 MiB of zeros) until it powers off,
# then prints the exit-trace summary: every exception the kernel took to EL2.
# `make demo-boot` builds first; this script fetches the guest (scripts/fetch-guest.sh).
#
# usage: scripts/demo.sh [BUILD_DIR]     (A83_GUEST_CACHE overrides the cache)
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
TRACE_TOOL="$BUILD/arm83emu-trace"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
export A83_GUEST_CACHE="$CACHE"
if [ ! -x "$EMU" ]; then
    echo "demo: $EMU not found: build first (make build)" >&2
    exit 2
fi
echo "== fetching the guest (Debian arm64 cloud kernel + busybox initramfs)"
sh "$top/scripts/fetch-guest.sh" || {
    echo "demo: the guest could not be fetched (see scripts/fetch-guest.sh)" >&2
    exit 2
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trace_args="--exit-trace $tmp/run.trace"

echo
echo "== Debian arm64 Linux at EL2 with VHE on 2 CPUs"
echo "\$ arm83emu -M virt,virtualization=on -smp 2 -m 1G -kernel Image -initrd initramfs.cpio.gz \\"
echo "      -append console=ttyAMA0 -nographic --exit-trace run.trace"
rc=0
# The instruction bound (a boot to the end of the script needs about 5e9)
# only keeps a broken build from running forever.
# shellcheck disable=SC2086
"$EMU" -M virt,virtualization=on -smp 2 -m 1G -kernel "$CACHE/Image" \
    -initrd "$CACHE/initramfs.cpio.gz" -append "console=ttyAMA0" -nographic \
    --max-insns 12000000000 --stats $trace_args </dev/null || rc=$?
echo "== exit status $rc"

echo
if [ $rc -eq 0 ]; then
    echo "== exit-trace summary (arm83emu-trace): every exception taken to EL2 and its handling time"
    "$TRACE_TOOL" "$tmp/run.trace" --top 15 || rc=1
fi
exit $rc
