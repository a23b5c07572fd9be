/*
 * Snapshot section "GIC3" (docs/snapshots.md): the distributor (GICD_CTLR,
 * SPI group/enable/pending/active/level/config, priorities, IROUTER), and
 * per CPU the redistributor's SGI/PPI state, the ICC_ CPU interface
 * (PMR, BPRs, CTLR, group enables, active priorities) and the ICH_ virtual
 * interface (HCR, VMCR, active priorities, list registers).
 * GICv3 spec 12.9-12.11 (distributor, redistributor), 12.2 (ICC_), 12.4
 * (ICH_). An ITS (GITS_*) adds its own registry entry.
 */
#include <stdlib.h>

#include "core/machine.h"
#include "core/snapio.h"
#include "gic/gic_internal.h"

static void save_words(SnapWriter *w, const uint32_t *a, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        snap_u32(w, a[i]);
}

static void load_words(SnapReader *r, uint32_t *a, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        a[i] = snap_get_u32(r);
}

static void save_gcpu(SnapWriter *w, const GICCpu *g)
{
    const uint32_t rd[6] = { g->group, g->enable, g->pend_latch, g->active, g->level, g->edge };
    save_words(w, rd, 6);
    snap_put(w, g->prio, sizeof g->prio);
    snap_u32(w, g->waker);
    snap_u32(w, g->rd_ctlr);
    snap_u8(w, g->pmr);
    snap_u8(w, g->bpr0);
    snap_u8(w, g->bpr1);
    snap_u32(w, g->ctlr);
    snap_bool(w, g->igrpen0);
    snap_bool(w, g->igrpen1);
    snap_u32(w, g->ap0r);
    snap_u32(w, g->ap1r);
    snap_u32(w, g->sre_el2);
    snap_u32(w, g->ich_hcr);
    snap_u32(w, g->ich_vmcr);
    snap_u32(w, g->ich_ap0r);
    snap_u32(w, g->ich_ap1r);
    snap_u32(w, GIC_NR_LRS);
    for (unsigned i = 0; i < GIC_NR_LRS; i++)
        snap_u64(w, g->lr[i]);
}

static void load_gcpu(SnapReader *r, GICCpu *g)
{
    uint32_t rd[6];
    load_words(r, rd, 6);
    g->group = rd[0];
    g->enable = rd[1];
    g->pend_latch = rd[2];
    g->active = rd[3];
    g->level = rd[4];
    g->edge = rd[5];
    snap_get(r, g->prio, sizeof g->prio);
    g->waker = snap_get_u32(r);
    g->rd_ctlr = snap_get_u32(r);
    g->pmr = snap_get_u8(r);
    g->bpr0 = (uint8_t)snap_check_max(r, snap_get_u8(r), 7, "ICC_BPR0");
    g->bpr1 = (uint8_t)snap_check_max(r, snap_get_u8(r), 7, "ICC_BPR1");
    g->ctlr = snap_get_u32(r);
    g->igrpen0 = snap_get_bool(r);
    g->igrpen1 = snap_get_bool(r);
    g->ap0r = snap_get_u32(r);
    g->ap1r = snap_get_u32(r);
    g->sre_el2 = snap_get_u32(r);
    g->ich_hcr = snap_get_u32(r);
    g->ich_vmcr = snap_get_u32(r);
    g->ich_ap0r = snap_get_u32(r);
    g->ich_ap1r = snap_get_u32(r);
    uint32_t nlr = snap_get_u32(r);
    if (!r->err && nlr != GIC_NR_LRS)
        snap_fail(r, "%u list registers, this GIC has %u", nlr, GIC_NR_LRS);
    for (unsigned i = 0; i < GIC_NR_LRS; i++)
        g->lr[i] = snap_get_u64(r);
}

a83_err gic_snap_save(Machine *m, SnapWriter *w)
{
    const GIC *g = m->gic;
    snap_u32(w, g->ncpus);
    snap_u32(w, g->ctlr);
    save_words(w, g->group, GIC_NR_WORDS);
    save_words(w, g->enable, GIC_NR_WORDS);
    save_words(w, g->pend_latch, GIC_NR_WORDS);
    save_words(w, g->active, GIC_NR_WORDS);
    save_words(w, g->level, GIC_NR_WORDS);
    save_words(w, g->edge, GIC_NR_WORDS);
    snap_put(w, g->prio, sizeof g->prio);
    for (unsigned i = 0; i < GIC_NR_IRQS; i++)
        snap_u64(w, g->irouter[i]);
    for (unsigned i = 0; i < g->ncpus; i++)
        save_gcpu(w, &g->cpu[i]);
    return A83_OK;
}

void gic_snap_load(Machine *m, SnapReader *r)
{
    GIC *g = m->gic;
    GIC *t = calloc(1, sizeof *t);
    if (!t) {
        snap_fail(r, "out of memory");
        return;
    }
    uint32_t n = snap_get_u32(r);
    if (!r->err && n != g->ncpus)
        snap_fail(r, "%u CPU interfaces, this GIC has %u", n, g->ncpus);
    t->ctlr = snap_get_u32(r);
    load_words(r, t->group, GIC_NR_WORDS);
    load_words(r, t->enable, GIC_NR_WORDS);
    load_words(r, t->pend_latch, GIC_NR_WORDS);
    load_words(r, t->active, GIC_NR_WORDS);
    load_words(r, t->level, GIC_NR_WORDS);
    load_words(r, t->edge, GIC_NR_WORDS);
    snap_get(r, t->prio, sizeof t->prio);
    for (unsigned i = 0; i < GIC_NR_IRQS; i++)
        t->irouter[i] = snap_get_u64(r);
    for (unsigned i = 0; i < g->ncpus && !r->err; i++)
        load_gcpu(r, &t->cpu[i]);
    if (snap_commit(r)) {
        g->ctlr = t->ctlr;
        memcpy(g->group, t->group, sizeof g->group);
        memcpy(g->enable, t->enable, sizeof g->enable);
        memcpy(g->pend_latch, t->pend_latch, sizeof g->pend_latch);
        memcpy(g->active, t->active, sizeof g->active);
        memcpy(g->level, t->level, sizeof g->level);
        memcpy(g->edge, t->edge, sizeof g->edge);
        memcpy(g->prio, t->prio, sizeof g->prio);
        memcpy(g->irouter, t->irouter, sizeof g->irouter);
        for (unsigned i = 0; i < g->ncpus; i++)
            g->cpu[i] = t->cpu[i];
    }
    free(t);
}

/* ---- ITS and LPIs (section GITS) ----------------------------------------------
 * The redistributors' LPI registers and pending bits (GICLpiRd) and the ITS's
 * registers (GICITS); every ITS and LPI table is guest memory, saved with
 * RAM. Field by field, like the rest of the GIC. */

static void save_lpi(SnapWriter *w, const GICLpiRd *l)
{
    snap_u64(w, l->propbaser);
    snap_u64(w, l->pendbaser);
    snap_bool(w, l->enabled);
    snap_u32(w, l->npend);
    for (unsigned i = 0; i < GIC_LPI_WORDS; i++)
        snap_u64(w, l->pend[i]);
}

static void load_lpi(SnapReader *r, GICLpiRd *l)
{
    l->propbaser = snap_get_u64(r);
    l->pendbaser = snap_get_u64(r);
    l->enabled = snap_get_bool(r);
    l->npend = (uint32_t)snap_check_max(r, snap_get_u32(r), GIC_LPI_LIMIT - GIC_LPI_BASE, "LPI pending count");
    for (unsigned i = 0; i < GIC_LPI_WORDS; i++)
        l->pend[i] = snap_get_u64(r);
    if (!r->err) {
        uint32_t n = 0;
        for (unsigned i = 0; i < GIC_LPI_WORDS; i++)
            n += (uint32_t)__builtin_popcountll(l->pend[i]);
        if (n != l->npend)
            snap_fail(r, "LPI pending count %u, %u bits set", l->npend, n);
    }
}

a83_err its_snap_save(Machine *m, SnapWriter *w)
{
    const GIC *g = m->gic;
    snap_u32(w, g->ncpus);
    for (unsigned i = 0; i < g->ncpus; i++)
        save_lpi(w, &g->lpi[i]);
    const GICITS *s = &g->its;
    snap_u32(w, s->ctlr);
    snap_u64(w, s->cbaser);
    snap_u64(w, s->cwriter);
    snap_u64(w, s->creadr);
    for (unsigned i = 0; i < ITS_NR_BASER; i++)
        snap_u64(w, s->baser[i]);
    snap_u32(w, s->error);
    snap_u64(w, s->commands);
    snap_u64(w, s->dropped);
    return A83_OK;
}

void its_snap_load(Machine *m, SnapReader *r)
{
    GIC *g = m->gic;
    GICLpiRd *t = calloc(A83_MAX_CPUS, sizeof *t);
    if (!t) {
        snap_fail(r, "out of memory");
        return;
    }
    uint32_t n = snap_get_u32(r);
    if (!r->err && n != g->ncpus)
        snap_fail(r, "%u redistributors, this GIC has %u", n, g->ncpus);
    for (unsigned i = 0; i < g->ncpus && !r->err; i++)
        load_lpi(r, &t[i]);
    GICITS s = { 0 };
    s.ctlr = snap_get_u32(r);
    s.cbaser = snap_get_u64(r);
    s.cwriter = snap_get_u64(r);
    s.creadr = snap_get_u64(r);
    for (unsigned i = 0; i < ITS_NR_BASER; i++)
        s.baser[i] = snap_get_u64(r);
    s.error = snap_get_u32(r);
    s.commands = snap_get_u64(r);
    s.dropped = snap_get_u64(r);
    if (snap_commit(r)) {
        for (unsigned i = 0; i < g->ncpus; i++)
            g->lpi[i] = t[i];
        g->its = s;
    }
    free(t);
}
