#!/bin/sh
# Xen 4.17 (Debian's xen-hypervisor-4.17-arm64) on the virt board with
# virtualization=on, 2 CPUs, dom0 = Debian's arm64 Linux with the busybox
# initramfs, loaded by QEMU-style -device guest-loader (docs/xen.md).
# Checks, end to end: Xen brings up both CPUs and builds dom0 from the
# /chosen multiboot modules, dom0 runs the guest/init "check" script
# (sha256 of 64 MiB of zeros), powers off, Xen halts the machine through
# PSCI SYSTEM_OFF and arm83emu exits 0. The run is done twice: console
# output and exit trace must be byte-identical. The exit-trace summary must
# name the exits by cause. Without a ramdisk module, dom0's own panic ends
# the run at --max-insns (124), never a hang; so does Xen's own panic on a
# kernel module that is no kernel. Skipped (77) when the guest cannot be fetched.
emu=$1 tracer=$2 src=$3
cache=${A83_GUEST_CACHE:-$src/guest-cache}
if ! [ -s "$cache/xen" ] || ! [ -s "$cache/Image" ] || ! [ -s "$cache/initramfs.cpio.gz" ]; then
    A83_GUEST_CACHE=$cache sh "$src/scripts/fetch-guest.sh" --xen >/dev/null 2>&1 ||
        { echo "cannot fetch the Xen guest (scripts/fetch-guest.sh --xen): skipped"; exit 77; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

run() {   # run N: console to $tmp/outN, exit trace to $tmp/runN.trace
    timeout 1200 "$emu" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G \
        -kernel "$cache/xen" \
        -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
        -device guest-loader,addr=0x49000000,kernel="$cache/Image",bootargs="console=hvc0 earlycon=xen" \
        -device guest-loader,addr=0x50000000,initrd="$cache/initramfs.cpio.gz" \
        -nographic --max-insns 20000000000 --exit-trace "$tmp/run$1.trace" \
        >"$tmp/out$1" 2>"$tmp/err$1" </dev/null
    echo $? >"$tmp/rc$1"
}
want() {
    grep -q -- "$1" "$tmp/out1" || { echo "FAIL: no '$1' in the output"; fails=$((fails + 1)); }
}

run 1
want "(XEN) Xen version 4.17"
want "(XEN) Brought up 2 CPUs"
want "(XEN) Loading d0 kernel from boot module @ 0000000049000000"
want "(XEN) Loading ramdisk from boot module @ 0000000050000000"
want "Kernel command line: console=hvc0 earlycon=xen"
want "Xen 4.17 support found"
want "smp: Brought up 1 node, 2 CPUs"
want "A83: userspace up"
want "^3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351  -"
want "A83: script done"
want "(XEN) Hardware Dom0 halted: halting machine"
rc=$(cat "$tmp/rc1")
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc, want 0 ($(cat "$tmp/err1"))"; fails=$((fails + 1)); }

# the exit trace names the causes
"$tracer" "$tmp/run1.trace" --by-vmid --top 60 >"$tmp/summary" 2>&1 ||
    { echo "FAIL: arm83emu-trace failed"; fails=$((fails + 1)); }
for cause in "HVC xen:console_io" "HVC xen:event_channel_op" "HVC xen:grant_table_op" \
             "MSR ICC_SGI1R_EL1" "MRS ID_AA64PFR0_EL1" "DABT GICD+" "DABT GICR+" "WFI" \
             "IRQ INTID 26" "IRQ INTID 27" "VMID 1 L1 "; do
    grep -q -- "$cause" "$tmp/summary" ||
        { echo "FAIL: no '$cause' in the exit-trace summary"; fails=$((fails + 1)); }
done

# determinism: a second run gives the same bytes
run 2
cmp -s "$tmp/out1" "$tmp/out2" || { echo "FAIL: the console output differs between runs"; fails=$((fails + 1)); }
cmp -s "$tmp/run1.trace" "$tmp/run2.trace" || { echo "FAIL: the exit trace differs between runs"; fails=$((fails + 1)); }
[ "$(cat "$tmp/rc2")" -eq 0 ] || { echo "FAIL: second run exit status $(cat "$tmp/rc2")"; fails=$((fails + 1)); }

# bad input that only the guest can see: no ramdisk module. dom0 panics
# (its own message) and the run ends at --max-insns with status 124.
timeout 600 "$emu" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel "$cache/xen" \
    -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
    -device guest-loader,addr=0x49000000,kernel="$cache/Image",bootargs="console=hvc0 earlycon=xen" \
    -nographic --max-insns 4000000000 >"$tmp/out3" 2>&1 </dev/null
rc=$?
grep -q "Kernel panic - not syncing: VFS: Unable to mount root fs" "$tmp/out3" && [ $rc -eq 124 ] ||
    { echo "FAIL: no ramdisk: want dom0's panic and status 124, got $rc"; tail -5 "$tmp/out3"; fails=$((fails + 1)); }

# a dom0 kernel module that is no kernel: Xen's own panic, a reset, the
# board reboots (QEMU's default), Xen panics again; bounded by --max-insns.
timeout 600 "$emu" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G -kernel "$cache/xen" \
    -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
    -device guest-loader,addr=0x49000000,kernel="$cache/initramfs.cpio.gz" \
    -nographic --max-insns 3000000000 >"$tmp/out4" 2>&1 </dev/null
rc=$?
grep -q "Could not set up DOM0 guest OS" "$tmp/out4" && [ $rc -eq 124 ] ||
    { echo "FAIL: bad kernel module: want Xen's panic and status 124, got $rc"; tail -5 "$tmp/out4"; fails=$((fails + 1)); }

if [ $fails -ne 0 ]; then
    tail -30 "$tmp/out1"
    exit 1
fi
sed -n '1p' "$tmp/summary"
echo "ok   Xen booted dom0 on 2 CPUs, dom0 ran its script and powered off, Xen halted; identical twice"
exit 0
