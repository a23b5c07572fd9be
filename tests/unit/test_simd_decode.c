/*
 * The simd decode fragment is exact (docs/simd.md "Decoding"): it claims
 * none of the FP encodings that share its classes (Arm ARM C4.1: every F*
 * instruction, SCVTF/UCVTF, URECPE/URSQRTE, FP16, FCMLA/FCADD) nor the
 * ordinary SIMD&FP loads/stores, and it does claim the integer encodings.
 * Words assembled with GNU as -march=armv8.3-a+crypto+fp16.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpu/decode.h"

static const uint32_t fp_words[] = {
    0x4e22d420, /* fadd v0.4s, v1.4s, v2.4s */
    0x4e62cc20, /* fmla v0.2d, v1.2d, v2.2d */
    0x6e22c420, /* fmaxnmp v0.4s, v1.4s, v2.4s */
    0x4f03f600, /* fmov v0.4s, #1.000000000000000000e+00 */
    0x6f03f600, /* fmov v0.2d, #1.000000000000000000e+00 */
    0x4f3de420, /* scvtf v0.4s, v1.4s, #3 */
    0x6f7bfc20, /* fcvtzu v0.2d, v1.2d, #5 */
    0x4e21d820, /* scvtf v0.4s, v1.4s */
    0x4ea1c820, /* urecpe v0.4s, v1.4s */
    0x2ea1c820, /* ursqrte v0.2s, v1.2s */
    0x4ea0d820, /* fcmeq v0.4s, v1.4s, #0.0 */
    0x4ee0f820, /* fabs v0.2d, v1.2d */
    0x6ea0f820, /* fneg v0.4s, v1.4s */
    0x6e30f820, /* fmaxv s0, v1.4s */
    0x6eb0c820, /* fminnmv s0, v1.4s */
    0x4fa21020, /* fmla v0.4s, v1.4s, v2.s[1] */
    0x4fc29820, /* fmul v0.2d, v1.2d, v2.d[1] */
    0x6fa29820, /* fmulx v0.4s, v1.4s, v2.s[3] */
    0x0e216820, /* fcvtn v0.4h, v1.4s */
    0x0e617820, /* fcvtl v0.2d, v1.2s */
    0x4e218820, /* frintn v0.4s, v1.4s */
    0x5f3dfc20, /* fcvtzs s0, s1, #3 */
    0x5e61d820, /* scvtf d0, d1 */
    0x7e70d820, /* faddp d0, v1.2d */
    0x6e82cc20, /* fcmla v0.4s, v1.4s, v2.4s, #90 */
    0x6e82e420, /* fcadd v0.4s, v1.4s, v2.4s, #90 */
    0x6f821820, /* fcmla v0.4s, v1.4s, v2.s[1], #0 */
    0x4e22fc20, /* frecps v0.4s, v1.4s, v2.4s */
    0x2e616820, /* fcvtxn v0.2s, v1.2d */
    0x7fa29020, /* fmulx s0, s1, v2.s[1] */
    0x7ea2d420, /* fabd s0, s1, s2 */
    0x4e421420, /* fadd v0.8h, v1.8h, v2.8h */
    0x4f321820, /* fmla v0.8h, v1.8h, v2.h[7] */
    0x4f03fe00, /* fmov v0.8h, #1.000000000000000000e+00 */
    0x4ef8f820, /* fabs v0.8h, v1.8h */
    0x3dc00000, /* ldr q0, [x0] */
    0xad0007e0, /* stp q0, q1, [sp] */
    0xfc408c00, /* ldr d0, [x0, #8]! */
};

static const uint32_t int_words[] = {
    0x4ea28420, /* add v0.4s, v1.4s, v2.4s */
    0x6f00e400, /* movi v0.2d, #0x0 */
    0x6f72d820, /* sqrdmlah v0.8h, v1.8h, v2.h[7] */
    0x4cdf7000, /* ld1 {v0.16b}, [x0], #16 */
    0x0de2e800, /* ld4r {v0.2s-v3.2s}, [x0], x2 */
    0x4e284820, /* aese v0.16b, v1.16b */
    0x5e026020, /* sha256su1 v0.4s, v1.4s, v2.4s */
    0x7f7d0420, /* ushr d0, d1, #3 */
    0x7e214820, /* uqxtn b0, h1 */
    0x4e140420, /* dup v0.4s, v1.s[2] */
    0x4e057020, /* tbx v0.16b, {v1.16b-v4.16b}, v5.16b */
    0x2e023820, /* ext v0.8b, v1.8b, v2.8b, #7 */
    0x4fa22820, /* smlal2 v0.2d, v1.4s, v2.s[3] */
    0x5f723820, /* sqdmlal s0, h1, v2.h[7] */
    0x7ee09820, /* cmle d0, d1, #0 */
    0x6eb03820, /* uaddlv d0, v1.4s */
    0x5e1f0420, /* mov b0, v1.b[15] */
    0x6e605820, /* rbit v0.16b, v1.16b */
};

static const DecodePattern *simd_match(uint32_t w)
{
    for (const DecodePattern *p = a64_simd_patterns; p->name; p++) {
        uint32_t mask, value;
        assert_true(decode_parse_pattern(p->pattern, &mask, &value));
        if ((w & mask) == value)
            return p;
    }
    return NULL;
}

static void test_fp_not_claimed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fp_words / sizeof fp_words[0]; i++) {
        const DecodePattern *p = simd_match(fp_words[i]);
        if (p)
            fail_msg("FP/ldst word %08x matched simd pattern %s", fp_words[i], p->name);
    }
}

static void test_int_claimed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof int_words / sizeof int_words[0]; i++)
        if (!simd_match(int_words[i]))
            fail_msg("integer SIMD word %08x not matched", int_words[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp_not_claimed),
        cmocka_unit_test(test_int_claimed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
