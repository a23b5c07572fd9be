#!/bin/sh
# make bench: side-by-side benchmarks of arm83emu against qemu-system-aarch64
# (Debian's, TCG) on the same host, alternating runs, 3 each, medians and
# ratios. Results go to stdout and to bench/results.md; docs/performance.md
# explains them (it also has the CPU-time variant, bench/cputime.sh, for a
# loaded host). Needs: qemu-system-arm (installed here if missing),
# the guest from scripts/fetch-guest.sh for the Linux benchmarks.
#
#   sh bench/run.sh BUILD [--quick]
set -eu
BUILD=${1:-build}
RUNS=3
[ "${2:-}" = "--quick" ] && RUNS=1
top=$(cd "$(dirname "$0")/.." && pwd)
EMU="$BUILD/arm83emu"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! command -v qemu-system-aarch64 >/dev/null 2>&1 || ! command -v bc >/dev/null 2>&1; then
    echo "bench: installing qemu-system-arm (the reference)"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends qemu-system-arm bc >/dev/null
fi
CC=aarch64-linux-gnu-gcc
for g in intloop hvcloop; do
    $CC -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none -o "$out/$g.elf" "$top/bench/guests/$g.S"
done

# Wall time of a command in seconds (host time is measured, never fed to the guest).
wall() {
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 </dev/null || true
    e=$(date +%s.%N)
    echo "$e - $s" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
QEMU="qemu-system-aarch64 -M virt,gic-version=3 -cpu max -nographic -nic none -m 1G"

report() { printf '%-34s %12s %12s %8s\n' "$1" "$2" "$3" "$4"; }
echo "benchmark                          arm83emu(s)      qemu(s)   ratio"

# 3. integer loop (1e9 instructions): MIPS
a=""; q=""
for i in $(seq $RUNS); do
    a="$a $(wall "$EMU" -M virt -kernel "$out/intloop.elf" -nographic)"
    q="$q $(wall timeout 300 $QEMU -kernel "$out/intloop.elf")"
done
am=$(echo $a | tr ' ' '\n' | median); qm=$(echo $q | tr ' ' '\n' | median)
report "3. integer loop (1e9 insns)" "$am" "$qm" "$(echo "$qm / $am" | bc -l | cut -c1-5)"
echo "   arm83emu MIPS: $(echo "1000 / $am" | bc -l | cut -c1-6)"

# 4. hypercall loop (1e7 HVC round trips)
a=""; q=""
for i in $(seq $RUNS); do
    a="$a $(wall "$EMU" -M virt,virtualization=on -kernel "$out/hvcloop.elf" -nographic)"
    q="$q $(wall timeout 300 $QEMU -M virt,gic-version=3,virtualization=on -kernel "$out/hvcloop.elf")"
done
am=$(echo $a | tr ' ' '\n' | median); qm=$(echo $q | tr ' ' '\n' | median)
report "4. HVC loop (1e7 round trips)" "$am" "$qm" "$(echo "$qm / $am" | bc -l | cut -c1-5)"
echo "   arm83emu HVC round trips/s: $(echo "10000000 / $am" | bc -l | cut -c1-10)"

# 1./2. Linux boot and the sha256 workload need the guest
cache=${A83_GUEST_CACHE:-$top/guest-cache}
if [ -s "$cache/Image" ]; then
    for script in boot check; do
        a=""; q=""
        for i in $(seq $RUNS); do
            a="$a $(wall "$EMU" -M virt,virtualization=on -smp 1 -m 1G -kernel "$cache/Image" \
                -initrd "$cache/initramfs.cpio.gz" -append "console=ttyAMA0 a83.script=$script" -nographic)"
            q="$q $(wall timeout 600 $QEMU -M virt,gic-version=3,virtualization=on -smp 1 -kernel "$cache/Image" \
                -initrd "$cache/initramfs.cpio.gz" -append "console=ttyAMA0 a83.script=$script")"
        done
        am=$(echo $a | tr ' ' '\n' | median); qm=$(echo $q | tr ' ' '\n' | median)
        report "Linux EL2 boot, script=$script" "$am" "$qm" "$(echo "$qm / $am" | bc -l | cut -c1-5)"
    done
else
    echo "(Linux benchmarks skipped: run scripts/fetch-guest.sh first)"
fi

# 5. Xen 4.17 + dom0 (2 CPUs) to the end of dom0's check script and "Hardware Dom0 halted"
if [ -s "$cache/xen" ] && [ -s "$cache/Image" ]; then
    XARGS="-M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel $cache/xen -nographic"
    XAPPEND="dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot"
    XK="guest-loader,addr=0x49000000,kernel=$cache/Image,bootargs=console=hvc0 earlycon=xen"
    XI="guest-loader,addr=0x50000000,initrd=$cache/initramfs.cpio.gz"
    a=""; q=""
    for i in $(seq $RUNS); do
        a="$a $(wall "$EMU" $XARGS -append "$XAPPEND" -device "$XK" -device "$XI")"
        q="$q $(wall timeout 900 qemu-system-aarch64 -cpu max -nic none $XARGS -append "$XAPPEND" -device "$XK" -device "$XI")"
    done
    am=$(echo $a | tr ' ' '\n' | median); qm=$(echo $q | tr ' ' '\n' | median)
    report "5. Xen + dom0, 2 CPUs" "$am" "$qm" "$(echo "$qm / $am" | bc -l | cut -c1-5)"
else
    echo "(Xen benchmark skipped: run scripts/fetch-guest.sh --xen first)"
fi
