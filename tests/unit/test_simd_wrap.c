/*
 * AdvSIMD integer operations at the edges where C arithmetic is undefined
 * but the Arm ARM is not (regressions for issue #19, found by UBSan; under
 * `make check-sanitize` these fail if the C implementation overflows):
 *  - SQRDMLAH/SQRDMLSH with a negative accumulator (Arm ARM C7.2.283/.284,
 *    SignedSatQ((acc << esize) +/- 2*n*m + (1 << (esize-1))) >> esize),
 *    where acc << esize was a left shift of a negative value;
 *  - NEG/ABS of INT64_MIN (C7.2.1 ABS, C7.2.204 NEG: the result wraps
 *    modulo 2^64, so NEG/ABS of 0x8000000000000000 is itself), where -s
 *    overflowed.
 * Instruction words from GNU as -march=armv8.1-a.
 */
#include "simd_harness.h"

static a83_machine *M;

static int setup(void **state) { (void)state; M = h_new(); return 0; }
static int teardown(void **state) { (void)state; a83_machine_destroy(M); return 0; }

static V128 op(uint32_t insn, V128 d, V128 n, V128 m)
{
    h_vset(M, 0, d);
    h_vset(M, 1, n);
    h_vset(M, 2, m);
    assert_int_equal(a83_reg_write(M, 0, A83_REG_FPSR, 0), A83_OK);
    h_exec(M, insn);
    return h_vget(M, 0);
}

static bool qc(void) { return (h_fpsr(M) & FPSR_QC) != 0; }

static const V128 Z = { 0, 0 };
#define I64_MIN 0x8000000000000000ull

static void test_sqrdmlah_negative_acc(void **state)
{
    (void)state;
    /* sqrdmlah v0.4s, v1.4s, v2.4s:
     *  lane 0: -5 + (2*2^30*2^30 + 2^31) >> 32 = -5 + 2^29 = 0x1ffffffb
     *  lane 1: INT32_MIN + (2*-1*1 + 2^31) >> 32 = INT32_MIN (no saturation)
     *  lane 2: -1 + (2*(-2^31)^2 + 2^31) >> 32 = 2^31 - 1 (exactly INT32_MAX)
     *  lane 3: -2 + 0 = -2 */
    V128 acc = { 0x80000000fffffffbull, 0xfffffffeffffffffull };
    V128 n = { 0xffffffff40000000ull, 0x0000000080000000ull };
    V128 m = { 0x0000000140000000ull, 0x0000000080000000ull };
    assert_v128(op(0x6e828420, acc, n, m), 0x800000001ffffffbull, 0xfffffffe7fffffffull);
    assert_false(qc());
}

static void test_sqrdmlsh_negative_acc(void **state)
{
    (void)state;
    /* sqrdmlsh v0.8h, v1.8h, v2.8h:
     *  lane 0: (-3*2^16 - 2*2^14*2^14 + 2^15) >> 16 = -8195 = 0xdffd
     *  lane 1: (-2^15*2^16 - 2 + 2^15) >> 16 = -32768 (no saturation) */
    V128 acc = { 0x000000008000fffdull, 0 };
    V128 n = { 0x0000000000014000ull, 0 };
    assert_v128(op(0x6e428c20, acc, n, n), 0x000000008000dffdull, 0);
    assert_false(qc());
    /* saturation: acc = n = m = INT16_MIN: (-2^31 - 2^31 + 2^15) >> 16 =
     * -65536, saturated to INT16_MIN with QC set */
    V128 mn = { 0x8000, 0 };
    assert_v128(op(0x6e428c20, mn, mn, mn), 0x8000, 0);
    assert_true(qc());
}

static void test_neg_abs_int64_min(void **state)
{
    (void)state;
    V128 v = { I64_MIN, (uint64_t)-7 };
    /* neg d0, d1 / abs d0, d1: INT64_MIN wraps to itself; bits 127:64 cleared */
    assert_v128(op(0x7ee0b820, (V128){ 1, 1 }, v, Z), I64_MIN, 0);
    assert_v128(op(0x5ee0b820, (V128){ 1, 1 }, v, Z), I64_MIN, 0);
    /* abs d0, d1 of -3 is 3; neg of 3 is -3 (the ordinary cases) */
    assert_v128(op(0x5ee0b820, Z, (V128){ (uint64_t)-3, 0 }, Z), 3, 0);
    assert_v128(op(0x7ee0b820, Z, (V128){ 3, 0 }, Z), (uint64_t)-3, 0);
    /* neg v0.2d / abs v0.2d: lane 0 INT64_MIN, lane 1 -7 */
    assert_v128(op(0x6ee0b820, Z, v, Z), I64_MIN, 7);
    assert_v128(op(0x4ee0b820, Z, v, Z), I64_MIN, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqrdmlah_negative_acc),
        cmocka_unit_test(test_sqrdmlsh_negative_acc),
        cmocka_unit_test(test_neg_abs_int64_min),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
