#!/bin/sh
# Runs the libFuzzer targets of a fuzz build (make fuzz; docs/reliability.md)
# for SECONDS each, one after the other (one core each; the machine is
# shared). The seed corpus (BUILD/tests/fuzz/seeds/T) is read, new inputs go
# to BUILD/fuzz-corpus/T, crashes to BUILD/fuzz-artifacts/.
# usage: run.sh BUILD SECONDS [TARGET...]
set -u
build=$1 secs=$2
shift 2
dir=$build/tests/fuzz
targets=${*:-loader dtb initrd timing exit_trace trace cli gdb snapshot virtq sweep its}
mkdir -p "$build/fuzz-artifacts"
fails=0
for t in $targets; do
    mkdir -p "$build/fuzz-corpus/$t"
    # leaks: off for the command line only (fuzz_cli.c says why)
    extra="-close_fd_mask=1"
    [ "$t" = cli ] && extra="-close_fd_mask=3 -detect_leaks=0"
    [ "$t" = sweep ] && extra="-close_fd_mask=3"   # every bad file prints its errors
    [ "$t" = trace ] && extra="-close_fd_mask=3"   # the report, and every bad file's error
    echo "fuzz_$t: $secs s"
    # (ASAN_OPTIONS too: LeakSanitizer's check at process exit)
    leaks=1
    [ "$t" = cli ] && leaks=0
    # shellcheck disable=SC2086
    if ! ASAN_OPTIONS="detect_leaks=$leaks:${ASAN_OPTIONS:-}" "$dir/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=1048576 \
        -print_final_stats=1 $extra -artifact_prefix="$build/fuzz-artifacts/$t-" \
        "$build/fuzz-corpus/$t" "$dir/seeds/$t" 2>"$build/fuzz-$t.log"; then
        echo "FAIL fuzz_$t: see $build/fuzz-$t.log and $build/fuzz-artifacts/"
        tail -40 "$build/fuzz-$t.log"
        fails=$((fails + 1))
    else
        grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/fuzz-$t.log" | tail -2
    fi
done
[ $fails -eq 0 ]
