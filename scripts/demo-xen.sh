#!/bin/sh
# make demo-xen: Xen 4.17 boots a dom0 Linux on the virt board (2 CPUs,
# virtualization=on), with QEMU's guest-loader syntax, and the exit trace
# of the run is summarised (docs/xen.md). Fetches the guest first
# (scripts/fetch-guest.sh --xen). Leaves xen-demo.trace, xen-demo.json
# (Perfetto) and xen-demo.svg (plot) in the build directory.
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
TRACER="$BUILD/arm83emu-trace"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
for t in "$EMU" "$TRACER"; do
    [ -x "$t" ] || { echo "demo-xen: $t not found: build first (make build)" >&2; exit 2; }
done
A83_GUEST_CACHE=$CACHE sh "$top/scripts/fetch-guest.sh" --xen
echo "== arm83emu: Xen 4.17 + dom0 Linux, 2 CPUs"
set -x
rc=0
"$EMU" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel "$CACHE/xen" \
    -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
    -device guest-loader,addr=0x49000000,kernel="$CACHE/Image",bootargs="console=hvc0 earlycon=xen" \
    -device guest-loader,addr=0x50000000,initrd="$CACHE/initramfs.cpio.gz" \
    -nographic --max-insns 20000000000 --stats --exit-trace "$BUILD/xen-demo.trace" </dev/null || rc=$?
set +x
echo "== exit status $rc"
echo
echo "== exit-trace summary (arm83emu-trace $BUILD/xen-demo.trace --by-vmid --top 30)"
plot=""
command -v gnuplot >/dev/null 2>&1 && plot="--plot $BUILD/xen-demo.svg"
"$TRACER" "$BUILD/xen-demo.trace" --top 30 --by-vmid --perfetto "$BUILD/xen-demo.json" $plot
echo
echo "== timeline: $BUILD/xen-demo.json (open in ui.perfetto.dev)${plot:+; plot: $BUILD/xen-demo.svg}"
exit $rc
