/*
 * The TLB model (src/timing/tlb_model.c, docs/timing.md "TLB model"): FIFO
 * replacement in the L1s and round robin per L2 set, hits that change no
 * state, L2 refills of the L1, costs, ASID/global and VMID tagging (Arm ARM
 * D8.11, D8.12) and the scopes of TLBI (Arm ARM D8.13, C5.5: by VA with
 * blocks, by ASID, by VMID, all).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include "core/machine.h"
#include "core/snapio.h"
#include "timing/tlb_model.h"

/* Evictions reported by the model, in order. */
static TLBMEntry g_ev[64];
static unsigned g_side[64], g_nev;

static void on_evict(void *opaque, unsigned side, const TLBMEntry *e)
{
    (void)opaque;
    if (g_nev < 64) {
        g_side[g_nev] = side;
        g_ev[g_nev] = *e;
    }
    g_nev++;
}

static TLBModel g_t;

/* L1 I 2 entries, L1 D 3 entries, L2 2 sets x 2 ways, L2 hit 7 cycles. */
static void small(void)
{
    TLBModelConfig cfg = { .l1i_entries = 2, .l1d_entries = 3, .l2_entries = 4, .l2_ways = 2,
                           .l2_hit = 7 };
    char err[128];
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_OK);
    tlbm_init(&g_t, &cfg, on_evict, NULL);
    g_nev = 0;
}

static TLBMKey key(unsigned regime, uint64_t page, uint16_t asid, uint16_t vmid)
{
    TLBMKey k = { .page = page, .asid = asid, .vmid = vmid, .regime = (uint8_t)regime };
    return k;
}

/* Misses and fills like the MMU does: lookup, fill on a miss. */
static int touch_page(unsigned side, TLBMKey k, bool global, unsigned lg)
{
    int r = tlbm_lookup(&g_t, side, &k);
    if (r == TLBM_MISS)
        tlbm_fill(&g_t, side, &k, global, lg);
    return r;
}

static void test_fifo_and_levels(void **s)
{
    (void)s;
    small();
    /* pages 0x1000, 0x3000, 0x5000 (odd page numbers: L2 set 1) fill L1 D */
    for (uint64_t p = 0x1000; p <= 0x5000; p += 0x2000)
        assert_int_equal(touch_page(TLBM_SIDE_D, key(0, p, 1, 0), false, 12), TLBM_MISS);
    assert_int_equal(g_nev, 0);
    /* hits change nothing: hitting the oldest (0x1000) does not save it */
    assert_int_equal(touch_page(TLBM_SIDE_D, key(0, 0x1000, 1, 0), false, 12), TLBM_L1_HIT);
    assert_int_equal(touch_page(TLBM_SIDE_D, key(0, 0x7000, 1, 0), false, 12), TLBM_MISS);
    assert_int_equal(g_nev, 1);
    assert_int_equal(g_side[0], TLBM_SIDE_D);
    assert_int_equal(g_ev[0].page, 0x1000);              /* FIFO, not LRU */
    TLBMKey k1 = key(0, 0x1000, 1, 0);
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &k1));
    /* L2 set 1 holds the last two fills (round robin): 0x5000, 0x7000 */
    assert_false(tlbm_l2_holds(&g_t, &k1));
    TLBMKey k5 = key(0, 0x5000, 1, 0);
    assert_true(tlbm_l2_holds(&g_t, &k5));
    /* the I side: 0x5000 misses L1 I, hits L2 (costed l2_hit), fills L1 I */
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_I, &k5), TLBM_L2_HIT);
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_I, &k5));
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_I, &k5), TLBM_L1_HIT);
    uint64_t l2h, miss;
    tlbm_counters(&g_t, &l2h, &miss);
    assert_int_equal(l2h, 1);
    assert_int_equal(miss, 4);
    /* costs */
    assert_int_equal(tlbm_cost(&g_t.cfg, 10, 20, TLBM_L1_HIT, 4), 0);
    assert_int_equal(tlbm_cost(&g_t.cfg, 10, 20, TLBM_L2_HIT, 4), 7);
    assert_int_equal(tlbm_cost(&g_t.cfg, 10, 20, TLBM_MISS, 24), 10 + 24 * 20);
}

/* Owner bits (tlbm_own_last()): they go to the L1 entry the last lookup
 * hit or the last insert placed, come back with it to the evict callback,
 * start at 0 when an entry enters the L1 (also from the L2), and a miss
 * with nothing filled after it owns nothing. The host TLB relies on this to
 * flag only the contexts whose entries a dropped model entry served
 * (src/mmu/tlb.c host_drop()). */
static void test_owner_bits(void **s)
{
    (void)s;
    small();
    TLBMKey a = key(0, 0x1000, 1, 0), b = key(0, 0x3000, 1, 0), g = key(0, 0x5000, 2, 0);
    assert_int_equal(touch_page(TLBM_SIDE_D, a, false, 12), TLBM_MISS);   /* filled */
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x02);
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &a), TLBM_L1_HIT);
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x08);
    TLBMKey miss = key(0, 0x9000, 1, 0);
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &miss), TLBM_MISS);
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x40);                                /* nobody's */
    assert_int_equal(touch_page(TLBM_SIDE_D, b, false, 12), TLBM_MISS);
    assert_int_equal(touch_page(TLBM_SIDE_D, g, true, 12), TLBM_MISS);     /* global */
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x01);
    assert_int_equal(g_nev, 0);
    TLBMKey c = key(0, 0x7000, 1, 0);
    assert_int_equal(touch_page(TLBM_SIDE_D, c, false, 12), TLBM_MISS);   /* evicts a */
    assert_int_equal(g_nev, 1);
    assert_int_equal(g_ev[0].page, 0x1000);
    assert_int_equal(g_ev[0].owners, 0x0a);
    assert_int_equal(touch_page(TLBM_SIDE_D, key(0, 0x2000, 1, 0), false, 12), TLBM_MISS);
    assert_int_equal(g_ev[1].page, 0x3000);
    assert_int_equal(g_ev[1].owners, 0);                                   /* never owned */
    /* the global entry, looked up with another ASID, is the one owned */
    TLBMKey g3 = key(0, 0x5000, 3, 0);
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &g3), TLBM_L1_HIT);
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x04);
    assert_int_equal(touch_page(TLBM_SIDE_D, key(0, 0x4000, 1, 0), false, 12), TLBM_MISS);
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x10);
    assert_int_equal(g_ev[2].page, 0x5000);                               /* g leaves the L1 */
    assert_int_equal(g_ev[2].owners, 0x05);
    /* g (still in the L2) comes back into the L1 without its old owners */
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &g3), TLBM_L2_HIT);   /* evicts c */
    assert_int_equal(g_ev[3].page, 0x7000);
    assert_int_equal(g_ev[3].owners, 0);
    tlbm_own_last(&g_t, TLBM_SIDE_D, 0x20);
    for (uint64_t p = 0x6000; p <= 0xa000; p += 0x2000)                  /* the L1's FIFO */
        assert_int_equal(touch_page(TLBM_SIDE_D, key(0, p, 1, 0), false, 12), TLBM_MISS);
    assert_int_equal(g_nev, 7);
    assert_int_equal(g_ev[4].page, 0x2000);
    assert_int_equal(g_ev[4].owners, 0);
    assert_int_equal(g_ev[5].page, 0x4000);
    assert_int_equal(g_ev[5].owners, 0x10);
    assert_int_equal(g_ev[6].page, 0x5000);
    assert_int_equal(g_ev[6].owners, 0x20);
}

static void test_asid_global_vmid(void **s)
{
    (void)s;
    small();
    touch_page(TLBM_SIDE_D, key(0, 0x2000, 5, 1), false, 12);   /* nG, ASID 5, VMID 1 */
    touch_page(TLBM_SIDE_D, key(0, 0x4000, 5, 1), true, 12);    /* global, VMID 1 */
    /* another ASID: the nG entry does not match, the global one does */
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &(TLBMKey){ .page = 0x2000, .asid = 6, .vmid = 1 }),
                     TLBM_MISS);
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &(TLBMKey){ .page = 0x4000, .asid = 6, .vmid = 1 }),
                     TLBM_L1_HIT);
    /* another VMID: neither matches (EL1&0 entries are VMID-tagged) */
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &(TLBMKey){ .page = 0x4000, .asid = 5, .vmid = 2 }),
                     TLBM_MISS);
    /* another regime: no match; EL2 entries ignore the VMID */
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D,
                                 &(TLBMKey){ .page = 0x4000, .regime = TLBM_REGIME_EL2 }),
                     TLBM_MISS);
    small();
    touch_page(TLBM_SIDE_D, key(TLBM_REGIME_EL2, 0x4000, 0, 9), true, 12);
    assert_int_equal(tlbm_lookup(&g_t, TLBM_SIDE_D, &(TLBMKey){ .page = 0x4000, .vmid = 3,
                                                                .regime = TLBM_REGIME_EL2 }),
                     TLBM_L1_HIT);
}

static void test_tlbi_scopes(void **s)
{
    (void)s;
    TLBMKey a = key(0, 0x200000, 1, 7);          /* nG ASID 1 VMID 7 */
    TLBMKey b = key(0, 0x201000, 2, 7);          /* nG ASID 2 VMID 7 */
    TLBMKey g = key(0, 0x600000, 1, 7);          /* global, from a 2 MiB block at 0x600000 */
    TLBMKey o = key(0, 0x200000, 1, 8);          /* other VMID */

    /* by VA and ASID (VAE1): the ASID's entry and global entries of the VA */
    small();
    touch_page(TLBM_SIDE_D, a, false, 12);
    touch_page(TLBM_SIDE_D, b, false, 12);
    touch_page(TLBM_SIDE_I, o, false, 12);
    TLBMScope sc = { .regimes = 1, .by_vmid = true, .vmid = 7, .by_va = true, .va = 0x200000,
                     .asid_mode = TLBM_ASID_OR_GLOBAL, .asid = 2 };
    tlbm_invalidate(&g_t, &sc);
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &a));   /* ASID 1 stays */
    sc.asid = 1;
    unsigned dropped_i = tlbm_invalidate(&g_t, &sc);
    assert_int_equal(dropped_i, 0);                      /* VMID 8's I entry stays */
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &a));
    assert_false(tlbm_l2_holds(&g_t, &a));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &b));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_I, &o));
    assert_int_equal(g_nev, 1);
    assert_int_equal(g_ev[0].page, 0x200000);

    /* by VA inside a block: the entry of the block's first page goes */
    touch_page(TLBM_SIDE_D, g, true, 21);
    TLBMScope sv = { .regimes = 1, .by_vmid = true, .vmid = 7, .by_va = true, .va = 0x7ff000,
                     .asid_mode = TLBM_ASID_OR_GLOBAL, .asid = 3 };
    tlbm_invalidate(&g_t, &sv);
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &g));
    assert_false(tlbm_l2_holds(&g_t, &g));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &b));   /* 0x201000 is outside it */

    /* by ASID (ASIDE1): non-global entries of that ASID only */
    touch_page(TLBM_SIDE_D, g, true, 21);
    TLBMScope sa = { .regimes = 1, .by_vmid = true, .vmid = 7, .asid_mode = TLBM_ASID_NONGLOBAL,
                     .asid = 2 };
    tlbm_invalidate(&g_t, &sa);
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &b));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &g));
    TLBMScope sa1 = sa;
    sa1.asid = 1;                                         /* g has ASID 1 but is global */
    tlbm_invalidate(&g_t, &sa1);
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &g));

    /* by VMID (VMALLE1 / VMALLS12E1): VMID 7 goes, VMID 8 stays */
    TLBMScope sm = { .regimes = 1, .by_vmid = true, .vmid = 7 };
    tlbm_invalidate(&g_t, &sm);
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &g));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_I, &o));

    /* other regimes are untouched by EL1&0 scopes; ALLE1 drops every VMID */
    TLBMKey h = key(TLBM_REGIME_EL2, 0x200000, 0, 0);
    touch_page(TLBM_SIDE_D, h, true, 12);
    TLBMScope all1 = { .regimes = 1 };
    g_nev = 0;
    assert_int_equal(tlbm_invalidate(&g_t, &all1), 1);   /* o's L1 I entry */
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_I, &o));
    assert_true(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &h));
    assert_int_equal(g_nev, 1);
    assert_int_equal(g_side[0], TLBM_SIDE_I);
    TLBMScope all2 = { .regimes = (1u << TLBM_REGIME_EL2) | (1u << TLBM_REGIME_EL20) };
    tlbm_invalidate(&g_t, &all2);
    assert_false(tlbm_l1_holds(&g_t, TLBM_SIDE_D, &h));
    assert_false(tlbm_l2_holds(&g_t, &h));
}

static void test_config(void **s)
{
    (void)s;
    char err[128];
    TLBModelConfig cfg;
    tlbm_config_default(&cfg);
    /* Cortex-A72 TRM 5.2: 48-entry L1 I, 32-entry L1 D, 1024-entry 4-way L2 */
    assert_int_equal(cfg.l1i_entries, 48);
    assert_int_equal(cfg.l1d_entries, 32);
    assert_int_equal(cfg.l2_entries, 1024);
    assert_int_equal(cfg.l2_ways, 4);
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_OK);
    cfg.l2_ways = 3;                                       /* 1024 / 3: not whole */
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_ERR_CONFIG);
    cfg.l2_ways = 8;
    cfg.l2_entries = 24;                                   /* 3 sets */
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_ERR_CONFIG);
    tlbm_config_default(&cfg);
    cfg.l1d_entries = 0;
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_ERR_CONFIG);
    cfg.l1d_entries = TLBM_MAX_L1 + 1;
    assert_int_equal(tlbm_config_check(&cfg, err, sizeof err), A83_ERR_CONFIG);
}

/* The profile's [tlb] section reaches the model through the API, and a
 * bad geometry is rejected with the profile left alone. */
static void test_profile(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    char path[64];
    snprintf(path, sizeof path, "/tmp/a83-tlbm-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("[tlb]\nl1d_entries = 8\nl2_entries = 64\nl2_ways = 2\nl2_hit = 9\n", f);
    fclose(f);
    assert_int_equal(a83_timing_load(m, path), A83_OK);
    f = fopen(path, "w");
    fputs("[tlb]\nl2_entries = 64\nl2_ways = 5\n", f);
    fclose(f);
    assert_int_equal(a83_timing_load(m, path), A83_ERR_CONFIG);
    unlink(path);
    const TLBModel *t = &m->cpu[0]->tlbm;
    assert_int_equal(t->cfg.l1d_entries, 8);
    assert_int_equal(t->cfg.l1i_entries, 48);
    assert_int_equal(t->l2_sets, 32);
    assert_int_equal(t->cfg.l2_hit, 9);
    assert_int_equal(a83_debug_host_tlb(NULL, 0), A83_ERR_ARG);
    assert_int_equal(a83_debug_host_tlb(m, 0), A83_OK);
    a83_machine_destroy(m);
}

/* The L1 presence filter (tlb_model.c l1_hash(), TLBModel.l1_bucket) only
 * skips scans that cannot hit. With the default geometry (48 and 32 L1
 * slots, 1024 x 4 L2) and pages drawn from a pool where many share a filter
 * bucket (pages 256 and 1 Mi pages apart, and pages whose two halves
 * cancel out in the hash), every lookup must give what the unfiltered
 * scans say (tlbm_l1_holds(), tlbm_l2_holds()), across fills, FIFO
 * evictions, TLBIs of every kind and a snapshot round trip, which rebuilds
 * the filter. Deterministic (xorshift with a fixed seed). */
static uint64_t g_rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static uint64_t pool_page(uint64_t i)
{
    switch (i % 4) {
    case 0: return (0x4000ull + (i / 4) * 256) << 12;          /* same low byte */
    case 1: return (0x8000ull + (i / 4) * 0x101) << 12;        /* (p ^ p >> 8) & 255 equal */
    case 2: return (0xffff8000ull + (i / 4)) << 12;            /* sequential */
    default: return ((i / 4) << 20) << 12;                     /* 1 Mi pages apart */
    }
}

static void check_lookup(TLBModel *t, unsigned side, const TLBMKey *k)
{
    bool in1 = tlbm_l1_holds(t, side, k), in2 = tlbm_l2_holds(t, k);
    int want = in1 ? TLBM_L1_HIT : in2 ? TLBM_L2_HIT : TLBM_MISS;
    int r = tlbm_lookup(t, side, k);
    assert_int_equal(r, want);
    if (r == TLBM_MISS)
        tlbm_fill(t, side, k, (rnd() & 7) == 0, (rnd() & 15) == 0 ? 21 : 12);
    assert_true(tlbm_l1_holds(t, side, k));
}

static void test_l1_filter_exact(void **s)
{
    (void)s;
    TLBModelConfig cfg;
    tlbm_config_default(&cfg);
    static TLBModel t, u;
    tlbm_init(&t, &cfg, on_evict, NULL);
    for (unsigned step = 0; step < 200000; step++) {
        uint64_t x = rnd();
        TLBMKey k = key((unsigned)(x % 3), pool_page((x >> 8) % 160), (uint16_t)((x >> 20) % 3),
                        (uint16_t)((x >> 24) % 2));
        unsigned op = (unsigned)((x >> 32) % 1000);
        if (op < 990) {
            check_lookup(&t, (unsigned)(x >> 40) & 1, &k);
        } else if (op < 996) {
            TLBMScope sc = { .regimes = (uint8_t)(1u << k.regime), .by_va = true, .va = k.page,
                             .asid_mode = TLBM_ASID_OR_GLOBAL, .asid = k.asid };
            tlbm_invalidate(&t, &sc);
            assert_false(tlbm_l1_holds(&t, TLBM_SIDE_D, &k) && !tlbm_l2_holds(&t, &k));
        } else if (op < 998) {
            TLBMScope sc = { .regimes = 7, .asid_mode = TLBM_ASID_NONGLOBAL, .asid = k.asid };
            tlbm_invalidate(&t, &sc);
        } else if (op < 999) {
            TLBMScope sc = { .regimes = 1, .by_vmid = true, .vmid = k.vmid };
            tlbm_invalidate(&t, &sc);
        } else {
            tlbm_flush(&t);
        }
        if (step == 100000) {
            /* a snapshot round trip: the loaded model answers the same */
            SnapWriter w = { 0 };
            tlbm_snap_save(&t, &w);
            assert_false(w.err);
            char msg[SNAP_MSG_LEN] = "";
            SnapReader r = { .p = w.buf, .len = w.len, .msg = msg };
            tlbm_init(&u, &cfg, on_evict, NULL);
            tlbm_snap_load(&u, &cfg, &r);
            if (r.err)
                fail_msg("snapshot load: %s", msg);
            assert_int_equal(r.pos, w.len);
            free(w.buf);
            memcpy(&t, &u, sizeof t);
        }
    }
    uint64_t l2h, miss;
    tlbm_counters(&t, &l2h, &miss);
    assert_true(l2h > 1000 && miss > 1000);   /* every outcome was exercised */
}

/* An L1 of the largest size (TLBM_MAX_L1 = 256 slots) whose slots all hold
 * the same page (256 ASIDs of one non-global page): the filter's bucket
 * counts 256 and must not wrap, so every ASID still hits the L1. */
static void test_l1_filter_full_bucket(void **s)
{
    (void)s;
    TLBModelConfig cfg;
    tlbm_config_default(&cfg);
    cfg.l1d_entries = TLBM_MAX_L1;
    static TLBModel t;
    tlbm_init(&t, &cfg, on_evict, NULL);
    for (unsigned a = 0; a < TLBM_MAX_L1; a++) {
        TLBMKey k = key(0, 0x7000, (uint16_t)a, 1);
        assert_int_equal(tlbm_lookup(&t, TLBM_SIDE_D, &k), TLBM_MISS);
        tlbm_fill(&t, TLBM_SIDE_D, &k, false, 12);
    }
    for (unsigned a = 0; a < TLBM_MAX_L1; a++) {
        TLBMKey k = key(0, 0x7000, (uint16_t)a, 1);
        assert_int_equal(tlbm_lookup(&t, TLBM_SIDE_D, &k), TLBM_L1_HIT);
    }
}

/* Evictions of one model, folded into a running hash (opaque: the hash). */
static void on_evict_hash(void *opaque, unsigned side, const TLBMEntry *e)
{
    uint64_t *h = opaque;
    uint64_t v[4] = { side, e->page, (uint64_t)e->asid << 32 | e->vmid,
                      (uint64_t)e->regime << 32 | (uint64_t)e->lg_size << 16 | e->owners };
    for (unsigned i = 0; i < 4; i++)
        *h = (*h ^ v[i]) * 0x100000001b3ull;
}

/* Two entries alike field by field (a struct compare would see padding,
 * which entries copied from a stack temporary leave undefined). */
static bool same_entry(const TLBMEntry *a, const TLBMEntry *b)
{
    return a->page == b->page && a->asid == b->asid && a->vmid == b->vmid &&
           a->regime == b->regime && a->lg_size == b->lg_size && a->global == b->global &&
           a->valid == b->valid && a->owners == b->owners && a->gen == b->gen;
}

/* tlbm_access() is the MMU's lookup, fill on a successful walk that
 * missed, and owner bits on a successful one (tlbm_lookup(), tlbm_fill(),
 * tlbm_own_last()): two models, one driven each way through the same
 * random accesses (walks that succeed or fault, owner bits of the host
 * contexts) and invalidations, report the same evictions with the same
 * owners in the same order and end in the same state. */
static void test_access_as_calls(void **s)
{
    (void)s;
    TLBModelConfig cfg;
    tlbm_config_default(&cfg);
    static TLBModel t, u;
    uint64_t ht = 14695981039346656037ull, hu = ht;
    tlbm_init(&t, &cfg, on_evict_hash, &ht);
    tlbm_init(&u, &cfg, on_evict_hash, &hu);
    unsigned outcomes[3] = { 0 };
    for (unsigned step = 0; step < 200000; step++) {
        uint64_t x = rnd();
        TLBMKey k = key((unsigned)(x % 3), pool_page((x >> 8) % 160), (uint16_t)((x >> 20) % 3),
                        (uint16_t)((x >> 24) % 2));
        unsigned op = (unsigned)((x >> 32) % 1000), side = (unsigned)(x >> 40) & 1;
        bool ok = ((x >> 41) & 15) != 0, global = ((x >> 45) & 7) == 0;
        unsigned lg = ((x >> 48) & 15) == 0 ? 21 : 12;
        uint16_t owners = (uint16_t)(1u << ((x >> 52) % 10));
        if (op < 995) {
            int r = tlbm_lookup(&t, side, &k);
            if (r == TLBM_MISS && ok)
                tlbm_fill(&t, side, &k, global, lg);
            if (ok)
                tlbm_own_last(&t, side, owners);
            assert_int_equal(tlbm_access(&u, side, &k, ok, global, lg, owners), r);
            outcomes[r]++;
        } else {
            TLBMScope sc = { .regimes = (uint8_t)(1u << k.regime), .by_va = op < 998, .va = k.page,
                             .asid_mode = TLBM_ASID_OR_GLOBAL, .asid = k.asid };
            assert_int_equal(tlbm_invalidate(&t, &sc), tlbm_invalidate(&u, &sc));
        }
        assert_true(ht == hu);
    }
    for (unsigned side = 0; side < 2; side++)
        for (unsigned i = 0; i < TLBM_MAX_L1; i++)
            assert_true(same_entry(&t.l1[side][i], &u.l1[side][i]));
    assert_memory_equal(t.l1_page, u.l1_page, sizeof t.l1_page);
    for (unsigned i = 0; i < TLBM_MAX_L2; i++)
        assert_true(same_entry(&t.l2[i], &u.l2[i]));
    assert_memory_equal(t.l2_next, u.l2_next, sizeof t.l2_next);
    assert_memory_equal(t.l1_next, u.l1_next, sizeof t.l1_next);
    assert_memory_equal(t.l1_last, u.l1_last, sizeof t.l1_last);
    assert_int_equal(t.l2_hits, u.l2_hits);
    assert_int_equal(t.misses, u.misses);
    for (unsigned r = 0; r < 3; r++)
        assert_true(outcomes[r] > 1000);   /* L1 hits, L2 hits and misses all exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_and_levels),
        cmocka_unit_test(test_owner_bits), cmocka_unit_test(test_asid_global_vmid),
        cmocka_unit_test(test_tlbi_scopes), cmocka_unit_test(test_config),
        cmocka_unit_test(test_profile), cmocka_unit_test(test_l1_filter_exact),
        cmocka_unit_test(test_l1_filter_full_bucket), cmocka_unit_test(test_access_as_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
