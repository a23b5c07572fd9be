#!/bin/sh
# Runs the exit microbenchmark (guest/exitbench, docs/exitbench.md) and checks
# its measurement lines.
#
# usage: exitbench.sh EMULATOR TRACE_TOOL SOURCE_DIR EXITBENCH_ELF MODE [compare]
#   MODE bare  the guest on arm83emu's own board (-M virt -smp 2, EL1, HVC
#              conduit answered by the board): checks the guest itself
#   MODE vhe   Debian's Linux at EL2 with VHE runs it under QEMU/KVM
#              (initramfs-kvm.cpio.gz, guest/init-kvm)
#   MODE nvhe  the same with kvm-arm.mode=nvhe
#   compare    also run tests/kvm/compare.py: each exit's guest-measured mean
#              vs the trace's mean round trip (within 5%; label kvmcompare)
# Exit 77 (CTest SKIP_RETURN_CODE) when the guest cannot be fetched.
emu=$1 tracetool=$2 src=$3 elf=$4 mode=$5 compare=${6:-}
cache=${A83_GUEST_CACHE:-$src/guest-cache}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

case "$mode" in
bare)
    timeout 600 "$emu" -M virt -smp 2 -kernel "$elf" -nographic --max-insns 2000000000 \
        </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    ;;
vhe|nvhe)
    . "$src/tests/kvm/kvm_host.sh"
    kvm_host_fetch "$elf" "$tmp/fetch"
    append="console=ttyAMA0"
    [ "$mode" = nvhe ] && append="$append kvm-arm.mode=nvhe"
    # The bound (about 3x what a run needs) only stops a broken build.
    /usr/bin/time -f "%e s wall, %U s user, %S s sys" -o "$tmp/time" \
    timeout 1800 "$emu" -M virt,virtualization=on -smp 2 -m 1G -kernel "$cache/Image" \
        -initrd "$cache/initramfs-kvm.cpio.gz" -append "$append" -nographic \
        --max-insns 12000000000 --exit-trace "$tmp/run.trace" </dev/null >"$tmp/raw" 2>"$tmp/err"
    rc=$?
    tr -d '\r' <"$tmp/raw" >"$tmp/out"
    [ -s "$tmp/time" ] && echo "host run ($mode): $(tail -n 1 "$tmp/time")"
    grep -q "^A83: exitbench status 0$" "$tmp/out" || fail "no 'A83: exitbench status 0' from guest/init-kvm"
    ;;
*)
    echo "exitbench.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
grep "exitbench:" "$tmp/out"
[ "$rc" = 0 ] || fail "exit status $rc, want 0; stderr: $(cat "$tmp/err")"
grep -q "exitbench: done status=0" "$tmp/out" || fail "no 'exitbench: done status=0'"
if grep "exitbench: FAIL" "$tmp/out" >/dev/null; then fail "the guest reported failures"; fi

# check NAME N MIN_MEAN MAX_MEAN: the line is there, with n = N and
# MIN_MEAN < mean_ticks < MAX_MEAN (MIN_MEAN "-" = no lower bound).
cntfrq=$(sed -n 's/.*exitbench: start cntfrq=\([0-9]*\).*/\1/p' "$tmp/out" | head -n 1)
[ -n "$cntfrq" ] && [ "$cntfrq" -gt 0 ] || { fail "no CNTFRQ_EL0 line"; cntfrq=1; }
check() {
    line=$(grep "^exitbench: $1 " "$tmp/out" | head -n 1)
    if [ -z "$line" ]; then fail "no '$1' line"; return; fi
    echo "$line" | awk -v name="$1" -v n="$2" -v lo="$3" -v hi="$4" '{
        for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        if (v["n"] != n) { print "FAIL: " name " n=" v["n"] ", want " n; exit 1 }
        if (lo != "-" && !(v["mean_ticks"] + 0 > lo + 0)) { print "FAIL: " name " mean " v["mean_ticks"] " <= " lo; exit 1 }
        if (!(v["mean_ticks"] + 0 < hi + 0)) { print "FAIL: " name " mean " v["mean_ticks"] " >= " hi " ticks"; exit 1 }
    }' || fails=$((fails + 1))
}
ms=$((cntfrq / 1000))        # 1 ms in counter ticks: no single exit takes that long
check overhead 1024 - "$ms"
check hvc 4096 0 "$ms"
check mmio_user 1024 0 "$ms"
check mmio_vgic 1024 0 "$ms"
check eoi 256 - "$ms"        # 0 when ICC_EOIR1_EL1 does not trap (GICv3 ICH_ hardware)
check sgi_self_send 256 0 "$ms"
check ipi_send 256 0 "$ms"
# The receive time is read on the other vCPU's counter. The CPUs' clocks stay
# within one scheduling round of each other (rounds of --quantum cycles, 1000 by
# default: docs/timers.md), so the latency may come out negative by at most
# one round: 1000 cycles = 1000 * CNTFRQ / 1 GHz ticks (63 at 62.5 MHz).
round_ticks=$(( (1000 * cntfrq + 999999999) / 1000000000 ))
check ipi_latency 256 "-$round_ticks" "$ms"
# A 10 ms timer that fires more than 20 ms late is broken.
check vtimer_latency 16 - "$((cntfrq / 50))"

if [ "$compare" = compare ] && [ "$mode" != bare ] && [ "$fails" = 0 ]; then
    "$tracetool" "$tmp/run.trace" --csv "$tmp/exits.csv" >"$tmp/summary" ||
        fail "arm83emu-trace failed"
    python3 "$src/tests/kvm/compare.py" "$tmp/out" "$tmp/exits.csv" --summary "$tmp/summary" ||
        fail "the guest's means and the trace's round trips differ by more than 5%"
fi
[ $fails = 0 ] && echo "PASS ($mode${compare:+ $compare})"
[ $fails = 0 ]
