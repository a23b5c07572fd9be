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

/**
 * The private virtual interrupts (SGIs and PPIs: vINTID 0..31) that c's
 * list registers hold pending (ICH_LR<n>_EL2.State = pending or pending and
 * active, GICv3 spec 12.4.8), bit n = vINTID n: what a hypervisor injected
 * into the vCPU it is about to enter and the vCPU has not acknowledged yet.
 * The exit trace records it on each ERET into a guest context (Xen's event
 * channel upcall is PPI 31, docs/xen.md). 0 when the CPU has no GIC.
 */
uint32_t trace_lr_pending(CPUState *c)
{
    const GIC *g = gic_of(c);
    if (!g || c->index >= g->ncpus)
        return 0;
    const GICCpu *gc = &g->cpu[c->index];
    uint32_t bits = 0;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        uint64_t lr = gc->lr[i];
        uint64_t vintid = lr & ICH_LR_VINTID_MASK;
        if ((lr & ICH_LR_PENDING) && vintid < GIC_NR_PRIV)
            bits |= 1u << vintid;
    }
    return bits;
}
