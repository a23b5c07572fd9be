/*
 * Snapshot section "CPUS" (docs/snapshots.md): each CPU's architectural
 * state (GPRs, SP banks, PC, PSTATE, FP/SIMD, every system register with
 * storage - EL2 and the NV2 state included -, the exclusive monitor), its
 * run state (power, WFI/WFE, event register), its counters (instructions,
 * cycles) and its TLB model. The interrupt lines are saved as they were
 * (the GIC recomputes them only at the next device-time step, exactly as
 * in the run that never stopped).
 *
 * Not saved (host-side caches, rebuilt on load): the host TLBs and iTLBs,
 * decoded pages, the MMU context pointers, fp_enabled.
 */
#include <stdlib.h>

#include "core/machine.h"
#include "core/snapio.h"
#include "cpu/fpaccess.h"

/* The saved part of a CPUState, parsed before anything is committed. */
typedef struct CpuArch {
    uint64_t x[32], sp, pc;
    uint32_t nzcv;
    uint8_t el, spsel, daif, pan, uao, ss, il;
    bool dbg_exec, dbg_wp;
    uint8_t ss_stepped, ss_ex, ss_eret;
    uint32_t irq_lines;
    uint64_t insns, cycles;
    uint64_t v[32][2];
    uint32_t fpcr, fpsr;
    uint64_t sp_el[3];
    uint64_t sr[SR__COUNT];
    bool excl_valid;
    uint64_t excl_pa, excl_va;
    uint32_t excl_size;
    uint64_t excl_val[2];
    bool powered, halted, event_reg, wait_ev_stale;
    uint64_t mpidr, midr;
    uint64_t mmu_snap[16];
    uint64_t walk_fetches;
    TLBModel tlbm;
} CpuArch;

static void save_cpu(const CPUState *c, SnapWriter *w)
{
    snap_put(w, c->x, sizeof c->x);
    snap_u64(w, c->sp);
    snap_u64(w, c->pc);
    snap_u32(w, c->nzcv);
    const uint8_t ps[7] = { c->el, c->spsel, c->daif, c->pan, c->uao, c->ss, c->il };
    snap_put(w, ps, sizeof ps);
    snap_bool(w, c->dbg_exec);
    snap_bool(w, c->dbg_wp);
    snap_u8(w, c->ss_stepped);
    snap_u8(w, c->ss_ex);
    snap_u8(w, c->ss_eret);
    snap_u32(w, c->irq_lines);
    snap_u64(w, cpu_insns(c));
    snap_u64(w, c->cycles);
    snap_put(w, c->v, sizeof c->v);
    snap_u32(w, c->fpcr);
    snap_u32(w, c->fpsr);
    snap_put(w, c->sp_el, sizeof c->sp_el);
    snap_u32(w, SR__COUNT);
    snap_put(w, c->sr, sizeof c->sr);
    snap_bool(w, c->excl_valid);
    snap_u64(w, c->excl_pa);
    snap_u64(w, c->excl_va);
    snap_u32(w, c->excl_size);
    snap_put(w, c->excl_val, sizeof c->excl_val);
    snap_bool(w, c->powered);
    snap_bool(w, c->halted);
    snap_bool(w, c->event_reg);
    snap_bool(w, c->wait_ev_stale);
    snap_u64(w, c->mpidr);
    snap_u64(w, c->midr);
    snap_put(w, c->mmu_snap, sizeof c->mmu_snap);
    snap_u64(w, c->walk_fetches);
    tlbm_snap_save(&c->tlbm, w);
}

static void load_cpu(Machine *m, CpuArch *a, SnapReader *r)
{
    snap_get(r, a->x, sizeof a->x);
    a->sp = snap_get_u64(r);
    a->pc = snap_get_u64(r);
    a->nzcv = snap_get_u32(r) & (NZCV_N | NZCV_Z | NZCV_C | NZCV_V);
    uint8_t ps[7];
    snap_get(r, ps, sizeof ps);
    unsigned max_el = (m->feat & FEATBIT(FEAT_EL2)) ? 2 : 1;
    a->el = (uint8_t)snap_check_max(r, ps[0], max_el, "PSTATE.EL");
    a->spsel = (uint8_t)snap_check_max(r, ps[1], 1, "PSTATE.SP");
    a->daif = (uint8_t)snap_check_max(r, ps[2], DAIF_D | DAIF_A | DAIF_I | DAIF_F, "PSTATE.DAIF");
    a->pan = (uint8_t)snap_check_max(r, ps[3], 1, "PSTATE.PAN");
    a->uao = (uint8_t)snap_check_max(r, ps[4], 1, "PSTATE.UAO");
    a->ss = (uint8_t)snap_check_max(r, ps[5], 1, "PSTATE.SS");
    a->il = (uint8_t)snap_check_max(r, ps[6], 1, "PSTATE.IL");
    a->dbg_exec = snap_get_bool(r);
    a->dbg_wp = snap_get_bool(r);
    a->ss_stepped = (uint8_t)snap_check_max(r, snap_get_u8(r), 1, "step state");
    a->ss_ex = (uint8_t)snap_check_max(r, snap_get_u8(r), 1, "step state");
    a->ss_eret = (uint8_t)snap_check_max(r, snap_get_u8(r), 1, "step state");
    a->irq_lines = (uint32_t)snap_check_max(r, snap_get_u32(r), 0x7F, "interrupt lines");
    a->insns = snap_get_u64(r);
    a->cycles = snap_get_u64(r);
    snap_get(r, a->v, sizeof a->v);
    a->fpcr = snap_get_u32(r);
    a->fpsr = snap_get_u32(r);
    snap_get(r, a->sp_el, sizeof a->sp_el);
    snap_check_max(r, snap_get_u32(r), SR__COUNT, "system register count");
    snap_get(r, a->sr, sizeof a->sr);
    a->excl_valid = snap_get_bool(r);
    a->excl_pa = snap_get_u64(r);
    a->excl_va = snap_get_u64(r);
    a->excl_size = (uint32_t)snap_check_max(r, snap_get_u32(r), 16, "exclusive size");
    snap_get(r, a->excl_val, sizeof a->excl_val);
    a->powered = snap_get_bool(r);
    a->halted = snap_get_bool(r);
    a->event_reg = snap_get_bool(r);
    a->wait_ev_stale = snap_get_bool(r);
    a->mpidr = snap_get_u64(r);
    a->midr = snap_get_u64(r);
    snap_get(r, a->mmu_snap, sizeof a->mmu_snap);
    a->walk_fetches = snap_get_u64(r);
    tlbm_snap_load(&a->tlbm, &m->timing.tlb, r);
}

a83_err cpu_snap_save(Machine *m, SnapWriter *w)
{
    snap_u32(w, m->ncpus);
    for (unsigned i = 0; i < m->ncpus; i++)
        save_cpu(m->cpu[i], w);
    return A83_OK;
}

void cpu_snap_load(Machine *m, SnapReader *r)
{
    uint32_t n = snap_get_u32(r);
    if (!r->err && n != m->ncpus) {
        snap_fail(r, "%u CPUs, this machine has %u", n, m->ncpus);
        return;
    }
    CpuArch *a = calloc(m->ncpus, sizeof *a);
    if (!a) {
        snap_fail(r, "out of memory");
        return;
    }
    for (unsigned i = 0; i < m->ncpus && !r->err; i++)
        load_cpu(m, &a[i], r);
    if (!snap_commit(r)) {
        free(a);
        return;
    }
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        const CpuArch *s = &a[i];
        memcpy(c->x, s->x, sizeof c->x);
        c->x[31] = 0;
        c->sp = s->sp;
        c->pc = s->pc;
        c->nzcv = s->nzcv;
        c->el = s->el;
        c->spsel = s->spsel;
        c->daif = s->daif;
        cpu_irq_masking_changed(c);
        c->pan = s->pan;
        c->uao = s->uao;
        c->ss = s->ss;
        c->il = s->il;
        c->dbg_exec = s->dbg_exec;
        c->dbg_wp = s->dbg_wp;
        c->ss_stepped = s->ss_stepped;
        c->ss_ex = s->ss_ex;
        c->ss_eret = s->ss_eret;
        c->exit_req = 0;
        c->irq_lines = s->irq_lines;
        c->insns = s->insns;
        c->budget = c->budget_mark = 0;
        c->cycles = s->cycles;
        c->cycle_limit = UINT64_MAX;
        memcpy(c->v, s->v, sizeof c->v);
        c->fpcr = s->fpcr;
        c->fpsr = s->fpsr;
        memcpy(c->sp_el, s->sp_el, sizeof c->sp_el);
        memcpy(c->sr, s->sr, sizeof c->sr);
        c->excl_valid = s->excl_valid;
        c->excl_pa = s->excl_pa;
        c->excl_va = s->excl_va;
        c->excl_size = s->excl_size;
        memcpy(c->excl_val, s->excl_val, sizeof c->excl_val);
        c->powered = s->powered;
        c->halted = s->halted;
        c->event_reg = s->event_reg;
        c->wait_ev_stale = s->wait_ev_stale;
        c->mpidr = s->mpidr;
        c->midr = s->midr;
        memcpy(c->mmu_snap, s->mmu_snap, sizeof c->mmu_snap);
        c->walk_fetches = s->walk_fetches;
        /* the model's contents, keeping its owner's evict callback */
        TLBMEvictFn evict = c->tlbm.evict;
        void *opaque = c->tlbm.opaque;
        c->tlbm = s->tlbm;
        c->tlbm.evict = evict;
        c->tlbm.opaque = opaque;
        fp_access_update(c);
    }
    free(a);
}
