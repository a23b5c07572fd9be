#!/usr/bin/env python3
"""Print the strongly connected components (include cycles) of src/.

The graph: one node per *unit*, an edge A -> B when a file of unit A has
`#include "B"` of a file of unit B (resolved against the including file's
folder, then src/, then include/, as the compiler does). Units:

  --level unit    (default) a header and the .c of the same stem are one unit
                  (src/cpu/cpu.h + src/cpu/cpu.c = cpu/cpu): "files that import
                  each other", the measure used in docs/ARCHITECTURE.md
  --level file    every file on its own (only headers can be in a cycle)
  --level folder  one node per folder of src/ (cpu, mmu, el2, ...)

Output: each component with more than one node, largest first, its size and
members (sorted, so the output is deterministic); then a summary line
"largest: N, components: K, units in cycles: M, files in cycles: F". --edges prints, for every
component, the edges inside it (to see which includes to cut).
Exit status 0, or 1 with --max N when the largest component has more than
N units (the CTest layers/include-cycle guards the size recorded in
docs/ARCHITECTURE.md "Layers"). Only the standard library is used.
"""
import argparse
import os
import re
import sys

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def files(root):
    out = []
    for d, _, fs in os.walk(os.path.join(root, "src")):
        for f in fs:
            if f.endswith((".c", ".h", ".inc")):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def resolve(root, src, name):
    for base in (os.path.dirname(src), "src", "include"):
        p = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, p)):
            return p
    return None


def unit(path, level):
    p = path[4:] if path.startswith("src/") else path
    if level == "file":
        return p
    if level == "folder":
        return p.split("/")[0] if "/" in p else p
    return os.path.splitext(p)[0]


def tarjan(nodes, adj):
    index, low, on, stack, comps, n = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return comps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--level", choices=("unit", "file", "folder"), default="unit")
    ap.add_argument("--edges", action="store_true", help="print the edges inside each component")
    ap.add_argument("--max", type=int, default=None,
                    help="exit 1 if the largest component has more than MAX units")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    nodes, adj, members = set(), {}, {}
    for f in files(root):
        u = unit(f, a.level)
        nodes.add(u)
        members.setdefault(u, []).append(f)
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for name in INC.findall(text):
            t = resolve(root, f, name)
            if t is None or not t.startswith("src/"):
                continue
            v = unit(t, a.level)
            if v != u:
                adj.setdefault(u, set()).add(v)
                nodes.add(v)
    comps = [c for c in tarjan(nodes, adj) if len(c) > 1]
    comps.sort(key=lambda c: (-len(c), c))
    for c in comps:
        print("component of %d (%d files): %s"
              % (len(c), sum(len(members.get(u, ())) for u in c), " ".join(c)))
        if a.edges:
            s = set(c)
            for u in c:
                for v in sorted(adj.get(u, ())):
                    if v in s:
                        print("  %s -> %s" % (u, v))
    print("largest: %d, components: %d, units in cycles: %d, files in cycles: %d"
          % (max((len(c) for c in comps), default=0), len(comps), sum(len(c) for c in comps),
             sum(len(members.get(u, ())) for c in comps for u in c)))
    largest = max((len(c) for c in comps), default=0)
    if a.max is not None and largest > a.max:
        print("include cycle grew: %d units > %d (docs/ARCHITECTURE.md \"Layers\")"
              % (largest, a.max), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
