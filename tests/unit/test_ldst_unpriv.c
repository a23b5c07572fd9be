/*
 * LDTR/STTR with the stage-1 MMU on (Arm ARM C6.2 LDTR: "the access is
 * made as if at EL0" when executed at EL1, unless PSTATE.UAO is 1; D8.4.x
 * PSTATE.PAN does not affect LDTR/STTR). Page tables: 4 KiB granule,
 * T0SZ = 25 (walk starts at level 1), 2 MiB blocks:
 *   VA 0x40000000 -> PA 0x40000000  AP = 00 (EL1 RW, EL0 none)  code
 *   VA 0x40200000 -> PA 0x40200000  AP = 01 (EL1 RW, EL0 RW)    "user" data
 *   VA 0x40400000 -> PA 0x40400000  AP = 00                      "kernel" data
 */
#include "ldst_test_util.h"

#define L1_PA   0x40600000ull
#define L2_PA   0x40601000ull
#define USER_VA 0x40200000ull
#define KERN_VA 0x40400000ull

#define DESC_TABLE 0x3ull
#define DESC_BLOCK 0x1ull
#define DESC_AF    (1ull << 10)
#define DESC_SH_IS (3ull << 8)
#define DESC_AP_EL0 (1ull << 6)     /* AP[1]: EL0 access */
#define DESC_PXN   (1ull << 53)
#define DESC_UXN   (1ull << 54)

#define PSTATE_EL1H 0x3c5ull        /* EL1h, DAIF masked */
#define PSTATE_PAN  (1ull << 22)
#define PSTATE_UAO  (1ull << 23)

/* DFSC of a level-2 permission fault (Arm ARM D17.2.37) */
#define DFSC_PERM_L2 0x0Eu

static a83_machine *m;

/* Builds the page tables and turns the EL1&0 stage-1 MMU on for CPU 0 of mm. */
static void mmu_setup(a83_machine *mm)
{
    tm_wr(mm, L1_PA + 8 * 1, 8, L2_PA | DESC_TABLE);               /* VA 1 GiB .. 2 GiB */
    uint64_t blk = DESC_BLOCK | DESC_AF | DESC_SH_IS;               /* AttrIndx 0 */
    tm_wr(mm, L2_PA + 8 * 0, 8, 0x40000000ull | blk);
    tm_wr(mm, L2_PA + 8 * 1, 8, USER_VA | blk | DESC_AP_EL0 | DESC_PXN | DESC_UXN);
    tm_wr(mm, L2_PA + 8 * 2, 8, KERN_VA | blk | DESC_PXN | DESC_UXN);
    assert_int_equal(a83_sysreg_write(mm, 0, "MAIR_EL1", 0xff), A83_OK);   /* Normal WB */
    /* TCR_EL1: T0SZ 25, IRGN0/ORGN0 WBWA, SH0 inner, TG0 4K, EPD1, IPS 40 bits */
    uint64_t tcr = 25 | 1u << 8 | 1u << 10 | 3u << 12 | 1u << 23 | 2ull << 32;
    assert_int_equal(a83_sysreg_write(mm, 0, "TCR_EL1", tcr), A83_OK);
    assert_int_equal(a83_sysreg_write(mm, 0, "TTBR0_EL1", L1_PA), A83_OK);
    uint64_t sctlr = tm_sysreg(mm, 0, "SCTLR_EL1");
    assert_int_equal(a83_sysreg_write(mm, 0, "SCTLR_EL1", sctlr | 1), A83_OK);   /* M */
}

static int setup(void **state)
{
    (void)state;
    m = tm_create(1);
    mmu_setup(m);
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(m);
    return 0;
}

static void set_pstate(uint64_t bits)
{
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, PSTATE_EL1H | bits), A83_OK);
}

/* At EL1, LDTR/STTR of an EL0-accessible page succeed; LDTR of an
 * EL1-only page is a permission fault (as at EL0), while LDR succeeds. */
static void test_ldtr_el0_permissions(void **state)
{
    (void)state;
    set_pstate(0);
    tm_wr(m, USER_VA + 0x10, 8, 0x1122334455667788ull);
    tm_wr(m, KERN_VA + 0x10, 8, 0x99aabbccddeeff00ull);
    tm_setx(m, 0, 1, USER_VA);
    tm_setx(m, 0, 2, KERN_VA);
    tm_setx(m, 0, 5, 0xabcdef);
    uint32_t code[] = {
        enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 1, 3),   /* ldtr x3, [x1, #16] */
        enc_imm9(2, 0, 0, 0x20, IDX_UNPRIV, 1, 5),   /* sttr w5, [x1, #32] */
        enc_uimm(3, 0, 1, 2, 2, 4),                  /* ldr x4, [x2, #16] */
    };
    tm_run(m, code, 3);
    assert_int_equal(tm_x(m, 0, 3), 0x1122334455667788ull);
    assert_int_equal(tm_rd(m, USER_VA + 0x20, 4), 0xabcdef);
    assert_int_equal(tm_x(m, 0, 4), 0x99aabbccddeeff00ull);
    /* ldtr x6, [x2, #16]: EL0 has no access -> permission fault, level 2 */
    tm_expect_fault(m, enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 2, 6), ESR_DABT_CUR(DFSC_PERM_L2), true,
                    KERN_VA + 0x10);
    /* sttrb w5, [x2]: likewise, WnR = 1 */
    tm_expect_fault(m, enc_imm9(0, 0, 0, 0, IDX_UNPRIV, 2, 5),
                    ESR_DABT_CUR(ISS_WNR | DFSC_PERM_L2), true, KERN_VA);
}

/* PSTATE.PAN = 1: LDR of an EL0-accessible page faults, LDTR does not. */
static void test_pan(void **state)
{
    (void)state;
    set_pstate(PSTATE_PAN);
    tm_setx(m, 0, 1, USER_VA);
    uint32_t ok[] = { enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 1, 3) };   /* ldtr x3, [x1, #16] */
    tm_setx(m, 0, 3, 0);
    tm_run(m, ok, 1);
    assert_int_equal(tm_x(m, 0, 3), 0x1122334455667788ull);
    tm_expect_fault(m, enc_uimm(3, 0, 1, 2, 1, 3), ESR_DABT_CUR(DFSC_PERM_L2), true, USER_VA + 0x10);
    set_pstate(0);
}

/* PSTATE.UAO = 1: LDTR/STTR at EL1 use EL1 permissions (FEAT_UAO), so an
 * EL1-only page is accessible and PAN applies to them as to LDR. */
static void test_uao(void **state)
{
    (void)state;
    set_pstate(PSTATE_UAO);
    tm_setx(m, 0, 2, KERN_VA);
    uint32_t ok[] = { enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 2, 6) };   /* ldtr x6, [x2, #16] */
    tm_run(m, ok, 1);
    assert_int_equal(tm_x(m, 0, 6), 0x99aabbccddeeff00ull);
    set_pstate(PSTATE_UAO | PSTATE_PAN);
    tm_setx(m, 0, 1, USER_VA);
    tm_expect_fault(m, enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 1, 3), ESR_DABT_CUR(DFSC_PERM_L2), true,
                    USER_VA + 0x10);
    set_pstate(0);
}

/* Atomics need read and write permission; a read-only page faults with
 * WnR = 1 (the read would have succeeded, Arm ARM D17.2.37 WnR). And an
 * atomic or exclusive store to a page without access faults before any
 * register is written. */
static void test_atomic_permissions(void **state)
{
    (void)state;
    set_pstate(0);
    /* make block 2 read-only at EL1 (AP = 10) */
    uint64_t blk = DESC_BLOCK | DESC_AF | DESC_SH_IS | DESC_PXN | DESC_UXN | (2ull << 6);
    tm_wr(m, L2_PA + 8 * 2, 8, KERN_VA | blk);
    uint32_t tlbi[] = { 0xd508871f, 0xd5033f9f, 0xd5033fdf };     /* tlbi vmalle1; dsb sy; isb */
    tm_run(m, tlbi, 3);
    tm_setx(m, 0, 2, KERN_VA + 0x10);
    tm_setx(m, 0, 7, 0x7777);
    tm_expect_fault(m, enc_atomic(3, 0, 0, 5, 0, OP_ADD, 2, 7), ESR_DABT_CUR(ISS_WNR | DFSC_PERM_L2),
                    true, KERN_VA + 0x10);
    assert_int_equal(tm_x(m, 0, 7), 0x7777);
    tm_expect_fault(m, enc_cas(3, 0, 0, 7, 2, 5), ESR_DABT_CUR(ISS_WNR | DFSC_PERM_L2), true,
                    KERN_VA + 0x10);
    assert_int_equal(tm_x(m, 0, 7), 0x7777);
    /* STXR to the read-only page: the fault is taken even without a
     * monitor (AArch64.ExclusiveMonitorsPass translates first); Ws kept */
    tm_expect_fault(m, enc_stxr(3, 0, 7, 2, 5), ESR_DABT_CUR(ISS_WNR | DFSC_PERM_L2), true,
                    KERN_VA + 0x10);
    assert_int_equal(tm_x(m, 0, 7), 0x7777);
    /* reads still work */
    uint32_t rd[] = { enc_uimm(3, 0, 1, 0, 2, 8) };
    tm_run(m, rd, 1);
    assert_int_equal(tm_x(m, 0, 8), 0x99aabbccddeeff00ull);
}

/* FEAT_NV: at EL1 with HCR_EL2.{NV,NV1} = {1,1} LDTR is an ordinary
 * access (the LDTR pseudocode's unpriv_at_el1 is false), so the EL1-only
 * page is readable; with NV1 = 0 it is unprivileged again and faults. */
static void test_nv_ldtr(void **state)
{
    (void)state;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 64ull << 20;
    cfg.virtualization = true;
    cfg.vhe = true;
    cfg.nv = true;
    a83_machine *mm = NULL;
    assert_int_equal(a83_machine_create(&cfg, &mm), A83_OK);
    assert_int_equal(a83_sysreg_write(mm, 0, "VBAR_EL1", VBAR), A83_OK);
    mmu_setup(mm);
    tm_wr(mm, KERN_VA + 0x10, 8, 0x0badc0de);
    uint64_t hcr_rw = 1ull << 31;                     /* HCR_EL2.RW: EL1 is AArch64 */
    assert_int_equal(a83_sysreg_write(mm, 0, "HCR_EL2", hcr_rw | 3ull << 42), A83_OK);
    assert_int_equal(a83_reg_write(mm, 0, A83_REG_PSTATE, PSTATE_EL1H), A83_OK);
    tm_setx(mm, 0, 2, KERN_VA);
    uint32_t insn = enc_imm9(3, 0, 1, 0x10, IDX_UNPRIV, 2, 6);      /* ldtr x6, [x2, #16] */
    tm_code(mm, 0, CODE_PA, &insn, 1);
    assert_int_equal(a83_step(mm, 0), A83_OK);
    assert_int_equal(tm_x(mm, 0, 6), 0x0badc0de);
    assert_int_equal(tm_x(mm, 0, A83_REG_PC), CODE_PA + 4);
    /* NV = 1, NV1 = 0: unprivileged -> permission fault to EL1 */
    assert_int_equal(a83_sysreg_write(mm, 0, "HCR_EL2", hcr_rw | 1ull << 42), A83_OK);
    tm_code(mm, 0, CODE_PA, &insn, 1);
    assert_int_equal(a83_step(mm, 0), A83_OK);
    assert_int_equal(tm_x(mm, 0, A83_REG_PC), VBAR + VEC_SYNC_CUR_SPX);
    assert_int_equal(tm_sysreg(mm, 0, "ESR_EL1"), ESR_DABT_CUR(DFSC_PERM_L2));
    a83_machine_destroy(mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ldtr_el0_permissions),
        cmocka_unit_test(test_pan),
        cmocka_unit_test(test_uao),
        cmocka_unit_test(test_atomic_permissions),
        cmocka_unit_test(test_nv_ldtr),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
