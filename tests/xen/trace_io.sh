#!/bin/sh
# xen/trace_io: arm83emu-trace --xen follows I/O requests through dom0 on
# the synthetic 2-CPU trace of gen_xen_trace.c (its second file; the
# scenario and its cycles are in its header comment). Checks the rule of
# docs/xen.md, "Following an I/O request through dom0": a domU's
# event_channel_op send, dom0 entered with the event-channel upcall
# (dom0's PPI 16, a domU's GUEST_EVTCHN_PPI 31) pending in a list register (the trace's
# lr_pending, GICv3 spec 12.4.8 ICH_LR<n>_EL2.State), dom0's next send, the
# domU entered with the upcall pending; the split into Xen (EL2 parts of
# the two sends), dom0 (its runs in between) and waiting; a delivery inside
# the domain; sends that no upcall follows; --xen-dom0-ppi.
set -eu
gen=$1 tool=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$gen" "$d/t.trace" "$d/io.trace"
"$tool" "$d/io.trace" --xen --top 0 | sed -n '/^I\/O requests/,$p' >"$d/out"
fails=0
want() {
    grep -Eq -- "$1" "$d/out" || { echo "FAIL: no line matching '$1'"; fails=$((fails + 1)); }
}
#     requests followed mean p50 to-dom0 dom0-seg back xen dom0 waiting
want '^ +1 +1 +1600 +1600 +300 +1000 +300 +350 +1000 +250  d1    HVC xen:event_channel_op send \(32\) -> dom0 -> d1$'
want '^ +1 +1 +400 +400 +- +- +- +100 +0 +300  d2    HVC xen:event_channel_op send \(32\) -> d2 \(same domain\)$'
want '^ +2 +0 +0 +0 +- +- +- +0 +0 +0  d2    HVC xen:event_channel_op send \(32\): not followed \(no upcall\)$'
# the median request of each followed path: here the one request of each
sed -n '/^The median request/,$p' "$d/out" >"$d/median"
grep -Eq '^ +1 +1 +1600 +1600 +300 +1000 +300 +350 +1000 +250  d1    HVC xen:event_channel_op send \(32\) -> dom0 -> d1$' "$d/median" ||
    { echo "FAIL: median d1 request"; fails=$((fails + 1)); }
[ "$(grep -c ' HVC ' "$d/median")" -eq 2 ] || { echo "FAIL: not 2 median rows"; fails=$((fails + 1)); }
[ "$(grep -c ' HVC ' "$d/out")" -eq 5 ] || { echo "FAIL: not 3 + 2 rows"; fails=$((fails + 1)); }
# --xen-dom0-ppi 20: dom0's upcall (PPI 16) is not seen, so d1's send is
# followed to its own upcall instead (at 2600: 1600 cycles, Xen 200)
"$tool" "$d/io.trace" --xen --xen-dom0-ppi 20 --top 0 | sed -n '/^I\/O requests/,$p' >"$d/out"
want '^ +1 +1 +1600 +1600 +- +- +- +200 +0 +1400  d1    HVC xen:event_channel_op send \(32\) -> d1 \(same domain\)$'
for bad in 15 32 x -1 ''; do
    rc=0
    "$tool" "$d/io.trace" --xen --xen-dom0-ppi "$bad" >/dev/null 2>"$d/err" || rc=$?
    if [ $rc -ne 2 ] || ! grep -q 'is not a PPI' "$d/err"; then
        echo "FAIL: --xen-dom0-ppi '$bad': status $rc"
        fails=$((fails + 1))
    fi
done
# every record of the generator is read back (8 exits, 8 returns)
n=$("$tool" "$d/io.trace" --top 0 | sed -n 's/^exit trace .*: \([0-9]*\) records.*/\1/p')
[ "$n" = 16 ] || { echo "FAIL: $n records, want 16"; fails=$((fails + 1)); }
# without --xen: no I/O table
if "$tool" "$d/io.trace" --top 0 | grep -q '^I/O requests'; then echo "FAIL: I/O table without --xen"; fails=$((fails + 1)); fi
[ $fails -eq 0 ] || { cat "$d/out"; exit 1; }
echo ok
