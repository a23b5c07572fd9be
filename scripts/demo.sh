#!/bin/sh
# make demo: runs the most real thing the emulator can run so far: a
# bare-metal hello world (tests/guest/platform/hello.c, built by the guest
# test build) on the virt board, printing through the PL011.
set -eu
BUILD=${1:-build}
EMU="$BUILD/arm83emu"
ELF="$BUILD/tests/guest/platform/hello.elf"
if [ ! -x "$EMU" ]; then
    echo "demo: $EMU not found: build first (make build)" >&2
    exit 2
fi
if [ ! -f "$ELF" ]; then
    echo "demo: $ELF not found (needs aarch64-linux-gnu-gcc for the guest build)" >&2
    exit 2
fi
echo "== arm83emu demo: bare-metal hello world on the virt board"
echo "\$ arm83emu -M virt -kernel hello.elf -nographic"
rc=0
"$EMU" -M virt -kernel "$ELF" -nographic --max-insns 10000000 || rc=$?
echo "== exit status $rc"
exit $rc
