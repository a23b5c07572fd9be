#!/bin/sh
# make demo-nested: the real three-level nested stack (docs/nested.md).
# L0 = Debian's Linux 7.x at EL2 with kvm-arm.mode=nested (VHE + NV2), running
# QEMU 11 with KVM; L1 = the same kernel at virtual EL2 with its own KVM,
# running QEMU 11 again; L2 = the same kernel at EL1, which says hello and
# powers off; then L1 and L0 power off. Before each Linux guest, L0 and L1 run
# the exit microbenchmark (guest/exitbench) as their guest, so it is measured
# one level and two levels down. Prints the console (the benchmark lines of
# both) and, per L2 exit cause, the L0 exits it causes (arm83emu-trace
# --by-l2-exit). Fetches the stack first (scripts/fetch-nested.sh).
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
ELF="$BUILD/tests/kvm/exitbench.elf"
[ -s "$ELF" ] || { echo "demo-nested: $ELF not found: build first (make build)" >&2; exit 2; }
A83_GUEST_CACHE=$CACHE sh "$top/scripts/fetch-nested.sh" --bench "$ELF"
n=$CACHE/nested
echo
echo "== arm83emu: L0 Linux (kvm-arm.mode=nested) -> QEMU/KVM -> L1 Linux at vEL2 -> QEMU/KVM -> L2 Linux"
# About 30 G guest instructions; the bound only stops a broken build. The
# kernels' own log lines are left out of what is shown (kept in the file).
rcfile=$(mktemp)
trap 'rm -f "$rcfile"' EXIT
{
    rc=0
    "$EMU" -M virt,virtualization=on -smp 2 -m 3G -kernel "$n/Image" -initrd "$n/initramfs-l0-bench.cpio" \
        -append "console=ttyAMA0 kvm-arm.mode=nested" -nographic --max-insns 120000000000 --stats \
        --exit-trace "$BUILD/nested-demo.trace.zst" </dev/null || rc=$?
    echo $rc >"$rcfile"
} 2>&1 | tee "$BUILD/nested-demo.console" | grep -v "^\[ *[0-9.]*\] " || true
rc=$(cat "$rcfile")
echo "== exit status $rc (kernel log lines left out: $BUILD/nested-demo.console has them)"
echo
echo "== L2 exits and the L0 exits each one causes (arm83emu-trace --by-l2-exit; docs/nested-exits.md)"
"$TRACER" "$BUILD/nested-demo.trace.zst" --by-l2-exit --quiet 2>/dev/null | head -n 5
"$TRACER" "$BUILD/nested-demo.trace.zst" --by-l2-exit --quiet 2>/dev/null |
    grep -A6 -E "SMCCC_VERSION|GICD\+0x8 R4|ICC_SGI1R_EL1|PL011\+0x18 R4" | head -60 ||
    "$TRACER" "$BUILD/nested-demo.trace.zst" --by-l2-exit
exit $rc
