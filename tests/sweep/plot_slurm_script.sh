#!/bin/sh
# plot_slurm_script.sh SWEEP EMU ELF: the sbatch script that `arm83emu-sweep
# slurm` writes (array 0..N-1, one `run-one --index $SLURM_ARRAY_TASK_ID` per
# task), executed here task by task without Slurm (as the array would, in
# reverse order), gives the same merged table as a local `run`; and `plot`
# draws a cause's metric against a parameter with gnuplot.
set -eu
sweep=$1 emu=$(realpath "$2") elf=$3
src=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$src/make_sweep.sh" "$d/s" "$elf" "$emu"
ini=$d/s/small.ini
"$sweep" slurm "$ini" --out "$d/array" --max-parallel 4 --sbatch-option "--partition=debug" >"$d/path"
script=$(cat "$d/path")
[ "$script" = "$d/array/slurm/sweep.sbatch" ] || fail "script path: $script"
grep -qx '#SBATCH --array=0-8%4' "$script" || { cat "$script"; fail "no --array=0-8%4"; }
grep -qx '#SBATCH --partition=debug' "$script" || fail "--sbatch-option not written"
grep -q "run-one '$ini' --out '$d/array' --index \"\$SLURM_ARRAY_TASK_ID\"" "$script" || { cat "$script"; fail "run-one line"; }
for i in 8 7 6 5 4 3 2 1 0; do
    SLURM_ARRAY_TASK_ID=$i sh "$script" 2>>"$d/tasks.err" || { cat "$d/tasks.err"; fail "task $i"; }
done
# A task run twice (a requeued array task) keeps the first result.
SLURM_ARRAY_TASK_ID=3 sh "$script" 2>"$d/again.err"
grep -q "already finished" "$d/again.err" || fail "re-run task did not skip"
"$sweep" run "$ini" --out "$d/local" -j 2 2>/dev/null || fail "local run"
"$sweep" collect "$ini" --out "$d/array" 2>/dev/null || fail "collect (array)"
"$sweep" collect "$ini" --out "$d/local" 2>/dev/null || fail "collect (local)"
cmp "$d/array/results.csv" "$d/local/results.csv" || fail "array and local tables differ"
cmp "$d/array/results.jsonl" "$d/local/results.jsonl" || fail "array and local JSONL differ"
# Every result.json is byte-identical too (no host, time or path in it).
for r in "$d/local/runs"/*; do
    cmp "$r/result.json" "$d/array/runs/$(basename "$r")/result.json" || fail "result.json differs"
done

# plot: cycles of the first cause against quantum, one line per profile.
cause=$(grep '^cause,' "$d/local/results.csv" | head -1 | cut -d, -f12)
"$sweep" plot "$ini" --out "$d/local" --x quantum --series profile --cause "$cause" --metric exits \
    -o "$d/p.svg" 2>"$d/plot.err" || { cat "$d/plot.err"; fail "plot"; }
grep -q '<svg' "$d/p.svg" || fail "no SVG written"
# 3 series of 3 points; the data file holds the table's values.
[ "$(grep -c '^# ' "$d/local/plot.dat")" = 3 ] || fail "not 3 series"
want=$(grep "^cause,.*,profiles/slow_sysregs.ini,.*,$cause," "$d/local/results.csv" | cut -d, -f4,13 | tr ',' ' ')
got=$(awk '/^# profiles\/slow_sysregs.ini/{f=1;next} /^#/{f=0} f && NF{print $1, $3}' "$d/local/plot.dat")
[ "$want" = "$got" ] || fail "plot data: want '$want', got '$got'"
# A parameter that varies but is neither x nor series is refused.
set +e
"$sweep" plot "$ini" --out "$d/local" --x quantum -o "$d/q.svg" 2>"$d/plot2.err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "parameter 'profile' varies" "$d/plot2.err" || fail "varying parameter not refused"
"$sweep" plot "$ini" --out "$d/local" --x quantum --where profile=profiles/default.ini -o "$d/q.png" 2>/dev/null ||
    fail "plot with --where"
[ -s "$d/q.png" ] || fail "no PNG"
echo ok
