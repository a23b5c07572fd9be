#!/bin/sh
# Simulated cycles do not depend on the emulator's host-side TLB (issue 14,
# docs/timing.md "TLB model"): bare-metal guests with the MMU on (several
# ASIDs and VMIDs, stage 2, VHE, NV2; four CPUs) give
# byte-identical console output, exit status and per-CPU instruction and
# cycle counts (--stats) with the host TLB at its default size, shrunk to
# 1 and 16 slots, and off (--debug-host-tlb 0).
emu=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {
    name=$1
    shift
    for n in default 0 1 16; do
        opt=""
        [ "$n" = default ] || opt="--debug-host-tlb $n"
        # shellcheck disable=SC2086
        timeout 120 "$emu" "$@" -kernel "$dir/$name.elf" -nographic --stats $opt \
            --max-insns 200000000 >"$tmp/out.$n" 2>&1 </dev/null
        echo "rc=$?" >>"$tmp/out.$n"
    done
    ok=1
    for n in 0 1 16; do
        if ! cmp -s "$tmp/out.default" "$tmp/out.$n"; then
            echo "FAIL $name: --debug-host-tlb $n changes the run:"
            diff "$tmp/out.default" "$tmp/out.$n" | head -20
            ok=0
        fi
    done
    if [ $ok = 1 ] && grep -q "cpu0: [1-9][0-9]* instructions, [1-9]" "$tmp/out.default"; then
        echo "ok   $name: $(grep cpu0: "$tmp/out.default" | sed 's/.*cpu0: //')"
    else
        [ $ok = 0 ] || { echo "FAIL $name: no counters"; cat "$tmp/out.default"; }
        fails=$((fails + 1))
    fi
}
check mmu/tlb_model -M virt,virtualization=on
check mmu/s2_lazy -M virt,virtualization=on
check mmu/vhe -M virt,virtualization=on
check mmu/identity -M virt
check nv/nv2_vhe_host -M virt,virtualization=on
check gic/smp_order -M virt -smp 4 --quantum 7
[ $fails = 0 ]
