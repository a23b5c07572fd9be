#!/bin/sh
# The SystemC wrapper as an installed component: `cmake --install` into a
# temporary prefix, then build tests/systemc/test_wrapper.cpp against it
# with pkg-config (arm83emu-systemc.pc) and with CMake
# find_package(arm83emu COMPONENTS systemc), and run both (its "basic" case).
set -u
build=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cxx=${CXX:-c++}
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL cmake --install"; exit 1; }
pc=$(find "$tmp/prefix" -name arm83emu-systemc.pc | head -1)
[ -n "$pc" ] || { echo "FAIL no arm83emu-systemc.pc installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
[ -f "$tmp/prefix/include/arm83emu/systemc.h" ] || { echo "FAIL <arm83emu/systemc.h> not installed"; exit 1; }
fails=0
run() {
    if LD_LIBRARY_PATH="$libdir" "$2" basic >"$tmp/run.out" 2>&1 &&
       grep -q "basic: .* 0 failure(s)" "$tmp/run.out"; then
        echo "ok   $1: $(tail -1 "$tmp/run.out")"
    else
        echo "FAIL $1:"; cat "$tmp/run.out"; fails=$((fails + 1))
    fi
}
flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs arm83emu-systemc) ||
    { echo "FAIL pkg-config arm83emu-systemc"; exit 1; }
# shellcheck disable=SC2086
if $cxx -std=c++17 -Wall "$src/tests/systemc/test_wrapper.cpp" $flags -o "$tmp/t_pc" 2>"$tmp/cc.log"; then
    run "pkg-config build" "$tmp/t_pc"
else
    cat "$tmp/cc.log"; echo "FAIL compile with pkg-config"; fails=$((fails + 1))
fi
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(sc CXX)
find_package(arm83emu REQUIRED COMPONENTS systemc)
add_executable(t_cmake $src/tests/systemc/test_wrapper.cpp)
set_target_properties(t_cmake PROPERTIES CXX_STANDARD 17)
target_link_libraries(t_cmake PRIVATE arm83emu::arm83emu_systemc)
CM
if cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/cm.log" 2>&1 &&
   cmake --build "$tmp/cm/b" -j2 >>"$tmp/cm.log" 2>&1; then
    run "CMake find_package(arm83emu COMPONENTS systemc)" "$tmp/cm/b/t_cmake"
else
    cat "$tmp/cm.log"; echo "FAIL CMake component build"; fails=$((fails + 1))
fi
[ $fails -eq 0 ]
