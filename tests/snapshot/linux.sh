#!/bin/sh
# Snapshots of Linux runs (docs/snapshots.md): a run restored from a
# snapshot taken at N instructions prints the same console bytes after N,
# records the same exit trace after N (compared record by record with
# arm83emu-trace --jsonl from the restored file's first exit on) and ends
# with the same --digest (console and exit trace of the whole run) as the
# run that never stopped.
#   vhe  Debian's Linux at EL2 (VHE) on 2 CPUs to the check script and power
#        off (the boot of the fast suite, boot/linux-el2-vhe-smp2); N in the
#        middle of the boot. The reference is the saving run itself (it goes
#        on after saving; that this equals a run without the option is
#        checked on every bare-metal case of snapshot/bare and by `kvm`).
#   kvm  the KVM guest run of kvm/exitbench-vhe (QEMU/KVM inside that Linux);
#        three runs: without snapshot options, saving at N (late: inside the
#        KVM guest's run), restored. Slow.
# Skipped (77) without the guest cache.
# usage: linux.sh EMULATOR TRACE_TOOL SOURCE_DIR vhe|kvm
emu=$1 trace=$2 src=$3 case=$4
cache=${A83_GUEST_CACHE:-$src/guest-cache}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
case $case in
vhe) initrd=initramfs.cpio.gz ;;
kvm) initrd=initramfs-kvm.cpio.gz ;;
*) echo "usage: linux.sh EMU TRACE SRC vhe|kvm" >&2; exit 2 ;;
esac
if [ ! -s "$cache/Image" ] || [ ! -s "$cache/$initrd" ]; then
    echo "SKIPPED: no $cache/Image or $cache/$initrd (scripts/fetch-guest.sh, fetch-kvm.sh)"
    exit 77
fi
machine="-M virt,virtualization=on -smp 2 -m 1G -nographic --max-insns 12000000000"
boot="-kernel $cache/Image -initrd $cache/$initrd -append console=ttyAMA0"
# run NAME ARGS...: one run; console in NAME.out, stderr in NAME.err, status NAME.rc
run() {
    name=$1
    shift
    # shellcheck disable=SC2086
    timeout 1800 "$emu" $machine --digest --stats "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}
digest() { grep 'digest' "$tmp/$1.err"; }
if [ $case = kvm ]; then
    # shellcheck disable=SC2086
    run plain $boot --exit-trace "$tmp/plain.trc"
    total=$(sed -n 's/.*cpu[0-9]*: \([0-9]*\) instructions.*/\1/p' "$tmp/plain.err" | awk '{s += $1} END {printf "%d\n", s}')
    n=$((total / 10 * 9))
    ref=plain
else
    n=2400000000     # the boot needs about 4.8e9
    ref=save
fi
# shellcheck disable=SC2086
run save $boot --exit-trace "$tmp/save.trc" --snapshot-save "$tmp/s.snap" --snapshot-at-insns $n
run load --snapshot-load "$tmp/s.snap" --exit-trace "$tmp/load.trc"
echo "snapshot at $n instructions: $(wc -c <"$tmp/s.snap") bytes"
for r in $ref save load; do
    [ "$(cat "$tmp/$r.rc")" = 0 ] || fail "$r run: exit status $(cat "$tmp/$r.rc"): $(tail -3 "$tmp/$r.err")"
done
if [ $ref = plain ]; then
    cmp -s "$tmp/plain.out" "$tmp/save.out" || fail "the saving run's console differs from the plain run's"
    [ "$(digest save)" = "$(digest plain)" ] || fail "saving run: $(digest save), plain: $(digest plain)"
fi
[ -n "$(digest load)" ] && [ "$(digest load)" = "$(digest $ref)" ] ||
    fail "restored run: $(digest load), never stopped: $(digest $ref)"
grep -q "reboot: Power down" "$tmp/load.out" || fail "the restored run did not power off"
python3 - "$tmp/$ref.out" "$tmp/load.out" <<'PY' || fail "restored console is not the tail of the reference's"
import sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
sys.exit(0 if b and len(b) < len(a) and a.endswith(b) else 1)
PY
"$trace" "$tmp/$ref.trc" --jsonl "$tmp/ref.jsonl" --quiet || fail "trace tool on the reference trace"
"$trace" "$tmp/load.trc" --jsonl "$tmp/load.jsonl" --quiet || fail "trace tool on the restored trace"
python3 - "$tmp/ref.jsonl" "$tmp/load.jsonl" <<'PY' || fail "the exit trace after N differs"
import json, sys
ref = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
if not got:
    sys.exit(1)
tail = [r for r in ref if r['seq'] >= got[0]['seq']]
print(f"exit trace: {len(got)} exits after the snapshot point, {len(ref)} in the whole run")
sys.exit(0 if tail == got else 1)
PY
[ $fails = 0 ] || exit 1
echo "ok   Linux ($case): the restored run equals the run that never stopped"
