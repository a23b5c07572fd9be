/*
 * LPIs in the redistributors (GICv3 spec 5.1 "LPIs"; registers 12.11.2
 * GICR_CTLR, 12.11.29 GICR_PENDBASER, 12.11.30 GICR_PROPBASER).
 *
 * The LPI configuration table (one byte per LPI: priority [7:2], Enable
 * [0]) and the pending table (one bit per INTID) are in guest memory,
 * read and written through the board's physical memory with bounds
 * checks: a table byte outside guest RAM reads as "disabled" / "not
 * pending" and is never written (no host access outside RAM).
 *
 * Caching (GICv3 spec 5.1.1, 5.3.x INV/INVALL): the model keeps no copy of
 * the configuration table; every evaluation of the highest-priority
 * pending interrupt reads the bytes of the pending LPIs, so a change to the
 * table is seen at the next evaluation (the next GIC state change or
 * scheduler round), which the architecture permits. Software must still
 * issue INV/INVALL + SYNC as the spec requires; they make the model
 * re-evaluate at once. The pending table is cached (pend[]) and written
 * through, so guest memory always holds the architected pending state.
 */
#include <string.h>

#include "core/machine.h"
#include "gic/gic_internal.h"

/* GICR_CTLR (12.11.2) */
#define GICR_CTLR_ENABLELPIS (1u << 0)
/* GICR_PROPBASER (12.11.30) */
#define GICR_PROPBASER_IDBITS_MASK 0x1Full
#define GICR_PROPBASER_PA_MASK 0x000FFFFFFFFFF000ull
#define GICR_PROPBASER_RW_MASK 0x070FFFFFFFFFFF9Full   /* OuterCache, PA, Shareability, InnerCache, IDbits */
/* GICR_PENDBASER (12.11.29) */
#define GICR_PENDBASER_PA_MASK 0x000FFFFFFFFF0000ull
#define GICR_PENDBASER_PTZ (1ull << 62)
#define GICR_PENDBASER_RW_MASK 0x070FFFFFFFFF0F80ull   /* OuterCache, PA, Shareability, InnerCache */

enum { GICR_CTLR_OFF = 0x0000, GICR_PROPBASER_OFF = 0x0070, GICR_PENDBASER_OFF = 0x0078 };

unsigned gic_lpi_idbits(const GICLpiRd *rd)
{
    unsigned bits = (unsigned)(rd->propbaser & GICR_PROPBASER_IDBITS_MASK) + 1;
    if (bits > GIC_LPI_ID_BITS)
        bits = GIC_LPI_ID_BITS;
    return bits < 14 ? 0 : bits;   /* fewer than 14 bits: no LPI INTID (5.1.1) */
}

static bool lpi_in_range(const GICLpiRd *rd, unsigned intid)
{
    unsigned bits = gic_lpi_idbits(rd);
    return bits && intid >= GIC_LPI_BASE && intid < (1u << bits);
}

bool gic_lpi_config(const GIC *g, unsigned cpu, unsigned intid, uint8_t *cfg)
{
    const GICLpiRd *rd = &g->lpi[cpu];
    if (!lpi_in_range(rd, intid))
        return false;
    uint64_t pa = (rd->propbaser & GICR_PROPBASER_PA_MASK) + (intid - GIC_LPI_BASE);
    MemBlock *b = machine_find_mem(g->m, pa, 1);
    if (!b)
        return false;
    *cfg = b->host[pa - b->base];
    return true;
}

bool gic_lpi_pending(const GIC *g, unsigned cpu, unsigned intid)
{
    const GICLpiRd *rd = &g->lpi[cpu];
    if (!rd->enabled || !lpi_in_range(rd, intid))
        return false;
    unsigned n = intid - GIC_LPI_BASE;
    return (rd->pend[n / 64] >> (n % 64)) & 1;
}

/* Writes bit intid of the pending table in guest memory (5.1.2: one bit
 * per INTID from the table's base; the first 1 KiB covers INTIDs
 * 0..8191 and is not written). Outside RAM: not written. */
static void pend_table_write(GIC *g, const GICLpiRd *rd, unsigned intid, bool on)
{
    uint64_t pa = (rd->pendbaser & GICR_PENDBASER_PA_MASK) + intid / 8;
    MemBlock *b = machine_find_mem(g->m, pa, 1);
    if (!b || b->readonly)
        return;
    uint8_t v = b->host[pa - b->base];
    uint8_t nv = on ? (uint8_t)(v | 1u << (intid % 8)) : (uint8_t)(v & ~(1u << (intid % 8)));
    if (nv != v)
        machine_phys_write(g->m, pa, &nv, 1);
}

void gic_lpi_set_pending(GIC *g, unsigned cpu, unsigned intid, bool on)
{
    GICLpiRd *rd = &g->lpi[cpu];
    if (!rd->enabled || !lpi_in_range(rd, intid))
        return;
    unsigned n = intid - GIC_LPI_BASE;
    uint64_t b = 1ull << (n % 64), *w = &rd->pend[n / 64];
    if (on && !(*w & b)) {
        *w |= b;
        rd->npend++;
    } else if (!on && (*w & b)) {
        *w &= ~b;
        rd->npend--;
    } else {
        return;
    }
    pend_table_write(g, rd, intid, on);
}

void gic_lpi_move_all(GIC *g, unsigned from, unsigned to)
{
    if (from == to)
        return;
    GICLpiRd *src = &g->lpi[from];
    for (unsigned w = 0; w < GIC_LPI_WORDS && src->npend; w++) {
        uint64_t bits = src->pend[w];
        while (bits) {
            unsigned intid = GIC_LPI_BASE + w * 64 + (unsigned)__builtin_ctzll(bits);
            bits &= bits - 1;
            gic_lpi_set_pending(g, from, intid, false);
            gic_lpi_set_pending(g, to, intid, true);
        }
    }
}

void gic_lpi_hppi(const GIC *g, unsigned cpu, unsigned *best, unsigned *bprio)
{
    const GICLpiRd *rd = &g->lpi[cpu];
    if (!rd->enabled || !rd->npend)
        return;
    /* LPIs are Group 1 with one Security state (5.1) */
    const GICCpu *gc = &g->cpu[cpu];
    if ((gc->waker & GICR_WAKER_PROCESSORSLEEP) || !(g->ctlr & GICD_CTLR_ENABLEGRP1) ||
        !gc->igrpen1)
        return;
    unsigned left = rd->npend;
    for (unsigned w = 0; w < GIC_LPI_WORDS && left; w++) {
        uint64_t bits = rd->pend[w];
        while (bits) {
            unsigned intid = GIC_LPI_BASE + w * 64 + (unsigned)__builtin_ctzll(bits);
            bits &= bits - 1;
            left--;
            uint8_t cfg;
            if (!gic_lpi_config(g, cpu, intid, &cfg) || !(cfg & 1))
                continue;
            unsigned prio = cfg & GIC_PRIO_MASK;   /* priority [7:2], 5 bits kept */
            if (prio < *bprio) {   /* ties: the lower INTID, already found first */
                *bprio = prio;
                *best = intid;
            }
        }
    }
}

/* EnableLPIs 0 -> 1: the redistributor takes ownership of the pending
 * table (5.1.2). With PENDBASER.PTZ = 1 software promised it is zero;
 * otherwise the pending bits are loaded from it. */
static void lpi_enable(GIC *g, unsigned cpu, bool ptz)
{
    GICLpiRd *rd = &g->lpi[cpu];
    memset(rd->pend, 0, sizeof rd->pend);
    rd->npend = 0;
    rd->enabled = true;
    unsigned bits = gic_lpi_idbits(rd);
    if (ptz || !bits)
        return;
    uint64_t base = rd->pendbaser & GICR_PENDBASER_PA_MASK;
    for (unsigned w = 0; w < GIC_LPI_WORDS && GIC_LPI_BASE + w * 64 < (1u << bits); w++) {
        uint64_t pa = base + (GIC_LPI_BASE + w * 64) / 8;
        MemBlock *b = machine_find_mem(g->m, pa, 8);
        if (!b)
            break;
        uint64_t v;
        memcpy(&v, b->host + (pa - b->base), 8);
        rd->pend[w] = v;
        rd->npend += (uint32_t)__builtin_popcountll(v);
    }
}

uint64_t gic_lpi_reg_read(GIC *g, unsigned cpu, uint32_t off)
{
    const GICLpiRd *rd = &g->lpi[cpu];
    switch (off) {
    case GICR_CTLR_OFF: return rd->enabled ? GICR_CTLR_ENABLELPIS : 0;   /* RWP = 0 */
    case GICR_PROPBASER_OFF: return rd->propbaser;
    case GICR_PENDBASER_OFF: return rd->pendbaser & ~GICR_PENDBASER_PTZ;   /* PTZ reads 0 */
    }
    return 0;
}

/* off is GICR_CTLR, or PROPBASER/PENDBASER (+4 for the upper half of a
 * 32-bit access). */
void gic_lpi_reg_write(GIC *g, unsigned cpu, uint32_t off, uint64_t v, unsigned size)
{
    GICLpiRd *rd = &g->lpi[cpu];
    if (off == GICR_CTLR_OFF) {
        bool on = v & GICR_CTLR_ENABLELPIS;
        if (on && !rd->enabled) {
            lpi_enable(g, cpu, rd->pendbaser & GICR_PENDBASER_PTZ);
        } else if (!on && rd->enabled) {
            /* Clearing EnableLPIs (IMPLEMENTATION DEFINED whether
             * supported): supported, takes effect at once (RWP = 0); the
             * pending table in memory already holds the state. */
            rd->enabled = false;
            rd->npend = 0;
            memset(rd->pend, 0, sizeof rd->pend);
        }
        rd->pendbaser &= ~GICR_PENDBASER_PTZ;
        return;
    }
    if (rd->enabled)
        return;   /* writes while EnableLPIs = 1 are UNPREDICTABLE: ignored */
    uint32_t base = off & ~7u;
    uint64_t *r = base == GICR_PROPBASER_OFF ? &rd->propbaser : &rd->pendbaser;
    uint64_t mask = base == GICR_PROPBASER_OFF ? GICR_PROPBASER_RW_MASK
                                               : GICR_PENDBASER_RW_MASK | GICR_PENDBASER_PTZ;
    uint64_t nv;
    if (size == 8)
        nv = v;
    else if (off & 4)
        nv = (*r & 0xFFFFFFFFull) | (v << 32);
    else
        nv = (*r & ~0xFFFFFFFFull) | (v & 0xFFFFFFFFull);
    *r = nv & mask;   /* PTZ is kept until the next GICR_CTLR write, then reads 0 */
}

void gic_lpi_reset(GIC *g)
{
    memset(g->lpi, 0, sizeof g->lpi);
}
