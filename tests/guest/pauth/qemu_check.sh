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
trap 'rm -f "$out" "$out.f"' EXIT
timeout 120 qemu-system-aarch64 -M virt -cpu max -nographic -net none -kernel "$elf" >"$out"
# The "(keys off)" lines differ on purpose: QEMU executes XPACI/XPACD/
# XPACLRI as NOPs when no SCTLR_EL1.En* bit is set (its "pauth inactive"
# shortcut), while the Arm ARM's Strip has no enable (docs/pauth.md).
grep -v "(keys off)" "$out" >"$out.f" || true
if grep -v "(keys off)" "$here/values.expect" | cmp -s - "$out.f"; then
    echo "pauth qemu_check: $(wc -l <"$out.f") lines identical to values.expect"
    grep "(keys off)" "$out" | sed 's/^/  QEMU (no strip): /'
    grep "(keys off)" "$here/values.expect" | sed 's/^/  arm83emu (Strip): /'
else
    echo "pauth qemu_check: QEMU differs from values.expect:"
    grep -v "(keys off)" "$here/values.expect" | diff - "$out.f" | head -20
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
