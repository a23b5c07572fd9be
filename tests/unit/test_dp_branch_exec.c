/*
 * Branch instructions executed through the public API (Arm ARM C4.1.3):
 * B, BL, B.cond for all 16 conditions and all NZCV values, CBZ/CBNZ (both
 * widths), TBZ/TBNZ (every bit), BR, BLR (including BLR X30), RET, and
 * unallocated neighbours.
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

/* C6.2.26 B, C6.2.34 BL: PC + SignExtend(imm26:'00'); BL writes PC + 4 to X30. */
static void test_b_bl(void **state)
{
    (void)state;
    exec1(enc_b(0, 5));
    assert_int_equal(getpc(), CODE_PA + 20);
    exec1(enc_b(0, -0x2000000));                 /* most negative: -128 MiB */
    assert_int_equal(getpc(), CODE_PA - 0x8000000ull);
    exec1(enc_b(0, 0x1ffffff));
    assert_int_equal(getpc(), CODE_PA + 0x7fffffcull);
    setx(30, 0);
    exec1(0x97fffffd);                           /* bl .-12 (GNU as) */
    assert_int_equal(getpc(), CODE_PA - 12);
    assert_int_equal(getx(30), CODE_PA + 4);
    /* A two-instruction program: b +2; (skipped) movz x0, #1; lands after */
    uint32_t prog[3] = { enc_b(0, 2), enc_movw(1, 2, 0, 1, 0), enc_movw(1, 2, 0, 2, 1) };
    setx(0, 0);
    setx(1, 0);
    run_code(prog, 3, 2);
    assert_int_equal(getx(0), 0);
    assert_int_equal(getx(1), 2);
    assert_int_equal(getpc(), CODE_PA + 12);
}

/* C6.2.25 B.cond: taken iff ConditionHolds(cond), for every cond and NZCV;
 * bit 4 = 1 (BC.cond, v8.8) and bit 24 = 1 are unallocated. */
static void test_bcond(void **state)
{
    (void)state;
    for (unsigned cond = 0; cond < 16; cond++)
        for (unsigned f = 0; f < 16; f++) {
            set_nzcv(f);
            exec1(enc_bcond(-4, cond));
            bool taken = ref_cond(cond, f >> 3, (f >> 2) & 1, (f >> 1) & 1, f & 1);
            assert_int_equal(getpc(), taken ? CODE_PA - 16 : CODE_PA + 4);
            assert_int_equal(get_nzcv(), f);
        }
    set_nzcv(0);
    exec1(0x5400008c);                           /* b.gt .+16 (GNU as) */
    assert_int_equal(getpc(), CODE_PA + 16);
    exec1(enc_bcond(0x3ffff, 14 /* AL */));
    assert_int_equal(getpc(), CODE_PA + 0xffffcull);
    exec1(enc_bcond(-0x40000, 15 /* NV */));         /* NV: always */
    assert_int_equal(getpc(), CODE_PA - 0x100000ull);
    expect_undef(enc_bcond(4, 0) | 0x10);
    expect_undef(enc_bcond(4, 0) | (1u << 24));
}

/* C6.2.47 CBZ, C6.2.46 CBNZ: Wt tests the low 32 bits only. */
static void test_cbz(void **state)
{
    (void)state;
    setx(3, 0x100000000ull);
    exec1(enc_cb(0, 0, 8, 3));                   /* cbz w3: taken (W = 0) */
    assert_int_equal(getpc(), CODE_PA + 32);
    exec1(enc_cb(1, 0, 8, 3));                   /* cbz x3: not taken */
    assert_int_equal(getpc(), CODE_PA + 4);
    exec1(enc_cb(0, 1, 8, 3));                   /* cbnz w3: not taken */
    assert_int_equal(getpc(), CODE_PA + 4);
    exec1(enc_cb(1, 1, -8, 3));                  /* cbnz x3: taken */
    assert_int_equal(getpc(), CODE_PA - 32);
    exec1(enc_cb(1, 0, 3, 31));                  /* cbz xzr: always taken */
    assert_int_equal(getpc(), CODE_PA + 12);
    setx(3, 1);
    exec1(0x350000e3);                           /* cbnz w3, .+28 (GNU as) */
    assert_int_equal(getpc(), CODE_PA + 28);
}

/* C6.2.331 TBZ, TBNZ: bit b5:b40 of Xt (Wt for b5 = 0). */
static void test_tbz(void **state)
{
    (void)state;
    for (unsigned bit = 0; bit < 64; bit++) {
        uint64_t v = 0x5a5a5a5a5a5a5a5aull ^ (bit * 0x0101010101010101ull);
        setx(6, v);
        bool set = (v >> bit) & 1;
        exec1(enc_tb(bit, 0, 3, 6));
        assert_int_equal(getpc(), set ? CODE_PA + 4 : CODE_PA + 12);
        exec1(enc_tb(bit, 1, -0x2000, 6));
        assert_int_equal(getpc(), set ? CODE_PA - 0x8000 : CODE_PA + 4);
    }
    setx(6, 0);
    exec1(0xb66fffc6);                           /* tbz x6, #45, .-8 (GNU as) */
    assert_int_equal(getpc(), CODE_PA - 8);
}

/* C6.2.37 BR, C6.2.35 BLR, C6.2.227 RET. */
static void test_br_blr_ret(void **state)
{
    (void)state;
    setx(9, 0x40123450);
    setx(30, 0);
    exec1(0xd63f0120);                           /* blr x9 (GNU as) */
    assert_int_equal(getpc(), 0x40123450);
    assert_int_equal(getx(30), CODE_PA + 4);
    exec1(0xd65f03c0);                           /* ret */
    assert_int_equal(getpc(), CODE_PA + 4);
    setx(5, 0x40000ff0);
    exec1(enc_br(2, 5));                         /* ret x5 */
    assert_int_equal(getpc(), 0x40000ff0);
    exec1(enc_br(0, 5));                         /* br x5 */
    assert_int_equal(getpc(), 0x40000ff0);
    setx(30, 0x40002000);
    exec1(enc_br(1, 30));                        /* blr x30: old X30 is the target */
    assert_int_equal(getpc(), 0x40002000);
    assert_int_equal(getx(30), CODE_PA + 4);
    /* Unallocated neighbours: opc = 0011, op2 != 11111, op4 != 0 with op3 = 0 */
    expect_undef(enc_br(3, 5));
    expect_undef(enc_br(0, 5) & ~(1u << 16));
    expect_undef(enc_br(0, 5) | 1);
    expect_undef(enc_br(6, 5));
    expect_undef(enc_br(7, 5));
}

/* AArch64.BranchAddr (Arm ARM J1): with TCR_EL1.TBI0/TBI1 the tag byte of a
 * BR/BLR/RET target is replaced by the sign extension of bit 55; without
 * TBI the target is used unchanged. */
static void test_br_tbi_el1(void **state)
{
    (void)state;
    const uint64_t TBI0 = 1ull << 37, TBI1 = 1ull << 38;
    a83_sysreg_write(M, 0, "TCR_EL1", 0);
    setx(5, 0x5a00000040000ff0ull);
    exec1(enc_br(0, 5));
    assert_int_equal(getpc(), 0x5a00000040000ff0ull);
    a83_sysreg_write(M, 0, "TCR_EL1", TBI0);
    exec1(enc_br(0, 5));
    assert_int_equal(getpc(), 0x0000000040000ff0ull);
    exec1(enc_br(2, 5));                           /* RET X5 */
    assert_int_equal(getpc(), 0x0000000040000ff0ull);
    exec1(enc_br(1, 5));                           /* BLR X5 */
    assert_int_equal(getpc(), 0x0000000040000ff0ull);
    assert_int_equal(getx(30), CODE_PA + 4);
    /* bit 55 set: TBI1 governs; without it the target is unchanged */
    setx(5, 0x34ffffffffff0000ull);
    exec1(enc_br(0, 5));
    assert_int_equal(getpc(), 0x34ffffffffff0000ull);
    a83_sysreg_write(M, 0, "TCR_EL1", TBI1);
    exec1(enc_br(0, 5));
    assert_int_equal(getpc(), 0xffffffffffff0000ull);
    /* canonical targets are never changed */
    setx(5, 0xffff000000001000ull);
    exec1(enc_br(0, 5));
    assert_int_equal(getpc(), 0xffff000000001000ull);
    a83_sysreg_write(M, 0, "TCR_EL1", 0);
}

/* At EL2 with HCR_EL2.E2H = 0 (one VA range) TCR_EL2.TBI makes BranchAddr
 * zero-extend bits [55:0], even for a target with bit 55 set. */
static void test_br_tbi_el2(void **state)
{
    (void)state;
    a83_config cfg;
    a83_machine *m2;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    assert_int_equal(a83_machine_create(&cfg, &m2), A83_OK);
    uint32_t w = enc_br(0, 5);
    uint64_t pc;
    assert_int_equal(a83_phys_write(m2, CODE_PA, &w, 4), A83_OK);
    assert_int_equal(a83_reg_write(m2, 0, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h */
    a83_sysreg_write(m2, 0, "HCR_EL2", 0);
    struct { uint64_t tcr, target, want; } t[] = {
        { 0, 0xff00000040000ff0ull, 0xff00000040000ff0ull },
        { 1ull << 20, 0xff00000040000ff0ull, 0x0000000040000ff0ull },
        { 1ull << 20, 0xffffffffffff0000ull, 0x00ffffffffff0000ull },
        { 1ull << 20, 0x0000000040000ff0ull, 0x0000000040000ff0ull },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(a83_sysreg_write(m2, 0, "TCR_EL2", t[i].tcr), A83_OK);
        a83_reg_write(m2, 0, (a83_reg)5, t[i].target);
        a83_reg_write(m2, 0, A83_REG_PC, CODE_PA);
        assert_int_equal(a83_run(m2, 1, NULL), A83_OK);
        a83_reg_read(m2, 0, A83_REG_PC, &pc);
        assert_int_equal(pc, t[i].want);
    }
    a83_machine_destroy(m2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b_bl),
        cmocka_unit_test(test_bcond),
        cmocka_unit_test(test_cbz),
        cmocka_unit_test(test_tbz),
        cmocka_unit_test(test_br_blr_ret),
        cmocka_unit_test(test_br_tbi_el1),
        cmocka_unit_test(test_br_tbi_el2),
    };
    return cmocka_run_group_tests(tests, machine_setup, machine_teardown);
}
