#!/bin/sh
# --dump-timing / a83_timing_save() (docs/timing.md "Profiles"): the profile in
# effect is written with every key; a profile given with --timing shows in it;
# the dump read back with --timing dumps to the same bytes (a round trip);
# an unwritable target is refused before anything runs (exit 2).
emu=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$emu" --dump-timing "$d/default.ini" || fail "--dump-timing exit status $?"
# every section and some keys of the default profile (docs/timing.md "Default profile")
for want in "[instructions]" "[sysregs]" "[exceptions]" "[memory]" "[gic]" "[cache]" "[tlb]" \
            "div = 12" "load = 4" "entry = 40" "return = 30" "mmio_access = 50" "its_command = 100"; do
    grep -qxF "$want" "$d/default.ini" || fail "no line '$want' in the default dump"
done
[ "$(grep -c ' = ' "$d/default.ini")" -ge 40 ] || fail "fewer than 40 keys in the dump"
printf '[exceptions]\nentry = 77\n[sysregs]\nother = 5\n' >"$d/p.ini"
"$emu" --timing "$d/p.ini" --dump-timing "$d/p-dump.ini" || fail "dump with --timing: status $?"
grep -qxF "entry = 77" "$d/p-dump.ini" || fail "--timing's entry = 77 not in the dump"
grep -qxF "other = 5" "$d/p-dump.ini" || fail "--timing's other = 5 not in the dump"
grep -qxF "return = 30" "$d/p-dump.ini" || fail "a default lost when --timing was given"
"$emu" --timing "$d/p-dump.ini" --dump-timing "$d/again.ini" || fail "dump of a dump: status $?"
cmp -s "$d/p-dump.ini" "$d/again.ini" || fail "a dump read back does not dump to the same bytes"
"$emu" --dump-timing "$d/no/such/dir/x.ini" 2>"$d/err"
rc=$?
[ $rc = 2 ] || fail "unwritable --dump-timing: status $rc, want 2"
grep -q -- "--dump-timing" "$d/err" || fail "the error does not name --dump-timing: $(cat "$d/err")"
echo "ok   --dump-timing writes the profile in effect and reads back to the same bytes"
