#!/bin/sh
# known_exits.sh EMU TOOL ELF SMP_ELF: the exit trace of tests/guest/trace/known_exits
# summarises to exactly the exits the guest makes (counts per cause), and
# the determinism digests are identical for identical inputs and differ
# when one input byte changes (issue 8).
set -eu
emu=$1 tool=$2 elf=$3 smp_elf=$4
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
run() { "$emu" -M virt,virtualization=on -nographic --input "$1" -kernel "$elf" --exit-trace "$2" --digest 2>&1 >/dev/null | grep digest; }
a=$(run A "$d/a.trace")
b=$(run A "$d/b.trace")
c=$(run B "$d/c.trace")
[ "$a" = "$b" ] || { echo "digests differ for identical runs: $a / $b"; exit 1; }
[ "$a" != "$c" ] || { echo "digest did not change with the input byte: $a"; exit 1; }
cmp -s "$d/a.trace" "$d/b.trace" || { echo "trace files differ for identical runs"; exit 1; }
# A 4-CPU guest (LSE and exclusive counters under contention) with scripted
# input: byte-identical console output and digests on two runs.
s1=$("$emu" -M virt -smp 4 --quantum 97 -nographic --input "hello" -kernel "$smp_elf" --digest 2>&1)
s2=$("$emu" -M virt -smp 4 --quantum 97 -nographic --input "hello" -kernel "$smp_elf" --digest 2>&1)
[ "$s1" = "$s2" ] || { echo "SMP runs differ"; exit 1; }
echo "$s1" | grep -q "digest console=" || { echo "no digest printed"; exit 1; }
# Counts per cause (cycles are the cycle model's business, not this test's:
# the 10 numeric columns are exits, round trip total/mean/p50/p99, parts).
causes() { awk '/^By cause/{f=1;next} /^$/{f=0} f && $1 ~ /^[0-9]+$/ {c=$1; for(i=1;i<=10;i++)$i=""; sub(/^ +/,""); print c, $0}' | sort; }
"$tool" "$d/a.trace" | causes >"$d/got"
cat >"$d/want" <<'WANT'
1 HVC #0x9
1 HVC #0xffff
2 WFI
3 MSR SCTLR_EL1
5 HVC #0x7
WANT
diff -u "$d/want" "$d/got"
# Every exit but the harness's last HVC (which never returns to EL1) is a
# guest exit (level 1 by the default host rule: the guest runs with IMO/FMO)
# with a non-zero round trip, all of it at EL2 here.
"$tool" "$d/a.trace" --quiet --csv "$d/a.csv"
python3 - "$d/a.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 12, len(rows)
assert all(r["level"] == "1" for r in rows), [r["level"] for r in rows]
done = [r for r in rows if r["returned"] == "1"]
assert len(done) == 11, len(done)
for r in done:
    parts = sum(int(r[k]) for k in ("el2", "host_kernel", "host_user", "other", "idle"))
    assert int(r["cycles"]) > 0 and parts == int(r["cycles"]) == int(r["el2"]), r
PY
# --exit-host-rule vm: this guest runs without stage 2 (HCR_EL2.VM=0), so
# the rule makes EL1 a host context: its exits become host exceptions.
"$emu" -M virt,virtualization=on -nographic --input A -kernel "$elf" --exit-trace "$d/v.trace" \
    --exit-host-rule vm >/dev/null 2>&1
"$tool" "$d/v.trace" | grep -q '^ *5 .*host EL1 HVC #0x7$' || { echo "--exit-host-rule vm: expected host EL1 exits"; exit 1; }
if "$emu" -M virt -nographic -kernel "$elf" --exit-host-rule bogus >/dev/null 2>&1; then
    echo "--exit-host-rule bogus accepted"; exit 1; fi
# Input "B" (66): two HVC #9.
"$tool" "$d/c.trace" | grep -q '^ *2 .*HVC #0x9$' || { echo "input B: expected 2 x HVC #0x9"; exit 1; }
echo ok
