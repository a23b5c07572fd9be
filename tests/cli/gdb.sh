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
# digest and both CPUs' counters are those of a run without the debugger.
if [ -f "$smp_elf" ]; then
    timeout 30 "$emu" -M virt -smp 2 -kernel "$smp_elf" --digest --stats >"$tmp/sref.out" \
        2>"$tmp/sref.err" </dev/null
    timeout 60 "$emu" -M virt -smp 2 -kernel "$smp_elf" --digest --stats -S -gdb tcp:127.0.0.1:0 \
        >"$tmp/sdbg.out" 2>"$tmp/sdbg.err" </dev/null &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/sdbg.err")
        [ -n "$port" ] && break
        sleep 0.1
    done
    cat >"$tmp/smp.gdb" <<GDB
set pagination off
target remote 127.0.0.1:$port
break secondary_main
continue
printf "THREAD=%d\n", \$_thread
printf "CTX=%#lx\n", \$x0
stepi
info threads
delete
continue
GDB
    timeout 60 gdb-multiarch -batch -nx -x "$tmp/smp.gdb" "$smp_elf" >"$tmp/smp.out" 2>&1
    wait "$pid" || fail "smp run under the debugger: status $?"
    grep -q "Thread 2 hit Breakpoint 1, secondary_main" "$tmp/smp.out" || fail "smp: no stop on thread 2"
    grep -q "THREAD=2$" "$tmp/smp.out" || fail "smp: \$_thread is not 2"
    grep -q "CTX=0x1234abcd5678$" "$tmp/smp.out" || fail "smp: x0 of CPU 1"   # smp_common.h's context
    grep -q "Thread 1 (CPU#0 EL1)" "$tmp/smp.out" || fail "smp: thread 1 not listed"
    grep -v listening "$tmp/sdbg.err" | cmp -s - "$tmp/sref.err" || fail "smp: digest/counters differ"
    cmp -s "$tmp/sref.out" "$tmp/sdbg.out" || fail "smp: console differs"
    [ $fails -ne 0 ] && cat "$tmp/smp.out"
fi
if [ $fails -ne 0 ]; then
    echo "--- gdb output"; cat "$tmp/gdb.out"; echo "--- stderr"; cat "$tmp/dbg.err"
    exit 1
fi
echo "ok   gdb-multiarch: break, registers (x0, pc, CurrentEL, HCR_EL2), threads, stepi, memory, watch, continue; digest unchanged"
