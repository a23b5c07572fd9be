/*
 * Internal trace hooks. The hot paths test `m->trace_active` (one load)
 * before calling any of these, so tracing costs nothing when off.
 */
#ifndef A83_TRACE_INTERNAL_H
#define A83_TRACE_INTERNAL_H

#include "arm83emu/trace.h"
#include "cpu/cpu.h"

typedef struct Trace Trace;

/** Creates the machine's trace state (digests). Errors: A83_ERR_NOMEM. */
a83_err trace_init(Machine *m);
void trace_destroy(Machine *m);

/** An exception was just taken from from_el to target_el (any EL; registers
 *  written, PSTATE updated); start is the CPU's cycle count before the
 *  entry's own cost was added. Closes the time interval of the mode the CPU
 *  left (per-mode accounting, docs/exit-trace.md) and, for target_el 2,
 *  records the exit; an exit's round trip runs from start to the end of the
 *  ERET that re-enters its guest context. */
void trace_exception_entry(CPUState *c, unsigned from_el, unsigned target_el, unsigned vector, uint64_t start);
/** An exception return from from_el to to_el, to target, just completed
 *  (PSTATE already updated, its cost added). Records returns from EL2 to a
 *  lower EL, ends the exit of the guest context it re-enters. */
void trace_exception_return(CPUState *c, unsigned from_el, unsigned to_el, uint64_t target);
/** The CPU's mode for time accounting may have changed (HCR_EL2 written,
 *  halted or woken): closes the interval at c->cycles and re-evaluates. */
void trace_mode_sync(CPUState *c);

/** The INTID an IRQ/FIQ exit is for (highest-priority pending interrupt of
 *  the CPU interface, GIC spec 12.11), or 1023. Implemented by src/gic. */
uint32_t trace_pending_intid(CPUState *c, bool fiq);
/** The virtual SGIs and PPIs (vINTID 0..31) that c's list registers hold in
 *  the pending state (ICH_LR<n>_EL2.State pending, or pending and active;
 *  GICv3 spec 12.4.8), bit n = vINTID n; 0 without a GIC. Implemented by
 *  src/gic (gic_trace.c). */
uint32_t trace_lr_pending(CPUState *c);

/* Tarmac (src/trace/tarmac.c); called only when m->tarmac_on. */
struct DecodedInsn;
/** Before executing the instruction at c->pc (raw word insn). */
void tarmac_before(CPUState *c, uint32_t insn);
/** After it completed (registers/NZCV that changed are written out). */
void tarmac_after(CPUState *c);
/** A memory access of size bytes at va/pa (value as read or written). */
void tarmac_mem(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write);
/** An exception is being taken to target_el at vector offset vect. */
void tarmac_exception(CPUState *c, unsigned target_el, unsigned vect, uint32_t ec);
void tarmac_destroy(Machine *m);

/** Every byte the guest prints goes through here: digest + console sink. */
void machine_console_out(Machine *m, uint8_t byte);

/* Snapshots (src/core/snapshot.h): the nesting tracker's state, part of
 * the exit-trace section (nest_level.c). nest_snap_load overwrites n. */
struct SnapWriter;
struct SnapReader;
void nest_snap_save(const a83_nest *n, struct SnapWriter *w);
void nest_snap_load(a83_nest *n, struct SnapReader *r);

#endif
