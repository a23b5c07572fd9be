#!/bin/sh
# An ELF linked at 0x0 runs from flash (flash_elf.S); an ELF segment that
# starts in flash and runs past its end is still refused with a clear error.
emu=$1 elf=$2
. "$(dirname "$0")/expect_error.sh"
out=$(timeout 20 "$emu" -M virt -kernel "$elf" --max-insns 100000 </dev/null 2>&1)
rc=$?
[ "$out" = "hello from an ELF linked at 0x0, running in flash" ] ||
    { echo "FAIL: output '$out'"; fails=$((fails + 1)); }
[ $rc -eq 0 ] || { echo "FAIL: exit status $rc"; fails=$((fails + 1)); }
# The same program with its segment moved to the last 16 bytes of flash
# (p_paddr = 0x07fffff0): it crosses into the GIC window.
python3 - "$elf" "$tmp/cross.elf" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32)
phentsize, phnum = struct.unpack_from('<HH', b, 54)
for i in range(phnum):
    o = phoff + i * phentsize
    if struct.unpack_from('<I', b, o)[0] == 1:      # PT_LOAD
        struct.pack_into('<QQ', b, o + 16, 0x07fffff0, 0x07fffff0)   # p_vaddr, p_paddr
struct.pack_into('<Q', b, 24, 0x07fffff0)            # e_entry
open(sys.argv[2], 'wb').write(b)
PY
expect_error "segment crossing the end of flash" "overlaps the GIC distributor|outside guest RAM" \
    -M virt -kernel "$tmp/cross.elf"
[ $fails -eq 0 ] && echo "ok   ELF linked at 0 runs from flash; a segment past flash is refused"
exit $fails
