#!/bin/sh
# -device guest-loader bad input: every case exits 2 before the run with one
# clear line on stderr (docs/xen.md), never a hang or a signal.
emu=$1
. "$(dirname "$0")/../cli/expect_error.sh"

# a stand-in hypervisor (a raw binary: B . at 0x40080000) and modules
printf '\000\000\000\024' >"$tmp/hyp.bin"
head -c 4096 /dev/zero >"$tmp/Image"
head -c 8192 /dev/zero >"$tmp/rd"
M="-M virt,virtualization=on,gic-version=3 -m 1G -nographic --max-insns 1000"
K="kernel=$tmp/Image"

expect_error "missing module file" "-device guest-loader: .*/nope: No such file" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,kernel=$tmp/nope"
expect_error "module overlaps another" "rd \\(guest-loader initrd\\) at 0x49000800-0x490027ff overlaps the guest-loader kernel at 0x49000000-0x49000fff" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,$K" \
    -device "guest-loader,addr=0x49000800,initrd=$tmp/rd"
expect_error "module overlaps the hypervisor" "overlaps the kernel at 0x40080000-0x40080003" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x40080000,$K"
expect_error "module outside RAM" "outside guest RAM" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x7ffff800,$K"
expect_error "module on a device" "overlaps the GIC distributor" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x8000000,$K"
expect_error "bad addr syntax" "addr '0x49zz' is not an address" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49zz,$K"
expect_error "negative addr" "addr '-1' is not an address" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=-1,$K"
expect_error "no addr" "addr= is required" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,$K"
expect_error "no file" "kernel=FILE or initrd=FILE is required" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000"
expect_error "kernel and initrd" "one of kernel= or initrd=" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,$K,initrd=$tmp/rd"
expect_error "bootargs on an initrd" "bootargs applies to kernel= modules only" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,initrd=$tmp/rd,bootargs=x"
expect_error "unknown property" "unknown property 'size'" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,$K,size=4"
expect_error "other device" "unsupported device 'virtio-gpu-device'" \
    $M -kernel "$tmp/hyp.bin" -device "virtio-gpu-device"
expect_error "no hypervisor" "no kernel given" \
    $M -device "guest-loader,addr=0x49000000,$K"
expect_error "ramdisk only" "no kernel module" \
    $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,initrd=$tmp/rd"
expect_error "UART the board lacks" "dtuart=/serial@1c090000, but the board has no such UART" \
    $M -kernel "$tmp/hyp.bin" -append "console=dtuart dtuart=/serial@1c090000" \
    -device "guest-loader,addr=0x49000000,$K"
expect_error "UART alias the board lacks" "dtuart=serial0, but the board has no such UART" \
    $M -kernel "$tmp/hyp.bin" -append "console=dtuart dtuart=serial0" \
    -device "guest-loader,addr=0x49000000,$K"

# QEMU's ",," escape: a comma inside bootargs; the run itself is bounded
timeout 20 "$emu" $M -kernel "$tmp/hyp.bin" -append "dtuart=/pl011@9000000" \
    -device "guest-loader,addr=0x49000000,$K,bootargs=a=1,,2 b" --dump-dtb "$tmp/out.dtb" \
    >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 0 ] || ! grep -q "a=1,2 b" "$tmp/out.dtb"; then
    echo "FAIL ',,' in bootargs: status $rc, $(cat "$tmp/out")"
    fails=$((fails + 1))
else
    echo "ok   ',,' in bootargs is one comma"
fi
timeout 20 "$emu" $M -kernel "$tmp/hyp.bin" -device "guest-loader,addr=0x49000000,$K" \
    >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 124 ]; then
    echo "FAIL bounded run: status $rc, want 124 ($(cat "$tmp/out"))"
    fails=$((fails + 1))
else
    echo "ok   a hypervisor that never ends stops at --max-insns (124)"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
