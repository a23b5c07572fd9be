#!/usr/bin/env python3
"""Compares the exit microbenchmark's own measurements with the exit trace.

usage: compare.py GUEST_OUT TRACE_CSV (--cpu-hz HZ | --summary SUMMARY_TXT) [--tolerance 0.05]

GUEST_OUT   the console output of the run (lines "exitbench: NAME n=... mean_ticks=... cntfrq=...",
            guest/exitbench/exitbench.c, docs/exitbench.md)
TRACE_CSV   `arm83emu-trace TRACE --csv FILE` output; only the columns named `level`, `cause`
            and `cycles` are read (docs/exit-trace.md), so extra per-part columns do not matter
--cpu-hz    the CPU clock in cycles per second (the trace header's clock)
--summary   the output of `arm83emu-trace TRACE` (its "... cycles ... (X s at HZ Hz)" line)

For each measurement that causes one exit per iteration, the guest's mean (counter ticks,
converted to CPU cycles: mean_ticks * HZ / cntfrq) is compared with the mean `cycles` of the
trace's level-1 (guest) exits of the matching cause:

  hvc        HVC #0x0 SMCCC_VERSION
  mmio_user  DABT PL011+0x18 R4     (UARTFR: handled by QEMU in host user space)
  mmio_vgic  DABT GICD+0x8 R4       (GICD_IIDR: the in-kernel vGIC)
  sgi_send   MSR ICC_SGI1R_EL1      (both writes of that register: ipi_send to vCPU 1 and
                                     sgi_self_send before each EOI, same number of iterations;
                                     the guest figure is their n-weighted mean)

A comparison passes when |trace - guest| <= tolerance * guest. Prints one line per cause and
exits 0 when all pass, 1 when one does not, 2 on bad input (missing file, column, line or cause).
"""
import csv
import re
import sys

# (label, cause, guest measurements whose n-weighted mean the trace's mean is compared with)
CAUSES = [
    ("hvc", "HVC #0x0 SMCCC_VERSION", ["hvc"]),
    ("mmio_user", "DABT PL011+0x18 R4", ["mmio_user"]),
    ("mmio_vgic", "DABT GICD+0x8 R4", ["mmio_vgic"]),
    ("sgi_send", "MSR ICC_SGI1R_EL1", ["ipi_send", "sgi_self_send"]),
]
LINE = re.compile(r"exitbench: (\w+) n=(\d+) ticks=(-?\d+) mean_ticks=(-?[\d.]+).* cntfrq=(\d+)")


def die(msg):
    print("compare: " + msg, file=sys.stderr)
    sys.exit(2)


def main(argv):
    args = []
    hz = None
    tol = 0.05
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--cpu-hz", "--summary", "--tolerance"):
            if i + 1 >= len(argv):
                die("%s needs a value" % a)
            v = argv[i + 1]
            i += 2
            if a == "--cpu-hz":
                try:
                    hz = int(v)
                except ValueError:
                    die("--cpu-hz %r is not a number" % v)
            elif a == "--tolerance":
                try:
                    tol = float(v)
                except ValueError:
                    die("--tolerance %r is not a number" % v)
            else:
                try:
                    text = open(v, encoding="utf-8", errors="replace").read()
                except OSError as e:
                    die(str(e))
                m = re.search(r" at (\d+) Hz\)", text)
                if not m:
                    die("%s: no CPU clock ('at N Hz') in the summary" % v)
                hz = int(m.group(1))
            continue
        args.append(a)
        i += 1
    if len(args) != 2 or not hz or hz <= 0:
        die("usage: compare.py GUEST_OUT TRACE_CSV (--cpu-hz HZ | --summary FILE) [--tolerance F]")
    guest_out, trace_csv = args

    guest = {}
    try:
        for line in open(guest_out, encoding="utf-8", errors="replace"):
            m = LINE.search(line)
            if m:
                n, ticks, freq = int(m.group(2)), int(m.group(3)), int(m.group(5))
                if n > 0 and freq > 0:
                    guest[m.group(1)] = (n, ticks / n, freq)
    except OSError as e:
        die(str(e))

    sums = {}
    try:
        with open(trace_csv, newline="", encoding="utf-8", errors="replace") as f:
            rd = csv.DictReader(f)
            for col in ("level", "cause", "cycles"):
                if rd.fieldnames is None or col not in rd.fieldnames:
                    die("%s: no column %r" % (trace_csv, col))
            for row in rd:
                try:
                    if int(row["level"]) != 1:
                        continue
                    c = int(row["cycles"])
                except (TypeError, ValueError):
                    die("%s: line %d: bad level/cycles" % (trace_csv, rd.line_num))
                s = sums.setdefault(row["cause"], [0, 0])
                s[0] += 1
                s[1] += c
    except OSError as e:
        die(str(e))

    fails = 0
    print("%-10s %-24s %12s %12s %8s %7s  %s" % ("measure", "cause", "guest_cyc", "trace_cyc",
                                               "n_trace", "diff", "result"))
    for name, cause, measures in CAUSES:
        g_sum = g_n = 0
        for m in measures:
            if m not in guest:
                die("%s: no 'exitbench: %s' line" % (guest_out, m))
            n, mean_ticks, freq = guest[m]
            g_sum += n * mean_ticks * hz / freq
            g_n += n
        if cause not in sums:
            die("%s: no level-1 exit with cause %r" % (trace_csv, cause))
        g = g_sum / g_n
        cnt, tot = sums[cause]
        t = tot / cnt
        diff = (t - g) / g if g > 0 else float("inf")
        ok = g > 0 and abs(t - g) <= tol * g
        fails += not ok
        print("%-10s %-24s %12.1f %12.1f %8d %+6.1f%%  %s" % (name, cause, g, t, cnt, diff * 100,
                                                              "ok" if ok else "FAIL"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
