/*
 * GICv3 distributor (GICv3 spec 12.9) and the interrupt state machine
 * shared by the distributor and the redistributors (GICv3 spec 4.1:
 * inactive / pending / active / active and pending; level- and
 * edge-triggered behaviour), plus the module entry points gic_init,
 * gic_destroy, gic_update and gic_set_irq.
 */
#include <stdlib.h>

#include "core/modules.h"
#include "gic/gic_internal.h"
#include "gic/gic_its.h"

/* GICD register offsets (GICv3 spec Table 12-25) */
enum {
    GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_STATUSR = 0x0010,
    GICD_IGROUPR = 0x0080, GICD_ISENABLER = 0x0100, GICD_ICENABLER = 0x0180,
    GICD_ISPENDR = 0x0200, GICD_ICPENDR = 0x0280, GICD_ISACTIVER = 0x0300,
    GICD_ICACTIVER = 0x0380, GICD_IPRIORITYR = 0x0400, GICD_ITARGETSR = 0x0800,
    GICD_ICFGR = 0x0C00, GICD_IGRPMODR = 0x0D00, GICD_NSACR = 0x0E00, GICD_SGIR = 0x0F00,
    GICD_IROUTER = 0x6000, GICD_PIDR4 = 0xFFD0, GICD_PIDR0 = 0xFFE0, GICD_PIDR2 = 0xFFE8,
};

/* GICD_TYPER fields (GICv3 spec 12.9.38) */
#define GICD_TYPER_ITLINES ((GIC_NR_IRQS / 32) - 1)   /* ITLinesNumber: 32(N+1) INTIDs */
#define GICD_TYPER_CPUNUM_SHIFT 5
#define GICD_TYPER_IDBITS_SHIFT 19                     /* IDbits = bits - 1 */
#define GICD_TYPER_IDBITS (GIC_LPI_ID_BITS - 1)        /* 16 bits: LPIs up to 65535 */
#define GICD_TYPER_LPIS (1u << 17)
#define GICD_IIDR_VALUE 0x0000043Bu                     /* Implementer = Arm (JEP106 0x43B) */
#define GIC_PIDR2_ARCHREV_V3 0x3B                      /* ArchRev[7:4] = 3, JEDEC used */

#define GICD_IROUTER_IRM (1ull << 31)
#define GICD_IROUTER_MASK 0xFF80FFFFFFull              /* Aff3[39:32] IRM[31] Aff2/1/0 */

/* CoreSight-style identification registers read by Linux (0xFFD0..0xFFFC):
 * PIDR4..7, PIDR0..3, CIDR0..3. Shared with the redistributors. */
uint32_t gic_id_reg(uint64_t off)
{
    static const uint8_t ids[12] = { 0x04, 0, 0, 0, 0x92, 0xB4, GIC_PIDR2_ARCHREV_V3, 0,
                                     0x0D, 0xF0, 0x05, 0xB1 };
    return ids[(off - GICD_PIDR4) / 4];
}

/* ---- Interrupt state ------------------------------------------------------- */

static inline uint32_t bitw(unsigned intid) { return 1u << (intid & 31); }

bool gic_irq_pending(const GIC *g, unsigned cpu, unsigned intid)
{
    if (gic_is_lpi(intid))
        return gic_lpi_pending(g, cpu, intid);
    if (intid >= GIC_NR_IRQS)
        return false;
    uint32_t b = bitw(intid);
    if (intid < GIC_NR_PRIV) {
        const GICCpu *gc = &g->cpu[cpu];
        return (gc->pend_latch & b) || ((gc->level & b) && !(gc->edge & b));
    }
    unsigned w = intid / 32;
    return (g->pend_latch[w] & b) || ((g->level[w] & b) && !(g->edge[w] & b));
}

bool gic_irq_active(const GIC *g, unsigned cpu, unsigned intid)
{
    if (intid >= GIC_NR_IRQS)
        return false;   /* LPIs have no active state (GICv3 spec 5.1) */
    if (intid < GIC_NR_PRIV)
        return g->cpu[cpu].active & bitw(intid);
    return g->active[intid / 32] & bitw(intid);
}

void gic_irq_set_active(GIC *g, unsigned cpu, unsigned intid, bool on)
{
    if (intid >= GIC_NR_IRQS)
        return;   /* LPIs: acknowledge only clears the pending state (5.1) */
    uint32_t *w = intid < GIC_NR_PRIV ? &g->cpu[cpu].active : &g->active[intid / 32];
    if (on)
        *w |= bitw(intid);
    else
        *w &= ~bitw(intid);
}

void gic_irq_set_pending(GIC *g, unsigned cpu, unsigned intid, bool on)
{
    if (gic_is_lpi(intid)) {
        gic_lpi_set_pending(g, cpu, intid, on);
        return;
    }
    if (intid >= GIC_NR_IRQS)
        return;
    uint32_t *w = intid < GIC_NR_PRIV ? &g->cpu[cpu].pend_latch : &g->pend_latch[intid / 32];
    if (on)
        *w |= bitw(intid);
    else
        *w &= ~bitw(intid);
}

unsigned gic_irq_prio(const GIC *g, unsigned cpu, unsigned intid)
{
    if (intid >= GIC_NR_IRQS) {
        uint8_t cfg = 0xFF;
        if (!gic_is_lpi(intid) || !gic_lpi_config(g, cpu, intid, &cfg))
            return 0xFF;
        return cfg & GIC_PRIO_MASK;
    }
    return intid < GIC_NR_PRIV ? g->cpu[cpu].prio[intid] : g->prio[intid];
}

unsigned gic_irq_group(const GIC *g, unsigned cpu, unsigned intid)
{
    if (intid >= GIC_NR_IRQS)
        return 1;   /* LPIs are Group 1 with one Security state (5.1) */
    if (intid < GIC_NR_PRIV)
        return (g->cpu[cpu].group >> intid) & 1;
    return (g->group[intid / 32] >> (intid & 31)) & 1;
}

/* A CPU interface accepts forwarded interrupts of group grp if the
 * distributor enables the group, the CPU interface enables it
 * (ICC_IGRPEN<grp>_EL1) and the redistributor is awake (GICR_WAKER). */
static bool cpu_accepts(const GIC *g, unsigned cpu, unsigned grp)
{
    const GICCpu *gc = &g->cpu[cpu];
    if (gc->waker & GICR_WAKER_PROCESSORSLEEP)
        return false;
    if (!(g->ctlr & (grp ? GICD_CTLR_ENABLEGRP1 : GICD_CTLR_ENABLEGRP0)))
        return false;
    return grp ? gc->igrpen1 : gc->igrpen0;
}

unsigned gic_spi_target(const GIC *g, unsigned intid)
{
    uint64_t r = g->irouter[intid];
    if (r & GICD_IROUTER_IRM) {
        /* 1-of-N (GICv3 spec 4.5.2): the choice is IMPLEMENTATION DEFINED;
         * we take the lowest-numbered participating CPU, deterministically. */
        unsigned grp = gic_irq_group(g, 0, intid);
        for (unsigned i = 0; i < g->ncpus; i++)
            if (g->m->cpu[i]->powered && cpu_accepts(g, i, grp))
                return i;
        return UINT32_MAX;
    }
    for (unsigned i = 0; i < g->ncpus; i++) {
        uint64_t mp = g->m->cpu[i]->mpidr;
        uint64_t aff = (mp & 0xFFFFFF) | ((mp >> 32 & 0xFF) << 32);
        if (aff == (r & ~GICD_IROUTER_IRM))
            return i;
    }
    return UINT32_MAX;
}

unsigned gic_hppi(const GIC *g, unsigned cpu, unsigned *prio_out)
{
    unsigned best = GIC_SPURIOUS, bprio = 0x100;
    const GICCpu *gc = &g->cpu[cpu];
    uint32_t cand = (gc->pend_latch | (gc->level & ~gc->edge)) & gc->enable & ~gc->active;
    while (cand) {
        unsigned i = (unsigned)__builtin_ctz(cand);
        cand &= cand - 1;
        if (gc->prio[i] < bprio && cpu_accepts(g, cpu, (gc->group >> i) & 1)) {
            best = i;
            bprio = gc->prio[i];
        }
    }
    for (unsigned w = 1; w < GIC_NR_WORDS; w++) {
        uint32_t c = (g->pend_latch[w] | (g->level[w] & ~g->edge[w])) & g->enable[w] &
                     ~g->active[w];
        while (c) {
            unsigned id = w * 32 + (unsigned)__builtin_ctz(c);
            c &= c - 1;
            if (g->prio[id] < bprio && gic_spi_target(g, id) == cpu &&
                cpu_accepts(g, cpu, gic_irq_group(g, cpu, id))) {
                best = id;
                bprio = g->prio[id];
            }
        }
    }
    gic_lpi_hppi(g, cpu, &best, &bprio);
    if (prio_out)
        *prio_out = bprio;
    return best;
}

/* ---- Module entry points --------------------------------------------------- */

void gic_update(Machine *m)
{
    GIC *g = m->gic;
    if (!g)
        return;
    machine_sched_dirty(m);   /* called where GIC state changed (and at round ends) */
    for (unsigned i = 0; i < g->ncpus; i++) {
        GICCpu *gc = &g->cpu[i];
        /* Maintenance interrupt: ICH_HCR_EL2.En and any ICH_MISR_EL2 bit
         * (GICv3 spec 4.9.10), a level-sensitive PPI. */
        bool maint = (gc->ich_hcr & ICH_HCR_EN) && gic_ich_misr(gc) != 0;
        if (maint)
            gc->level |= bitw(PPI_GIC_MAINT);
        else
            gc->level &= ~bitw(PPI_GIC_MAINT);
        CPUState *c = m->cpu[i];
        uint32_t lines = gic_cpuif_lines(g, i) | gic_virt_lines(gc);
        uint32_t mask = IRQ_LINE_IRQ | IRQ_LINE_FIQ | IRQ_LINE_VIRQ | IRQ_LINE_VFIQ;
        uint32_t nl = (c->irq_lines & ~mask) | lines;
        if (nl != c->irq_lines) {
            c->irq_lines = nl;
            c->exit_req |= EXIT_CHECK;
        }
    }
}

bool gic_round_skippable(const Machine *m)
{
    /* A pending LPI's configuration is read from guest memory
     * (gic_lpi_hppi()), which a store may change without a GIC access. */
    const GIC *g = m->gic;
    for (unsigned i = 0; g && i < g->ncpus; i++)
        if (g->lpi[i].npend)
            return false;
    return true;
}

void gic_set_irq(Machine *m, unsigned intid, bool level, unsigned cpu)
{
    GIC *g = m->gic;
    if (!g || intid >= GIC_NR_IRQS || (intid < GIC_NR_PRIV && cpu >= g->ncpus) || intid < 16)
        return;   /* SGIs are not lines; out-of-range inputs are not connected */
    uint32_t *lv, *edge, *latch;
    if (intid < GIC_NR_PRIV) {
        lv = &g->cpu[cpu].level;
        edge = &g->cpu[cpu].edge;
        latch = &g->cpu[cpu].pend_latch;
    } else {
        lv = &g->level[intid / 32];
        edge = &g->edge[intid / 32];
        latch = &g->pend_latch[intid / 32];
    }
    uint32_t b = bitw(intid);
    bool old = *lv & b;
    if (old == level)
        return;
    if (level) {
        *lv |= b;
        if (*edge & b)
            *latch |= b;   /* edge-triggered: a rising edge latches pending (4.1.1) */
    } else {
        *lv &= ~b;
    }
    gic_update(m);
}

static void gic_reset(GIC *g)
{
    g->ctlr = 0;
    memset(g->group, 0, sizeof g->group);
    memset(g->enable, 0, sizeof g->enable);
    memset(g->pend_latch, 0, sizeof g->pend_latch);
    memset(g->active, 0, sizeof g->active);
    memset(g->edge, 0, sizeof g->edge);
    memset(g->prio, 0, sizeof g->prio);
    memset(g->irouter, 0, sizeof g->irouter);
    for (unsigned i = 0; i < g->ncpus; i++) {
        GICCpu *gc = &g->cpu[i];
        uint32_t level = gc->level & ~bitw(PPI_GIC_MAINT);
        memset(gc, 0, sizeof *gc);
        gc->level = level;
        gc->edge = 0x0000FFFFu;              /* SGIs are always edge-triggered */
        gc->waker = GICR_WAKER_PROCESSORSLEEP | GICR_WAKER_CHILDRENASLEEP;
        gc->bpr0 = GIC_MIN_BPR0;
        gc->bpr1 = GIC_MIN_BPR1;
        gc->sre_el2 = ICC_SRE_ENABLE;
        gc->ich_vmcr = ICH_VMCR_VFIQEN | (GIC_MIN_BPR1 << ICH_VMCR_VBPR1_SHIFT) |
                       (GIC_MIN_BPR0 << ICH_VMCR_VBPR0_SHIFT);
    }
    gic_lpi_reset(g);
    its_reset(g);
}

/* The state the board's firmware leaves the GIC in before the first
 * instruction of the loaded software, as TF-A does on real boards (its
 * gicv3_rdistif_on(): GICR_WAKER handshake for each core it powers on):
 * every redistributor is awake, GICR_WAKER.ProcessorSleep = 0 and
 * ChildrenAsleep = 0. Everything else keeps its reset value (GICv3 spec
 * 12.11.41 gives WAKER's reset value, ProcessorSleep = 1, which software
 * that writes 1 to it still sees: docs/gic.md). */
static void gic_firmware_handoff(GIC *g)
{
    for (unsigned i = 0; i < g->ncpus; i++)
        g->cpu[i].waker = 0;
}

a83_err gic_init(Machine *m)
{
    GIC *g = calloc(1, sizeof *g);
    if (!g)
        return A83_ERR_NOMEM;
    g->m = m;
    g->ncpus = m->ncpus;
    gic_reset(g);
    gic_firmware_handoff(g);
    m->gic = g;
    for (unsigned i = 0; i < m->ncpus; i++)
        m->cpu[i]->gic_cpu = &g->cpu[i];
    MMIORegion d = { .name = "gicv3-dist", .base = VIRT_GICD_BASE, .size = VIRT_GICD_SIZE,
                     .read = gicd_read, .write = gicd_write, .opaque = g };
    MMIORegion r = { .name = "gicv3-redist", .base = VIRT_GICR_BASE,
                     .size = VIRT_GICR_STRIDE * m->ncpus, .read = gicr_read,
                     .write = gicr_write, .opaque = g };
    MMIORegion its = { .name = "gicv3-its", .base = VIRT_GITS_BASE, .size = VIRT_GITS_SIZE,
                       .read = gits_read, .write = gits_write, .opaque = g };
    a83_err err;
    if ((err = machine_add_mmio(m, &d)) || (err = machine_add_mmio(m, &r)) ||
        (err = machine_add_mmio(m, &its)))
        return err;
    return A83_OK;
}

void gic_destroy(Machine *m)
{
    free(m->gic);
    m->gic = NULL;
}

/* ---- GICD MMIO -------------------------------------------------------------- */

/* Reads one of the 1-bit-per-INTID register banks for word w (w >= 1). */
static uint32_t dist_bits_read(GIC *g, uint64_t base, unsigned w)
{
    switch (base) {
    case GICD_IGROUPR: return g->group[w];
    case GICD_ISENABLER: case GICD_ICENABLER: return g->enable[w];
    case GICD_ISPENDR: case GICD_ICPENDR: {
        uint32_t v = 0;
        for (unsigned b = 0; b < 32; b++)
            if (gic_irq_pending(g, 0, w * 32 + b))
                v |= 1u << b;
        return v;
    }
    case GICD_ISACTIVER: case GICD_ICACTIVER: return g->active[w];
    }
    return 0;
}

static void dist_bits_write(GIC *g, uint64_t base, unsigned w, uint32_t v)
{
    switch (base) {
    case GICD_IGROUPR: g->group[w] = v; break;
    case GICD_ISENABLER: g->enable[w] |= v; break;
    case GICD_ICENABLER: g->enable[w] &= ~v; break;
    case GICD_ISPENDR: g->pend_latch[w] |= v; break;
    case GICD_ICPENDR: g->pend_latch[w] &= ~v; break;   /* a high level input stays pending */
    case GICD_ISACTIVER: g->active[w] |= v; break;
    case GICD_ICACTIVER: g->active[w] &= ~v; break;
    }
}

static bool gicd_read32(GIC *g, uint64_t off, uint32_t *v)
{
    *v = 0;
    if (off == GICD_CTLR) {
        *v = g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    } else if (off == GICD_TYPER) {
        /* LPIS[17] = 1 (with an ITS), MBIS = 0, SecurityExtn[10] = 0,
         * No1N[25] = 0, num_LPIs[15:11] = 0 (IDbits gives the LPI range) */
        *v = GICD_TYPER_ITLINES | ((g->ncpus - 1) << GICD_TYPER_CPUNUM_SHIFT) |
             (GICD_TYPER_IDBITS << GICD_TYPER_IDBITS_SHIFT) | GICD_TYPER_LPIS;
    } else if (off == GICD_IIDR) {
        *v = GICD_IIDR_VALUE;
    } else if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        uint64_t base = off & ~0x7Full;
        unsigned w = (unsigned)(off & 0x7F) / 4;
        if (w >= 1 && w < GIC_NR_WORDS)   /* word 0 is RAZ/WI with ARE = 1 */
            *v = dist_bits_read(g, base, w);
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + GIC_NR_IRQS) {
        unsigned id = (unsigned)(off - GICD_IPRIORITYR);
        if (id >= GIC_NR_PRIV)
            *v = g->prio[id] | g->prio[id + 1] << 8 | g->prio[id + 2] << 16 |
                 (uint32_t)g->prio[id + 3] << 24;
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + GIC_NR_IRQS / 4) {
        unsigned first = (unsigned)(off - GICD_ICFGR) * 4;
        if (first >= GIC_NR_PRIV)
            for (unsigned k = 0; k < 16; k++)
                if (g->edge[(first + k) / 32] & bitw(first + k))
                    *v |= 2u << (2 * k);
    } else if (off >= GICD_IROUTER + 8 * GIC_NR_PRIV && off < GICD_IROUTER + 8 * GIC_NR_IRQS) {
        uint64_t r = g->irouter[(off - GICD_IROUTER) / 8];
        *v = (uint32_t)(off & 4 ? r >> 32 : r);
    } else if (off >= GICD_PIDR4 && off <= 0xFFFC) {
        *v = gic_id_reg(off);
    }
    /* everything else (ITARGETSR, IGRPMODR, NSACR, SGIR, reserved): RAZ */
    return true;
}

static void gicd_write32(GIC *g, uint64_t off, uint32_t v)
{
    if (off == GICD_CTLR) {
        g->ctlr = v & (GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1 | GICD_CTLR_E1NWF);
    } else if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        unsigned w = (unsigned)(off & 0x7F) / 4;
        if (w >= 1 && w < GIC_NR_WORDS)
            dist_bits_write(g, off & ~0x7Full, w, v);
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + GIC_NR_IRQS) {
        unsigned id = (unsigned)(off - GICD_IPRIORITYR);
        if (id >= GIC_NR_PRIV)
            for (unsigned k = 0; k < 4; k++)
                g->prio[id + k] = (v >> (8 * k)) & GIC_PRIO_MASK;
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + GIC_NR_IRQS / 4) {
        unsigned first = (unsigned)(off - GICD_ICFGR) * 4;
        if (first >= GIC_NR_PRIV)
            for (unsigned k = 0; k < 16; k++) {
                unsigned id = first + k;
                if (v & (2u << (2 * k)))
                    g->edge[id / 32] |= bitw(id);
                else
                    g->edge[id / 32] &= ~bitw(id);
            }
    } else if (off >= GICD_IROUTER + 8 * GIC_NR_PRIV && off < GICD_IROUTER + 8 * GIC_NR_IRQS) {
        uint64_t *r = &g->irouter[(off - GICD_IROUTER) / 8];
        if (off & 4)
            *r = (*r & 0xFFFFFFFFull) | ((uint64_t)v << 32);
        else
            *r = (*r & ~0xFFFFFFFFull) | v;
        *r &= GICD_IROUTER_MASK;
    }
    /* RO and RAZ/WI registers ignore writes */
}

static bool size_ok(uint64_t off, unsigned size)
{
    if (off & (size - 1))
        return false;
    if (size == 4)
        return true;
    if (size == 1)   /* byte access: IPRIORITYR and ITARGETSR (GICv3 spec 12.9) */
        return off >= GICD_IPRIORITYR && off < GICD_ICFGR;
    if (size == 8)   /* 64-bit access: IROUTER */
        return off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1024;
    return false;
}

bool gicd_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    GIC *g = opaque;
    (void)cpu;
    if (!size_ok(off, size))
        return false;
    uint32_t lo, hi = 0;
    gicd_read32(g, off & ~3ull, &lo);
    if (size == 8)
        gicd_read32(g, off + 4, &hi);
    if (size == 1)
        *val = (lo >> (8 * (off & 3))) & 0xFF;
    else
        *val = lo | (uint64_t)hi << 32;
    return true;
}

bool gicd_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    GIC *g = opaque;
    (void)cpu;
    if (!size_ok(off, size))
        return false;
    if (size == 1) {
        /* IPRIORITYR byte: read-modify-write the word */
        uint64_t w = off & ~3ull;
        uint32_t cur;
        gicd_read32(g, w, &cur);
        unsigned sh = 8 * (unsigned)(off & 3);
        cur = (cur & ~(0xFFu << sh)) | (uint32_t)(val & 0xFF) << sh;
        gicd_write32(g, w, cur);
    } else {
        gicd_write32(g, off, (uint32_t)val);
        if (size == 8)
            gicd_write32(g, off + 4, (uint32_t)(val >> 32));
    }
    gic_update(g->m);
    return true;
}
