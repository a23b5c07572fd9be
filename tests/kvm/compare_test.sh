#!/bin/sh
# tests/kvm/compare.py on synthetic inputs of known content: a trace within
# 5% of the guest passes (0), one 6% off fails (1), bad input is a clear
# error (2). Guest ticks -> cycles: mean_ticks * HZ / cntfrq (here 16).
# usage: compare_test.sh SOURCE_DIR
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
expect() {   # expect RC DESCRIPTION ARGS...
    want=$1 what=$2
    shift 2
    python3 "$src/tests/kvm/compare.py" "$@" >"$tmp/o" 2>&1
    got=$?
    if [ $got -ne "$want" ]; then
        echo "FAIL: $what: exit status $got, want $want"; cat "$tmp/o"; fails=$((fails + 1))
    fi
}
cat >"$tmp/guest" <<'G'
exitbench: start cntfrq=62500000 midr=0x00000000000f0510
exitbench: hvc n=4096 ticks=819200 mean_ticks=200.000 cntfrq=62500000
exitbench: mmio_user n=1024 ticks=1024000 mean_ticks=1000.000 cntfrq=62500000
exitbench: mmio_vgic n=1024 ticks=307200 mean_ticks=300.000 cntfrq=62500000
exitbench: sgi_self_send n=256 ticks=102400 mean_ticks=400.000 min_ticks=400 max_ticks=400 cntfrq=62500000
exitbench: ipi_send n=256 ticks=76800 mean_ticks=300.000 min_ticks=300 max_ticks=300 cntfrq=62500000
G
# Guest in cycles: hvc 3200, mmio_user 16000, mmio_vgic 4800, SGI1R (400+300)/2*16 = 5600.
# Columns in another order and an extra per-part column: only level/cause/cycles count.
{
    echo 'cause,level,vmid,el2_cycles,cycles'
    echo '"HVC #0x0 SMCCC_VERSION",1,1,10,3100'
    echo '"HVC #0x0 SMCCC_VERSION",1,1,10,3300'
    echo '"HVC #0x0 SMCCC_VERSION",0,0,10,99999'       # level 0: not a guest exit
    echo '"DABT PL011+0x18 R4",1,1,10,16500'
    echo '"DABT GICD+0x8 R4",1,1,10,4700'
    echo '"MSR ICC_SGI1R_EL1",1,1,10,5500'
    echo '"MSR ICC_SGI1R_EL1",1,1,10,5800'
} >"$tmp/ok.csv"
expect 0 "all within 5%" "$tmp/guest" "$tmp/ok.csv" --cpu-hz 1000000000
sed 's/16500$/17000/' "$tmp/ok.csv" >"$tmp/off.csv"                 # mmio_user +6.25%
expect 1 "mmio_user 6% off" "$tmp/guest" "$tmp/off.csv" --cpu-hz 1000000000
echo 'exit trace x: 1 records (0.1 s at 1000000000 Hz); 0 host exceptions' >"$tmp/summary"
expect 0 "clock from the summary" "$tmp/guest" "$tmp/ok.csv" --summary "$tmp/summary"
expect 1 "clock 2x: all off" "$tmp/guest" "$tmp/ok.csv" --cpu-hz 2000000000
sed '1s/cycles$/cyc/' "$tmp/ok.csv" >"$tmp/nocol.csv"
expect 2 "no cycles column" "$tmp/guest" "$tmp/nocol.csv" --cpu-hz 1000000000
grep -v GICD "$tmp/ok.csv" >"$tmp/nocause.csv"
expect 2 "cause missing from the trace" "$tmp/guest" "$tmp/nocause.csv" --cpu-hz 1000000000
grep -v hvc "$tmp/guest" >"$tmp/noline"
expect 2 "measurement missing from the guest output" "$tmp/noline" "$tmp/ok.csv" --cpu-hz 1000000000
expect 2 "no clock" "$tmp/guest" "$tmp/ok.csv"
expect 2 "no such file" "$tmp/none" "$tmp/ok.csv" --cpu-hz 1000000000
sed 's/,1,1,10,3100/,1,1,10,abc/' "$tmp/ok.csv" >"$tmp/bad.csv"
expect 2 "garbage cycles" "$tmp/guest" "$tmp/bad.csv" --cpu-hz 1000000000
[ $fails = 0 ] && echo PASS
[ $fails = 0 ]
