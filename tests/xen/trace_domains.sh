#!/bin/sh
# xen/trace_domains: arm83emu-trace --xen on the synthetic trace of
# gen_xen_trace.c. Checks the per-domain rule of docs/xen.md ("The trace per
# domain": VMID v is domid v - 1, VMID 1 is dom0; level-0 exceptions are Xen
# itself), the part of a domU exit's `other` time that dom0 ran, a domU's stage-2 aborts named by Xen's guest memory map, the sub-operations named from x0 (Xen's public headers: sched.h
# SCHEDOP_block = 1, event_channel.h EVTCHNOP_send = 4, grant_table.h
# GNTTABOP_copy = 5, memory.h XENMEM_populate_physmap = 6 under
# MEMOP_CMD_MASK), --xen-domid overrides, its bad input, and that without
# --xen the causes keep their names without sub-operations.
set -eu
gen=$1 tool=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$gen" "$d/t.trace"
"$tool" "$d/t.trace" --xen --top 0 >"$d/out"
fails=0
# want REGEX: a line of the output matches (exits, cycles ... name)
want() {
    grep -Eq -- "$1" "$d/$2" || { echo "FAIL: no line matching '$1' in $2"; fails=$((fails + 1)); }
}
#       exits     cycles   mean ...                 name
want '^ +4 +230 +76 .*  dom0$' out
want '^ +3 +1210 +403 .*  d1$' out
want '^ +6 +3140 +523 .*  d2$' out
want '^ +1 +0 +0 .*  Xen$' out
want '^ +3 +3000 +1000 .*  d2    HVC xen:sched_op block \(29\)$' out
want '^ +3 +200 +100 .*  dom0  HVC xen:event_channel_op send \(32\)$' out
# the domU exit that waited for dom0: 110 cycles in Xen, 400 in dom0
want '^ +1 +510 +510 +510 +510 +110 +0 +0 +400 +0  d1    WFI$' out
want '^ +1 +400 +400 +400 +400  d1    WFI$' out
want '^ +1 +300 +300 .*  d1    HVC xen:grant_table_op copy \(20\)$' out
want '^ +1 +400 +400 .*  d1    HVC xen:memory_op populate_physmap \(12\)$' out
want '^ +1 +50 +50 .*  d2    HVC xen:xen_version version \(17\)$' out
want '^ +1 +60 +60 .*  d2    HVC xen:#99$' out
want '^ +1 +0 +0 .*  Xen   IRQ' out
# stage-2 aborts: a domU's by Xen's guest map (arch-arm.h), dom0's by the board's
want '^ +1 +30 +30 .*  d2    DABT vGICD\+0x8 R4$' out
want '^ +1 +30 +30 .*  dom0  DABT GICD\+0x8 R4$' out
# --csv and --jsonl get the domain (last CSV column, JSON "domain") with --xen
"$tool" "$d/t.trace" --xen --quiet --csv "$d/t.csv" --jsonl "$d/t.jsonl"
python3 - "$d/t.csv" "$d/t.jsonl" <<'PY' || fails=$((fails + 1))
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
js = [json.loads(l) for l in open(sys.argv[2])]
want = ["dom0"] * 2 + ["d1"] * 2 + ["d2"] * 5 + ["d2", "dom0", "Xen", "d1", "dom0"]
for name, got in (("csv", [r["domain"] for r in rows]), ("jsonl", [j["domain"] for j in js])):
    if got != want:
        print("FAIL: %s domains %s, want %s" % (name, got, want))
        sys.exit(1)
PY
# --xen-domid: VMID 3 is domain 7 (e.g. after a domain was destroyed)
"$tool" "$d/t.trace" --xen --xen-domid 3=7 --top 0 >"$d/out2"
want '^ +6 +3140 +523 .*  d7$' out2
want '^ +3 +1210 +403 .*  d1$' out2
# without --xen: no sub-operations, no domain views
"$tool" "$d/t.trace" --top 0 >"$d/out3"
want '  HVC xen:sched_op \(29\)$' out3
if grep -q 'By Xen domain\|sched_op block\|vGICD' "$d/out3"; then echo "FAIL: Xen names without --xen"; fails=$((fails + 1)); fi
# bad --xen-domid values: status 2 and a message
for bad in 0=1 3 3=x =2 3=32752 70000=1 3=-1; do
    rc=0
    "$tool" "$d/t.trace" --xen --xen-domid "$bad" >/dev/null 2>"$d/err" || rc=$?
    if [ $rc -ne 2 ] || ! grep -q 'is not VMID=DOMID' "$d/err"; then
        echo "FAIL: --xen-domid $bad: status $rc"
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ] || { cat "$d/out"; exit 1; }
echo ok
