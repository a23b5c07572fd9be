#!/bin/sh
# tarmac.sh EMU ELF: a Tarmac trace of a short program parses back and
# matches the executed instructions (tarmac_check.py); filters restrict it.
set -eu
emu=$1 elf=$2
here=$(dirname "$0")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
aarch64-linux-gnu-objcopy -O binary "$elf" "$d/img.bin"
"$emu" -M virt,virtualization=on -nographic --input A -kernel "$elf" --tarmac "$d/t.tarmac" --stats \
    >/dev/null 2>"$d/stats"
python3 "$here/tarmac_check.py" "$d/t.tarmac" "$d/img.bin" 0x40080000 "$d/stats" 12
# EL filter: only EL1 instructions
"$emu" -M virt,virtualization=on -nographic --input A -kernel "$elf" --tarmac "$d/e1.tarmac" \
    --tarmac-el 1 >/dev/null 2>&1
grep -q ' IT ' "$d/e1.tarmac" || { echo "no EL1 instructions traced"; exit 1; }
if grep ' IT ' "$d/e1.tarmac" | grep -qv ' A EL1'; then echo "EL filter leaked"; exit 1; fi
# A cycle window traces a strict subset
"$emu" -M virt,virtualization=on -nographic --input A -kernel "$elf" --tarmac "$d/w.tarmac" \
    --tarmac-cycles 1000:2000 >/dev/null 2>&1
all=$(grep -c ' IT ' "$d/t.tarmac"); win=$(grep -c ' IT ' "$d/w.tarmac")
[ "$win" -gt 0 ] && [ "$win" -lt "$all" ] || { echo "cycle window: $win of $all"; exit 1; }
echo ok
