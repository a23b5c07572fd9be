/*
 * The shared integer helpers of src/cpu/dp_util.h against the Arm ARM
 * pseudocode written out directly: AddWithCarry (J1
 * shared/functions/integer/AddWithCarry), ConditionHolds (J1
 * shared/functions/system/ConditionHolds), ShiftReg, ExtendReg.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpu/dp_util.h"
#include "dp_ref.h"

static const uint64_t interesting[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull, 0xfffffffffffffffeull,
    0xffffffffffffffffull, 0x123456789abcdef0ull, 0xfedcba9876543210ull, 0x00000000fffffffeull,
    0xffffffff00000000ull,
};
#define NI (sizeof interesting / sizeof interesting[0])

static void test_add_with_carry(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NI; i++)
        for (unsigned j = 0; j < NI; j++)
            for (unsigned cin = 0; cin < 2; cin++) {
                uint64_t x = interesting[i], y = interesting[j], r1, r2;
                uint32_t f1, f2 = ref_awc64(x, y, cin, &r2);
                r1 = AddWithCarry64(x, y, cin, &f1);
                assert_int_equal(r1, r2);
                assert_int_equal(f1, f2);
                /* SUB form: x + NOT(y) + 1 */
                f2 = ref_awc64(x, ~y, 1, &r2);
                r1 = AddWithCarry64(x, ~y, 1, &f1);
                assert_int_equal(r1, r2);
                assert_int_equal(f1, f2);
                uint32_t a1, a2;
                f2 = ref_awc32((uint32_t)x, (uint32_t)y, cin, &a2);
                a1 = AddWithCarry32((uint32_t)x, (uint32_t)y, cin, &f1);
                assert_int_equal(a1, a2);
                assert_int_equal(f1, f2);
            }
}

/* Hand-picked edge cases with the flags written down from the definition. */
static void test_add_with_carry_edges(void **state)
{
    (void)state;
    uint32_t f;
    /* CMP 0, 0: 0 + ~0 + 1 = 2^64 -> Z, C */
    assert_int_equal(AddWithCarry64(0, ~0ull, 1, &f), 0);
    assert_int_equal(f, NZCV_Z | NZCV_C);
    /* INT64_MAX + 1 -> N, V */
    assert_int_equal(AddWithCarry64(0x7fffffffffffffffull, 1, 0, &f), 0x8000000000000000ull);
    assert_int_equal(f, NZCV_N | NZCV_V);
    /* ~0 + 0 + carry 1 = 0 with carry out (the y + carry wrap case) */
    assert_int_equal(AddWithCarry64(~0ull, 0, 1, &f), 0);
    assert_int_equal(f, NZCV_Z | NZCV_C);
    /* x + ~0 + 1 = x with carry (SUB x, 0) */
    assert_int_equal(AddWithCarry64(5, ~0ull, 1, &f), 5);
    assert_int_equal(f, NZCV_C);
    /* 32-bit: 0x80000000 - 1 -> 0x7fffffff, C (no borrow), V */
    assert_int_equal(AddWithCarry32(0x80000000u, ~1u, 1, &f), 0x7fffffffu);
    assert_int_equal(f, NZCV_C | NZCV_V);
    /* 32-bit: 1 - 2 -> -1, N, borrow (C clear) */
    assert_int_equal(AddWithCarry32(1, ~2u, 1, &f), 0xffffffffu);
    assert_int_equal(f, NZCV_N);
}

static void test_condition_holds(void **state)
{
    (void)state;
    for (unsigned cond = 0; cond < 16; cond++)
        for (unsigned f = 0; f < 16; f++) {
            bool want = ref_cond(cond, f >> 3, (f >> 2) & 1, (f >> 1) & 1, f & 1);
            if (ConditionHolds(cond, (uint32_t)f << 28) != want)
                fail_msg("cond %u nzcv %x: want %d", cond, f, want);
        }
    /* NV (1111) behaves as AL in A64 */
    assert_true(ConditionHolds(COND_NV, 0));
    assert_true(ConditionHolds(COND_NV, 0xf0000000u));
}

static void test_shift_reg(void **state)
{
    (void)state;
    uint64_t v = 0x8000000000000011ull;
    assert_int_equal(ShiftReg64(v, SHIFT_LSL, 4), 0x0000000000000110ull);
    assert_int_equal(ShiftReg64(v, SHIFT_LSR, 4), 0x0800000000000001ull);
    assert_int_equal(ShiftReg64(v, SHIFT_ASR, 4), 0xf800000000000001ull);
    assert_int_equal(ShiftReg64(v, SHIFT_ROR, 4), 0x1800000000000001ull);
    assert_int_equal(ShiftReg64(v, SHIFT_ROR, 0), v);
    assert_int_equal(ShiftReg64(v, SHIFT_ASR, 63), ~0ull);
    assert_int_equal(ShiftReg32(0x80000011u, SHIFT_ASR, 4), 0xf8000001u);
    assert_int_equal(ShiftReg32(0x80000011u, SHIFT_ROR, 4), 0x18000001u);
    assert_int_equal(ShiftReg32(0x80000011u, SHIFT_LSR, 31), 1u);
}

static void test_extend_reg(void **state)
{
    (void)state;
    uint64_t v = 0xfedcba9887654380ull;
    assert_int_equal(ExtendReg(v, EXT_UXTB, 0), 0x80ull);
    assert_int_equal(ExtendReg(v, EXT_SXTB, 0), 0xffffffffffffff80ull);
    assert_int_equal(ExtendReg(v, EXT_UXTH, 1), 0x8700ull);
    assert_int_equal(ExtendReg(v, EXT_SXTH, 0), 0x4380ull);
    assert_int_equal(ExtendReg(v, EXT_UXTW, 4), 0x876543800ull);
    assert_int_equal(ExtendReg(v, EXT_SXTW, 0), 0xffffffff87654380ull);
    assert_int_equal(ExtendReg(v, EXT_UXTX, 2), v << 2);
    assert_int_equal(ExtendReg(v, EXT_SXTX, 3), v << 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_with_carry),
        cmocka_unit_test(test_add_with_carry_edges),
        cmocka_unit_test(test_condition_holds),
        cmocka_unit_test(test_shift_reg),
        cmocka_unit_test(test_extend_reg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
