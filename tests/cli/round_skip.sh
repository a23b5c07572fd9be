#!/bin/sh
# Rounds that change nothing run on inside the CPU's loop (docs/performance.md
# "Rounds that change nothing"); --debug-round-skip off ends every round in
# the scheduler. Both must give the same run: every bare-metal guest test
# (timers, event streams, WFE/SEV, GIC and ITS, PSCI, SMP, devices, NV) is
# run both ways with its own arguments, through the translator and the
# interpreter, and the console output, exit status, per-CPU instruction and
# cycle counts (--stats) and digests (--digest) must be byte-identical. A
# second pair of runs with a small --max-insns checks the instruction limit
# (a run split at the limit, as the CLI's slices do).
# usage: round_skip.sh EMULATOR GUEST_BUILD_DIR GUEST_SOURCE_DIR
emu=$1 dir=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 n=0
for elf in "$dir"/*/*.elf; do
    rel=${elf#"$dir"/}
    base=$src/${rel%.elf}
    args="-M virt"
    [ -f "$base.args" ] && args=$(cat "$base.args")
    case " $args " in
    *-gdb*|*-S\ *) continue ;;   # a debugger session waits for a client
    esac
    for accel in jit interp; do
        for lim in 200000000 1000003; do
            for o in on off; do
                # shellcheck disable=SC2086
                timeout 120 "$emu" $args -kernel "$elf" -nographic --max-insns $lim --stats --digest \
                    -accel $accel --debug-round-skip $o >"$tmp/$o" 2>&1 </dev/null
                echo "rc=$?" >>"$tmp/$o"
            done
            if ! grep -q "cpu0: [1-9]" "$tmp/on"; then
                echo "FAIL $rel ($accel, --max-insns $lim): no counters"
                head -5 "$tmp/on"
                fails=$((fails + 1))
            elif ! cmp -s "$tmp/on" "$tmp/off"; then
                echo "FAIL $rel ($accel, --max-insns $lim): --debug-round-skip off changes the run:"
                diff "$tmp/off" "$tmp/on" | head -10
                fails=$((fails + 1))
            fi
            n=$((n + 1))
        done
    done
done
echo "$n runs compared, $fails differ"
[ "$n" -gt 100 ] && [ $fails = 0 ]
