#!/bin/sh
# Bad input to arm83emu: every case must exit with status 2 and one clear
# line on stderr naming the problem (docs/cli.md), never die by a signal.
emu=$1
. "$(dirname "$0")/expect_error.sh"

# Files
printf '\177ELF\002\001\001\000garbage garbage garbage garbage garbage garbage garbage' >"$tmp/corrupt.elf"
# A Linux Image header cut at 60 bytes (magic "ARM\x64" at offset 56 present)
{ printf 'MZ\000\000\000\000\000\000'; head -c 48 /dev/zero; printf 'ARM\144'; } >"$tmp/trunc.Image"
head -c 3145728 /dev/zero >"$tmp/big.bin"
printf 'not a device tree' >"$tmp/bad.dtb"
printf '\037\040\003\325' >"$tmp/nop.bin"

expect_error "missing kernel file" "$tmp/nope.elf: No such file" -M virt -kernel "$tmp/nope.elf" -nographic
expect_error "corrupt ELF" "corrupt.elf: .*(ELF|header)" -M virt -kernel "$tmp/corrupt.elf"
expect_error "truncated Image" "trunc.Image: truncated Linux Image" -M virt -kernel "$tmp/trunc.Image"
head -c 1835008 /dev/zero >"$tmp/mid.bin"
expect_error "image ends past RAM" "mid.bin \\(kernel\\) at 0x40080000-0x4023ffff is outside guest RAM" -M virt -m 2M -kernel "$tmp/mid.bin"
expect_error "image past RAM" "big.bin.*(outside guest RAM|larger than guest RAM)" -M virt -m 2M -kernel "$tmp/big.bin"
expect_error "unknown option" "unknown option '-frobnicate'" -M virt -frobnicate -kernel "$tmp/nop.bin"
expect_error "missing argument" "option '-kernel' needs an argument" -M virt -kernel
expect_error "no kernel" "no kernel given" -M virt
expect_error "bad -m suffix" "-m: 'lots' is not a memory size" -m lots -kernel "$tmp/nop.bin"
expect_error "bad -m size" "RAM size .* multiple of 2 MiB" -m 3M -kernel "$tmp/nop.bin"
expect_error "zero -m" "RAM size" -m 0 -kernel "$tmp/nop.bin"
expect_error "huge -m" "RAM size|memory size" -m 99999999999999999999G -kernel "$tmp/nop.bin"
expect_error "-smp 0" "-smp: CPU count '0' is out of range 1..8" -smp 0 -kernel "$tmp/nop.bin"
expect_error "-smp 9" "-smp: CPU count '9' is out of range" -smp 9 -kernel "$tmp/nop.bin"
expect_error "-smp abc" "-smp: 'abc' is not a number" -smp abc -kernel "$tmp/nop.bin"
expect_error "-smp -1" "-smp: '-1' is not a number" -smp -1 -kernel "$tmp/nop.bin"
expect_error "unknown machine" "unsupported machine 'sbsa'" -M sbsa -kernel "$tmp/nop.bin"
expect_error "bad machine property" "unknown machine property 'foo'" -M virt,foo=1 -kernel "$tmp/nop.bin"
expect_error "bad virtualization value" "virtualization must be on or off" -M virt,virtualization=maybe -kernel "$tmp/nop.bin"
expect_error "secure=on" "secure=on is not supported" -M virt,secure=on -kernel "$tmp/nop.bin"
expect_error "-accel kvm" "-accel: the engine must be interp, jit or tcg, not 'kvm'" -accel kvm -kernel "$tmp/nop.bin"
expect_error "-accel jit,cache=0" "-accel: cache=0 is not a size between 1 and 1G" -accel jit,cache=0 -kernel "$tmp/nop.bin"
expect_error "-accel jit,cache=2G" "-accel: cache=2G is not a size" -accel jit,cache=2G -kernel "$tmp/nop.bin"
expect_error "-accel jit,foo=1" "-accel: unknown option 'foo=1'" -accel jit,foo=1 -kernel "$tmp/nop.bin"
expect_error "lockstep with interp" "-accel lockstep=: needs -accel jit" -accel interp,lockstep=on -kernel "$tmp/nop.bin"
expect_error "lockstep=0" "-accel lockstep" -accel jit,lockstep=0 -kernel "$tmp/nop.bin"
expect_error "-enable-kvm" "-enable-kvm is not supported" -enable-kvm -kernel "$tmp/nop.bin"
expect_error "gic-version 2" "only gic-version=3" -M virt,gic-version=2 -kernel "$tmp/nop.bin"
expect_error "bad -cpu" "unsupported CPU model 'cortex-a53'" -cpu cortex-a53 -kernel "$tmp/nop.bin"
expect_error "--debug-host-tlb 1025" "--debug-host-tlb: '1025' is not in 0..1024" --debug-host-tlb 1025 -kernel "$tmp/nop.bin"
expect_error "--debug-host-tlb x" "--debug-host-tlb: 'x' is not a non-negative integer" --debug-host-tlb x -kernel "$tmp/nop.bin"
expect_error "--debug-round-skip x" "--debug-round-skip: 'x' is not on or off" --debug-round-skip x -kernel "$tmp/nop.bin"
printf '[tlb]\nl2_entries = 1024\nl2_ways = 3\n' >"$tmp/badtlb.ini"
expect_error "TLB geometry" "badtlb.ini: \\[tlb\\] l2_entries must be" --timing "$tmp/badtlb.ini" -kernel "$tmp/nop.bin"
expect_error "bad -dtb" "bad.dtb: not a valid flattened device tree" -kernel "$tmp/nop.bin" -dtb "$tmp/bad.dtb"
expect_error "missing initrd" "-initrd: .*nope.rd: No such file" -kernel "$tmp/nop.bin" -initrd "$tmp/nope.rd"
expect_error "initrd past RAM" "big.bin.*(outside guest RAM|larger than guest RAM)" -m 2M -kernel "$tmp/nop.bin" -initrd "$tmp/big.bin"
expect_error "bad --max-insns" "--max-insns: 'ten'" --max-insns ten -kernel "$tmp/nop.bin"
expect_error "zero --quantum" "--quantum: '0' must be at least 1" --quantum 0 -kernel "$tmp/nop.bin"
expect_error "bad -serial" "-serial: only stdio or none" -serial pty -kernel "$tmp/nop.bin"
expect_error "missing --input-file" "--input-file: .*nope.txt: No such file" --input-file "$tmp/nope.txt" -kernel "$tmp/nop.bin"
# a bounded read, not an endless one
expect_error "kernel from /dev/zero" "/dev/zero: larger than guest RAM" -m 2M -kernel /dev/zero
expect_error "-dtb from /dev/zero" "/dev/zero: larger than the 2 MiB DTB limit" -kernel "$tmp/nop.bin" -dtb /dev/zero
expect_error "endless --input-file" "console input is larger than 256 MiB" -kernel "$tmp/nop.bin" --input-file /dev/zero
expect_error "kernel is a directory" "$tmp" -kernel "$tmp"

# Issue #19: refused up front, one line naming the option, exit 2.
# --timing: bounded reader, no directories (docs/timing.md)
expect_error "--timing from /dev/zero" "--timing: /dev/zero: (contains a NUL byte|larger than)" --timing /dev/zero -kernel "$tmp/nop.bin"
expect_error "--timing directory" "--timing: .*is a directory" --timing "$tmp" -kernel "$tmp/nop.bin"
head -c 1048577 /dev/zero | tr '\000' '\n' >"$tmp/huge.ini"
expect_error "--timing over 1 MiB" "--timing: .*huge.ini: larger than the 1048576-byte profile limit" --timing "$tmp/huge.ini" -kernel "$tmp/nop.bin"
expect_error "--input-file directory" "--input-file: .*is a directory" --input-file "$tmp" -kernel "$tmp/nop.bin"
expect_error "-dtb directory" "-dtb: .*is a directory" -dtb "$tmp" -kernel "$tmp/nop.bin"
expect_error "-initrd directory" "-initrd: .*is a directory" -initrd "$tmp" -kernel "$tmp/nop.bin"
# output files are opened and probed before the run (a run of 10^9
# instructions would otherwise be wasted): a late check runs until the
# timeout of expect_error or ends with status 1, and fails this test
expect_error "--exit-trace /dev/full" "--exit-trace: /dev/full: not writable" --exit-trace /dev/full --max-insns 1000000000 -kernel "$tmp/nop.bin"
expect_error "--tarmac /dev/full" "--tarmac: /dev/full: not writable" --tarmac /dev/full --max-insns 1000000000 -kernel "$tmp/nop.bin"
expect_error "--exit-trace directory" "--exit-trace: .*is a directory" --exit-trace "$tmp" -kernel "$tmp/nop.bin"
expect_error "--exit-trace no such dir" "--exit-trace: .*nodir/t.a83t: No such file" --exit-trace "$tmp/nodir/t.a83t" -kernel "$tmp/nop.bin"
expect_error "--dump-dtb /dev/full" "--dump-dtb: /dev/full: not writable" --dump-dtb /dev/full
# -M / -smp lists
expect_error "-M empty" "-M: empty value" -M "" -kernel "$tmp/nop.bin"
expect_error "-M virt,," "-M: empty item in 'virt,,'" -M virt,, -kernel "$tmp/nop.bin"
expect_error "-M ,virt" "-M: empty item" -M ,virt -kernel "$tmp/nop.bin"
expect_error "-smp 2,cpus=4" "-smp: two different CPU counts in '2,cpus=4'" -smp 2,cpus=4 -kernel "$tmp/nop.bin"
expect_error "-smp empty" "-smp: empty value" -smp "" -kernel "$tmp/nop.bin"
# malformed escapes, named by their option ("[\\]" is a backslash in the patterns)
expect_error "--input trailing backslash" "--input: '[\\]' at the end" --input 'ab\' -kernel "$tmp/nop.bin"
expect_error "--input backslash-q" "--input: unknown escape '[\\]q'" --input 'a\qb' -kernel "$tmp/nop.bin"
expect_error "--input backslash-x4" "--input: [\\]x needs two hex digits" --input 'a\x4' -kernel "$tmp/nop.bin"
expect_error "--input backslash-xg0" "--input: [\\]x needs two hex digits" --input '\xg0' -kernel "$tmp/nop.bin"
expect_error "--wait-for bad escape" "^[^ ]*: --wait-for: unknown escape '[\\]q'" --wait-for 'a\q' -kernel "$tmp/nop.bin"
expect_error "--wait-for backslash-x0" "--wait-for: [\\]x needs two hex digits" --wait-for '\x0' -kernel "$tmp/nop.bin"
# the escape check comes before any file is read
expect_error "escape checked before files are loaded" "--input: unknown escape" --input '\q' -kernel "$tmp/nope.elf"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
