#!/bin/sh
# A kernel read through a pipe (/dev/stdin) or a FIFO runs as the same file
# read from disk: the loader reads a file that is not regular once, without
# the ELF magic pre-read that opens regular files twice (before that, a pipe
# lost its first bytes and a FIFO waited for a second writer forever).
# Usage: load_pipe.sh EMULATOR GUEST_DIR
emu=$1 dir=$2
elf=$dir/smp.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
    timeout 60 "$emu" -M virt -smp 2 --stats --max-insns 50000000 "$@" -nographic </dev/null 2>&1
    echo "rc=$?"
}
run -kernel "$elf" >"$tmp/file"
grep -q "cpu0: [1-9]" "$tmp/file" || { echo "FAIL: the guest did not run"; cat "$tmp/file"; exit 1; }
cat "$elf" | timeout 60 "$emu" -M virt -smp 2 --stats --max-insns 50000000 -kernel /dev/stdin \
    -nographic >"$tmp/pipe" 2>&1
echo "rc=$?" >>"$tmp/pipe"
mkfifo "$tmp/fifo"
cat "$elf" >"$tmp/fifo" &
run -kernel "$tmp/fifo" >"$tmp/fifo.out"
wait
fails=0
for k in pipe fifo.out; do
    if cmp -s "$tmp/file" "$tmp/$k"; then
        echo "ok   $k: same output and counters as the file"
    else
        echo "FAIL $k differs from the file:"
        diff "$tmp/file" "$tmp/$k" | head -10
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
