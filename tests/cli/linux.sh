#!/bin/sh
# Boots the Debian arm64 kernel and busybox initramfs (scripts/fetch-guest.sh,
# $A83_GUEST_CACHE or ./guest-cache) on 2 CPUs at EL1 and at EL2, drives the shell with staged
# scripted input (--wait-for), and checks the board end to end: Image
# loading, initrd and DTB placement, PSCI CPU_ON and SYSTEM_OFF, the PL011
# console with receive interrupts, the PL031. Skipped (77) without the cache.
# arm64.nopauth: keeps the kernel off pointer-authentication key registers.
emu=$1 src=$2
cache=${A83_GUEST_CACHE:-$src/guest-cache}
[ -s "$cache/Image" ] && [ -s "$cache/initramfs.cpio.gz" ] || { echo "no guest cache: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 600 "$emu" -M virt -smp 2 -m 512M -kernel "$cache/Image" -initrd "$cache/initramfs.cpio.gz" \
    -append "console=ttyAMA0 arm64.nopauth a83.script=shell" -nographic --max-insns 6000000000 \
    --wait-for '# ' --input 'echo sum=$((6*7)); grep -c ^processor /proc/cpuinfo\n' \
    --wait-for '# ' --input 'cat /sys/class/rtc/rtc0/since_epoch; poweroff -f\n' \
    >"$tmp/out" 2>&1 </dev/null
rc=$?
tr -d '\r' <"$tmp/out" >"$tmp/out.lf" && mv "$tmp/out.lf" "$tmp/out"   # the tty adds CRs
fails=0
want() {
    grep -q -- "$1" "$tmp/out" || { echo "FAIL: no '$1' in the output"; fails=$((fails + 1)); }
}
want "psci: PSCIv1.1 detected in firmware"
want "smp: Brought up 1 node, 2 CPUs"
want "ttyAMA0 at MMIO 0x9000000"
want "rtc-pl031 9010000.pl031: setting system clock to 2024-01-01T00:00:00 UTC (1704067200)"
want "Trying to unpack rootfs image as initramfs"
want "^sum=42"
want "^2\$"
want "^170406720[0-9]"
want "reboot: Power down"
if [ $rc -ne 0 ]; then
    echo "FAIL: exit status $rc, want 0"
    fails=$((fails + 1))
fi
if [ $fails -ne 0 ]; then
    tail -40 "$tmp/out"
    exit 1
fi
echo "ok   Linux booted on 2 CPUs, ran the scripted shell session and powered off"

# At EL2 (virtualization=on): PSCI over SMC. kvm-arm.mode=none keeps KVM's
# own initialisation out of this platform test.
timeout 600 "$emu" -M virt,virtualization=on -smp 2 -m 512M -kernel "$cache/Image" \
    -initrd "$cache/initramfs.cpio.gz" -nographic --max-insns 6000000000 \
    -append "console=ttyAMA0 arm64.nopauth kvm-arm.mode=none a83.script=boot" \
    >"$tmp/out2" 2>&1 </dev/null
rc=$?
for w in "CPU: All CPU(s) started at EL2" "smp: Brought up 1 node, 2 CPUs" "A83: userspace up" \
         "reboot: Power down"; do
    grep -q -- "$w" "$tmp/out2" || { echo "FAIL (EL2): no '$w' in the output"; fails=$((fails + 1)); }
done
if [ $rc -ne 0 ] || [ $fails -ne 0 ]; then
    echo "FAIL (EL2): exit status $rc"
    tail -40 "$tmp/out2"
    exit 1
fi
echo "ok   Linux booted at EL2 on 2 CPUs (PSCI over SMC) and powered off"
exit 0
