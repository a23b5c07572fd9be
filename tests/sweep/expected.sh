#!/bin/sh
# expected.sh SWEEP EMU TRACE INI: prints the merged table (results.csv) that
# `arm83emu-sweep collect` must write for INI, computed independently: each
# run of `arm83emu-sweep list` is run here by hand with arm83emu --digest
# --stats --exit-trace, and its exits are summed per cause with awk from
# `arm83emu-trace --csv` (columns found by name). Only for tests/sweep's
# small.ini (its command is repeated below).
set -eu
sweep=$1 emu=$2 tool=$3 ini=$4
dir=$(cd "$(dirname "$ini")" && pwd)
elf=$(sed -n 's/^guest = //p' "$ini")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
echo "kind,id,repeat,quantum,profile,status,exit_code,instructions,cpu_cycles,digest_console,digest_exits,cause,exits,returned,cycles,cycles_per_exit,el2,host_kernel,host_user,other,idle"
"$sweep" list "$ini" | tail -n +2 | while IFS="$(printf '\t')" read -r index id quantum profile repeat; do
    set +e
    "$emu" -M virt,virtualization=on -smp 2 --quantum "$quantum" --timing "$dir/$profile" -kernel "$elf" \
        -nographic --max-insns 20000000 --digest --stats --exit-trace "$t/x.trace" </dev/null >/dev/null 2>"$t/err"
    rc=$?
    set -e
    insns=$(awk '/: cpu[0-9]+: /{s+=$3} END{print s+0}' "$t/err")
    cycles=$(awk '/: cpu[0-9]+: /{s+=$5} END{print s+0}' "$t/err")
    dc=$(sed -n 's/.*digest console=\([0-9a-f]*\) .*/\1/p' "$t/err")
    dt=$(sed -n 's/.*exit-trace=\([0-9a-f]*\)$/\1/p' "$t/err")
    run="$id,$repeat,$quantum,$profile,ok,$rc,$insns,$cycles,$dc,$dt"
    echo "run,$run,,,,,,,,,,"
    "$tool" "$t/x.trace" --quiet --csv "$t/x.csv"
    python3 - "$t/x.csv" "$run" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
acc = {}
for r in rows:
    a = acc.setdefault(r["cause"], [0, 0, 0, 0, 0, 0, 0, 0])
    a[0] += 1
    a[1] += int(r["returned"]) != 0
    a[2] += int(r["cycles"])
    for k, p in enumerate(["el2", "host_kernel", "host_user", "other", "idle"]):
        a[3 + k] += int(r[p])
for c in sorted(acc, key=lambda s: s.encode()):
    a = acc[c]
    cpe = ""
    if a[1]:
        h = (a[2] * 100 + a[1] // 2) // a[1]
        cpe = "%d.%02d" % (h // 100, h % 100)
    print("cause,%s,%s,%d,%d,%d,%s,%s" % (sys.argv[2], c, a[0], a[1], a[2], cpe, ",".join(str(x) for x in a[3:])))
PY
done
