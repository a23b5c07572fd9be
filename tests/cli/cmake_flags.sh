#!/bin/sh
# The build honours the user's optimisation flags (issue #19: CMakeLists.txt
# used to force -O2 -g after them, so CFLAGS=-O1 built with -O2). Configures
# a scratch build tree (no compilation) and reads the library's flags.
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CFLAGS="-O1" cmake -S "$src" -B "$tmp/b" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
flags=$(grep -h '^C_FLAGS' "$tmp/b/CMakeFiles/a83_objs.dir/flags.make")
echo "CFLAGS=-O1: $flags"
case " $flags " in
*" -O1 "*) ;;
*) echo "FAIL: -O1 from CFLAGS is missing"; exit 1 ;;
esac
if echo "$flags" | grep -Eq -- '-O[02-9s]( |$)'; then
    echo "FAIL: another -O level overrides the user's -O1"
    exit 1
fi
echo ok
