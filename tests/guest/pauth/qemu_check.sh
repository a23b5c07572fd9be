#!/bin/sh
# Cross-checks the PAuth values guest (values.c) against qemu-system-aarch64
# -cpu max: QEMU 7.2 implements FEAT_PAuth with the architected QARMA5 and
# without PAuth2/FPAC, i.e. the same ARMv8.3 semantics as arm83emu, so both
# must print exactly values.expect. Manual tool (not run by ctest; needs
# qemu-system-aarch64). Usage: qemu_check.sh BUILD_DIR
set -e
build=$1
here=$(cd "$(dirname "$0")" && pwd)
elf=$build/tests/guest/pauth/values.elf
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 120 qemu-system-aarch64 -M virt -cpu max -nographic -net none -kernel "$elf" >"$out"
if cmp -s "$out" "$here/values.expect"; then
    echo "pauth qemu_check: $(wc -l <"$out") lines identical to values.expect"
else
    echo "pauth qemu_check: QEMU differs from values.expect:"
    diff "$here/values.expect" "$out" | head -20
    exit 1
fi
# traps.c: QEMU 7.2 has no FEAT_NV, so it skips the two ERETAA/ERETAB NV
# lines; every other line must match.
elf=$build/tests/guest/pauth/traps.elf
timeout 120 qemu-system-aarch64 -M virt,virtualization=on -cpu max -nographic -net none \
    -kernel "$elf" >"$out"
if grep -v "NV=1" "$here/traps.expect" | cmp -s - "$out"; then
    echo "pauth qemu_check: traps identical (without the FEAT_NV lines)"
else
    echo "pauth qemu_check: QEMU traps output differs:"
    grep -v "NV=1" "$here/traps.expect" | diff - "$out" | head -20
    exit 1
fi
