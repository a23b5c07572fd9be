/*
 * GICv3 redistributors (GICv3 spec 12.10 RD_base frame, 12.11 SGI_base
 * frame): one per CPU at VIRT_GICR_BASE + n * 128 KiB, holding the SGI and
 * PPI state (INTIDs 0..31) of that CPU, and the LPI registers
 * (GICR_TYPER.PLPIS = 1; GICR_CTLR.EnableLPIs, GICR_PROPBASER,
 * GICR_PENDBASER: gic_lpi.c). No direct LPI injection (DirectLPI = 0).
 */
#include "core/modules.h"
#include "gic/gic_internal.h"

#define GICR_SGI_BASE 0x10000u
#define GICR_FRAME_SIZE 0x10000u

/* RD_base registers (GICv3 spec Table 12-27) */
enum {
    GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_STATUSR = 0x0010,
    GICR_WAKER = 0x0014, GICR_PROPBASER = 0x0070, GICR_PENDBASER = 0x0078,
    GICR_PIDR4 = 0xFFD0,
};
/* SGI_base registers (GICv3 spec Table 12-28), offsets within that frame */
enum {
    GICR_IGROUPR0 = 0x0080, GICR_ISENABLER0 = 0x0100, GICR_ICENABLER0 = 0x0180,
    GICR_ISPENDR0 = 0x0200, GICR_ICPENDR0 = 0x0280, GICR_ISACTIVER0 = 0x0300,
    GICR_ICACTIVER0 = 0x0380, GICR_IPRIORITYR = 0x0400, GICR_ICFGR0 = 0x0C00,
    GICR_ICFGR1 = 0x0C04, GICR_IGRPMODR0 = 0x0D00, GICR_NSACR = 0x0E00,
};

/* GICR_TYPER fields (GICv3 spec 12.10.33) */
#define GICR_TYPER_PLPIS (1ull << 0)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_TYPER_PROCNUM_SHIFT 8
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_IIDR_VALUE 0x0000043Bu

static uint64_t gicr_typer(const GIC *g, unsigned cpu)
{
    uint64_t mp = g->m->cpu[cpu]->mpidr;
    /* Affinity_Value = Aff3.Aff2.Aff1.Aff0 */
    uint64_t aff = (mp & 0xFFFFFF) | ((mp >> 32 & 0xFF) << 24);
    uint64_t v = (aff << GICR_TYPER_AFF_SHIFT) | ((uint64_t)cpu << GICR_TYPER_PROCNUM_SHIFT) |
                 GICR_TYPER_PLPIS;
    if (cpu == g->ncpus - 1)
        v |= GICR_TYPER_LAST;
    return v;
}

static uint32_t rd_read32(GIC *g, unsigned cpu, uint32_t off)
{
    GICCpu *gc = &g->cpu[cpu];
    if (off < GICR_FRAME_SIZE) {
        switch (off) {
        case GICR_CTLR: return (uint32_t)gic_lpi_reg_read(g, cpu, GICR_CTLR);   /* RWP = 0 */
        case GICR_IIDR: return GICR_IIDR_VALUE;
        case GICR_TYPER: return (uint32_t)gicr_typer(g, cpu);
        case GICR_TYPER + 4: return (uint32_t)(gicr_typer(g, cpu) >> 32);
        case GICR_WAKER: return gc->waker;
        case GICR_PROPBASER: case GICR_PENDBASER:
            return (uint32_t)gic_lpi_reg_read(g, cpu, off);
        case GICR_PROPBASER + 4: case GICR_PENDBASER + 4:
            return (uint32_t)(gic_lpi_reg_read(g, cpu, off - 4) >> 32);
        }
        if (off >= GICR_PIDR4 && off <= 0xFFFC)
            return gic_id_reg(off);
        return 0;
    }
    off -= GICR_SGI_BASE;
    switch (off) {
    case GICR_IGROUPR0: return gc->group;
    case GICR_ISENABLER0: case GICR_ICENABLER0: return gc->enable;
    case GICR_ISPENDR0: case GICR_ICPENDR0: return gc->pend_latch | (gc->level & ~gc->edge);
    case GICR_ISACTIVER0: case GICR_ICACTIVER0: return gc->active;
    case GICR_ICFGR0: return 0xAAAAAAAAu;   /* SGIs: edge-triggered, RO */
    case GICR_ICFGR1: {
        uint32_t v = 0;
        for (unsigned k = 0; k < 16; k++)
            if (gc->edge & (1u << (16 + k)))
                v |= 2u << (2 * k);
        return v;
    }
    }
    if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + GIC_NR_PRIV) {
        unsigned id = off - GICR_IPRIORITYR;
        return gc->prio[id] | gc->prio[id + 1] << 8 | gc->prio[id + 2] << 16 |
               (uint32_t)gc->prio[id + 3] << 24;
    }
    return 0;   /* IGRPMODR0, NSACR (DS = 1): RAZ/WI; reserved: RAZ */
}

static void rd_write32(GIC *g, unsigned cpu, uint32_t off, uint32_t v)
{
    GICCpu *gc = &g->cpu[cpu];
    if (off < GICR_FRAME_SIZE) {
        if (off == GICR_WAKER) {
            /* ProcessorSleep is RW; ChildrenAsleep follows it at once
             * (the handshake of GICv3 spec 12.11.41 completes instantly). */
            gc->waker = (v & GICR_WAKER_PROCESSORSLEEP) ? GICR_WAKER_PROCESSORSLEEP |
                                                          GICR_WAKER_CHILDRENASLEEP
                                                        : 0;
        } else if (off == GICR_CTLR || (off >= GICR_PROPBASER && off < GICR_PENDBASER + 8)) {
            gic_lpi_reg_write(g, cpu, off, v, 4);
        }
        return;
    }
    off -= GICR_SGI_BASE;
    switch (off) {
    case GICR_IGROUPR0: gc->group = v; return;
    case GICR_ISENABLER0: gc->enable |= v; return;
    case GICR_ICENABLER0: gc->enable &= ~v; return;
    case GICR_ISPENDR0: gc->pend_latch |= v; return;
    case GICR_ICPENDR0: gc->pend_latch &= ~v; return;
    case GICR_ISACTIVER0: gc->active |= v; return;
    case GICR_ICACTIVER0: gc->active &= ~v; return;
    case GICR_ICFGR1:
        for (unsigned k = 0; k < 16; k++) {
            uint32_t b = 1u << (16 + k);
            if (v & (2u << (2 * k)))
                gc->edge |= b;
            else
                gc->edge &= ~b;
        }
        return;
    }
    if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + GIC_NR_PRIV) {
        unsigned id = off - GICR_IPRIORITYR;
        for (unsigned k = 0; k < 4; k++)
            gc->prio[id + k] = (v >> (8 * k)) & GIC_PRIO_MASK;
    }
}

static bool decode(GIC *g, uint64_t off, unsigned size, unsigned *cpu, uint32_t *rel)
{
    if (off & (size - 1))
        return false;
    *cpu = (unsigned)(off / VIRT_GICR_STRIDE);
    *rel = (uint32_t)(off % VIRT_GICR_STRIDE);
    if (*cpu >= g->ncpus)
        return false;
    if (size == 4)
        return true;
    if (size == 8)   /* GICR_TYPER (and the LPI base registers) are 64-bit */
        return *rel == GICR_TYPER || *rel == GICR_PROPBASER || *rel == GICR_PENDBASER;
    if (size == 1)   /* IPRIORITYR is byte-accessible */
        return *rel >= GICR_SGI_BASE + GICR_IPRIORITYR &&
               *rel < GICR_SGI_BASE + GICR_IPRIORITYR + GIC_NR_PRIV;
    return false;
}

bool gicr_read(void *opaque, CPUState *c, uint64_t off, unsigned size, uint64_t *val)
{
    GIC *g = opaque;
    unsigned cpu;
    uint32_t rel;
    (void)c;
    if (!decode(g, off, size, &cpu, &rel))
        return false;
    uint32_t lo = rd_read32(g, cpu, rel & ~3u);
    if (size == 1)
        *val = (lo >> (8 * (rel & 3))) & 0xFF;
    else if (size == 8)
        *val = lo | (uint64_t)rd_read32(g, cpu, rel + 4) << 32;
    else
        *val = lo;
    return true;
}

bool gicr_write(void *opaque, CPUState *c, uint64_t off, unsigned size, uint64_t val)
{
    GIC *g = opaque;
    unsigned cpu;
    uint32_t rel;
    (void)c;
    if (!decode(g, off, size, &cpu, &rel))
        return false;
    if (size == 1) {
        uint32_t w = rel & ~3u, sh = 8 * (rel & 3);
        uint32_t cur = rd_read32(g, cpu, w);
        rd_write32(g, cpu, w, (cur & ~(0xFFu << sh)) | (uint32_t)(val & 0xFF) << sh);
    } else if (size == 4) {
        rd_write32(g, cpu, rel, (uint32_t)val);
    } else if (rel == GICR_PROPBASER || rel == GICR_PENDBASER) {
        gic_lpi_reg_write(g, cpu, rel, val, 8);
    }   /* other 64-bit writes reach only GICR_TYPER (RO) */
    gic_update(g->m);
    return true;
}
