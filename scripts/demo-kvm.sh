#!/bin/sh
# make demo-kvm: the exit microbenchmark (docs/exitbench.md) as a real KVM guest.
# Fetches Debian's arm64 QEMU with just the libraries it needs
# (scripts/fetch-kvm.sh), boots Debian's Linux at EL2 on 2 CPUs once with VHE
# and once with kvm-arm.mode=nvhe, runs guest/exitbench under QEMU/KVM in it,
# and prints the guest's measurements and the guest-exit table of both runs
# side by side (tests/kvm/sidebyside.py).
#
# usage: scripts/demo-kvm.sh [BUILD_DIR]     (A83_GUEST_CACHE overrides the cache)
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
TRACE_TOOL="$BUILD/arm83emu-trace"
ELF="$BUILD/tests/kvm/exitbench.elf"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
export A83_GUEST_CACHE="$CACHE"
for f in "$EMU" "$TRACE_TOOL" "$ELF"; do
    [ -e "$f" ] || { echo "demo-kvm: $f not found: build first (make build)" >&2; exit 2; }
done
echo "== fetching Debian's arm64 kernel, busybox and QEMU (scripts/fetch-kvm.sh)"
sh "$top/scripts/fetch-kvm.sh" "$ELF" || {
    echo "demo-kvm: the guest could not be fetched (see scripts/fetch-kvm.sh)" >&2
    exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for mode in vhe nvhe; do
    append="console=ttyAMA0"
    [ $mode = nvhe ] && append="$append kvm-arm.mode=nvhe"
    echo
    echo "== $mode: arm83emu -M virt,virtualization=on -smp 2 -m 1G -kernel Image \\"
    echo "      -initrd initramfs-kvm.cpio.gz -append \"$append\" --exit-trace $mode.trace"
    r=0
    "$EMU" -M virt,virtualization=on -smp 2 -m 1G -kernel "$CACHE/Image" \
        -initrd "$CACHE/initramfs-kvm.cpio.gz" -append "$append" -nographic \
        --max-insns 12000000000 --exit-trace "$tmp/$mode.trace" </dev/null >"$tmp/$mode.raw" 2>&1 || r=$?
    tr -d '\r' <"$tmp/$mode.raw" >"$tmp/$mode.out"
    grep -E "^(exitbench:|A83: exitbench)" "$tmp/$mode.out" || true
    if [ $r -ne 0 ] || ! grep -q "^A83: exitbench status 0$" "$tmp/$mode.out"; then
        echo "== $mode run failed (exit status $r); its console:"
        tail -n 40 "$tmp/$mode.out"
        rc=1
        continue
    fi
    "$TRACE_TOOL" "$tmp/$mode.trace" --csv "$tmp/$mode.csv" >"$tmp/$mode.summary" || rc=1
done
[ $rc -eq 0 ] || exit $rc
echo
echo "== guest exits (level 1), mean round trip per cause, VHE vs nVHE (arm83emu-trace --csv)"
python3 "$top/tests/kvm/sidebyside.py" "$tmp/vhe.out" "$tmp/vhe.csv" "$tmp/nvhe.out" "$tmp/nvhe.csv" \
    --summary "$tmp/vhe.summary"
