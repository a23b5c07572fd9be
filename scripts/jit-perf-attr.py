#!/usr/bin/env python3
"""Charges perf samples in translated code to guest instructions.

A developer's aid (docs/performance.md "Profiling translated code"). Run the
emulator with A83_JIT_DUMP=DIR under `perf record`, then

    scripts/jit-perf-attr.py perf.data DIR [TOP]

prints how the samples split between the emulator, the translator's shared
code (offsets below 1024: entry, exits, dispatchers) and the blocks, then the
blocks' samples by guest mnemonic (aarch64-linux-gnu-objdump names the words
of DIR/blocks.txt), and the TOP hottest blocks with their first instructions.
A sample is charged to the instruction whose code starts at or before it
(the host code of one guest instruction follows the previous one's), to
"slow stubs" past the block's slow@ offset and to "prologue" before its first
instruction. Offsets of a cache that was flushed during the run may name two
blocks: the last one written is used (run with -accel jit,cache=1G to avoid
flushes).
"""
import bisect
import collections
import struct
import subprocess
import sys
import tempfile


def samples_by_offset(data):
    out = subprocess.run(['perf', 'report', '-i', data, '--no-children', '--sort', 'dso,sym',
                          '-n', '--percent-limit', '0', '-g', 'none'],
                         capture_output=True, text=True, check=True).stdout
    jit, total = collections.Counter(), 0
    for line in out.splitlines():
        f = line.split()
        if line.startswith('#') or len(f) < 4:
            continue
        try:
            n = int(f[1])
        except ValueError:
            continue
        total += n
        if 'memfd:arm83emu-jit' in line:
            jit[int(f[-1], 16)] += n
    return jit, total


def read_blocks(dump_dir):
    blocks = {}
    with open(dump_dir + '/blocks.txt') as fh:
        for line in fh:
            f = line.split()
            if len(f) < 5 or not f[-1].startswith('slow@'):
                continue                # a dump from before the per-instruction offsets
            off, va, n, length = int(f[0], 16), int(f[1], 16), int(f[2]), int(f[3])
            insns = [(int(w, 16), int(o, 16)) for w, o in (x.split('@') for x in f[4:4 + n])]
            blocks[off] = (va, length, insns, int(f[4 + n].split('@')[1], 16))
    return blocks


def mnemonics(words):
    words = sorted(words)
    with tempfile.NamedTemporaryFile(suffix='.bin') as tmp:
        tmp.write(b''.join(struct.pack('<I', w) for w in words))
        tmp.flush()
        dis = subprocess.run(['aarch64-linux-gnu-objdump', '-D', '-b', 'binary', '-maarch64',
                              tmp.name], capture_output=True, text=True, check=True).stdout
    names = {}
    for line in dis.splitlines():
        p = line.split('\t')
        if len(p) >= 3 and p[0].strip().endswith(':'):
            addr = int(p[0].strip()[:-1], 16)
            if addr // 4 < len(words):
                names[words[addr // 4]] = p[2].split()[0] if p[2].split() else '?'
    return names


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    jit, total = samples_by_offset(sys.argv[1])
    blocks = read_blocks(sys.argv[2])
    starts = sorted(blocks)
    region, by_word, by_block = collections.Counter(), collections.Counter(), collections.Counter()
    for addr, n in jit.items():
        if addr < 1024:
            region['shared code'] += n
            continue
        i = bisect.bisect_right(starts, addr) - 1
        if i < 0 or addr - starts[i] >= blocks[starts[i]][1]:
            region['unknown'] += n
            continue
        va, length, insns, slow = blocks[starts[i]]
        o = addr - starts[i]
        by_block[starts[i]] += n
        if o >= slow:
            region['slow stubs'] += n
            continue
        at = [k for k in range(len(insns)) if insns[k][1] <= o]
        if not at:
            region['prologue'] += n
            continue
        region['instructions'] += n
        by_word[insns[at[-1]][0]] += n
    names = mnemonics(set(by_word) | {w for s in starts for w, _ in blocks[s][2][:8]})
    pct = lambda n: 100.0 * n / total if total else 0.0
    print(f'{total} samples; translated code {sum(jit.values())} ({pct(sum(jit.values())):.1f}%)')
    for r, n in region.most_common():
        print(f'  {r:14s} {n:7d} {pct(n):5.1f}%')
    by_name = collections.Counter()
    for w, n in by_word.items():
        by_name[names.get(w, '?')] += n
    print('by guest mnemonic:')
    for m, n in by_name.most_common(top):
        print(f'  {m:12s} {n:7d} {pct(n):5.2f}%')
    print('hottest blocks:')
    for s, n in by_block.most_common(top):
        va, length, insns, _ = blocks[s]
        first = ' '.join(names.get(w, '?') for w, _ in insns[:8])
        print(f'  {s:8x} VA {va:016x} {len(insns):2d} insns {length:5d} B {n:6d} {pct(n):5.2f}%  {first}')


if __name__ == '__main__':
    main()
