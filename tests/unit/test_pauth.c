/*
 * FEAT_PAuth unit tests: the QARMA cipher against the published QARMA-64
 * test vector, and every PAuth instruction at EL1 (no EL2, MMU off) through
 * the public API, against the pointer layouts of the Arm ARM pseudocode
 * AddPAC / Auth / Strip (D8.8 "Pointer authentication").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cpu/pauth.h"
#include "dp_machine.h"

/* SCTLR_EL1 enables and reset-RES1 bits (Arm ARM D13.2.113). */
#define EnIA (1ull << 31)
#define EnIB (1ull << 30)
#define EnDA (1ull << 27)
#define EnDB (1ull << 13)
#define SCTLR_RES1 0x30d00980ull
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)
#define TCR_TBID0 (1ull << 51)

static const PACKey KIA = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
static const PACKey KIB = { 0x1111222233334444ull, 0x5555666677778888ull };
static const PACKey KDA = { 0x84be85ce9804e94bull, 0xec2802d4e0a488e9ull };
static const PACKey KDB = { 0x0f0e0d0c0b0a0908ull, 0x0706050403020100ull };
static const PACKey KGA = { 0xa5a5a5a55a5a5a5aull, 0x3c3c3c3cc3c3c3c3ull };

static void wsr(const char *n, uint64_t v) { assert_int_equal(a83_sysreg_write(M, 0, n, v), A83_OK); }
static uint64_t rsr(const char *n)
{
    uint64_t v;
    assert_int_equal(a83_sysreg_read(M, 0, n, &v), A83_OK);
    return v;
}

static void set_keys(void)
{
    wsr("APIAKeyHi_EL1", KIA.hi); wsr("APIAKeyLo_EL1", KIA.lo);
    wsr("APIBKeyHi_EL1", KIB.hi); wsr("APIBKeyLo_EL1", KIB.lo);
    wsr("APDAKeyHi_EL1", KDA.hi); wsr("APDAKeyLo_EL1", KDA.lo);
    wsr("APDBKeyHi_EL1", KDB.hi); wsr("APDBKeyLo_EL1", KDB.lo);
    wsr("APGAKeyHi_EL1", KGA.hi); wsr("APGAKeyLo_EL1", KGA.lo);
}

static void setup_pac(uint64_t sctlr_en, uint64_t tcr)
{
    set_keys();
    wsr("SCTLR_EL1", SCTLR_RES1 | sctlr_en);
    wsr("TCR_EL1", tcr);
}

/* The expected AddPAC result for a canonical ptr (extension bits all equal
 * to bit 55) with no TBI, bottom PAC bit b: PAC<63:56>, bit 55 kept,
 * PAC<54:b>, ptr<b-1:0>. */
static uint64_t exp_pac_notbi(uint64_t ptr, uint64_t mod, PACKey k, unsigned b)
{
    uint64_t pac = ComputePAC(ptr, mod, k.hi, k.lo);
    uint64_t low = (1ull << b) - 1;
    return (pac & 0xff00000000000000ull) | (ptr & (1ull << 55)) |
           (pac & ((1ull << 55) - 1) & ~low) | (ptr & low);
}

/* With TBI: the top byte kept, bit 55 kept, PAC<54:b>, ptr<b-1:0>. The
 * PAC is computed over the pointer with its extension bits (55:b) equal
 * to bit 55. */
static uint64_t exp_pac_tbi(uint64_t ptr, uint64_t mod, PACKey k, unsigned b)
{
    uint64_t low = (1ull << b) - 1;
    uint64_t ext = ((ptr >> 55) & 1) ? 0x00ffffffffffffffull & ~low : 0;
    uint64_t in = (ptr & 0xff00000000000000ull) | ext | (ptr & low);
    uint64_t pac = ComputePAC(in, mod, k.hi, k.lo);
    return (ptr & 0xff00000000000000ull) | (ptr & (1ull << 55)) |
           (pac & ((1ull << 55) - 1) & ~low) | (ptr & low);
}

/* ---- The cipher --------------------------------------------------------- */

/* QARMA paper (Avanzi, "The QARMA Block Cipher Family", IACR ToSC 2017(1),
 * eprint 2016/444), QARMA-64 test vectors, sbox sigma2 (the Arm ARM's
 * PACSub table), r = 5: P = fb623599da6e8127, T = 477d469dec0b8762,
 * w0 = 84be85ce9804e94b, k0 = ec2802d4e0a488e9 -> C = c003b93999b33765.
 * ComputePAC(data = P, modifier = T, key0 = w0, key1 = k0). */
static void test_qarma_vector(void **state)
{
    (void)state;
    assert_true(ComputePAC(0xfb623599da6e8127ull, 0x477d469dec0b8762ull, 0x84be85ce9804e94bull,
                           0xec2802d4e0a488e9ull) == 0xc003b93999b33765ull);
}

/* The table-driven ComputePAC equals the step-by-step pseudocode version
 * (ComputePAC_reference) on pseudo-random inputs. */
static void test_qarma_fast_vs_reference(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 2000; i++) {
        uint64_t d = x, m = x * 3 + 1, k0 = ~x ^ (x << 7), k1 = x ^ (x >> 11);
        uint64_t ref = ComputePAC_reference(d, m, k0, k1), v = ~ref;
        assert_true(ComputePAC(d, m, k0, k1) == ref);
        assert_true(ComputePAC_tables(d, m, k0, k1) == ref);
        if (ComputePAC_ssse3(d, m, k0, k1, &v))
            assert_true(v == ref);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
#if defined(__x86_64__)
    /* every x86-64 host this runs on has SSSE3 (since 2006): the shuffle
     * form must not quietly be skipped */
    uint64_t v;
    assert_true(ComputePAC_ssse3(1, 2, 3, 4, &v));
    assert_true(v == ComputePAC_reference(1, 2, 3, 4));
#endif
    assert_true(ComputePAC_reference(0xfb623599da6e8127ull, 0x477d469dec0b8762ull,
                                     0x84be85ce9804e94bull, 0xec2802d4e0a488e9ull) ==
                0xc003b93999b33765ull);
}

/* The inverse helpers invert the forward ones; PACMult (QARMA's M) is an
 * involution; PACCellShuffle moves cell 13 to cell 0 and keeps cells 8 and
 * 15 (Arm ARM PACCellShuffle: outdata<3:0> = indata<55:52>,
 * outdata<35:32> = indata<35:32>, outdata<63:60> = indata<63:60>). */
static void test_qarma_helpers(void **state)
{
    (void)state;
    uint64_t x = 0x0123456789abcdefull;
    for (int i = 0; i < 64; i++) {
        assert_true(PACCellInvShuffle(PACCellShuffle(x)) == x);
        assert_true(TweakInvShuffle(TweakShuffle(x)) == x);
        assert_true(PACInvSub(PACSub(x)) == x);
        assert_true(PACMult(PACMult(x)) == x);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
    assert_true(PACCellShuffle(0xfedcba9876543210ull) == 0xf4925e38a1c70b6dull);
    assert_true(PACSub(0xfedcba9876543210ull) == 0xa12d5473e90cf86bull);
    /* TweakShuffle: cell 0 <- cell 4, cell 2 <- TweakCellRot(cell 6): 6 = 0110
     * -> out<3> = 0^1 = 1, out<2:0> = 011 -> 0xb. */
    assert_true((TweakShuffle(0x0000000006000000ull) & 0xf00) == 0xb00);
    assert_true((TweakShuffle(0x0000000000050000ull) & 0xf) == 0x5);
}

/* ---- Instructions --------------------------------------------------------- */

#define PACIA_X0_X1  0xdac10020u
#define PACIB_X0_X1  0xdac10420u
#define PACDA_X0_X1  0xdac10820u
#define PACDB_X0_X1  0xdac10c20u
#define AUTIA_X0_X1  0xdac11020u
#define AUTIB_X0_X1  0xdac11420u
#define AUTDA_X0_X1  0xdac11820u
#define AUTDB_X0_X1  0xdac11c20u
#define PACIZA_X0    0xdac123e0u
#define AUTIZA_X0    0xdac133e0u
#define XPACI_X0     0xdac143e0u
#define XPACD_X0     0xdac147e0u
#define PACGA_X0     0x9ac23020u   /* pacga x0, x1, x2 */
#define PACIA_X0_SP  0xdac103e0u
#define PACIASP      0xd503233fu
#define AUTIASP      0xd50323bfu
#define PACIBSP      0xd503237fu
#define AUTIBSP      0xd50323ffu
#define PACIAZ       0xd503231fu
#define PACIA1716    0xd503211fu
#define AUTIB1716    0xd50321dfu
#define XPACLRI      0xd50320ffu
#define BRAA_X0_X1   0xd71f0801u
#define BLRAA_X0_X1  0xd73f0801u
#define BRABZ_X0     0xd61f0c1fu
#define RETAA        0xd65f0bffu
#define RETAB        0xd65f0fffu
#define ERETAA       0xd69f0bffu
#define LDRAA_8      0xf8201420u   /* ldraa x0, [x1, #8] */
#define LDRAB_M16_WB 0xf8ffec20u   /* ldrab x0, [x1, #-16]! */

#define PTR 0x0000000040081234ull
#define MOD 0x00000000deadbeefull

/* AddPAC/Auth, no TBI, TCR_EL1.T0SZ = 16 (bottom PAC bit 48): every key,
 * the round trip, and the error codes of a failed Auth (A key: 01, B key:
 * 10 at <62:61>). */
static void test_pac_aut_roundtrip(void **state)
{
    (void)state;
    setup_pac(EnIA | EnIB | EnDA | EnDB, 16);
    static const struct { uint32_t pac, aut; const PACKey *k; uint64_t err; } t[] = {
        { PACIA_X0_X1, AUTIA_X0_X1, &KIA, 1ull << 61 },
        { PACIB_X0_X1, AUTIB_X0_X1, &KIB, 2ull << 61 },
        { PACDA_X0_X1, AUTDA_X0_X1, &KDA, 1ull << 61 },
        { PACDB_X0_X1, AUTDB_X0_X1, &KDB, 2ull << 61 },
    };
    for (unsigned i = 0; i < 4; i++) {
        setx(0, PTR);
        setx(1, MOD);
        expect_ok(t[i].pac);
        uint64_t signed_ptr = getx(0);
        assert_true(signed_ptr == exp_pac_notbi(PTR, MOD, *t[i].k, 48));
        assert_true(signed_ptr != PTR);
        expect_ok(t[i].aut);
        assert_true(getx(0) == PTR);
        /* wrong modifier: error code in bits 62:61 */
        setx(0, signed_ptr);
        setx(1, MOD + 1);
        expect_ok(t[i].aut);
        assert_true(getx(0) == (PTR | t[i].err));
    }
}

/* Upper VA range (bit 55 = 1) with T1SZ = 25: bottom PAC bit 39; bit 55
 * is kept; Auth restores ones in <63:39>. */
static void test_upper_range(void **state)
{
    (void)state;
    setup_pac(EnIA, 16 | (25ull << 16));
    uint64_t p = 0xffffff8000012340ull;
    setx(0, p);
    setx(1, MOD);
    expect_ok(PACIA_X0_X1);
    assert_true(getx(0) == exp_pac_notbi(p, MOD, KIA, 39));
    expect_ok(AUTIA_X0_X1);
    assert_true(getx(0) == p);
}

/* AddPAC on a non-canonical pointer (extension bits not all equal) flips
 * PAC<top_bit-1> (62 without TBI), so Auth of the result fails. */
static void test_noncanonical(void **state)
{
    (void)state;
    setup_pac(EnIA, 16);
    uint64_t p = 0x0001000040081234ull;                /* bit 48 set */
    uint64_t pac = ComputePAC(PTR & 0x0000ffffffffffffull, MOD, KIA.hi, KIA.lo) ^ (1ull << 62);
    uint64_t want = (pac & 0xff00000000000000ull) | (pac & 0x007f000000000000ull) |
                    (p & 0x0000ffffffffffffull);
    setx(0, p);
    setx(1, MOD);
    expect_ok(PACIA_X0_X1);
    assert_true(getx(0) == want);
    expect_ok(AUTIA_X0_X1);
    assert_true(getx(0) == (PTR | (1ull << 61)));
}

/* TBI0 (data and instruction pointers) with T0SZ = 25: the top byte is
 * kept and the PAC occupies <54:39>; a failed Auth puts its error code at
 * <54:53>. TBID0 removes TBI for instruction keys only. */
static void test_tbi(void **state)
{
    (void)state;
    setup_pac(EnIA | EnDA, 25 | TCR_TBI0);
    uint64_t p = 0x5a00000012345678ull;
    setx(0, p);
    setx(1, MOD);
    expect_ok(PACDA_X0_X1);
    uint64_t s = getx(0);
    assert_true(s == exp_pac_tbi(p, MOD, KDA, 39));
    expect_ok(AUTDA_X0_X1);
    assert_true(getx(0) == p);
    setx(0, s ^ (1ull << 40));
    expect_ok(AUTDA_X0_X1);
    assert_true(getx(0) == (p | (1ull << 53)));

    /* Instruction key with TBI0 and TBID0: no TBI; the tag byte makes the
     * pointer non-canonical (PAC bit 62 flipped). */
    setup_pac(EnIA | EnDA, 25 | TCR_TBI0 | TCR_TBID0);
    uint64_t q = 0x0000000012345678ull;
    setx(0, q);
    expect_ok(PACIA_X0_X1);
    assert_true(getx(0) == exp_pac_notbi(q, MOD, KIA, 39));
    /* ... while data keys still use TBI */
    setx(0, p);
    expect_ok(PACDA_X0_X1);
    assert_true(getx(0) == s);
}

/* SCTLR_EL1.EnIA/EnIB/EnDA/EnDB = 0: AddPACxx and Authxx return the value
 * unchanged (PACIA, AUTDB, PACIASP, AUTIBSP); XPAC still strips. */
static void test_enables_off(void **state)
{
    (void)state;
    setup_pac(EnIA | EnIB | EnDA | EnDB, 16);
    setx(0, PTR);
    setx(1, MOD);
    expect_ok(PACIA_X0_X1);
    uint64_t s = getx(0);
    setup_pac(0, 16);
    setx(0, PTR);
    expect_ok(PACIA_X0_X1);
    assert_true(getx(0) == PTR);
    setx(0, s);
    expect_ok(AUTIA_X0_X1);
    assert_true(getx(0) == s);
    setx(0, 0x1234000000001000ull);
    expect_ok(AUTDB_X0_X1);
    assert_true(getx(0) == 0x1234000000001000ull);
    setx(30, PTR);
    expect_ok(PACIASP);
    assert_true(getx(30) == PTR);
    setx(30, s);
    expect_ok(AUTIBSP);
    assert_true(getx(30) == s);
    setx(0, s);
    expect_ok(XPACI_X0);
    assert_true(getx(0) == PTR);
    /* EnIA alone does not enable the B key */
    setup_pac(EnIA, 16);
    setx(0, PTR);
    expect_ok(PACIB_X0_X1);
    assert_true(getx(0) == PTR);
}

/* The Z forms use a zero modifier; PACIA Xd, SP uses SP. */
static void test_z_and_sp_forms(void **state)
{
    (void)state;
    setup_pac(EnIA, 16);
    setx(0, PTR);
    expect_ok(PACIZA_X0);
    assert_true(getx(0) == exp_pac_notbi(PTR, 0, KIA, 48));
    expect_ok(AUTIZA_X0);
    assert_true(getx(0) == PTR);
    setx(A83_REG_SP, 0x40200000ull);
    setx(0, PTR);
    expect_ok(PACIA_X0_SP);
    assert_true(getx(0) == exp_pac_notbi(PTR, 0x40200000ull, KIA, 48));
    /* PACIZA with Rn != 31 is unallocated */
    expect_undef(0xdac12020u);   /* opcode 001000 with Rn = 1 */
}

/* XPACI/XPACD: Strip; XPACD uses the data view of TBI. */
static void test_xpac(void **state)
{
    (void)state;
    setup_pac(EnIA | EnDA, 25 | TCR_TBI0 | TCR_TBID0);
    setx(0, 0xab7fff8000001234ull);
    expect_ok(XPACD_X0);
    assert_true(getx(0) == 0xab00000000001234ull);   /* top byte kept (TBI, data) */
    setx(0, 0xab7fff8000001234ull);
    expect_ok(XPACI_X0);
    assert_true(getx(0) == 0x0000000000001234ull);   /* TBID0: no TBI for instructions */
    setx(30, 0x00ff000000001234ull);                 /* bit 55 set -> upper-range fill */
    wsr("TCR_EL1", 16 | (16ull << 16));
    expect_ok(XPACLRI);
    assert_true(getx(30) == 0xffff000000001234ull);
}

/* PACGA: ComputePAC(Xn, Xm|SP, APGAKey)<63:32>:Zeros(32), no enable bit. */
static void test_pacga(void **state)
{
    (void)state;
    setup_pac(0, 16);
    setx(1, 0x1122334455667788ull);
    setx(2, 0x99aabbccddeeff00ull);
    expect_ok(PACGA_X0);
    uint64_t want = ComputePAC(0x1122334455667788ull, 0x99aabbccddeeff00ull, KGA.hi, KGA.lo) &
                    0xffffffff00000000ull;
    assert_true(getx(0) == want);
}

/* HINT forms: PACIASP/AUTIASP (X30, SP), PACIBSP/AUTIBSP, PACIAZ,
 * PACIA1716/AUTIB1716 (X17, X16). */
static void test_hints(void **state)
{
    (void)state;
    setup_pac(EnIA | EnIB, 16);
    setx(A83_REG_SP, 0x40300000ull);
    setx(30, PTR);
    expect_ok(PACIASP);
    assert_true(getx(30) == exp_pac_notbi(PTR, 0x40300000ull, KIA, 48));
    expect_ok(AUTIASP);
    assert_true(getx(30) == PTR);
    expect_ok(PACIBSP);
    assert_true(getx(30) == exp_pac_notbi(PTR, 0x40300000ull, KIB, 48));
    setx(A83_REG_SP, 0x40300010ull);                 /* a different SP: Auth fails */
    expect_ok(AUTIBSP);
    assert_true(getx(30) == (PTR | (2ull << 61)));
    setx(30, PTR);
    expect_ok(PACIAZ);
    assert_true(getx(30) == exp_pac_notbi(PTR, 0, KIA, 48));
    setx(17, PTR);
    setx(16, MOD);
    expect_ok(PACIA1716);
    assert_true(getx(17) == exp_pac_notbi(PTR, MOD, KIA, 48));
    setx(17, exp_pac_notbi(PTR, MOD, KIB, 48));
    expect_ok(AUTIB1716);
    assert_true(getx(17) == PTR);
}

/* BRAA/BLRAA/BRABZ/RETAA/RETAB: branch to the authenticated pointer;
 * on failure the error-coded pointer is fetched and the fetch faults
 * (instruction abort, EC 0x21, ELR = the bad pointer). */
static void test_branches(void **state)
{
    (void)state;
    setup_pac(EnIA | EnIB, 16);
    uint64_t target = CODE_PA + 0x100;
    uint32_t nop = 0xd503201fu;
    assert_int_equal(a83_phys_write(M, target, &nop, 4), A83_OK);

    setx(0, exp_pac_notbi(target, MOD, KIA, 48));
    setx(1, MOD);
    exec1(BRAA_X0_X1);
    assert_true(getpc() == target);

    setx(30, 0);
    exec1(BLRAA_X0_X1);
    assert_true(getpc() == target);
    assert_true(getx(30) == CODE_PA + 4);

    setx(0, exp_pac_notbi(target, 0, KIB, 48));
    exec1(BRABZ_X0);
    assert_true(getpc() == target);

    setx(A83_REG_SP, 0x40300000ull);
    setx(30, exp_pac_notbi(target, 0x40300000ull, KIA, 48));
    exec1(RETAA);
    assert_true(getpc() == target);
    setx(30, exp_pac_notbi(target, 0x40300000ull, KIB, 48));
    exec1(RETAB);
    assert_true(getpc() == target);

    /* failure: RETAB of an A-signed pointer */
    setx(30, exp_pac_notbi(target, 0x40300000ull, KIA, 48));
    wsr("ESR_EL1", 0);
    uint32_t self_loop = 0x14000000u;                  /* B . at the vector */
    assert_int_equal(a83_phys_write(M, VBAR_PA + 0x200, &self_loop, 4), A83_OK);
    run_code(&(uint32_t){ RETAB }, 1, 3);
    assert_true(getpc() == VBAR_PA + 0x200);
    assert_true((rsr("ESR_EL1") >> 26) == 0x21);
    assert_true(rsr("ELR_EL1") == (target | (2ull << 61)));
}

/* With TBI0 (no TBID0) a branch target's tag byte is dropped by
 * AArch64.BranchAddr (extension of bit 55), after Auth restored the tag. */
static void test_branch_tbi(void **state)
{
    (void)state;
    setup_pac(EnIA, 16 | TCR_TBI0);
    uint64_t target = CODE_PA + 0x100;
    uint32_t nop = 0xd503201fu;
    assert_int_equal(a83_phys_write(M, target, &nop, 4), A83_OK);
    uint64_t tagged = 0x5a00000000000000ull | target;
    setx(0, exp_pac_tbi(tagged, MOD, KIA, 48));
    setx(1, MOD);
    exec1(BRAA_X0_X1);
    assert_true(getpc() == target);
}

/* ERETAA: ELR_EL1 authenticated with the IA key and SP as modifier. */
static void test_eretaa(void **state)
{
    (void)state;
    setup_pac(EnIA, 16);
    uint64_t target = CODE_PA + 0x200;
    uint32_t nop = 0xd503201fu;
    assert_int_equal(a83_phys_write(M, target, &nop, 4), A83_OK);
    setx(A83_REG_SP, 0x40300000ull);
    wsr("ELR_EL1", exp_pac_notbi(target, 0x40300000ull, KIA, 48));
    wsr("SPSR_EL1", PSTATE_EL1H_MASKED);
    exec1(ERETAA);
    assert_true(getpc() == target);
}

/* LDRAA/LDRAB: the base authenticated with DA/DB and a zero modifier;
 * the scaled signed 10-bit offset; pre-index writeback. */
static void test_ldra(void **state)
{
    (void)state;
    setup_pac(EnDA | EnDB, 16);
    uint64_t buf = 0x40100000ull;
    uint64_t vals[4] = { 0x1111111111111111ull, 0x2222222222222222ull, 0x3333333333333333ull,
                         0x4444444444444444ull };
    assert_int_equal(a83_phys_write(M, buf, vals, sizeof vals), A83_OK);
    setx(1, exp_pac_notbi(buf, 0, KDA, 48));
    expect_ok(LDRAA_8);
    assert_true(getx(0) == vals[1]);
    assert_true(getx(1) == exp_pac_notbi(buf, 0, KDA, 48));     /* no writeback */
    setx(1, exp_pac_notbi(buf + 24, 0, KDB, 48));
    expect_ok(LDRAB_M16_WB);
    assert_true(getx(0) == vals[1]);
    assert_true(getx(1) == buf + 8);                             /* authenticated, written back */
    /* a failing LDRAA faults on the error-coded address */
    setx(1, exp_pac_notbi(buf, 0, KDB, 48));
    wsr("ESR_EL1", 0);
    exec1(LDRAA_8);
    assert_true(getpc() == VBAR_PA + 0x200);
    assert_true((rsr("ESR_EL1") >> 26) == 0x25);
    assert_true(rsr("FAR_EL1") == ((buf | (1ull << 61)) + 8));
}

/* The key registers are plain 64-bit registers at EL1 (no EL2 here). */
static void test_key_regs(void **state)
{
    (void)state;
    static const char *names[] = { "APIAKeyLo_EL1", "APIAKeyHi_EL1", "APIBKeyLo_EL1",
                                   "APIBKeyHi_EL1", "APDAKeyLo_EL1", "APDAKeyHi_EL1",
                                   "APDBKeyLo_EL1", "APDBKeyHi_EL1", "APGAKeyLo_EL1",
                                   "APGAKeyHi_EL1" };
    for (unsigned i = 0; i < 10; i++)
        wsr(names[i], 0x0101010101010101ull * (i + 1));
    /* MRS x0, APIBKeyHi_EL1 (op0 3, op1 0, CRn 2, CRm 1, op2 3) */
    expect_ok(0xd5382160u | 0);
    assert_true(getx(0) == 0x0404040404040404ull);
    /* MSR APGAKeyLo_EL1, x2 */
    setx(2, 0xfeedfacecafebeefull);
    expect_ok(0xd5182302u);
    assert_true(rsr("APGAKeyLo_EL1") == 0xfeedfacecafebeefull);
    /* TCR_EL1.TBID0/TBID1 are writable (FEAT_PAuth) */
    wsr("TCR_EL1", (1ull << 51) | (1ull << 52));
    assert_true(rsr("TCR_EL1") == ((1ull << 51) | (1ull << 52)));
}

/* ---- EL2 and EL2&0 regimes (virtualization, VHE) ------------------------- */

static int vhe_setup(void **state)
{
    (void)state;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.vhe = true;
    if (a83_machine_create(&cfg, &M) != A83_OK)
        return -1;
    return 0;
}

/* Runs one instruction at CODE_PA with PSTATE = pstate (SPSR layout). */
static void exec_at(uint32_t insn, uint64_t pstate)
{
    assert_int_equal(a83_phys_write(M, CODE_PA, &insn, 4), A83_OK);
    setx(A83_REG_PSTATE, pstate);
    setx(A83_REG_PC, CODE_PA);
    assert_int_equal(a83_run(M, 1, NULL), A83_OK);
    assert_true(getpc() == CODE_PA + 4);
}

#define HCR_RW  (1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define HCR_API (1ull << 41)
#define PSTATE_EL2H 0x3c9ull
#define PSTATE_EL0T 0x3c0ull
#define SCTLR_EL2_RES1 0x30c50830ull

/* EL2 with E2H = 0: one VA range, TCR_EL2.T0SZ for every pointer, the
 * enables of SCTLR_EL2. EL2&0 (E2H = 1): T1SZ for bit-55 pointers.
 * EL0 with {E2H,TGE} = {1,1}: the EL2&0 regime and SCTLR_EL2, no trap. */
static void test_el2_regimes(void **state)
{
    (void)state;
    set_keys();
    wsr("SCTLR_EL1", SCTLR_RES1);
    wsr("SCTLR_EL2", SCTLR_EL2_RES1 | EnIA);
    /* (bits [21:16] are PS and TBI in the E2H = 0 layout) */
    wsr("TCR_EL2", 16);
    uint64_t up = 0xffffff8000001000ull;

    wsr("HCR_EL2", HCR_RW);                       /* E2H = 0 */
    setx(0, up);
    setx(1, MOD);
    exec_at(PACIA_X0_X1, PSTATE_EL2H);
    assert_true(getx(0) == exp_pac_notbi(up, MOD, KIA, 48));
    /* TCR_EL2.TBI (bit 20, E2H = 0 layout) for a data key */
    wsr("TCR_EL2", 16 | (1ull << 20));
    wsr("SCTLR_EL2", SCTLR_EL2_RES1 | EnIA | EnDA);
    setx(0, 0x5a00000012345678ull);
    exec_at(PACDA_X0_X1, PSTATE_EL2H);
    assert_true(getx(0) == exp_pac_tbi(0x5a00000012345678ull, MOD, KDA, 48));

    wsr("HCR_EL2", HCR_RW | HCR_E2H);             /* EL2&0: T1SZ = 25 */
    wsr("TCR_EL2", 16 | (25ull << 16));
    setx(0, up);
    exec_at(PACIA_X0_X1, PSTATE_EL2H);
    assert_true(getx(0) == exp_pac_notbi(up, MOD, KIA, 39));
    exec_at(AUTIA_X0_X1, PSTATE_EL2H);
    assert_true(getx(0) == up);

    /* EL0 in the host: SCTLR_EL2.EnIA applies (SCTLR_EL1's is 0), API = 0
     * does not trap. */
    wsr("HCR_EL2", HCR_RW | HCR_E2H | HCR_TGE);
    setx(0, PTR);
    exec_at(PACIA_X0_X1, PSTATE_EL0T);
    assert_true(getx(0) == exp_pac_notbi(PTR, MOD, KIA, 48));
    /* ... and SCTLR_EL1.EnIA does not */
    wsr("SCTLR_EL2", SCTLR_EL2_RES1);
    wsr("SCTLR_EL1", SCTLR_RES1 | EnIA);
    setx(0, PTR);
    exec_at(PACIA_X0_X1, PSTATE_EL0T);
    assert_true(getx(0) == PTR);

    /* EL1 with HCR_EL2.API = 1: SCTLR_EL1 and TCR_EL1 again */
    wsr("HCR_EL2", HCR_RW | HCR_API);
    wsr("TCR_EL1", 25);
    setx(0, PTR);
    exec_at(PACIA_X0_X1, PSTATE_EL1H_MASKED);
    assert_true(getx(0) == exp_pac_notbi(PTR, MOD, KIA, 39));
}

/* The PAC hints' per-CPU memo (pauth.c pac_hint_memo()) is keyed by every
 * input of the pseudocode (AddPAC/Auth, Arm ARM D8.8; TrapEL2 of the
 * AddPACIA/AuthIA pseudocode): the same X30 and SP signed again after one
 * input changed must give the new result, never the remembered one - the
 * key, TCR_EL1.T0SZ (the bottom PAC bit), TCR_EL1.TBI0, SCTLR_EL1.EnIA (a
 * NOP), and HCR_EL2.API (the trap to EL2, EC 0x09, ISS 0). */
static void hint_el1(uint32_t insn, uint64_t x, uint64_t sp)
{
    setx(30, x);
    assert_int_equal(a83_phys_write(M, CODE_PA, &insn, 4), A83_OK);
    setx(A83_REG_PSTATE, PSTATE_EL1H_MASKED);
    setx(A83_REG_SP, sp);
    setx(A83_REG_PC, CODE_PA);
    assert_int_equal(a83_run(M, 1, NULL), A83_OK);
}

static void test_hint_memo(void **state)
{
    (void)state;
    const uint64_t sp = 0x40300000ull;
    const PACKey k2 = { KIA.hi ^ 1, KIA.lo };
    set_keys();
    wsr("SCTLR_EL1", SCTLR_RES1 | EnIA);
    wsr("TCR_EL1", 16);
    wsr("HCR_EL2", HCR_RW | HCR_API);
    wsr("VBAR_EL2", 0x40010000ull);
    for (int i = 0; i < 2; i++) {                     /* computed, then remembered */
        hint_el1(PACIASP, PTR, sp);
        assert_true(getpc() == CODE_PA + 4);
        assert_true(getx(30) == exp_pac_notbi(PTR, sp, KIA, 48));
    }
    wsr("APIAKeyHi_EL1", k2.hi);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, k2, 48));
    wsr("TCR_EL1", 25);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, k2, 39));
    wsr("TCR_EL1", 25 | TCR_TBI0);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_tbi(PTR, sp, k2, 39));
    wsr("SCTLR_EL1", SCTLR_RES1);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == PTR);

    /* AUTIASP: remembered success, then the key changes: the error code */
    wsr("SCTLR_EL1", SCTLR_RES1 | EnIA);
    wsr("TCR_EL1", 16);
    uint64_t signed_k2 = exp_pac_notbi(PTR, sp, k2, 48);
    for (int i = 0; i < 2; i++) {
        hint_el1(AUTIASP, signed_k2, sp);
        assert_true(getx(30) == PTR);
    }
    wsr("APIAKeyHi_EL1", KIA.hi);
    hint_el1(AUTIASP, signed_k2, sp);
    assert_true(getx(30) == (PTR | (1ull << 61)));   /* key A: error code 01 at <62:61> */

    /* more keys than the CPU keeps contexts (PAC_HINT_CTX_SLOTS): each
     * context evicted and seen again gets a new id, never another
     * context's, so every round gives each key's own PAC */
    for (int round = 0; round < 3; round++)
        for (uint64_t i = 0; i < PAC_HINT_CTX_SLOTS + 2; i++) {
            const PACKey ki = { KIA.hi ^ (i << 8), KIA.lo };
            wsr("APIAKeyHi_EL1", ki.hi);
            hint_el1(PACIASP, PTR, sp);
            assert_true(getx(30) == exp_pac_notbi(PTR, sp, ki, 48));
        }
    wsr("APIAKeyHi_EL1", KIA.hi);

    /* remembered once more, then HCR_EL2.API = 0: the same inputs trap */
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, KIA, 48));
    wsr("HCR_EL2", HCR_RW);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getpc() == 0x40010000ull + 0x400);    /* lower EL, AArch64, synchronous */
    assert_int_equal(rsr("ESR_EL2") >> 26, 0x09);
    assert_true(getx(30) == PTR);
}

/* The hint memo's near level (pauth.c pac_hint_memo(): sets indexed by SP,
 * X30's low bits and the context) answers AUTIASP from its PACIASP's entry and
 * PACIASP from an AUTIASP's, only where the pseudocode gives that: a PAC
 * of a pointer whose extension bits are not uniform (AddPAC corrupts it)
 * or an AUT that fails (an error code) must not be reversed. Random hints
 * (both keys, PAC and AUT) on X30 values that are canonical, upper-range,
 * non-canonical, tagged, earlier results and earlier results with a bit
 * flipped, at SPs that share near slots, under four TCR_EL1 settings (TBI,
 * T0SZ), each compared with PACIA/PACIB/AUTIA/AUTIB X30, SP (Arm ARM
 * C6.2.x: the same AddPAC/Auth without the memo). */
static uint64_t lcg(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return *st >> 11;
}

static void test_hint_memo_reverse(void **state)
{
    (void)state;
    static const uint32_t hint[4] = { PACIASP, AUTIASP, PACIBSP, AUTIBSP };
    static const uint32_t plain[4] = { 0xdac103feu, 0xdac113feu, 0xdac107feu, 0xdac117feu };
    static const uint64_t tcr[4] = { 16, 25 | TCR_TBI0, 16 | TCR_TBI0, 25 };
    static const uint64_t sps[4] = { 0x40300000ull, 0x40301000ull, 0x40300010ull, 0x40302010ull };
    uint64_t pool[64] = { 0 }, last = 0, last_sp = sps[0];
    unsigned npool = 0, last_op = 0, back = 0;
    uint64_t st = 12345;
    set_keys();
    wsr("SCTLR_EL1", SCTLR_RES1 | EnIA | EnIB);
    wsr("HCR_EL2", HCR_RW | HCR_API);
    for (unsigned i = 0; i < 4000; i++) {
        if (i % 500 == 0)
            wsr("TCR_EL1", tcr[(i / 500) % 4]);
        unsigned op = (unsigned)(lcg(&st) % 4), kind = (unsigned)(lcg(&st) % 10);
        uint64_t sp = sps[lcg(&st) % 4], x;
        uint64_t r = lcg(&st);
        switch (kind) {
        case 0: x = 0x0000ffffffff0000ull & (r << 4); break;                 /* canonical, low */
        case 1: x = 0xffff000000000000ull | (r & 0xfffffffffff0ull); break;  /* upper range */
        case 2: x = (r & 0xffffffff0ull) | 1ull << 50; break;                /* non-canonical */
        case 3: x = (r & 0xfffffff0ull) | (r & 0xff) << 56; break;           /* tagged */
        case 4: x = r << 11 ^ r; break;                                      /* anything */
        case 5: x = npool ? pool[r % npool] : r; break;                      /* an earlier result */
        case 6: x = npool ? pool[r % npool] ^ 1ull << (r % 64) : r; break;   /* one bit off */
        default:
            /* the last result through the opposite hint at the same SP
             * (PACIASP then AUTIASP), or with one bit off, or the other key */
            x = kind == 8 ? last ^ 1ull << (r % 64) : last;
            sp = last_sp;
            op = last_op ^ (kind == 9 ? 3u : 1u);
            back++;
            break;
        }
        hint_el1(hint[op], x, sp);
        uint64_t got = getx(30);
        hint_el1(plain[op], x, sp);
        uint64_t want = getx(30);
        if (got != want)
            fail_msg("hint %u: op %u x %llx sp %llx: %llx, the pseudocode gives %llx", i, op,
                     (unsigned long long)x, (unsigned long long)sp, (unsigned long long)got,
                     (unsigned long long)want);
        pool[npool < 64 ? npool++ : r % 64] = got;
        last = got;
        last_sp = sp;
        last_op = op;
    }
    assert_true(back > 500);    /* results went back through the opposite hint */
}

/* The PAC hints keep the current context id (CPUState.pac_hint_cur) until
 * an input of the context may change. A snapshot's restore changes the
 * registers all at once, without a system register write: it must drop the
 * id (cpu_update_mmu_context() does), or the restored key's PACIASP would
 * be answered with the entry made under the key written after the save.
 * (Arm ARM D8.8 AddPAC(): the PAC depends on the key.) */
static void test_hint_snapshot(void **state)
{
    (void)state;
    const uint64_t sp = 0x40300000ull;
    const PACKey k2 = { KIA.hi ^ 0x5a5a, KIA.lo };
    setup_pac(EnIA, 16);
    wsr("HCR_EL2", HCR_RW | HCR_API);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, KIA, 48));
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(a83_snapshot_save_mem(M, &buf, &len), A83_OK);
    wsr("APIAKeyHi_EL1", k2.hi);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, k2, 48));
    assert_int_equal(a83_snapshot_load_mem(M, buf, len), A83_OK);
    free(buf);
    assert_true(rsr("APIAKeyHi_EL1") == KIA.hi);
    hint_el1(PACIASP, PTR, sp);
    assert_true(getx(30) == exp_pac_notbi(PTR, sp, KIA, 48));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qarma_vector),
        cmocka_unit_test(test_qarma_helpers),
        cmocka_unit_test(test_qarma_fast_vs_reference),
        cmocka_unit_test_setup_teardown(test_pac_aut_roundtrip, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_upper_range, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_noncanonical, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_tbi, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_enables_off, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_z_and_sp_forms, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_xpac, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_pacga, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_hints, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_branches, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_branch_tbi, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_eretaa, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_ldra, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_key_regs, machine_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_el2_regimes, vhe_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_hint_memo, vhe_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_hint_memo_reverse, vhe_setup, machine_teardown),
        cmocka_unit_test_setup_teardown(test_hint_snapshot, vhe_setup, machine_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
