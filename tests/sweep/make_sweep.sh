#!/bin/sh
# make_sweep.sh DIR GUEST_ELF [EMULATOR]: writes DIR/small.ini, the sweep of
# the tests (2 parameters x 3 values: --quantum x timing profile on the
# 2-CPU SGI guest), with the cost profiles copied next to it so that the
# parameter values (and so the run ids) are the same in every test.
set -eu
dir=$1 elf=$(realpath "$2") emu=${3:-}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/profiles"
cp "$src"/profiles/*.ini "$dir/profiles/"
{
    echo "; the sweep of tests/sweep (docs/sweeps.md)"
    echo "[sweep]"
    echo "name = small"
    echo "command = -M virt,virtualization=on -smp 2 --quantum {quantum} --timing {profile}"
    echo "    -kernel {guest} -nographic --max-insns 20000000"
    echo "collect = digest, stats, exits"
    echo "path_params = profile"
    echo "timeout = 120"
    [ -n "$emu" ] && echo "emulator = $emu"
    echo
    echo "[images]"
    echo "guest = $elf"
    echo
    echo "[grid]"
    echo "quantum = 97, 1000, 5000"
    echo "profile = profiles/default.ini, profiles/slow_exceptions.ini, profiles/slow_sysregs.ini"
} >"$dir/small.ini"
