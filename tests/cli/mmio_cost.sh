#!/bin/sh
# [memory] mmio_access is charged for every device access (docs/timing.md
# "Where costs are added"): guest/platform/hello prints through the PL011
# (one data-register write per character, plus flag-register polls), so the
# same run with mmio_access = 1000 instead of 0 must take exactly 1000 cycles
# more per device access: a positive multiple of 1000, at least 1000 per
# character printed. Before the fix the cost was never added (difference 0).
emu=$1 elf=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cycles() {
    printf '[memory]\nmmio_access = %s\n' "$1" >"$d/p$1.ini"
    "$emu" -M virt -kernel "$elf" -nographic --stats --timing "$d/p$1.ini" </dev/null >"$d/out$1" 2>&1 ||
        fail "run with mmio_access = $1: status $?"
    sed -n 's/.*cpu0: [0-9]* instructions, \([0-9]*\) cycles.*/\1/p' "$d/out$1"
}
c0=$(cycles 0) c1=$(cycles 1000)
[ -n "$c0" ] && [ -n "$c1" ] || fail "no --stats line"
chars=$(grep -v "^arm83emu:" "$d/out0" | wc -c)
diff=$((c1 - c0))
[ $((diff % 1000)) = 0 ] || fail "difference $diff is not a multiple of 1000"
[ "$diff" -ge $((chars * 1000)) ] || fail "difference $diff < 1000 x $chars characters printed"
echo "ok   $((diff / 1000)) device accesses charged for $chars characters"
