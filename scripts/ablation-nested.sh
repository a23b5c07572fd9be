#!/bin/sh
# The feature ablation of the real nested stack (docs/el2.md, "Ablation"):
# runs L0 (Linux 7.x, kvm-arm.mode=nested) -> QEMU/KVM -> L1 at vEL2 -> QEMU/KVM
# -> the exit microbenchmark at L2 once per CPU model, one run after the other
# (never two at once: each is several G instructions), and prints one table
# row per model: L0 exits and cycles per L2 hypercall, vGIC MMIO read and IPI
# send (arm83emu-trace --by-l2-exit), the benchmark's own means one level and
# two levels down, and what is in the hypercall's tree of L0 exits.
#
# The images are fetch-nested.sh --bench-only's: L0 runs the benchmark as L1,
# then L1's Linux, which runs the benchmark as L2 and no L2 Linux (the
# per-operation rows do not need it; a full run is ~4x the instructions).
#
# usage: scripts/ablation-nested.sh [--rows-only] [BUILD [MODEL...]]
#   --rows-only  no runs: the rows again from the files a run left
#   BUILD  the build directory (default build)
#   MODEL  CPU[+RUN]: the -cpu model, and optionally what L0 runs (a83.run=RUN
#          on its command line, guest/nested/init-hv), e.g. max+bench,vmm-e2h0:
#          L1 started by the project's VMM (guest/vmm) as a non-VHE guest
#          hypervisor (KVM_ARM_VCPU_HAS_EL2_E2H0). Default: the rows of
#          docs/el2.md: max; max,F=off for F in ecv evt s2fwb hcx ttl fgt; L1
#          under a83vmm, VHE and non-VHE; max,nv2=off (L0's KVM refuses nested).
#          ~5 min each here, ~50 min in all.
# Leaves BUILD/ablation/<model>.{console,trace.zst,l2.csv,summary,window,row};
# the rows are also printed at the end. Each row has two counts of L0 exits per
# L2 hypercall: the L2-exit tree's (arm83emu-trace --by-l2-exit) and the
# window's (scripts/nested-window.py: all guest exits until the same L2 context
# exits again, median), which is the right one for a non-VHE guest hypervisor
# (L0 runs L1's kernel at vEL1 like a nested guest: its tree rule stops early). A run whose L0 KVM does not reach L2 (a
# switch that makes KVM refuse nested) gives a row with the console's KVM lines.
# Exit status: 0 when every run finished (emulator status 0), else 1.
set -eu
rows_only=0
[ "${1:-}" = --rows-only ] && { rows_only=1; shift; }
BUILD=${1:-build}
[ $# -gt 0 ] && shift
models=${*:-"max max,ecv=off max,evt=off max,s2fwb=off max,hcx=off max,ttl=off max,fgt=off max+bench,vmm max+bench,vmm-e2h0 max,nv2=off"}
EMU="$BUILD/arm83emu"
TRACER="$BUILD/arm83emu-trace"
ELF="$BUILD/tests/kvm/exitbench.elf"
VMM="$BUILD/tests/nested-linux/a83vmm"
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${A83_GUEST_CACHE:-$top/guest-cache}
for t in "$EMU" "$TRACER" "$ELF" "$VMM"; do
    [ -e "$t" ] || { echo "ablation-nested: $t not found: build first (make build)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "ablation-nested: python3 is missing" >&2; exit 2; }
[ $rows_only = 1 ] || A83_GUEST_CACHE=$CACHE sh "$top/scripts/fetch-nested.sh" --bench "$ELF" --bench-only --vmm "$VMM"
n=$CACHE/nested
out=$BUILD/ablation
mkdir -p "$out"
status=0
for model in $models; do
    name=$(echo "$model" | sed 's/,/_/g; s/=/-/g; s/+/./g')
    cpu=${model%%+*}
    append="console=ttyAMA0 kvm-arm.mode=nested"
    case "$model" in *+*) append="$append a83.run=${model#*+}" ;; esac
    if [ $rows_only = 0 ]; then
        echo "== -cpu $cpu, -append \"$append\" ($(date -u +%H:%M:%S) UTC)"
        t0=$(date +%s)
        rc=0
        # ~9 G instructions; the bound only stops a broken run
        "$EMU" -M virt,virtualization=on -cpu "$cpu" -smp 2 -m 3G -kernel "$n/Image" \
            -initrd "$n/initramfs-l0-benchonly.cpio" -append "$append" \
            -nographic --max-insns 60000000000 --stats --exit-trace "$out/$name.trace.zst" \
            </dev/null >"$out/$name.console" 2>&1 || rc=$?
        echo "status $rc, $(($(date +%s) - t0)) s wall" >"$out/$name.status"
    fi
    [ -s "$out/$name.trace.zst" ] || { echo "ablation-nested: $out/$name.trace.zst missing" >&2; status=1; continue; }
    grep -q "^status 0" "$out/$name.status" || status=1
    "$TRACER" "$out/$name.trace.zst" --by-l2-exit --l2-csv "$out/$name.l2.csv" --csv "$out/$name.exits.csv" \
        >"$out/$name.summary" 2>&1 || echo "ablation-nested: arm83emu-trace failed on $name" >&2
    python3 "$top/scripts/nested-window.py" "$out/$name.exits.csv" SMCCC_VERSION "GICD+0x8 R4" ICC_SGI1R_EL1 \
        >"$out/$name.window" 2>&1 || true
    rm -f "$out/$name.exits.csv"
    python3 - "$model" "$out/$name.console" "$out/$name.l2.csv" "$out/$name.summary" "$out/$name.status" \
        "$out/$name.window" >"$out/$name.row" <<'EOF'
import csv, re, sys
cpu, console, l2csv, summary, status, window = sys.argv[1:7]
run_status = open(status).read().strip()
win = {}
for line in open(window, errors="replace"):
    m = re.match(r"(.*?): \d+ windows, median (\d+), mean ([0-9.]+)", line)
    if m:
        win[m.group(1)] = "%s (%s)" % (m.group(2), m.group(3))
text = open(console, errors="replace").read()
# guest means: the first hvc line is one level (L0's guest), the second nested (L1's guest)
hz = 1e9
m = re.search(r"at (\d+) Hz", open(summary, errors="replace").read())
if m:
    hz = float(m.group(1))
def means(op):
    out = []
    for mm in re.finditer(r"^exitbench: %s n=\d+ .*?mean_ticks=([0-9.]+).*?cntfrq=(\d+)" % op, text, re.M):
        out.append(float(mm.group(1)) * hz / float(mm.group(2)))
    return out
hvc = means("hvc")
rows, inner = {}, {}
try:
    for r in csv.DictReader(open(l2csv)):
        if r["inner_cause"] == "":
            rows[r["l2_cause"]] = r
        else:
            inner.setdefault(r["l2_cause"], []).append(r)
except (OSError, KeyError):
    pass
def find(sub):
    for k in rows:
        if sub in k:
            return k
    return None
hk, gk, ik = find("SMCCC_VERSION"), find("GICD+0x8 R4"), find("ICC_SGI1R_EL1")
def per(k):
    return "%.2f" % float(rows[k]["l0_exits_per_l2_exit"]) if k else "-"
if hk:
    tree = "; ".join("%s %.2f" % (r["inner_cause"], float(r["inner_per_l2_exit"]))
                     for r in inner.get(hk, [])[:7])
    cyc = "%.0f" % float(rows[hk]["cycles_per_l2_exit"])
else:
    tree, cyc = "no L2 hypercall in the trace", "-"
g2 = "%.0f" % hvc[1] if len(hvc) > 1 else "-"
g1 = "%.0f" % hvc[0] if hvc else "-"
ratio = "%.1fx" % (hvc[1] / hvc[0]) if len(hvc) > 1 and hvc[0] else "-"
kvm = [l.strip() for l in text.splitlines()
       if re.search(r"kvm \[1\]: .*(mode initialized|nested|NV|disabl|not supported)|A83-L[01]: (FAIL|L. \(.*\) exited)|a83vmm: ", l)]
print("| `%s` | %s | %s | %s / %s | %s | %s | %s / %s | %s / %s | %s |" % (
    cpu, per(hk), win.get("SMCCC_VERSION", "-"), cyc, g2, g1, ratio, per(gk), per(ik),
    win.get("GICD+0x8 R4", "-"), win.get("ICC_SGI1R_EL1", "-"), tree))
print("    %s; KVM and level lines: %s" % (run_status, " | ".join(kvm[:8])))
EOF
    cat "$out/$name.row"
done
echo
echo "== rows (| model | L0 exits per L2 hypercall: tree | window median (mean) | cycles per L2 hypercall trace / guest | one-level hypercall (guest) | nested / one level | L0 exits per L2 vGIC MMIO read / IPI send: tree | window | hypercall tree |)"
for model in $models; do
    name=$(echo "$model" | sed 's/,/_/g; s/=/-/g; s/+/./g')
    head -n 1 "$out/$name.row"
done
exit $status
