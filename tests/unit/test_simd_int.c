/*
 * AdvSIMD integer semantics (Arm ARM C7.2 pseudocode): saturation and the
 * sticky FPSR.QC bit (SignedSatQ/UnsignedSatQ), rounding doubling
 * multiplies including v8.1 SQRDMLAH/SQRDMLSH, narrowing, shifts with
 * 65-bit intermediates, TBL/TBX out-of-range indices, copies, modified
 * immediates, and UNDEFINED for reserved size/Q encodings.
 */
#include "simd_harness.h"

static a83_machine *M;

static int setup(void **state) { (void)state; M = h_new(); return 0; }
static int teardown(void **state) { (void)state; a83_machine_destroy(M); return 0; }

static void fpsr_set(uint64_t v) { assert_int_equal(a83_reg_write(M, 0, A83_REG_FPSR, v), A83_OK); }

/** v0 = d, v1 = n, v2 = m, FPSR = 0; runs insn; returns v0. */
static V128 op(uint32_t insn, V128 d, V128 n, V128 m)
{
    h_vset(M, 0, d);
    h_vset(M, 1, n);
    h_vset(M, 2, m);
    fpsr_set(0);
    h_exec(M, insn);
    return h_vget(M, 0);
}

static bool qc(void) { return (h_fpsr(M) & FPSR_QC) != 0; }

static const V128 Z = { 0, 0 };

/* SQADD/UQSUB saturate and set QC; an unsaturated result leaves QC clear;
 * QC is sticky (Arm ARM FPSR.QC: cumulative). */
static void test_qadd_qsub(void **state)
{
    (void)state;
    V128 n = { 0x000000000010807full, 0 }, m = { 0x000000000010ff01ull, 0 };
    /* sqadd v0.16b: 0x7f+1 -> 0x7f, -128+-1 -> -128, 0x10+0x10 = 0x20 */
    assert_v128(op(0x4e220c20, Z, n, m), 0x000000000020807full, 0);
    assert_true(qc());
    V128 n2 = { 0x0000000000000101ull, 0 };
    assert_v128(op(0x4e220c20, Z, n2, n2), 0x0000000000000202ull, 0);
    assert_false(qc());
    /* QC stays set across a non-saturating instruction */
    h_vset(M, 1, n2);
    h_vset(M, 2, n2);
    fpsr_set(FPSR_QC);
    h_exec(M, 0x4e220c20);
    assert_true(qc());
    /* uqsub v0.8h: 0 - 1 -> 0 (QC); 5 - 3 = 2 */
    V128 a = { 0x0000000000050000ull, 0 }, b = { 0x0000000000030001ull, 0 };
    assert_v128(op(0x6e622c20, Z, a, b), 0x0000000000020000ull, 0);
    assert_true(qc());
    /* sqadd d0, d1, d2: INT64_MAX + 1 saturates; scalar clears bits 127:64 */
    V128 big = { 0x7fffffffffffffffull, 9 }, one = { 1, 9 };
    assert_v128(op(0x5ee20c20, (V128){ 5, 5 }, big, one), 0x7fffffffffffffffull, 0);
    assert_true(qc());
}

/* SQDMULH / SQRDMULH / SQRDMLAH / SQRDMLSH (FEAT_RDM). */
static void test_doubling_mul(void **state)
{
    (void)state;
    V128 n = { 0x4000000080000000ull, 0 }, m = { 0x4000000080000000ull, 0 };
    /* sqdmulh v0.4s: INT32_MIN^2 saturates to INT32_MAX; 2^30*2^30*2 >> 32 = 2^29 */
    assert_v128(op(0x4ea2b420, Z, n, m), 0x200000007fffffffull, 0);
    assert_true(qc());
    /* sqrdmulh v0.8h: (2*0x4000*1 + 0x8000) >> 16 = 1 */
    V128 h1 = { 0x4000, 0 }, h2 = { 0x0001, 0 };
    assert_v128(op(0x6e62b420, Z, h1, h2), 1, 0);
    assert_false(qc());
    /* sqrdmlah v0.8h: lane 0: acc 1, 0x4000*0x4000 -> 0x2001; lane 1: 0x7fff +
     * 0x7fff^2 saturates to 0x7fff */
    V128 acc = { 0x7fff0001ull, 0 }, x = { 0x7fff4000ull, 0 };
    assert_v128(op(0x6e428420, acc, x, x), 0x7fff2001ull, 0);
    assert_true(qc());
    /* sqrdmlsh s0, s1, s2: 0 - 2*(-2^31)^2 + 2^31, >> 32 = INT32_MIN, no
     * saturation; bits 127:32 cleared */
    V128 s = { 0x80000000ull, 0 };
    assert_v128(op(0x7e828c20, (V128){ 0xffffffff00000000ull, 1 }, s, s), 0x80000000ull, 0);
    assert_false(qc());
    /* sqrdmlah v0.4s, v1.4s, v2.s[3]: each lane acc + (2*n*m[3] + 2^31) >> 32 */
    V128 vn = { 0x0000000240000000ull, 0 }, vm = { 0, 0x4000000000000000ull };
    assert_v128(op(0x6fa2d820, (V128){ 0x0000000500000003ull, 0 }, vn, vm),
                0x0000000620000003ull, 0);
}

/* Narrowing with saturation: SQXTN, SQXTUN2 (upper half, lower kept). */
static void test_narrow(void **state)
{
    (void)state;
    V128 n = { 0x0005ff800100ff00ull, 0x8000007f7fff0001ull };
    /* sqxtn v0.8b, v1.8h: -256 -> -128, 256 -> 127, -128, 5, 1, 127(0x7fff),
     * 0x7f, -32768 -> -128 */
    assert_v128(op(0x0e214820, Z, n, Z), 0x807f7f0105807f80ull, 0);
    assert_true(qc());
    /* sqxtun2 v0.16b, v1.8h: negative -> 0, > 255 -> 255, upper half only */
    assert_v128(op(0x6e212820, (V128){ 0x1122334455667788ull, 0xaaaa }, n, Z),
                0x1122334455667788ull, 0x007fff010500ff00ull);
    assert_true(qc());
}

/* Shifts: UQSHL by register (left by 63 fits, by 1 saturates, negative is a
 * right shift); SQSHLU; URSRA #1 with a 65-bit intermediate. */
static void test_shifts(void **state)
{
    (void)state;
    V128 n = { 1, 0x8000000000000000ull }, m = { 63, 1 };
    assert_v128(op(0x6ee24c20, Z, n, m), 0x8000000000000000ull, ~0ull);   /* uqshl v0.2d */
    assert_true(qc());
    V128 m2 = { 0xff, 0xc1 };   /* shifts -1 and -63 */
    assert_v128(op(0x6ee24c20, Z, n, m2), 0, 1);
    assert_false(qc());
    /* sqshlu v0.4s, v1.4s, #3: -1 -> 0 (QC), 2^28 << 3 = 2^31, 2^29 << 3 -> 0xffffffff, 1 -> 8 */
    V128 s = { 0x10000000ffffffffull, 0x0000000120000000ull };
    assert_v128(op(0x6f236420, Z, s, Z), 0x8000000000000000ull, 0x00000008ffffffffull);
    assert_true(qc());
    /* ursra d0, d1, #1: 1 + ((2^64 - 1 + 1) >> 1) = 2^63 + 1 */
    assert_v128(op(0x7f7f3420, (V128){ 1, 7 }, (V128){ ~0ull, 0 }, Z), 0x8000000000000001ull, 0);
    /* srshr v0.2d, v1.2d, #64: (x + 2^63) >> 64 is 0 for every signed x */
    assert_v128(op(0x4f402420, Z, (V128){ 0x7fffffffffffffffull, 0x8000000000000000ull }, Z), 0, 0);
}

/* SQABS/SQNEG of the most negative value saturate; SUQADD/USQADD. */
static void test_abs_neg_accum(void **state)
{
    (void)state;
    V128 n = { 0x80000000000001ffull, 0 };
    /* sqabs v0.16b: 0xff (-1) -> 1, 0x01 -> 1, 0x80 -> 0x7f */
    assert_v128(op(0x4e207820, Z, n, Z), 0x7f00000000000101ull, 0);
    assert_true(qc());
    assert_v128(op(0x7ee07820, Z, (V128){ 0x8000000000000000ull, 0 }, Z), 0x7fffffffffffffffull, 0);
    assert_true(qc());
    /* suqadd v0.8b, v1.8b: signed acc + unsigned n: 0x7f + 1 -> 0x7f; -128 + 255 = 127 */
    assert_v128(op(0x0e203820, (V128){ 0x807f, 0 }, (V128){ 0xff01, 0 }, Z), 0x7f7f, 0);
    assert_true(qc());
    /* usqadd v0.8b, v1.8b: unsigned acc + signed n: 1 + -2 -> 0; 0xf0 + 0x20 -> 0xff */
    assert_v128(op(0x2e203820, (V128){ 0xf001, 0 }, (V128){ 0x20fe, 0 }, Z), 0xff00, 0);
    assert_true(qc());
    /* sqdmlal v0.4s, v1.4h, v2.4h: INT32_MAX + 2*1*1 saturates */
    assert_v128(op(0x0e629020, (V128){ 0x7fffffff, 0 }, (V128){ 1, 0 }, (V128){ 1, 0 }),
                0x7fffffff, 0);
    assert_true(qc());
}

/* TBL: out-of-range indices give 0; TBX leaves the destination byte. The
 * table may wrap from V31 to V0, and include the destination itself. */
static void test_tbl_tbx(void **state)
{
    (void)state;
    V128 t1 = { 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull };
    V128 t2 = { 0x4746454443424140ull, 0x4f4e4d4c4b4a4948ull };
    V128 idx = { 0x05ff201f10000000ull, 0x0000000000000080ull };
    h_vset(M, 3, idx);
    /* tbl v0.16b, {v1.16b, v2.16b}, v3.16b: indices 0,0,0,0x10,0x1f,0x20,0xff,5,0x80,0... */
    assert_v128(op(0x4e032020, (V128){ ~0ull, ~0ull }, t1, t2), 0x1500004f40101010ull,
                0x1010101010101000ull);
    /* tbl v0.8b, {v1.16b}, v3.8b: 0x10 and above are out of range */
    assert_v128(op(0x0e030020, (V128){ ~0ull, ~0ull }, t1, t2), 0x1500000000101010ull, 0);
    /* tbx v0.8b, {v30.16b, v31.16b, v0.16b}, v3.8b: index 47 is v0 byte 15
     * (the original value), 48 is out of range (destination kept) */
    h_vset(M, 30, t1);
    h_vset(M, 31, t2);
    h_vset(M, 3, (V128){ 0x000000002f30201full, 0 });
    assert_v128(op(0x0e0353c0, (V128){ 0x8877665544332211ull, 0xab00000000000000ull }, Z, Z),
                0x10101010ab33114full, 0);
}

/* SMOV/UMOV/INS/DUP (general), MOVI 64-bit, MVNI MSL, EXT, ZIP2/UZP1/TRN2. */
static void test_copy_perm(void **state)
{
    (void)state;
    V128 n = { 0x0706050403020100ull, 0x80fedcba98765432ull };
    h_vset(M, 1, n);
    h_exec(M, 0x4e1f2c20);   /* smov x0, v1.b[15] */
    uint64_t x0;
    assert_int_equal(a83_reg_read(M, 0, A83_REG_X0, &x0), A83_OK);
    assert_int_equal(x0, 0xffffffffffffff80ull);
    h_exec(M, 0x0e1e3c20);   /* umov w0, v1.h[7] */
    assert_int_equal(a83_reg_read(M, 0, A83_REG_X0, &x0), A83_OK);
    assert_int_equal(x0, 0x80feull);
    assert_int_equal(a83_reg_write(M, 0, A83_REG_X0 + 1, 0x123456789abcdef0ull), A83_OK);
    h_vset(M, 0, (V128){ 1, 2 });
    h_exec(M, 0x4e1c1c20);   /* mov v0.s[3], w1: other lanes kept */
    assert_v128(h_vget(M, 0), 1, 0x9abcdef000000002ull);
    h_exec(M, 0x4e020c20);   /* dup v0.8h, w1 */
    assert_v128(h_vget(M, 0), 0xdef0def0def0def0ull, 0xdef0def0def0def0ull);
    h_exec(M, 0x6f05e540);   /* movi v0.2d, #0xff00ff00ff00ff00 */
    assert_v128(h_vget(M, 0), 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull);
    h_exec(M, 0x6f00d640);   /* mvni v0.4s, #0x12, msl #16: ~0x0012ffff */
    assert_v128(h_vget(M, 0), 0xffed0000ffed0000ull, 0xffed0000ffed0000ull);
    V128 a = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
    V128 b = { 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull };
    /* ext v0.16b, v1.16b, v2.16b, #13: bytes 13..15 of v1 then 0..12 of v2 */
    assert_v128(op(0x6e026820, Z, a, b), 0x14131211100f0e0dull,
                0x1c1b1a1918171615ull);
    /* zip2 v0.8h: upper halves interleaved */
    assert_v128(op(0x4e427820, Z, a, b), 0x1b1a0b0a19180908ull,
                0x1f1e0f0e1d1c0d0cull);
    /* uzp1 v0.4s: even words of v2:v1 */
    assert_v128(op(0x4e821820, Z, a, b), 0x0b0a090803020100ull, 0x1b1a191813121110ull);
    /* trn2 v0.16b: odd bytes, v1 then v2 */
    assert_v128(op(0x4e026820, Z, a, b), 0x1707150513031101ull, 0x1f0f1d0d1b0b1909ull);
    /* uaddlv h0, v1.16b: 16 * 0xff = 0xff0 */
    assert_v128(op(0x6e303820, (V128){ 1, 1 }, (V128){ ~0ull, ~0ull }, Z), 0xff0, 0);
}

/* Reserved encodings are UNDEFINED (EC 0x00): ADD .1D (size 11, Q 0), LD2
 * .1D (size 11, Q 0, more than one element), EXT .8B with imm4<3> = 1,
 * SQDMULH .16B (size 00). */
static void test_reserved_undef(void **state)
{
    (void)state;
    static const uint32_t bad[] = { 0x0ee28420, 0x0c408c00, 0x2e024020, 0x4e22b420 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
        assert_int_equal(h_run(M, &bad[i], 1), VBAR_PA + 0x200);
        uint64_t esr = 0;
        assert_int_equal(a83_sysreg_read(M, 0, "ESR_EL1", &esr), A83_OK);
        assert_int_equal(esr >> 26, 0);
    }
    assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
}

/* Every AdvSIMD instruction makes the FP access check first
 * (AArch64.CheckFPAdvSIMDEnabled): with CPACR_EL1.FPEN = 0 it traps to EL1
 * with EC 0x07, without side effects (a store writes no memory). */
static void test_fp_access_trap(void **state)
{
    (void)state;
    static const uint32_t insns[] = {
        0x4ee28420,   /* add v0.2d, v1.2d, v2.2d */
        0x4c007000,   /* st1 {v0.16b}, [x0] */
        0x4e284820,   /* aese v0.16b, v1.16b */
        0x0e1e3c20,   /* umov w0, v1.h[7] */
    };
    uint8_t before[16], after[16];
    memset(before, 0x5a, sizeof before);
    assert_int_equal(a83_phys_write(M, DATA_PA, before, sizeof before), A83_OK);
    h_vset(M, 0, (V128){ 1, 2 });
    for (unsigned i = 0; i < sizeof insns / sizeof insns[0]; i++) {
        assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
        assert_int_equal(a83_reg_write(M, 0, A83_REG_X0, DATA_PA), A83_OK);
        assert_int_equal(a83_sysreg_write(M, 0, "CPACR_EL1", 0), A83_OK);
        assert_int_equal(h_run(M, &insns[i], 1), VBAR_PA + 0x200);
        uint64_t esr = 0, x0 = 0;
        assert_int_equal(a83_sysreg_read(M, 0, "ESR_EL1", &esr), A83_OK);
        assert_int_equal(esr >> 26, 0x07);
        assert_int_equal(a83_reg_read(M, 0, A83_REG_X0, &x0), A83_OK);
        assert_int_equal(x0, DATA_PA);
    }
    assert_v128(h_vget(M, 0), 1, 2);
    assert_int_equal(a83_phys_read(M, DATA_PA, after, sizeof after), A83_OK);
    assert_memory_equal(before, after, sizeof before);
    assert_int_equal(a83_sysreg_write(M, 0, "CPACR_EL1", 3u << 20), A83_OK);
    assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qadd_qsub),
        cmocka_unit_test(test_doubling_mul),
        cmocka_unit_test(test_narrow),
        cmocka_unit_test(test_shifts),
        cmocka_unit_test(test_abs_neg_accum),
        cmocka_unit_test(test_tbl_tbx),
        cmocka_unit_test(test_copy_perm),
        cmocka_unit_test(test_reserved_undef),
        cmocka_unit_test(test_fp_access_trap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
