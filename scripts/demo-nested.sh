#!/bin/sh
# make demo-nested: the real three-level nested stack (docs/nested.md).
# L0 = Debian's Linux 7.x at EL2 with kvm-arm.mode=nested (VHE + NV2), running
# QEMU 11 with KVM; L1 = the same kernel at virtual EL2 with its own KVM,
# running QEMU 11 again; L2 = the same kernel at EL1, which says hello and
# powers off; then L1 and L0 power off. Prints the console and the exit-trace
# summary per VMID and level. Fetches the stack first (scripts/fetch-nested.sh).
# Leaves nested-demo.trace.zst in the build directory.
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
TRACER="$BUILD/arm83emu-trace"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
for t in "$EMU" "$TRACER"; do
    [ -x "$t" ] || { echo "demo-nested: $t not found: build first (make build)" >&2; exit 2; }
done
echo "== fetching the nested stack (Debian trixie-backports: Linux 7.x, QEMU 11 for arm64)"
A83_GUEST_CACHE=$CACHE sh "$top/scripts/fetch-nested.sh"
n=$CACHE/nested
echo
echo "== arm83emu: L0 Linux (kvm-arm.mode=nested) -> QEMU/KVM -> L1 Linux at vEL2 -> QEMU/KVM -> L2 Linux"
# About 30 G guest instructions; the bound only stops a broken build. The
# kernels' own log lines are left out of what is shown (kept in the file).
rcfile=$(mktemp)
trap 'rm -f "$rcfile"' EXIT
{
    rc=0
    "$EMU" -M virt,virtualization=on -smp 2 -m 3G -kernel "$n/Image" -initrd "$n/initramfs-l0.cpio" \
        -append "console=ttyAMA0 kvm-arm.mode=nested" -nographic --max-insns 120000000000 --stats \
        --exit-trace "$BUILD/nested-demo.trace.zst" </dev/null || rc=$?
    echo $rc >"$rcfile"
} 2>&1 | tee "$BUILD/nested-demo.console" | grep -v "^\[ *[0-9.]*\] " || true
rc=$(cat "$rcfile")
echo "== exit status $rc (kernel log lines left out: $BUILD/nested-demo.console has them)"
echo
echo "== exit-trace summary (arm83emu-trace $BUILD/nested-demo.trace.zst --by-vmid --top 25)"
"$TRACER" "$BUILD/nested-demo.trace.zst" --top 25 --by-vmid
exit $rc
