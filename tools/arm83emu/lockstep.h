/*
 * The arm83emu command's lockstep mode (lockstep.c): -accel jit,lockstep=...
 * runs the translator's machine and an interpreter copy side by side and
 * compares them (docs/ARCHITECTURE.md "Translator", docs/cli.md).
 */
#ifndef ARM83EMU_LOCKSTEP_H
#define ARM83EMU_LOCKSTEP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "arm83emu/arm83emu.h"
#include "arm83emu/trace.h"

/* lockstep=on|block: the slice where the PC has no translated block yet (it
 * is translated and run, with what chains after it, up to this many
 * instructions), and the slice of multi-CPU runs */
#define LOCKSTEP_BLOCK_SLICE 64

typedef struct LockstepOpts {
    const char *prog;         /* for messages */
    uint64_t every;           /* slice in instructions (lockstep=N) */
    bool block;               /* lockstep=on|block: one translated block per slice (1 CPU) */
    uint64_t flip;            /* --debug-lockstep-flip N: test hook (0: off) */
    uint64_t max_insns;       /* --max-insns (0: none), counted in *done */
    uint64_t max_cycles;      /* --max-cycles (0: none) */
    unsigned ncpus;
    bool digest;              /* compare the console and exit-trace digests too */
} LockstepOpts;

/**
 * Runs m (-accel jit) and sh (its interpreter copy, loaded identically) in
 * slices and compares every CPU's registers, PC, PSTATE, NZCV, FPCR/FPSR,
 * retired instructions and cycles, the stop reason and (digest) the digests
 * after each slice: one translated block (a83_jit_block_len(); a run of
 * exactly its length runs it and stops at its end) with block on one CPU,
 * LOCKSTEP_BLOCK_SLICE instructions where the PC has no block yet or with
 * several CPUs, else lo->every. *done counts the instructions of all CPUs.
 * Stops at the end of the run (a stop reason other than the instruction
 * limit, max_insns, max_cycles, *interrupted) and returns m's stop reason
 * with *differ false, or at the first difference: prints both states in
 * full on stderr and returns with *differ true. The caller owns m and sh.
 */
a83_stop_reason lockstep_run(const LockstepOpts *lo, a83_machine *m, a83_machine *sh, uint64_t *done,
                             volatile sig_atomic_t *interrupted, bool *differ);

#endif
