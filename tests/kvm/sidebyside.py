#!/usr/bin/env python3
"""The VHE / nVHE side-by-side table of scripts/demo-kvm.sh (docs/exitbench.md).

usage: sidebyside.py VHE_OUT VHE_CSV NVHE_OUT NVHE_CSV --summary SUMMARY_TXT

Prints, for the exit microbenchmark's measurements, the guest-measured mean in CPU cycles in
both modes and the nVHE/VHE ratio; then, per cause of level-1 (guest) exits in either trace
(`arm83emu-trace --csv`, columns `level`, `cause`, `cycles` and the parts `el2`,
`host_kernel`, `host_user`, `other`, `idle`), count and mean round trip in both modes and the
ratio. Exit status 2 on bad input.
"""
import csv
import re
import sys

LINE = re.compile(r"exitbench: (\w+) n=(\d+) ticks=(-?\d+) mean_ticks=(-?[\d.]+).* cntfrq=(\d+)")


def die(msg):
    print("sidebyside: " + msg, file=sys.stderr)
    sys.exit(2)


def guest(path, hz):
    out = {}
    try:
        for line in open(path, encoding="utf-8", errors="replace"):
            m = LINE.search(line)
            if m and int(m.group(2)) > 0 and int(m.group(5)) > 0:
                out[m.group(1)] = int(m.group(3)) / int(m.group(2)) * hz / int(m.group(5))
    except OSError as e:
        die(str(e))
    return out


def trace(path):
    sums = {}
    parts = []
    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            rd = csv.DictReader(f)
            cols = rd.fieldnames or []
            for c in ("level", "cause", "cycles"):
                if c not in cols:
                    die("%s: no column %r" % (path, c))
            # the round trip's parts (docs/exit-trace.md): time at EL2, in the
            # host kernel, in host user space (the VMM), in other guests, idle
            known = ("el2", "host_kernel", "host_user", "other", "idle")
            parts = [c for c in cols if c in known or (c != "cycles" and
                     (c.endswith("_cycles") or c.startswith("part_")))]
            for row in rd:
                try:
                    if int(row["level"]) != 1:
                        continue
                    v = [int(row["cycles"])] + [int(row[p] or 0) for p in parts]
                except ValueError:
                    die("%s: line %d: not a number" % (path, rd.line_num))
                s = sums.setdefault(row["cause"], [0] + [0] * len(v))
                s[0] += 1
                for i, x in enumerate(v):
                    s[1 + i] += x
    except OSError as e:
        die(str(e))
    return sums, parts


def ratio(a, b):
    return "%6.2f" % (b / a) if a else "     -"


def main(argv):
    if len(argv) != 6 or argv[4] != "--summary":
        die("usage: sidebyside.py VHE_OUT VHE_CSV NVHE_OUT NVHE_CSV --summary SUMMARY_TXT")
    try:
        m = re.search(r" at (\d+) Hz\)", open(argv[5], encoding="utf-8", errors="replace").read())
    except OSError as e:
        die(str(e))
    if not m:
        die("%s: no CPU clock ('at N Hz')" % argv[5])
    hz = int(m.group(1))
    gv, gn = guest(argv[0], hz), guest(argv[2], hz)
    print("guest-measured means (CPU cycles at %d Hz)" % hz)
    print("  %-16s %12s %12s %7s" % ("measurement", "VHE", "nVHE", "nVHE/VHE"))
    for k in gv:
        if k in gn:
            print("  %-16s %12.0f %12.0f %7s" % (k, gv[k], gn[k], ratio(gv[k], gn[k])))
    tv, pv = trace(argv[1])
    tn, pn = trace(argv[3])
    parts = [p for p in pv if p in pn]
    print()
    print("exit trace, level-1 exits: count and mean round trip (cycles)%s" %
          ("; parts: " + ", ".join(parts) if parts else ""))
    print("  %-28s %7s %10s %7s %10s %7s" % ("cause", "n VHE", "VHE", "n nVHE", "nVHE", "nVHE/VHE"))
    causes = sorted(set(tv) | set(tn), key=lambda c: -max(tv.get(c, [0])[0], tn.get(c, [0])[0]))
    for c in causes[:12]:
        a, b = tv.get(c), tn.get(c)
        ma = a[1] / a[0] if a else 0
        mb = b[1] / b[0] if b else 0
        print("  %-28s %7d %10.0f %7d %10.0f %7s" % (c[:28], a[0] if a else 0, ma, b[0] if b else 0, mb,
                                                     ratio(ma, mb) if a and b else "     -"))
        for p in parts:
            ia, ib = 2 + pv.index(p), 2 + pn.index(p)
            pa = a[ia] / a[0] if a else 0
            pb = b[ib] / b[0] if b else 0
            if round(pa) == 0 and round(pb) == 0:
                continue   # a part that is empty in both modes
            print("    %-26s %7s %10.0f %7s %10.0f %7s" % ("part " + p[:21], "", pa, "", pb,
                                                      ratio(pa, pb) if pa and pb else "     -"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
