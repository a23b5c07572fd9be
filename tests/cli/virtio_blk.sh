#!/bin/sh
# virtio-blk end to end (docs/virtio.md; virtio 1.2 section 5.2) with the
# bare-metal driver tests/cli/virtio_blk_guest.c on raw images:
#  1. read/write: the guest reads the marker in sector 0, writes sector 2,
#     flushes, discards sector 3; afterwards the image holds the guest's
#     sector 2 and zeros in sector 3, and nothing else changed;
#  2. snapshot=on: the guest sees its own write, the image is unchanged;
#  3. readonly=on: VIRTIO_BLK_F_RO, the write fails with IOERR, image unchanged;
#  4. two runs give the same digests (--digest) and counters (--stats);
#  5. bad options / missing image: exit status 2 and one clear line.
emu=$1 elf=$2
. "$(dirname "$0")/expect_error.sh"

mkimg() {
    dd if=/dev/zero of="$1" bs=512 count=2048 2>/dev/null
    printf 'ARM83EMU virtio-blk test disk, sector 0' | dd of="$1" conv=notrunc 2>/dev/null
    head -c 512 /dev/zero | tr '\0' '\252' | dd of="$1" bs=512 seek=3 conv=notrunc 2>/dev/null
}
run() {   # run NAME DRIVE-OPTIONS
    timeout 60 "$emu" -M virt -drive "$2" -device virtio-blk-device,drive=d0,serial=disk-0 \
        -kernel "$elf" --max-insns 50000000 >"$tmp/$1.out" 2>&1 </dev/null
    echo $? >"$tmp/$1.rc"
}
want() {  # want NAME PATTERN
    grep -q -- "$2" "$tmp/$1.out" || { echo "FAIL $1: no '$2' in:"; cat "$tmp/$1.out"; fails=$((fails + 1)); }
}
status0() {
    [ "$(cat "$tmp/$1.rc")" = 0 ] || { echo "FAIL $1: exit status $(cat "$tmp/$1.rc")"; fails=$((fails + 1)); }
}

# 1. read/write
mkimg "$tmp/rw.img"
mkimg "$tmp/ref.img"
run rw "file=$tmp/rw.img,if=none,id=d0,format=raw"
status0 rw
want rw 'virtio-blk at transport 31'
want rw 'capacity (sectors): 0x0000000000000800'
want rw 'id: "disk-0"'
want rw 'sector 0: "ARM83EMU virtio-blk test disk, sector 0"'
want rw 'write s2 status: 0x0000000000000000'
want rw 'flush status: 0x0000000000000000'
want rw 'sector 2: "written by the guest through virtio-blk"'
want rw 'sector 3 byte sum after discard: 0x0000000000000000'
want rw 'read past capacity status: 0x0000000000000001'
want rw 'unknown type status: 0x0000000000000002'
dd if="$tmp/rw.img" bs=512 skip=2 count=1 2>/dev/null | grep -q 'written by the guest through virtio-blk' ||
    { echo "FAIL rw: sector 2 of the image does not hold the guest's write"; fails=$((fails + 1)); }
[ "$(dd if="$tmp/rw.img" bs=512 skip=3 count=1 2>/dev/null | tr -d '\0' | wc -c)" = 0 ] ||
    { echo "FAIL rw: discarded sector 3 is not zero"; fails=$((fails + 1)); }
# everything but sectors 2 and 3 is as before
for f in rw ref; do
    { dd if="$tmp/$f.img" bs=512 count=2 2>/dev/null; dd if="$tmp/$f.img" bs=512 skip=4 2>/dev/null; } |
        sha256sum >"$tmp/$f.sum"
done
cmp -s "$tmp/rw.sum" "$tmp/ref.sum" || { echo "FAIL rw: sectors other than 2 and 3 changed"; fails=$((fails + 1)); }

# 2. snapshot=on
mkimg "$tmp/snap.img"
before=$(sha256sum <"$tmp/snap.img")
run snap "file=$tmp/snap.img,if=none,id=d0,format=raw,snapshot=on"
status0 snap
want snap 'sector 2: "written by the guest through virtio-blk"'
want snap 'sector 3 byte sum after discard: 0x0000000000000000'
[ "$(sha256sum <"$tmp/snap.img")" = "$before" ] || { echo "FAIL snapshot: the image changed"; fails=$((fails + 1)); }

# 3. readonly=on
mkimg "$tmp/ro.img"
before=$(sha256sum <"$tmp/ro.img")
run ro "file=$tmp/ro.img,if=none,id=d0,format=raw,readonly=on"
status0 ro
want ro 'read-only: 0x0000000000000001'
want ro 'write s2 status: 0x0000000000000001'
want ro 'sector 2: ""'
[ "$(sha256sum <"$tmp/ro.img")" = "$before" ] || { echo "FAIL readonly: the image changed"; fails=$((fails + 1)); }

# 4. determinism: two runs on fresh copies give the same console and exit-trace digests
for i in 1 2; do
    mkimg "$tmp/det$i.img"
    timeout 60 "$emu" -M virt -drive "file=$tmp/det$i.img,if=none,id=d0,format=raw" \
        -device virtio-blk-device,drive=d0,serial=disk-0 -device virtio-rng-device --seed 3 \
        -kernel "$elf" --max-insns 50000000 --digest --stats >/dev/null 2>"$tmp/det$i.err" </dev/null
done
grep -q "digest console=" "$tmp/det1.err" && cmp -s "$tmp/det1.err" "$tmp/det2.err" ||
    { echo "FAIL determinism: $(cat "$tmp/det1.err") vs $(cat "$tmp/det2.err")"; fails=$((fails + 1)); }
cmp -s "$tmp/det1.img" "$tmp/det2.img" || { echo "FAIL determinism: images differ"; fails=$((fails + 1)); }

# 5. bad input
k="-kernel $elf"
expect_error "missing image" "-drive: .*nonexistent.img: No such file" -M virt \
    -drive file="$tmp/nonexistent.img",if=none,id=d0,format=raw -device virtio-blk-device,drive=d0 $k
: >"$tmp/empty.img"
expect_error "empty image" "smaller than one 512-byte sector" -M virt \
    -drive file="$tmp/empty.img",if=none,id=d0,format=raw -device virtio-blk-device,drive=d0 $k
expect_error "directory as image" "not a regular file" -M virt \
    -drive file="$tmp",if=none,id=d0,format=raw,readonly=on -device virtio-blk-device,drive=d0 $k
expect_error "unknown drive id" "no -drive with id 'd9'" -M virt \
    -drive file="$tmp/ro.img",if=none,id=d0,format=raw -device virtio-blk-device,drive=d9 $k
expect_error "no drive=" "drive=ID is required" -M virt -device virtio-blk-device $k
expect_error "format" "only format=raw" -M virt -drive file="$tmp/ro.img",if=none,id=d0,format=qcow2 $k
expect_error "if=" "only if=none" -M virt -drive file="$tmp/ro.img",if=ide,id=d0,format=raw $k
expect_error "no id" "id= is required" -M virt -drive file="$tmp/ro.img",if=none,format=raw $k
expect_error "bad snapshot" "snapshot must be on or off" -M virt \
    -drive file="$tmp/ro.img",if=none,id=d0,snapshot=maybe $k
expect_error "unknown drive property" "unknown property 'cache2'" -M virt \
    -drive file="$tmp/ro.img",if=none,id=d0,cache2=x $k
expect_error "drive used twice" "already in use" -M virt -drive file="$tmp/ro.img",if=none,id=d0 \
    -device virtio-blk-device,drive=d0 -device virtio-blk-device,drive=d0 $k
expect_error "virtconsole without serial" "needs a -device virtio-serial-device" -M virt \
    -device virtconsole $k
expect_error "unknown chardev" "no -chardev with id 'c1'" -M virt -device virtio-serial-device \
    -device virtconsole,chardev=c1 $k
expect_error "bad seed" "--seed" -M virt --seed abc $k

[ $fails -eq 0 ] && echo "ok   virtio-blk: read/write/flush/discard/GET_ID, snapshot, readonly, bad input"
exit $fails
