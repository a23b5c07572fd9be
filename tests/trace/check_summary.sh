#!/bin/sh
# check_summary.sh GEN TOOL EXPECT: the summary of the synthetic trace is
# exactly EXPECT; the CSV, JSONL and Perfetto exports parse and count right.
set -eu
gen=$1 tool=$2 expect=$3
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$gen" "$d/t.trace.zst"
"$tool" "$d/t.trace.zst" --csv "$d/t.csv" --jsonl "$d/t.jsonl" --perfetto "$d/t.json" \
    | sed "s|$d/||" >"$d/out"
diff -u "$expect" "$d/out"
[ "$(wc -l <"$d/t.csv")" = 24 ] || { echo "csv: wrong line count"; exit 1; }
[ "$(wc -l <"$d/t.jsonl")" = 23 ] || { echo "jsonl: wrong line count"; exit 1; }
python3 -c "import json,sys; t=json.load(open(sys.argv[1])); xs=[e for e in t['traceEvents'] if e['ph']=='X']; assert len(xs)==23, len(xs); assert sum(1 for e in xs if e['name']=='HVC xen:console_io (18)')==10" "$d/t.json"
# The CSV columns other tools rely on (the KVM exit microbenchmark compares
# by level, cause and cycles) and parts that add up to the round trip.
python3 - "$d/t.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for col in ("cpu", "level", "vmid", "cause", "cycles", "el2", "host_kernel", "host_user", "other", "idle"):
    assert col in rows[0], col
for r in rows:
    assert sum(int(r[k]) for k in ("el2", "host_kernel", "host_user", "other", "idle")) == int(r["cycles"]), r
hc = [r for r in rows if r["cause"] == "host HVC __kvm_vcpu_run"]
assert len(hc) == 1 and hc[0]["level"] == "0" and hc[0]["cycles"] == "800", hc
PY
echo ok
