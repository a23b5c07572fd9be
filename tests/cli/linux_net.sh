#!/bin/sh
# Debian's Linux on virtio-net through libslirp (docs/virtio.md "virtio-net";
# virtio 1.2 section 5.1). The test builds an initramfs that loads the
# Debian kernel's modules (CONFIG_VIRTIO_NET=m needs net_failover and
# failover), brings eth0 up with busybox udhcpc (slirp's DHCP server must
# hand out 10.0.2.15, router 10.0.2.2) and then, by mode (a83mode= on the
# kernel command line):
#   det  : pings 10.0.2.2 twice (slirp answers itself). Two runs must give
#          the same --digest: traffic between guest and slirp is deterministic.
#   wget : fetches a page with wget from a python3 http.server the test runs
#          on the host's 127.0.0.1 (slirp's NAT: 10.0.2.2:PORT -> 127.0.0.1:PORT),
#          then serves a page with busybox httpd on port 8080, which the test
#          fetches from the host through hostfwd=tcp:127.0.0.1:HPORT-:8080;
#          the CGI that answers lets the guest power off.
# Skipped (77) without the guest cache.
emu=$1 src=$2
cache=${A83_GUEST_CACHE:-$src/guest-cache}
[ -s "$cache/Image" ] && [ -x "$cache/x/bin/busybox" ] || { echo "no guest cache: skipped"; exit 77; }
kmod=$(ls -d "$cache"/x/lib/modules/*/kernel | head -1)
[ -f "$kmod/drivers/net/virtio_net.ko" ] || { echo "no virtio_net.ko in the guest cache: skipped"; exit 77; }
tmp=$(mktemp -d)
srv_pid=
cleanup() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

ird="$tmp/initramfs"
mkdir -p "$ird/bin" "$ird/lib" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/tmp" "$ird/www/cgi-bin" "$ird/etc"
# Debian's static busybox resolves through glibc's NSS: without these files
# its wget crashes (SIGSEGV) in the lookup, before connecting
echo "hosts: files" >"$ird/etc/nsswitch.conf"
echo "services: files" >>"$ird/etc/nsswitch.conf"
echo "127.0.0.1 localhost" >"$ird/etc/hosts"
echo "http 80/tcp www" >"$ird/etc/services"
cp "$cache/x/bin/busybox" "$ird/bin/busybox"
for m in virtio/virtio_ring virtio/virtio virtio/virtio_mmio net/net_failover net/virtio_net; do
    cp "$kmod/drivers/$m.ko" "$ird/lib/"
done
cp "$kmod/net/core/failover.ko" "$ird/lib/"
# udhcpc's script: configure the address and the default route
cat >"$ird/bin/dhcp.sh" <<'EOF'
#!/bin/busybox sh
case "$1" in
bound|renew)
    /bin/busybox ifconfig "$interface" "$ip" netmask "$subnet" up
    /bin/busybox route add default gw "$router" dev "$interface"
    echo "A83: lease $ip/$subnet router $router dns $dns" >/dev/console ;;
esac
EOF
cat >"$ird/www/index.html" <<'EOF'
served by busybox httpd in the guest
EOF
cat >"$ird/www/cgi-bin/done" <<'EOF'
#!/bin/busybox sh
echo "Content-Type: text/plain"
echo ""
echo "hello from the guest through hostfwd"
/bin/busybox touch /tmp/done
EOF
cat >"$ird/www/cgi-bin/ack" <<'EOF'
#!/bin/busybox sh
echo "Content-Type: text/plain"
echo ""
echo "ack"
/bin/busybox touch /tmp/ack
EOF
cat >"$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_mmio failover net_failover virtio_net; do
    insmod /lib/$m.ko || echo "A83: insmod $m failed"
done
mode=$(sed -n 's/.*a83mode=\([a-z]*\).*/\1/p' /proc/cmdline)
port=$(sed -n 's/.*a83port=\([0-9]*\).*/\1/p' /proc/cmdline)
ifconfig lo 127.0.0.1 up
ifconfig eth0 up
echo "A83: mac $(cat /sys/class/net/eth0/address) link $(cat /sys/class/net/eth0/carrier)"
udhcpc -i eth0 -n -q -f -s /bin/dhcp.sh -t 5 -T 2 >/dev/null 2>&1 || echo "A83: no lease"
echo "A83: $(ifconfig eth0 | grep 'inet addr' | sed 's/^ *//')"
if [ "$mode" = det ]; then
    ping -c 2 -W 5 10.0.2.2 | grep -E "bytes from|packets"
elif [ "$mode" = wget ]; then
    # (no -T: Debian's static busybox is built without FEATURE_WGET_TIMEOUT and
    # its getopt32 stores -T through a NULL pointer: a busybox bug, docs/virtio.md)
    wget -O /tmp/page http://10.0.2.2:$port/page.txt
    echo "A83: wget status $?"
    echo "A83: page <$(cat /tmp/page)>"
    httpd -p 8080 -h /www
    echo "A83: httpd up"
    n=0
    # until the host says it got the page (its second request, /cgi-bin/ack)
    while [ ! -f /tmp/ack ] && [ $n -lt 600 ]; do sleep 1; n=$((n + 1)); done
    [ -f /tmp/done ] && echo "A83: host fetched the guest page"
    [ -f /tmp/ack ] && echo "A83: host acknowledged"
fi
echo "A83: done"
poweroff -f
INIT
chmod +x "$ird/init" "$ird/bin/busybox" "$ird/bin/dhcp.sh" "$ird/www/cgi-bin/done" "$ird/www/cgi-bin/ack"
(cd "$ird" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) >"$tmp/initrd.gz"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
boot() {   # boot OUT MODE PORT [extra args]
    out=$1 mode=$2 port=$3
    shift 3
    timeout 900 "$emu" -M virt -m 256M -kernel "$cache/Image" -initrd "$tmp/initrd.gz" \
        -append "console=ttyAMA0 a83mode=$mode a83port=$port" -nographic \
        --max-insns 12000000000 "$@" >"$out" 2>&1 </dev/null
    echo $? >"$out.rc"
    tr -d '\r' <"$out" >"$out.lf" && mv "$out.lf" "$out"
}
fails=0
want() {   # want FILE PATTERN
    grep -q -- "$2" "$1" || { echo "FAIL: no '$2' in $1"; fails=$((fails + 1)); }
}

# 1. deterministic: DHCP + ping 10.0.2.2, twice, same digests
# (A83_NET_ONLY=wget skips it, for debugging part 2)
if [ "${A83_NET_ONLY:-}" != wget ]; then
net="-netdev user,id=n0 -device virtio-net-device,netdev=n0"
# shellcheck disable=SC2086
boot "$tmp/det1" det 0 $net --digest
# shellcheck disable=SC2086
boot "$tmp/det2" det 0 $net --digest
for f in "$tmp/det1" "$tmp/det2"; do
    want "$f" "A83: mac 52:54:00:12:34:56 link 1"
    want "$f" "A83: lease 10.0.2.15/255.255.255.0 router 10.0.2.2 dns 10.0.2.3"
    want "$f" "A83: inet addr:10.0.2.15"
    want "$f" "64 bytes from 10.0.2.2: seq=1"
    want "$f" "2 packets transmitted, 2 packets received"
    want "$f" "A83: done"
    [ "$(cat "$f.rc")" = 0 ] || { echo "FAIL: $f exit status $(cat "$f.rc")"; fails=$((fails + 1)); }
done
d1=$(grep -i "digest" "$tmp/det1")
d2=$(grep -i "digest" "$tmp/det2")
[ -n "$d1" ] && [ "$d1" = "$d2" ] ||
    { echo "FAIL: digests differ: '$d1' vs '$d2'"; fails=$((fails + 1)); }
if [ $fails -ne 0 ]; then
    tail -40 "$tmp/det1"
    exit 1
fi
echo "ok   DHCP + ping 10.0.2.2 twice, same digest: $d1"
fi

# 2. NAT to a host HTTP server, and hostfwd into the guest
mkdir -p "$tmp/www"
echo "page from the host $$" >"$tmp/www/page.txt"
port=$(free_port)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/http.log" 2>&1 &
srv_pid=$!
n=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/page.txt', timeout=2)" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 50 ] || { echo "FAIL: the host HTTP server did not start"; exit 1; }
    sleep 0.2
done
hport=$(free_port)
# the host side of hostfwd: retry until the guest's httpd answers
python3 - "$hport" >"$tmp/fwd.out" 2>&1 <<'PY' &
import sys, time, urllib.request
base = "http://127.0.0.1:%s/cgi-bin/" % sys.argv[1]
end = time.time() + 300
got = None
while time.time() < end:
    try:
        if got is None:
            body = urllib.request.urlopen(base + "done", timeout=10).read().decode()
            if "hostfwd" in body:
                got = body.strip()
                print("fetched:", got, flush=True)
        else:
            urllib.request.urlopen(base + "ack", timeout=10).read()
            sys.exit(0)
    except Exception as e:
        print("retry:", e, file=sys.stderr, flush=True)
    time.sleep(0.3)
print("timeout", flush=True)
sys.exit(1)
PY
fwd_pid=$!
boot "$tmp/wget" wget "$port" -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$hport-:8080" \
    -device virtio-net-device,netdev=n0,mac=52:54:00:ab:cd:ef
wait "$fwd_pid"
fwd_rc=$?
f="$tmp/wget"
want "$f" "A83: mac 52:54:00:ab:cd:ef link 1"
want "$f" "A83: inet addr:10.0.2.15"
want "$f" "A83: page <page from the host $$>"
want "$f" "A83: httpd up"
want "$f" "A83: host fetched the guest page"
want "$f" "A83: host acknowledged"
want "$f" "A83: done"
[ "$fwd_rc" = 0 ] && grep -q "fetched: hello from the guest through hostfwd" "$tmp/fwd.out" ||
    { echo "FAIL: the host did not fetch the guest's page: $(cat "$tmp/fwd.out")"; fails=$((fails + 1)); }
[ "$(cat "$f.rc")" = 0 ] || { echo "FAIL: exit status $(cat "$f.rc")"; fails=$((fails + 1)); }
grep -q "GET /page.txt" "$tmp/http.log" || { echo "FAIL: the host server saw no GET"; fails=$((fails + 1)); }
if [ $fails -ne 0 ]; then
    tail -40 "$f"
    exit 1
fi
echo "ok   wget from the host through slirp's NAT, and the host fetched the guest's page through hostfwd"
exit 0
