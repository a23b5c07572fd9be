#!/bin/sh
# The non-VHE guest hypervisor row of the NEVE table (docs/el2.md): L0 (Linux
# 7.x, kvm-arm.mode=nested) starts L1 with the project's own VMM (guest/vmm,
# a83vmm --e2h0: KVM_ARM_VCPU_HAS_EL2_E2H0, so L1's HCR_EL2.E2H is RES0) and
# L1's KVM, in nVHE mode, runs the exit microbenchmark as L2 under QEMU.
# Checks: L0 initialised VHE+NV2, L1 "Hyp nVHE mode initialized" (not VHE),
# both benchmark runs complete, the VMM saw L1 power off, the emulator exits
# 0, and the L0 exits per L2 hypercall counted by window (nested-window.py)
# are those of a non-VHE guest hypervisor's two world switches per exit:
# at least 15 (a VHE guest hypervisor takes ~8; measured 22).
# usage: vmm.sh EMULATOR TRACE_TOOL SOURCE_DIR EXITBENCH_ELF A83VMM
emu=$1 tool=$2 src=$3 elf=$4 vmm=$5
. "$(dirname "$0")/lib.sh"
nested_fetch --bench "$elf" --bench-only --vmm "$vmm"
rc=0
"$emu" -M virt,virtualization=on -cpu max -smp 2 -m 3G -kernel "$n/Image" -initrd "$n/initramfs-l0-benchonly.cpio" \
    -append "console=ttyAMA0 kvm-arm.mode=nested a83.run=bench,vmm-e2h0" -nographic --max-insns 60000000000 \
    --exit-trace "$tmp/run.trace.zst" </dev/null >"$tmp/console" 2>&1 || rc=$?
[ $rc -eq 0 ] || fail "exit status $rc"
grep -q "VHE+NV2 mode initialized successfully" "$tmp/console" || fail "L0's KVM did not initialise VHE+NV2"
check_order "$tmp/console" "A83-L0: L1 (bench) exited with status 0" "KVM_ARM_VCPU_HAS_EL2_E2H0" \
    "Hyp nVHE mode initialized successfully" "A83-L1: L2 (bench) exited with status 0" \
    "a83vmm: guest powered off" "A83-L0: L1 (vmm-e2h0) exited with status 0" "A83-L0: done"
grep -q "kvm \[1\]: VHE mode initialized" "$tmp/console" && fail "L1's KVM ran in VHE mode"
[ "$(grep -c "^exitbench: done status=0" "$tmp/console")" = 2 ] || fail "the microbenchmark did not finish at L1 and at L2"
"$tool" "$tmp/run.trace.zst" --csv "$tmp/exits.csv" >/dev/null 2>&1 || fail "arm83emu-trace failed"
python3 "$src/scripts/nested-window.py" "$tmp/exits.csv" SMCCC_VERSION >"$tmp/window" || fail "nested-window.py failed"
med=$(sed -n 's/^SMCCC_VERSION: [0-9]* windows, median \([0-9]*\),.*/\1/p' "$tmp/window")
[ -n "$med" ] && [ "$med" -ge 15 ] && [ "$med" -le 60 ] || fail "L0 exits per L2 hypercall (window median): '$med'"
if [ $fails -ne 0 ]; then
    echo "---- console (last 40 lines)"
    tail -n 40 "$tmp/console"
    cat "$tmp/window" 2>/dev/null
    exit 1
fi
echo "non-VHE guest hypervisor: $(cat "$tmp/window")"
exit 0
