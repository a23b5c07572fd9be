/*
 * The TLB model's lookup and L1 refill (tlb_model.h tlbm_access()) as
 * inline code, for its one hot caller: the MMU's charge of a translation
 * (src/mmu/tlb.c mmu_model_charge()), about once per 70 guest instructions
 * in a nested run (an L1 refill from the L2, docs/performance.md "Session
 * 24"). Given the evict function as a constant (tlbm_access_with()), the
 * compiler makes one function of the lookup, the refill and the owner's
 * eviction callback, without the calls' register saves and the indirect
 * call. Private to the model and that caller; the fields are tlb_model.c's.
 */
#ifndef A83_TLB_MODEL_INLINE_H
#define A83_TLB_MODEL_INLINE_H

#include "timing/tlb_model.h"

#define TLBM_PAGE_SHIFT 12
#define TLBM_INLINE static inline __attribute__((always_inline))

/* An entry translates k: same regime and page, same VMID for EL1&0, and
 * global or of k's ASID (Arm ARM D8.11, D8.12). */
TLBM_INLINE bool tlbm_entry_matches(const TLBModel *t, const TLBMEntry *e, const TLBMKey *k)
{
    return e->valid && e->page == k->page && e->regime == k->regime &&
           e->gen == t->gen[e->regime] &&
           (k->regime != TLBM_REGIME_EL10 || e->vmid == k->vmid) && (e->global || e->asid == k->asid);
}

/* The L1 presence filter. A lookup scans an L1 only when some slot holds a
 * page of the key's bucket: most lookups come from the slow paths after a
 * host TLB miss, which is usually an L1 miss of the model too, and an L1
 * has up to TLBM_MAX_L1 slots. The filter only skips scans that could not
 * hit, so it changes no result. */
TLBM_INLINE unsigned tlbm_l1_hash(uint64_t page)
{
    return (unsigned)((page >> TLBM_PAGE_SHIFT) ^ (page >> (TLBM_PAGE_SHIFT + 8))) &
           (TLBM_L1_BUCKETS - 1);
}

/* Sets l1_page[side][slot] (a page, or ~0 for an empty slot) and keeps the
 * filter's counts and hints. */
TLBM_INLINE void tlbm_l1_set_page(TLBModel *t, unsigned side, uint32_t slot, uint64_t page)
{
    if (t->l1_page[side][slot] != ~0ull) {
        unsigned h = t->l1_slot_bucket[side][slot];
        t->l1_bucket[side][h]--;
        if (t->l1_hint[side][h] == slot + 1)
            t->l1_hint[side][h] = 0;
    }
    if (page != ~0ull) {
        unsigned h = tlbm_l1_hash(page);
        t->l1_bucket[side][h]++;
        t->l1_hint[side][h] = (uint16_t)(slot + 1);
        t->l1_slot_bucket[side][slot] = (uint8_t)h;
    }
    t->l1_page[side][slot] = page;
}

TLBM_INLINE uint32_t tlbm_l2_index(const TLBModel *t, uint64_t page)
{
    return (uint32_t)(page >> TLBM_PAGE_SHIFT) & (t->l2_sets - 1);
}

/* Puts a copy of src into the L1 of side (FIFO victim, reported to evict
 * before it is overwritten: evict must not call back into the model), with
 * owner bits owners. */
TLBM_INLINE void tlbm_l1_insert(TLBModel *t, unsigned side, const TLBMEntry *src, uint16_t owners,
                                TLBMEvictFn evict)
{
    uint32_t slot = t->l1_next[side];
    t->l1_next[side] = slot + 1 == t->l1_n[side] ? 0 : slot + 1;
    TLBMEntry *e = &t->l1[side][slot];
    if (e->valid)
        evict(t->opaque, side, e);
    *e = *src;
    e->owners = owners;
    t->l1_last[side] = slot;
    tlbm_l1_set_page(t, side, slot, src->page);
}

/* The L1 slot of side whose entry translates k, or -1. */
TLBM_INLINE int tlbm_l1_find(const TLBModel *t, unsigned side, const TLBMKey *k)
{
    const TLBMEntry *l1 = t->l1[side];
    const uint64_t *pg = t->l1_page[side];
    unsigned h = tlbm_l1_hash(k->page), hint = t->l1_hint[side][h], n = t->l1_bucket[side][h];
    if (n == 1 && hint) {
        /* the bucket's one page is in slot hint - 1: the scan below would
         * find no other (session 20: the scan was a quarter of the
         * lookup's time) */
        uint32_t i = hint - 1;
        if (pg[i] == k->page && tlbm_entry_matches(t, &l1[i], k))
            return (int)i;
    } else if (n) {
        for (uint32_t i = 0, nl = t->l1_n[side]; i < nl; i++)
            if (pg[i] == k->page && tlbm_entry_matches(t, &l1[i], k))
                return (int)i;
    }
    return -1;
}

/* The L2 entry that translates k, or NULL. */
TLBM_INLINE const TLBMEntry *tlbm_l2_find(const TLBModel *t, const TLBMKey *k)
{
    const TLBMEntry *s = &t->l2[(size_t)tlbm_l2_index(t, k->page) * t->l2_ways];
    for (uint32_t w = 0; w < t->l2_ways; w++)
        if (tlbm_entry_matches(t, &s[w], k))
            return &s[w];
    return NULL;
}

/** tlbm_access()'s miss (out of line: walks are rare next to refills). */
int tlbm_miss(TLBModel *t, unsigned side, const TLBMKey *k, bool ok, bool global, unsigned lg_size,
              uint16_t owners);

/** tlbm_access() with the evict function given (it must be t's): the
 *  caller passes its own function, which the compiler may inline here. */
TLBM_INLINE int tlbm_access_with(TLBModel *t, unsigned side, const TLBMKey *k, bool ok, bool global,
                                 unsigned lg_size, uint16_t owners, TLBMEvictFn evict)
{
    if (!ok)
        owners = 0;
    int i = tlbm_l1_find(t, side, k);
    if (i >= 0) {
        t->l1_last[side] = (uint32_t)i;
        t->l1[side][i].owners |= owners;
        return TLBM_L1_HIT;
    }
    const TLBMEntry *e = tlbm_l2_find(t, k);
    if (e) {
        t->l2_hits++;
        tlbm_l1_insert(t, side, e, owners, evict);
        return TLBM_L2_HIT;
    }
    return tlbm_miss(t, side, k, ok, global, lg_size, owners);
}

#endif
