/*
 * Single-register loads and stores (Arm ARM C4.1.x "Load/store register
 * (...)" and "Load register (literal)", C6.2 LDR/STR/LDRB/.../LDTR/PRFM,
 * C7.2 LDR/STR (SIMD&FP)): every addressing mode, sign extension, writeback,
 * the SIMD&FP forms, prefetches, SP as base and XZR as data.
 */
#include "ldst_test_util.h"

static a83_machine *m;

static int setup(void **state)
{
    (void)state;
    m = tm_create(1);
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(m);
    return 0;
}

/* The encoders agree with the GNU assembler (aarch64-linux-gnu-as). */
static void test_encoders(void **state)
{
    (void)state;
    assert_int_equal(enc_uimm(3, 0, 1, 1, 2, 1), 0xf9400441);          /* ldr x1, [x2, #8] */
    assert_int_equal(enc_imm9(0, 0, 3, -3, IDX_PRE, 4, 3), 0x38dfdc83); /* ldrsb w3, [x4, #-3]! */
    assert_int_equal(enc_imm9(1, 0, 2, 6, IDX_POST, 31, 5), 0x788067e5); /* ldrsh x5, [sp], #6 */
    assert_int_equal(enc_reg(2, 0, 1, 8, OPT_SXTW, 1, 7, 6), 0xb868d8e6); /* ldr w6, [x7, w8, sxtw #2] */
    assert_int_equal(enc_reg(0, 1, 3, 11, OPT_LSL, 1, 10, 9), 0x3ceb7949); /* ldr q9, [x10, x11, lsl #4] */
    assert_int_equal(enc_pair(2, 0, PIDX_PRE, 1, -2, 2, 31, 1), 0xa9ff0be1); /* ldp x1, x2, [sp, #-16]! */
    assert_int_equal(enc_pair(1, 0, PIDX_POST, 1, 2, 4, 5, 3), 0x68c110a3); /* ldpsw x3, x4, [x5], #8 */
    assert_int_equal(enc_pair(1, 1, PIDX_NA, 0, 2, 2, 3, 1), 0x6c010861); /* stnp d1, d2, [x3, #16] */
    assert_int_equal(enc_ldxr(2, 0, 2, 1), 0x885f7c41);                 /* ldxr w1, [x2] */
    assert_int_equal(enc_stxr(3, 1, 3, 5, 4), 0xc803fca4);              /* stlxr w3, x4, [x5] */
    assert_int_equal(enc_ldxp(1, 1, 7, 8, 6), 0xc87f9d06);              /* ldaxp x6, x7, [x8] */
    assert_int_equal(enc_ldar(3, 10, 9), 0xc8dffd49);                   /* ldar x9, [x10] */
    assert_int_equal(enc_atomic(3, 1, 1, 1, 0, OP_ADD, 3, 2), 0xf8e10062); /* ldaddal x1, x2, [x3] */
    assert_int_equal(enc_atomic(0, 0, 0, 4, 0, OP_UMAX, 5, 31), 0x382460bf); /* stumaxb w4, [x5] */
    assert_int_equal(enc_atomic(2, 0, 1, 6, 1, 0, 8, 7), 0xb8668107);   /* swpl w6, w7, [x8] */
    assert_int_equal(enc_cas(0, 1, 0, 9, 11, 10), 0x08e97d6a);          /* casab w9, w10, [x11] */
    assert_int_equal(enc_casp(1, 1, 1, 0, 4, 2), 0x4860fc82);           /* caspal x0, x1, x2, x3, [x4] */
    assert_int_equal(enc_ldapr(1, 13, 12), 0x78bfc1ac);                 /* ldaprh w12, [x13] */
    assert_int_equal(enc_imm9(1, 0, 2, -2, IDX_UNPRIV, 15, 14), 0x789fe9ee); /* ldtrsh x14, [x15, #-2] */
    assert_int_equal(enc_lit(0, 0, 2, 16), 0x18000050);                 /* ldr w16, .+8 */
    assert_int_equal(enc_reg(3, 0, 2, 2, OPT_LSL, 0, 1, 0), 0xf8a26820); /* prfm pldl1keep, [x1, x2] */
    assert_int_equal(enc_imm9(3, 1, 1, -8, IDX_PRE, 4, 3), 0xfc5f8c83); /* ldr d3, [x4, #-8]! */
}

/* LDR/LDRB/LDRH/LDRSB/LDRSH/LDRSW (immediate, unsigned offset): zero and
 * sign extension to W and X (Arm ARM C6.2 LDRSB: "sign-extends ... writes
 * the result to a 32-bit or 64-bit register"). */
static void test_uimm_loads(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA, 8, 0x8899aabbccddeeffull);
    tm_wr(m, DATA_PA + 8, 8, 0x0123456789abcdefull);
    tm_setx(m, 0, 1, DATA_PA);
    for (unsigned r = 2; r < 12; r++)
        tm_setx(m, 0, r, 0x5555555555555555ull);
    uint32_t code[] = {
        enc_uimm(3, 0, 1, 1, 1, 2),    /* ldr x2, [x1, #8] */
        enc_uimm(2, 0, 1, 1, 1, 3),    /* ldr w3, [x1, #4] */
        enc_uimm(1, 0, 1, 3, 1, 4),    /* ldrh w4, [x1, #6] */
        enc_uimm(0, 0, 1, 7, 1, 5),    /* ldrb w5, [x1, #7] */
        enc_uimm(0, 0, 2, 7, 1, 6),    /* ldrsb x6, [x1, #7] */
        enc_uimm(0, 0, 3, 7, 1, 7),    /* ldrsb w7, [x1, #7] */
        enc_uimm(1, 0, 2, 3, 1, 8),    /* ldrsh x8, [x1, #6] */
        enc_uimm(1, 0, 3, 3, 1, 9),    /* ldrsh w9, [x1, #6] */
        enc_uimm(2, 0, 2, 1, 1, 10),   /* ldrsw x10, [x1, #4] */
        enc_uimm(0, 0, 2, 8, 1, 11),   /* ldrsb x11, [x1, #8] (0xef) */
    };
    tm_run(m, code, sizeof code / 4);
    assert_int_equal(tm_x(m, 0, 2), 0x0123456789abcdefull);
    assert_int_equal(tm_x(m, 0, 3), 0x8899aabbull);
    assert_int_equal(tm_x(m, 0, 4), 0x8899ull);
    assert_int_equal(tm_x(m, 0, 5), 0x88ull);
    assert_int_equal(tm_x(m, 0, 6), 0xffffffffffffff88ull);
    assert_int_equal(tm_x(m, 0, 7), 0xffffff88ull);
    assert_int_equal(tm_x(m, 0, 8), 0xffffffffffff8899ull);
    assert_int_equal(tm_x(m, 0, 9), 0xffff8899ull);
    assert_int_equal(tm_x(m, 0, 10), 0xffffffff8899aabbull);
    assert_int_equal(tm_x(m, 0, 11), 0xffffffffffffffefull);
}

/* STR/STRB/STRH (immediate, unsigned offset) store the low bits; STR XZR
 * stores zero (register 31 is XZR as data, Arm ARM C1.2.5). */
static void test_uimm_stores(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA, 8, 0x1111111111111111ull);
    tm_wr(m, DATA_PA + 8, 8, 0x2222222222222222ull);
    tm_wr(m, DATA_PA + 16, 8, 0x3333333333333333ull);
    tm_setx(m, 0, 1, DATA_PA);
    tm_setx(m, 0, 2, 0xa1a2a3a4a5a6a7a8ull);
    uint32_t code[] = {
        enc_uimm(0, 0, 0, 1, 1, 2),    /* strb w2, [x1, #1] */
        enc_uimm(1, 0, 0, 2, 1, 2),    /* strh w2, [x1, #4] */
        enc_uimm(2, 0, 0, 3, 1, 2),    /* str w2, [x1, #12] */
        enc_uimm(3, 0, 0, 2, 1, 31),   /* str xzr, [x1, #16] */
    };
    tm_run(m, code, 4);
    assert_int_equal(tm_rd(m, DATA_PA, 8), 0x1111a7a81111a811ull);
    assert_int_equal(tm_rd(m, DATA_PA + 8, 8), 0xa5a6a7a822222222ull);
    assert_int_equal(tm_rd(m, DATA_PA + 16, 8), 0);
}

/* LDUR/STUR with negative offsets, pre-index and post-index writeback
 * (Arm ARM C6.2 LDR (immediate): "Pre-index ... writes back", "Post-index"). */
static void test_imm9_writeback(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x100, 8, 0xfedcba9876543210ull);
    tm_wr(m, DATA_PA + 0x108, 8, 0x0f0e0d0c0b0a0908ull);
    tm_setx(m, 0, 1, DATA_PA + 0x110);
    tm_setx(m, 0, 3, DATA_PA + 0x100);
    tm_setx(m, 0, 5, DATA_PA + 0x201);
    tm_setx(m, 0, 6, 0x77);
    uint32_t code[] = {
        enc_imm9(3, 0, 1, -16, IDX_UNSCALED, 1, 2),   /* ldur x2, [x1, #-16] */
        enc_imm9(1, 0, 3, 8, IDX_PRE, 3, 4),          /* ldrsh w4, [x3, #8]! -> x3 += 8 */
        enc_imm9(0, 0, 0, -1, IDX_POST, 5, 6),        /* strb w6, [x5], #-1 */
        enc_imm9(2, 0, 2, 4, IDX_POST, 3, 7),         /* ldrsw x7, [x3], #4 */
        enc_imm9(3, 0, 0, -8, IDX_UNSCALED, 5, 2),    /* stur x2, [x5, #-8] -> 0x1f8 */
    };
    tm_run(m, code, 5);
    assert_int_equal(tm_x(m, 0, 2), 0xfedcba9876543210ull);
    assert_int_equal(tm_x(m, 0, 4), 0x0908ull);
    assert_int_equal(tm_x(m, 0, 3), DATA_PA + 0x10c);
    assert_int_equal(tm_x(m, 0, 7), 0x0b0a0908ull);
    assert_int_equal(tm_x(m, 0, 5), DATA_PA + 0x200);
    assert_int_equal(tm_rd(m, DATA_PA + 0x201, 1), 0x77);
    assert_int_equal(tm_rd(m, DATA_PA + 0x1f8, 8), 0xfedcba9876543210ull);
}

/* Writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE, Arm ARM K1.2): our
 * documented choice is Constraint_WBSUPPRESS for loads and Constraint_NONE
 * (store the original value) for stores. */
static void test_writeback_overlap(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x300, 8, 0x1234ull);
    tm_setx(m, 0, 1, DATA_PA + 0x300);
    tm_setx(m, 0, 2, DATA_PA + 0x310);
    uint32_t code[] = {
        enc_imm9(3, 0, 1, 8, IDX_POST, 1, 1),   /* ldr x1, [x1], #8 */
        enc_imm9(3, 0, 0, 8, IDX_PRE, 2, 2),    /* str x2, [x2, #8]! */
    };
    tm_run(m, code, 2);
    assert_int_equal(tm_x(m, 0, 1), 0x1234ull);
    assert_int_equal(tm_x(m, 0, 2), DATA_PA + 0x318);
    assert_int_equal(tm_rd(m, DATA_PA + 0x318, 8), DATA_PA + 0x310);
}

/* LDR/STR (register): UXTW, SXTW (negative index), LSL with scale, SXTX,
 * and without scale (Arm ARM C6.2 LDR (register), ExtendReg()). */
static void test_register_offset(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 16; i++)
        tm_wr(m, DATA_PA + 0x400 + 8 * i, 8, 0x1000ull + i);
    tm_setx(m, 0, 1, DATA_PA + 0x440);
    tm_setx(m, 0, 2, 0xffffffff00000003ull);     /* UXTW -> 3, SXTW -> 3 */
    tm_setx(m, 0, 3, 0x00000000fffffffeull);     /* SXTW -> -2 */
    tm_setx(m, 0, 4, (uint64_t)-16);             /* SXTX / LSL: -16 */
    tm_setx(m, 0, 9, 0xabcd);
    uint32_t code[] = {
        enc_reg(3, 0, 1, 2, OPT_UXTW, 1, 1, 5),  /* ldr x5, [x1, w2, uxtw #3] -> +24 */
        enc_reg(3, 0, 1, 3, OPT_SXTW, 1, 1, 6),  /* ldr x6, [x1, w3, sxtw #3] -> -16 */
        enc_reg(3, 0, 1, 4, OPT_SXTX, 0, 1, 7),  /* ldr x7, [x1, x4, sxtx] -> -16 */
        enc_reg(2, 0, 1, 4, OPT_LSL, 1, 1, 8),   /* ldr w8, [x1, x4, lsl #2] -> -64 */
        enc_reg(1, 0, 0, 2, OPT_UXTW, 0, 1, 9),  /* strh w9, [x1, w2, uxtw] -> +3? unaligned */
    };
    /* the last one is unaligned under MMU-off Device memory: run the first 4 */
    tm_run(m, code, 4);
    assert_int_equal(tm_x(m, 0, 5), 0x100bull);
    assert_int_equal(tm_x(m, 0, 6), 0x1006ull);
    assert_int_equal(tm_x(m, 0, 7), 0x1006ull);
    assert_int_equal(tm_x(m, 0, 8), 0x1000ull);
    uint32_t st[] = { enc_reg(1, 0, 0, 2, OPT_UXTW, 1, 1, 9) };  /* strh w9, [x1, w2, uxtw #1] */
    tm_run(m, st, 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x446, 2), 0xabcd);
    /* The unscaled STRH at +3 is misaligned: Device memory alignment fault
     * (Arm ARM B2.5.2), DFSC 0b100001, WnR = 1, FAR = the VA. */
    tm_expect_fault(m, code[4], ESR_DABT_CUR(ISS_WNR | DFSC_ALIGN), true, DATA_PA + 0x443);
}

/* LDR (literal) W, X, LDRSW; PRFM (literal) is a no-op. */
static void test_literal(void **state)
{
    (void)state;
    uint32_t code[] = {
        enc_lit(0, 0, 4, 1),            /* ldr w1, .+16 */
        enc_lit(1, 0, 3, 2),            /* ldr x2, .+12 (8-aligned: CODE_PA+16) */
        enc_lit(2, 0, 3, 3),            /* ldrsw x3, .+12 -> word at +20 */
        enc_lit(3, 0, -100, 0),         /* prfm pldl1keep, .-400 */
        0x89abcdefu, 0x81234567u,
    };
    tm_run_words(m, code, sizeof code / 4, 4);
    assert_int_equal(tm_x(m, 0, 1), 0x89abcdefull);
    assert_int_equal(tm_x(m, 0, 2), 0x8123456789abcdefull);
    assert_int_equal(tm_x(m, 0, 3), 0xffffffff81234567ull);
}

/* SIMD&FP LDR/STR: B/H/S/D/Q, the V[] write zeroes the upper bits (Arm
 * ARM C7.2 LDR (immediate, SIMD&FP)), literal S/D/Q, register offset. */
static void test_simd_fp(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 8; i++)
        tm_wr(m, DATA_PA + 0x500 + 8 * i, 8, 0x0706050403020100ull + 0x0808080808080808ull * i);
    for (unsigned v = 0; v < 8; v++)
        a83_vreg_write(m, 0, v, ~0ull, ~0ull);
    tm_setx(m, 0, 1, DATA_PA + 0x500);
    tm_setx(m, 0, 2, 2);
    uint32_t code[] = {
        enc_uimm(0, 1, 1, 3, 1, 0),            /* ldr b0, [x1, #3] */
        enc_uimm(1, 1, 1, 1, 1, 1),            /* ldr h1, [x1, #2] */
        enc_imm9(2, 1, 1, 4, IDX_UNSCALED, 1, 2), /* ldur s2, [x1, #4] */
        enc_uimm(0, 1, 3, 1, 1, 3),            /* ldr q3, [x1, #16] */
        enc_reg(3, 1, 1, 2, OPT_LSL, 1, 1, 4), /* ldr d4, [x1, x2, lsl #3] */
        enc_imm9(0, 1, 2, 32, IDX_PRE, 1, 3),  /* str q3, [x1, #32]! */
        enc_lit(2, 1, 2, 5),                   /* ldr q5, .+8 */
        enc_lit(0, 1, 1, 6),                   /* ldr s6, .+4 */
        0x11223344u, 0x55667788u, 0x99aabbccu, 0xddeeff00u,
    };
    tm_run_words(m, code, sizeof code / 4, 8);
    uint64_t lo, hi;
    a83_vreg_read(m, 0, 0, &lo, &hi);
    assert_int_equal(lo, 0x03); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 1, &lo, &hi);
    assert_int_equal(lo, 0x0302); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 2, &lo, &hi);
    assert_int_equal(lo, 0x07060504); assert_int_equal(hi, 0);
    a83_vreg_read(m, 0, 3, &lo, &hi);
    assert_int_equal(lo, 0x1716151413121110ull); assert_int_equal(hi, 0x1f1e1d1c1b1a1918ull);
    a83_vreg_read(m, 0, 4, &lo, &hi);
    assert_int_equal(lo, 0x1716151413121110ull); assert_int_equal(hi, 0);
    assert_int_equal(tm_x(m, 0, 1), DATA_PA + 0x520);
    assert_int_equal(tm_rd(m, DATA_PA + 0x520, 8), 0x1716151413121110ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x528, 8), 0x1f1e1d1c1b1a1918ull);
    a83_vreg_read(m, 0, 5, &lo, &hi);
    assert_int_equal(lo, 0x5566778811223344ull); assert_int_equal(hi, 0xddeeff0099aabbccull);
    a83_vreg_read(m, 0, 6, &lo, &hi);
    assert_int_equal(lo, 0x11223344ull); assert_int_equal(hi, 0);
}

/* LDTR/STTR at EL1 access memory with EL0 permissions (MMU off: no
 * permission check, so the access is performed); LDTRSB sign-extends. */
static void test_unprivileged(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x600, 8, 0x00000000000000f0ull);
    tm_setx(m, 0, 1, DATA_PA + 0x608);
    tm_setx(m, 0, 2, 0xcafef00dull);
    uint32_t code[] = {
        enc_imm9(0, 0, 2, -8, IDX_UNPRIV, 1, 3),  /* ldtrsb x3, [x1, #-8] */
        enc_imm9(2, 0, 0, 4, IDX_UNPRIV, 1, 2),   /* sttr w2, [x1, #4] */
    };
    tm_run(m, code, 2);
    assert_int_equal(tm_x(m, 0, 3), 0xfffffffffffffff0ull);
    assert_int_equal(tm_rd(m, DATA_PA + 0x60c, 4), 0xcafef00dull);
    assert_int_equal(tm_x(m, 0, 1), DATA_PA + 0x608);
}

/* PRFM/PRFUM are hints: no access, no fault even for an unmapped and
 * misaligned address (Arm ARM C6.2 PRFM: "prefetch memory ... hint"). */
static void test_prefetch(void **state)
{
    (void)state;
    tm_setx(m, 0, 1, 0xdead0001ull);
    tm_setx(m, 0, 2, 0x3);
    uint32_t code[] = {
        enc_uimm(3, 0, 2, 5, 1, 0),                     /* prfm pldl1keep, [x1, #40] */
        enc_imm9(3, 0, 2, -1, IDX_UNSCALED, 1, 0x11),   /* prfum pstl1keep, [x1, #-1] */
        enc_reg(3, 0, 2, 2, OPT_LSL, 1, 1, 0),          /* prfm pldl1keep, [x1, x2, lsl #3] */
    };
    tm_run(m, code, 3);
}

/* SP as base register (register 31 in Rn), and SP alignment checking when
 * SCTLR_EL1.SA is set (Arm ARM D1.8.2, EC 0x26). */
static void test_sp_base(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x700, 8, 0x5a5a5a5a5a5a5a5aull);
    tm_setx(m, 0, 31, DATA_PA + 0x6f8);
    uint32_t code[] = {
        enc_uimm(3, 0, 1, 1, 31, 1),                    /* ldr x1, [sp, #8] */
        enc_imm9(3, 0, 0, -8, IDX_PRE, 31, 1),          /* str x1, [sp, #-8]! */
    };
    tm_run(m, code, 2);
    assert_int_equal(tm_x(m, 0, 1), 0x5a5a5a5a5a5a5a5aull);
    assert_int_equal(tm_x(m, 0, 31), DATA_PA + 0x6f0);
    assert_int_equal(tm_rd(m, DATA_PA + 0x6f0, 8), 0x5a5a5a5a5a5a5a5aull);

    uint64_t sctlr = tm_sysreg(m, 0, "SCTLR_EL1");
    assert_int_equal(a83_sysreg_write(m, 0, "SCTLR_EL1", sctlr | (1u << 3)), A83_OK);
    tm_setx(m, 0, 31, DATA_PA + 0x6f8);          /* not 16-byte aligned */
    tm_expect_fault(m, enc_uimm(3, 0, 1, 0, 31, 1), (0x26u << 26) | ESR_IL, false, 0);
    /* a base other than SP is not checked; PRFM is not checked */
    tm_setx(m, 0, 2, DATA_PA + 0x6f8);
    uint32_t ok[] = { enc_uimm(3, 0, 1, 0, 2, 3), enc_uimm(3, 0, 2, 0, 31, 0) };
    tm_run(m, ok, 2);
    assert_int_equal(a83_sysreg_write(m, 0, "SCTLR_EL1", sctlr), A83_OK);
}

/* Unallocated encodings are UNDEFINED (EC 0): LDRSW with opc 11, a
 * register offset with option<1> = 0, Q with size != 0, LDTR of SIMD&FP. */
static void test_unallocated(void **state)
{
    (void)state;
    tm_setx(m, 0, 1, DATA_PA);
    uint32_t bad[] = {
        enc_uimm(2, 0, 3, 0, 1, 2),              /* size 10 opc 11 */
        enc_uimm(3, 0, 3, 0, 1, 2),              /* size 11 opc 11 */
        enc_reg(3, 0, 1, 2, 0, 0, 1, 2),         /* option 000 */
        enc_uimm(1, 1, 3, 0, 1, 2),              /* SIMD size 01 opc 11 */
        enc_imm9(3, 0, 2, 0, IDX_PRE, 1, 2),     /* PRFM pre-index */
        enc_pair(3, 0, PIDX_OFF, 1, 0, 3, 1, 2), /* pair opc 11 */
        enc_pair(1, 0, PIDX_OFF, 0, 0, 3, 1, 2), /* STPSW does not exist */
        enc_pair(1, 0, PIDX_NA, 1, 0, 3, 1, 2),  /* LDNPSW does not exist */
        enc_lit(3, 1, 1, 2),                     /* LDR literal SIMD opc 11 */
        enc_excl(3, 1, 1, 0, 31, 0, 31, 1, 2),   /* LDLAR without FEAT_LOR */
    };
    for (unsigned i = 0; i < sizeof bad / 4; i++)
        tm_expect_fault(m, bad[i], ESR_IL, false, 0);
}

/* Every SIMD&FP load/store makes the FP access check first: with
 * CPACR_EL1.FPEN = 0 it traps with EC 0x07 (Arm ARM D1.13.x,
 * AArch64.CheckFPAdvSIMDEnabled), before any access (the address here is
 * unmapped and would otherwise abort). */
static void test_fp_trap(void **state)
{
    (void)state;
    assert_int_equal(a83_sysreg_write(m, 0, "CPACR_EL1", 0), A83_OK);
    tm_setx(m, 0, 1, 0x10000000ull);
    uint32_t insns[] = {
        enc_uimm(3, 1, 1, 0, 1, 0),                 /* ldr d0, [x1] */
        enc_imm9(0, 1, 2, 16, IDX_POST, 1, 0),      /* str q0, [x1], #16 */
        enc_reg(2, 1, 0, 2, OPT_LSL, 0, 1, 0),      /* str s0, [x1, x2] */
        enc_lit(1, 1, 4, 0),                        /* ldr d0, .+16 */
        enc_pair(2, 1, PIDX_OFF, 1, 0, 1, 1, 0),    /* ldp q0, q1, [x1] */
    };
    for (unsigned i = 0; i < sizeof insns / 4; i++) {
        /* ISS: CV = 1, COND = 0b1110 for a trap from AArch64 */
        tm_expect_fault(m, insns[i], (0x07u << 26) | ESR_IL | 1u << 24 | 0xeu << 20, false, 0);
        assert_int_equal(tm_x(m, 0, 1), 0x10000000ull);
    }
    assert_int_equal(a83_sysreg_write(m, 0, "CPACR_EL1", CPACR_FPEN_ALL), A83_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoders),
        cmocka_unit_test(test_uimm_loads),
        cmocka_unit_test(test_uimm_stores),
        cmocka_unit_test(test_imm9_writeback),
        cmocka_unit_test(test_writeback_overlap),
        cmocka_unit_test(test_register_offset),
        cmocka_unit_test(test_literal),
        cmocka_unit_test(test_simd_fp),
        cmocka_unit_test(test_fp_trap),
        cmocka_unit_test(test_unprivileged),
        cmocka_unit_test(test_prefetch),
        cmocka_unit_test(test_sp_base),
        cmocka_unit_test(test_unallocated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
