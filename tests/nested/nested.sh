#!/bin/sh
# The real three-level nested stack (docs/nested.md): Debian's Linux 7.x at
# EL2 with kvm-arm.mode=nested (L0) runs QEMU 11 with KVM, which runs the same
# kernel at virtual EL2 (L1), whose QEMU and KVM run the same kernel at EL1
# (L2). Checks that every level comes up and powers off in order, that L0's
# KVM initialised with NV2, that the emulator exits 0, and that the exit trace
# has exits taken with HCR_EL2.NV set (L1 running at vEL2).
#
# Before each Linux guest, L0 and L1 run the exit microbenchmark as their
# guest (fetch-nested.sh --bench): both runs must complete, and the nested
# hypercall must cost more L0 exits and cycles than the one-level one.
#
# usage: nested.sh EMULATOR TRACE_TOOL SOURCE_DIR EXITBENCH_ELF
# Fails (exit 1) when the stack cannot be fetched: scripts/fetch-nested.sh
# needs apt access to Debian trixie(-backports) and mmdebstrap.
emu=$1 tool=$2 src=$3 elf=$4
. "$(dirname "$0")/lib.sh"
nested_fetch --bench "$elf"

# About 30 G instructions reach L0's power-off; the bound only stops a broken build.
rc=0
"$emu" -M virt,virtualization=on -smp 2 -m 3G -kernel "$n/Image" -initrd "$n/initramfs-l0-bench.cpio" \
    -append "console=ttyAMA0 kvm-arm.mode=nested" -nographic --max-insns 120000000000 \
    --exit-trace "$tmp/run.trace.zst" </dev/null >"$tmp/console" 2>&1 || rc=$?
[ $rc -eq 0 ] || fail "exit status $rc"
grep -q "VHE+NV2 mode initialized successfully" "$tmp/console" || fail "L0's KVM did not initialise VHE+NV2"
check_order "$tmp/console" "A83-L0: userspace up" "A83-L0: L1 (bench) exited with status 0" \
    "A83-L1: userspace up" "A83-L1: L2 (bench) exited with status 0" "A83-L2: userspace up" "A83-L2: done" \
    "A83-L1: L2 (linux) exited" "A83-L1: done" "A83-L0: L1 (linux) exited" "A83-L0: done"
# Case matters: the kernel's "WARNING:"/"BUG:", not QEMU's own "warning:" lines (L1's QEMU
# warns that the L2 benchmark's 2 vCPUs exceed the 1 CPU L1 has).
grep -q "WARNING:\|BUG:\|Oops\|Kernel panic" "$tmp/console" && fail "a kernel reported a WARNING/BUG/panic"
[ "$(grep -c "^exitbench: done status=0" "$tmp/console")" = 2 ] || fail "the microbenchmark did not finish at L1 and at L2"
# mean hypercall ticks: one level (first run), nested (second run)
hvc1=$(grep "^exitbench: hvc " "$tmp/console" | sed -n '1s/.*mean_ticks=\([0-9]*\).*/\1/p')
hvc2=$(grep "^exitbench: hvc " "$tmp/console" | sed -n '2s/.*mean_ticks=\([0-9]*\).*/\1/p')
if [ -z "$hvc1" ] || [ -z "$hvc2" ] || [ "$hvc2" -le $((hvc1 * 5)) ]; then
    fail "nested hypercall ($hvc2 ticks) not well above the one-level one ($hvc1 ticks)"
fi
# Exits taken while L1 ran at vEL2 carry the NV flag (docs/exit-trace.md).
"$tool" "$tmp/run.trace.zst" --csv "$tmp/exits.csv" --by-l2-exit >"$tmp/summary" 2>&1 || fail "arm83emu-trace failed"
# every L2 hypercall causes several L0 exits (docs/nested-exits.md: 9.36)
# (the row of the "By L2 exit" table, not the summary's row of the same cause)
per=$(awk '/^By L2 exit/ {t = 1} t && /HVC #0x0 SMCCC_VERSION$/ && NF >= 6 {print int($3); exit}' "$tmp/summary")
[ -n "$per" ] && [ "$per" -ge 3 ] && [ "$per" -le 40 ] || fail "L0 exits per L2 hypercall: '$per'"
nv=$(grep -c "" "$tmp/exits.csv" 2>/dev/null || echo 0)
[ "$nv" -gt 100000 ] || fail "only $nv exit rows in the trace"
if [ $fails -ne 0 ]; then
    echo "---- console (last 60 lines)"
    tail -n 60 "$tmp/console"
    exit 1
fi
echo "nested stack: L0 -> L1 -> L2 up and down, $nv exits"
exit 0
