/*
 * The architectural TLB model (tlb_model.h, docs/timing.md "TLB model").
 * L1s: fully associative, FIFO (a ring pointer). L2: set associative,
 * indexed by VA[12+...], round-robin victim per set. Hits change no state,
 * so skipping lookups that would hit in an L1 is exact.
 */
#include "timing/tlb_model.h"
#include "timing/tlb_model_inline.h"

#include <stdio.h>
#include <string.h>

#include "core/snapio.h"

#define PAGE_SHIFT 12
#define MAX_L1 TLBM_MAX_L1
#define MAX_L2 TLBM_MAX_L2

void tlbm_config_default(TLBModelConfig *cfg)
{
    cfg->l1i_entries = 48;
    cfg->l1d_entries = 32;
    cfg->l2_entries = 1024;
    cfg->l2_ways = 4;
    cfg->l2_hit = 4;
}

a83_err tlbm_config_check(const TLBModelConfig *cfg, char *err, size_t len)
{
    if (cfg->l1i_entries < 1 || cfg->l1i_entries > MAX_L1 || cfg->l1d_entries < 1 ||
        cfg->l1d_entries > MAX_L1) {
        snprintf(err, len, "[tlb] l1i_entries and l1d_entries must be 1..%u", MAX_L1);
        return A83_ERR_CONFIG;
    }
    if (cfg->l2_entries < 1 || cfg->l2_entries > MAX_L2 || cfg->l2_ways < 1 ||
        cfg->l2_entries % cfg->l2_ways) {
        snprintf(err, len, "[tlb] l2_entries must be 1..%u and a multiple of l2_ways", MAX_L2);
        return A83_ERR_CONFIG;
    }
    uint32_t sets = cfg->l2_entries / cfg->l2_ways;
    if (sets & (sets - 1)) {
        snprintf(err, len, "[tlb] l2_entries / l2_ways = %u sets: not a power of two", sets);
        return A83_ERR_CONFIG;
    }
    return A83_OK;
}

/* The L1s' derived lookup state (l1_page, the presence filter and its
 * hints) for empty L1s; tlbm_l1_set_page() adds each valid entry. */
static void l1_filter_reset(TLBModel *t)
{
    memset(t->l1_page, 0xff, sizeof t->l1_page);
    memset(t->l1_bucket, 0, sizeof t->l1_bucket);
    memset(t->l1_hint, 0, sizeof t->l1_hint);
}

void tlbm_init(TLBModel *t, const TLBModelConfig *cfg, TLBMEvictFn evict, void *opaque)
{
    memset(t, 0, sizeof *t);
    t->cfg = *cfg;
    t->l1_n[TLBM_SIDE_I] = cfg->l1i_entries;
    t->l1_n[TLBM_SIDE_D] = cfg->l1d_entries;
    t->l2_ways = cfg->l2_ways;
    t->l2_sets = cfg->l2_entries / cfg->l2_ways;
    t->evict = evict;
    t->opaque = opaque;
    l1_filter_reset(t);
    t->l1_last[0] = t->l1_last[1] = UINT32_MAX;
    t->ready = true;
}

static inline void entry_set(const TLBModel *t, TLBMEntry *e, const TLBMKey *k, bool global,
                             unsigned lg_size)
{
    e->gen = t->gen[k->regime];
    e->page = k->page;
    e->asid = global ? 0 : k->asid;
    e->vmid = k->regime == TLBM_REGIME_EL10 ? k->vmid : 0;
    e->regime = k->regime;
    e->lg_size = (uint8_t)(lg_size < PAGE_SHIFT ? PAGE_SHIFT : lg_size);
    e->global = global;
    e->valid = 1;
    e->owners = 0;      /* an L2 entry's are never read; an L1 insert sets its own */
}

/* l2_big[set] and its summary bit in l2_big_sets */
static inline void big_inc(TLBModel *t, uint32_t set)
{
    if (t->l2_big[set]++ == 0)
        t->l2_big_sets[set / 64] |= 1ull << (set % 64);
}

static inline void big_dec(TLBModel *t, uint32_t set)
{
    if (--t->l2_big[set] == 0)
        t->l2_big_sets[set / 64] &= ~(1ull << (set % 64));
}

static void big_sets_rebuild(TLBModel *t)
{
    memset(t->l2_big_sets, 0, sizeof t->l2_big_sets);
    for (uint32_t set = 0; set < t->l2_sets && set < TLBM_MAX_L2; set++)
        if (t->l2_big[set])
            t->l2_big_sets[set / 64] |= 1ull << (set % 64);
}

int tlbm_lookup(TLBModel *t, unsigned side, const TLBMKey *k)
{
    /* no walk yet (ok false): no fill, no owner; l1_last as the result says */
    return tlbm_access_with(t, side, k, false, false, PAGE_SHIFT, 0, t->evict);
}

static void fill(TLBModel *t, unsigned side, const TLBMKey *k, bool global, unsigned lg_size,
                 uint16_t owners);

int tlbm_access(TLBModel *t, unsigned side, const TLBMKey *k, bool ok, bool global,
                unsigned lg_size, uint16_t owners)
{
    return tlbm_access_with(t, side, k, ok, global, lg_size, owners, t->evict);
}

int tlbm_miss(TLBModel *t, unsigned side, const TLBMKey *k, bool ok, bool global, unsigned lg_size,
              uint16_t owners)
{
    t->misses++;
    if (ok)
        fill(t, side, k, global, lg_size, owners);
    else
        t->l1_last[side] = UINT32_MAX;
    return TLBM_MISS;
}

void tlbm_fill(TLBModel *t, unsigned side, const TLBMKey *k, bool global, unsigned lg_size)
{
    fill(t, side, k, global, lg_size, 0);
}

static void fill(TLBModel *t, unsigned side, const TLBMKey *k, bool global, unsigned lg_size,
                 uint16_t owners)
{
    TLBMEntry ne;
    entry_set(t, &ne, k, global, lg_size);
    uint32_t set = tlbm_l2_index(t, k->page);
    TLBMEntry *s = &t->l2[(size_t)set * t->l2_ways];
    uint32_t w = t->l2_next[set];
    t->l2_next[set] = w + 1 == t->l2_ways ? 0 : w + 1;
    if (s[w].valid && s[w].lg_size > PAGE_SHIFT)
        big_dec(t, set);
    if (ne.lg_size > PAGE_SHIFT) {
        big_inc(t, set);
        uint64_t lo = ne.page & ~((1ull << ne.lg_size) - 1), hi = lo + ((1ull << ne.lg_size) - 1);
        rangeset_add(&t->big, lo, hi);
    }
    s[w] = ne;
    tlbm_l1_insert(t, side, &ne, owners, t->evict);
}

static inline bool in_scope(const TLBModel *t, const TLBMEntry *e, const TLBMScope *s)
{
    if (!e->valid || !(s->regimes & (1u << e->regime)) || e->gen != t->gen[e->regime])
        return false;
    if (s->by_vmid && e->regime == TLBM_REGIME_EL10 && e->vmid != s->vmid)
        return false;
    if (s->by_va && ((e->page ^ s->va) >> e->lg_size))
        return false;
    switch (s->asid_mode) {
    case TLBM_ASID_OR_GLOBAL: return e->global || e->asid == s->asid;
    case TLBM_ASID_NONGLOBAL: return !e->global && e->asid == s->asid;
    default: return true;
    }
}

/* Drops the entries of L2 set `set` in scope s. */
static void l2_set_invalidate(TLBModel *t, uint32_t set, const TLBMScope *s)
{
    TLBMEntry *e = &t->l2[(size_t)set * t->l2_ways];
    for (uint32_t w = 0; w < t->l2_ways; w++)
        /* the VA test first: it rejects almost every entry (an invalid
         * entry's stale fields are harmless: in_scope()) */
        if ((!s->by_va || !((e[w].page ^ s->va) >> e[w].lg_size)) && in_scope(t, &e[w], s)) {
            e[w].valid = 0;
            if (e[w].lg_size > PAGE_SHIFT)
                big_dec(t, set);
        }
}

unsigned tlbm_invalidate(TLBModel *t, const TLBMScope *s)
{
    unsigned dropped_i = 0;
    for (unsigned side = 0; side < 2; side++)
        for (uint32_t i = 0; i < t->l1_n[side]; i++) {
            TLBMEntry *e = &t->l1[side][i];
            if ((!s->by_va || !((e->page ^ s->va) >> e->lg_size)) && in_scope(t, e, s)) {
                TLBMEntry old = *e;
                e->valid = 0;
                tlbm_l1_set_page(t, side, i, ~0ull);
                t->evict(t->opaque, side, &old);
                dropped_i += side == TLBM_SIDE_I;
            }
        }
    if (!s->by_va && s->asid_mode == TLBM_ASID_ANY &&
        (!s->by_vmid || !(s->regimes & (1u << TLBM_REGIME_EL10)))) {
        /* Whole regimes: the L2's entries of them die by generation (the
         * L1s were scanned above, for the evict callback). */
        for (unsigned r = 0; r < TLBM_REGIME__COUNT; r++)
            if (s->regimes & (1u << r))
                t->gen[r]++;
        return dropped_i;
    }
    /* An L2 entry sits in the set of the page it was filled for: a by-VA
     * scope finds page entries for va in va's set, and entries from
     * blocks in any set that holds some (l2_big). */
    if (!s->by_va) {
        for (uint32_t set = 0; set < t->l2_sets; set++)
            l2_set_invalidate(t, set, s);
        return dropped_i;
    }
    uint32_t vset = tlbm_l2_index(t, s->va);
    l2_set_invalidate(t, vset, s);
    if (!rangeset_covers(&t->big, s->va))
        return dropped_i;     /* no block entry can cover va */
    for (uint32_t w = 0; w < (t->l2_sets + 63) / 64; w++) {
        uint64_t bits = t->l2_big_sets[w];   /* a copy: visiting may clear bits */
        while (bits) {
            uint32_t set = w * 64 + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (set != vset)
                l2_set_invalidate(t, set, s);
        }
    }
    return dropped_i;
}

void tlbm_flush(TLBModel *t)
{
    TLBMScope all = { .regimes = (1u << TLBM_REGIME__COUNT) - 1 };
    tlbm_invalidate(t, &all);
    /* the L2's entries died by generation above; they are dropped here
     * too, so that l2_big (zeroed below) keeps counting exactly the valid
     * block entries (a later fill over a stale one would decrement it) */
    for (uint32_t i = 0; i < t->l2_sets * t->l2_ways; i++)
        t->l2[i].valid = 0;
    t->l1_next[0] = t->l1_next[1] = 0;
    memset(t->l2_next, 0, t->l2_sets * sizeof(uint32_t));
    memset(t->l2_big, 0, t->l2_sets * sizeof(uint16_t));
    memset(t->l2_big_sets, 0, sizeof t->l2_big_sets);
    rangeset_clear(&t->big);
}

void tlbm_counters(const TLBModel *t, uint64_t *l2_hits, uint64_t *misses)
{
    *l2_hits = t->l2_hits;
    *misses = t->misses;
}

bool tlbm_l1_holds(const TLBModel *t, unsigned side, const TLBMKey *k)
{
    for (uint32_t i = 0; i < t->l1_n[side]; i++)
        if (t->l1_page[side][i] == k->page && tlbm_entry_matches(t, &t->l1[side][i], k))
            return true;
    return false;
}

bool tlbm_l2_holds(const TLBModel *t, const TLBMKey *k)
{
    const TLBMEntry *s = &t->l2[(size_t)tlbm_l2_index(t, k->page) * t->l2_ways];
    for (uint32_t w = 0; w < t->l2_ways; w++)
        if (tlbm_entry_matches(t, &s[w], k))
            return true;
    return false;
}

/* ---- Snapshots (docs/snapshots.md): the model's contents decide costs ---- */

static void snap_entry(SnapWriter *w, const TLBMEntry *e)
{
    snap_u64(w, e->page);
    snap_u16(w, e->asid);
    snap_u16(w, e->vmid);
    snap_u8(w, e->regime);
    snap_u8(w, e->lg_size);
    snap_u8(w, e->global);
    snap_u8(w, e->valid);
    snap_u32(w, e->gen);
}

static void unsnap_entry(SnapReader *r, TLBMEntry *e)
{
    e->page = snap_get_u64(r);
    e->asid = snap_get_u16(r);
    e->vmid = snap_get_u16(r);
    e->regime = (uint8_t)snap_check_max(r, snap_get_u8(r), TLBM_REGIME__COUNT - 1, "TLB regime");
    e->lg_size = (uint8_t)snap_check_max(r, snap_get_u8(r), 63, "TLB entry size");
    e->global = snap_get_bool(r);
    e->valid = snap_get_bool(r);
    e->owners = 0;
    e->gen = snap_get_u32(r);
}

void tlbm_snap_save(const TLBModel *t, SnapWriter *w)
{
    snap_put(w, &t->cfg, sizeof t->cfg);   /* five uint32_t */
    snap_bool(w, t->ready);
    for (unsigned s = 0; s < 2; s++) {
        snap_u32(w, t->l1_n[s]);
        snap_u32(w, t->l1_next[s]);
    }
    snap_u32(w, t->l2_sets);
    snap_u32(w, t->l2_ways);
    snap_u64(w, t->l2_hits);
    snap_u64(w, t->misses);
    for (unsigned g = 0; g < TLBM_REGIME__COUNT; g++)
        snap_u32(w, t->gen[g]);
    for (unsigned s = 0; s < 2; s++)
        for (unsigned i = 0; i < TLBM_MAX_L1; i++)
            snap_entry(w, &t->l1[s][i]);
    for (unsigned i = 0; i < TLBM_MAX_L2; i++) {
        snap_entry(w, &t->l2[i]);
        snap_u32(w, t->l2_next[i]);
        snap_u16(w, t->l2_big[i]);
    }
    uint64_t lo, hi;
    rangeset_bounds(&t->big, &lo, &hi);
    snap_u64(w, lo);
    snap_u64(w, hi);
}

void tlbm_snap_load(TLBModel *t, const TLBModelConfig *want, SnapReader *r)
{
    snap_get(r, &t->cfg, sizeof t->cfg);
    if (!r->err && memcmp(&t->cfg, want, sizeof *want))
        snap_fail(r, "TLB model geometry differs from this machine's profile");
    t->ready = snap_get_bool(r);
    t->l1_last[0] = t->l1_last[1] = UINT32_MAX;
    uint32_t l1max[2] = { want->l1i_entries, want->l1d_entries };
    for (unsigned s = 0; s < 2; s++) {
        t->l1_n[s] = (uint32_t)snap_check_max(r, snap_get_u32(r), l1max[s], "TLB L1 count");
        t->l1_next[s] = (uint32_t)snap_check_max(r, snap_get_u32(r), l1max[s] - 1, "TLB L1 slot");
    }
    t->l2_sets = snap_get_u32(r);
    t->l2_ways = snap_get_u32(r);
    if (!r->err && t->ready &&
        (!t->l2_ways || t->l2_ways != want->l2_ways || t->l2_sets * t->l2_ways != want->l2_entries))
        snap_fail(r, "TLB L2 geometry %ux%u", t->l2_sets, t->l2_ways);
    t->l2_hits = snap_get_u64(r);
    t->misses = snap_get_u64(r);
    for (unsigned g = 0; g < TLBM_REGIME__COUNT; g++)
        t->gen[g] = snap_get_u32(r);
    l1_filter_reset(t);
    for (unsigned s = 0; s < 2; s++)
        for (unsigned i = 0; i < TLBM_MAX_L1; i++) {
            unsnap_entry(r, &t->l1[s][i]);
            if (t->l1[s][i].valid)
                tlbm_l1_set_page(t, s, i, t->l1[s][i].page);
        }
    for (unsigned i = 0; i < TLBM_MAX_L2; i++) {
        unsnap_entry(r, &t->l2[i]);
        t->l2_next[i] = snap_get_u32(r);
        if (t->ready && i < t->l2_sets)
            snap_check_max(r, t->l2_next[i], t->l2_ways - 1, "TLB L2 way");
        t->l2_big[i] = (uint16_t)snap_check_max(r, snap_get_u16(r), TLBM_MAX_L2, "TLB L2 block count");
    }
    uint64_t lo = snap_get_u64(r), hi = snap_get_u64(r);
    rangeset_clear(&t->big);
    if (lo <= hi)
        rangeset_add(&t->big, lo, hi);
    big_sets_rebuild(t);
}
