#!/bin/sh
# Snapshots of bare-metal guests (docs/snapshots.md), the fast test:
#  1. restore = never stopped: for several N (inside scheduling rounds, on
#     2 and 4 CPUs, at EL2 with exits and timer interrupts), the run that
#     saves at N and goes on prints the same console bytes and digests as
#     the run without the option; the run restored from the file prints
#     exactly the console bytes after N and the same final --digest, and its
#     exit trace (arm83emu-trace --jsonl) is the reference trace's records
#     from its first sequence number on.
#  2. refused files, each with its error and exit status 2 (machine
#     unchanged is checked by the unit test test_snapshot): truncated, a
#     flipped payload byte (checksum), another -smp / -m (configuration), a
#     changed version tag, another format version, not a snapshot.
#  3. virtio-blk (tests/cli/virtio_blk_guest.c) with snapshot=on: the
#     overlay the guest wrote is in the snapshot; the image must be the one
#     saved (a changed byte: refused).
# usage: bare.sh EMULATOR TRACE_TOOL GUEST_BUILD_DIR VIRTIO_BLK_GUEST
emu=$1 trace=$2 guests=$3 vblk=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

digest() { grep 'digest' "$1"; }

# same_after NAME ARGS -- N...: reference, save-and-go-on and restored runs
check_guest() {
    name=$1 elf=$2 args=$3
    shift 3
    # shellcheck disable=SC2086
    "$emu" $args -kernel "$elf" --digest --exit-trace "$tmp/ref.trc" >"$tmp/ref.out" 2>"$tmp/ref.err"
    rc_ref=$?
    "$trace" "$tmp/ref.trc" --jsonl "$tmp/ref.jsonl" --quiet || fail "$name: trace tool on the reference"
    for n in "$@"; do
        # shellcheck disable=SC2086
        "$emu" $args -kernel "$elf" --digest --snapshot-save "$tmp/s.snap" --snapshot-at-insns "$n" \
            >"$tmp/save.out" 2>"$tmp/save.err"
        rc=$?
        [ $rc = $rc_ref ] || fail "$name N=$n: saving run exit status $rc, reference $rc_ref"
        cmp -s "$tmp/ref.out" "$tmp/save.out" || fail "$name N=$n: the saving run's console differs"
        [ "$(digest "$tmp/save.err")" = "$(digest "$tmp/ref.err")" ] ||
            fail "$name N=$n: the saving run's digest differs: $(cat "$tmp/save.err")"
        # shellcheck disable=SC2086
        "$emu" $args --snapshot-load "$tmp/s.snap" --digest --exit-trace "$tmp/load.trc" \
            >"$tmp/load.out" 2>"$tmp/load.err"
        rc=$?
        [ $rc = $rc_ref ] || fail "$name N=$n: restored run exit status $rc, reference $rc_ref: $(cat "$tmp/load.err")"
        [ "$(digest "$tmp/load.err")" = "$(digest "$tmp/ref.err")" ] ||
            fail "$name N=$n: the restored run's digest differs: $(cat "$tmp/load.err") vs $(cat "$tmp/ref.err")"
        python3 - "$tmp/ref.out" "$tmp/load.out" <<'PY' || fail "$name N=$n: restored console is not the reference's tail"
import sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
sys.exit(0 if a.endswith(b) else 1)
PY
        "$trace" "$tmp/load.trc" --jsonl "$tmp/load.jsonl" --quiet || fail "$name N=$n: trace tool"
        python3 - "$tmp/ref.jsonl" "$tmp/load.jsonl" <<'PY' || fail "$name N=$n: exit trace after N differs"
import json, sys
ref = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
first = got[0]['seq'] if got else None
tail = [r for r in ref if first is not None and r['seq'] >= first]
sys.exit(0 if tail == got and (got or not ref) else 1)
PY
        echo "ok   $name: snapshot at $n instructions"
    done
}

# EL2 on 2 CPUs: virtual timer interrupts through the GIC list registers,
# WFI exits, both CPUs (about 12 M instructions).
check_guest vtimer/latency "$guests/vtimer/latency.elf" "-M virt,virtualization=on -smp 2" \
    1 777 123457 5000001 11000000
# 4 CPUs woken by PSCI CPU_ON, SGIs (about 5600 instructions): N inside rounds.
check_guest platform/smp "$guests/platform/smp.elf" "-M virt -smp 4" 100 2000 4900 5300

# The ITS and LPIs (about 75,000 instructions): N after the tables are set
# up, between commands, and after a stalled queue.
check_guest gic/its "$guests/gic/its.elf" "-M virt -smp 2" 30000 50000 70000

# virtio-blk, snapshot=on: N before and after the guest's write of sector 2
dd if=/dev/zero of="$tmp/d.img" bs=512 count=2048 2>/dev/null
printf 'ARM83EMU virtio-blk test disk, sector 0' | dd of="$tmp/d.img" conv=notrunc 2>/dev/null
drive="-M virt -drive file=$tmp/d.img,if=none,id=d0,format=raw,snapshot=on -device virtio-blk-device,drive=d0,serial=disk-0"
check_guest virtio-blk "$vblk" "$drive" 20000 30000 36000
printf 'X' | dd of="$tmp/d.img" bs=1 seek=100 conv=notrunc 2>/dev/null
# shellcheck disable=SC2086
"$emu" $drive --snapshot-load "$tmp/s.snap" >"$tmp/r.out" 2>"$tmp/r.err"
[ $? = 2 ] && grep -q "the image is not the one saved" "$tmp/r.err" ||
    fail "virtio-blk: a changed image was not refused: $(cat "$tmp/r.err")"

# ---- refused files ---------------------------------------------------------
elf=$guests/platform/smp.elf
"$emu" -M virt -smp 4 -kernel "$elf" --snapshot-save "$tmp/good.snap" --snapshot-at-insns 2000 \
    >/dev/null 2>&1 || fail "saving the good snapshot"
size=$(wc -c <"$tmp/good.snap")
# refused FILE WHAT PATTERN [ARGS]: status 2 and PATTERN in the message
refused() {
    f=$1 what=$2 pat=$3
    shift 3
    "$emu" ${*:--M virt -smp 4} --snapshot-load "$f" >"$tmp/r.out" 2>"$tmp/r.err"
    rc=$?
    [ $rc = 2 ] || fail "$what: exit status $rc, want 2"
    grep -q -- "$pat" "$tmp/r.err" || fail "$what: no '$pat' in: $(cat "$tmp/r.err")"
    [ -s "$tmp/r.out" ] && fail "$what: the guest ran"
    echo "ok   refused: $what"
}
# patch FILE OFFSET HEXBYTES: overwrite bytes in place
patch() {
    printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
head -c $((size - 7)) "$tmp/good.snap" >"$tmp/trunc.snap"
refused "$tmp/trunc.snap" "truncated file" "truncated"
head -c 50 "$tmp/good.snap" >"$tmp/trunc2.snap"
refused "$tmp/trunc2.snap" "truncated header" "truncated"
cp "$tmp/good.snap" "$tmp/flip.snap"
# a byte inside the zstd frame (after the 96-byte header)
off=$((96 + (size - 96) / 2))
orig=$(od -An -tu1 -j "$off" -N1 "$tmp/good.snap" | tr -d ' ')
patch "$tmp/flip.snap" "$off" "$(printf '\\%03o' $(((orig ^ 0x20) & 255)))"
refused "$tmp/flip.snap" "flipped payload byte" "corrupt\|checksum"
cp "$tmp/good.snap" "$tmp/sum.snap"
patch "$tmp/sum.snap" 80 '\377\377'
refused "$tmp/sum.snap" "flipped checksum byte" "bad checksum"
refused "$tmp/good.snap" "another -smp" "another machine configuration" -M virt -smp 2
refused "$tmp/good.snap" "another -m" "another machine configuration" -M virt -smp 4 -m 256M
refused "$tmp/good.snap" "another -cpu" "another machine configuration" -M virt -smp 4 -cpu v8.3,pauth=off
# Another cost profile is allowed (branching experiments from one boot): the
# restored run follows the new costs (more cycles with dearer loads and stores);
# another TLB geometry is refused (the saved TLB contents need it).
printf '[instructions]\nload = 50\nstore = 50\n' >"$tmp/dear.ini"
"$emu" -M virt -smp 4 --snapshot-load "$tmp/good.snap" --stats >"$tmp/c0.out" 2>"$tmp/c0.err" ||
    fail "restoring with the saving profile: $(cat "$tmp/c0.err")"
"$emu" -M virt -smp 4 --timing "$tmp/dear.ini" --snapshot-load "$tmp/good.snap" --stats \
    >"$tmp/c1.out" 2>"$tmp/c1.err" || fail "another cost profile refused: $(cat "$tmp/c1.err")"
cmp -s "$tmp/c0.out" "$tmp/c1.out" || fail "another cost profile changed the console"
c0=$(sed -n 's/.*cpu0: [0-9]* instructions, \([0-9]*\) cycles.*/\1/p' "$tmp/c0.err")
c1=$(sed -n 's/.*cpu0: [0-9]* instructions, \([0-9]*\) cycles.*/\1/p' "$tmp/c1.err")
[ -n "$c0" ] && [ -n "$c1" ] && [ "$c1" -gt "$c0" ] ||
    fail "dearer loads and stores after the load did not cost more cycles ($c0 vs $c1)"
echo "ok   another cost profile: cpu0 $c0 -> $c1 cycles"
printf '[tlb]\nl2_entries = 512\n' >"$tmp/tlb.ini"
refused "$tmp/good.snap" "another TLB geometry" "another TLB or cache model" -M virt -smp 4 --timing "$tmp/tlb.ini"
cp "$tmp/good.snap" "$tmp/ver.snap"
patch "$tmp/ver.snap" 16 '9'
refused "$tmp/ver.snap" "another version tag" "written by arm83emu 9"
cp "$tmp/good.snap" "$tmp/fmt.snap"
patch "$tmp/fmt.snap" 8 '\002'
refused "$tmp/fmt.snap" "another format version" "format version 2"
refused "$elf" "not a snapshot" "bad magic"
: >"$tmp/empty.snap"
refused "$tmp/empty.snap" "empty file" "truncated"
# the option pair and its checks
"$emu" -M virt -kernel "$elf" --snapshot-save "$tmp/x.snap" >/dev/null 2>"$tmp/e" &&
    fail "--snapshot-save without --snapshot-at-insns accepted"
"$emu" -M virt -smp 4 -kernel "$elf" --snapshot-save "$tmp/late.snap" --snapshot-at-insns 99999999 \
    >/dev/null 2>"$tmp/e"
[ $? = 1 ] && grep -q "the run ended first" "$tmp/e" || fail "a snapshot point after the end: $(cat "$tmp/e")"
[ -e "$tmp/late.snap" ] && fail "a snapshot was written although the point was not reached"
[ $fails = 0 ] || exit 1
echo "ok   all snapshot checks"
