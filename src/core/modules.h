/*
 * The hooks by which the device models and subsystems hang off a machine.
 * Each subsystem implements its own functions in its own folder; this file
 * only fixes the order in which they are called (modules.c).
 */
#ifndef A83_MODULES_H
#define A83_MODULES_H

#include "core/machine.h"

/** Creates the platform (PL011, PL031, flash, PSCI), GIC and timers.
 *  Errors: A83_ERR_NOMEM, A83_ERR_OVERLAP. */
a83_err modules_init(Machine *m);
void modules_destroy(Machine *m);

/** Brings device time up to m->now: timers fire, the GIC re-evaluates. */
void modules_advance_time(Machine *m);

/** The earliest future event in cycles (a timer deadline), or UINT64_MAX. */
uint64_t modules_next_event(Machine *m);

/** Whether a scheduling round may run on into the next one inside
 *  cpu_exec() when nothing changed (machine.c, "Rounds that change
 *  nothing"): false while a subsystem does work at every round end whatever
 *  changed (a network backend's polling), reads state outside the dirty
 *  rules (pending LPIs: their configuration is in guest memory) or has
 *  timers that move with the exception level (FEAT_ECV's CNTPOFF_EL2). */
bool modules_round_skippable(Machine *m);

/** What the end of a round that changed nothing does: the event streams'
 *  evaluation point moves to each CPU's clock. */
void modules_skip_round(Machine *m);

/* Per-subsystem entry points called by modules.c */
a83_err platform_init(Machine *m);          /* src/platform */
void platform_destroy(Machine *m);
void platform_advance_time(Machine *m);     /* device events (PL031 match) at m->now */
uint64_t platform_next_event(Machine *m);   /* cycles, or UINT64_MAX */
bool platform_round_skippable(Machine *m);  /* no device works at every round end */
a83_err gic_init(Machine *m);               /* src/gic */
void gic_destroy(Machine *m);
void gic_update(Machine *m);                /* recompute every CPU's irq_lines */
bool gic_round_skippable(const Machine *m); /* no LPI pending */
/** Drives an interrupt line into the GIC: an SPI (intid 32..) from a
 *  device, or a PPI (16..31) of CPU cpu (timers, PMU). Level-sensitive. */
void gic_set_irq(Machine *m, unsigned intid, bool level, unsigned cpu);
a83_err timer_init(Machine *m);             /* src/timer */
void timer_destroy(Machine *m);
void timer_advance(Machine *m);             /* update timer outputs at m->now */
uint64_t timer_next_deadline(Machine *m);   /* cycles, or UINT64_MAX */
bool timer_round_skippable(const Machine *m); /* no timer offset moves with the EL */
void timer_skip_round(Machine *m);          /* timer_advance() when no deadline passed */
void cpu_reset(CPUState *c);                /* src/core/machine.c */

#endif
