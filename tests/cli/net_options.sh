#!/bin/sh
# -netdev user / -device virtio-net-device options (docs/cli.md,
# docs/virtio.md "virtio-net"): each bad option is one line on stderr and
# exit status 2, never a crash; a host port already in use for hostfwd is
# an error at start-up (A83_ERR_IO); good options run a guest.
# usage: net_options.sh ARM83EMU
emu=$1
. "$(dirname "$0")/expect_error.sh"
printf '\000\000\000\024' >"$tmp/loop.bin"     # b . (A64 0x14000000)
k="-kernel $tmp/loop.bin --max-insns 100000"
d="-device virtio-net-device,netdev=n0"
expect_error "no netdev" "no -netdev with id 'n0'" -M virt $d $k
expect_error "no netdev=" "netdev=ID is required" -M virt -device virtio-net-device $k
expect_error "netdev backend" "only the user back end" -M virt -netdev tap,id=n0 $d $k
expect_error "netdev no id" "id= is required" -M virt -netdev user $d $k
expect_error "netdev duplicate" "duplicate id 'n0'" -M virt -netdev user,id=n0 -netdev user,id=n0 $d $k
expect_error "netdev used twice" "already in use" -M virt -netdev user,id=n0 $d $d $k
expect_error "netdev property" "unknown property 'smb'" -M virt -netdev user,id=n0,smb=/tmp $d $k
expect_error "net= address" "net=10.0.2: not an IPv4" -M virt -netdev user,id=n0,net=10.0.2 $d $k
expect_error "net= prefix" "prefix must be 1..30" -M virt -netdev user,id=n0,net=10.0.2.0/31 $d $k
expect_error "host outside net" "inside net=" -M virt -netdev user,id=n0,host=10.0.3.2 $d $k
expect_error "net host bits" "host bits set" -M virt -netdev user,id=n0,net=10.0.2.1/24 $d $k
expect_error "hostfwd syntax" "hostfwd='tcp:5555'" -M virt -netdev user,id=n0,hostfwd=tcp:5555 $d $k
expect_error "hostfwd port 0" "ports 1..65535" -M virt -netdev user,id=n0,hostfwd=tcp::0-:22 $d $k
expect_error "hostfwd port range" "ports 1..65535" -M virt -netdev user,id=n0,hostfwd=tcp::70000-:22 $d $k
expect_error "ipv6=on" "IPv4 only" -M virt -netdev user,id=n0,ipv6=on $d $k
expect_error "bad mac" "not XX:XX:XX:XX:XX:XX" -M virt -netdev user,id=n0 \
    -device virtio-net-device,netdev=n0,mac=52:54:00:12:34 $k
expect_error "multicast mac" "multicast" -M virt -netdev user,id=n0 \
    -device virtio-net-device,netdev=n0,mac=01:00:5e:00:00:01 $k
expect_error "net property" "unknown property 'vectors'" -M virt -netdev user,id=n0 \
    -device virtio-net-device,netdev=n0,vectors=3 $k
# a host port in use: a listening socket holds it while the emulator starts
python3 - "$emu" "$tmp/loop.bin" >"$tmp/busy.out" 2>&1 <<'PY'
import socket, subprocess, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
port = s.getsockname()[1]
r = subprocess.run([sys.argv[1], "-M", "virt", "-netdev",
                    "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:22" % port,
                    "-device", "virtio-net-device,netdev=n0", "-kernel", sys.argv[2],
                    "--max-insns", "100000"], capture_output=True, timeout=60)
err = r.stderr.decode()
want = "hostfwd=tcp:127.0.0.1:%d cannot be bound" % port
ok = r.returncode == 2 and want in err and err.count("\n") == 1
print(("ok   hostfwd port in use: " if ok else "FAIL hostfwd port in use: status %d: " % r.returncode) + err.strip())
sys.exit(0 if ok else 1)
PY
rc=$?
cat "$tmp/busy.out"
[ $rc -eq 0 ] || fails=$((fails + 1))
# good options: the guest runs to its instruction limit (status 124)
p1=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
p2=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 60 "$emu" -M virt -netdev "user,id=n0,net=192.168.7.0/24,host=192.168.7.1,dns=192.168.7.53,dhcpstart=192.168.7.100,hostfwd=tcp:127.0.0.1:$p1-:22,hostfwd=udp::$p2-192.168.7.100:53" \
    $d,mac=52:54:00:00:00:01,id=nic0 -netdev user,id=n1 -device virtio-net-device,netdev=n1 \
    $k >/dev/null 2>"$tmp/good.err" </dev/null
rc=$?
[ $rc -eq 124 ] && grep -q "instruction limit reached" "$tmp/good.err" ||
    { echo "FAIL good options: status $rc: $(cat "$tmp/good.err")"; fails=$((fails + 1)); }
[ $fails -eq 0 ] && echo "ok   -netdev user / virtio-net-device options"
[ $fails -eq 0 ]
