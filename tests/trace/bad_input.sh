#!/bin/sh
# bad_input.sh GEN TOOL TOOL_UBSAN: arm83emu-trace on bad input (issue 19's
# defects and its bad-input rule): each case must end with a clear one-line
# error and exit status 2, or a correct report; never a signal, a runaway
# output or a sanitizer report. Each case failed before its fix.
set -u
gen=$1 tool=$2 ubsan=$3
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. --plot divided by zero (SIGFPE) when the last record's cycle + 1
#    equals the first's; its temporary data file must not be left behind.
"$gen" --plot-wrap "$d/wrap.trace" || fail "gen --plot-wrap"
before=$(ls /tmp | grep -c '^a83plot' || true)
TMPDIR="$d" "$tool" "$d/wrap.trace" --quiet --plot "$d/wrap.svg" 2>"$d/err"
rc=$?
[ $rc -lt 128 ] || fail "--plot died with signal $((rc - 128))"
if command -v gnuplot >/dev/null 2>&1; then
    [ $rc = 0 ] && [ -s "$d/wrap.svg" ] || fail "--plot: rc $rc, no plot: $(cat "$d/err")"
fi
after=$(ls /tmp | grep -c '^a83plot' || true)
[ "$after" -le "$before" ] || fail "--plot left a temporary file in /tmp"

# 2. --perfetto trusted the header's CPU count (2^32-1 CPUs wrote hundreds
#    of GB): the reader refuses such a header.
"$gen" "$d/t.trace" || fail gen
python3 - "$d/t.trace" "$d/cpus.trace" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[16:20] = b"\xff\xff\xff\xff"
open(sys.argv[2], "wb").write(b)
PY
timeout 20 "$tool" "$d/cpus.trace" --quiet --perfetto "$d/p.json" 2>"$d/err"
rc=$?
[ $rc = 2 ] || fail "header with 2^32-1 CPUs: rc $rc"
grep -q "4294967295 CPUs" "$d/err" || fail "header with 2^32-1 CPUs: message: $(cat "$d/err")"
[ ! -s "$d/p.json" ] || [ "$(wc -c <"$d/p.json")" -lt 100000 ] || fail "perfetto output grew"

# 3. qsort() was given NULL for a group in which no exit returned (the
#    synthetic trace's last exit never returns): clean under UBSan.
"$ubsan" "$d/t.trace" >"$d/out" 2>"$d/err" || fail "UBSan build: $(cat "$d/err")"
grep -q "runtime error" "$d/err" && fail "UBSan: $(cat "$d/err")"
grep -q "DABT virtio-mmio" "$d/out" || fail "the unreturned exit is not reported"

# 4. A version-1 trace: a clear message, exit 2.
python3 - "$d/t.trace" "$d/v1.trace" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[8:16] = bytes([1, 0, 0, 0, 104, 0, 0, 0])
open(sys.argv[2], "wb").write(b)
PY
"$tool" "$d/v1.trace" >"$d/out" 2>"$d/err"
rc=$?
[ $rc = 2 ] || fail "v1 trace: rc $rc"
grep -q "v1.trace: version 1 trace: recorded by an older arm83emu; re-record it" "$d/err" ||
    fail "v1 trace: message: $(cat "$d/err")"
[ ! -s "$d/out" ] || fail "v1 trace: printed tables"

# 5. Cut short: mid-record, and at a record boundary (no end record); the
#    message names the file and the record; no tables (no wrong totals).
size=$(wc -c <"$d/t.trace")
for cut in $((32 + 160 * 5 + 33)) $((32 + 160 * 5)) $((size - 160)); do
    head -c $cut "$d/t.trace" >"$d/cut.trace"
    "$tool" "$d/cut.trace" >"$d/out" 2>"$d/err"
    rc=$?
    [ $rc = 2 ] || fail "cut at $cut: rc $rc"
    grep -Eq "cut.trace: (record [0-9]+ is truncated|cut short after [0-9]+ records)" "$d/err" ||
        fail "cut at $cut: message: $(cat "$d/err")"
    [ ! -s "$d/out" ] || fail "cut at $cut: printed tables"
done
# and a compressed file cut short
"$gen" "$d/z.trace.zst" || fail gen
zsize=$(wc -c <"$d/z.trace.zst")
head -c $((zsize - 8)) "$d/z.trace.zst" >"$d/zcut.trace.zst"
"$tool" "$d/zcut.trace.zst" >"$d/out" 2>"$d/err"
[ $? = 2 ] || fail "zstd cut: rc"
grep -q "zcut.trace.zst: " "$d/err" || fail "zstd cut: message: $(cat "$d/err")"
echo ok
