#!/bin/sh
# The GDB stub with a real debugger (docs/gdb.md): gdb-multiarch -batch
# against gdb_guest.elf at EL2 (-M virt,virtualization=on, -S): break at a
# symbol, read x0, pc, CurrentEL and HCR_EL2, list the threads, stepi,
# read memory, a monitor command, a write watchpoint, continue to the end.
# The run under the debugger must print the same digest and the same
# instruction and cycle counts as a run without it (the stub stops inside
# hooks and never interrupts the run). Skips (77) without gdb-multiarch.
emu=$1 elf=$2 smp_elf=$3
command -v gdb-multiarch >/dev/null 2>&1 || { echo "skip: no gdb-multiarch"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Reference: no debugger.
timeout 30 "$emu" -M virt,virtualization=on -kernel "$elf" --digest --stats \
    >"$tmp/ref.out" 2>"$tmp/ref.err" </dev/null || fail "reference run failed"
grep -v 'listening' "$tmp/ref.err" >"$tmp/ref.sum"

# Under the debugger, waiting for it (-S) on a free port (0).
timeout 60 "$emu" -M virt,virtualization=on -kernel "$elf" --digest --stats -S \
    -gdb tcp:127.0.0.1:0 >"$tmp/dbg.out" 2>"$tmp/dbg.err" </dev/null &
pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/dbg.err")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { fail "no 'listening on port' line"; kill "$pid"; exit 1; }
cat >"$tmp/script.gdb" <<GDB
set pagination off
target remote 127.0.0.1:$port
break gdb_target
continue
printf "X0=%#lx\n", \$x0
printf "PC=%#lx\n", \$pc
printf "CURRENTEL=%ld\n", \$CurrentEL
printf "HCR=%#lx\n", \$HCR_EL2
info threads
stepi
printf "STEPPC=%#lx\n", \$pc
printf "INSN=%#x\n", *(unsigned int *)gdb_target
monitor info
delete
watch gdb_counter
continue
printf "COUNTER=%ld\n", gdb_counter
delete
continue
GDB
timeout 60 gdb-multiarch -batch -nx -x "$tmp/script.gdb" "$elf" >"$tmp/gdb.out" 2>&1
wait "$pid"
rc=$?
target=$(aarch64-linux-gnu-nm "$elf" 2>/dev/null | sed -n 's/^0*\([0-9a-f]*\) T gdb_target$/\1/p')
word=$(aarch64-linux-gnu-objdump -d "$elf" 2>/dev/null |
       sed -n "s/^ *$target:[[:space:]]*\([0-9a-f]\{8\}\).*/\1/p" | head -1)
want() { grep -q -- "$1" "$tmp/gdb.out" || fail "gdb output lacks '$1'"; }
want "Breakpoint 1, gdb_target (n=n@entry=1)"
want "X0=0x1$"                                # first call: n = 1 in x0 (AAPCS64)
want "PC=0x$target$"                          # stopped before the first instruction
want "CURRENTEL=8$"                           # CurrentEL.EL = 2 in bits [3:2]
want "HCR=0x80000000$"                        # HCR_EL2.RW (the loader's value at EL2)
want "Thread 1 (CPU#0 EL2)"
want "STEPPC=0x$(printf %x $((0x$target + 4)))$"   # stepi: one instruction
[ -n "$word" ] && want "INSN=0x$(echo "$word" | sed 's/^0*//')$"   # memory by VA
want "cpu0: EL2 on"
want "Hardware watchpoint 2: gdb_counter"
want "New value = 1"
want "COUNTER=1$"
want "exited normally"
[ $rc -eq 0 ] || fail "arm83emu exit status $rc under the debugger"
cmp -s "$tmp/ref.out" "$tmp/dbg.out" || fail "console output differs under the debugger"
grep -v 'listening' "$tmp/dbg.err" >"$tmp/dbg.sum"
cmp -s "$tmp/ref.sum" "$tmp/dbg.sum" || { fail "digest/counters differ under the debugger";
    diff "$tmp/ref.sum" "$tmp/dbg.sum"; }
# Two CPUs (tests/guest/platform/smp.c): a breakpoint hit by the secondary
# CPU is reported on thread 2, a step of thread 2 moves only its PC, and
# digest and both CPUs' counters are those of a run without the debugger
# (docs/gdb.md "Stopping never changes what the guest sees"). Each session
# runs under the default profile and under one where loads and stores are
# dear, so that CPU 1's share of each scheduling round (and so where rounds
# end inside its code) differs from the default: before the observed mode
# kept the fast path's block ends, a session that only connects and
# continues made CPU 1 retire 251 instead of 261 instructions there.
# smp_session NAME SCRIPT-BODY PROFILE-OPTIONS...: runs smp.elf under
# gdb-multiarch with SCRIPT-BODY after 'target remote', compares with the
# reference run of the same options; gdb's output in $tmp/NAME.out.
smp_session() {
    name=$1 body=$2
    shift 2
    timeout 30 "$emu" -M virt -smp 2 -kernel "$smp_elf" --digest --stats "$@" \
        >"$tmp/$name.rout" 2>"$tmp/$name.rerr" </dev/null || fail "$name: reference run failed"
    timeout 60 "$emu" -M virt -smp 2 -kernel "$smp_elf" --digest --stats "$@" -S \
        -gdb tcp:127.0.0.1:0 >"$tmp/$name.dout" 2>"$tmp/$name.derr" </dev/null &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/$name.derr")
        [ -n "$port" ] && break
        sleep 0.1
    done
    printf 'set pagination off\ntarget remote 127.0.0.1:%s\n%s\n' "$port" "$body" >"$tmp/$name.gdb"
    timeout 60 gdb-multiarch -batch -nx -x "$tmp/$name.gdb" "$smp_elf" >"$tmp/$name.out" 2>&1
    wait "$pid" || fail "$name: run under the debugger: status $?"
    grep -q "cpu1: [1-9][0-9]* instructions" "$tmp/$name.rerr" || fail "$name: no cpu1 counters"
    grep -v listening "$tmp/$name.derr" | cmp -s - "$tmp/$name.rerr" || {
        fail "$name: digest/counters differ"; grep -v listening "$tmp/$name.derr" |
        diff "$tmp/$name.rerr" -; cat "$tmp/$name.out"; }
    cmp -s "$tmp/$name.rout" "$tmp/$name.dout" || fail "$name: console differs"
}
smp_break='break secondary_main
continue
printf "THREAD=%d\n", $_thread
printf "CTX=%#lx\n", $x0
info registers pc sp cpsr
printf "RELEASE=%d\n", sec_release
printf "ENTRYWORD=%#x\n", *(unsigned int *)secondary_entry
x/4gx $sp
stepi
printf "STEPTHREAD=%d\n", $_thread
info threads
delete
continue'
if [ -f "$smp_elf" ]; then
    printf '[instructions]\nstore = 40\nload = 30\n' >"$tmp/dear.ini"
    a=$(aarch64-linux-gnu-nm "$smp_elf" 2>/dev/null | sed -n 's/^0*\([0-9a-f]*\) T secondary_entry$/\1/p')
    entry_word=$(aarch64-linux-gnu-objdump -d "$smp_elf" 2>/dev/null |
        sed -n "s/^ *$a:[[:space:]]*\([0-9a-f]\{8\}\).*/\1/p" | head -1 | sed 's/^0*//')
    for prof in default dear; do
        set --
        [ $prof = dear ] && set -- --timing "$tmp/dear.ini"
        # a session that only connects and continues
        smp_session "smp-$prof-cont" continue "$@"
        grep -q "exited normally" "$tmp/smp-$prof-cont.out" || fail "smp-$prof-cont: no normal exit"
        # stop at a breakpoint on CPU 1, read registers and memory, step, continue
        smp_session "smp-$prof-break" "$smp_break" "$@"
        o="$tmp/smp-$prof-break.out"
        grep -q "Thread 2 hit Breakpoint 1, secondary_main" "$o" || fail "smp-$prof: no stop on thread 2"
        grep -q "THREAD=2$" "$o" || fail "smp-$prof: \$_thread is not 2"
        grep -q "CTX=0x1234abcd5678$" "$o" || fail "smp-$prof: x0 of CPU 1"   # smp_common.h's context
        grep -q "RELEASE=[01]$" "$o" || fail "smp-$prof: sec_release (memory by VA)"
        [ -n "$entry_word" ] && { grep -q "ENTRYWORD=0x$entry_word$" "$o" ||
            fail "smp-$prof: secondary_entry's first word"; }
        grep -q "STEPTHREAD=2$" "$o" || fail "smp-$prof: the step did not stop on thread 2"
        grep -q "Thread 1 (CPU#0 EL1)" "$o" || fail "smp-$prof: thread 1 not listed"
        grep -q "exited normally" "$o" || fail "smp-$prof-break: no normal exit"
    done
    # the profile makes CPU 1 do real work: its counters differ from the default's
    cmp -s "$tmp/smp-default-cont.rerr" "$tmp/smp-dear-cont.rerr" && fail "smp: the dear profile changes nothing"
fi
if [ $fails -ne 0 ]; then
    echo "--- gdb output"; cat "$tmp/gdb.out"; echo "--- stderr"; cat "$tmp/dbg.err"
    exit 1
fi
echo "ok   gdb-multiarch: break, registers (x0, pc, CurrentEL, HCR_EL2), threads, stepi, memory, watch, continue; digest unchanged; two CPUs under two profiles: connect+continue, break on CPU 1+read+step, digest and counters unchanged"
