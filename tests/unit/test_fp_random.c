/*
 * Cross-checks the soft-float core (src/cpu/fpcore.c) against the host's
 * IEEE 754 arithmetic for random operands where Arm and IEEE semantics
 * coincide: finite normal operands and results, no NaNs, FZ=0, DN=0, in
 * each of the four IEEE rounding modes (Arm ARM FPRoundBase equals IEEE
 * roundTiesToEven/Positive/Negative/Zero for normal results). The host FPU
 * is used here, in the test only, as an independent oracle; the emulator
 * never uses host floating point.
 */
#include <fenv.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/fpcore.h"

static uint64_t rng_state = 0x1234567887654321ull;
static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A random normal double with exponent in [-60, 60] (so results stay normal). */
static double rnd_double(void)
{
    uint64_t b = rnd64();
    uint64_t e = 1023 - 60 + (rnd64() % 121);
    b = (b & 0x800fffffffffffffull) | (e << 52);
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static float rnd_float(void)
{
    uint32_t b = (uint32_t)rnd64();
    uint32_t e = 127 - 30 + (uint32_t)(rnd64() % 61);
    b = (b & 0x807fffffu) | (e << 23);
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static uint64_t dbits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t fbits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

/* Called through volatile pointers so that the compiler cannot move these
 * "const" libm calls across fesetround(). */
static double (*volatile h_rint)(double) = rint;
static double (*volatile h_fma)(double, double, double) = fma;
static double (*volatile h_sqrt)(double) = sqrt;
static float (*volatile h_fmaf)(float, float, float) = fmaf;
static float (*volatile h_sqrtf)(float) = sqrtf;

static const int host_modes[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };

/* Host flags -> FPSR flags, for the cumulative flags the operation raised. */
static uint32_t host_flags(void)
{
    uint32_t f = 0;
    if (fetestexcept(FE_INVALID)) f |= FPSR_IOC;
    if (fetestexcept(FE_DIVBYZERO)) f |= FPSR_DZC;
    if (fetestexcept(FE_OVERFLOW)) f |= FPSR_OFC;
    if (fetestexcept(FE_INEXACT)) f |= FPSR_IXC;
    return f;
}

/* Arm ARM FPAdd/FPSub/FPMul/FPDiv/FPMulAdd/FPSqrt (double) against IEEE. */
static void test_double_ops(void **state)
{
    for (int mode = 0; mode < 4; mode++) {
        uint32_t fpcr = (uint32_t)mode << FPCR_RMODE_SHIFT;   /* RMode encodings 0..3 */
        for (int i = 0; i < 20000; i++) {
            volatile double a = rnd_double(), b = rnd_double(), c = rnd_double();
            for (int op = 0; op < 6; op++) {
                uint32_t fpsr = 0;
                uint64_t got;
                volatile double want;
                fesetround(host_modes[mode]);
                feclearexcept(FE_ALL_EXCEPT);
                switch (op) {
                case 0: want = a + b; break;
                case 1: want = a - b; break;
                case 2: want = a * b; break;
                case 3: want = a / b; break;
                case 4: want = h_fma(a, b, c); break;
                default: want = h_sqrt(fabs(a)); break;
                }
                uint32_t hf = host_flags();
                fesetround(FE_TONEAREST);
                switch (op) {
                case 0: got = fp_add(64, dbits(a), dbits(b), fpcr, &fpsr); break;
                case 1: got = fp_sub(64, dbits(a), dbits(b), fpcr, &fpsr); break;
                case 2: got = fp_mul(64, dbits(a), dbits(b), fpcr, &fpsr); break;
                case 3: got = fp_div(64, dbits(a), dbits(b), fpcr, &fpsr); break;
                case 4: got = fp_muladd(64, dbits(c), dbits(a), dbits(b), fpcr, &fpsr); break;
                default: got = fp_sqrt(64, dbits(a) & ~(1ull << 63), fpcr, &fpsr); break;
                }
                if (got != dbits(want) || fpsr != hf)
                    print_error("mode %d op %d a=%016llx b=%016llx c=%016llx got %016llx/%x want %016llx/%x\n",
                                mode, op, (unsigned long long)dbits(a), (unsigned long long)dbits(b),
                                (unsigned long long)dbits(c), (unsigned long long)got, fpsr,
                                (unsigned long long)dbits(want), hf);
                assert_int_equal(got, dbits(want));
                assert_int_equal(fpsr, hf);
            }
        }
    }
}

/* The same for single precision, plus double->single FPConvert and
 * single->double. */
static void test_single_ops(void **state)
{
    for (int mode = 0; mode < 4; mode++) {
        uint32_t fpcr = (uint32_t)mode << FPCR_RMODE_SHIFT;
        for (int i = 0; i < 20000; i++) {
            volatile float a = rnd_float(), b = rnd_float(), c = rnd_float();
            volatile double d = rnd_double() * 1e-10;
            for (int op = 0; op < 7; op++) {
                uint32_t fpsr = 0;
                uint64_t got;
                volatile float want;
                fesetround(host_modes[mode]);
                feclearexcept(FE_ALL_EXCEPT);
                switch (op) {
                case 0: want = a + b; break;
                case 1: want = a - b; break;
                case 2: want = a * b; break;
                case 3: want = a / b; break;
                case 4: want = h_fmaf(a, b, c); break;
                case 5: want = h_sqrtf(fabsf(a)); break;
                default: want = (float)d; break;
                }
                uint32_t hf = host_flags();
                fesetround(FE_TONEAREST);
                switch (op) {
                case 0: got = fp_add(32, fbits(a), fbits(b), fpcr, &fpsr); break;
                case 1: got = fp_sub(32, fbits(a), fbits(b), fpcr, &fpsr); break;
                case 2: got = fp_mul(32, fbits(a), fbits(b), fpcr, &fpsr); break;
                case 3: got = fp_div(32, fbits(a), fbits(b), fpcr, &fpsr); break;
                case 4: got = fp_muladd(32, fbits(c), fbits(a), fbits(b), fpcr, &fpsr); break;
                case 5: got = fp_sqrt(32, fbits(a) & 0x7fffffffu, fpcr, &fpsr); break;
                default: got = fp_convert(32, 64, dbits(d), (FPRounding)mode, fpcr, &fpsr); break;
                }
                if (got != fbits(want) || fpsr != hf)
                    print_error("mode %d op %d a=%08x b=%08x c=%08x got %08llx/%x want %08x/%x\n", mode,
                                op, fbits(a), fbits(b), fbits(c), (unsigned long long)got, fpsr,
                                fbits(want), hf);
                assert_int_equal(got, fbits(want));
                assert_int_equal(fpsr, hf);
            }
        }
    }
}

/* FPRoundInt and FPToFixed/FixedToFP against rint/llrint and int->double. */
static void test_int_conversions(void **state)
{
    for (int mode = 0; mode < 4; mode++) {
        uint32_t fpcr = (uint32_t)mode << FPCR_RMODE_SHIFT;
        for (int i = 0; i < 20000; i++) {
            uint64_t b = rnd64();
            uint64_t e = 1023 - 8 + (rnd64() % 70);
            b = (b & 0x800fffffffffffffull) | (e << 52);
            volatile double a;
            memcpy((void *)&a, &b, 8);
            fesetround(host_modes[mode]);
            feclearexcept(FE_ALL_EXCEPT);
            volatile double want = h_rint(a);
            uint32_t hf = host_flags();
            fesetround(FE_TONEAREST);
            uint32_t fpsr = 0;
            uint64_t ri = fp_round_int(64, b, (FPRounding)mode, true, fpcr, &fpsr);
            if (ri != dbits(want)) print_error("mode %d op %016llx\n", mode, (unsigned long long)b);
            assert_int_equal(ri, dbits(want));
            assert_int_equal(fpsr, hf);
            /* FixedToFP from a random int64 */
            int64_t iv = (int64_t)rnd64() >> (rnd64() % 64);
            fesetround(host_modes[mode]);
            feclearexcept(FE_ALL_EXCEPT);
            volatile double wd = (double)iv;
            hf = host_flags();
            fesetround(FE_TONEAREST);
            fpsr = 0;
            assert_int_equal(fp_fixed_to_fp(64, (uint64_t)iv, 64, 0, false, (FPRounding)mode, fpcr, &fpsr),
                             dbits(wd));
            assert_int_equal(fpsr, hf);
            /* FPToFixed (round toward zero) for in-range values */
            if (fabs(a) < 9.0e18) {
                fpsr = 0;
                int64_t wi = (int64_t)a;
                assert_int_equal(fp_to_fixed(64, b, 0, false, FPRounding_ZERO, 64, 0, &fpsr), (uint64_t)wi);
                assert_int_equal(fpsr, (double)wi != a ? FPSR_IXC : 0);
            }
        }
    }
}

/* Subnormal results (FZ=0): bits, IXC and OFC must equal IEEE. Underflow
 * differs by design where the host detects tininess after rounding (x86):
 * Arm detects it before rounding (FPRoundBase), so UFC is expected exactly
 * when the result is inexact and its magnitude is below the smallest normal,
 * and is not compared for results that rounded to the smallest normal. */
static void test_subnormal_results(void **state)
{
    for (int mode = 0; mode < 4; mode++) {
        uint32_t fpcr = (uint32_t)mode << FPCR_RMODE_SHIFT;
        for (int i = 0; i < 50000; i++) {
            uint64_t ba = (rnd64() & 0x800fffffffffffffull) | ((uint64_t)(1023 - 500 - rnd64() % 40) << 52);
            uint64_t bb = (rnd64() & 0x800fffffffffffffull) | ((uint64_t)(1023 - 500 - rnd64() % 40) << 52);
            volatile double a, b;
            memcpy((void *)&a, &ba, 8);
            memcpy((void *)&b, &bb, 8);
            /* operands derived in round-to-nearest, before the mode is set */
            volatile double rb = 1.0 / b, c = -a * b * 0.5;
            for (int op = 0; op < 3; op++) {
                fesetround(host_modes[mode]);
                feclearexcept(FE_ALL_EXCEPT);
                volatile double want = op == 0 ? a * b : op == 1 ? a / rb : h_fma(a, b, c);
                uint32_t hf = host_flags();
                fesetround(FE_TONEAREST);
                uint32_t fpsr = 0;
                uint64_t got;
                if (op == 0)
                    got = fp_mul(64, ba, bb, fpcr, &fpsr);
                else if (op == 1)
                    got = fp_div(64, ba, dbits(rb), fpcr, &fpsr);
                else
                    got = fp_muladd(64, dbits(c), ba, bb, fpcr, &fpsr);
                assert_int_equal(got, dbits(want));
                uint64_t mag = got & ~(1ull << 63);
                if (mag != 0x0010000000000000ull) {
                    uint32_t ufc = ((hf & FPSR_IXC) && mag < 0x0010000000000000ull) ? FPSR_UFC : 0;
                    assert_int_equal(fpsr, hf | ufc);
                } else {
                    assert_int_equal(fpsr & ~FPSR_UFC, hf);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_ops),
        cmocka_unit_test(test_single_ops),
        cmocka_unit_test(test_int_conversions),
        cmocka_unit_test(test_subnormal_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
