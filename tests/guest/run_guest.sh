#!/bin/sh
# Runs one bare-metal guest test: run_guest.sh EMULATOR ELF BASE [ACCEL]
# BASE.expect is the exact expected console output; BASE.args (optional)
# holds extra arguments (default: -M virt). The run must exit with status 0,
# or with the status in BASE.status (optional, one number) if it exists.
# Without ACCEL the run uses the interpreter (the reference); with ACCEL
# (jit), the run uses that engine, and a second pair of runs with
# --stats --digest must give the interpreter's instruction and cycle counts
# and digests exactly (docs/ARCHITECTURE.md "Translator"), and the checked
# run compares after every translated block with an interpreter copy of the
# machine (-accel jit,lockstep=block) where the test has one CPU and no
# console input.
emu=$1 elf=$2 base=$3 accel=$4
args="-M virt"
[ -f "$base.args" ] && args=$(cat "$base.args")
if [ -n "$accel" ]; then
    a=$(mktemp) b=$(mktemp)
    # shellcheck disable=SC2086
    timeout 120 "$emu" $args -kernel "$elf" -nographic --max-insns 200000000 --stats --digest \
        -accel interp 2>&1 </dev/null | grep -E '^[^ ]+: (cpu[0-9]+:|digest|exit status)' >"$a"
    # shellcheck disable=SC2086
    timeout 120 "$emu" $args -kernel "$elf" -nographic --max-insns 200000000 --stats --digest \
        -accel "$accel" 2>&1 </dev/null | grep -E '^[^ ]+: (cpu[0-9]+:|digest|exit status)' >"$b"
    if ! [ -s "$a" ] || ! cmp -s "$a" "$b"; then
        echo "-accel $accel differs from -accel interp (counters, digests):"
        diff -u "$a" "$b" | head -20
        rm -f "$a" "$b"
        exit 1
    fi
    rm -f "$a" "$b"
    # The run itself also compares with an interpreter copy after every
    # translated block (lockstep), except where console input is involved, and on
    # several CPUs (lockstep runs in slices, and the scheduler starts a new
    # round at each slice: the schedule, not the engines, would differ).
    case " $args " in
    *input*|*wait-for*|*-drive*|*-gdb*|*-smp*) args="$args -accel $accel" ;;
    *) args="$args -accel $accel,lockstep=block" ;;
    esac
else
    args="$args -accel interp"    # the reference engine
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
timeout 120 "$emu" $args -kernel "$elf" -nographic --max-insns 200000000 >"$out" 2>&1 </dev/null
rc=$?
if ! cmp -s "$out" "$base.expect"; then
    echo "output differs from $base.expect:"
    diff -u "$base.expect" "$out" | head -50
    exit 1
fi
want=0
[ -f "$base.status" ] && want=$(cat "$base.status")
if [ $rc -ne "$want" ]; then
    echo "exit status $rc, want $want"
    exit 1
fi
exit 0
