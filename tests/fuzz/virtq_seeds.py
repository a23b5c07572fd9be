#!/usr/bin/env python3
"""Seed programs for fuzz_virtq (the opcode format is in fuzz_virtq.c):
for each device a driver that sets up its queues and makes a valid request
available, then notifies; and a few broken ones (buffer outside RAM, loop,
bad QueueNum). usage: virtq_seeds.py OUTDIR"""
import os, struct, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
D, A, U = 0x1800, 0x1900, 0x1a00          # ring offsets / 16 -> 0x18000...
def setup(slot, q, num_log2=3, feat=0):
    return struct.pack("<BBBBIHHH", 2, slot, q, num_log2, feat, D, A, U)
def desc(i, sel, length, flags, nxt):
    return struct.pack("<BHBIHH", 3, D + i, sel, length, flags, nxt)
def avail(head, num_log2=3):
    return struct.pack("<BHBH", 4, A, num_log2, head)
def notify(slot, q):
    return struct.pack("<BBB", 5, slot, q)
def ram(off16, data):
    return struct.pack("<BHB", 1, off16, len(data)) + data
NEXT, WRITE, INDIRECT = 1, 2, 4
seeds = {
    # blk: read sector 0 (header at sel 1, data sel 2, status sel 3)
    "blk_read": setup(0, 0) + desc(0, 1, 16, NEXT, 1) + desc(1, 2, 512, WRITE | NEXT, 2)
                + desc(2, 3, 1, WRITE, 0) + avail(0) + notify(0, 0),
    # blk: write sector 1 (type OUT = 1)
    "blk_write": setup(0, 0) + ram(0x500, struct.pack("<IIQ", 1, 0, 1)) + desc(0, 1, 16, NEXT, 1)
                 + desc(1, 2, 512, NEXT, 2) + desc(2, 3, 1, WRITE, 0) + avail(0) + notify(0, 0),
    "rng": setup(1, 0) + desc(0, 1, 64, WRITE, 0) + avail(0) + notify(1, 0),
    "console": setup(2, 1) + ram(0x500, b"hello") + desc(0, 1, 5, 0, 0) + avail(0) + notify(2, 1),
    # net: receive buffer, then a transmitted frame comes back (fake loopback)
    "net": setup(3, 1) + desc(0, 1, 12 + 64, 0, 0) + avail(0) + notify(3, 1)
           + struct.pack("<BB", 8, 60),
    "blk_outside_ram": setup(0, 0) + desc(0, 0x84, 16, NEXT, 1) + desc(1, 2, 512, WRITE, 0)
                       + avail(0) + notify(0, 0),
    "rng_loop": setup(1, 0) + desc(0, 1, 8, WRITE | NEXT, 1) + desc(1, 2, 8, WRITE | NEXT, 0)
                + avail(0) + notify(1, 0),
    "rng_indirect": setup(1, 0, 3, 1 << 28) + desc(0, 1, 32, INDIRECT, 0) + avail(0) + notify(1, 0),
    "bad_num": struct.pack("<BBBI", 0, 0, 0x38 // 4, 3) + struct.pack("<BBBI", 0, 0, 0x44 // 4, 1),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
