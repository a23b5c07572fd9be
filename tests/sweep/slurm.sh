#!/bin/sh
# slurm.sh SWEEP EMU TRACE ELF SRC (label slow): a single-node Slurm cluster on
# the loopback interface (Debian's munge, slurmctld, slurmd; configuration
# generated into a temporary directory; daemons started and stopped here),
# `arm83emu-sweep slurm --submit` of the tests' sweep as a job array, and its
# merged table compared with a local run of the same sweep: identical rows.
# Then the same for one short Linux boot (Debian's kernel at EL2, nVHE KVM,
# a83.script=boot; the guest of scripts/fetch-guest.sh in A83_GUEST_CACHE or
# SRC/guest-cache), the cluster's run first and the local one after it (one
# Linux boot at a time).
# Every wait is bounded. Needs root (the daemons) and the packages of
# `scripts/install-deps.sh --slurm`; without them the test FAILS, saying so.
set -eu
fail() { echo "FAIL: $*"; exit 1; }
sweep=$1 emu=$(realpath "$2") tool=$3 elf=$4 top=$5
src=$(cd "$(dirname "$0")" && pwd)
cache=${A83_GUEST_CACHE:-$top/guest-cache}
[ -s "$cache/Image" ] && [ -s "$cache/initramfs.cpio.gz" ] ||
    fail "no Linux guest in $cache: run scripts/fetch-guest.sh (or set A83_GUEST_CACHE)"
for b in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$b" >/dev/null 2>&1 ||
        fail "$b not found: install Slurm with 'sudo scripts/install-deps.sh --slurm' (Debian: munge slurmctld slurmd slurm-client)"
done
[ "$(id -u)" = 0 ] || fail "the single-node Slurm of this test needs root (its daemons run as root)"
d=$(mktemp -d /tmp/a83-slurm.XXXXXX)
chmod 700 "$d"
dpids=""
cleanup() {
    for p in $dpids; do kill "$p" 2>/dev/null || true; done
    for p in $dpids; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
    rm -rf "$d"
}
trap cleanup EXIT
dump() { for f in "$d"/*.log; do echo "== $f"; tail -20 "$f"; done; }

# munge: a fresh key, its own socket.
mkdir -p "$d/munge" "$d/state" "$d/spool"
dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$d/munge/munge.key"
munged --force --foreground --key-file="$d/munge/munge.key" --socket="$d/munge/munge.sock" \
    --pid-file="$d/munge/munged.pid" --log-file="$d/munged.log" --seed-file="$d/munge/seed" >>"$d/munged.log" 2>&1 &
dpids="$dpids $!"
for _ in $(seq 1 100); do [ -S "$d/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$d/munge/munge.sock" ] || { dump; fail "munged did not start"; }

# Two free TCP ports on 127.0.0.1.
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
set -- $ports
cat >"$d/slurm.conf" <<CONF
ClusterName=a83test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=a83node NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=512 State=UNKNOWN
PartitionName=a83 Nodes=a83node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$d/slurm.conf"
slurmctld -D -i -f "$d/slurm.conf" >>"$d/slurmctld.log" 2>&1 &
dpids="$dpids $!"
slurmd -D -N a83node -f "$d/slurm.conf" >>"$d/slurmd.log" 2>&1 &
dpids="$dpids $!"
state=""
for _ in $(seq 1 300); do   # at most 30 s
    state=$(sinfo -h -N -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.1
done
[ "$state" = idle ] || { dump; fail "the Slurm node did not become idle (state '$state')"; }

# The sweep, submitted; and the same sweep run locally.
"$src/make_sweep.sh" "$d/s" "$elf" "$emu"
ini=$d/s/small.ini
"$sweep" slurm "$ini" --out "$d/cluster" --submit >"$d/submit.out" 2>&1 || { cat "$d/submit.out"; dump; fail "submit"; }
job=$(tail -1 "$d/submit.out")
case $job in ''|*[!0-9]*) cat "$d/submit.out"; fail "no job id from sbatch";; esac
"$sweep" run "$ini" --out "$d/local" -j 2 2>/dev/null || fail "local run"
left=1
for _ in $(seq 1 1200); do  # at most 120 s
    left=$(squeue -h -j "$job" 2>/dev/null | wc -l)
    [ "$left" = 0 ] && break
    sleep 0.1
done
[ "$left" = 0 ] || { squeue; dump; fail "job $job still queued or running after 120 s"; }
"$sweep" status "$ini" --out "$d/cluster" >"$d/status" || { cat "$d/status" "$d/cluster/slurm/"*.out; dump; fail "status of the cluster sweep"; }
grep -q "9 runs: 9 ok" "$d/status" || fail "status: $(cat "$d/status")"
[ "$(ls "$d/cluster/slurm/" | grep -c "^${job}_[0-9]*\.out$")" = 9 ] || fail "not 9 array task logs"
"$sweep" collect "$ini" --out "$d/cluster" 2>/dev/null || fail "collect (cluster)"
"$sweep" collect "$ini" --out "$d/local" 2>/dev/null || fail "collect (local)"
diff -u "$d/local/results.csv" "$d/cluster/results.csv" || fail "cluster and local tables differ"
cmp "$d/local/results.jsonl" "$d/cluster/results.jsonl" || fail "cluster and local JSONL differ"
[ "$(grep -c '^run,' "$d/cluster/results.csv")" = 9 ] || fail "not 9 runs in the table"

# One short Linux boot, on the cluster and then locally.
mkdir -p "$d/linux"
cat >"$d/linux/linux.ini" <<INI
[sweep]
name = linux
command = -M virt,virtualization=on -smp 1 -m 256M -kernel {kernel} -initrd {initrd}
    -append "console=ttyAMA0 a83.script=boot kvm-arm.mode={mode}" -nographic --max-insns 12000000000
collect = digest, stats, exits
[images]
kernel = $cache/Image
initrd = $cache/initramfs.cpio.gz
[grid]
mode = nvhe
INI
ini=$d/linux/linux.ini
"$sweep" slurm "$ini" --out "$d/lcluster" --submit >"$d/lsubmit.out" 2>&1 || { cat "$d/lsubmit.out"; dump; fail "submit (Linux)"; }
job=$(tail -1 "$d/lsubmit.out")
case $job in ''|*[!0-9]*) cat "$d/lsubmit.out"; fail "no job id from sbatch (Linux)";; esac
left=1
for _ in $(seq 1 1800); do  # at most 900 s
    left=$(squeue -h -j "$job" 2>/dev/null | wc -l)
    [ "$left" = 0 ] && break
    sleep 0.5
done
[ "$left" = 0 ] || { squeue; dump; fail "Linux job $job still queued or running after 900 s"; }
"$sweep" run "$ini" --out "$d/llocal" -j 1 2>/dev/null || fail "local Linux run"
"$sweep" collect "$ini" --out "$d/lcluster" 2>/dev/null || { cat "$d/lcluster/slurm/"*.out; fail "collect (Linux, cluster)"; }
"$sweep" collect "$ini" --out "$d/llocal" 2>/dev/null || fail "collect (Linux, local)"
diff -u "$d/llocal/results.csv" "$d/lcluster/results.csv" || fail "Linux: cluster and local tables differ"
grep -q '^run,.*,nvhe,ok,0,' "$d/lcluster/results.csv" || fail "Linux run not ok: $(head -3 "$d/lcluster/results.csv")"
grep -q '^cause,' "$d/lcluster/results.csv" || fail "Linux run without exits"
echo ok
