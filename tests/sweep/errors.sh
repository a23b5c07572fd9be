#!/bin/sh
# errors.sh SWEEP ELF: experiment files are validated before anything runs.
# Each bad file gets exit status 2, the message with its line number, and
# no output directory. Also: run ids depend on the parameter values only
# (not on their order in the file, nor grid vs point), and bad command lines.
set -eu
sweep=$1 elf=$(realpath "$2")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
# bad "TEXT" "EXPECTED MESSAGE (grep -F)"
bad() {
    n=$((n + 1))
    printf '%s\n' "$1" >"$d/bad$n.ini"
    set +e
    "$sweep" run "$d/bad$n.ini" >"$d/out" 2>&1
    rc=$?
    set -e
    [ "$rc" = 2 ] || { cat "$d/out"; fail "case $n: status $rc, want 2"; }
    grep -qF "$d/bad$n.ini:$2" "$d/out" || { cat "$d/out"; fail "case $n: no message '$2'"; }
    grep -qF "nothing was run" "$d/out" || fail "case $n: no 'nothing was run'"
    [ ! -e "$d/bad$n.sweep" ] || fail "case $n: an output directory was created"
}
ok_head="[sweep]
command = -kernel {guest} --quantum {q}
[images]
guest = $elf"
sw_head="[images]
guest = $elf
[sweep]
command = -kernel {guest} --quantum {q}"
bad "$ok_head
[grid]
q = 1, 2
[bogus]
x = 1" "8: unknown section [bogus]"
bad "[sweep]
comand = -kernel x" "2: [sweep]: unknown key 'comand'"
bad "[grid]
q = 1" "2: [sweep]: 'command' is required"
bad "$ok_head
[grid]
q = 1, 2
r = 3" "7: parameter 'r' is not used in the command"
bad "[sweep]
command = -kernel {guest} --quantum {qq}
[images]
guest = $elf
[grid]
q = 1" "2: command: unknown placeholder {qq}"
bad "$sw_head
repeats = 0
[grid]
q = 1" "5: repeats: '0' is not a number 1..1000"
bad "[sweep]
command = -kernel {guest} --quantum {q}
[images]
guest = $d/missing.elf
[grid]
q = 1" "4: [images]: $d/missing.elf: No such file or directory"
bad "$ok_head
[grid]
q = 1, 2, 1" "6: q: value '1' given twice"
bad "$ok_head
[grid]
q = 1, , 2" "6: q: empty item in the list"
bad "$ok_head
[points]
a = q=1
b = r=2" "7: point b: 'r' is not a parameter of this sweep"
bad "$ok_head
[grid]
q = 1, 2
[points]
a = q=2" "8: run "
# The same duplicate behind a large grid (64 x 64 x 24 = 98,304 runs, near the
# 100,000 limit): the last point repeats the grid's run (q=63, x=63, y=23), so
# the duplicate check must compare it with every earlier run (a hash set in
# spec.c: scanning all earlier runs took 15 s of CPU for this file).
v64=$(seq -s, 0 63) v24=$(seq -s, 0 23)
bad "[sweep]
command = -kernel {guest} --quantum {q} --input {x} --wait-for {y}
[images]
guest = $elf
[grid]
q = $v64
x = $v64
y = $v24
[points]
a = q=63, x=63, y=23" "10: run "
bad "[sweep]
command = -kernel {guest} --quantum {q} --input 'x
[images]
guest = $elf
[grid]
q = 1" "2: command: unbalanced quote"
bad "$sw_head
collect = digest, cycles
[grid]
q = 1" "5: collect: unknown item 'cycles'"
bad "[sweep]
command = -kernel {guest} --quantum {q} --stats
[images]
guest = $elf
[grid]
q = 1" "2: command: --stats is added by the sweep"
bad "$sw_head
path_params = q
[grid]
q = nothere.ini" "7: q: $d/nothere.ini: No such file or directory"
bad "$ok_head
[grid]
q = 1, 2
x$(printf '%0250d' 0) = 1" "7: line longer than"
bad "$sw_head
this line has no equals sign
[grid]
q = 1" "5: syntax error"
bad "$ok_head
[grid]
status = 1" "6: [grid]: 'status' is reserved"
bad "$sw_head
causes = WFI
[grid]
q = 1" "5: [sweep]: 'causes' needs 'exits' in collect"
bad "$ok_head
  --more
[grid]
q = 1" "5: only [sweep] command may continue on an indented line"

# Stable ids: XXH64 of the sorted name=value pairs. The same runs written
# with the parameters and values in another order, or as explicit points,
# get the same ids; a repeat gets its own.
cat >"$d/g1.ini" <<G1
[sweep]
command = -kernel {guest}
    --quantum {q} -smp {smp}
[images]
guest = $elf
[grid]
q = 10, 20
smp = 1, 2
G1
cat >"$d/g2.ini" <<G2
[sweep]
command = -smp {smp} -kernel {guest} --quantum {q}
[images]
guest = $elf
[grid]
smp = 2, 1
q = 20, 10
G2
cat >"$d/g3.ini" <<G3
[sweep]
command = -smp {smp} -kernel {guest} --quantum {q}
[images]
guest = $elf
[points]
p1 = q=10, smp=1
p2 = smp=2, q=10
p3 = q=20, smp=1
p4 = q=20, smp=2
G3
ids() { "$sweep" list "$1" | tail -n +2 | cut -f2 | sort; }
[ "$(ids "$d/g1.ini")" = "$(ids "$d/g2.ini")" ] || fail "ids depend on the order of the file"
[ "$(ids "$d/g1.ini")" = "$(ids "$d/g3.ini")" ] || fail "points and grid give different ids"
[ "$(ids "$d/g1.ini" | sort -u | wc -l)" = 4 ] || fail "ids not distinct"
# The grid expands first parameter slowest; values as written.
"$sweep" list "$d/g1.ini" | cut -f1,3,4 >"$d/list"
printf 'index\tq\tsmp\n0\t10\t1\n1\t10\t2\n2\t20\t1\n3\t20\t2\n' | diff -u - "$d/list" || fail "grid order"
sed '/^\[sweep\]/a repeats = 2' "$d/g1.ini" >"$d/g4.ini"
[ "$("$sweep" list "$d/g4.ini" | tail -n +2 | wc -l)" = 8 ] || fail "repeats"
[ "$(ids "$d/g4.ini" | sort -u | wc -l)" = 8 ] || fail "repeat ids not distinct"
# The continuation line took part in the command: {q} is used.
"$sweep" slurm "$d/g1.ini" --out "$d/g1out" >/dev/null || fail "slurm script"

# Failed runs are finished runs with a reason: an exit status not in
# expect_status, a host timeout (SIGALRM). They are not re-run unless
# --retry-failed. A run whose emulator cannot be started is not recorded.
printf '#!/bin/sh\n[ "$2" = 1 ] && exit 3\n[ "$2" = 2 ] && exec sleep 5\nexit 0\n' >"$d/fake_emu.sh"
chmod +x "$d/fake_emu.sh"
cat >"$d/f.ini" <<F
[sweep]
command = --quantum {q}
collect = digest
expect_status = 0, 5
timeout = 1
emulator = $d/fake_emu.sh
[grid]
q = 1, 2, 3
F
set +e
"$sweep" run "$d/f.ini" -j 3 2>"$d/f.err"; rc=$?
set -e
[ "$rc" = 1 ] || { cat "$d/f.err"; fail "sweep with failures: status $rc, want 1"; }
"$sweep" status "$d/f.ini" >"$d/f.status" || true
grep -q "exit status 3 not expected" "$d/f.status" || { cat "$d/f.status"; fail "no exit-status failure"; }
grep -q "timeout (1 s)" "$d/f.status" || { cat "$d/f.status"; fail "no timeout failure"; }
grep -q "no --digest output" "$d/f.status" || { cat "$d/f.status"; fail "missing digest not a failure"; }
grep -q "3 runs: 0 ok, 3 failed, 0 not finished" "$d/f.status" || fail "status: $(cat "$d/f.status")"
"$sweep" run "$d/f.ini" 2>"$d/f2.err" || true
grep -q "3 of 3 runs already finished" "$d/f2.err" || fail "failed runs were re-run"
sed -i 's/^emulator = .*/emulator = \/bin\/true/' "$d/f.ini"
"$sweep" run "$d/f.ini" --retry-failed 2>"$d/f3.err" || true
grep -q "3/3 done, 3 failed" "$d/f3.err" || { cat "$d/f3.err"; fail "--retry-failed did not re-run"; }
grep -q "no --digest output" "$d/f.sweep/runs/"*/result.json || fail "retried results"
mv "$d/f.sweep" "$d/f.old"
sed -i "s|^emulator = .*|emulator = $d/fake_emu.sh|" "$d/f.ini"
chmod -x "$d/fake_emu.sh"
set +e
"$sweep" run "$d/f.ini" 2>"$d/f4.err"; rc=$?
set -e
chmod +x "$d/fake_emu.sh"
[ "$rc" = 2 ] && grep -q "Permission denied" "$d/f4.err" || { cat "$d/f4.err"; fail "non-executable emulator: status $rc"; }
grep -q "\[sweep\]: $d/fake_emu.sh: Permission denied" "$d/f4.err" || fail "emulator not checked before running"

# Command-line errors: status 2, a message.
cli() {
    set +e
    "$sweep" "$@" >"$d/out" 2>&1
    rc=$?
    set -e
    [ "$rc" = 2 ] || { cat "$d/out"; fail "'$*': status $rc, want 2"; }
    grep -qF -- "$EXPECT" "$d/out" || { cat "$d/out"; fail "'$*': no message '$EXPECT'"; }
}
EXPECT="unknown command 'walk'" cli walk "$d/g1.ini"
EXPECT="-j: '0' is not 1..1024" cli run "$d/g1.ini" -j 0
EXPECT="--index 4: the sweep has 4 runs (0..3)" cli run-one "$d/g1.ini" --index 4
EXPECT="run-one needs --index" cli run-one "$d/g1.ini"
EXPECT="no experiment file" cli run
EXPECT="$d/none.ini: No such file or directory" cli run "$d/none.ini"
EXPECT="plot needs -o" cli plot "$d/g1.ini" --x q
echo ok
