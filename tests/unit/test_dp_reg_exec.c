/*
 * Data processing (register) instructions executed through the public API
 * (Arm ARM C4.1.6): logical and add/subtract (shifted register), add/subtract
 * (extended register) with the SP rules, ADC/SBC, CCMN/CCMP, CSEL..CSNEG,
 * 1-source (RBIT, REV*, CLZ, CLS), 2-source (UDIV, SDIV, shifts, CRC32*),
 * 3-source (MADD..UMULH), and the UNDEFINED encodings of each class.
 * Expected values come from the pseudocode (dp_ref.h) or are worked out by
 * hand in the comments.
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

static uint64_t rng_state = 0x13198a2e03707344ull;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    /* a "special" value now and then */
    static const uint64_t sp[] = { 0, 1, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
                                   0x80000000ull, 0x7fffffffull, 0xffffffffull };
    return (z & 7) == 0 ? sp[(z >> 3) & 7] : z;
}

/* ShiftReg(reg, type, amount) per the pseudocode, for datasize M. */
static uint64_t ref_shift(uint64_t v, unsigned type, unsigned amt, unsigned M)
{
    v &= ref_mask(M);
    switch (type) {
    case 0: return (v << amt) & ref_mask(M);
    case 1: return v >> amt;
    case 2: {
        bool neg = (v >> (M - 1)) & 1;
        uint64_t r = v >> amt;
        if (neg && amt)
            r |= ref_mask(M) & ~(ref_mask(M) >> amt);
        return r;
    }
    default: return ref_ror(v, amt, M);
    }
}

static uint32_t flags_nz(uint64_t r, unsigned M)
{
    return (uint32_t)(((r >> (M - 1)) & 1) << 3 | (r == 0) << 2);
}

/* C6.2.13 etc.: logical (shifted register), all 8 operations x 4 shift types
 * x random amounts, both widths; ANDS/BICS set N, Z and clear C, V. */
static void test_logic_sr(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        unsigned sf = i & 1, opc = (i >> 1) & 3, N = (i >> 3) & 1, type = (i >> 4) & 3;
        unsigned M = sf ? 64 : 32, amt = (unsigned)rnd() % M;
        uint64_t a = rnd(), b = rnd();
        setx(1, a);
        setx(2, b);
        set_nzcv(0xf);
        expect_ok(enc_logic_sr(sf, opc, type, N, 2, amt, 1, 3));
        uint64_t op2 = ref_shift(b, type, amt, M);
        if (N)
            op2 = ~op2 & ref_mask(M);
        uint64_t a_ = a & ref_mask(M), want;
        switch (opc) {
        case 0: case 3: want = a_ & op2; break;
        case 1: want = a_ | op2; break;
        default: want = a_ ^ op2; break;
        }
        assert_int_equal(getx(3), want);
        assert_int_equal(get_nzcv(), opc == 3 ? flags_nz(want, M) : 0xf);
    }
    expect_undef(enc_logic_sr(0, 0, 0, 0, 2, 32, 1, 3));   /* sf = 0, imm6<5> = 1 */
    /* MOV aliases: orr x0, xzr, x1 / orr w0, wzr, w1 */
    setx(1, 0x123456789abcdef0ull);
    exec1(0xaa0103e0);
    assert_int_equal(getx(0), 0x123456789abcdef0ull);
    exec1(0x2a0103e0);
    assert_int_equal(getx(0), 0x9abcdef0ull);
    /* mov xzr, x1 does not write SP */
    setx(A83_REG_SP, 0x8000);
    exec1(0xaa0103ff);
    assert_int_equal(getx(A83_REG_SP), 0x8000);
    /* bics x6, x5, x4, ror #9 (GNU as 0xeae424a6) */
    setx(5, ~0ull);
    setx(4, 0x1ff);
    exec1(0xeae424a6);
    assert_int_equal(getx(6), 0x007fffffffffffffull);
    assert_int_equal(get_nzcv(), 0);
}

/* C6.2.5 ADD (shifted register) etc.: shift ROR reserved, imm6<5> with sf = 0
 * UNDEFINED; register 31 is XZR for Rd and Rn. */
static void test_addsub_sr(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        unsigned sf = i & 1, op = (i >> 1) & 1, S = (i >> 2) & 1, type = ((i >> 3) & 3) % 3;
        unsigned M = sf ? 64 : 32, amt = (unsigned)rnd() % M;
        uint64_t a = rnd(), b = rnd();
        setx(1, a);
        setx(2, b);
        set_nzcv(0x5);
        expect_ok(enc_addsub_sr(sf, op, S, type, 2, amt, 1, 3));
        uint64_t op2 = ref_shift(b, type, amt, M), want;
        uint32_t f;
        if (sf) {
            f = ref_awc64(a, op ? ~op2 : op2, op, &want);
        } else {
            uint32_t w;
            f = ref_awc32((uint32_t)a, op ? ~(uint32_t)op2 : (uint32_t)op2, op, &w);
            want = w;
        }
        assert_int_equal(getx(3), want);
        assert_int_equal(get_nzcv(), S ? f >> 28 : 0x5);
    }
    expect_undef(enc_addsub_sr(1, 0, 0, 3, 2, 1, 1, 3));
    expect_undef(enc_addsub_sr(0, 1, 1, 0, 2, 33, 1, 3));
    /* Rn = 31 is XZR: add x3, xzr, x2 */
    setx(A83_REG_SP, 0x100);
    setx(2, 7);
    exec1(enc_addsub_sr(1, 0, 0, 0, 2, 0, 31, 3));
    assert_int_equal(getx(3), 7);
    /* cmp x4, x3, asr #40 (GNU as 0xeb83a09f): 0 - (-1) -> borrow, 1 */
    setx(4, 0);
    setx(3, 0x8000000000000000ull);
    exec1(0xeb83a09f);
    assert_int_equal(get_nzcv(), 0x0);   /* 0 - (-0x800000) = 0x800000: positive, C clear */
    assert_int_equal(getx(A83_REG_SP), 0x100);
}

/* C6.2.3 ADD (extended register) etc.: every option and shift 0..4; Rn = 31 is
 * SP, Rd = 31 is SP for ADD/SUB and XZR for ADDS/SUBS; imm3 > 4 UNDEFINED. */
static void test_addsub_er(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        unsigned sf = i & 1, op = (i >> 1) & 1, S = (i >> 2) & 1, option = (i >> 3) & 7;
        unsigned sh = (unsigned)rnd() % 5, M = sf ? 64 : 32;
        uint64_t a = rnd(), b = rnd();
        setx(1, a);
        setx(2, b);
        set_nzcv(0xa);
        expect_ok(enc_addsub_er(sf, op, S, 2, option, sh, 1, 3));
        /* ExtendReg: the low 8 << option<1:0> bits, signed if option<2> */
        unsigned len = 8u << (option & 3);
        uint64_t e = len == 64 ? b : (b & ((1ull << len) - 1));
        if ((option & 4) && len < 64 && ((b >> (len - 1)) & 1))
            e |= ~((1ull << len) - 1);
        uint64_t op2 = (e << sh) & ref_mask(M), want;
        uint32_t f;
        if (sf) {
            f = ref_awc64(a, op ? ~op2 : op2, op, &want);
        } else {
            uint32_t w;
            f = ref_awc32((uint32_t)a, op ? ~(uint32_t)op2 : (uint32_t)op2, op, &w);
            want = w;
        }
        assert_int_equal(getx(3), want);
        assert_int_equal(get_nzcv(), S ? f >> 28 : 0xa);
    }
    for (unsigned sh = 5; sh < 8; sh++)
        expect_undef(enc_addsub_er(1, 0, 0, 2, 0, sh, 1, 3));
    expect_undef(enc_addsub_er(1, 0, 0, 2, 0, 0, 1, 3) | (1u << 22));   /* opt = 01 */
    /* add sp, sp, w5, sxth #3 (GNU as 0x8b25afff) */
    setx(A83_REG_SP, 0x40000000);
    setx(5, 0xffff8000ull);               /* SXTH -> -0x8000, << 3 = -0x40000 */
    exec1(0x8b25afff);
    assert_int_equal(getx(A83_REG_SP), 0x40000000 - 0x40000);
    /* cmp sp, x5, uxtx: SUBS XZR, SP, X5 -- SP unchanged, flags from SP - X5 */
    setx(5, 0x40000000 - 0x40000);
    set_nzcv(0);
    exec1(enc_addsub_er(1, 1, 1, 5, 3, 0, 31, 31));
    assert_int_equal(getx(A83_REG_SP), 0x40000000 - 0x40000);
    assert_int_equal(get_nzcv(), 0x6);    /* Z, C */
    /* sub wsp, w1, w2, uxtb: 32-bit write to SP zero-extends */
    setx(1, 0xffffffff00000100ull);
    setx(2, 0x1ff);
    exec1(enc_addsub_er(0, 1, 0, 2, 0, 0, 1, 31));
    assert_int_equal(getx(A83_REG_SP), 0x1);
}

/* C6.2.1 ADC, ADCS, C6.2.243 SBC, SBCS: AddWithCarry(Rn, Rm or NOT(Rm), C). */
static void test_adc_sbc(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        unsigned sf = i & 1, op = (i >> 1) & 1, S = (i >> 2) & 1, cin = (i >> 3) & 1;
        uint64_t a = rnd(), b = rnd(), want;
        setx(1, a);
        setx(2, b);
        set_nzcv(cin << 1 | 0x8);
        expect_ok(enc_adc(sf, op, S, 2, 1, 3));
        uint32_t f;
        if (sf) {
            f = ref_awc64(a, op ? ~b : b, cin, &want);
        } else {
            uint32_t w;
            f = ref_awc32((uint32_t)a, op ? ~(uint32_t)b : (uint32_t)b, cin, &w);
            want = w;
        }
        assert_int_equal(getx(3), want);
        assert_int_equal(get_nzcv(), S ? f >> 28 : (cin << 1 | 0x8));
    }
    /* sbcs x4, x3, x2 (GNU as 0xfa020064) with C = 0: 5 - 3 - 1 = 1, C */
    setx(3, 5);
    setx(2, 3);
    set_nzcv(0);
    exec1(0xfa020064);
    assert_int_equal(getx(4), 1);
    assert_int_equal(get_nzcv(), 0x2);
    expect_undef(enc_adc(1, 0, 0, 2, 1, 3) | (1u << 10));   /* op3 != 000000 (RMIF/SETF, v8.4) */
}

/* C6.2.49 CCMN, C6.2.51 CCMP: flags of the comparison if cond holds, else
 * the nzcv immediate. */
static void test_ccmp(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        unsigned sf = i & 1, op = (i >> 1) & 1, immf = (i >> 2) & 1;
        unsigned cond = (unsigned)rnd() & 15, flags = (unsigned)rnd() & 15, nzcv = (unsigned)rnd() & 15;
        unsigned imm5 = (unsigned)rnd() & 31;
        uint64_t a = rnd(), b = immf ? imm5 : rnd(), want;
        setx(1, a);
        setx(2, b);
        set_nzcv(flags);
        expect_ok(enc_ccmp(sf, op, immf, immf ? imm5 : 2, cond, 1, nzcv));
        uint32_t f;
        if (ref_cond(cond, flags >> 3, (flags >> 2) & 1, (flags >> 1) & 1, flags & 1)) {
            if (sf) {
                f = ref_awc64(a, op ? ~b : b, op, &want);
            } else {
                uint32_t w;
                f = ref_awc32((uint32_t)a, op ? ~(uint32_t)b : (uint32_t)b, op, &w);
            }
            assert_int_equal(get_nzcv(), f >> 28);
        } else {
            assert_int_equal(get_nzcv(), nzcv);
        }
    }
    /* ccmp x5, #17, #0xb, ge (GNU as 0xfa51a8ab), GE holds (N = V = 0): 17 - 17 -> Z C */
    setx(5, 17);
    set_nzcv(0);
    exec1(0xfa51a8ab);
    assert_int_equal(get_nzcv(), 0x6);
    set_nzcv(0x8);   /* N != V: GE fails -> #0xb */
    exec1(0xfa51a8ab);
    assert_int_equal(get_nzcv(), 0xb);
    expect_undef(enc_ccmp(1, 1, 0, 2, 0, 1, 0) | (1u << 10));   /* o2 = 1 */
    expect_undef(enc_ccmp(1, 1, 0, 2, 0, 1, 0) | (1u << 4));    /* o3 = 1 */
    expect_undef(enc_ccmp(1, 1, 0, 2, 0, 1, 0) & ~(1u << 29));  /* S = 0 */
}

/* C6.2.69 CSEL, CSINC, CSINV, CSNEG: Rn if cond holds, else f(Rm). */
static void test_csel(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        unsigned sf = i & 1, op = (i >> 1) & 1, op2 = (i >> 2) & 1;
        unsigned cond = (unsigned)rnd() & 15, flags = (unsigned)rnd() & 15, M = sf ? 64 : 32;
        uint64_t a = rnd(), b = rnd(), want;
        setx(1, a);
        setx(2, b);
        set_nzcv(flags);
        expect_ok(enc_csel(sf, op, op2, 2, cond, 1, 3));
        if (ref_cond(cond, flags >> 3, (flags >> 2) & 1, (flags >> 1) & 1, flags & 1))
            want = a;
        else if (!op && !op2)
            want = b;
        else if (!op)
            want = b + 1;
        else if (!op2)
            want = ~b;
        else
            want = ~b + 1;
        assert_int_equal(getx(3), want & ref_mask(M));
        assert_int_equal(get_nzcv(), flags);
    }
    expect_undef(enc_csel(1, 0, 2, 2, 0, 1, 3));          /* op2 = 1x */
    expect_undef(enc_csel(1, 0, 0, 2, 0, 1, 3) | (1u << 29));   /* S = 1 */
    /* cset w0, eq = csinc w0, wzr, wzr, ne */
    set_nzcv(0x4);
    exec1(enc_csel(0, 0, 1, 31, 1, 31, 0));
    assert_int_equal(getx(0), 1);
}

/* C6.2.239 RBIT, REV16, REV32, REV, CLZ, CLS (1 source). */
static void test_dp1(void **state)
{
    (void)state;
    setx(1, 0x0123456789abcdefull);
    exec1(enc_dp1(1, DP1_RBIT, 1, 2));
    assert_int_equal(getx(2), 0xf7b3d591e6a2c480ull);
    exec1(enc_dp1(0, DP1_RBIT, 1, 2));
    assert_int_equal(getx(2), 0xf7b3d591ull);
    exec1(enc_dp1(1, DP1_REV16, 1, 2));
    assert_int_equal(getx(2), 0x23016745ab89efcdull);
    exec1(enc_dp1(0, DP1_REV16, 1, 2));
    assert_int_equal(getx(2), 0xab89efcdull);
    exec1(enc_dp1(1, DP1_REV32, 1, 2));
    assert_int_equal(getx(2), 0x67452301efcdab89ull);
    exec1(enc_dp1(0, DP1_REV32, 1, 2));      /* REV Wd */
    assert_int_equal(getx(2), 0xefcdab89ull);
    exec1(enc_dp1(1, DP1_REV, 1, 2));
    assert_int_equal(getx(2), 0xefcdab8967452301ull);
    expect_undef(enc_dp1(0, DP1_REV, 1, 2));
    exec1(enc_dp1(1, DP1_CLZ, 1, 2));
    assert_int_equal(getx(2), 7);
    exec1(enc_dp1(0, DP1_CLZ, 1, 2));
    assert_int_equal(getx(2), 0);
    setx(1, 0);
    exec1(enc_dp1(1, DP1_CLZ, 1, 2));
    assert_int_equal(getx(2), 64);
    exec1(enc_dp1(0, DP1_CLZ, 1, 2));
    assert_int_equal(getx(2), 32);
    exec1(enc_dp1(1, DP1_CLS, 1, 2));
    assert_int_equal(getx(2), 63);
    exec1(enc_dp1(0, DP1_CLS, 1, 2));
    assert_int_equal(getx(2), 31);
    setx(1, 0xfff0000000000000ull);
    exec1(enc_dp1(1, DP1_CLS, 1, 2));
    assert_int_equal(getx(2), 11);
    setx(1, 0x00000000000000ffull);
    exec1(enc_dp1(0, DP1_CLS, 1, 2));
    assert_int_equal(getx(2), 23);
    setx(1, 0xffffffff80000000ull);
    exec1(enc_dp1(0, DP1_CLS, 1, 2));
    assert_int_equal(getx(2), 0);
    for (unsigned opc = 6; opc < 64; opc++)
        expect_undef(enc_dp1(1, opc, 1, 2));
    expect_undef(enc_dp1(1, DP1_CLZ, 1, 2) | (1u << 29));   /* S = 1 */
}

/* C6.2.340 UDIV, C6.2.247 SDIV: x/0 = 0, INT_MIN / -1 = INT_MIN, rounding
 * towards zero; C6.2.176 LSLV etc.: amount = Rm MOD datasize. */
static void test_dp2_div_shift(void **state)
{
    (void)state;
    struct { unsigned sf, op; uint64_t a, b, want; } t[] = {
        { 1, DP2_UDIV, 100, 7, 14 },
        { 1, DP2_UDIV, 100, 0, 0 },
        { 1, DP2_UDIV, ~0ull, 1, ~0ull },
        { 0, DP2_UDIV, 0x1ffffffffull, 2, 0x7fffffff },
        { 0, DP2_UDIV, 5, 0x100000000ull, 0 },          /* W divisor is 0 */
        { 1, DP2_SDIV, (uint64_t)-7, 2, (uint64_t)-3 },
        { 1, DP2_SDIV, 7, (uint64_t)-2, (uint64_t)-3 },
        { 1, DP2_SDIV, 0x8000000000000000ull, ~0ull, 0x8000000000000000ull },
        { 1, DP2_SDIV, 0x8000000000000000ull, 0, 0 },
        { 0, DP2_SDIV, 0x80000000ull, 0xffffffffull, 0x80000000ull },
        { 0, DP2_SDIV, 0xfffffff9ull, 2, 0xfffffffdull },
        { 0, DP2_SDIV, 5, 0, 0 },
        { 1, DP2_LSLV, 1, 65, 2 },
        { 1, DP2_LSRV, 0x8000000000000000ull, 63, 1 },
        { 1, DP2_ASRV, 0x8000000000000000ull, 0x3f, ~0ull },
        { 1, DP2_RORV, 1, 1, 0x8000000000000000ull },
        { 0, DP2_LSLV, 1, 33, 2 },
        { 0, DP2_LSRV, 0xffffffff80000000ull, 31, 1 },
        { 0, DP2_ASRV, 0x80000000ull, 35, 0xf0000000ull },
        { 0, DP2_RORV, 0x10ull, 0x44, 0x1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        setx(1, t[i].a);
        setx(2, t[i].b);
        exec1(enc_dp2(t[i].sf, 2, t[i].op, 1, 3));
        if (getx(3) != t[i].want)
            fail_msg("case %zu: got %llx want %llx", i, (unsigned long long)getx(3),
                     (unsigned long long)t[i].want);
    }
    expect_undef(enc_dp2(1, 2, 0x00, 1, 3));
    expect_undef(enc_dp2(1, 2, 0x01, 1, 3));
    expect_undef(enc_dp2(1, 2, 0x18, 1, 3));
    expect_undef(enc_dp2(1, 2, DP2_UDIV, 1, 3) | (1u << 29));   /* S = 1 */
}

/* C6.2.77/78 CRC32, CRC32C: the standard check values over "123456789"
 * (CRC-32 0xCBF43926, CRC-32C 0xE3069283) with the usual pre/post inversion
 * done by the program; sf must equal (sz == 11). */
static void test_crc32(void **state)
{
    (void)state;
    static const uint8_t msg[9] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    for (unsigned c = 0; c < 2; c++) {
        uint32_t want = c ? 0xE3069283u : 0xCBF43926u;
        /* bytes one at a time */
        setx(0, 0xffffffffu);
        for (int i = 0; i < 9; i++) {
            setx(1, 0xabcdef00u | msg[i]);           /* upper bits of Wm ignored */
            exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c, 0, 0));
        }
        assert_int_equal(getx(0) ^ 0xffffffffu, want);
        /* X (8 bytes, little-endian) then B */
        uint64_t first8 = 0;
        for (int i = 7; i >= 0; i--)
            first8 = first8 << 8 | msg[i];
        setx(0, 0xffffffffu);
        setx(1, first8);
        exec1(enc_dp2(1, 1, DP2_CRC32B + 4 * c + 3, 0, 0));
        setx(1, msg[8]);
        exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c, 0, 0));
        assert_int_equal(getx(0) ^ 0xffffffffu, want);
        /* W, W, B  and  H, H, H, H, B */
        setx(0, 0xffffffffu);
        setx(1, 0x34333231u);
        exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c + 2, 0, 0));
        setx(1, 0x38373635u);
        exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c + 2, 0, 0));
        setx(1, 0x39);
        exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c, 0, 0));
        assert_int_equal(getx(0) ^ 0xffffffffu, want);
        setx(0, 0xffffffffu);
        for (int i = 0; i < 8; i += 2) {
            setx(1, (uint64_t)msg[i] | (uint64_t)msg[i + 1] << 8);
            exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c + 1, 0, 0));
        }
        setx(1, msg[8]);
        exec1(enc_dp2(0, 1, DP2_CRC32B + 4 * c, 0, 0));
        assert_int_equal(getx(0) ^ 0xffffffffu, want);
        /* sf/sz mismatches */
        expect_undef(enc_dp2(1, 1, DP2_CRC32B + 4 * c, 0, 0));
        expect_undef(enc_dp2(1, 1, DP2_CRC32B + 4 * c + 2, 0, 0));
        expect_undef(enc_dp2(0, 1, DP2_CRC32B + 4 * c + 3, 0, 0));
    }
    /* crc32cx w7, w6, x5 (GNU as 0x9ac55cc7) decodes to CRC32CX */
    setx(6, 0xffffffffu);
    setx(5, 0x3837363534333231ull);
    exec1(0x9ac55cc7);
    setx(6, getx(7));
    setx(5, 0x39);
    exec1(enc_dp2(0, 5, DP2_CRC32CB, 6, 7));
    assert_int_equal(getx(7) ^ 0xffffffffu, 0xE3069283u);
}

/* C6.2.180 MADD and friends (3 source). */
static void test_dp3(void **state)
{
    (void)state;
    setx(1, 0x100000003ull);
    setx(2, 0xfffffffffffffffeull);   /* -2 */
    setx(3, 1000);
    exec1(enc_dp3(1, 0, 2, 0, 3, 1, 4));   /* madd x4, x1, x2, x3 */
    assert_int_equal(getx(4), 1000 - 0x200000006ull);
    exec1(enc_dp3(1, 0, 2, 1, 3, 1, 4));   /* msub */
    assert_int_equal(getx(4), 1000 + 0x200000006ull);
    exec1(enc_dp3(0, 0, 2, 0, 3, 1, 4));   /* madd w: 1000 + 3 * -2 */
    assert_int_equal(getx(4), 994);
    exec1(enc_dp3(0, 0, 2, 1, 3, 1, 4));   /* msub w: 1000 - (-6) */
    assert_int_equal(getx(4), 1006);
    exec1(enc_dp3(1, 1, 2, 0, 3, 1, 4));   /* smaddl x4, w1, w2, x3: 3 * -2 + 1000 */
    assert_int_equal(getx(4), 994);
    exec1(enc_dp3(1, 1, 2, 1, 3, 1, 4));   /* smsubl */
    assert_int_equal(getx(4), 1006);
    exec1(enc_dp3(1, 5, 2, 0, 3, 1, 4));   /* umaddl: 3 * 0xfffffffe + 1000 */
    assert_int_equal(getx(4), 3ull * 0xfffffffeull + 1000);
    exec1(enc_dp3(1, 5, 2, 1, 3, 1, 4));   /* umsubl */
    assert_int_equal(getx(4), 1000 - 3ull * 0xfffffffeull);
    setx(1, 0x8000000000000000ull);
    setx(2, 3);
    exec1(enc_dp3(1, 2, 2, 0, 31, 1, 4));  /* smulh: -2^63 * 3 = -3 * 2^63 -> high = -2 */
    assert_int_equal(getx(4), (uint64_t)-2);
    exec1(enc_dp3(1, 6, 2, 0, 31, 1, 4));  /* umulh: 2^63 * 3 -> high = 1 */
    assert_int_equal(getx(4), 1);
    setx(1, ~0ull);
    setx(2, ~0ull);
    exec1(enc_dp3(1, 6, 2, 0, 31, 1, 4));  /* (2^64-1)^2 high = 2^64 - 2 */
    assert_int_equal(getx(4), 0xfffffffffffffffeull);
    exec1(enc_dp3(1, 2, 2, 0, 31, 1, 4));  /* (-1)*(-1) = 1 -> high 0 */
    assert_int_equal(getx(4), 0);
    /* smsubl x4, w3, w2, x1 (GNU as 0x9b228464) */
    setx(3, 0x10);
    setx(2, 0x20);
    setx(1, 0x1000);
    exec1(0x9b228464);
    assert_int_equal(getx(4), 0x1000 - 0x200);
    /* Unallocated: 32-bit long forms, op31 = 011/100/111, o0 = 1 for MULH, op54 != 00 */
    expect_undef(enc_dp3(0, 1, 2, 0, 3, 1, 4));
    expect_undef(enc_dp3(0, 5, 2, 0, 3, 1, 4));
    expect_undef(enc_dp3(0, 2, 2, 0, 31, 1, 4));
    expect_undef(enc_dp3(1, 3, 2, 0, 3, 1, 4));
    expect_undef(enc_dp3(1, 4, 2, 0, 3, 1, 4));
    expect_undef(enc_dp3(1, 7, 2, 0, 3, 1, 4));
    expect_undef(enc_dp3(1, 2, 2, 1, 31, 1, 4));
    expect_undef(enc_dp3(1, 0, 2, 0, 3, 1, 4) | (1u << 29));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logic_sr),
        cmocka_unit_test(test_addsub_sr),
        cmocka_unit_test(test_addsub_er),
        cmocka_unit_test(test_adc_sbc),
        cmocka_unit_test(test_ccmp),
        cmocka_unit_test(test_csel),
        cmocka_unit_test(test_dp1),
        cmocka_unit_test(test_dp2_div_shift),
        cmocka_unit_test(test_crc32),
        cmocka_unit_test(test_dp3),
    };
    return cmocka_run_group_tests(tests, machine_setup, machine_teardown);
}
