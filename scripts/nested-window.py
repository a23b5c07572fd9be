#!/usr/bin/env python3
"""L0 exits per L2 operation counted by window (docs/el2.md, "A non-VHE guest
hypervisor"): for each L2 exit of a cause, the guest exits (levels 1 and 2) on
the same CPU from that exit up to, not including, the next exit of the same L2
context (VMID and VMPIDR), i.e. everything L0 handled until L2 ran and exited
again. Unlike the L2-exit trees of arm83emu-trace --by-l2-exit this needs no
rule for which NV=0 context is the guest hypervisor's own: with a non-VHE
guest hypervisor L0 runs L1's kernel (virtual EL1) like a nested guest, under
its own shadow stage 2, and the tree of an L2 exit ends when L1's hypervisor
ERETs to its kernel. In a loop of back-to-back operations (the exit
microbenchmark) the window is the operation's whole cost in L0 exits; the
median is printed (robust to windows cut by a timer tick or a migration of
L1's vCPU thread to the other CPU), with the mean and the count.

usage: nested-window.py EXITS_CSV CAUSE_SUBSTRING...   (arm83emu-trace --csv)
Prints one line per cause: cause, windows, median, mean, and the median
window's causes (the most frequent composition). Exit status 2 on bad input.
"""
import csv
import statistics
import sys
from collections import Counter


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    wanted = argv[2:]
    try:
        rows = list(csv.DictReader(open(argv[1], newline="")))
    except OSError as e:
        print("nested-window: %s" % e, file=sys.stderr)
        return 2
    if rows and not {"cpu", "level", "vmid", "vmpidr", "cause", "from_el"} <= set(rows[0]):
        print("nested-window: %s lacks the columns cpu, level, vmid, vmpidr, cause, from_el" % argv[1],
              file=sys.stderr)
        return 2
    guest = [r for r in rows if r["level"] in ("1", "2") and int(r["from_el"]) < 2]
    by_cpu = {}
    for r in guest:
        by_cpu.setdefault(r["cpu"], []).append(r)
    for want in wanted:
        sizes, comps = [], []
        for seq in by_cpu.values():
            for i, r in enumerate(seq):
                if r["level"] != "2" or want not in r["cause"]:
                    continue
                ctx = (r["vmid"], r["vmpidr"])
                j = i + 1
                while j < len(seq) and (seq[j]["level"] != "2" or (seq[j]["vmid"], seq[j]["vmpidr"]) != ctx):
                    j += 1
                if j == len(seq):
                    continue  # the context never exited again: not a complete window
                sizes.append(j - i)
                comps.append(tuple(sorted(x["cause"] for x in seq[i:j])))
        if not sizes:
            print("%s: no windows" % want)
            continue
        med = statistics.median_low(sizes)
        comp = Counter(c for c in comps if len(c) == med).most_common(1)[0][0]
        parts = Counter(comp)
        print("%s: %d windows, median %d, mean %.2f L0 exits; median window: %s" % (
            want, len(sizes), med, statistics.mean(sizes),
            "; ".join("%s %d" % (k, v) for k, v in sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
