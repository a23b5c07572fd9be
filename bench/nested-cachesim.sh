#!/bin/sh
# The nested benchmark's L1/L2 phase (KVM's nested support running L1 at vEL2
# and L2) through valgrind's cache simulator (cachegrind): host instructions,
# instruction-cache misses and data-cache misses per guest instruction. They
# are the same for the same binary and inputs whatever else the host does, so
# a change to the translator or the TLB paths can be judged where CPU times
# of the same binary vary by 10-60% (docs/performance.md "Session 23").
#
#   sh bench/nested-cachesim.sh BUILD [SNAPSHOT]
#
# SNAPSHOT: the nested benchmark's machine saved by BUILD's arm83emu at AT
# guest instructions (--snapshot-save; a snapshot loads only into the build
# that wrote it). Without it, one is made first (AT instructions of the
# benchmark, about a minute) in a temporary directory. Two runs from the
# snapshot, to AT + SHORT and to AT + LONG instructions (both CPUs), are
# simulated; the window is their difference, so the snapshot's load cancels
# out. The simulated caches default to one Zen 5 core's L1s and L2 (CACHES);
# valgrind's LL is the L2 here.
#
#   AT=12000000000 SHORT=50000000 LONG=250000000
#   CACHES="--I1=32768,8,64 --D1=49152,12,64 --LL=1048576,16,64"
#
# Needs valgrind and the nested images (scripts/fetch-nested.sh).
set -eu
BUILD=${1:-build}
SNAP=${2:-}
AT=${AT:-12000000000}
SHORT=${SHORT:-50000000}
LONG=${LONG:-250000000}
CACHES=${CACHES:---I1=32768,8,64 --D1=49152,12,64 --LL=1048576,16,64}
top=$(cd "$(dirname "$0")/.." && pwd)
emu=$BUILD/arm83emu
n=$top/guest-cache/nested
command -v valgrind >/dev/null || { echo "nested-cachesim: valgrind is missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
[ -x "$emu" ] || { echo "nested-cachesim: no $emu" >&2; exit 2; }
[ "$SHORT" -lt "$LONG" ] || { echo "nested-cachesim: SHORT must be below LONG" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ARGS="-M virt,virtualization=on -smp 2 -m 3G -nographic"
APPEND="console=ttyAMA0 kvm-arm.mode=nested"
if [ -z "$SNAP" ]; then
    [ -s "$n/initramfs-l0.cpio" ] || { echo "nested-cachesim: run scripts/fetch-nested.sh first" >&2; exit 2; }
    SNAP=$out/nested.snap
    # shellcheck disable=SC2086
    "$emu" $ARGS -kernel "$n/Image" -initrd "$n/initramfs-l0.cpio" -append "$APPEND" \
        --snapshot-save "$SNAP" --snapshot-at-insns "$AT" --max-insns $((AT + 1)) >"$out/save.log" 2>&1 || true
    [ -s "$SNAP" ] || { cat "$out/save.log" >&2; echo "nested-cachesim: no snapshot" >&2; exit 1; }
fi
# run NAME INSNS: cachegrind from the snapshot to AT + INSNS instructions
run() {
    # shellcheck disable=SC2086
    valgrind --tool=cachegrind --cache-sim=yes --smc-check=all $CACHES \
        --cachegrind-out-file="$out/$1.cg" "$emu" $ARGS --snapshot-load "$SNAP" -append "$APPEND" \
        --max-insns $((AT + $2)) --digest >"$out/$1.log" 2>&1 || true   # exit status 124
    grep -q "instruction limit reached" "$out/$1.log" || { cat "$out/$1.log" >&2; exit 1; }
}
run short "$SHORT" &
run long "$LONG"
wait $! || exit 1
# the summary line's events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
for r in short long; do
    sed -n 's/^summary: *//p' "$out/$r.cg" >"$out/$r.sum"
    grep -o 'digest .*' "$out/$r.log" | sed "s/^/$r: /"
done
# fields 1-9 the short run's, 10-18 the long run's; misses of reads and
# writes added
paste "$out/short.sum" "$out/long.sum" | awk -v w=$((LONG - SHORT)) -v from="$AT + $SHORT" '
function row(name, d) { printf "| %s | %.0f | %.3f |\n", name, d, d / w }
{
    printf "window: %.0f guest instructions from %s\n", w, from
    printf "| event | in the window | per guest instruction |\n|---|---|---|\n"
    row("Ir", $10 - $1)
    row("I1mr", $11 - $2)
    row("ILmr", $12 - $3)
    row("D1mr+D1mw", $14 - $5 + $17 - $8)
    row("DLmr+DLmw", $15 - $6 + $18 - $9)
}'
