#!/usr/bin/env python3
"""Parses a Tarmac trace back and checks it against the program that ran
(issue 8): every instruction line's opcode is the word at that address in
the ELF's loaded image, the number of instruction lines equals the number of
instructions the emulator retired (--stats), sequence numbers count up, and
register/memory/exception lines are well-formed.

usage: tarmac_check.py TRACE IMAGE.bin LOAD_ADDR STATS_FILE MIN_EXCEPTIONS
"""
import re
import sys

trace, image, load, stats, min_exc = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), sys.argv[4], int(sys.argv[5])
img = open(image, "rb").read()
it = re.compile(r"^(\d+) clk cpu(\d+) IT \((\d+)\) ([0-9a-f]{16}) ([0-9a-f]{8}) A EL([0-2])([th]) : (.+)$")
reg = re.compile(r"^\d+ clk cpu\d+ R (X\d+|SP_EL[0-2]|CPSR) [0-9a-f]+$")
mem = re.compile(r"^\d+ clk cpu\d+ M[RW][1248] [0-9a-f]{16}:[0-9a-f]{12} [0-9a-f]+$")
exc = re.compile(r"^\d+ clk cpu\d+ E [0-9a-f]{16} [0-9a-f]{8} EC=0x[0-9a-f]+ EL[12]$")
n_it = n_exc = n_mem = 0
seq = 0
for line in open(trace):
    line = line.rstrip("\n")
    m = it.match(line)
    if m:
        assert int(m.group(3)) == seq, f"sequence {m.group(3)} != {seq}: {line}"
        seq += 1
        addr, op = int(m.group(4), 16), int(m.group(5), 16)
        off = addr - load
        if 0 <= off < len(img) - 3:
            want = int.from_bytes(img[off:off + 4], "little")
            assert op == want, f"opcode {op:08x} != image word {want:08x} at {addr:#x}"
        assert m.group(8).strip() and "unknown" not in m.group(8), line
        n_it += 1
    elif exc.match(line):
        n_exc += 1
    elif mem.match(line):
        n_mem += 1
    else:
        assert reg.match(line), f"unparsable line: {line}"
retired = sum(int(x) for x in re.findall(r"cpu\d+: (\d+) instructions", open(stats).read()))
assert n_it == retired, f"{n_it} instruction lines, {retired} instructions retired"
assert n_exc >= min_exc, f"{n_exc} exception lines, expected at least {min_exc}"
assert n_mem > 0, "no memory lines"
print(f"ok: {n_it} instructions, {n_mem} memory accesses, {n_exc} exceptions")
