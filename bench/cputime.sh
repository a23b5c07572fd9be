#!/bin/sh
# CPU-time comparison of arm83emu and qemu-system-aarch64 (TCG) for
# docs/performance.md (a previous build against this one: A83_BASE). Like
# bench/bench.sh (the issue-16 table against QEMU, make bench), it records user and
# system CPU seconds and the peak RSS of every run with /usr/bin/time, so that
# results stay meaningful on a loaded, shared host. Runs alternate (arm83emu,
# QEMU, arm83emu, ...), RUNS of each; the medians are printed per benchmark.
#
#   sh bench/cputime.sh BUILD [RUNS]
#
# With A83_BASE=/path/to/another/arm83emu, that binary (e.g. a build of the
# previous commit) runs too, alternating with the others, as "base".
# Needs /usr/bin/time, qemu-system-aarch64 and the guest of
# scripts/fetch-guest.sh (A83_GUEST_CACHE or ./guest-cache).
set -eu
BUILD=${1:-build}
RUNS=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
EMU="$BUILD/arm83emu"
cache=${A83_GUEST_CACHE:-$top/guest-cache}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for g in intloop hvcloop; do
    aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
        -o "$out/$g.elf" "$top/bench/guests/$g.S"
done
APPEND="console=ttyAMA0"
QEMU="qemu-system-aarch64 -M virt,gic-version=3,virtualization=on -cpu max -nographic -nic none -m 1G -smp 1"
LINUX="-kernel $cache/Image -initrd $cache/initramfs.cpio.gz"

# measure NAME TOOL CMD...: appends "user sys wall maxrss_kb" to $out/NAME.TOOL
measure() {
    name=$1; tool=$2; shift 2
    /usr/bin/time -o "$out/t" -f "%U %S %e %M" "$@" >"$out/log" 2>&1 </dev/null || true
    cat "$out/t" >>"$out/$name.$tool"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v k="$2" '{print $k}' "$1" | median; }

TOOLS="emu qemu"
[ -n "${A83_BASE:-}" ] && TOOLS="base emu qemu"
# run TOOL NAME: one run of benchmark NAME with TOOL
run() {
    case $1 in
    emu) e="$EMU" ;;
    base) e="$A83_BASE" ;;
    esac
    case $1:$2 in
    # intloop runs at EL1 and powers off by HVC: no EL2 for it (as in arm83emu's -M virt)
    qemu:intloop) measure intloop qemu timeout 600 $(echo "$QEMU" | sed 's/,virtualization=on//') \
                      -kernel "$out/intloop.elf" ;;
    qemu:hvcloop) measure hvcloop qemu timeout 600 $QEMU -kernel "$out/hvcloop.elf" ;;
    qemu:*) measure "$2" qemu timeout 900 $QEMU $LINUX -append "$APPEND a83.script=$2" ;;
    *:intloop) measure intloop "$1" "$e" -M virt -kernel "$out/intloop.elf" -nographic ;;
    *:hvcloop) measure hvcloop "$1" "$e" -M virt,virtualization=on -kernel "$out/hvcloop.elf" -nographic ;;
    *) measure "$2" "$1" "$e" -M virt,virtualization=on -smp 1 -m 1G $LINUX \
           -append "$APPEND a83.script=$2" -nographic ;;
    esac
}
BENCHES="intloop hvcloop"
[ -s "$cache/Image" ] && BENCHES="$BENCHES boot check"
for i in $(seq "$RUNS"); do
    for b in $BENCHES; do
        for t in $TOOLS; do
            run "$t" "$b"
        done
    done
done

printf '%-8s %-5s %9s %9s %9s %10s\n' bench tool user_s sys_s wall_s maxrss_MiB
for n in intloop hvcloop boot check; do
    for t in base emu qemu; do
        f="$out/$n.$t"
        [ -s "$f" ] || continue
        printf '%-8s %-5s %9s %9s %9s %10s\n' "$n" "$t" "$(col "$f" 1)" "$(col "$f" 2)" \
            "$(col "$f" 3)" "$(echo "$(col "$f" 4) / 1024" | bc)"
    done
done
echo "raw (user sys wall maxrss_kb per run):"
for f in "$out"/*.base "$out"/*.emu "$out"/*.qemu; do [ -s "$f" ] && { echo "$(basename "$f"):"; cat "$f"; }; done
