/*
 * Data processing (immediate) instructions executed through the public
 * API (Arm ARM C4.1.2): ADR/ADRP, ADD/ADDS/SUB/SUBS (immediate) with the SP
 * rules, logical (immediate) for every (N, immr, imms), MOVN/MOVZ/MOVK,
 * SBFM/BFM/UBFM for every (immr, imms) against the pseudocode, EXTR, and
 * the UNDEFINED encodings of each class.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "../diff/a64_enc_dp.h"
#include "dp_machine.h"
#include "dp_ref.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* C6.2.10 ADR: Xd = PC + imm21; C6.2.11 ADRP: Xd = PC<63:12>:Zeros(12) + imm21 << 12. */
static void test_adr_adrp(void **state)
{
    (void)state;
    exec1(0x70ffffc3);      /* adr x3, .-5 (GNU as) */
    assert_int_equal(getx(3), CODE_PA - 5);
    exec1(enc_adr(0, 0xfffff, 7));
    assert_int_equal(getx(7), CODE_PA + 0xfffff);
    exec1(enc_adr(1, 0x12345, 4));
    assert_int_equal(getx(4), CODE_PA + 0x12345000ull);
    exec1(enc_adr(1, -0x40080, 4));   /* (0x40080000 & ~0xfff) - 0x40080000 = 0 */
    assert_int_equal(getx(4), 0);
    exec1(enc_adr(1, -0x100000, 4));
    assert_int_equal(getx(4), CODE_PA - 0x100000000ull);
    setx(31, 0x5000);
    exec1(enc_adr(0, 4, 31));         /* Rd = 31 is XZR: SP unchanged */
    assert_int_equal(getx(31), 0x5000);
}

/* C6.2.4 ADD (immediate) etc.: Rd/Rn = 31 are SP for ADD/SUB, Rd = 31 is XZR
 * for ADDS/SUBS (CMN/CMP), Rn = 31 is SP for all four. */
static void test_addsub_imm(void **state)
{
    (void)state;
    setx(1, 41);
    exec1(0x91000420);                 /* add x0, x1, #1 (GNU as) */
    assert_int_equal(getx(0), 42);
    setx(3, 0x1000);
    exec1(enc_addsub_imm(1, 0, 0, 1, 0xabc, 3, 2));   /* add x2, x3, #0xabc, lsl #12 */
    assert_int_equal(getx(2), 0xabc000 + 0x1000);
    setx(1, 0x12345678ffffffffull);
    exec1(enc_addsub_imm(0, 0, 0, 0, 1, 1, 0));       /* add w0, w1, #1: wraps, upper zero */
    assert_int_equal(getx(0), 0);
    setx(A83_REG_SP, 0x40001000);
    exec1(enc_addsub_imm(1, 0, 0, 0, 16, 31, 31));    /* add sp, sp, #16 */
    assert_int_equal(getx(A83_REG_SP), 0x40001010);
    exec1(enc_addsub_imm(1, 0, 0, 0, 0, 31, 5));      /* mov x5, sp */
    assert_int_equal(getx(5), 0x40001010);
    exec1(enc_addsub_imm(1, 1, 0, 0, 0x10, 31, 31));  /* sub sp, sp, #16 */
    assert_int_equal(getx(A83_REG_SP), 0x40001000);
    setx(A83_REG_SP, 0xffffffff00000010ull);
    exec1(enc_addsub_imm(0, 1, 0, 0, 0x20, 31, 31));  /* sub wsp, wsp, #32: zero-extends */
    assert_int_equal(getx(A83_REG_SP), 0xfffffff0ull);
    /* cmp sp, #0xfff0 (SUBS XZR, SP, #imm): flags, SP unchanged */
    set_nzcv(0);
    exec1(enc_addsub_imm(1, 1, 1, 0, 0xfff0 >> 4, 31, 31));
    /* imm12 = 0xfff: 0xfffffff0 - 0xfff */
    assert_int_equal(getx(A83_REG_SP), 0xfffffff0ull);
    assert_int_equal(get_nzcv(), 0x2);            /* C (no borrow) */
    /* subs w0, w1, #2 with w1 = 1 -> 0xffffffff, N, borrow */
    setx(1, 0xaaaaaaaa00000001ull);
    exec1(enc_addsub_imm(0, 1, 1, 0, 2, 1, 0));
    assert_int_equal(getx(0), 0xffffffffull);
    assert_int_equal(get_nzcv(), 0x8);
    /* adds x0, x1, #1 with x1 = INT64_MAX -> N, V */
    setx(1, 0x7fffffffffffffffull);
    exec1(enc_addsub_imm(1, 0, 1, 0, 1, 1, 0));
    assert_int_equal(getx(0), 0x8000000000000000ull);
    assert_int_equal(get_nzcv(), 0x9);
    /* cmn w1, #1 with w1 = -1 -> Z, C */
    setx(1, 0xffffffffull);
    exec1(enc_addsub_imm(0, 0, 1, 0, 1, 1, 31));
    assert_int_equal(get_nzcv(), 0x6);
    /* Random operands against AddWithCarry's definition. */
    for (int i = 0; i < 200; i++) {
        uint64_t a = rnd();
        unsigned imm = (unsigned)rnd() & 0xfff, sh = i & 1, sf = (i >> 1) & 1, op = (i >> 2) & 1;
        uint64_t b = (uint64_t)imm << (sh * 12), want;
        setx(2, a);
        exec1(enc_addsub_imm(sf, op, 1, sh, imm, 2, 3));
        uint32_t f;
        if (sf) {
            f = ref_awc64(a, op ? ~b : b, op, &want);
        } else {
            uint32_t w32;
            f = ref_awc32((uint32_t)a, op ? ~(uint32_t)b : (uint32_t)b, op, &w32);
            want = w32;
        }
        assert_int_equal(getx(3), want);
        assert_int_equal(get_nzcv(), f >> 28);
    }
    /* Add/subtract (immediate, with tags) (bit 23 = 1) is FEAT_MTE: UNDEFINED */
    expect_undef(enc_addsub_imm(1, 0, 0, 0, 1, 1, 0) | (1u << 23));
}

/* C6.2.12 AND/ORR/EOR/ANDS (immediate): every (N, immr, imms) for both widths;
 * the immediate is the pseudocode's DecodeBitMasks(...).wmask; reserved
 * combinations and sf = 0 with N = 1 are UNDEFINED; Rd = 31 is SP except for
 * ANDS. */
static void test_logic_imm_all(void **state)
{
    (void)state;
    unsigned checked = 0, undef = 0;
    for (unsigned sf = 0; sf < 2; sf++)
        for (unsigned N = 0; N < 2; N++)
            for (unsigned immr = 0; immr < 64; immr++)
                for (unsigned imms = 0; imms < 64; imms++) {
                    unsigned opc = (immr + imms) & 3;
                    uint32_t insn = enc_logic_imm(sf, opc, N, immr, imms, 1, 2);
                    uint64_t w, t;
                    unsigned M = sf ? 64 : 32;
                    bool ok = !(!sf && N) && ref_decode_bit_masks(M, N, imms, immr, true, &w, &t);
                    if (!ok) {
                        /* only a sample of the reserved ones: each run costs an exception */
                        if (((immr ^ imms) & 7) == 0) {
                            expect_undef(insn);
                            undef++;
                        }
                        continue;
                    }
                    uint64_t a = rnd();
                    setx(1, a);
                    set_nzcv(0xf);
                    expect_ok(insn);
                    uint64_t want;
                    switch (opc) {
                    case 0: want = a & w; break;
                    case 1: want = a | w; break;
                    case 2: want = a ^ w; break;
                    default: want = a & w; break;
                    }
                    want &= ref_mask(M);
                    if (getx(2) != want)
                        fail_msg("%08x: got %llx want %llx", insn, (unsigned long long)getx(2),
                                 (unsigned long long)want);
                    if (opc == 3)
                        assert_int_equal(get_nzcv(), ((want >> (M - 1)) & 1) << 3 | (want == 0) << 2);
                    else
                        assert_int_equal(get_nzcv(), 0xf);
                    checked++;
                }
    /* Valid encodings: N = 1 has 63 imms values (not 111111), N = 0 has
     * 31 + 15 + 7 + 3 + 1 = 57 (element sizes 32..2); each with 64 immr.
     * sf = 1 takes both N, sf = 0 only N = 0. */
    assert_int_equal(checked, 64 * (63 + 57) + 64 * 57);
    assert_true(undef > 100);
    /* orr sp, x2, #0x3f00000000000000 writes SP; ands xzr (tst) does not. */
    setx(2, 0x10);
    exec1(0xb248145f);
    assert_int_equal(getx(A83_REG_SP), 0x3f00000000000010ull);
    exec1(enc_logic_imm(1, 3, 1, 8, 5, 2, 31));
    assert_int_equal(getx(A83_REG_SP), 0x3f00000000000010ull);
    assert_int_equal(get_nzcv(), 0x4);   /* 0x10 & 0x3f00.. = 0: Z */
    exec1(enc_logic_imm(0, 0, 0, 7, 4, 2, 31));   /* and wsp, w2, #0x3e000000 */
    assert_int_equal(getx(A83_REG_SP), 0);
}

/* C6.2.191-192, C6.2.190: MOVN/MOVZ/MOVK, hw<1> = 1 UNDEFINED for 32-bit,
 * opc = 01 unallocated. */
static void test_move_wide(void **state)
{
    (void)state;
    exec1(0xd2f7dde9);      /* mov x9, #0xbeef000000000000 (GNU as) */
    assert_int_equal(getx(9), 0xbeef000000000000ull);
    exec1(0x12a2468a);      /* mov w10, #0xedcbffff (MOVN, hw = 1) */
    assert_int_equal(getx(10), 0xedcbffffull);
    setx(11, 0x1111222233334444ull);
    exec1(0xf2dfffeb);      /* movk x11, #0xffff, lsl #32 */
    assert_int_equal(getx(11), 0x1111ffff33334444ull);
    for (unsigned hw = 0; hw < 4; hw++) {
        exec1(enc_movw(1, 0, hw, 0x1234, 3));
        assert_int_equal(getx(3), ~(0x1234ull << (16 * hw)));
        exec1(enc_movw(1, 2, hw, 0x1234, 3));
        assert_int_equal(getx(3), 0x1234ull << (16 * hw));
        setx(4, 0xfedcba9876543210ull);
        exec1(enc_movw(1, 3, hw, 0xaaaa, 4));
        assert_int_equal(getx(4), (0xfedcba9876543210ull & ~(0xffffull << (16 * hw))) | (0xaaaaull << (16 * hw)));
        if (hw < 2) {
            exec1(enc_movw(0, 0, hw, 0x1234, 3));
            assert_int_equal(getx(3), (uint32_t)~(0x1234u << (16 * hw)));
            setx(4, 0xfedcba9876543210ull);
            exec1(enc_movw(0, 3, hw, 0xaaaa, 4));   /* MOVK W: upper 32 bits cleared */
            assert_int_equal(getx(4), (0x76543210u & ~(0xffffu << (16 * hw))) | (0xaaaau << (16 * hw)));
        } else {
            expect_undef(enc_movw(0, 0, hw, 1, 3));
            expect_undef(enc_movw(0, 2, hw, 1, 3));
            expect_undef(enc_movw(0, 3, hw, 1, 3));
        }
        expect_undef(enc_movw(1, 1, hw, 1, 3));
    }
    setx(A83_REG_SP, 0x1230);
    exec1(enc_movw(1, 2, 0, 7, 31));                 /* movz xzr: SP untouched */
    assert_int_equal(getx(A83_REG_SP), 0x1230);
}

/* C6.2.248 SBFM, C6.2.30 BFM, C6.2.330 UBFM for every (immr, imms) of both
 * widths, against the pseudocode with DecodeBitMasks (dp_ref.h); sf != N,
 * sf = 0 with immr<5> or imms<5> set, and opc = 11 are UNDEFINED. */
static void test_bitfield_all(void **state)
{
    (void)state;
    for (unsigned sf = 0; sf < 2; sf++)
        for (unsigned opc = 0; opc < 3; opc++)
            for (unsigned immr = 0; immr < 64; immr++)
                for (unsigned imms = 0; imms < 64; imms++) {
                    uint32_t insn = enc_bitfield(sf, opc, sf, immr, imms, 1, 2);
                    if (!sf && ((immr | imms) & 32)) {
                        if ((immr & 7) == 0 && (imms & 7) == 1)
                            expect_undef(insn);
                        continue;
                    }
                    uint64_t src = rnd(), dst = rnd();
                    if (imms & 1)
                        src |= 1ull << imms;    /* exercise both sign values */
                    setx(1, src);
                    setx(2, dst);
                    expect_ok(insn);
                    unsigned M = sf ? 64 : 32;
                    uint64_t want = ref_bitfield(M, opc, immr, imms, src, dst);
                    if (getx(2) != want)
                        fail_msg("%08x src %llx dst %llx: got %llx want %llx", insn, (unsigned long long)src,
                                 (unsigned long long)dst, (unsigned long long)getx(2),
                                 (unsigned long long)want);
                }
    expect_undef(enc_bitfield(1, 0, 0, 1, 2, 1, 2));    /* sf = 1, N = 0 */
    expect_undef(enc_bitfield(0, 2, 1, 1, 2, 1, 2));    /* sf = 0, N = 1 */
    expect_undef(enc_bitfield(1, 3, 1, 1, 2, 1, 2));    /* opc = 11 */
    /* Known aliases (GNU as words): asr x2, x1, #4; bfi w6, w5, #4, #4; lsl x8, x7, #4 */
    setx(1, 0x8000000000000000ull);
    exec1(0x9344fc22);
    assert_int_equal(getx(2), 0xf800000000000000ull);
    setx(5, 0xabcd);
    setx(6, 0xffffffffffffffffull);
    exec1(0x331c0ca6);
    assert_int_equal(getx(6), 0xffffffdfull);
    setx(7, 0x1234);
    exec1(0xd37cece8);
    assert_int_equal(getx(8), 0x12340);
}

/* C6.2.100 EXTR: Xd = (Xn:Xm)<lsb+datasize-1:lsb>; N != sf or (sf = 0 and
 * imms<5> = 1) is UNDEFINED. */
static void test_extr(void **state)
{
    (void)state;
    setx(4, 0x0123456789abcdefull);
    setx(3, 0xfedcba9876543210ull);
    exec1(0x93c34485);      /* extr x5, x4, x3, #17 (GNU as) */
    assert_int_equal(getx(5), (0xfedcba9876543210ull >> 17) | (0x0123456789abcdefull << 47));
    exec1(enc_extr(1, 1, 3, 0, 4, 5));
    assert_int_equal(getx(5), 0xfedcba9876543210ull);
    exec1(enc_extr(0, 0, 3, 8, 4, 5));   /* extr w5, w4, w3, #8 */
    assert_int_equal(getx(5), 0xef765432ull);
    exec1(enc_extr(0, 0, 4, 31, 4, 5));  /* ror w5, w4, #31 */
    assert_int_equal(getx(5), 0x13579bdfull);
    expect_undef(enc_extr(0, 0, 3, 32, 4, 5));
    expect_undef(enc_extr(1, 0, 3, 1, 4, 5));
    expect_undef(enc_extr(0, 1, 3, 1, 4, 5));
    expect_undef(enc_extr(1, 1, 3, 1, 4, 5) | (1u << 21));   /* o0 = 1 */
    expect_undef(enc_extr(1, 1, 3, 1, 4, 5) | (1u << 29));   /* op21 = 01 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adr_adrp),
        cmocka_unit_test(test_addsub_imm),
        cmocka_unit_test(test_logic_imm_all),
        cmocka_unit_test(test_move_wide),
        cmocka_unit_test(test_bitfield_all),
        cmocka_unit_test(test_extr),
    };
    return cmocka_run_group_tests(tests, machine_setup, machine_teardown);
}
