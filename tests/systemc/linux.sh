#!/bin/sh
# The SystemC example platform (examples/systemc, docs/systemc.md) boots
# Debian's Linux 6.1 with its console on the 16550A modelled in SystemC:
#  - the kernel found the UART from the device tree (a83_dtb_add_device):
#    "20000000.serial: ttyS0 at MMIO 0x20000000 ... is a 16550A" and took
#    it as its console (stdout-path, console=ttyS0);
#  - the init's output reached it ("A83: userspace up", written by the
#    busybox init through the tty layer: interrupt-driven transmission, so
#    the UART's line reached SPI 100 through the wrapper's sc_in<bool>);
#  - nothing was printed on the library's own PL011;
#  - the guest powered off (exit status 0) and the run took transactions
#    through the TLM socket with annotated delays (stall cycles > 0);
#  - a second run gives the same bytes (determinism).
# usage: linux.sh PLATFORM SOURCE_DIR. Exit 77 when the guest is missing.
plat=$1 src=$2
cache=${A83_GUEST_CACHE:-$src/guest-cache}
if [ ! -s "$cache/Image" ] || [ ! -s "$cache/initramfs.cpio.gz" ]; then
    if ! A83_GUEST_CACHE=$cache sh "$src/scripts/fetch-guest.sh" >/dev/null 2>&1 ||
       [ ! -s "$cache/Image" ]; then
        echo "SKIPPED: no Linux guest (scripts/fetch-guest.sh, \$A83_GUEST_CACHE=$cache)"
        exit 77
    fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

run() {
    timeout 600 "$plat" "$cache/Image" "$cache/initramfs.cpio.gz" --append "a83.script=boot" \
        >"$1" 2>"$1.err" </dev/null
    echo $? >"$1.rc"
}
run "$tmp/a"
rc=$(cat "$tmp/a.rc")
[ "$rc" = 0 ] || fail "exit status $rc, want 0 (PSCI SYSTEM_OFF)"
tr -d '\r' <"$tmp/a" >"$tmp/a.txt"
grep -q "20000000.serial: ttyS0 at MMIO 0x20000000 (irq = [0-9]*, base_baud = 115200) is a 16550A" \
    "$tmp/a.txt" || fail "the kernel did not find the SystemC 16550A"
grep -q "printk: console \[ttyS0\] enabled" "$tmp/a.txt" || fail "ttyS0 is not the console"
grep -q "earlycon: ns16550a0 at MMIO32 0x0*20000000" "$tmp/a.txt" || fail "no earlycon on the SystemC UART"
grep -q "^A83: userspace up$" "$tmp/a.txt" || fail "the init's output did not reach the SystemC UART"
grep -q "reboot: Power down" "$tmp/a.txt" || fail "no 'reboot: Power down'"
if grep -E "WARNING|BUG|Oops|Unhandled" "$tmp/a.txt" >"$tmp/bad"; then
    fail "kernel log lines a clean boot does not have:"; cat "$tmp/bad"
fi
grep -q ", 0 on the PL011," "$tmp/a.err" || fail "bytes went to the PL011: $(cat "$tmp/a.err")"
grep -Eq " [1-9][0-9]* stall cycles" "$tmp/a.err" || fail "no annotated delay was charged: $(cat "$tmp/a.err")"
echo "run 1: $(tail -1 "$tmp/a.err")"

run "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "a second run printed different bytes"
cmp -s "$tmp/a.err" "$tmp/b.err" || fail "a second run ended differently: $(cat "$tmp/b.err")"

if [ "$fails" -ne 0 ]; then
    echo "--- console (run 1) ---"; tail -40 "$tmp/a.txt"; cat "$tmp/a.err"
    exit 1
fi
echo "ok: Linux's console on the SystemC 16550A, init output, power off, same bytes twice"
