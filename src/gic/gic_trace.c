/*
 * The GIC's answer to the exit trace (src/trace, branch xen): which INTID
 * a physical IRQ or FIQ exception was taken for, so that arm83emu-trace
 * names interrupt exits by INTID (docs/xen.md). src/trace/exit_trace.c
 * used to carry a weak default returning 1023; in the static library that
 * default won and this definition was never linked, so it is gone.
 */
#include "gic/gic_internal.h"
#include "trace/trace.h"

/**
 * The highest-priority pending interrupt of c's redistributor and the
 * distributor (gic_hppi(), GICv3 spec 4.8.2 "highest priority pending
 * interrupt") whose group signals the exception being taken: Group 0 as FIQ,
 * Group 1 as IRQ (the board has no EL3, so Group 1 is Non-secure Group 1,
 * GICv3 spec 4.6). Called when the exception is taken, before software
 * acknowledges it. Returns 1023 (GIC_SPURIOUS) when nothing qualifies.
 */
uint32_t trace_pending_intid(CPUState *c, bool fiq)
{
    const GIC *g = gic_of(c);
    if (!g || c->index >= g->ncpus)
        return GIC_SPURIOUS;
    unsigned id = gic_hppi(g, c->index, NULL);
    if (id == GIC_SPURIOUS || gic_irq_group(g, c->index, id) != (fiq ? 0u : 1u))
        return GIC_SPURIOUS;
    return id;
}
