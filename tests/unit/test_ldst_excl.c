/*
 * Exclusives and ordered accesses (Arm ARM B2.9 "Synchronization and
 * semaphores", C6.2 LDXR/STXR/LDAXR/STLXR/LDXP/STXP/LDAR/STLR): monitor
 * success and failure, another PE's store clearing the monitor, pairs,
 * alignment faults, and the ISS of LDAR/STLR.
 */
#include "ldst_test_util.h"

#include "core/machine.h"   /* only to power CPU 1 on without PSCI */

static a83_machine *m;

static int setup(void **state)
{
    (void)state;
    m = tm_create(2);
    /* The second CPU is normally started by PSCI CPU_ON (firmware, branch
     * platform); here it is powered directly so both can be stepped. */
    m->cpu[1]->powered = true;
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(m);
    return 0;
}

/* LDXR then STXR to the same address succeeds (status 0) and stores; a
 * second STXR without a new LDXR fails (status 1: the first store-exclusive
 * cleared the local monitor) and does not store. */
static void test_excl_success_and_clear(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA, 8, 41);
    tm_setx(m, 0, 1, DATA_PA);
    tm_setx(m, 0, 3, 0x99);
    tm_setx(m, 0, 4, 7);
    uint32_t code[] = {
        enc_ldxr(3, 0, 1, 2),          /* ldxr x2, [x1] */
        enc_stxr(3, 0, 4, 1, 3),       /* stxr w4, x3, [x1] */
        enc_stxr(3, 1, 5, 1, 2),       /* stlxr w5, x2, [x1] (no monitor) */
    };
    tm_run(m, code, 3);
    assert_int_equal(tm_x(m, 0, 2), 41);
    assert_int_equal(tm_x(m, 0, 4), 0);
    assert_int_equal(tm_x(m, 0, 5), 1);
    assert_int_equal(tm_rd(m, DATA_PA, 8), 0x99);
}

/* A store-exclusive to a different address than the monitored one, or of a
 * different size, fails and leaves memory unchanged. */
static void test_excl_mismatch(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x10, 8, 0x1234);
    tm_wr(m, DATA_PA + 0x18, 8, 0x5678);
    tm_setx(m, 0, 1, DATA_PA + 0x10);
    tm_setx(m, 0, 6, DATA_PA + 0x18);
    tm_setx(m, 0, 3, 0xeeee);
    uint32_t code[] = {
        enc_ldxr(3, 1, 1, 2),          /* ldaxr x2, [x1] */
        enc_stxr(3, 0, 4, 6, 3),       /* stxr w4, x3, [x6]: other address */
        enc_ldxr(3, 0, 1, 2),          /* ldxr x2, [x1] */
        enc_stxr(2, 0, 5, 1, 3),       /* stxr w5, w3, [x1]: other size */
    };
    tm_run(m, code, 4);
    assert_int_equal(tm_x(m, 0, 4), 1);
    assert_int_equal(tm_x(m, 0, 5), 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x10, 8), 0x1234);
    assert_int_equal(tm_rd(m, DATA_PA + 0x18, 8), 0x5678);
}

/* Byte and halfword exclusives zero-extend and store the low bits. */
static void test_excl_byte_half(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x20, 8, 0xfffffffffffffffeull);
    tm_setx(m, 0, 1, DATA_PA + 0x20);
    tm_setx(m, 0, 7, DATA_PA + 0x22);
    tm_setx(m, 0, 3, 0x1234567812345678ull);
    uint32_t code[] = {
        enc_ldxr(0, 0, 1, 2),          /* ldxrb w2, [x1] */
        enc_stxr(0, 0, 4, 1, 3),       /* stxrb w4, w3, [x1] */
        enc_ldxr(1, 1, 7, 5),          /* ldaxrh w5, [x7] */
        enc_stxr(1, 1, 6, 7, 3),       /* stlxrh w6, w3, [x7] */
    };
    tm_run(m, code, 4);
    assert_int_equal(tm_x(m, 0, 2), 0xfe);
    assert_int_equal(tm_x(m, 0, 4), 0);
    assert_int_equal(tm_x(m, 0, 5), 0xffff);
    assert_int_equal(tm_x(m, 0, 6), 0);
    assert_int_equal(tm_rd(m, DATA_PA + 0x20, 8), 0xffffffff5678ff78ull);
}

/* Arm ARM B2.9.5: a store by another PE to the monitored location clears
 * the local monitor, so CPU 0's STXR fails; without the interfering store
 * it succeeds. Also an LSE atomic of CPU 1 clears CPU 0's monitor. */
static void test_excl_other_cpu_store(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x40, 8, 100);
    uint32_t c0[] = { enc_ldxr(3, 0, 1, 2), enc_stxr(3, 0, 4, 1, 3) };
    uint32_t c1[] = { enc_uimm(3, 0, 0, 0, 1, 5),                     /* str x5, [x1] */
                      enc_atomic(3, 0, 0, 5, 0, OP_ADD, 1, 31) };    /* stadd x5, [x1] */
    tm_code(m, 0, CODE_PA, c0, 2);
    tm_code(m, 1, CODE_PA + 0x100, c1, 2);
    tm_setx(m, 0, 1, DATA_PA + 0x40);
    tm_setx(m, 0, 3, 0xdead);
    tm_setx(m, 1, 1, DATA_PA + 0x40);
    tm_setx(m, 1, 5, 5);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: ldxr */
    assert_int_equal(a83_step(m, 1), A83_OK);     /* CPU1: str */
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: stxr fails */
    assert_int_equal(tm_x(m, 0, 2), 100);
    assert_int_equal(tm_x(m, 0, 4), 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x40, 8), 5);

    /* again, with CPU 1 doing an atomic add instead */
    tm_code(m, 0, CODE_PA, c0, 2);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* ldxr: 5 */
    assert_int_equal(a83_step(m, 1), A83_OK);     /* stadd: 10 */
    assert_int_equal(a83_step(m, 0), A83_OK);     /* stxr fails */
    assert_int_equal(tm_x(m, 0, 2), 5);
    assert_int_equal(tm_x(m, 0, 4), 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x40, 8), 10);

    /* and without interference it succeeds */
    tm_code(m, 0, CODE_PA, c0, 2);
    assert_int_equal(a83_step(m, 0), A83_OK);
    assert_int_equal(a83_step(m, 0), A83_OK);
    assert_int_equal(tm_x(m, 0, 4), 0);
    assert_int_equal(tm_rd(m, DATA_PA + 0x40, 8), 0xdead);
}

/* The host side of B2.9.5 (mmu/mem.c "Exclusive monitors and the write fast
 * path"): CPU 1's store goes through its host TLB's fast path, which must not
 * skip the monitor check. CPU 1 first stores to the page (its TLB entry gets
 * the fast write tag); CPU 0's LDXR leaves its page unflagged while CPU 0
 * runs, and flagged with every CPU's fast write tag dropped once it stops
 * with the monitor held; CPU 1's next store then clears the monitor. The
 * first store that finds no monitor left drops the flag, and the entry gets
 * its fast tag back at the next store. */
static void test_excl_other_cpu_fast_entry(void **state)
{
    (void)state;
    const uint64_t pa = DATA_PA + 0x80, page = pa & ~(uint64_t)0xfff;
    tm_wr(m, pa, 8, 1);
    uint32_t c0[] = { enc_ldxr(3, 0, 1, 2), enc_stxr(3, 0, 4, 1, 3) };
    uint32_t c1[] = { enc_uimm(3, 0, 0, 0, 1, 5), enc_uimm(3, 0, 0, 0, 1, 5),
                      enc_uimm(3, 0, 0, 0, 1, 5), enc_uimm(3, 0, 0, 0, 1, 5) };
    tm_code(m, 0, CODE_PA, c0, 2);
    tm_code(m, 1, CODE_PA + 0x100, c1, 4);
    tm_setx(m, 0, 1, pa);
    tm_setx(m, 0, 3, 0xdead);
    tm_setx(m, 1, 1, pa);
    tm_setx(m, 1, 5, 7);
    MemBlock *b = machine_find_mem(m, pa, 8);
    assert_non_null(b);
    uint8_t *pf = &b->pflags[(pa - b->base) >> PAGE_BITS];
    const TLBEntry *e1 = &m->cpu[1]->tlb[(pa >> PAGE_BITS) & (TLB_SIZE - 1)];
    assert_int_equal(a83_step(m, 1), A83_OK);     /* CPU1: str, a fast write entry */
    assert_int_equal(e1->tag_w, page);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: ldxr, then stops running */
    assert_true(m->cpu[0]->excl_valid);
    assert_true(*pf & PF_EXCL);
    assert_int_not_equal(e1->tag_w, page);        /* CPU1's fast path dropped */
    assert_int_equal(a83_step(m, 1), A83_OK);     /* CPU1: str clears CPU0's monitor */
    assert_false(m->cpu[0]->excl_valid);
    assert_false(*pf & PF_EXCL);                  /* no monitor left: flag dropped */
    assert_int_equal(a83_step(m, 1), A83_OK);     /* str: the entry is fast again */
    assert_int_equal(e1->tag_w, page);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: stxr fails */
    assert_int_equal(tm_x(m, 0, 4), 1);
    assert_int_equal(tm_rd(m, pa, 8), 7);
}

/* Clearing a PE's monitor by another PE's store is a WFE wake-up event
 * (Arm ARM D1.16.1): the Linux spin-wait idiom LDXR; ...; WFE must not
 * sleep when the awaited store came between the LDXR and the WFE. */
static void test_excl_clear_is_event(void **state)
{
    (void)state;
    const uint32_t WFE = 0xd503205f;
    uint32_t c0[] = { enc_ldxr(3, 0, 1, 2), WFE, WFE };
    uint32_t c1[] = { enc_uimm(3, 0, 0, 0, 1, 5) };                   /* str x5, [x1] */
    tm_code(m, 0, CODE_PA, c0, 3);
    tm_code(m, 1, CODE_PA + 0x100, c1, 1);
    tm_setx(m, 0, 1, DATA_PA + 0x60);
    tm_setx(m, 1, 1, DATA_PA + 0x60);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: ldxr */
    m->cpu[0]->event_reg = false;
    assert_int_equal(a83_step(m, 1), A83_OK);     /* CPU1: str clears CPU0's monitor */
    assert_true(m->cpu[0]->event_reg);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* CPU0: wfe completes at once */
    assert_false(m->cpu[0]->halted);
    assert_false(m->cpu[0]->event_reg);
    assert_int_equal(tm_x(m, 0, A83_REG_PC), CODE_PA + 8);
    assert_int_equal(a83_step(m, 0), A83_OK);     /* second wfe: no event, sleeps */
    assert_true(m->cpu[0]->halted);
    m->cpu[0]->halted = false;
}

/* LDXP/STXP of two 64-bit and two 32-bit registers: Rt at the lower
 * address; the monitor covers the whole pair. */
static void test_excl_pairs(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x80, 8, 0x1111111111111111ull);
    tm_wr(m, DATA_PA + 0x88, 8, 0x2222222222222222ull);
    tm_wr(m, DATA_PA + 0x90, 8, 0x4444444433333333ull);
    tm_setx(m, 0, 1, DATA_PA + 0x80);
    tm_setx(m, 0, 2, DATA_PA + 0x90);
    tm_setx(m, 0, 10, 0xaaaaaaaaaaaaaaaaull);
    tm_setx(m, 0, 11, 0xbbbbbbbbbbbbbbbbull);
    uint32_t code[] = {
        enc_ldxp(1, 0, 4, 1, 3),        /* ldxp x3, x4, [x1] */
        enc_stxp(1, 0, 5, 11, 1, 10),   /* stxp w5, x10, x11, [x1] */
        enc_ldxp(0, 1, 7, 2, 6),        /* ldaxp w6, w7, [x2] */
        enc_stxp(0, 1, 8, 10, 2, 11),   /* stlxp w8, w11, w10, [x2] */
        enc_stxp(0, 0, 9, 10, 2, 11),   /* stxp w9, ... : monitor cleared -> 1 */
    };
    tm_run(m, code, 5);
    assert_int_equal(tm_x(m, 0, 3), 0x1111111111111111ull);
    assert_int_equal(tm_x(m, 0, 4), 0x2222222222222222ull);
    assert_int_equal(tm_x(m, 0, 5), 0);
    assert_int_equal(tm_rd(m, DATA_PA + 0x80, 8), 0xaaaaaaaaaaaaaaaaull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x88, 8), 0xbbbbbbbbbbbbbbbbull);
    assert_int_equal(tm_x(m, 0, 6), 0x33333333ull);
    assert_int_equal(tm_x(m, 0, 7), 0x44444444ull);
    assert_int_equal(tm_x(m, 0, 8), 0);
    assert_int_equal(tm_rd(m, DATA_PA + 0x90, 8), 0xaaaaaaaabbbbbbbbull);
    assert_int_equal(tm_x(m, 0, 9), 1);
}

/* Exclusives must be aligned to their size even where ordinary accesses
 * need not be (Arm ARM B2.5.2): alignment fault, DFSC 0b100001, ISV = 0;
 * STXR faults as a write (WnR = 1). A 64-bit pair needs 16-byte alignment. */
static void test_excl_alignment(void **state)
{
    (void)state;
    tm_setx(m, 0, 1, DATA_PA + 0x104);
    tm_setx(m, 0, 2, DATA_PA + 0x108);
    tm_setx(m, 0, 5, 0x55);
    tm_expect_fault(m, enc_ldxr(3, 0, 1, 3), ESR_DABT_CUR(DFSC_ALIGN), true, DATA_PA + 0x104);
    tm_expect_fault(m, enc_stxr(3, 0, 4, 1, 3), ESR_DABT_CUR(ISS_WNR | DFSC_ALIGN), true,
                    DATA_PA + 0x104);
    tm_expect_fault(m, enc_ldxp(1, 0, 4, 2, 3), ESR_DABT_CUR(DFSC_ALIGN), true, DATA_PA + 0x108);
    tm_expect_fault(m, enc_stxp(1, 0, 4, 5, 2, 3), ESR_DABT_CUR(ISS_WNR | DFSC_ALIGN), true,
                    DATA_PA + 0x108);
}

/* LDAR/STLR (all sizes) load and store like LDR/STR; they need alignment. */
static void test_ordered(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x140, 8, 0x8877665544332211ull);
    tm_setx(m, 0, 1, DATA_PA + 0x140);
    tm_setx(m, 0, 9, DATA_PA + 0x150);
    tm_setx(m, 0, 8, 0xf0e0d0c0b0a09080ull);
    uint32_t code[] = {
        enc_ldar(0, 1, 2), enc_ldar(1, 1, 3), enc_ldar(2, 1, 4), enc_ldar(3, 1, 5),
        enc_stlr(3, 9, 8), enc_stlr(2, 9, 2), enc_stlr(1, 9, 2), enc_stlr(0, 9, 3),
    };
    tm_run(m, code, 8);
    assert_int_equal(tm_x(m, 0, 2), 0x11);
    assert_int_equal(tm_x(m, 0, 3), 0x2211);
    assert_int_equal(tm_x(m, 0, 4), 0x44332211);
    assert_int_equal(tm_x(m, 0, 5), 0x8877665544332211ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x150, 8), 0xf0e0d0c000000011ull);
    tm_setx(m, 0, 1, DATA_PA + 0x142);
    tm_expect_fault(m, enc_ldar(2, 1, 4), ESR_DABT_CUR(DFSC_ALIGN), true, DATA_PA + 0x142);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excl_success_and_clear),
        cmocka_unit_test(test_excl_mismatch),
        cmocka_unit_test(test_excl_byte_half),
        cmocka_unit_test(test_excl_other_cpu_store),
        cmocka_unit_test(test_excl_other_cpu_fast_entry),
        cmocka_unit_test(test_excl_clear_is_event),
        cmocka_unit_test(test_excl_pairs),
        cmocka_unit_test(test_excl_alignment),
        cmocka_unit_test(test_ordered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
