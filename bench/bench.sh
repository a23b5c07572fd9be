#!/bin/sh
# The issue-16 benchmark table (docs/performance.md "Method"): arm83emu side by
# side with QEMU TCG on the same host, same guest images and command lines.
# Runs alternate (arm83emu, QEMU, arm83emu, ...), RUNS of each; every run's
# user+system CPU seconds, wall seconds and peak RSS come from /usr/bin/time;
# the table has the medians. Every run's console is checked for the line that
# proves it got where it should (else the run counts as FAILED, never as a
# time). Prints the raw runs, then a table in the format of
# docs/performance.md; also writes both to $BUILD/bench/results-TOOLS-NAMES.md
# (and each configuration's last console to $BUILD/bench/KEY.last.log).
#
#   sh bench/bench.sh BUILD [NAME...]       NAME: intloop boot-nopauth boot-pauth
#                                           sha256 xen nested switch, or quick
#                                           (the first four, make bench) or all
#                                           (make bench-full); default quick
# Environment:
#   RUNS=3                runs per tool (nested: NESTED_RUNS=1)
#   A83_ACCEL=jit         -accel for arm83emu (interp to measure the interpreter)
#   NESTED_CAP=3600       wall-seconds cap of each nested run (QEMU 11 TCG is slow)
#   A83_GUEST_CACHE       guest images (default ./guest-cache): scripts/fetch-guest.sh,
#                         fetch-nested.sh; QEMU 11 from bench/fetch-qemu11.sh
#   QEMU=qemu-system-aarch64   the QEMU 7.2 reference (Debian bookworm's qemu-system-arm)
#   TOOLS="emu qemu"      which side(s) to run (one side alone: the other's cells stay empty)
#
# Targets (issue 16): intloop >= 2,000 MIPS; boot (arm64.nopauth) <= 1.0x QEMU's
# CPU time, with PAuth <= 0.5x; sha256 <= 1.0x; Xen + dom0 (2 CPUs) wall
# <= 1.0x; nested boot to L2's shell wall <= 0.3x QEMU 11.1 TCG's. "switch"
# has no target: it measures what the 1,000-cycle rounds cost two busy CPUs
# (the same loops with --quantum 1000000, and QEMU's wall time with its two
# threads).
set -eu
BUILD=${1:-build}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/.." && pwd)
EMU="$BUILD/arm83emu"
RUNS=${RUNS:-3}
NESTED_RUNS=${NESTED_RUNS:-1}
NESTED_CAP=${NESTED_CAP:-3600}
ACCEL=${A83_ACCEL:-jit}
TOOLS=${TOOLS:-emu qemu}
QEMU=${QEMU:-qemu-system-aarch64}
cache=${A83_GUEST_CACHE:-$top/guest-cache}
names="$*"
[ -n "$names" ] || names=quick
names=$(echo " $names " | sed 's/ quick / intloop boot-nopauth boot-pauth sha256 /; s/ all / intloop boot-nopauth boot-pauth sha256 xen nested switch /')
for n in $names; do
    case $n in
    intloop|boot-nopauth|boot-pauth|sha256|xen|nested|switch) ;;
    *) echo "bench: unknown benchmark '$n' (intloop boot-nopauth boot-pauth sha256 xen nested switch quick all)" >&2
       exit 2 ;;
    esac
done
[ -x "$EMU" ] || { echo "bench: $EMU not found: build first (make build)" >&2; exit 2; }
for t in /usr/bin/time bc "$QEMU" aarch64-linux-gnu-gcc; do
    command -v "$t" >/dev/null 2>&1 || {
        echo "bench: $t is missing (run scripts/install-deps.sh --bench)" >&2
        exit 2
    }
done
res=$BUILD/bench
mkdir -p "$res"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
    -o "$out/intloop.elf" "$top/bench/guests/intloop.S"
aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
    -o "$out/smploop.elf" "$top/bench/guests/smploop.S"

# measure KEY EXPECT CMD...: one run; appends "cpu wall maxrss_kb" to
# $out/KEY, or "FAILED" when the console lacks the line EXPECT (a fixed
# string; empty: the exit status must be 0 instead).
measure() {
    key=$1 expect=$2
    shift 2
    rc=0
    /usr/bin/time -o "$out/t" -f "%U %S %e %M" "$@" >"$out/log" 2>&1 </dev/null || rc=$?
    cp "$out/log" "$res/$key.last.log"
    if { if [ -n "$expect" ]; then grep -qF "$expect" "$out/log"; else [ $rc = 0 ]; fi; } && [ -s "$out/t" ]; then
        tail -n 1 "$out/t" | awk '{ printf "%.2f %.2f %d\n", $1 + $2, $3, $4 }' >>"$out/$key"
    else
        echo "FAILED(after_${rc:+status_${rc}_}$(tail -n 1 "$out/t" 2>/dev/null | awk '{print $3}')s_wall)" >>"$out/$key"
        echo "bench: $key: failed (exit status $rc; wanted ${expect:-status 0}: $res/$key.last.log)" >&2
    fi
}
# med KEY COLUMN: the median of that column over the key's successful runs
med() {
    [ -s "$out/$1" ] || return 0
    grep -v FAILED "$out/$1" | awk -v k="$2" '{print $k}' | sort -n |
        awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'
}
div() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b }' || true; }
sub() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a - b }' || true; }

LINUX="-kernel $cache/Image -initrd $cache/initramfs.cpio.gz"
QV="$QEMU -M virt,gic-version=3,virtualization=on -cpu max -nographic -nic none -m 1G -smp 1"
SHA_ZERO64M=3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351
need_linux() {
    [ -s "$cache/Image" ] || { echo "bench: $cache/Image missing: run scripts/fetch-guest.sh" >&2; exit 2; }
}
# run1 TOOL BENCH: one run of one configuration
run1() {
    case $2 in
    intloop)   # at EL1 (no EL2), powers off by HVC; 10^9 instructions
        if [ "$1" = emu ]; then measure intloop.emu "" "$EMU" -accel "$ACCEL" -M virt -kernel "$out/intloop.elf" -nographic
        else measure intloop.qemu "" timeout 600 $(echo "$QV" | sed 's/,virtualization=on//') -kernel "$out/intloop.elf"; fi ;;
    switch|switch1m)   # two CPUs at EL1, 1.3 * 10^9 instructions; 1,000-cycle rounds or 10^6
        if [ "$1" = emu ]; then
            q=1000; [ "$2" = switch1m ] && q=1000000
            measure "$2.emu" "" "$EMU" -accel "$ACCEL" -M virt -smp 2 -kernel "$out/smploop.elf" -nographic --quantum $q
        elif [ "$2" = switch ]; then
            measure switch.qemu "" timeout 600 $(echo "$QV" | sed 's/,virtualization=on//; s/-smp 1/-smp 2/') \
                -kernel "$out/smploop.elf"
        fi ;;
    boot-nopauth|boot-pauth|check-nopauth)
        ap="console=ttyAMA0"
        case $2 in *nopauth) ap="$ap arm64.nopauth" ;; esac
        case $2 in check*) ap="$ap a83.script=check" e=$SHA_ZERO64M ;; *) ap="$ap a83.script=boot" e="A83: userspace up" ;; esac
        if [ "$1" = emu ]; then measure "$2.emu" "$e" "$EMU" -accel "$ACCEL" -M virt,virtualization=on -smp 1 -m 1G \
                                    $LINUX -append "$ap" -nographic
        else measure "$2.qemu" "$e" timeout 900 $QV $LINUX -append "$ap"; fi ;;
    xen)   # Xen 4.17 + dom0 (2 CPUs) to the end of dom0's check script
        XARGS="-M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel $cache/xen -nographic"
        XAPPEND="dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot"
        XK="guest-loader,addr=0x49000000,kernel=$cache/Image,bootargs=console=hvc0 earlycon=xen"
        XI="guest-loader,addr=0x50000000,initrd=$cache/initramfs.cpio.gz"
        if [ "$1" = emu ]; then measure xen.emu "A83: script done" "$EMU" -accel "$ACCEL" $XARGS -append "$XAPPEND" -device "$XK" -device "$XI"
        else measure xen.qemu "A83: script done" timeout 900 $QEMU -cpu max -nic none $XARGS -append "$XAPPEND" \
                 -device "$XK" -device "$XI"; fi ;;
    nested)   # L0 Linux 7.x (kvm-arm.mode=nested) -> QEMU 11/KVM -> L1 at vEL2 -> QEMU 11/KVM -> L2
        n=$cache/nested
        NARGS="-smp 2 -m 3G -kernel $n/Image -initrd $n/initramfs-l0.cpio"
        NAPPEND="console=ttyAMA0 kvm-arm.mode=nested"
        if [ "$1" = emu ]; then
            measure nested.emu "A83-L2: userspace up" nice -n 10 timeout "$NESTED_CAP" "$EMU" -accel "$ACCEL" \
                -M virt,virtualization=on $NARGS -append "$NAPPEND" -nographic --max-insns 120000000000
        else
            # QEMU 11 from the trixie chroot; the images are copied into it
            q=$cache/qemu11-host
            mkdir -p "$q/bench"
            for f in Image initramfs-l0.cpio; do cmp -s "$n/$f" "$q/bench/$f" || cp "$n/$f" "$q/bench/$f"; done
            measure nested.qemu "A83-L2: userspace up" nice -n 10 timeout "$NESTED_CAP" chroot "$q" qemu-system-aarch64 \
                -M virt,gic-version=3,virtualization=on -cpu max -nographic -nic none -smp 2 -m 3G \
                -kernel /bench/Image -initrd /bench/initramfs-l0.cpio -append "$NAPPEND"
        fi ;;
    esac
}
# bench CONFIG...: RUNS alternating rounds of every configuration on both tools
bench() {
    r=$RUNS
    [ "$1" = nested ] && r=$NESTED_RUNS
    for i in $(seq "$r"); do
        for c in "$@"; do
            for t in $TOOLS; do
                [ -s "$out/$c.$t" ] && [ "$(wc -l <"$out/$c.$t")" -ge "$r" ] && continue   # measured already
                run1 "$t" "$c"
            done
        done
    done
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $names; do
    case $n in
    intloop) bench intloop ;;
    boot-nopauth|boot-pauth) need_linux; bench "$n" ;;
    sha256) need_linux; bench boot-nopauth check-nopauth ;;
    xen) need_linux; [ -s "$cache/xen" ] || { echo "bench: $cache/xen missing: scripts/fetch-guest.sh --xen" >&2; exit 2; }
         bench xen ;;
    switch) bench switch switch1m ;;
    nested)
        [ -s "$cache/nested/initramfs-l0.cpio" ] || { echo "bench: run scripts/fetch-nested.sh first" >&2; exit 2; }
        sh "$top/bench/fetch-qemu11.sh" >/dev/null
        bench nested ;;
    esac
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -----------------------------------------------------------------
{
echo "arm83emu $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?') -accel $ACCEL, $($QEMU --version | head -n 1);"
echo "$RUNS alternating runs each (nested: $NESTED_RUNS, capped at $NESTED_CAP s wall); load average before $load_before, after $load_after"
echo
echo "raw runs (cpu_s wall_s maxrss_kb, or FAILED(...); a FAILED run has no cell in the table: -):"
for f in "$out"/*.emu "$out"/*.qemu; do
    [ -s "$f" ] && echo "  $(basename "$f"): $(paste -sd'|' "$f" | sed 's/|/ | /g')"
done
echo
echo "| work | arm83emu | QEMU | ratio (arm83emu / QEMU) | target | met |"
echo "|---|---|---|---|---|---|"
# row NAME A Q UNIT TARGET_MAX: ratio = A / Q, met when ratio <= TARGET_MAX
row() {
    ratio=$(div "$2" "$3")
    met="-"
    [ -n "$ratio" ] && met=$(echo "$ratio <= $5" | bc -l | sed 's/1/yes/; s/0/no/')
    echo "| $1 | ${2:--} $4 | ${3:--} $4 | ${ratio:--} | <= $5x | $met |"
}
for n in $names; do
    case $n in
    intloop)
        a=$(med intloop.emu 1) q=$(med intloop.qemu 1)
        am=""; qm=""
        [ -n "$a" ] && am=$(echo "1000 / $a" | bc)
        [ -n "$q" ] && qm=$(echo "1000 / $q" | bc)
        met="-"
        [ -n "$am" ] && { [ "$am" -ge 2000 ] && met=yes || met=no; }
        echo "| integer loop, 10^9 instructions (CPU s; MIPS) | ${a:--} s = ${am:-?} MIPS | ${q:--} s = ${qm:-?} MIPS | $(div "$a" "$q" | grep . || echo -) | >= 2,000 MIPS | $met |" ;;
    boot-nopauth) row "Linux 6.1 EL2 (VHE) boot to init, \`arm64.nopauth\` (CPU)" "$(med boot-nopauth.emu 1)" \
                      "$(med boot-nopauth.qemu 1)" s 1.0 ;;
    boot-pauth) row "Linux 6.1 EL2 (VHE) boot to init, PAuth (CPU)" "$(med boot-pauth.emu 1)" \
                    "$(med boot-pauth.qemu 1)" s 0.5 ;;
    sha256) row "sha256 of 64 MiB in busybox, boot subtracted, \`arm64.nopauth\` (CPU)" \
                "$(sub "$(med check-nopauth.emu 1)" "$(med boot-nopauth.emu 1)")" \
                "$(sub "$(med check-nopauth.qemu 1)" "$(med boot-nopauth.qemu 1)")" s 1.0 ;;
    xen) row "Xen 4.17 + dom0, 2 CPUs, to the end of dom0's script (wall)" "$(med xen.emu 2)" "$(med xen.qemu 2)" s 1.0 ;;
    switch)
        a=$(med switch.emu 2) a1=$(med switch1m.emu 2) q=$(med switch.qemu 2)
        c=$(med switch.emu 1) c1=$(med switch1m.emu 1)
        echo "| two busy CPUs, integer loops, 1.3 * 10^9 instructions (wall) | ${a:--} s (--quantum 1000000: ${a1:--} s) | ${q:--} s | $(div "$a" "$q" | grep . || echo -) | none | - |"
        # 900,000 rounds of 1,000 cycles, two CPU switches each
        [ -n "$c" ] && [ -n "$c1" ] &&
            echo "  round switches: $(awk -v a="$c" -v b="$c1" 'BEGIN { printf "%.0f", (a - b) * 1e9 / 1.8e6 }') ns of CPU each (1.8 M of them)" ;;
    nested)
        row "3-level nested (Linux 7.x L0 -> L1 at vEL2 -> L2) to L2's shell (wall; QEMU 11.1 TCG)" \
            "$(med nested.emu 2)" "$(med nested.qemu 2)" s 0.3
        for t in emu qemu; do
            [ -s "$res/nested.$t.last.log" ] &&
                echo "  nested.$t reached: $(grep -o 'A83-L[0-9]: [^\r]*' "$res/nested.$t.last.log" | tail -n 1)"
        done ;;
    esac
done
} | tee "$res/results-$(echo $TOOLS $names | tr " " "-").md"
