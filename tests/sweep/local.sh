#!/bin/sh
# local.sh SWEEP EMU TRACE ELF: arm83emu-sweep run/status/collect on a local
# sweep of 9 bare-metal runs (tests/sweep/make_sweep.sh), checking
#  - the merged table equals the one computed run by run by expected.sh;
#  - a second `run` skips every finished run and changes nothing;
#  - a sweep killed (SIGTERM) mid-way leaves only complete results and
#    continues where it stopped, with the same table in the end;
#  - `collect` on a partial sweep reports what is missing (status 1).
set -eu
sweep=$1 emu=$(realpath "$2") tool=$3 elf=$4
src=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$src/make_sweep.sh" "$d/a" "$elf"
ini=$d/a/small.ini

# 1. A full local run: 9 runs, every one ok, the table as computed by hand.
"$sweep" run "$ini" -j 2 2>"$d/run1.err" || { cat "$d/run1.err"; fail "first run failed"; }
grep -q "9/9 done, 0 failed" "$d/run1.err" || { cat "$d/run1.err"; fail "no final progress line"; }
[ "$(ls "$d/a/small.sweep/runs" | wc -l)" = 9 ] || fail "not 9 run directories"
"$sweep" status "$ini" >"$d/status" || { cat "$d/status"; fail "status after a full run"; }
grep -q "9 runs: 9 ok, 0 failed, 0 not finished" "$d/status" || fail "status: $(cat "$d/status")"
"$sweep" collect "$ini" 2>/dev/null || fail "collect"
"$src/expected.sh" "$sweep" "$emu" "$tool" "$ini" >"$d/want.csv"
diff -u "$d/want.csv" "$d/a/small.sweep/results.csv" || fail "merged table differs from the runs made by hand"
# 9 run rows, and cause rows (the SGI guest's IRQs reach EL2 as exits).
[ "$(grep -c '^run,' "$d/a/small.sweep/results.csv")" = 9 ] || fail "not 9 run rows"
grep -q '^cause,' "$d/a/small.sweep/results.csv" || fail "no cause rows"
# Parameters matter: 9 distinct (instructions, cycles) pairs would be too
# strong (profiles may tie), but quantum must change the instruction count.
[ "$(grep '^run,' "$d/a/small.sweep/results.csv" | cut -d, -f4,8 | sort -u | cut -d, -f2 | sort -u | wc -l)" -ge 2 ] ||
    fail "instructions do not depend on --quantum"
# JSON Lines: one object per CSV row, numbers as numbers.
python3 - "$d/a/small.sweep/results.jsonl" "$d/a/small.sweep/results.csv" <<'PY' || fail "results.jsonl"
import csv, json, sys
js = [json.loads(l) for l in open(sys.argv[1])]
cs = list(csv.DictReader(open(sys.argv[2])))
assert len(js) == len(cs), (len(js), len(cs))
for j, c in zip(js, cs):
    for k, v in c.items():
        got = j[k]
        assert (got is None and v == "") or str(got) == v or (isinstance(got, float) and "%.2f" % got == v), (k, got, v)
    assert isinstance(j["instructions"], int) and isinstance(j["quantum"], str)
PY

# 2. Run again: everything is skipped, nothing is rewritten.
touch "$d/mark"
sleep 1
"$sweep" run "$ini" -j 2 2>"$d/run2.err" || fail "second run"
grep -q "9 of 9 runs already finished, skipped" "$d/run2.err" || { cat "$d/run2.err"; fail "second run did not skip"; }
[ -z "$(find "$d/a/small.sweep/runs" -newer "$d/mark" -print)" ] || fail "second run rewrote results"

# 2b. A result.json damaged after the fact is not taken as finished: the run
#     is made again, and the table comes out the same.
victim=$(ls "$d/a/small.sweep/runs" | head -1)
cp "$d/a/small.sweep/results.csv" "$d/before.csv"
printf '{"id": "trunc' >"$d/a/small.sweep/runs/$victim/result.json"
set +e
"$sweep" collect "$ini" 2>"$d/coll0.err"; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "not valid JSON" "$d/coll0.err" || fail "collect took a damaged result: $(cat "$d/coll0.err")"
"$sweep" run "$ini" -j 2 2>"$d/run2b.err" || { cat "$d/run2b.err"; fail "run after damage"; }
grep -q "not valid JSON; running $victim again" "$d/run2b.err" || { cat "$d/run2b.err"; fail "damaged run not re-run"; }
"$sweep" collect "$ini" 2>/dev/null || fail "collect after re-run"
cmp "$d/before.csv" "$d/a/small.sweep/results.csv" || fail "table changed after re-running a damaged run"

# 3. Killed mid-way, then resumed. The emulator is wrapped to take 0.4 s per
#    run, so that SIGTERM lands while runs are in progress (-j 1).
"$src/make_sweep.sh" "$d/b" "$elf" "$d/slow_emu.sh"
printf '#!/bin/sh\nsleep 0.4\nexec "%s" "$@"\n' "$emu" >"$d/slow_emu.sh"
chmod +x "$d/slow_emu.sh"
ini=$d/b/small.ini
"$sweep" run "$ini" -j 1 2>"$d/run3.err" &
pid=$!
pids=$pid
n=0
for _ in $(seq 1 200); do   # at most 20 s
    n=$(ls "$d/b/small.sweep/runs" 2>/dev/null | grep -vc '^\.' || true)
    [ "$n" -ge 3 ] && break
    sleep 0.1
done
[ "$n" -ge 3 ] || fail "runs did not progress"
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
pids=""
[ "$rc" = 130 ] || { cat "$d/run3.err"; fail "killed sweep exited $rc, want 130"; }
grep -q "interrupted" "$d/run3.err" || fail "no interruption message"
# No partial result looks finished: every run directory has result.json.
for r in "$d/b/small.sweep/runs"/*; do
    [ -f "$r/result.json" ] || fail "$r has no result.json but looks finished"
done
done_n=$(ls "$d/b/small.sweep/runs" | wc -l)
[ "$done_n" -lt 9 ] || fail "the sweep finished before it was killed"
set +e
"$sweep" status "$ini" >"$d/status"; rc=$?
"$sweep" collect "$ini" 2>"$d/coll.err"; rc2=$?
set -e
[ "$rc" = 1 ] && grep -q "$((9 - done_n)) not finished" "$d/status" || fail "status of a partial sweep: $(cat "$d/status")"
[ "$rc2" = 1 ] && grep -q "$((9 - done_n)) not finished" "$d/coll.err" || fail "collect of a partial sweep: $(cat "$d/coll.err")"
"$sweep" run "$ini" -j 2 2>"$d/run4.err" || { cat "$d/run4.err"; fail "resumed run"; }
grep -q "$done_n of 9 runs already finished, skipped" "$d/run4.err" || { cat "$d/run4.err"; fail "resume did not skip"; }
[ -z "$(ls -A "$d/b/small.sweep/runs" | grep '^\.' || true)" ] || fail "temporary directories left: $(ls -A "$d/b/small.sweep/runs")"
"$sweep" collect "$ini" 2>/dev/null || fail "collect after resume"
diff -u "$d/a/small.sweep/results.csv" "$d/b/small.sweep/results.csv" || fail "resumed sweep's table differs"
echo "ok"
