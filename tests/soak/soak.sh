#!/bin/sh
# Runs the soak guest (soak.c) twice on 4 CPUs: each run must end with the
# guest's own exit (status 0, "soak: done") well before the instruction
# bound, with nothing on stderr but the digest line, and both runs must
# print the same digest (docs/reliability.md).
emu=$1 elf=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in 1 2; do
    start=$(date +%s)
    "$emu" -M virt -smp 4 -kernel "$elf" -nographic --max-insns 4000000000 --digest --stats \
        >"$tmp/out$i" 2>"$tmp/err$i" </dev/null
    rc=$?
    echo "run $i: exit $rc in $(( $(date +%s) - start )) s"
    grep -a "^soak:" "$tmp/out$i"
    grep -a "cpu[0-9]: " "$tmp/err$i"
    if [ $rc -ne 0 ]; then
        echo "FAIL: exit status $rc, want 0"; cat "$tmp/err$i"; exit 1
    fi
    grep -aq "^soak: done" "$tmp/out$i" || { echo "FAIL: no 'soak: done'"; exit 1; }
    if grep -v -e "digest console=" -e "cpu[0-9]: " -e "exit status 0" "$tmp/err$i" | grep -q .; then
        echo "FAIL: host messages:"; cat "$tmp/err$i"; exit 1
    fi
done
d1=$(grep "digest console=" "$tmp/err1")
d2=$(grep "digest console=" "$tmp/err2")
echo "$d1"
[ "$d1" = "$d2" ] || { echo "FAIL: digests differ: $d2"; exit 1; }
cmp -s "$tmp/out1" "$tmp/out2" || { echo "FAIL: console output differs"; exit 1; }
echo ok
