/*
 * The translator (docs/ARCHITECTURE.md "Translator"): guest code of one
 * decoded physical page is turned into x86-64 blocks that do, per guest
 * instruction, exactly what the interpreter's exec_page() does (charge the
 * static cost, take one instruction from the budget, execute it - inlined
 * or through its handler - advance the PC) and leave where it would. The
 * interpreter (src/cpu/exec.c) stays the reference; a machine uses the
 * translator only after a83_set_accel(A83_ACCEL_JIT) on an x86-64 Linux
 * host. Internal header.
 *
 * Thread rules: one Jit per machine, used by the thread that runs the
 * machine's CPUs (as the decoded-page cache is).
 */
#ifndef A83_JIT_H
#define A83_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"

typedef struct Jit Jit;

/** Whether this host can run translated code (x86-64 Linux). */
bool jit_host_supported(void);

/**
 * Creates the translator state with a code cache of cache_bytes (rounded up
 * to the host page size; 0 = the default, 64 MiB; at most 1 GiB). The cache
 * is mapped twice from one memfd, writable at one address and executable at
 * another, so no page is ever writable and executable at the same address
 * (W^X). Returns NULL when the host is not supported or the mapping fails.
 */
Jit *jit_create(Machine *m, uint64_t cache_bytes);
/** Frees j and its code cache. NULL is accepted. */
void jit_destroy(Jit *j);

/** Drops every block (the decoded entries of all pages were reset, e.g. by
 *  exec_invalidate_all()). Must not be called from inside a block's
 *  handler... it may be: the running block notices the invalidation count
 *  and leaves before its next instruction. */
void jit_flush(Jit *j);

/** Drops the blocks of decoded page dp that contain any instruction slot in
 *  [first, end) (those entries were reset by a store, mem_code_written()).
 *  Any running block leaves after its current instruction (conservative:
 *  every invalidation is counted, whichever page). */
void jit_page_invalidate(Jit *j, DecodePage *dp, unsigned first, unsigned end);

/**
 * The translated counterpart of exec_page() (src/cpu/exec.c): runs from
 * entry d of page dp (already made current by cpu_exec()) through blocks,
 * falling back to one interpreted instruction where a block does not fit in
 * the budget; returns to cpu_exec() exactly where exec_page() would, with
 * the same value: true when it stopped inside an interpreter block (the
 * budget ran out after an instruction that returned EXEC_NEXT, not at a
 * page end, no exit requested), which a split run must continue to the
 * block's end before the clock is compared with the round's end.
 */
bool jit_exec_page(CPUState *c, DecodePage *dp, DecodedInsn *d);


#endif
