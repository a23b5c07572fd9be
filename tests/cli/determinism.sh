#!/bin/sh
# Runs guests twice with --stats and checks that console output, exit
# status and per-CPU instruction/cycle counts are identical (DESIGN.md:
# bit-identical runs). smp: two CPUs started by PSCI CPU_ON; devices: UART
# interrupt and an RTC alarm that makes time jump while the CPU waits;
# input_stages: input released by guest output.
emu=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {
    name=$1
    shift
    for i in 1 2; do
        timeout 60 "$emu" "$@" -kernel "$dir/$name.elf" --stats --max-insns 50000000 \
            >"$tmp/$name.$i" 2>&1 </dev/null
        echo "rc=$?" >>"$tmp/$name.$i"
    done
    if cmp -s "$tmp/$name.1" "$tmp/$name.2" && grep -q "cpu0: [1-9]" "$tmp/$name.1"; then
        echo "ok   $name: $(grep -c instructions "$tmp/$name.1") CPU(s), identical"
    else
        echo "FAIL $name differs between runs:"
        diff "$tmp/$name.1" "$tmp/$name.2"
        fails=$((fails + 1))
    fi
}
check smp -M virt -smp 2 --quantum 37
check smp -M virt,virtualization=on -smp 2
check devices -M virt --rtc-epoch 1000 --input hi!
check input_stages -M virt --input ab --wait-for AB --input 'cd\nq'
[ $fails -eq 0 ] || exit 1
exit 0
