/*
 * Invalidation of the software TLBs (one per translation context, see
 * cpu.h). The TLBs are not tagged by ASID or VMID; TLBI and register
 * changes drop whole contexts or the entries of one VA. Over-invalidation
 * is always architecturally allowed (Arm ARM D8.13), under-invalidation
 * never is: entries filled from blocks larger than 4 KiB are found through
 * per-context VA bounds and their recorded mapping size.
 */
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"
#include "timing/tlb_model_inline.h"

/* TLBI by VA compares VA[55:12] (the operand carries VA[55:12]; the top
 * byte of tagged addresses is not part of the translation). */
#define VA56 ((1ull << 56) - 1)

/* VTCR_EL2.VS (bit 19): 16-bit VMID. TCR_ELx.A1 and AS: mmu/tcr.h. */
#define VTCR_VS (1ull << 19)

/* Every set (CPUState.tlb_set: one per context, and the EL1&0 spare). */
#define ALL_SETS ((1u << TLB_SETS) - 1)

/* The sets the contexts of ctxmask use now. */
static unsigned sets_of(const CPUState *c, unsigned ctxmask)
{
    unsigned m = 0;
    for (unsigned i = 0; i < MMUIDX__COUNT; i++)
        if (ctxmask & (1u << i))
            m |= 1u << c->tlb_set[i];
    return m;
}

/* A set's bookkeeping after it was emptied. */
static void reset_bounds(CPUState *c, unsigned s)
{
    rangeset_clear(&c->tlb_big[s][0]);
    rangeset_clear(&c->tlb_big[s][1]);
    if (c->tlb_nsel[s]) {
        c->tlb_nsel[s] = 0;
        memset(c->tlb_sel_map[s], 0, sizeof c->tlb_sel_map[s]);
    }
}

/* Empties set s (both TLBs) if anything was filled into it. */
static void flush_one(CPUState *c, unsigned s)
{
    if (c->tlb_used & (1u << s)) {
        memset(c->tlbs[s], 0xff, sizeof c->tlbs[s]);
        memset(c->itlbs[s], 0xff, sizeof c->itlbs[s]);
    }
    reset_bounds(c, s);
    c->tlb_used &= ~(1u << s);
}

/* A set nothing was filled into since its last flush is still all-invalid:
 * flush_one() skips the memsets. */
static void flush_sets(CPUState *c, unsigned setmask)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        if (setmask & (1u << s))
            flush_one(c, s);
}

void mmu_tlb_flush_ctx(CPUState *c, unsigned ctxmask)
{
    flush_sets(c, sets_of(c, ctxmask));
}

/* Every set, and the spare's tag with them. */
static void flush_all_sets(CPUState *c)
{
    flush_sets(c, ALL_SETS);
    c->e10_spare_valid = false;
}

void mmu_tlb_sets_init(CPUState *c)
{
    for (unsigned i = 0; i < MMUIDX__COUNT; i++)
        c->tlb_set[i] = (uint8_t)i;
    for (unsigned k = 0; k < TLB_E10_CONTEXTS; k++)
        c->tlb_e10_spare[k] = (uint8_t)(MMUIDX__COUNT + k);
    c->e10_spare_valid = false;
}

void cpu_tlb_flush_all(CPUState *c)
{
    flush_all_sets(c);
    mmu_snapshot_regs(c);
}

/*
 * Two sets for EL1&0. A hypervisor that runs two guests (or a guest and
 * its nested guest, as KVM does for a guest hypervisor) rewrites the EL1&0
 * translation registers on every switch between them. The host TLBs are
 * not tagged by VMID or ASID, so each switch used to empty the EL1&0
 * contexts' sets, and every page the other guest touched again cost a
 * table walk (the nested run switches 272,506 times, 99.5% of them back to
 * the register state before the last switch). Now the sets of the state
 * left become the spare, tagged with that state's registers (old), and the
 * spare becomes the contexts' sets: kept when its tag is the new state
 * (new), emptied otherwise. A kept entry is what a walk under the same
 * registers gives: every TLBI that could apply to it while it was the
 * spare emptied the spare (mmu_tlb_spare_tlbi()). It is as consistent with
 * the TLB model as any other: the model's L1 drops reach it through
 * host_drop() (an owner bit per set), and a dropped page's entry asks the
 * model again with the walk it recorded. Host-side only: the model
 * decides every cost.
 */
void mmu_tlb_e10_switch(CPUState *c, const uint64_t old[TLB_E10_SNAP],
                        const uint64_t new_[TLB_E10_SNAP])
{
    bool keep = c->e10_spare_valid && !memcmp(c->e10_spare_snap, new_, sizeof c->e10_spare_snap);
    unsigned fresh = 0;
    for (unsigned k = 0; k < TLB_E10_CONTEXTS; k++) {
        uint8_t cur = c->tlb_set[MMUIDX_E10_0 + k];
        c->tlb_set[MMUIDX_E10_0 + k] = c->tlb_e10_spare[k];
        c->tlb_e10_spare[k] = cur;
        fresh |= 1u << c->tlb_set[MMUIDX_E10_0 + k];
    }
    memcpy(c->e10_spare_snap, old, sizeof c->e10_spare_snap);
    c->e10_spare_valid = true;
    if (!keep)
        flush_sets(c, fresh);
}

/* The VMID that VTTBR_EL2 value vttbr gives under VTCR_EL2 value vtcr:
 * VTTBR_EL2.VMID, 8 bits unless VTCR_EL2.VS = 1 (Arm ARM D8.12); 0
 * without EL2. */
static uint16_t vmid_of(const CPUState *c, uint64_t vttbr, uint64_t vtcr)
{
    if (!has_feat(c, FEAT_EL2))
        return 0;
    uint64_t v = vttbr >> 48;
    return (uint16_t)((vtcr & VTCR_VS) ? v : v & 0xff);
}

/* The VMID of the spare's registers. */
static uint16_t spare_vmid(const CPUState *c)
{
    return vmid_of(c, c->e10_spare_snap[E10_SNAP_VTTBR], c->e10_spare_snap[E10_SNAP_VTCR]);
}

void mmu_tlb_spare_tlbi(CPUState *c, unsigned ctxmask, const TLBMScope *s)
{
    if (!(ctxmask & CTX_E10) || !c->e10_spare_valid)
        return;
    if (s && !(s->regimes & (1u << TLBM_REGIME_EL10)))
        return;
    if (s && s->by_vmid && s->vmid != spare_vmid(c))
        return;     /* another VMID's entries: the TLBI does not apply to them */
    unsigned spare = 0;
    for (unsigned k = 0; k < TLB_E10_CONTEXTS; k++)
        spare |= 1u << c->tlb_e10_spare[k];
    flush_sets(c, spare);
    c->e10_spare_valid = false;
}

/* Whether an entry for va with MATTR_* attrs is one that a context switch
 * can drop (mmu_tlb_flush_select()): non-global, or in the lower VA range. */
static inline bool sel_candidate(uint64_t va, uint32_t attrs)
{
    return (attrs & MATTR_NG) || !((va >> 55) & 1);
}

void mmu_tlb_note_fill(CPUState *c, unsigned ctx, uint64_t va, uint32_t attrs, bool itlb)
{
    unsigned idx = c->tlb_set[ctx];   /* the bookkeeping is the set's */
    if (sel_candidate(va, attrs)) {
        unsigned slot = (unsigned)(va >> PAGE_BITS) & (TLB_SIZE - 1);
        uint64_t *w = &c->tlb_sel_map[idx][slot / 64], bit = 1ull << (slot % 64);
        if (!(*w & bit)) {
            *w |= bit;
            if (c->tlb_nsel[idx] < TLB_SEL_MAX)
                c->tlb_sel[idx][c->tlb_nsel[idx]] = (uint16_t)slot;
            if (c->tlb_nsel[idx] <= TLB_SEL_MAX)
                c->tlb_nsel[idx]++;   /* TLB_SEL_MAX + 1: the list overflowed */
        }
    }
    unsigned lg_size = MATTR_LGSIZE(attrs);
    if (lg_size <= PAGE_BITS)
        return;
    uint64_t lo = va & VA56 & ~((1ull << lg_size) - 1);
    uint64_t hi = lo + ((1ull << lg_size) - 1);
    rangeset_add(&c->tlb_big[idx][itlb], lo, hi);
}

static inline uint64_t tag_key(uint64_t tag) { return tag & VA56 & PAGE_MASK; }

static inline bool entry_valid_key(const TLBEntry *e, uint64_t *key)
{
    uint64_t t = e->tag_r != ~0ull ? e->tag_r : e->tag_w;
    if (t == ~0ull)
        return false;
    *key = tag_key(t);
    return true;
}

static inline void entry_kill(TLBEntry *e)
{
    e->tag_r = e->tag_w = ~0ull;
}

/* Whether an entry with key ek filled from a mapping of MATTR_* attrs
 * (its block size) covers the page k. */
static inline bool entry_covers(uint64_t ek, uint32_t attrs, uint64_t k)
{
    unsigned lg = MATTR_LGSIZE(attrs);
    if (lg < PAGE_BITS)
        lg = PAGE_BITS;
    return !((ek ^ k) & ~((1ull << lg) - 1));
}

void mmu_tlb_flush_va(CPUState *c, unsigned ctxmask, uint64_t va)
{
    uint64_t k = va & VA56 & PAGE_MASK;
    unsigned slot = (unsigned)(va >> PAGE_BITS) & (TLB_SIZE - 1);
    unsigned sets = sets_of(c, ctxmask) & c->tlb_used;
    for (unsigned i = 0; i < TLB_SETS; i++) {
        if (!(sets & (1u << i)))
            continue;   /* nothing filled since its last flush: all invalid */
        /* Inside a block mapping some entry came from: drop every entry
         * whose mapping covers va (data and instruction TLB apart). */
        if (rangeset_covers(&c->tlb_big[i][0], k)) {
            for (unsigned j = 0; j < TLB_SIZE; j++) {
                TLBEntry *e = &c->tlbs[i][j];
                uint64_t ek;
                if (entry_valid_key(e, &ek) && entry_covers(ek, tlb_attrs(e), k))
                    entry_kill(e);
            }
        } else {
            TLBEntry *e = &c->tlbs[i][slot];
            uint64_t ek;
            if (entry_valid_key(e, &ek) && ek == k)
                entry_kill(e);
        }
        if (rangeset_covers(&c->tlb_big[i][1], k)) {
            for (unsigned j = 0; j < TLB_SIZE; j++) {
                ITLBEntry *ie = &c->itlbs[i][j];
                if (ie->tag != ~0ull && entry_covers(tag_key(ie->tag), ie->attrs, k))
                    ie->tag = ~0ull;
            }
        } else {
            ITLBEntry *ie = &c->itlbs[i][slot];
            if (ie->tag != ~0ull && tag_key(ie->tag) == k)
                ie->tag = ~0ull;
        }
    }
}

void mmu_tlb_flush_nonglobal(CPUState *c, unsigned ctxmask)
{
    mmu_tlb_flush_select(c, ctxmask, true, false, false);
}

/* One listed entry (key k, MATTR_* attrs) in mmu_tlb_flush_select() of
 * the non-global entries and/or the lower range: whether it goes (*kill),
 * else whether it stays a candidate for the next one (the return value). */
static inline bool select_entry(uint64_t k, uint32_t attrs, bool nonglobal, bool lo_range,
                                bool *kill)
{
    *kill = (nonglobal && (attrs & MATTR_NG)) || (lo_range && !((k >> 55) & 1));
    return !*kill && sel_candidate(k, attrs);
}

void mmu_tlb_flush_select(CPUState *c, unsigned ctxmask, bool nonglobal, bool lo_range,
                          bool hi_range)
{
    if (!nonglobal && !lo_range && !hi_range)
        return;
    unsigned sets = sets_of(c, ctxmask) & c->tlb_used;
    for (unsigned i = 0; i < TLB_SETS; i++) {
        if (!(sets & (1u << i)))
            continue;   /* nothing filled since its last flush: all invalid */
        if (hi_range || c->tlb_nsel[i] > TLB_SEL_MAX) {
            flush_one(c, i);
            continue;
        }
        /* Only the listed slots can hold a non-global or lower-range
         * entry; the ones that stay listed are those that still do. */
        unsigned n = c->tlb_nsel[i], kept = 0;
        for (unsigned s = 0; s < n; s++) {
            unsigned j = c->tlb_sel[i][s];
            TLBEntry *e = &c->tlbs[i][j];
            ITLBEntry *ie = &c->itlbs[i][j];
            uint64_t k;
            bool keep = false, kill;
            if (entry_valid_key(e, &k)) {
                keep |= select_entry(k, tlb_attrs(e), nonglobal, lo_range, &kill);
                if (kill)
                    entry_kill(e);
            }
            if (ie->tag != ~0ull) {
                keep |= select_entry(tag_key(ie->tag), ie->attrs, nonglobal, lo_range, &kill);
                if (kill)
                    ie->tag = ~0ull;
            }
            if (keep)
                c->tlb_sel[i][kept++] = (uint16_t)j;
            else
                c->tlb_sel_map[i][j / 64] &= ~(1ull << (j % 64));
        }
        c->tlb_nsel[i] = (uint16_t)kept;
    }
}

/* ---- The TLB model's side (docs/timing.md "TLB model") --------------------- */

/* The host sets that can hold each regime's entries (TLBM_REGIME_* =
 * REGIME_*): its contexts' sets (tlb_set maps the EL1&0 contexts among the
 * first three sets and the spare's). */
static const unsigned regime_sets[TLBM_REGIME__COUNT] = {
    CTX_E10 | (((1u << TLB_E10_CONTEXTS) - 1) << MMUIDX__COUNT), CTX_E2, CTX_E20
};

static unsigned idx_regime(unsigned idx)
{
    if (CTX_E10 & (1u << idx))
        return REGIME_EL10;
    return (CTX_E2 & (1u << idx)) ? REGIME_EL2 : REGIME_EL20;
}

uint16_t mmu_current_vmid(const CPUState *c)
{
    return vmid_of(c, c->sr[SR_VTTBR_EL2], c->sr[SR_VTCR_EL2]);
}

uint16_t mmu_regime_asid(const CPUState *c, unsigned regime)
{
    uint64_t tcr, t0, t1;
    if (regime == REGIME_EL10) {
        tcr = c->sr[SR_TCR_EL1];
        t0 = c->sr[SR_TTBR0_EL1];
        t1 = c->sr[SR_TTBR1_EL1];
    } else if (regime == REGIME_EL20) {
        tcr = c->sr[SR_TCR_EL2];     /* E2H = 1: the TCR_EL1 layout */
        t0 = c->sr[SR_TTBR0_EL2];
        t1 = c->sr[SR_TTBR1_EL2];
    } else {
        return 0;
    }
    uint64_t a = ((tcr & TCR_A1) ? t1 : t0) >> 48;
    return (uint16_t)((tcr & TCR_AS) ? a : a & 0xff);
}

static void model_key(const CPUState *c, unsigned idx, uint64_t va, TLBMKey *k)
{
    unsigned r = idx_regime(idx);
    k->regime = (uint8_t)r;
    k->page = va & VA56 & PAGE_MASK;
    k->asid = mmu_regime_asid(c, r);
    k->vmid = r == REGIME_EL10 ? mmu_current_vmid(c) : 0;
}

static inline bool host_tag_is(uint64_t tag, uint64_t page)
{
    return tag != ~0ull && tag_key(tag) == page;
}

/* The model dropped an L1 entry: the host TLB of that side may not serve
 * the page in the contexts whose entries it served without asking the
 * model again, so their data entries get TLB_FLAG_MODEL (the inline paths
 * miss; the slow path charges the model with the walk the entry recorded
 * and clears the flag) and their iTLB entries are flagged the same way.
 * Which contexts those are is in the entry's owner bits: every host fill
 * and refresh goes through mmu_model_charge(), which sets the bit of its
 * context on the L1 entry that served it (tlbm_access()). Entries of the
 * page that another model entry serves (another ASID's, a global one) stay:
 * the lookup flagging would cause hits that entry, and a hit changes no
 * model state, so skipping it is exact; it saves a host cache miss per
 * context (host_drop() was 2% of the Xen run). Host entries only ever hold
 * 4 KiB pages, at the slot of their own page. */
static inline __attribute__((always_inline)) void host_drop(void *opaque, unsigned side, const TLBMEntry *e)
{
    CPUState *c = opaque;
    unsigned slot = (unsigned)(e->page >> PAGE_BITS) & (TLB_SIZE - 1);
    /* only the regime's contexts that something was filled into since their
     * last flush (tlb_used): the others hold no valid entry (host speed) */
    unsigned mask = regime_sets[e->regime] & c->tlb_used & e->owners;
    while (mask) {
        unsigned i = (unsigned)__builtin_ctz(mask);
        mask &= mask - 1;
        if (side == TLBM_SIDE_D) {
            TLBEntry *h = &c->tlbs[i][slot];
            if (host_tag_is(h->tag_r, e->page))
                h->tag_r |= TLB_FLAG_MODEL;
            if (host_tag_is(h->tag_w, e->page))
                h->tag_w |= TLB_FLAG_MODEL;
        } else {
            ITLBEntry *ie = &c->itlbs[i][slot];
            if (host_tag_is(ie->tag, e->page))
                ie->tag |= TLB_FLAG_MODEL;   /* mem_fetch_page() charges its walk again */
        }
    }
}

static void model_ready(CPUState *c)
{
    if (unlikely(!c->tlbm.ready))
        tlbm_init(&c->tlbm, &c->m->timing.tlb, host_drop, c);
}

void mmu_model_charge(CPUState *c, unsigned mmuidx, uint64_t va, unsigned side, bool ok,
                      uint32_t attrs, unsigned fetches)
{
    if (ok && !fetches)
        return;         /* MMU off, no stage 2: no TLB involved */
    model_ready(c);
    TLBMKey k;
    model_key(c, mmuidx, va, &k);
    /* the owner: the host entry the caller fills next is served by the
     * model entry that translated (host_drop()) */
    int r = tlbm_access_with(&c->tlbm, side, &k, ok, !(attrs & MATTR_NG), MATTR_LGSIZE(attrs),
                             (uint16_t)(1u << c->tlb_set[mmuidx]), host_drop);
    const TimingModel *t = &c->m->timing;
    c->cycles += tlbm_cost(&t->tlb, t->tlb_miss, t->walk_fetch, r, fetches);
}

bool mmu_translate_charged(CPUState *c, uint64_t va, unsigned mmuidx, unsigned acc, unsigned side,
                           AddressDescriptor *ad, FaultRecord *fr, unsigned *fetches)
{
    uint64_t f0 = c->walk_fetches;
    bool ok = AArch64_TranslateAddress(c, va, mmuidx, acc, 4, 0, ad, fr);
    unsigned n = (unsigned)(c->walk_fetches - f0);
    if (fetches)
        *fetches = n;
    mmu_model_charge(c, mmuidx, va, side, ok, ok ? ad->attrs : 0, n);
    return ok;
}

a83_err mmu_tlb_model_apply(Machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        tlbm_init(&c->tlbm, &m->timing.tlb, host_drop, c);
        flush_all_sets(c);
    }
    return A83_OK;
}

void mmu_tlb_model_reset(CPUState *c)
{
    tlbm_init(&c->tlbm, &c->m->timing.tlb, host_drop, c);
    flush_all_sets(c);
}

void mmu_tlb_model_invalidate(CPUState *c, const TLBMScope *s)
{
    model_ready(c);
    tlbm_invalidate(&c->tlbm, s);
}

void mmu_set_host_tlb_slots(Machine *m, unsigned slots)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        c->host_tlb_limited = slots < TLB_SIZE;
        c->host_tlb_slots = slots > TLB_SIZE ? TLB_SIZE : slots;
        c->tlb_used = ~0u;
        flush_all_sets(c);
    }
}

a83_err a83_debug_host_tlb(a83_machine *m, unsigned slots)
{
    if (!m)
        return A83_ERR_ARG;
    mmu_set_host_tlb_slots(m, slots);
    return A83_OK;
}
