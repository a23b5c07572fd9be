#!/bin/sh
# xen/domu (slow): Xen 4.17 with a guest domain created the way users do it
# (docs/xen.md, "A domU created by xl"). dom0 (Debian's arm64 Linux and
# xen-utils-4.17: xenstored, xenconsoled, xl) creates a Linux domU with a PV
# disk (blkback on a loop device over a file in dom0's tmpfs) and a PV
# network interface (netback on dom0's bridge xenbr0), then the exit
# microbenchmark as a bare-metal domU (guest/exitbench -DEXITBENCH_XEN).
# Checks: the domU reads the sector dom0 wrote and dom0 reads the one the
# domU wrote back; the domU pings dom0; xl lists the domains with ids 1 and
# 2; every benchmark line and its verdict; Xen halts the machine, exit 0.
# The exit trace per domain (arm83emu-trace --xen): dom0, d1, d2 and Xen
# rows, the domU's PV paths (grant copies in dom0's netback, event-channel
# sends in both) and the benchmark's exits on d2 with their counts
# (4096 measured + 64 warm-up iterations: guest/exitbench/exitbench.c);
# the I/O requests followed through dom0 (docs/xen.md, "Following an I/O
# request through dom0"): the Linux domU's sends reach dom0 and come back,
# every one of the benchmark's IPI event-channel sends is delivered in d2,
# and each row's parts add up to its mean.
# The run is done twice: console and trace byte-identical.
# Skipped (77) when the guest or the toolstack cannot be fetched.
emu=$1 tracer=$2 src=$3 bench=$4
cache=${A83_GUEST_CACHE:-$src/guest-cache}
A83_GUEST_CACHE=$cache sh "$src/scripts/fetch-xen-domu.sh" --bench "$bench" >/dev/null 2>&1 ||
    { echo "cannot fetch the Xen guest and toolstack (scripts/fetch-xen-domu.sh): skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

run() {   # run N: console to $tmp/outN, exit trace to $tmp/runN.trace
    timeout 2400 "$emu" -M virt,virtualization=on,gic-version=3 -smp 2 -m 1G \
        -kernel "$cache/xen" \
        -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot" \
        -device guest-loader,addr=0x49000000,kernel="$cache/Image",bootargs="console=hvc0 earlycon=xen" \
        -device guest-loader,addr=0x50000000,initrd="$cache/xen-domu/initramfs-dom0.cpio.gz" \
        -nographic --max-insns 60000000000 --exit-trace "$tmp/run$1.trace" \
        >"$tmp/out$1" 2>"$tmp/err$1" </dev/null
    echo $? >"$tmp/rc$1"
}
want() {   # want FILE STRING: a line of FILE has STRING (fixed string)
    grep -qF -- "$2" "$tmp/$1" || { echo "FAIL: no '$2' in $1"; fails=$((fails + 1)); }
}
wantre() {   # wantre FILE REGEX
    grep -qE -- "$2" "$tmp/$1" || { echo "FAIL: no line matching '$2' in $1"; fails=$((fails + 1)); }
}

run 1
# dom0's console is a tty (hvc0): its lines end in CR LF
tr -d '\r' <"$tmp/out1" >"$tmp/con1"
want out1 "A83-dom0: userspace up"
want out1 "A83-dom0: xl create /domu/domu.cfg"
want out1 "A83-domU: userspace up"
want out1 "A83-domU: xvda sector 0: A83 disk from dom0"
want out1 "A83-domU: ping ok"
want out1 "A83-domU: done"
want out1 "A83-dom0: disk sector 1: A83 disk from domU"
want out1 "A83-dom0: domU status 0"
want out1 "A83-dom0: xl list: domu 1"
want out1 "A83-dom0: xl list: xenbench 2"
want out1 "A83-dom0: done"
want out1 "(XEN) Hardware Dom0 halted: halting machine"
for line in overhead hvc xen_version evtchn_send mmio_vuart mmio_vgic sgi_self_send eoi ipi_send \
            ipi_latency evtchn_ipi_send evtchn_ipi_latency vtimer_latency; do
    wantre con1 "^exitbench: $line n=[0-9]+ ticks=-?[0-9]+ mean_ticks=-?[0-9]+\.[0-9]{3}( .*)? cntfrq=62500000$"
done
want out1 "exitbench: done status=0"
if grep -q "failed\|exitbench: FAIL\|Aborted" "$tmp/out1"; then
    echo "FAIL: an error in the output:"; grep "failed\|exitbench: FAIL\|Aborted" "$tmp/out1"
    fails=$((fails + 1))
fi
rc=$(cat "$tmp/rc1")
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc, want 0 ($(cat "$tmp/err1"))"; fails=$((fails + 1)); }

# the exit trace per domain (docs/xen.md, "The trace per domain")
"$tracer" "$tmp/run1.trace" --xen --top 0 >"$tmp/summary" 2>&1 ||
    { echo "FAIL: arm83emu-trace --xen failed"; fails=$((fails + 1)); }
for dom in dom0 d1 d2 Xen; do
    wantre summary "^ +[1-9][0-9]* .*  $dom\$"
done
wantre summary "^ +[1-9][0-9]* .*  dom0  HVC xen:grant_table_op copy \(20\)$"
wantre summary "^ +[1-9][0-9]* .*  dom0  HVC xen:event_channel_op send \(32\)$"
wantre summary "^ +[1-9][0-9]* .*  d1    HVC xen:event_channel_op send \(32\)$"
wantre summary "^ +[1-9][0-9]* .*  d1    HVC xen:sched_op yield \(29\)$"
# the benchmark domain: each measured operation's exits, warm-up included
wantre summary "^ +4160 .*  d2    HVC xen:xen_version version \(17\)$"
# event_channel_op send: 4160 on the unbound port, 320 on the IPI channel
wantre summary "^ +4480 .*  d2    HVC xen:event_channel_op send \(32\)$"
wantre summary "^ +1 .*  d2    HVC xen:event_channel_op bind_ipi \(32\)$"
wantre summary "^ +1 .*  d2    HVC xen:vcpu_op register_vcpu_info \(24\)$"
wantre summary "^ +1 .*  d2    HVC xen:memory_op add_to_physmap \(12\)$"
wantre summary "^ +4160 .*  d2    HVC #0x0 SMCCC_VERSION$"
wantre summary "^ +1088 .*  d2    DABT vGICD\+0x8 R4$"
wantre summary "^ +1 .*  d2    HVC #0x0 PSCI_SYSTEM_OFF$"
# the Linux domU's exits that waited while dom0 ran on their CPU (5 columns:
# exits, other, mean, in dom0, mean)
wantre summary "^ +[1-9][0-9]* +[0-9]+ +[0-9]+ +[1-9][0-9]* +[0-9]+  d1    WFI$"
wantre summary "^ +[1-9][0-9]* +[0-9]+ +[0-9]+ +[1-9][0-9]* +[0-9]+  d1    HVC xen:event_channel_op send \(32\)$"
# I/O requests followed through dom0: requests, followed, mean, p50,
# to-dom0, dom0-seg, back, xen, dom0, waiting
wantre summary "^ +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[0-9]+  d1    HVC xen:event_channel_op send \(32\) -> dom0 -> d1$"
# (320 IPI-channel sends; one may be taken for a request to dom0 when a
# console upcall of dom0 comes first: docs/xen.md, the rule's limits)
wantre summary "^ +3[12][0-9] +3[12][0-9] +[1-9][0-9]* +[1-9][0-9]* +- +- +- +[1-9][0-9]* +0 +[0-9]+  d2    HVC xen:event_channel_op send \(32\) -> d2 \(same domain\)$"
sed -n '/^I\/O requests/,$p' "$tmp/summary" | awk '$1 ~ /^[0-9]+$/ && $2 > 0 {
        d = $3 - $8 - $9 - $10; if (d < 0) d = -d
        if (d > 3) { print "FAIL: xen + dom0 + waiting is not the mean: " $0; bad = 1 } }
    END { exit bad }' || fails=$((fails + 1))
if grep -qE "  d2    MSR ICC_EOIR1_EL1" "$tmp/summary"; then
    echo "FAIL: the EOI trapped (GICv3 list registers: it must not)"; fails=$((fails + 1))
fi
if grep -qE "^ +[0-9]+ .*  d[3-9]" "$tmp/summary"; then
    echo "FAIL: a domain other than dom0, d1, d2"; fails=$((fails + 1))
fi

# determinism: a second run gives the same bytes
run 2
cmp -s "$tmp/out1" "$tmp/out2" || { echo "FAIL: the console output differs between runs"; fails=$((fails + 1)); }
cmp -s "$tmp/run1.trace" "$tmp/run2.trace" || { echo "FAIL: the exit trace differs between runs"; fails=$((fails + 1)); }
[ "$(cat "$tmp/rc2")" -eq 0 ] || { echo "FAIL: second run exit status $(cat "$tmp/rc2")"; fails=$((fails + 1)); }
if [ $fails -ne 0 ]; then
    tail -n 60 "$tmp/out1"
    exit 1
fi
echo ok
