/*
 * DecodeBitMasks (Arm ARM J1 aarch64/instrs/integer/bitmasks/DecodeBitMasks)
 * as implemented in src/cpu/dp_util.h, against a bit-by-bit model of the
 * pseudocode (dp_ref.h), for every (immN, immr, imms) and both values of
 * `immediate`, plus the reserved encodings and known immediates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpu/dp_util.h"
#include "dp_ref.h"

/* Every combination, M = 64: same UNDEFINED decision, same wmask/tmask. */
static void test_all_encodings_m64(void **state)
{
    (void)state;
    unsigned valid_imm = 0;
    for (unsigned N = 0; N < 2; N++)
        for (unsigned immr = 0; immr < 64; immr++)
            for (unsigned imms = 0; imms < 64; imms++)
                for (int immediate = 0; immediate < 2; immediate++) {
                    uint64_t w1 = 0, t1 = 0, w2 = 0, t2 = 0;
                    bool ok1 = DecodeBitMasks(N, imms, immr, immediate, &w1, &t1);
                    bool ok2 = ref_decode_bit_masks(64, N, imms, immr, immediate, &w2, &t2);
                    if (ok1 != ok2 || (ok1 && (w1 != w2 || t1 != t2)))
                        fail_msg("N=%u immr=%u imms=%u imm=%d: got %d %016llx %016llx want %d %016llx %016llx",
                                 N, immr, imms, immediate, ok1, (unsigned long long)w1,
                                 (unsigned long long)t1, ok2, (unsigned long long)w2,
                                 (unsigned long long)t2);
                    /* count each element once: immr below the element size */
                    unsigned v = (N << 6) | (~imms & 63);
                    unsigned esize = v ? 1u << (31 - __builtin_clz(v)) : 0;
                    if (immediate && ok1 && immr < esize)
                        valid_imm++;
                }
    /* 5334 = the number of distinct 64-bit logical immediates: for each
     * element size e = 2..64, e rotations times e-1 run lengths. */
    assert_int_equal(valid_imm, 2 * 1 + 4 * 3 + 8 * 7 + 16 * 15 + 32 * 31 + 64 * 63);
    assert_int_equal(valid_imm, 5334);
}

/* For 32-bit users (N = 0) the low 32 bits of the M = 64 result equal the
 * M = 32 pseudocode result. */
static void test_all_encodings_m32(void **state)
{
    (void)state;
    for (unsigned immr = 0; immr < 64; immr++)
        for (unsigned imms = 0; imms < 64; imms++)
            for (int immediate = 0; immediate < 2; immediate++) {
                uint64_t w1 = 0, t1 = 0, w2 = 0, t2 = 0;
                bool ok1 = DecodeBitMasks(0, imms, immr, immediate, &w1, &t1);
                bool ok2 = ref_decode_bit_masks(32, 0, imms, immr, immediate, &w2, &t2);
                assert_int_equal(ok1, ok2);
                if (ok1) {
                    assert_int_equal((uint32_t)w1, w2);
                    assert_int_equal((uint32_t)t1, t2);
                }
            }
}

/* Reserved: len < 1 (N = 0, imms = 11111x) and, for immediates, S == levels
 * (all-ones element), e.g. N = 1 imms = 111111, N = 0 imms = 0 11111. */
static void test_reserved(void **state)
{
    (void)state;
    uint64_t w, t;
    assert_false(DecodeBitMasks(0, 0x3f, 0, true, &w, &t));
    assert_false(DecodeBitMasks(0, 0x3e, 0, true, &w, &t));
    assert_false(DecodeBitMasks(0, 0x3f, 0, false, &w, &t));
    assert_false(DecodeBitMasks(0, 0x3e, 5, false, &w, &t));
    assert_false(DecodeBitMasks(1, 0x3f, 0, true, &w, &t));
    assert_true(DecodeBitMasks(1, 0x3f, 0, false, &w, &t));    /* bitfield: allowed */
    assert_false(DecodeBitMasks(0, 0x1f, 0, true, &w, &t));    /* esize 32, S = 31 */
    assert_false(DecodeBitMasks(0, 0x3d, 0, true, &w, &t));    /* esize 2, S = 1 */
    assert_false(DecodeBitMasks(0, 0x3b, 3, true, &w, &t));    /* esize 4, S = 3 */
}

/* Known immediates (as GNU as encodes them): orr x0, x0, #0x3f00000000000000
 * is N=1 immr=8 imms=5; and w0, w0, #0x3e000000 is N=0 immr=7 imms=4;
 * #0x5555555555555555 is N=0 immr=0 imms=111100; #0xfffffffffffffffe is
 * N=1 immr=63 imms=62. */
static void test_known(void **state)
{
    (void)state;
    uint64_t w, t;
    assert_true(DecodeBitMasks(1, 5, 8, true, &w, &t));
    assert_int_equal(w, 0x3f00000000000000ull);
    assert_true(DecodeBitMasks(0, 4, 7, true, &w, &t));
    assert_int_equal((uint32_t)w, 0x3e000000u);
    assert_true(DecodeBitMasks(0, 0x3c, 0, true, &w, &t));
    assert_int_equal(w, 0x5555555555555555ull);
    assert_true(DecodeBitMasks(1, 62, 63, true, &w, &t));
    assert_int_equal(w, 0xfffffffffffffffeull);
    /* UBFM x8, x7, #60, #59 (LSL #4): wmask = ROR(Ones(60), 60), tmask = Ones(64) */
    assert_true(DecodeBitMasks(1, 59, 60, false, &w, &t));
    assert_int_equal(w, 0xfffffffffffffff0ull);
    assert_int_equal(t, ~0ull);
    /* SBFM x2, x1, #4, #63 (ASR #4): wmask = ROR(Ones(64), 4), tmask = Ones(60) */
    assert_true(DecodeBitMasks(1, 63, 4, false, &w, &t));
    assert_int_equal(w, ~0ull);
    assert_int_equal(t, 0x0fffffffffffffffull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_encodings_m64),
        cmocka_unit_test(test_all_encodings_m32),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
