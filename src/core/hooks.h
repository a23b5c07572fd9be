/*
 * Embedder hooks, host MMIO devices, host interrupts and the idle callback
 * (public API: arm83emu.h "Hooks", "Host devices"; docs/embedding.md).
 *
 * The execution paths test one bit of m->hook_mask (HOOKBIT()) before
 * calling in here, so a machine without hooks pays one predictable branch
 * per site. Code, block and memory hooks need every instruction and access
 * to be observed: while one is installed, m->hooks_observe is set and is
 * part of m->slow_path (machine_update_slow_path()).
 */
#ifndef A83_HOOKS_H
#define A83_HOOKS_H

#include "core/machine.h"

#define HOOKBIT(t) (1u << (t))

/** Frees the hook lists and host-device records (machine destroy). */
void hooks_destroy(Machine *m);

/** Code and block hooks, before the instruction at PC pc (word insn, at
 *  physical address pa) runs on c. Called only when m->hook_mask has
 *  A83_HOOK_CODE or A83_HOOK_BLOCK. */
void hooks_code(CPUState *c, uint64_t pc, uint32_t insn, uint64_t pa);

/** Memory hooks, after a data access (mem_observe()). */
void hooks_mem(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write);

/** Exception-entry hooks, after AArch64_TakeException() set the new PC.
 *  esr is the syndrome written (0 for IRQ/FIQ). */
void hooks_exception(CPUState *c, unsigned from_el, unsigned vect_offset, uint64_t preferred_return,
                     uint64_t esr);

/** ERET hooks, before the return to new_pc with spsr. */
void hooks_eret(CPUState *c, uint64_t new_pc, uint64_t spsr);

/** System-register hooks, for an MRS (value read) or MSR (value to write). */
void hooks_sysreg(CPUState *c, uint32_t enc, uint64_t value, bool write);

/** Interrupt-acknowledge hooks (an IAR read returned intid). */
void hooks_irq_ack(CPUState *c, unsigned intid, bool is_virtual);

/** Calls the idle callback, if any, when every powered CPU waits with
 *  nothing to wake it (scheduler). */
void hooks_idle(Machine *m, uint64_t next_event);

#endif
