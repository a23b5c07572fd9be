/*
 * Load/store pair (Arm ARM C6.2 LDP/STP/LDPSW/LDNP/STNP, C7.2 LDP/STP
 * (SIMD&FP)): offset, pre-index, post-index, no-allocate, sign extension,
 * and that a faulting pair changes neither registers nor memory.
 */
#include "ldst_test_util.h"

static a83_machine *m;

static int setup(void **state)
{
    (void)state;
    m = tm_create(1);
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(m);
    return 0;
}

static void test_gpr_pairs(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x00, 8, 0x1111111122222222ull);
    tm_wr(m, DATA_PA + 0x08, 8, 0x3333333344444444ull);
    tm_wr(m, DATA_PA + 0x10, 8, 0x80000001fffffffeull);
    tm_setx(m, 0, 1, DATA_PA);
    tm_setx(m, 0, 2, DATA_PA + 0x100);
    tm_setx(m, 0, 10, 0xaaaaaaaaaaaaaaaaull);
    tm_setx(m, 0, 11, 0xbbbbbbbbbbbbbbbbull);
    uint32_t code[] = {
        enc_pair(2, 0, PIDX_OFF, 1, 1, 4, 1, 3),    /* ldp x3, x4, [x1, #8] */
        enc_pair(0, 0, PIDX_OFF, 1, 0, 6, 1, 5),    /* ldp w5, w6, [x1] */
        enc_pair(1, 0, PIDX_OFF, 1, 4, 8, 1, 7),    /* ldpsw x7, x8, [x1, #16] */
        enc_pair(2, 0, PIDX_PRE, 0, -2, 11, 2, 10), /* stp x10, x11, [x2, #-16]! */
        enc_pair(0, 0, PIDX_POST, 0, 4, 10, 2, 11), /* stp w11, w10, [x2], #16 */
        enc_pair(2, 0, PIDX_NA, 0, 4, 3, 2, 4),     /* stnp x4, x3, [x2, #32] */
        enc_pair(2, 0, PIDX_NA, 1, 4, 13, 2, 12),   /* ldnp x12, x13, [x2, #32] */
        enc_pair(2, 0, PIDX_POST, 1, 2, 15, 1, 14), /* ldp x14, x15, [x1], #16 */
    };
    tm_run(m, code, sizeof code / 4);
    assert_int_equal(tm_x(m, 0, 3), 0x3333333344444444ull);
    assert_int_equal(tm_x(m, 0, 4), 0x80000001fffffffeull);
    assert_int_equal(tm_x(m, 0, 5), 0x22222222ull);
    assert_int_equal(tm_x(m, 0, 6), 0x11111111ull);
    assert_int_equal(tm_x(m, 0, 7), 0xfffffffffffffffeull);
    assert_int_equal(tm_x(m, 0, 8), 0xffffffff80000001ull);
    /* stp pre-index at 0xf0, then post-index back to 0x100 */
    assert_int_equal(tm_rd(m, DATA_PA + 0xf0, 8), 0xaaaaaaaabbbbbbbbull); /* w11 at 0xf0, w10 at 0xf4 */
    assert_int_equal(tm_rd(m, DATA_PA + 0xf8, 8), 0xbbbbbbbbbbbbbbbbull);
    assert_int_equal(tm_x(m, 0, 2), DATA_PA + 0x100);
    assert_int_equal(tm_x(m, 0, 12), 0x80000001fffffffeull);
    assert_int_equal(tm_x(m, 0, 13), 0x3333333344444444ull);
    assert_int_equal(tm_x(m, 0, 14), 0x1111111122222222ull);
    assert_int_equal(tm_x(m, 0, 1), DATA_PA + 0x10);
}

/* LDP/STP of S, D, Q registers; the V[] writes zero the upper bits. */
static void test_simd_pairs(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 8; i++)
        tm_wr(m, DATA_PA + 0x200 + 8 * i, 8, 0x0101010101010101ull * (i + 1));
    for (unsigned v = 0; v < 8; v++)
        a83_vreg_write(m, 0, v, ~0ull, ~0ull);
    tm_setx(m, 0, 1, DATA_PA + 0x200);
    uint32_t code[] = {
        enc_pair(0, 1, PIDX_OFF, 1, 1, 1, 1, 0),    /* ldp s0, s1, [x1, #4] */
        enc_pair(1, 1, PIDX_OFF, 1, 1, 3, 1, 2),    /* ldp d2, d3, [x1, #8] */
        enc_pair(2, 1, PIDX_PRE, 1, 1, 5, 1, 4),    /* ldp q4, q5, [x1, #16]! */
        enc_pair(2, 1, PIDX_POST, 0, 4, 4, 1, 5),   /* stp q5, q4, [x1], #64 */
    };
    tm_run(m, code, sizeof code / 4);
    uint64_t lo, hi;
    a83_vreg_read(m, 0, 0, &lo, &hi);
    assert_int_equal(lo, 0x01010101ull); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 1, &lo, &hi);
    assert_int_equal(lo, 0x02020202ull); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 3, &lo, &hi);
    assert_int_equal(lo, 0x0303030303030303ull); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 4, &lo, &hi);
    assert_int_equal(lo, 0x0303030303030303ull); assert_int_equal(hi, 0x0404040404040404ull);
    a83_vreg_read(m, 0, 5, &lo, &hi);
    assert_int_equal(lo, 0x0505050505050505ull); assert_int_equal(hi, 0x0606060606060606ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x210, 8), 0x0505050505050505ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x218, 8), 0x0606060606060606ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x220, 8), 0x0303030303030303ull);
    assert_int_equal(tm_x(m, 0, 1), DATA_PA + 0x250);
}

/* A pair whose second element faults (the end of RAM) raises the abort
 * with no register written and no memory changed (handlers perform every
 * access before any write-back; ARCHITECTURE.md "Synchronous exceptions"). */
static void test_pair_fault_atomicity(void **state)
{
    (void)state;
    uint64_t ram_end = 0x40000000ull + (64ull << 20);
    tm_wr(m, ram_end - 8, 8, 0x1234ull);
    tm_setx(m, 0, 1, ram_end - 8);
    tm_setx(m, 0, 2, 0x77);
    tm_setx(m, 0, 3, 0x88);
    /* ldp x2, x3, [x1]: second access at ram_end -> synchronous external abort */
    tm_expect_fault(m, enc_pair(2, 0, PIDX_OFF, 1, 0, 3, 1, 2), ESR_DABT_CUR(0x10), true, ram_end);
    assert_int_equal(tm_x(m, 0, 2), 0x77);
    assert_int_equal(tm_x(m, 0, 3), 0x88);
    /* ldp x2, x3, [x1], #16: neither the registers nor the base change */
    tm_expect_fault(m, enc_pair(2, 0, PIDX_POST, 1, 2, 3, 1, 2), ESR_DABT_CUR(0x10), true, ram_end);
    assert_int_equal(tm_x(m, 0, 1), ram_end - 8);
    assert_int_equal(tm_x(m, 0, 2), 0x77);
}

/* Writeback overlap choices (CONSTRAINED UNPREDICTABLE, documented in
 * ldst_pair.c): load pair with n == t suppresses writeback. */
static void test_pair_wb_overlap(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x300, 8, 0x10);
    tm_wr(m, DATA_PA + 0x308, 8, 0x20);
    tm_setx(m, 0, 1, DATA_PA + 0x300);
    uint32_t code[] = { enc_pair(2, 0, PIDX_POST, 1, 2, 2, 1, 1) };   /* ldp x1, x2, [x1], #16 */
    tm_run(m, code, 1);
    assert_int_equal(tm_x(m, 0, 1), 0x10);
    assert_int_equal(tm_x(m, 0, 2), 0x20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpr_pairs),
        cmocka_unit_test(test_simd_pairs),
        cmocka_unit_test(test_pair_fault_atomicity),
        cmocka_unit_test(test_pair_wb_overlap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
