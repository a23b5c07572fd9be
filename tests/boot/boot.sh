#!/bin/sh
# Linux boot tests: boot Debian's arm64 cloud kernel and the busybox initramfs
# (scripts/fetch-guest.sh, guest/init) on the virt board in one configuration
# and check the console log.
#
# usage: boot.sh EMULATOR SOURCE_DIR CASE [BOOT_NOVHE]
#   el2-vhe-smp2  EL2 with VHE, 2 CPUs, script check (the `make check` test)
#   el1           virtualization off: the kernel is entered at EL1
#   el2-nvhe      EL2, kvm-arm.mode=nvhe: KVM's non-VHE hypervisor
#   el2-pkvm      EL2, kvm-arm.mode=protected: the host kernel runs under a
#                 stage-2 translation owned by KVM's EL2 code
#   el2-novhe-idregs BOOT_NOVHE
#                 EL2 on a CPU without FEAT_VHE (ID_AA64MMFR1_EL1.VH = 0), booted
#                 by the API program BOOT_NOVHE (tests/boot/boot_novhe.c)
#   smp1, smp4, smp8  EL2 with VHE on 1, 4 and 8 (the maximum) CPUs
#   determinism   two boots at once (each loads the host for the other):
#                 byte-identical console output, printk timestamps included
#   jit-SMP MODE  the translator (-accel jit) against the interpreter: the same
#                 EL2 boot (VHE; MODE vhe, or nvhe/pkvm) on SMP CPUs, to the
#                 end of a83.script=boot, must give the same console bytes,
#                 instruction and cycle counts per CPU and --digest (issue 16)
#   round-skip    one CPU to the end of a83.script=check (boot, /proc reads,
#                 SHA-256 of 64 MiB) and 2 CPUs to the end of a83.script=boot,
#                 each with and without --debug-round-skip off: the same
#                 console bytes, counters and digests (docs/performance.md
#                 "Rounds that change nothing")
#   shell         a83.script=shell driven by scripted input (--wait-for/--input)
#   tty           a83.script=shell on a pseudo-terminal: keys typed at the
#                 terminal reach the shell (tests/boot/terminal.py; needs python3)
#
# Every case also checks: exit status 0 (PSCI SYSTEM_OFF), all CPUs online,
# the GICv3 ITS found with its tables and LPI tables allocated,
# no WARNING/BUG/Oops/Unhandled/unknown line (QEMU 7.2 -cpu max boots this
# kernel without any), and the /proc/cpuinfo Features line
# (tests/boot/features.expect, derived from the ID registers: see that file).
# Exit 77 (CTest SKIP_RETURN_CODE) when the guest cannot be fetched.
emu=$1 src=$2 case=$3
cache=${A83_GUEST_CACHE:-$src/guest-cache}
here=$(cd "$(dirname "$0")" && pwd)

# Boot tests run in parallel under ctest -j: one fetch at a time (flock).
fetch() {
    mkdir -p "$cache" 2>/dev/null || return 1
    if command -v flock >/dev/null 2>&1; then
        A83_GUEST_CACHE=$cache flock "$cache/.fetch.lock" sh "$src/scripts/fetch-guest.sh"
    else
        A83_GUEST_CACHE=$cache sh "$src/scripts/fetch-guest.sh"
    fi
}
if ! fetch >/dev/null 2>&1 || [ ! -s "$cache/Image" ] || [ ! -s "$cache/initramfs.cpio.gz" ]; then
    echo "SKIPPED: the Linux guest could not be fetched (scripts/fetch-guest.sh needs apt-get"
    echo "         with the arm64 architecture, or a filled \$A83_GUEST_CACHE=$cache)"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

SHA64M=3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351  # 64 MiB of zeros

# run OUT MACHINE NCPUS APPEND [extra emulator args]: one boot; the status
# goes to OUT.rc. The instruction bound (about 2.5x what a boot to the end of
# the check script needs) makes a broken kernel stop instead of hang; the
# wall-clock timeout is only a last resort on an overloaded host.
run() {
    out=$1 machine=$2 ncpus=$3 append=$4
    shift 4
    timeout 1800 "$emu" -M "$machine" -smp "$ncpus" -m 1G -kernel "$cache/Image" \
        -initrd "$cache/initramfs.cpio.gz" -append "console=ttyAMA0${append:+ $append}" -nographic \
        --max-insns 12000000000 "$@" </dev/null >"$out.raw" 2>"$out.err"
    echo $? >"$out.rc"
    tr -d '\r' <"$out.raw" >"$out"    # the kernel's console and the tty end lines with CR LF
}

# check OUT NCPUS EL: the checks every boot must pass.
check() {
    out=$1 ncpus=$2 el=$3
    rc=$(cat "$out.rc")
    [ "$rc" = 0 ] || fail "exit status $rc, want 0 (PSCI SYSTEM_OFF); stderr: $(cat "$out.err")"
    grep -q "CPU: All CPU(s) started at EL$el" "$out" || fail "no 'All CPU(s) started at EL$el'"
    if [ "$ncpus" = 1 ]; then want_up="smp: Brought up 1 node, 1 CPU\$"
    else want_up="smp: Brought up 1 node, $ncpus CPUs"; fi
    grep -q "$want_up" "$out" || fail "not all $ncpus CPUs came online"
    grep -q "reboot: Power down" "$out" || fail "no 'reboot: Power down'"
    # The GICv3 ITS and LPIs (docs/gic.md "ITS and LPIs"): found, tables
    # allocated, per-CPU pending tables, the MSI domain; no ITS error.
    for l in "ITS \[mem 0x08080000-0x0809ffff\]" \
             "ITS@0x0000000008080000: allocated 65536 Devices .*(flat, esz 8, psz 64K, shr 1)" \
             "ITS@0x0000000008080000: allocated 8192 Interrupt Collections" \
             "GICv3: using LPI property table @0x" "GICv3: CPU0: using allocated LPI pending table" \
             "Platform MSI: its@8080000 domain created"; do
        grep -q "$l" "$out" || fail "no '$l' (ITS and LPIs)"
    done
    if grep -iE "ITS.*(timeout|fail|error)|LPI.*(fail|error)" "$out" >"$tmp/itsbad"; then
        fail "ITS error lines:"
        cat "$tmp/itsbad"
    fi
    if grep -E "WARNING|BUG|Oops|Unhandled|unknown" "$out" >"$tmp/bad"; then
        fail "kernel log lines QEMU's boot does not have:"
        cat "$tmp/bad"
    fi
}

# same_run A B WHAT: the runs A and B (run's OUT) gave the same per-CPU
# counters, digests, exit status and console bytes.
same_run() {
    grep -E '^arm83emu: (cpu[0-9]+:|digest|exit status)' "$1.err" >"$1.stats"
    grep -E '^arm83emu: (cpu[0-9]+:|digest|exit status)' "$2.err" >"$2.stats"
    if [ ! -s "$1.stats" ] || ! cmp -s "$1.stats" "$2.stats"; then
        fail "$3: counters or digests differ:"
        diff "$1.stats" "$2.stats"
    fi
    cmp -s "$1.raw" "$2.raw" || fail "$3: console output differs"
}

# check_script OUT NCPUS: the check script's output (guest/init).
check_script() {
    out=$1 ncpus=$2
    grep -q "^$SHA64M  -\$" "$out" || fail "no sha256 line '$SHA64M  -'"
    grep -q "^A83: script done" "$out" || fail "the check script did not finish"
    n=$(grep -c "^processor" "$out")
    [ "$n" = "$ncpus" ] || fail "/proc/cpuinfo lists $n processors, want $ncpus"
    want=$(grep -v '^#' "$here/features.expect")
    grep "^Features" "$out" | sort -u >"$tmp/features"
    if [ "$(cat "$tmp/features")" != "Features	: $want" ]; then
        fail "/proc/cpuinfo Features differ from tests/boot/features.expect:"
        cat "$tmp/features"
    fi
}

case $case in
el2-vhe-smp2)
    run "$tmp/out" virt,virtualization=on 2 ""
    check "$tmp/out" 2 2
    check_script "$tmp/out" 2
    grep -q "kvm \[1\]: VHE mode initialized successfully" "$tmp/out" ||
        fail "no 'kvm [1]: VHE mode initialized successfully'"
    ;;
el1)
    run "$tmp/out" virt 2 ""
    check "$tmp/out" 2 1
    check_script "$tmp/out" 2
    grep -q "kvm \[1\]: HYP mode not available" "$tmp/out" ||
        fail "no 'kvm [1]: HYP mode not available'"
    ;;
el2-novhe-idregs)
    timeout 1800 "$4" "$cache/Image" "$cache/initramfs.cpio.gz" 2 12000000000 \
        </dev/null >"$tmp/out.raw" 2>"$tmp/out.err"
    echo $? >"$tmp/out.rc"
    tr -d '\r' <"$tmp/out.raw" >"$tmp/out"
    check "$tmp/out" 2 2
    check_script "$tmp/out" 2
    grep -q "kvm \[1\]: Hyp mode initialized successfully" "$tmp/out" ||
        fail "no 'kvm [1]: Hyp mode initialized successfully'"
    ! grep -q "Virtualization Host Extensions" "$tmp/out" || fail "the kernel found VHE"
    ;;
el2-pkvm)
    run "$tmp/out" virt,virtualization=on 2 "kvm-arm.mode=protected"
    check "$tmp/out" 2 2
    check_script "$tmp/out" 2
    grep -q "kvm \[1\]: Protected nVHE mode initialized successfully" "$tmp/out" ||
        fail "no 'kvm [1]: Protected nVHE mode initialized successfully'"
    ;;
el2-nvhe)
    run "$tmp/out" virt,virtualization=on 2 "kvm-arm.mode=nvhe"
    check "$tmp/out" 2 2
    check_script "$tmp/out" 2
    grep -q "kvm \[1\]: Hyp mode initialized successfully" "$tmp/out" ||
        fail "no 'kvm [1]: Hyp mode initialized successfully'"
    ;;
smp1 | smp4 | smp8)
    n=${case#smp}
    run "$tmp/out" virt,virtualization=on "$n" ""
    check "$tmp/out" "$n" 2
    check_script "$tmp/out" "$n"
    grep -q "kvm \[1\]: VHE mode initialized successfully" "$tmp/out" ||
        fail "no 'kvm [1]: VHE mode initialized successfully'"
    ;;
determinism)
    run "$tmp/a" virt,virtualization=on 2 "" &
    run "$tmp/b" virt,virtualization=on 2 "" &
    wait
    check "$tmp/a" 2 2
    check_script "$tmp/a" 2
    if ! cmp -s "$tmp/a.raw" "$tmp/b.raw"; then
        fail "two boots gave different console output:"
        diff "$tmp/a" "$tmp/b" | head -20
    fi
    [ "$(cat "$tmp/a.rc")" = "$(cat "$tmp/b.rc")" ] || fail "different exit statuses"
    ;;
jit-*)
    n=${case#jit-}; mode=${n#*-}; n=${n%%-*}
    case $mode in
    vhe) extra="" ;;
    nvhe) extra="kvm-arm.mode=nvhe" ;;
    pkvm) extra="kvm-arm.mode=protected" ;;
    *) echo "unknown jit mode '$mode'"; exit 2 ;;
    esac
    run "$tmp/i" virt,virtualization=on "$n" "a83.script=boot${extra:+ $extra}" --stats --digest -accel interp
    run "$tmp/j" virt,virtualization=on "$n" "a83.script=boot${extra:+ $extra}" --stats --digest --jit-stats -accel jit
    check "$tmp/j" "$n" 2
    grep -q "^arm83emu: jit: [1-9]" "$tmp/j.err" || fail "the translator did not run: $(cat "$tmp/j.err")"
    same_run "$tmp/i" "$tmp/j" "-accel jit against -accel interp"
    ;;
round-skip)
    for n in 1 2; do
        script=check
        [ $n = 1 ] || script=boot
        run "$tmp/s$n" virt,virtualization=on $n "a83.script=$script" --stats --digest
        run "$tmp/r$n" virt,virtualization=on $n "a83.script=$script" --stats --digest --debug-round-skip off
        check "$tmp/s$n" $n 2
        [ $n = 2 ] || check_script "$tmp/s$n" 1
        same_run "$tmp/r$n" "$tmp/s$n" "$n CPUs, --debug-round-skip off against on"
    done
    ;;
shell)
    # Each stage waits for the prompt that follows the previous command's
    # output: input typed earlier is echoed by the tty at once, in the middle
    # of that output. MemTotal: all of RAM but the kernel image, CMA and the
    # kernel's own allocations reaches Linux (a 1 GiB board has > 900 MiB).
    run "$tmp/out" virt,virtualization=on 2 "a83.script=shell" \
        --wait-for '\n/ # ' --input 'echo sum=$((6*7)); grep MemTotal /proc/meminfo\n' \
        --wait-for '\n/ # ' --input 'cat /sys/devices/system/cpu/online\n' \
        --wait-for '\n/ # ' --input 'poweroff -f\n'
    check "$tmp/out" 2 2
    grep -q "^sum=42\$" "$tmp/out" || fail "no 'sum=42': the shell did not run the typed command"
    grep -q "^0-1\$" "$tmp/out" || fail "no '0-1' from /sys/devices/system/cpu/online"
    kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' "$tmp/out")
    [ -n "$kb" ] && [ "$kb" -gt 921600 ] || fail "MemTotal '$kb' kB, want more than 900 MiB"
    ;;
broken)
    # Issue 9, bad input: a corrupt initramfs ends in the kernel's own panic
    # and a non-zero exit at the cycle limit, never a hang; a truncated
    # kernel is a clear load error (exit 2) before the run.
    head -c 1000000 /dev/zero | tr '\000' '\252' >"$tmp/bad-initrd"
    timeout 1800 "$emu" -M virt,virtualization=on -smp 2 -m 1G -kernel "$cache/Image" \
        -initrd "$tmp/bad-initrd" -append "console=ttyAMA0" -nographic --max-cycles 3000000000 \
        </dev/null >"$tmp/out" 2>"$tmp/out.err"
    rc=$?
    [ $rc = 124 ] || fail "corrupt initramfs: exit status $rc, want 124 (cycle limit)"
    grep -q "Kernel panic - not syncing: VFS: Unable to mount root fs" "$tmp/out" ||
        fail "corrupt initramfs: no 'Unable to mount root fs' panic"
    head -c 100000 "$cache/Image" >"$tmp/trunc-Image"
    timeout 60 "$emu" -M virt -m 1G -kernel "$tmp/trunc-Image" -nographic </dev/null \
        >"$tmp/out2" 2>"$tmp/out2.err"
    rc=$?
    [ $rc = 2 ] || fail "truncated kernel: exit status $rc, want 2"
    [ "$(wc -l <"$tmp/out2.err")" = 1 ] || fail "truncated kernel: want one line on stderr: $(cat "$tmp/out2.err")"
    echo "corrupt initramfs: $(grep -m1 'Kernel panic' "$tmp/out"); truncated kernel: $(cat "$tmp/out2.err")"
    ;;
tty)
    command -v python3 >/dev/null 2>&1 || { echo "SKIPPED: no python3 for the pty"; exit 77; }
    python3 "$here/terminal.py" "$emu" "$cache/Image" "$cache/initramfs.cpio.gz" || fail "terminal.py"
    ;;
*)
    echo "boot.sh: unknown case $case" >&2
    exit 2
    ;;
esac

if [ $fails -ne 0 ]; then
    echo "---- last 40 lines of the console"
    for f in "$tmp/out" "$tmp/a"; do [ -f "$f" ] && tail -40 "$f"; done
    exit 1
fi
echo "ok   boot/$case"
exit 0
