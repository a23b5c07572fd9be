#!/bin/sh
# Cross-checks the "fp" differential generator against qemu-system-aarch64
# (a newer QEMU softfloat than Unicorn's, and with FPCR.AHP randomised):
# builds a bare-metal guest that runs NBLOCKS random FP blocks, each from its
# own random V register / FPCR / NZCV state, and prints a hash of X0-X30,
# V0-V31, FPSR and NZCV after each block; the outputs of arm83emu and QEMU
# must be identical. Manual tool (not run by ctest).
# Usage: run.sh BUILD_DIR [SEED] [NBLOCKS]
set -e
build=$1 seed=${2:-1} n=${3:-3000}
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/../../guest/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O1 -I"$here/.." -o "$tmp/gen" "$here/gen_blocks.c" "$here/../gen_fp.c"
"$tmp/gen" "$seed" "$n" > "$tmp/blocks.S"
aarch64-linux-gnu-gcc -O1 -ffreestanding -nostdlib -static -mgeneral-regs-only -fno-pie -no-pie \
    -I"$lib" -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T "$lib/link.ld" -o "$tmp/q.elf" \
    "$lib"/*.S "$lib"/*.c "$here/guest_main.c" "$tmp/blocks.S"
"$build/arm83emu" -M virt -kernel "$tmp/q.elf" -nographic --max-insns 500000000 > "$tmp/ours.txt"
timeout 300 qemu-system-aarch64 -M virt -cpu max -nographic -net none -kernel "$tmp/q.elf" \
    > "$tmp/qemu.txt"
if cmp -s "$tmp/ours.txt" "$tmp/qemu.txt"; then
    echo "fp_qemu: $(wc -l < "$tmp/ours.txt") blocks identical (seed $seed)"
else
    echo "fp_qemu: differences (block number, hash):"
    diff "$tmp/ours.txt" "$tmp/qemu.txt" | head -20
    exit 1
fi
