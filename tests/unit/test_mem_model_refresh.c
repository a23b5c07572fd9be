/*
 * mem_model_refresh() (mmu/mem.h): the translator's refresh of a host TLB
 * entry that TLB_FLAG_MODEL marks (the TLB model's L1 D dropped its page;
 * docs/timing.md "TLB model") does what the access's slow path does first
 * for it. Two machines built alike touch the same 40 pages, so that the
 * first page's model entry leaves the 32-entry L1 D (Cortex-A72, the
 * default geometry) and its host entry is flagged; then one refreshes the
 * entry and the other reads through the slow path (mem_read_slow()). The
 * cycles, the model (both L1s, the L2, the counters) and the host entry
 * must be the same on both: one L2 hit, charged [tlb] l2_hit cycles. The
 * refresh refuses (false, nothing changed) for an entry that is not the
 * access's, for a tag that is not the page with the flag alone, and under
 * debug watchpoints, which only the slow path checks.
 */
#include "mmu_test_util.h"

#include <string.h>

#include "mmu/mem.h"
#include "mmu/mmu.h"

#define POOL (RAM + 0x100000)       /* translation tables */
#define DATA (RAM + 0x400000)       /* 40 pages read here */
#define NPAGES 40

/* A machine whose EL1&0 stage 1 maps the 64 MiB of RAM flat in 2 MiB
 * blocks of Normal memory, read/write at EL1, every page of DATA read once
 * (in order: the first page's model L1 D entry is evicted by the 33rd). */
static a83_machine *mk(void)
{
    a83_machine *m = mk_machine(1);
    PT p;
    pt_init(&p, m, POOL, 12, 48, 0);
    for (uint64_t o = 0; o < (64ull << 20); o += 0x200000)
        pt_map(&p, RAM + o, RAM + o, 2, D_AF | D_AP_RW_EL1 | D_IDX(0) | D_PXN | D_UXN);
    CPUState *c = m->cpu[0];
    s1_enable(c, TCR_T0SZ(16) | TCR_IPS(5) | TCR_T1SZ(16) | TCR_TG1_4K, p.root, 0);
    for (unsigned i = 0; i < NPAGES; i++)
        (void)mem_read(c, DATA + 0x1000ull * i, 8, 0);
    return m;
}

static TLBEntry *entry_of(CPUState *c, uint64_t va)
{
    return &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
}

/* Host entries alike but for the host address of the RAM (addend). */
static bool same_tags(const TLBEntry *x, const TLBEntry *y)
{
    return x->tag_r == y->tag_r && x->tag_w == y->tag_w && x->info == y->info;
}

static void test_refresh_as_slow_path(void **state)
{
    (void)state;
    a83_machine *ma = mk(), *mb = mk();
    CPUState *a = ma->cpu[0], *b = mb->cpu[0];
    TLBEntry *ea = entry_of(a, DATA), *eb = entry_of(b, DATA);
    /* the first page's entry is flagged on both, and only flagged */
    assert_int_equal(ea->tag_r, DATA | TLB_FLAG_MODEL);
    assert_int_equal(eb->tag_r, DATA | TLB_FLAG_MODEL);
    uint64_t hits0 = a->tlbm.l2_hits, cyc0 = a->cycles;
    assert_int_equal(b->cycles, cyc0);

    assert_true(mem_model_refresh(a, DATA + 8, ea, 0, ACC_READ));
    assert_int_equal(mem_read_slow(b, DATA + 8, 8, 0), 0);

    assert_int_equal(ea->tag_r, DATA);                      /* hits inline now */
    assert_int_equal(a->tlbm.l2_hits, hits0 + 1);           /* an L2 hit ... */
    assert_int_equal(a->cycles - cyc0, ma->timing.tlb.l2_hit);   /* ... and its cost */
    assert_int_equal(a->cycles, b->cycles);
    assert_true(same_tags(ea, eb));
    assert_memory_equal(a->tlbm.l1, b->tlbm.l1, sizeof a->tlbm.l1);
    assert_memory_equal(a->tlbm.l2, b->tlbm.l2, sizeof a->tlbm.l2);
    assert_memory_equal(a->tlbm.l1_next, b->tlbm.l1_next, sizeof a->tlbm.l1_next);
    assert_int_equal(a->tlbm.l2_hits, b->tlbm.l2_hits);
    assert_int_equal(a->tlbm.misses, b->tlbm.misses);
    /* and the evictions flagged the same host entries (the second page's) */
    for (unsigned i = 0; i < TLB_SIZE; i++)
        assert_true(same_tags(&a->tlb[i], &b->tlb[i]));
    assert_int_equal(entry_of(a, DATA + 0x1000)->tag_r, (DATA + 0x1000) | TLB_FLAG_MODEL);
    a83_machine_destroy(ma);
    a83_machine_destroy(mb);
}

static void test_refusals(void **state)
{
    (void)state;
    a83_machine *m = mk();
    CPUState *c = m->cpu[0];
    TLBEntry *e = entry_of(c, DATA);
    TLBEntry saved = *e;
    uint64_t cyc = c->cycles;
    /* another entry than the access's */
    assert_false(mem_model_refresh(c, DATA, entry_of(c, DATA + 0x1000), 0, ACC_READ));
    /* the write tag: not the page with the flag alone */
    e->tag_w = DATA | TLB_FLAG_MODEL | TLB_FLAG_SLOW;
    saved.tag_w = e->tag_w;
    assert_false(mem_model_refresh(c, DATA, e, 0, ACC_WRITE));
    /* debug watchpoints: the slow path checks them */
    c->dbg_wp = true;
    assert_false(mem_model_refresh(c, DATA, e, 0, ACC_READ));
    c->dbg_wp = false;
    assert_memory_equal(e, &saved, sizeof saved);
    assert_int_equal(c->cycles, cyc);
    /* an entry that is not flagged: nothing to refresh */
    assert_true(mem_model_refresh(c, DATA, e, 0, ACC_READ));
    assert_false(mem_model_refresh(c, DATA, e, 0, ACC_READ));
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refresh_as_slow_path),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
