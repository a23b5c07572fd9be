#!/bin/sh
# A fuzzing campaign budgeted in CPU time, not wall time (docs/reliability.md).
# libFuzzer's -max_total_time counts wall seconds, which on a shared machine
# says little about how much fuzzing a target got. This runs each TARGET in
# chunks of CHUNK wall seconds through run.sh, measures each chunk's CPU time
# (user + system, /usr/bin/time) and stops a target once its total reaches
# CPU_SECONDS. Totals are kept in BUILD/fuzz-campaign/T.cpu, so a campaign
# stopped part way (or run over several sessions) continues where it was;
# one line per chunk goes to BUILD/fuzz-campaign/log.tsv:
#   target  chunk-wall-s  chunk-cpu-s  total-cpu-s  executions  cov  ft  corpus-files  result
# usage: campaign.sh BUILD CPU_SECONDS CHUNK TARGET...
set -u
[ $# -ge 4 ] || { echo "usage: campaign.sh BUILD CPU_SECONDS CHUNK TARGET..." >&2; exit 2; }
build=$1 budget=$2 chunk=$3
shift 3
here=$(dirname "$0")
state=$build/fuzz-campaign
mkdir -p "$state"
[ -x /usr/bin/time ] || { echo "campaign.sh: /usr/bin/time is missing (apt install time)" >&2; exit 2; }
fails=0
for t in "$@"; do
    [ -x "$build/tests/fuzz/fuzz_$t" ] || { echo "campaign.sh: no fuzz target fuzz_$t in $build" >&2; exit 2; }
    while :; do
        total=$(cat "$state/$t.cpu" 2>/dev/null || echo 0)
        awk -v a="$total" -v b="$budget" 'BEGIN { exit !(a >= b) }' && break
        /usr/bin/time -f "%e %U %S" -o "$state/$t.time" sh "$here/run.sh" "$build" "$chunk" "$t" >"$state/$t.out" 2>&1
        rc=$?
        read -r wall user sys <"$state/$t.time" || { wall=0 user=0 sys=0; }
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        total=$(awk -v a="$total" -v b="$cpu" 'BEGIN { printf "%.2f", a + b }')
        echo "$total" >"$state/$t.cpu"
        log=$build/fuzz-$t.log
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        covft=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 | awk '{print $2 "\t" $4}')
        files=$(find "$build/fuzz-corpus/$t" -type f | wc -l)
        result=ok
        [ $rc -eq 0 ] || { result=FAIL; fails=$((fails + 1)); }
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$wall" "$cpu" "$total" "${execs:-?}" "${covft:-?	?}" "$files" "$result" >>"$state/log.tsv"
        if [ $rc -ne 0 ]; then
            cat "$state/$t.out"
            break
        fi
    done
done
[ $fails -eq 0 ]
