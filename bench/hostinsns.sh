#!/bin/sh
# Host instructions per guest instruction of the translator (and, with
# ENGINES="jit interp", the interpreter) on two bare-metal guests, counted by
# valgrind's callgrind: the same count for the same binary and inputs whatever
# else the machine is doing, so a translator change can be judged on a shared,
# loaded host where CPU times vary by 20% (docs/performance.md "Host
# instructions per guest instruction"). Counts include the emulator's start-up
# and the per-round scheduling, not only translated code.
#
#   sh bench/hostinsns.sh BUILD
#   A83_BASE=/path/to/other/arm83emu sh bench/hostinsns.sh BUILD   # also that binary
#
# Guests: bench/guests/intloop.S (10^9 instructions; here 10^7 through
# INTLOOP_ITERS) and bench/guests/sha256.c (SHA-256 of 2 MiB of zeros in C at
# -O2, checked against the host's sha256sum). Needs valgrind and
# aarch64-linux-gnu-gcc.
set -eu
BUILD=${1:-build}
ENGINES=${ENGINES:-jit}
top=$(cd "$(dirname "$0")/.." && pwd)
lib=$top/tests/guest/lib
for t in valgrind aarch64-linux-gnu-gcc sha256sum; do
    command -v "$t" >/dev/null || { echo "hostinsns: $t is missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# intloop with 10^6 iterations (10^7 instructions): the loop count is its movz/movk pair
sed 's/movz    x9, #0x05f5, lsl #16.*/movz    x9, #0x000f, lsl #16/; s/movk    x9, #0xe100/movk    x9, #0x4240/' \
    "$top/bench/guests/intloop.S" >"$out/intloop.S"
aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
    -o "$out/intloop.elf" "$out/intloop.S"
aarch64-linux-gnu-gcc -DMIB=2 -O2 -ffreestanding -nostdlib -static -mgeneral-regs-only -fno-pie -no-pie \
    -mstrict-align -I"$lib" -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T "$lib/link.ld" \
    -o "$out/sha256.elf" "$lib"/*.S "$lib"/*.c "$top/bench/guests/sha256.c"
want=$(head -c 2097152 /dev/zero | sha256sum | cut -d' ' -f1)

bins="new=$BUILD/arm83emu"
[ -n "${A83_BASE:-}" ] && bins="base=$A83_BASE $bins"
printf '| binary | engine | guest | guest instructions | host instructions | per guest instruction |\n'
printf '|---|---|---|---|---|---|\n'
for b in $bins; do
    name=${b%%=*} emu=${b#*=}
    for e in $ENGINES; do
        for g in intloop sha256; do
            valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$emu" -accel "$e" -M virt \
                -kernel "$out/$g.elf" -nographic --stats >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
            if [ "$g" = sha256 ] && ! grep -q "sha256: $want" "$out/log"; then
                echo "hostinsns: $name $e: wrong SHA-256" >&2
                exit 1
            fi
            host=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out/log")
            guest=$(sed -n 's/.*cpu0: \([0-9]*\) instructions.*/\1/p' "$out/log")
            printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$e" "$g" "$guest" "$host" \
                "$(awk -v h="$host" -v g="$guest" 'BEGIN { printf "%.2f", h / g }')"
        done
    done
done
