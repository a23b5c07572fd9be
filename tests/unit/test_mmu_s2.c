/*
 * Stage-2 translation (Arm ARM D8, AArch64.SecondStageTranslate): VTCR_EL2
 * start levels (SL0) and concatenated first-level tables, granules, the
 * stage-2 fault types with level and IPA, S1PTW (stage-1 walks translated
 * by stage 2), HCR_EL2.PTW and DC, the combination of attributes, and the
 * descriptor-fetch count of a two-dimensional walk.
 */
#include "mmu_test_util.h"

#define POOL  (RAM + 0x100000)    /* stage-1 tables */
#define POOL2 (RAM + 0x800000)    /* stage-2 tables */

#define HCR_VM  (1ull << 0)
#define HCR_PTW (1ull << 2)
#define HCR_DC  (1ull << 12)
#define VTCR(t0sz, sl0, tg0, ps) \
    ((uint64_t)(t0sz) | ((uint64_t)(sl0) << 6) | ((uint64_t)(tg0) << 14) | ((uint64_t)(ps) << 16))

static a83_machine *M;
static CPUState *C;

static int setup(void **state)
{
    (void)state;
    M = mk_machine(1);
    C = M->cpu[0];
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(M);
    return 0;
}

static void s2_enable(PT *s2, uint64_t vtcr)
{
    C->sr[SR_VTCR_EL2] = vtcr;
    C->sr[SR_VTTBR_EL2] = s2->root | (5ull << 48);      /* VMID 5 */
    C->sr[SR_HCR_EL2] |= HCR_VM;
    mmu_regs_changed(C);
}

/* 4KB, 40-bit IPA, SL0 = 1 (start level 1): 10 bits at level 1, i.e. two
 * concatenated level-1 tables (Arm ARM D8.2.7). */
static void test_concat_4k(void **state)
{
    (void)state;
    PT s2;
    pt_init(&s2, M, POOL2, 12, 40, 1);
    pt_map(&s2, 0x40000000, 0x40000000, 1, D_AF | S2_R | S2_W | S2_NORMAL);   /* 1GB block */
    pt_map(&s2, 0x8040000000ull, 0x40100000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    s2_enable(&s2, VTCR(24, 1, 0, 5));
    uint64_t pa;
    FaultRecord fr;
    /* Stage 1 off: IPA = VA */
    assert_true(xlate(C, 0x8040000123ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40100123);
    assert_true(xlate(C, 0x40001008, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(pa, 0x40001008);
    /* Unmapped IPA in the second concatenated table: level 1 */
    assert_false(xlate(C, 0x8080000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_true(fr.stage2);
    assert_false(fr.s1ptw);
    assert_int_equal(fr.level, 1);
    assert_int_equal(fr.ipa, 0x8080000000ull);
    /* IPA beyond T0SZ: level 0 */
    assert_false(xlate(C, 0x10000000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_true(fr.stage2);
    assert_int_equal(fr.level, 0);
}

/* SL0 = 0 (start level 2) with a 32-bit IPA: 11 bits at level 2, four
 * concatenated tables; an inconsistent SL0/T0SZ is a Translation fault. */
static void test_sl0_level2(void **state)
{
    (void)state;
    PT s2;
    pt_init(&s2, M, POOL2, 12, 32, 2);
    pt_map(&s2, 0xc0000000ull, 0x40200000, 2, D_AF | S2_R | S2_NORMAL);
    pt_map(&s2, 0x00001000ull, 0x40003000, 3, D_AF | S2_R | S2_NORMAL);
    s2_enable(&s2, VTCR(32, 0, 0, 5));
    uint64_t pa;
    FaultRecord fr;
    assert_true(xlate(C, 0xc0012345ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40212345);
    assert_true(xlate(C, 0x1ff8, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40003ff8);
    /* 40-bit IPA would need 19 bits at level 2: more than 16 tables. */
    C->sr[SR_VTCR_EL2] = VTCR(24, 0, 0, 5);
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x1ff8, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_true(fr.stage2);
}

/* 64KB stage 2, 42-bit IPA, SL0 = 1 (start level 2, 8192 entries). */
static void test_64k_s2(void **state)
{
    (void)state;
    PT s2;
    pt_init(&s2, M, POOL2, 16, 42, 2);
    pt_map(&s2, 0x30000000000ull, 0x40050000, 3, D_AF | S2_R | S2_NORMAL);
    s2_enable(&s2, VTCR(22, 1, 1, 5));
    uint64_t pa;
    FaultRecord fr;
    assert_true(xlate(C, 0x3000000abcdull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x4005abcd);
}

/* Stage-2 fault types (Arm ARM D8.13): permission (S2AP), access flag, XN. */
static void test_s2_faults(void **state)
{
    (void)state;
    PT s2;
    pt_init(&s2, M, POOL2, 12, 40, 1);
    pt_map(&s2, 0x1000, 0x40001000, 3, D_AF | S2_R | S2_NORMAL);              /* read-only */
    pt_map(&s2, 0x2000, 0x40002000, 3, S2_R | S2_W | S2_NORMAL);              /* AF = 0 */
    pt_map(&s2, 0x3000, 0x40003000, 3, D_AF | S2_R | S2_NORMAL | S2_XN);
    pt_map(&s2, 0x4000, 0x40004000, 3, D_AF | S2_W | S2_NORMAL);              /* write-only */
    s2_enable(&s2, VTCR(24, 1, 0, 5));
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0x1008, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_true(fr.stage2);
    assert_int_equal(fr.level, 3);
    assert_int_equal(fr.ipa, 0x1008);
    assert_false(xlate(C, 0x2000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_ACCESSFLAG);
    assert_true(fr.stage2);
    assert_false(xlate(C, 0x3000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_true(xlate(C, 0x3000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_true(xlate(C, 0x4000, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_false(xlate(C, 0x4000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
}

/* Stage-1 walks go through stage 2 (Arm ARM D8.2.8): a stage-1 table at
 * an IPA without a stage-2 mapping is a stage-2 fault with S1PTW, and the
 * IPA is the descriptor's. A two-dimensional walk (4 stage-1 levels, 3
 * stage-2 levels) fetches 4 * (3 + 1) + 3 = 19 descriptors. */
static void test_s1ptw_and_2d_count(void **state)
{
    (void)state;
    PT s1, s2;
    pt_init(&s1, M, POOL, 12, 48, 0);
    pt_map(&s1, 0x7000, 0x40007000, 3, D_AF);
    pt_init(&s2, M, POOL2, 12, 40, 1);
    /* Stage 2 maps only the data page and the stage-1 root table page. */
    pt_map(&s2, 0x40007000, 0x40007000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&s2, s1.root, s1.root, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    s2_enable(&s2, VTCR(24, 1, 0, 5));
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), s1.root, 0);
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0x7000, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_true(fr.stage2);
    assert_true(fr.s1ptw);
    assert_int_equal(fr.level, 3);
    uint64_t l1 = rd64(M, s1.root) & 0xfffffffff000ull;
    assert_int_equal(fr.ipa, l1);           /* level-1 table, index 0 */
    /* Map all of the stage-1 tables: the walk completes. */
    for (unsigned i = 0; i < 4; i++)        /* the four stage-1 table pages */
        pt_map(&s2, POOL + i * 0x1000ull, POOL + i * 0x1000ull, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    uint64_t f0 = C->walk_fetches;
    assert_true(xlate(C, 0x7010, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(pa, 0x40007010);
    assert_int_equal(C->walk_fetches - f0, 19);
    /* HCR_EL2.PTW: stage-1 tables in stage-2 Device memory give a stage-2
     * permission fault on the walk. */
    for (unsigned i = 0; i < 4; i++)
        pt_map(&s2, POOL + i * 0x1000ull, POOL + i * 0x1000ull, 3, D_AF | S2_R | S2_W | S2_DEVICE);
    assert_true(xlate(C, 0x7010, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    C->sr[SR_HCR_EL2] |= HCR_PTW;
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x7010, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_true(fr.s1ptw);
    assert_int_equal(fr.level, 3);
}

/* Combined attributes (Arm ARM D8.5.5): S1 Normal + S2 Device = Device;
 * HCR_EL2.DC: stage 1 off gives Normal memory, and stage 2 is on. */
static void test_attrs_and_dc(void **state)
{
    (void)state;
    PT s1, s2;
    pt_init(&s1, M, POOL, 12, 48, 0);
    pt_map(&s1, 0x8000, 0x40408000, 3, D_AF | D_IDX(0) | D_SH_IS);
    pt_init(&s2, M, POOL2, 12, 40, 1);
    pt_map(&s2, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL | D_SH_IS);
    pt_map(&s2, 0x40408000, 0x40009000, 3, D_AF | S2_R | S2_W | S2_DEVICE);
    s2_enable(&s2, VTCR(24, 1, 0, 5));
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), s1.root, 0);
    AddressDescriptor ad;
    FaultRecord fr;
    assert_true(AArch64_TranslateAddress(C, 0x8010, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x40009010);
    assert_true(ad.attrs & MATTR_DEVICE);
    assert_int_equal(ad.memattr, 0x04);     /* Device-nGnRE */
    /* HCR_EL2.DC = 1: SCTLR_EL1.M treated as 0, data Normal WB, and
     * stage 2 applies even with VM = 0. */
    C->sr[SR_HCR_EL2] = HCR_DC;
    mmu_regs_changed(C);
    assert_true(AArch64_TranslateAddress(C, 0x40000100, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x40000100);
    assert_false(ad.attrs & MATTR_DEVICE);
    assert_int_equal(ad.memattr, 0xff);
    assert_false(C->strict_align);
    assert_false(AArch64_TranslateAddress(C, 0x8010, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_true(fr.stage2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concat_4k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sl0_level2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_64k_s2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s1ptw_and_2d_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attrs_and_dc, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
