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
[ "$(wc -l <"$d/t.csv")" = 22 ] || { echo "csv: wrong line count"; exit 1; }
[ "$(wc -l <"$d/t.jsonl")" = 21 ] || { echo "jsonl: wrong line count"; exit 1; }
python3 -c "import json,sys; t=json.load(open(sys.argv[1])); xs=[e for e in t['traceEvents'] if e['ph']=='X']; assert len(xs)==21, len(xs); assert sum(1 for e in xs if e['name']=='HVC xen:console_io (18)')==10" "$d/t.json"
echo ok
