#!/bin/sh
# Runs one bare-metal guest test: run_guest.sh EMULATOR ELF BASE
# BASE.expect is the exact expected console output; BASE.args (optional)
# holds extra arguments (default: -M virt). The run must exit with status 0,
# or with the status in BASE.status (optional, one number) if it exists.
emu=$1 elf=$2 base=$3
args="-M virt"
[ -f "$base.args" ] && args=$(cat "$base.args")
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
