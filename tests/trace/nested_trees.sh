#!/bin/sh
# nested_trees.sh EMU TOOL NESTED_ELF: the nesting levels and L2-exit trees
# (docs/exit-trace.md, "Nesting levels") of examples/nested, whose L0 exit
# counts per L2 hypercall are derived in examples/nested/README.md from the
# accessor pseudocode (Arm ARM D8.11, FEAT_NV/NV2): 16 (NV, non-VHE guest
# hypervisor), 35 (NV, VHE), 2 (NV2, non-VHE), 2 (NV2, VHE: the CTL/CVAL _EL02
# timer aliases are VNCR accesses with NVx = 101); 4 null
# hypercalls (HVC #1) each. The trees built from the exit trace alone must
# give exactly those counts: 16 L2 hypercalls, 4 x (16+35+2+2) = 220 L0 exits,
# one trapped ERET (L1 re-entering L2) in each tree.
set -eu
emu=$1 tool=$2 elf=$3
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$emu" -M virt,virtualization=on -nographic -kernel "$elf" --exit-trace "$d/t.trace" >"$d/console" 2>&1
grep -q "NV2, guest hypervisor E2H=1: .* L2 ok" "$d/console" || { echo "example did not run:"; cat "$d/console"; exit 1; }
"$tool" "$d/t.trace" --by-l2-exit >"$d/out"
"$tool" "$d/t.trace" --quiet --l2-csv "$d/l2.csv"
row=$(grep '^"HVC #0x1",' "$d/l2.csv" | head -1 | cut -d, -f1-5)
[ "$row" = '"HVC #0x1",16,16,220,13.7500' ] || { echo "HVC #1 tree: got $row"; cat "$d/out"; exit 1; }
eret=$(grep '^"HVC #0x1",.*,"ERET",' "$d/l2.csv" | cut -d, -f8-10)
[ "$eret" = '"ERET",16,1.0000' ] || { echo "ERETs in the HVC #1 trees: got $eret"; exit 1; }
# Levels: L2 = the nested configurations' guest (28 exits: 16 hypercalls,
# 4 x 3 others); the no-nesting configurations' guest stays L1 (guest).
lvl() { awk -v l="$1" '/^By nesting level/{f=1;next} /^$/{f=0} f && index($0, l) {print $1}' "$d/out"; }
[ "$(lvl 'L2 (nested guest')" = 28 ] || { echo "L2 exits: got $(lvl 'L2 (nested guest')"; exit 1; }
[ "$(lvl 'L1 (guest)')" = 14 ] || { echo "L1 guest exits: got $(lvl 'L1 (guest)')"; exit 1; }
echo ok
