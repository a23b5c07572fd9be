#!/bin/sh
# CTR_EL0 and CCSIDR_EL1 follow the profile's caches (issue 14): the guest
# sysreg/cache_id under tests/cli/cache_id.ini (128-byte lines, L1D 64 KiB
# 4-way, L1I 32 KiB 2-way, L2 2 MiB 8-way) prints cache_id_profile.expect
# (the default profile is checked by guest/sysreg/cache_id itself).
emu=$1 elf=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 60 "$emu" -M virt -kernel "$elf" -nographic --timing "$here/cache_id.ini" \
    --max-insns 10000000 >"$out" 2>&1 </dev/null
rc=$?
if ! cmp -s "$out" "$here/cache_id_profile.expect" || [ $rc -ne 0 ]; then
    echo "FAIL (exit status $rc):"
    diff -u "$here/cache_id_profile.expect" "$out"
    exit 1
fi
echo "ok   CTR_EL0/CCSIDR_EL1 follow tests/cli/cache_id.ini"
