#!/bin/sh
# Runs a bare-metal guest test ELF (tests/guest/...) as a KVM guest: Debian's
# Linux at EL2 on arm83emu (2 CPUs, VHE) runs it under Debian's QEMU 7.2,
# `-M virt,gic-version=3,its=on -enable-kvm -cpu host -smp 2` (guest/init-kvm,
# a83kvm=NAME), and the guest's console must equal EXPECT byte for byte, with
# QEMU's exit status 0. The ELF reaches the host as a second cpio archive
# appended to initramfs-kvm.cpio.gz (Linux unpacks concatenated archives), so
# the shared archive of scripts/fetch-kvm.sh is not rebuilt per guest.
#
# usage: guest.sh EMULATOR SOURCE_DIR EXITBENCH_ELF GUEST_ELF EXPECT [vhe|nvhe]
#   EXITBENCH_ELF  passed to scripts/fetch-kvm.sh as the exit benchmark tests
#                  pass it (tests/kvm/kvm_host.sh)
# Exit 77 (CTest SKIP_RETURN_CODE) when the KVM host cannot be fetched.
emu=$1 src=$2 ebelf=$3 elf=$4 expect=$5 mode=${6:-vhe}
cache=${A83_GUEST_CACHE:-$src/guest-cache}
[ -s "$elf" ] || { echo "guest.sh: $elf: no such file"; exit 1; }
[ -s "$expect" ] || { echo "guest.sh: $expect: no such file"; exit 1; }
name=$(basename "$elf" .elf)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/kvm/kvm_host.sh"
kvm_host_fetch "$ebelf" "$tmp/fetch"

mkdir -p "$tmp/extra"
cp "$elf" "$tmp/extra/$name.elf"
(cd "$tmp/extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) >"$tmp/extra.cpio.gz"
cat "$cache/initramfs-kvm.cpio.gz" "$tmp/extra.cpio.gz" >"$tmp/initrd.gz"
append="console=ttyAMA0 a83kvm=$name"
[ "$mode" = nvhe ] && append="$append kvm-arm.mode=nvhe"
# The bound (about 5x what a run needs) only stops a broken build.
timeout 900 "$emu" -M virt,virtualization=on -smp 2 -m 1G -kernel "$cache/Image" \
    -initrd "$tmp/initrd.gz" -append "$append" -nographic --max-insns 12000000000 \
    </dev/null >"$tmp/raw" 2>"$tmp/err"
rc=$?
tr -d '\r' <"$tmp/raw" >"$tmp/out"
sed -n "/^A83: guest $name output\$/,/^A83: guest $name status /p" "$tmp/out" | sed '1d;$d' >"$tmp/guest"
status=$(sed -n "s/^A83: guest $name status \\([0-9]*\\)\$/\\1/p" "$tmp/out")
fails=0
if ! cmp -s "$tmp/guest" "$expect"; then
    echo "FAIL: the KVM guest's output differs from $expect:"
    diff -u "$expect" "$tmp/guest" | head -60
    fails=1
fi
[ "$status" = 0 ] || { echo "FAIL: QEMU exit status '$status', want 0"; fails=1; }
[ "$rc" = 0 ] || { echo "FAIL: arm83emu exit status $rc; stderr: $(cat "$tmp/err")"; fails=1; }
if [ $fails != 0 ]; then
    echo "--- host console (last 30 lines):"
    tail -n 30 "$tmp/out"
    exit 1
fi
echo "PASS: $name as a KVM guest ($mode): $(wc -l <"$expect") lines as $expect"
