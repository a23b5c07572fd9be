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
# Counts per cause (cycles are the cycle model's business, not this test's).
"$tool" "$d/a.trace" | awk '/^By cause/{f=1;next} /^$/{f=0} f && $1 ~ /^[0-9]+$/ {c=$1; $1=$2=$3=$4=$5=""; sub(/^ +/,""); print c, $0}' | sort >"$d/got"
cat >"$d/want" <<'WANT'
1 HVC #0x9
1 HVC #0xffff
2 WFI
3 MSR SCTLR_EL1
5 HVC #0x7
WANT
diff -u "$d/want" "$d/got"
# Input "B" (66): two HVC #9.
"$tool" "$d/c.trace" | grep -q '^ *2 .*HVC #0x9$' || { echo "input B: expected 2 x HVC #0x9"; exit 1; }
echo ok
