#!/usr/bin/env python3
"""Seed programs for fuzz_its (the opcode format is in fuzz_its.c): the canned
set-up, then what a driver does (MAPD, MAPC, MAPTI, INT, SYNC, then MOVI,
CLEAR, DISCARD, INV/INVALL, MOVALL), an MSI through GITS_TRANSLATER's path,
and a few broken queues (an ITT outside RAM, an unmapped collection, a
CWRITER past the queue, a stall retried). usage: its_seeds.py OUTDIR"""
import os, struct, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
SETUP = b"\x07"
MAPD, MAPC, MAPTI, MAPI, MOVI, DISCARD, INV, INVALL, INT, CLEAR, SYNC, MOVALL = range(12)
def cmd(slot, c, dev=0, event=0, pintid=64, icid=0, addr=0, size=3, flags=0):
    # pintid is an offset from 8192 - 64 in fuzz_its.c: 64 -> LPI 8192
    return struct.pack("<BBBHHHBBBB", 2, slot, c, dev, event, pintid, icid, addr, size, flags)
def kick(n, retry=0):
    return struct.pack("<BBB", 3, n, retry)
def msi(dev, event):
    return struct.pack("<BHH", 5, dev, event)
def reg(sel, val):
    return struct.pack("<BBQ", 0, sel, val)
def read(sel):
    return struct.pack("<BB", 6, sel)
def driver(start=0):
    return (cmd(start, MAPD, dev=1, addr=1) + cmd(start + 1, MAPC, dev=0, icid=0)
            + cmd(start + 2, MAPTI, dev=1, event=0, pintid=64) + cmd(start + 3, MAPTI, dev=1, event=1, pintid=65)
            + cmd(start + 4, INT, dev=1, event=1) + cmd(start + 5, SYNC, dev=0) + kick(6))
seeds = {
    "driver": SETUP + driver() + read(2),
    "lifecycle": SETUP + driver() + cmd(6, MAPC, dev=1, icid=1) + cmd(7, MOVI, dev=1, event=0, icid=1)
                 + cmd(8, CLEAR, dev=1, event=1) + cmd(9, INV, dev=1, event=0) + cmd(10, INVALL, icid=1)
                 + cmd(11, MOVALL, dev=1, event=0) + cmd(12, DISCARD, dev=1, event=0) + kick(7),
    "msi": SETUP + driver() + msi(1, 0) + msi(1, 1) + msi(1, 2) + msi(2, 0),
    "itt_outside_ram": SETUP + cmd(0, MAPD, dev=2, addr=0x84) + cmd(1, MAPC) + cmd(2, MAPTI, dev=2) + kick(3),
    "no_collection": SETUP + cmd(0, MAPD, dev=3, addr=2) + cmd(1, MAPTI, dev=3, icid=5) + cmd(2, INT, dev=3) + kick(3),
    "stall_retry": SETUP + cmd(0, INT, dev=9) + kick(1) + read(7) + cmd(0, SYNC) + kick(0, 1),
    "cwriter_past_queue": SETUP + reg(2, 0x2000) + read(7),
    "disabled_then_enabled": SETUP + reg(0, 0) + driver() + reg(0, 1),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
