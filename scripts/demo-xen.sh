#!/bin/sh
# make demo-xen: Xen 4.17 on the virt board (2 CPUs, virtualization=on),
# dom0 Linux with Debian's xen-utils-4.17 creates two guest domains with
# `xl create`: a Linux domU with a PV disk and a PV network interface, then
# the exit microbenchmark as a bare-metal domU (docs/xen.md). Prints the
# console (the domUs' consoles are xenconsoled's logs, which dom0 prints)
# and the exit trace per Xen domain (arm83emu-trace --xen). Fetches the
# guest and the toolstack first (scripts/fetch-xen-domu.sh). Leaves
# xen-demo.trace, xen-demo.json (Perfetto) and xen-demo.svg (plot) in the
# build directory.
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
TRACER="$BUILD/arm83emu-trace"
BENCH="$BUILD/tests/xen/xenbench.img"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
for t in "$EMU" "$TRACER" "$BENCH"; do
    [ -e "$t" ] || { echo "demo-xen: $t not found: build first (make build)" >&2; exit 2; }
done
A83_GUEST_CACHE=$CACHE sh "$top/scripts/fetch-xen-domu.sh" --bench "$BENCH"
echo "== arm83emu: Xen 4.17 + dom0 Linux + xl-created domUs, 2 CPUs"
set -x
rc=0
"$EMU" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel "$CACHE/xen" \
    -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
    -device guest-loader,addr=0x49000000,kernel="$CACHE/Image",bootargs="console=hvc0 earlycon=xen" \
    -device guest-loader,addr=0x50000000,initrd="$CACHE/xen-domu/initramfs-dom0.cpio.gz" \
    -nographic --max-insns 60000000000 --stats --exit-trace "$BUILD/xen-demo.trace" </dev/null || rc=$?
set +x
echo "== exit status $rc"
echo
echo "== exits per Xen domain (arm83emu-trace $BUILD/xen-demo.trace --xen --top 40)"
plot=""
command -v gnuplot >/dev/null 2>&1 && plot="--plot $BUILD/xen-demo.svg"
"$TRACER" "$BUILD/xen-demo.trace" --top 40 --xen --perfetto "$BUILD/xen-demo.json" $plot |
    sed -n '/^By Xen domain (/,$p'
echo
echo "== timeline: $BUILD/xen-demo.json (open in ui.perfetto.dev)${plot:+; plot: $BUILD/xen-demo.svg}"
exit $rc
