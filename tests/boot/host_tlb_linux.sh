#!/bin/sh
# Simulated cycles do not depend on the emulator's host-side TLB (issue 14,
# docs/timing.md "TLB model"), on a Linux boot: Debian's kernel at EL2 (VHE,
# KVM initialised) on 2 CPUs, booted to the end of its check script with the
# host TLB at its default size and shrunk to 16 slots (--debug-host-tlb 16);
# the console and exit-trace digests (--digest), the per-CPU instruction and
# cycle counts (--stats), the console output and the exit status must be
# identical. Labelled slow. Exit 77 without the guest cache.
emu=$1 src=$2
cache=${A83_GUEST_CACHE:-$src/guest-cache}
[ -s "$cache/Image" ] && [ -s "$cache/initramfs.cpio.gz" ] || { echo "no guest cache: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
    out=$1
    shift
    timeout 3000 "$emu" -M virt,virtualization=on -smp 2 -m 1G -kernel "$cache/Image" \
        -initrd "$cache/initramfs.cpio.gz" -append "console=ttyAMA0" -nographic \
        --max-insns 12000000000 --digest --stats --exit-trace "$out.trace" "$@" \
        </dev/null >"$out" 2>"$out.err"
    echo "rc=$?" >>"$out.err"
}
run "$tmp/a"
run "$tmp/b" --debug-host-tlb 16
fails=0
grep -q "reboot: Power down" "$tmp/a" || { echo "FAIL: the default boot did not power off"; fails=1; }
grep -q "digest console=" "$tmp/a.err" || { echo "FAIL: no digest line"; fails=1; }
if ! cmp -s "$tmp/a.err" "$tmp/b.err"; then
    echo "FAIL: digests, counters or exit status differ:"
    diff "$tmp/a.err" "$tmp/b.err"
    fails=1
fi
if ! cmp -s "$tmp/a" "$tmp/b"; then
    echo "FAIL: console output differs:"
    diff "$tmp/a" "$tmp/b" | head -20
    fails=1
fi
[ $fails = 0 ] && { echo "ok   identical with --debug-host-tlb 16:"; cat "$tmp/a.err"; }
[ $fails = 0 ]
