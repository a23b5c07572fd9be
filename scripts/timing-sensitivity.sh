#!/bin/sh
# Which costs of the timing profile make up each exit of the exit
# microbenchmark (guest/exitbench run by QEMU/KVM inside Debian's Linux at EL2,
# as `make demo` runs it), in VHE and in nVHE mode: runs the benchmark once
# with the profile as given and once per parameter with that parameter raised
# by DELTA, and prints, per exit kind, the change of the guest-measured mean
# round trip per cycle of the parameter: how many events of that class one
# exit contains (sysreg accesses, exception entries, loads, ...).
# docs/timing.md "Calibration against hardware" explains what the table shows.
#
# usage: scripts/timing-sensitivity.sh [BUILD_DIR] [PROFILE.ini]
#   A83_SENS_PARAMS  "section:key:delta ..." to measure (default: the classes
#                    that differ between VHE and nVHE paths, see below)
#   A83_SENS_JOBS    runs at a time (default 2)
# 2 x (1 + number of parameters) boots of the KVM host: about 20 minutes on
# 2 cores for the default list.
set -eu
BUILD=${1:-build}
BASE_PROFILE=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
EMU="$BUILD/arm83emu"
ELF="$BUILD/tests/kvm/exitbench.elf"
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
PARAMS=${A83_SENS_PARAMS:-"instructions:sys:10 sysregs:other:10 sysregs:gic:10 sysregs:timer:10 \
instructions:barrier:20 exceptions:entry:40 exceptions:return:30 instructions:load:4 \
instructions:int:1 memory:walk_fetch:20 memory:mmio_access:50"}
JOBS=${A83_SENS_JOBS:-2}
for f in "$EMU" "$ELF"; do
    [ -e "$f" ] || { echo "timing-sensitivity: $f not found: build first (make build)" >&2; exit 2; }
done
if [ -n "$BASE_PROFILE" ] && [ ! -r "$BASE_PROFILE" ]; then
    echo "timing-sensitivity: $BASE_PROFILE: cannot read" >&2
    exit 2
fi
A83_GUEST_CACHE="$CACHE" sh "$top/scripts/fetch-kvm.sh" "$ELF" >/dev/null || {
    echo "timing-sensitivity: the KVM guest could not be fetched (scripts/fetch-kvm.sh)" >&2
    exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The current value of each parameter: the profile's, else the default
# (arm83emu --dump-timing writes the profile in effect, every key).
timing_opt=""
[ -n "$BASE_PROFILE" ] && timing_opt="--timing $BASE_PROFILE"
# shellcheck disable=SC2086
"$EMU" $timing_opt --dump-timing "$tmp/base.ini"

# run NAME MODE PROFILE: one boot, the guest's exitbench lines to $tmp/NAME-MODE
run() {
    append="console=ttyAMA0"
    [ "$2" = nvhe ] && append="$append kvm-arm.mode=nvhe"
    "$EMU" -M virt,virtualization=on -smp 2 -m 1G -kernel "$CACHE/Image" \
        -initrd "$CACHE/initramfs-kvm.cpio.gz" -append "$append" -nographic \
        --max-insns 12000000000 --timing "$3" </dev/null 2>&1 | tr -d '\r' |
        grep "^exitbench:" >"$tmp/$1-$2" || true
    grep -q "exitbench: done status=0" "$tmp/$1-$2" || {
        echo "timing-sensitivity: run $1 ($2) failed" >&2
        return 1
    }
}

# one profile per parameter: the base profile with that key raised
names="base"
cp "$tmp/base.ini" "$tmp/p-base.ini"
for p in $PARAMS; do
    sec=${p%%:*} rest=${p#*:}
    key=${rest%%:*} delta=${rest#*:}
    name="$sec.$key"
    names="$names $name"
    python3 - "$tmp/base.ini" "$sec" "$key" "$delta" >"$tmp/p-$name.ini" <<'EOF'
import configparser, sys
c = configparser.ConfigParser(interpolation=None)
c.optionxform = str
c.read(sys.argv[1])
sec, key, delta = sys.argv[2], sys.argv[3], int(sys.argv[4])
if not c.has_option(sec, key):
    sys.exit(f"timing-sensitivity: no [{sec}] {key} in the profile")
c.set(sec, key, str(int(c.get(sec, key)) + delta))
c.write(sys.stdout)
EOF
    echo "$name $delta" >>"$tmp/deltas"
done

# all runs, JOBS at a time
n=0
for name in $names; do
    for mode in vhe nvhe; do
        run "$name" "$mode" "$tmp/p-$name.ini" &
        n=$((n + 1))
        if [ $((n % JOBS)) -eq 0 ]; then wait; fi
    done
done
wait

python3 - "$tmp" <<'EOF'
import re, sys, os
tmp = sys.argv[1]
def load(path):
    d = {}
    for line in open(path):
        m = re.match(r"exitbench: (\w+) .*?mean_ticks=([\d.]+).*cntfrq=(\d+)", line)
        if m:
            d[m.group(1)] = float(m.group(2)) * 1e9 / float(m.group(3))   # CPU cycles at 1 GHz
    return d
kinds = ["hvc", "mmio_user", "mmio_vgic", "ipi_send", "ipi_latency"]
deltas = [l.split() for l in open(os.path.join(tmp, "deltas"))]
base = {m: load(os.path.join(tmp, f"base-{m}")) for m in ("vhe", "nvhe")}
print("Round trip (guest-measured mean, cycles) with the profile as given:")
print(f"{'exit':<12} {'VHE':>9} {'nVHE':>9} {'nVHE/VHE':>9}")
for k in kinds:
    v, n = base["vhe"].get(k), base["nvhe"].get(k)
    if v and n:
        print(f"{k:<12} {v:9.0f} {n:9.0f} {n / v:9.2f}")
print()
print("Events per exit: change of the round trip per cycle added to the parameter")
print("(VHE / nVHE; the largest nVHE/VHE quotient of a column bounds the ratio any")
print("value of that parameter alone can reach):")
print(f"{'parameter':<24}" + "".join(f"{k:>20}" for k in kinds))
for name, delta in deltas:
    row = f"{name:<24}"
    for k in kinds:
        cells = []
        for m in ("vhe", "nvhe"):
            s = load(os.path.join(tmp, f"{name}-{m}"))
            cells.append((s.get(k, 0) - base[m].get(k, 0)) / int(delta))
        row += f"{cells[0]:>9.1f} /{cells[1]:>8.1f}"
    print(row)
EOF
