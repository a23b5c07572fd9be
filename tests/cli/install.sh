#!/bin/sh
# `make install`-style test: install the build into a temporary prefix,
# then build examples/embed.c against it with pkg-config (arm83emu.pc) and
# with CMake find_package(arm83emu), run both and check that the guest
# program really printed through the PL011, was interrupted by the
# example's host device, and powered off.
set -u
build=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL cmake --install"; exit 1; }
pc=$(find "$tmp/prefix" -name arm83emu.pc | head -1)
[ -n "$pc" ] || { echo "FAIL no arm83emu.pc installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
[ -f "$tmp/prefix/include/arm83emu/arm83emu.h" ] || { echo "FAIL header not installed"; exit 1; }
[ -x "$tmp/prefix/bin/arm83emu" ] || { echo "FAIL arm83emu not installed"; exit 1; }

check_run() {
    what=$1 exe=$2
    LD_LIBRARY_PATH="$libdir" "$exe" >"$tmp/run.out" 2>&1
    rc=$?
    # the host device (a83_mmio_map) rang, raised INTID 96 (a83_irq_set), the
    # guest acknowledged it (A83_HOOK_IRQ_ACK) in one a83_run_cycles window
    if [ $rc -ne 0 ] || ! grep -q "^Hello from a guest of libarm83emu$" "$tmp/run.out" ||
       ! grep -q "^embed: CPU 0 acknowledged INTID 96$" "$tmp/run.out" ||
       ! grep -q "doorbell rung with 42, interrupt raised 1 time(s), 1 exception(s)" "$tmp/run.out" ||
       ! grep -q "stopped by power off, exit status 0, 34 bytes printed" "$tmp/run.out"; then
        echo "FAIL $what: exit status $rc, output:"
        cat "$tmp/run.out"
        return 1
    fi
    echo "ok   $what: $(tail -1 "$tmp/run.out")"
}

fails=0
# pkg-config, shared library
flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs arm83emu) ||
    { echo "FAIL pkg-config"; exit 1; }
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Werror "$src/examples/embed.c" $flags -o "$tmp/embed_pc" ||
    { echo "FAIL compile with pkg-config"; exit 1; }
check_run "pkg-config build" "$tmp/embed_pc" || fails=$((fails + 1))
# the file path: a83_load_kernel + a83_boot of the bare-metal hello world
hello="$build/tests/guest/platform/hello.elf"
if [ -f "$hello" ]; then
    if LD_LIBRARY_PATH="$libdir" "$tmp/embed_pc" "$hello" >"$tmp/run.out" 2>&1 &&
       grep -q "^Hello, world from arm83emu!$" "$tmp/run.out" &&
       grep -q "stopped by power off, exit status 0" "$tmp/run.out"; then
        echo "ok   embed with a kernel file: $(tail -1 "$tmp/run.out")"
    else
        echo "FAIL embed with a kernel file:"
        cat "$tmp/run.out"
        fails=$((fails + 1))
    fi
fi

# CMake package
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(embed C)
find_package(arm83emu REQUIRED)
add_executable(embed_cmake $src/examples/embed.c)
target_link_libraries(embed_cmake PRIVATE arm83emu::arm83emu_shared)
add_executable(embed_static $src/examples/embed.c)
target_link_libraries(embed_static PRIVATE arm83emu::arm83emu_static)
CM
if cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/cm.log" 2>&1 &&
   cmake --build "$tmp/cm/b" -j2 >>"$tmp/cm.log" 2>&1; then
    check_run "CMake find_package (shared)" "$tmp/cm/b/embed_cmake" || fails=$((fails + 1))
    check_run "CMake find_package (static)" "$tmp/cm/b/embed_static" || fails=$((fails + 1))
else
    cat "$tmp/cm.log"
    echo "FAIL CMake find_package build"
    fails=$((fails + 1))
fi
[ $fails -eq 0 ] || exit 1
exit 0
