#!/bin/sh
# Seed corpora for the fuzz targets (docs/reliability.md), made from real
# inputs at build time: guest test ELFs and a raw binary cut from one, a
# Linux Image header, device trees dumped by arm83emu, ramdisks, the timing
# profiles of docs/timing.md, exit traces recorded by arm83emu from a guest
# (plain and zstd), and command lines from the CLI tests.
# usage: make_seeds.sh SRCDIR OUTDIR ARM83EMU A64_CC
set -eu
src=$1 out=$2 emu=$3 cc=$4
lib=$src/tests/guest/lib
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
cd "$out.tmp"
mkdir loader dtb initrd timing exit_trace trace cli gdb snapshot virtq sweep its

# Guest ELFs (the loader's real inputs), built as tests/CMakeLists.txt does
guest() {
    "$cc" -O1 -g -ffreestanding -nostdlib -static -mgeneral-regs-only -fno-pie -no-pie \
        -mstrict-align -I"$lib" -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T "$lib/link.ld" \
        -o "$2" "$lib"/*.S "$lib"/*.c "$1"
}
guest "$src/tests/guest/platform/hello.c" loader/hello.elf
guest "$src/tests/guest/trace/known_exits.c" loader/known_exits.elf
guest "$src/tests/guest/platform/smp.c" loader/smp.elf
objcopy=$(dirname "$cc")/aarch64-linux-gnu-objcopy
[ -x "$objcopy" ] || objcopy=aarch64-linux-gnu-objcopy
"$objcopy" -O binary loader/hello.elf loader/hello.bin
# A Linux arm64 Image: MZ, code0/1, text_offset 0x80000, image_size, flags
# (LE, 4K), magic "ARM\x64" at 56, PE offset 0 (no EFI stub), then code
{
    printf 'MZ\000\000\000\000\000\024'                                   # code0, code1 = b .
    printf '\000\000\010\000\000\000\000\000'                             # text_offset
    printf '\000\000\001\000\000\000\000\000'                             # image_size 64 KiB
    printf '\012\000\000\000\000\000\000\000'                             # flags
    head -c 24 /dev/zero                                                  # res2..res4
    printf 'ARM\144\000\000\000\000'                                      # magic, res5
    head -c 4096 loader/hello.bin
} >loader/linux.Image

# Device trees: the board's own, for a few configurations
"$emu" -M virt --dump-dtb dtb/virt.dtb
"$emu" -M virt,virtualization=on -smp 4 -m 256M -append "console=ttyAMA0 root=/dev/vda" --dump-dtb dtb/virt4.dtb
printf 'ramdisk' >initrd/rd.bin
"$emu" -M virt -kernel loader/hello.bin -initrd initrd/rd.bin --dump-dtb dtb/initrd.dtb

# Ramdisks: first byte = RAM size selector (fuzz_initrd.c)
printf '\001ramdisk' >initrd/small
{ printf '\017'; head -c 70000 loader/hello.elf; } >initrd/elf
printf '\000' >initrd/empty

# Timing profiles (docs/timing.md)
sed -n '/^```ini$/,/^```$/p' "$src/docs/timing.md" | awk '
    /^```ini$/ { n++; f = sprintf("timing/doc%d.ini", n); next }
    /^```$/ { next }
    { print > f }'
cat >timing/all.ini <<'INI'
[instructions]
int = 1
mul = 3
div = 12
load = 4
store = 1
branch = 1
fp = 4
fp_div = 15
simd = 3
sys = 10
barrier = 20
exc = 1
atomic = 20
crypto = 3
undef = 1
[sysregs]
other = 0
gic = 30
timer = 10
tlbi = 60
at = 40
cache = 20
[exceptions]
entry = 40
return = 30
[memory]
tlb_miss = 10
walk_fetch = 20
mmio_access = 50
INI

# Exit traces recorded from a guest that exits to EL2 (plain and zstd)
"$emu" -M virt,virtualization=on --input A --max-insns 20000000 -kernel loader/known_exits.elf \
    --exit-trace exit_trace/known_exits.a83t >/dev/null 2>&1 || true
"$emu" -M virt,virtualization=on --input A --max-insns 20000000 -kernel loader/known_exits.elf \
    --exit-trace exit_trace/known_exits.a83t.zst >/dev/null 2>&1 || true
"$emu" -M virt -smp 4 --input hello --max-insns 20000000 -kernel loader/smp.elf \
    --exit-trace exit_trace/smp.a83t >/dev/null 2>&1 || true
for f in exit_trace/*; do
    [ -s "$f" ] || { echo "make_seeds: $f is empty" >&2; exit 1; }
done
# arm83emu-trace (fuzz_trace.c): an options byte, then the same traces
for f in exit_trace/*; do
    for m in 0 1 6 15 24 63; do
        { printf "\\$(printf %o $m)"; cat "$f"; } >"trace/$(basename "$f").m$m"
    done
done

# Snapshots of the fuzz machine's configuration (fuzz_util.h: EL2, 2 CPUs,
# 16 MiB): byte 0 even = a whole file, odd = its decompressed payload
# (fuzz_snapshot.c). At 300 instructions and at the end of the SMP guest.
for n in 300 4000; do
    "$emu" -M virt,virtualization=on -smp 2 -m 16M -kernel loader/smp.elf --snapshot-save snap.tmp \
        --snapshot-at-insns $n >/dev/null 2>&1 || true
    [ -s snap.tmp ] || { echo "make_seeds: no snapshot at $n instructions" >&2; exit 1; }
    { printf '\000'; cat snap.tmp; } >snapshot/file$n
    { printf '\001'; tail -c +97 snap.tmp | zstd -q -d -c; } >snapshot/payload$n
    rm -f snap.tmp
done

# Command lines, NUL-separated (fuzz_cli.c)
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" | tr ' ' '\000' >"cli/$n"
done <<'CLI'
-M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -nographic -kernel k
-M virt -smp cpus=2,cores=2 -m size=1G --max-insns 100 --quantum 7 -kernel k
--input ab\n\x41 --wait-for # --input-file f -serial none --rtc-epoch 0 -kernel k
-device guest-loader,addr=0x49000000,kernel=k,bootargs=a,,b -device guest-loader,addr=0x50000000,initrd=r
--tarmac t --tarmac-el 1,2 --tarmac-range 0x1000:0x2000 --tarmac-cycles 5: --exit-trace e.zst --digest
--timing p.ini --cpu-hz 2000000000 --max-cycles 1000 -append console=ttyAMA0 -dtb d --dump-dtb o
-M virt,accel=tcg,secure=off,its=off,mte=off -m 512 --stats -no-reboot --help
CLI

# GDB remote-protocol sessions (fuzz_gdb.c): framed packets with their
# checksums, as gdb sends them (docs/gdb.md).
gdbpkt() {   # body -> $body#cs
    printf '%s' "$1" | od -An -tu1 -v | tr -s ' ' '\n' | awk 'NF { s += $1 } END { printf "%02x", s % 256 }' >"$out.tmp/.cs"
    printf '$%s#%s' "$1" "$(cat "$out.tmp/.cs")"
}
{ gdbpkt 'qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+'; printf '+'; gdbpkt '?'
  gdbpkt 'qXfer:features:read:target.xml:0,ffb'; gdbpkt 'qfThreadInfo'; gdbpkt 'Hg2'; gdbpkt 'g'
  gdbpkt 'p20'; gdbpkt 'P0=0100000000000000'; gdbpkt 'm40080000,c'; gdbpkt 'M40080000,4:1f2003d5'
  gdbpkt 'Z0,40080004,4'; gdbpkt 'z0,40080004,4'; gdbpkt 'Z2,40081000,8'; gdbpkt 'qRcmd,70687973'
  gdbpkt 'vCont?'; gdbpkt 'D'; } >gdb/session
{ gdbpkt 'X40080000,2:ab'; printf '\003'; printf '$m40080000,4#00'; gdbpkt 'qC'; } >gdb/escapes
rm -f "$out.tmp/.cs"

# virtio driver programs (fuzz_virtq.c's opcodes)
python3 "$src/tests/fuzz/virtq_seeds.py" virtq

# Experiment files (fuzz_sweep.c): the walk-through's study with its paths
# made absolute (/proc/self/exe and /dev/null exist everywhere), the
# examples of docs/sweeps.md, and one with points, repeats and a quoted
# continuation.
sed -e 's#^guest = .*#guest = /proc/self/exe#' -e 's#^profile = .*#profile = /dev/null, /proc/self/exe#' \
    "$src/tests/sweep/study/hypercalls.ini" >sweep/study.ini
sed -n '/^```ini$/,/^```$/p' "$src/docs/sweeps.md" | awk '
    /^```ini$/ { n++; f = sprintf("sweep/doc%d.ini", n); next }
    /^```$/ { next }
    { print > f }'
cat >sweep/points.ini <<'INI'
[sweep]
name = points
command = -M virt --quantum {q} --input 'a b\n' -kernel {guest}
    -nographic --max-insns {n}
collect = digest, exits
causes = hvc64, sys64
repeats = 3
timeout = 60
expect_status = 0, 3
[images]
guest = /proc/self/exe
[points]
small = q=100, n=1000
big = q=10000, n=0x100000
INI

# ITS command programs (fuzz_its.c's opcodes)
python3 "$src/tests/fuzz/its_seeds.py" its

rm -rf "$out"
mv "$out.tmp" "$out"
