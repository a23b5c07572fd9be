#!/bin/sh
# Debug disabled costs nothing (docs/debug.md): guests that never arm a
# breakpoint, watchpoint or software step give exactly the instruction and
# cycle counts and the console/exit-trace digests of the emulator before
# debug exceptions existed (debug_off.baseline was produced by the build of
# the main branch just before the debug work was merged into it, with the TLB
# model and cycle-based scheduling, and checked equal to the merged build; cycles and exit-trace
# digests regenerated on 2026-12-05 when [memory] mmio_access began to be charged, instruction
# counts and console digests unchanged; cycles and exit-trace digests again on 2026-12-06 when
# VBAR_ELx, RVBAR and ISR_EL1 stopped paying the GIC class cost: 30 cycles less per VBAR write).
# If the cost model is changed on purpose, regenerate the baseline
# with: debug_off.sh EMU GUEST_BUILD GUEST_SRC --print > debug_off.baseline
emu=$1 bdir=$2 sdir=$3 mode=$4
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in exc/el1_sync exc/el2_routing mmu/s2_lazy mmu/vhe nv/nv2_vncr isa_ldst/smp_counter \
         isa_ldst/excl_exc; do
    args="-M virt"
    [ -f "$sdir/$t.args" ] && args=$(cat "$sdir/$t.args")
    # shellcheck disable=SC2086
    timeout 60 "$emu" $args -kernel "$bdir/$t.elf" -nographic --stats --digest \
        --max-insns 50000000 </dev/null 2>&1 | grep -E "digest|instructions|exit status" |
        sed "s|^|$t: |" >>"$tmp/out"
done
if [ "$mode" = --print ]; then
    cat "$tmp/out"
    exit 0
fi
if ! grep -q "cycles" "$tmp/out" || ! cmp -s "$tmp/out" "$here/debug_off.baseline"; then
    echo "FAIL: counts or digests differ from debug_off.baseline:"
    diff -u "$here/debug_off.baseline" "$tmp/out"
    exit 1
fi
echo "ok: $(grep -c cycles "$tmp/out") runs identical to the baseline"
exit 0
