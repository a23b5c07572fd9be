#!/bin/sh
# make demo: runs the most real things the emulator can run. It builds
# nothing itself (make demo builds first):
#  1. a bare-metal hello world (tests/guest/platform/hello.c, from the guest
#     test build) on the virt board, printing through the PL011;
#  2. if scripts/fetch-guest.sh has filled the guest cache: Debian's arm64
#     Linux on 2 CPUs, with a scripted shell session, until it powers off.
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
ELF="$BUILD/tests/guest/platform/hello.elf"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
if [ ! -x "$EMU" ]; then
    echo "demo: $EMU not found: build first (make build)" >&2
    exit 2
fi
if [ ! -f "$ELF" ]; then
    echo "demo: $ELF not found (needs aarch64-linux-gnu-gcc for the guest build)" >&2
    exit 2
fi
echo "== arm83emu demo 1: bare-metal hello world on the virt board"
echo "\$ arm83emu -M virt -kernel hello.elf -nographic"
rc=0
"$EMU" -M virt -kernel "$ELF" -nographic --max-insns 10000000 || rc=$?
echo "== exit status $rc"
[ $rc -eq 0 ] || exit $rc

if [ -s "$CACHE/Image" ] && [ -s "$CACHE/initramfs.cpio.gz" ]; then
    echo
    echo "== arm83emu demo 2: Debian arm64 Linux, 2 CPUs, scripted shell session"
    rc=0
    "$EMU" -M virt -smp 2 -m 512M -kernel "$CACHE/Image" -initrd "$CACHE/initramfs.cpio.gz" \
        -append "console=ttyAMA0 arm64.nopauth quiet a83.script=shell" -nographic \
        --max-insns 6000000000 --stats \
        --wait-for '# ' --input 'uname -a; cat /proc/interrupts\n' \
        --wait-for '# ' --input 'poweroff -f\n' </dev/null || rc=$?
    echo "== exit status $rc"
else
    echo "(run scripts/fetch-guest.sh to add a Linux boot to this demo)"
fi
exit $rc
