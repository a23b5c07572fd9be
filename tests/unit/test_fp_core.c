/*
 * Exact results and FPSR flags of the soft-float core (src/cpu/fpcore.c)
 * for the cases where Arm semantics matter, each derived from IEEE 754 and
 * the Arm ARM pseudocode named in the test (shared/functions/float/...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/fpcore.h"

/* FPCR values */
#define RN 0u
#define RP (1u << FPCR_RMODE_SHIFT)
#define RM (2u << FPCR_RMODE_SHIFT)
#define RZ (3u << FPCR_RMODE_SHIFT)
#define FZ FPCR_FZ
#define DN FPCR_DN
#define AHP FPCR_AHP

/* single precision constants */
#define S_ONE 0x3f800000u
#define S_MONE 0xbf800000u
#define S_TWO 0x40000000u
#define S_HALF 0x3f000000u
#define S_INF 0x7f800000u
#define S_NINF 0xff800000u
#define S_MAX 0x7f7fffffu
#define S_MIN_NORMAL 0x00800000u
#define S_DNAN 0x7fc00000u
#define S_QNAN1 0x7fc00001u
#define S_SNAN2 0x7f800002u
#define S_SNAN3 0xff800003u
/* double */
#define D_ONE 0x3ff0000000000000ull
#define D_DNAN 0x7ff8000000000000ull

#define CHECK(expr, want, want_flags)                                                             \
    do {                                                                                          \
        uint32_t fpsr = 0;                                                                        \
        uint32_t *F = &fpsr;                                                                      \
        (void)F;                                                                                  \
        uint64_t got_ = (expr);                                                                   \
        assert_int_equal(got_, (want));                                                           \
        assert_int_equal(fpsr, (want_flags));                                                     \
    } while (0)

/* FPAdd: exact zero sums are +0 except in round-toward-minus-infinity;
 * two zeros of the same sign keep it. */
static void test_signed_zeros(void **s)
{
    CHECK(fp_add(32, 0x00000000, 0x80000000, RN, F), 0x00000000, 0);
    CHECK(fp_add(32, 0x00000000, 0x80000000, RM, F), 0x80000000, 0);
    CHECK(fp_add(32, 0x80000000, 0x80000000, RN, F), 0x80000000, 0);
    CHECK(fp_sub(32, S_ONE, S_ONE, RN, F), 0x00000000, 0);
    CHECK(fp_sub(32, S_ONE, S_ONE, RM, F), 0x80000000, 0);
    CHECK(fp_mul(32, 0x80000000, S_ONE, RN, F), 0x80000000, 0);
    CHECK(fp_div(32, 0x00000000, S_MONE, RN, F), 0x80000000, 0);
    /* FPSqrt(-0) = -0 without exception */
    CHECK(fp_sqrt(32, 0x80000000, RN, F), 0x80000000, 0);
}

/* FPMulAdd: exact zero results (zeroA && zeroP with equal signs keep the
 * sign; otherwise the rounding-mode rule). */
static void test_fma_zero_signs(void **s)
{
    /* -0 + (+0 * 5) : signs differ -> +0 (RN), -0 (RM) */
    CHECK(fp_muladd(32, 0x80000000, 0x00000000, 0x40a00000, RN, F), 0x00000000, 0);
    CHECK(fp_muladd(32, 0x80000000, 0x00000000, 0x40a00000, RM, F), 0x80000000, 0);
    /* -0 + (-0 * 5) = -0 in every mode */
    CHECK(fp_muladd(32, 0x80000000, 0x80000000, 0x40a00000, RN, F), 0x80000000, 0);
    /* 1 + (-1 * 1) = exact 0 -> +0 / -0 */
    CHECK(fp_muladd(32, S_ONE, S_MONE, S_ONE, RN, F), 0x00000000, 0);
    CHECK(fp_muladd(32, S_ONE, S_MONE, S_ONE, RM, F), 0x80000000, 0);
    CHECK(fp_muladd(64, D_ONE, D_ONE | (1ull << 63), D_ONE, RP, F), 0, 0);
    /* fused: -1 + (1+2^-23)(1-2^-23) = -2^-46 exactly; an unfused multiply
     * would round the product to 1.0 first and give +0. */
    CHECK(fp_muladd(32, S_MONE, 0x3f800001, 0x3f7ffffe, RN, F), 0xa8800000, 0);
}

/* FPAdd/FPMul/FPDiv on infinities: invalid combinations give the default
 * NaN with IOC; x/0 gives infinity with DZC. */
static void test_infinities(void **s)
{
    CHECK(fp_add(32, S_INF, S_NINF, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_add(32, S_INF, S_INF, RN, F), S_INF, 0);
    CHECK(fp_mul(32, S_INF, 0x80000000, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_mul(32, S_NINF, S_TWO, RN, F), S_NINF, 0);
    CHECK(fp_div(32, S_MONE, 0x00000000, RN, F), S_NINF, FPSR_DZC);
    CHECK(fp_div(32, S_INF, 0x00000000, RN, F), S_INF, 0);
    CHECK(fp_div(32, 0x00000000, 0x00000000, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_div(32, S_INF, S_INF, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_sqrt(32, S_MONE, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_sqrt(64, 0xfff0000000000000ull, RN, F), D_DNAN, FPSR_IOC);
    /* FPMulX: Inf * 0 = 2.0 with the XOR of the signs */
    CHECK(fp_mulx(32, S_INF, 0x80000000, RN, F), 0xc0000000, 0);
    CHECK(fp_mulx(64, 0, 0x7ff0000000000000ull, RN, F), 0x4000000000000000ull, 0);
}

/* FPProcessNaNs/FPProcessNaNs3: the first SNaN wins over any QNaN, then the
 * first QNaN; SNaNs are quieted with IOC; DN gives the default NaN. */
static void test_nan_propagation(void **s)
{
    CHECK(fp_add(32, S_QNAN1, S_SNAN2, RN, F), 0x7fc00002, FPSR_IOC);
    CHECK(fp_add(32, S_SNAN3, S_SNAN2, RN, F), 0xffc00003, FPSR_IOC);
    CHECK(fp_mul(32, S_ONE, S_QNAN1, RN, F), S_QNAN1, 0);
    CHECK(fp_add(32, S_QNAN1, S_ONE, DN, F), S_DNAN, 0);
    CHECK(fp_add(32, S_SNAN2, S_ONE, DN, F), S_DNAN, FPSR_IOC);
    /* FPMulAdd order: addend, op1, op2 */
    CHECK(fp_muladd(32, S_QNAN1, 0x7fc00005, S_SNAN2, RN, F), 0x7fc00002, FPSR_IOC);
    CHECK(fp_muladd(32, S_QNAN1, 0x7fc00005, S_ONE, RN, F), S_QNAN1, 0);
    CHECK(fp_muladd(32, S_ONE, 0x7fc00005, S_QNAN1, RN, F), 0x7fc00005, 0);
    /* a quiet NaN addend with Inf*0 is an invalid operation: default NaN */
    CHECK(fp_muladd(32, S_QNAN1, S_INF, 0, RN, F), S_DNAN, FPSR_IOC);
    /* FPRecipStepFused negates op1 before NaN processing */
    CHECK(fp_recip_step_fused(32, S_QNAN1, S_ONE, RN, F), 0xffc00001, 0);
    /* FPSqrt of an SNaN */
    CHECK(fp_sqrt(64, 0x7ff0000000000001ull, RN, F), 0x7ff8000000000001ull, FPSR_IOC);
}

/* FPUnpack with FZ: denormal inputs are zeros with IDC. FPRoundBase: tiny
 * results (before rounding) are flushed with UFC only under FZ, or become
 * denormals with UFC+IXC when inexact, no UFC when exact. */
static void test_denormals(void **s)
{
    /* denormal inputs */
    CHECK(fp_add(32, 0x00000001, 0x00000001, RN, F), 0x00000002, 0);
    CHECK(fp_add(32, 0x00000001, 0x00000001, FZ, F), 0x00000000, FPSR_IDC);
    CHECK(fp_mul(32, 0x80000001, S_ONE, FZ, F), 0x80000000, FPSR_IDC);
    CHECK(fp_add(64, 1, D_ONE, FZ, F), D_ONE, FPSR_IDC);
    /* exact denormal output: no flags */
    CHECK(fp_mul(32, S_MIN_NORMAL, S_HALF, RN, F), 0x00400000, 0);
    /* inexact denormal output: UFC + IXC */
    CHECK(fp_mul(32, 0x00000003, S_HALF, RN, F), 0x00000002, FPSR_UFC | FPSR_IXC);
    /* flushed output: UFC without IXC */
    CHECK(fp_mul(32, S_MIN_NORMAL, S_HALF, FZ, F), 0x00000000, FPSR_UFC);
    CHECK(fp_mul(32, 0x80800000, S_HALF, FZ, F), 0x80000000, FPSR_UFC);
    /* tininess is detected before rounding: 2^-126 * (1 - 2^-24) rounds up
     * to the minimum normal and still signals Underflow (IEEE "before
     * rounding"; x86 hosts detect it after rounding). */
    CHECK(fp_mul(32, S_MIN_NORMAL, 0x3f7fffff, RN, F), S_MIN_NORMAL, FPSR_UFC | FPSR_IXC);
    CHECK(fp_mul(32, S_MIN_NORMAL, 0x3f7fffff, FZ, F), 0x00000000, FPSR_UFC);
    /* FZ does not flush half precision (FZ16 is separate and not implemented) */
    CHECK(fp_convert(32, 16, 0x0001, FPRounding_TIEEVEN, FZ, F), 0x33800000, 0);
}

/* FPRoundBase rounding modes and overflow: infinity or the largest normal
 * by mode and sign, OFC+IXC either way. */
static void test_rounding_and_overflow(void **s)
{
    /* 1 + 2^-24 is a tie in single: RN to even (1.0), RP up */
    CHECK(fp_add(32, S_ONE, 0x33800000, RN, F), S_ONE, FPSR_IXC);
    CHECK(fp_add(32, S_ONE, 0x33800000, RP, F), 0x3f800001, FPSR_IXC);
    CHECK(fp_add(32, S_MONE, 0xb3800000, RM, F), 0xbf800001, FPSR_IXC);
    CHECK(fp_add(32, S_MONE, 0xb3800000, RZ, F), S_MONE, FPSR_IXC);
    /* overflow */
    CHECK(fp_mul(32, S_MAX, S_TWO, RN, F), S_INF, FPSR_OFC | FPSR_IXC);
    CHECK(fp_mul(32, S_MAX, S_TWO, RZ, F), S_MAX, FPSR_OFC | FPSR_IXC);
    CHECK(fp_mul(32, S_MAX, 0xc0000000, RP, F), 0xff7fffff, FPSR_OFC | FPSR_IXC);
    CHECK(fp_mul(32, S_MAX, 0xc0000000, RM, F), S_NINF, FPSR_OFC | FPSR_IXC);
    CHECK(fp_mul(32, S_MAX, S_TWO, RM, F), S_MAX, FPSR_OFC | FPSR_IXC);
    CHECK(fp_add(64, 0x7fefffffffffffffull, 0x7fefffffffffffffull, RN, F),
          0x7ff0000000000000ull, FPSR_OFC | FPSR_IXC);
    /* FPDiv 1/3 in each mode (double) */
    CHECK(fp_div(64, D_ONE, 0x4008000000000000ull, RN, F), 0x3fd5555555555555ull, FPSR_IXC);
    CHECK(fp_div(64, D_ONE, 0x4008000000000000ull, RP, F), 0x3fd5555555555556ull, FPSR_IXC);
    CHECK(fp_sqrt(64, 0x4000000000000000ull, RN, F), 0x3ff6a09e667f3bcdull, FPSR_IXC);
    CHECK(fp_sqrt(32, 0x41100000, RN, F), 0x40400000, 0);   /* sqrt(9) = 3 exactly */
}

/* FPMax/FPMin/FPMaxNum/FPMinNum */
static void test_maxmin(void **s)
{
    CHECK(fp_max(32, 0x00000000, 0x80000000, RN, F), 0x00000000, 0);
    CHECK(fp_min(32, 0x00000000, 0x80000000, RN, F), 0x80000000, 0);
    CHECK(fp_max(32, S_QNAN1, S_ONE, RN, F), S_QNAN1, 0);
    CHECK(fp_maxnum(32, S_QNAN1, S_ONE, RN, F), S_ONE, 0);
    CHECK(fp_minnum(32, S_MONE, S_QNAN1, RN, F), S_MONE, 0);
    CHECK(fp_maxnum(32, S_SNAN2, S_ONE, RN, F), 0x7fc00002, FPSR_IOC);
    CHECK(fp_maxnum(32, S_QNAN1, 0x7fc00002, RN, F), S_QNAN1, 0);
    CHECK(fp_max(32, S_NINF, S_MONE, RN, F), S_MONE, 0);
    /* FZ: a denormal compares as zero and max(+denormal, -0) is +0 */
    CHECK(fp_max(32, 0x00000001, 0x80000000, FZ, F), 0x00000000, FPSR_IDC);
}

/* FPCompare / FPCompareEQ / GE / GT */
static void test_compare(void **s)
{
    CHECK(fp_compare(32, S_ONE, S_TWO, false, RN, F), 0x8, 0);
    CHECK(fp_compare(32, S_TWO, S_ONE, false, RN, F), 0x2, 0);
    CHECK(fp_compare(32, 0x80000000, 0, false, RN, F), 0x6, 0);
    CHECK(fp_compare(32, S_QNAN1, S_ONE, false, RN, F), 0x3, 0);
    CHECK(fp_compare(32, S_QNAN1, S_ONE, true, RN, F), 0x3, FPSR_IOC);
    CHECK(fp_compare(32, S_SNAN2, S_ONE, false, RN, F), 0x3, FPSR_IOC);
    CHECK(fp_compare_eq(32, S_QNAN1, S_QNAN1, RN, F), 0, 0);
    CHECK(fp_compare_ge(32, S_QNAN1, S_ONE, RN, F), 0, FPSR_IOC);
    CHECK(fp_compare_gt(32, S_TWO, S_ONE, RN, F), 1, 0);
    CHECK(fp_compare_ge(64, 1, 0, FZ, F), 1, FPSR_IDC);
    CHECK(fp_compare_gt(64, 1, 0, FZ, F), 0, FPSR_IDC);
}

/* FPRoundInt: each rounding mode, signed zero results, FRINTX inexact */
static void test_round_int(void **s)
{
    const uint32_t x25 = 0x40200000, m25 = 0xc0200000;   /* 2.5, -2.5 */
    CHECK(fp_round_int(32, x25, FPRounding_TIEEVEN, false, RN, F), 0x40000000, 0);
    CHECK(fp_round_int(32, x25, FPRounding_TIEAWAY, false, RN, F), 0x40400000, 0);
    CHECK(fp_round_int(32, m25, FPRounding_TIEAWAY, false, RN, F), 0xc0400000, 0);
    CHECK(fp_round_int(32, m25, FPRounding_POSINF, false, RN, F), 0xc0000000, 0);
    CHECK(fp_round_int(32, m25, FPRounding_NEGINF, false, RN, F), 0xc0400000, 0);
    CHECK(fp_round_int(32, m25, FPRounding_ZERO, true, RN, F), 0xc0000000, FPSR_IXC);
    CHECK(fp_round_int(32, 0xbecccccd, FPRounding_TIEEVEN, false, RN, F), 0x80000000, 0); /* -0.4 */
    CHECK(fp_round_int(32, 0x3ecccccd, FPRounding_POSINF, true, RN, F), S_ONE, FPSR_IXC);
    CHECK(fp_round_int(64, 0x4330000000000001ull, FPRounding_ZERO, true, RN, F),
          0x4330000000000001ull, 0);   /* 2^52 + 1 is integral */
    CHECK(fp_round_int(32, S_SNAN2, FPRounding_ZERO, false, RN, F), 0x7fc00002, FPSR_IOC);
}

/* FPToFixed: saturation with IOC, NaN -> 0 with IOC, rounding modes, fbits */
static void test_to_fixed(void **s)
{
    CHECK(fp_to_fixed(32, 0x501502f9, 0, false, FPRounding_ZERO, 32, RN, F), 0x7fffffff, FPSR_IOC);
    CHECK(fp_to_fixed(32, 0xd01502f9, 0, false, FPRounding_ZERO, 32, RN, F), 0x80000000, FPSR_IOC);
    CHECK(fp_to_fixed(32, 0xcf000000, 0, false, FPRounding_ZERO, 32, RN, F), 0x80000000, 0);
    CHECK(fp_to_fixed(32, 0xbfc00000, 0, true, FPRounding_ZERO, 32, RN, F), 0, FPSR_IOC);
    CHECK(fp_to_fixed(32, 0xbf000000, 0, true, FPRounding_ZERO, 32, RN, F), 0, FPSR_IXC);
    CHECK(fp_to_fixed(32, S_QNAN1, 0, false, FPRounding_ZERO, 64, RN, F), 0, FPSR_IOC);
    CHECK(fp_to_fixed(32, S_NINF, 0, false, FPRounding_ZERO, 64, RN, F), 0x8000000000000000ull,
          FPSR_IOC);
    CHECK(fp_to_fixed(32, S_INF, 0, true, FPRounding_ZERO, 64, RN, F), ~0ull, FPSR_IOC);
    CHECK(fp_to_fixed(32, 0x40200000, 0, false, FPRounding_TIEEVEN, 32, RN, F), 2, FPSR_IXC);
    CHECK(fp_to_fixed(32, 0xc0200000, 0, false, FPRounding_TIEAWAY, 32, RN, F), 0xfffffffd,
          FPSR_IXC);
    CHECK(fp_to_fixed(32, 0xc0200000, 0, false, FPRounding_NEGINF, 64, RN, F), (uint64_t)-3,
          FPSR_IXC);
    CHECK(fp_to_fixed(64, 0x3ff8000000000000ull, 4, false, FPRounding_ZERO, 32, RN, F), 24, 0);
    CHECK(fp_to_fixed(64, 0x43e0000000000000ull, 0, true, FPRounding_ZERO, 64, RN, F),
          0x8000000000000000ull, 0);                  /* 2^63 fits unsigned */
    CHECK(fp_to_fixed(64, 0x43e0000000000000ull, 0, false, FPRounding_ZERO, 64, RN, F),
          0x7fffffffffffffffull, FPSR_IOC);
    /* FixedToFP */
    CHECK(fp_fixed_to_fp(32, 0xffffffff, 32, 0, false, FPRounding_TIEEVEN, RN, F), S_MONE, 0);
    CHECK(fp_fixed_to_fp(32, 0xffffffff, 32, 0, true, FPRounding_TIEEVEN, RN, F), 0x4f800000,
          FPSR_IXC);
    CHECK(fp_fixed_to_fp(32, 0xffffffff, 32, 0, true, FPRounding_ZERO, RN, F), 0x4f7fffff,
          FPSR_IXC);
    CHECK(fp_fixed_to_fp(64, 0x8000000000000000ull, 64, 0, false, FPRounding_TIEEVEN, RN, F),
          0xc3e0000000000000ull, 0);
    CHECK(fp_fixed_to_fp(32, 24, 64, 4, false, FPRounding_TIEEVEN, RN, F), 0x3fc00000, 0);
    CHECK(fp_fixed_to_fp(32, 0, 64, 4, false, FPRounding_TIEEVEN, RM, F), 0, 0);
}

/* FPConvert: NaN conversion, AHP, rounding */
static void test_convert(void **s)
{
    /* FPConvertNaN: quieted, fraction kept from the top */
    CHECK(fp_convert(64, 32, 0x7f800001, FPRounding_TIEEVEN, RN, F), 0x7ff8000020000000ull,
          FPSR_IOC);
    CHECK(fp_convert(32, 64, 0xfff8000020000001ull, FPRounding_TIEEVEN, RN, F), 0xffc00001, 0);
    CHECK(fp_convert(16, 32, S_QNAN1, FPRounding_TIEEVEN, RN, F), 0x7e00, 0);
    CHECK(fp_convert(16, 32, S_QNAN1, FPRounding_TIEEVEN, DN, F), 0x7e00, 0);
    /* IEEE half: 65536 overflows; alternative half precision represents it */
    CHECK(fp_convert(16, 32, 0x47800000, FPRounding_TIEEVEN, RN, F), 0x7c00,
          FPSR_OFC | FPSR_IXC);
    CHECK(fp_convert(16, 32, 0x47800000, FPRounding_TIEEVEN, AHP, F), 0x7c00, 0);
    CHECK(fp_convert(16, 32, 0x48000000, FPRounding_TIEEVEN, AHP, F), 0x7fff, FPSR_IOC);
    CHECK(fp_convert(16, 32, S_INF, FPRounding_TIEEVEN, AHP, F), 0x7fff, FPSR_IOC);
    CHECK(fp_convert(16, 32, S_QNAN1, FPRounding_TIEEVEN, AHP, F), 0x0000, FPSR_IOC);
    CHECK(fp_convert(32, 16, 0x7c00, FPRounding_TIEEVEN, RN, F), S_INF, 0);
    CHECK(fp_convert(32, 16, 0x7c00, FPRounding_TIEEVEN, AHP, F), 0x47800000, 0);
    /* double -> single rounding, and round-to-odd (FCVTXN) */
    CHECK(fp_convert(32, 64, 0x3ff0000010000000ull, FPRounding_TIEEVEN, RN, F), S_ONE, FPSR_IXC);
    CHECK(fp_convert(32, 64, 0x3ff0000010000000ull, FPRounding_ODD, RN, F), 0x3f800001, FPSR_IXC);
    CHECK(fp_convert(32, 64, 0x47f0000000000000ull, FPRounding_ODD, RN, F), S_MAX,
          FPSR_OFC | FPSR_IXC);
    /* single denormal input with FZ: flushed (IDC) */
    CHECK(fp_convert(64, 32, 0x00000001, FPRounding_TIEEVEN, FZ, F), 0, FPSR_IDC);
}

/* FPToFixedJS (FJCVTZS): modulo 2^32, round toward zero, Z flag */
static void test_fjcvtzs(void **s)
{
    bool z;
    uint32_t fpsr = 0;
    assert_int_equal(fp_to_fixed_js(D_ONE, RN, &fpsr, &z), 1);
    assert_true(z);
    assert_int_equal(fpsr, 0);
    assert_int_equal(fp_to_fixed_js(0xbff8000000000000ull, RN, &fpsr, &z), 0xffffffffu); /* -1.5 */
    assert_false(z);
    assert_int_equal(fpsr, FPSR_IXC);
    fpsr = 0;
    assert_int_equal(fp_to_fixed_js(0x41f0000005000000ull, RN, &fpsr, &z), 0x50);  /* 2^32 + 80 */
    assert_false(z);
    assert_int_equal(fpsr, FPSR_IOC);
    fpsr = 0;
    assert_int_equal(fp_to_fixed_js(0xc1e0000000000000ull, RN, &fpsr, &z), 0x80000000u); /* -2^31 */
    assert_true(z);
    assert_int_equal(fpsr, 0);
    assert_int_equal(fp_to_fixed_js(0x8000000000000000ull, RN, &fpsr, &z), 0);   /* -0.0 */
    assert_false(z);
    assert_int_equal(fp_to_fixed_js(1, FZ, &fpsr, &z), 0);                       /* flushed */
    assert_false(z);
    assert_int_equal(fpsr, FPSR_IDC);
    fpsr = 0;
    assert_int_equal(fp_to_fixed_js(0x7ff0000000000000ull, RN, &fpsr, &z), 0);
    assert_false(z);
    assert_int_equal(fpsr, FPSR_IOC);
}

/* FPRecipEstimate, FPRSqrtEstimate, FPRecpX, step functions, URECPE */
static void test_estimates(void **s)
{
    CHECK(fp_recip_estimate(32, S_ONE, RN, F), 0x3f7f8000, 0);
    CHECK(fp_recip_estimate(64, 0xc000000000000000ull, RN, F), 0xbfdff00000000000ull, 0);
    CHECK(fp_recip_estimate(32, 0, RN, F), S_INF, FPSR_DZC);
    CHECK(fp_recip_estimate(32, S_NINF, RN, F), 0x80000000, 0);
    CHECK(fp_recip_estimate(32, 0x00000001, RN, F), S_INF, FPSR_OFC | FPSR_IXC);
    CHECK(fp_recip_estimate(32, 0x00000001, RZ, F), S_MAX, FPSR_OFC | FPSR_IXC);
    CHECK(fp_recip_estimate(32, 0x7f000000, FZ, F), 0, FPSR_UFC);   /* 2^127 with FZ */
    CHECK(fp_rsqrt_estimate(32, S_ONE, RN, F), 0x3f7f8000, 0);
    CHECK(fp_rsqrt_estimate(32, 0x40800000, RN, F), 0x3eff8000, 0); /* ~1/sqrt(4) */
    CHECK(fp_rsqrt_estimate(32, S_MONE, RN, F), S_DNAN, FPSR_IOC);
    CHECK(fp_rsqrt_estimate(32, 0x80000000, RN, F), S_NINF, FPSR_DZC);
    CHECK(fp_recpx(32, S_TWO, RN, F), S_ONE, 0);
    CHECK(fp_recpx(32, 0x80000001, RN, F), 0xff000000, 0);
    CHECK(fp_recip_step_fused(32, S_INF, 0, RN, F), S_TWO, 0);
    CHECK(fp_recip_step_fused(32, S_TWO, S_HALF, RN, F), S_ONE, 0);    /* 2 - 2*0.5 */
    CHECK(fp_rsqrt_step_fused(32, S_INF, 0x80000000, RN, F), 0x3fc00000, 0);
    CHECK(fp_rsqrt_step_fused(32, S_ONE, S_ONE, RN, F), S_ONE, 0);     /* (3 - 1)/2 */
    assert_int_equal(fp_unsigned_recip_estimate(0x80000000u), 0xff800000u);
    assert_int_equal(fp_unsigned_recip_estimate(0x7fffffffu), 0xffffffffu);
    assert_int_equal(fp_unsigned_rsqrt_estimate(0x3fffffffu), 0xffffffffu);
    assert_int_equal(fp_unsigned_rsqrt_estimate(0x40000000u), 0xff800000u);
}

/* VFPExpandImm */
static void test_expand_imm(void **s)
{
    assert_int_equal(fp_expand_imm(32, 0x70), S_ONE);          /* #1.0 */
    assert_int_equal(fp_expand_imm(64, 0x00), 0x4000000000000000ull);   /* #2.0 */
    assert_int_equal(fp_expand_imm(32, 0xf7), 0xbfb80000u);   /* #-1.4375 */
    assert_int_equal(fp_expand_imm(16, 0x70), 0x3c00);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_zeros),   cmocka_unit_test(test_fma_zero_signs),
        cmocka_unit_test(test_infinities),     cmocka_unit_test(test_nan_propagation),
        cmocka_unit_test(test_denormals),      cmocka_unit_test(test_rounding_and_overflow),
        cmocka_unit_test(test_maxmin),         cmocka_unit_test(test_compare),
        cmocka_unit_test(test_round_int),      cmocka_unit_test(test_to_fixed),
        cmocka_unit_test(test_convert),        cmocka_unit_test(test_fjcvtzs),
        cmocka_unit_test(test_estimates),      cmocka_unit_test(test_expand_imm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
