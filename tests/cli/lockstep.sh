#!/bin/sh
# -accel jit,lockstep=... (issue 16 part 3, docs/ARCHITECTURE.md "Translator"):
# the translator's machine and an interpreter copy run side by side and are
# compared after every translated block (lockstep=block) or every N
# instructions; at the first difference both states are printed in full and
# the run exits with status 4. A run without a difference must behave as a
# plain run; a difference injected on purpose (--debug-lockstep-flip N: bit 0
# of x0 flipped in the translator's machine once N instructions have run)
# must be reported at the end of the first block (or slice) at or after N,
# with x0 (and nothing else) marked, its two values one bit apart.
# usage: lockstep.sh ARM83EMU GUEST.elf GUEST.expect
emu=$1 elf=$2 expect=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -s "$tmp/err" ] && head -n 60 "$tmp/err"; exit 1; }
hex() { printf '%d' "0x$1"; }

# 1. no difference: the guest's own output and status
rc=0
"$emu" -M virt -kernel "$elf" -nographic -accel jit,lockstep=block >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
[ $rc = 0 ] || fail "lockstep=block: exit status $rc, want 0"
cmp -s "$tmp/out" "$expect" || fail "lockstep=block: console differs from $expect"

# 2. lockstep=block with a difference injected after 5000 instructions
rc=0
"$emu" -M virt -kernel "$elf" -nographic -accel jit,lockstep=block --debug-lockstep-flip 5000 \
    >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
[ $rc = 4 ] || fail "flip under lockstep=block: exit status $rc, want 4"
head=$(grep "lockstep: -accel jit and -accel interp differ after" "$tmp/err") || fail "no report line"
n=$(echo "$head" | sed -n 's/.*differ after \([0-9]*\) instructions, at the end of the translated block at \([0-9a-f]*\) (\([0-9]*\) instructions)$/\1/p')
len=$(echo "$head" | sed -n 's/.*(\([0-9]*\) instructions)$/\1/p')
[ -n "$n" ] && [ -n "$len" ] || fail "the report does not name the translated block: $head"
# the first block that ends at or after instruction 5000
[ "$n" -ge 5000 ] && [ $((n - len)) -lt 5000 ] && [ "$len" -ge 1 ] && [ "$len" -le 64 ] ||
    fail "reported after $n instructions with a block of $len: not the first block end at or after 5000"
grep -q "lockstep cpu0  *jit  *interp" "$tmp/err" || fail "no state table header"
[ "$(grep -c '<- differs' "$tmp/err")" = 1 ] || fail "want exactly one register marked"
x0=$(grep "lockstep cpu0 x0 " "$tmp/err") || fail "no x0 line"
echo "$x0" | grep -q "<- differs" || fail "x0 is not the register marked: $x0"
a=$(echo "$x0" | awk '{print $5}') b=$(echo "$x0" | awk '{print $6}')
[ $(( $(hex "$a") ^ $(hex "$b") )) = 1 ] || fail "x0 values $a / $b are not one bit apart"
for r in pc pstate sp x30; do
    line=$(grep "lockstep cpu0 $r " "$tmp/err") || fail "no $r line"
    [ "$(echo "$line" | awk '{print $5}')" = "$(echo "$line" | awk '{print $6}')" ] || fail "$r differs: $line"
done
line=$(grep "lockstep cpu0 insns " "$tmp/err") || fail "no insns line"
[ "$(echo "$line" | awk '{print $5}')" = "$n" ] && [ "$(echo "$line" | awk '{print $6}')" = "$n" ] ||
    fail "instruction counts $line, want $n on both"
grep -q "lockstep cpu0 cycles " "$tmp/err" || fail "no cycles line"

# 3. lockstep=N: the difference is found at the end of the slice that crosses N
rc=0
"$emu" -M virt -kernel "$elf" -nographic -accel jit,lockstep=100 --debug-lockstep-flip 5000 \
    >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
[ $rc = 4 ] || fail "flip under lockstep=100: exit status $rc, want 4"
grep -q "differ after 5000 instructions, at the end of a slice of 100 instructions" "$tmp/err" ||
    fail "lockstep=100: wrong report: $(head -n 1 "$tmp/err")"

# 4. the hook needs lockstep
rc=0
"$emu" -M virt -kernel "$elf" -nographic -accel jit --debug-lockstep-flip 5 >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
[ $rc = 2 ] && grep -q "needs -accel jit,lockstep" "$tmp/err" || fail "--debug-lockstep-flip without lockstep: status $rc"
echo "lockstep: ok"
