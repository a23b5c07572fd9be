#!/bin/sh
# Debian's Linux with its root file system on virtio-blk (docs/virtio.md):
# the test builds a raw ext4 image with `mke2fs -d` (no root needed) holding
# busybox and an /sbin/init, and a small initramfs that loads the virtio
# modules of the Debian kernel (CONFIG_VIRTIO_MMIO=m, CONFIG_VIRTIO_BLK=m),
# mounts /dev/vda (root=/dev/vda rw) and switch_roots into it. The init on
# the disk writes a file, reads the virtio-rng (/dev/hwrng), prints through
# the virtio console (hvc0), syncs and powers off. Afterwards the file is in
# the image (debugfs -R "cat ..."), and the entropy bytes are those of the
# --seed 42 generator stream. Skipped (77) without the guest cache.
emu=$1 src=$2
cache=${A83_GUEST_CACHE:-$src/guest-cache}
[ -s "$cache/Image" ] && [ -x "$cache/x/bin/busybox" ] || { echo "no guest cache: skipped"; exit 77; }
command -v mke2fs >/dev/null && command -v debugfs >/dev/null || { echo "no e2fsprogs: skipped"; exit 77; }
kmod=$(ls -d "$cache"/x/lib/modules/*/kernel | head -1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# initramfs: busybox, the virtio modules, an init that mounts /dev/vda
ird="$tmp/initramfs"
mkdir -p "$ird/bin" "$ird/lib" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/newroot"
cp "$cache/x/bin/busybox" "$ird/bin/busybox"
for m in virtio/virtio_ring virtio/virtio virtio/virtio_mmio; do
    cp "$kmod/drivers/$m.ko" "$ird/lib/"
done
cp "$kmod/drivers/block/virtio_blk.ko" "$kmod/drivers/char/hw_random/virtio-rng.ko" \
   "$kmod/drivers/char/virtio_console.ko" "$ird/lib/"
cat >"$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_mmio virtio_blk virtio-rng virtio_console; do
    /bin/busybox insmod /lib/$m.ko || echo "A83: insmod $m failed"
done
root=$(/bin/busybox sed -n 's/.*root=\([^ ]*\).*/\1/p' /proc/cmdline)
n=0
while [ ! -b "$root" ] && [ $n -lt 50 ]; do /bin/busybox sleep 0.1; n=$((n + 1)); done
/bin/busybox mount -t ext4 -o rw "$root" /newroot || { echo "A83: cannot mount $root"; /bin/busybox poweroff -f; }
/bin/busybox mount --move /dev /newroot/dev
/bin/busybox umount /proc /sys
exec /bin/busybox switch_root /newroot /sbin/init
INIT
chmod +x "$ird/init" "$ird/bin/busybox"
(cd "$ird" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) >"$tmp/initrd.gz"

# the root file system
rfs="$tmp/rootfs"
mkdir -p "$rfs/bin" "$rfs/sbin" "$rfs/proc" "$rfs/sys" "$rfs/dev" "$rfs/etc"
cp "$cache/x/bin/busybox" "$rfs/bin/busybox"
echo "made by mke2fs -d" >"$rfs/etc/motd"
cat >"$rfs/sbin/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "A83: root is $(awk '$2 == "/" {print $1, $3}' /proc/mounts | tail -1)"
cat /etc/motd
echo "written by Linux on virtio-blk" >/from-guest.txt
echo "A83: rng $(cat /sys/class/misc/hw_random/rng_current)"
echo "A83: entropy $(head -c 16 /dev/hwrng | od -An -tx1 | tr -d ' \n')"
echo "A83: via hvc0" >/dev/hvc0
sync
mount -o remount,ro /
echo "A83: done"
poweroff -f
INIT
chmod +x "$rfs/sbin/init" "$rfs/bin/busybox"
mke2fs -q -t ext4 -L a83root -d "$rfs" -F "$tmp/root.img" 32M || { echo "FAIL: mke2fs"; exit 1; }

boot() {   # boot OUT
    timeout 900 "$emu" -M virt -m 512M -kernel "$cache/Image" -initrd "$tmp/initrd.gz" \
        -append "root=/dev/vda rw console=ttyAMA0" -nographic --max-insns 8000000000 --seed 42 \
        -drive file="$tmp/root.img",if=none,id=hd0,format=raw -device virtio-blk-device,drive=hd0 \
        -device virtio-rng-device -device virtio-serial-device -device virtconsole \
        >"$1" 2>&1 </dev/null
    echo $?
}
rc=$(boot "$tmp/out")
tr -d '\r' <"$tmp/out" >"$tmp/out.lf" && mv "$tmp/out.lf" "$tmp/out"
fails=0
want() {
    grep -q -- "$1" "$tmp/out" || { echo "FAIL: no '$1' in the output"; fails=$((fails + 1)); }
}
# the disk is the first -device, so on the highest transport, probed last (as on QEMU)
want "virtio_blk virtio2: \[vda\] 65536 512-byte logical blocks"
want "A83: root is /dev/vda ext4"
want "made by mke2fs -d"
want "A83: rng virtio_rng"
want "A83: entropy [0-9a-f]\{32\}"
want "A83: via hvc0"
want "A83: done"
want "reboot: Power down"
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc, want 0"; fails=$((fails + 1)); }
# /dev/hwrng's bytes come from the seeded SplitMix64 stream (docs/virtio.md)
ent=$(sed -n 's/^A83: entropy \([0-9a-f]*\).*/\1/p' "$tmp/out")
python3 - "$ent" <<'PY' || { echo "FAIL: entropy '$ent' is not from SplitMix64 seed 42"; fails=$((fails + 1)); }
import sys
M = (1 << 64) - 1
def word(seed, i):
    z = (seed + (i + 1) * 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)
stream = b"".join(word(42, i).to_bytes(8, "little") for i in range(4096))
ent = sys.argv[1]
sys.exit(0 if len(ent) == 32 and bytes.fromhex(ent) in stream else 1)
PY
got=$(debugfs -R "cat /from-guest.txt" "$tmp/root.img" 2>/dev/null)
[ "$got" = "written by Linux on virtio-blk" ] ||
    { echo "FAIL: /from-guest.txt in the image is '$got'"; fails=$((fails + 1)); }
if [ $fails -ne 0 ]; then
    tail -60 "$tmp/out"
    exit 1
fi
echo "ok   Linux mounted its root from virtio-blk and wrote a file that is in the image"
exit 0
