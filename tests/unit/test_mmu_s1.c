/*
 * Stage-1 translation (Arm ARM D8, AArch64.FirstStageTranslate) through
 * AArch64_TranslateAddress: granules, VA sizes and start levels, blocks and
 * pages, TTBR1, TBI, every stage-1 fault type with its level, permissions
 * (AP, UXN/PXN, WXN, PAN, LDTR with and without UAO), the contiguous hint,
 * the MMU-off mapping, and the descriptor-fetch count of a walk.
 */
#include "mmu_test_util.h"

#define POOL (RAM + 0x100000)

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

/* Arm ARM D8.2.6: 4KB granule, 48-bit VA: start level 0; page at level 3,
 * 2MB block at level 2, 1GB block at level 1; attributes from MAIR. */
static void test_4k_48(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x0000123456789000ull, 0x40a00000, 3, D_AF | D_IDX(0));
    pt_map(&p, 0x0000200000200000ull, 0x40c00000, 2, D_AF | D_IDX(1));
    pt_map(&p, 0x0000300040000000ull, 0x40000000, 1, D_AF | D_IDX(2));
    s1_enable(C, TCR_T0SZ(16) | TCR_TG0_4K | TCR_IPS(5) | TCR_T1SZ(16) | TCR_TG1_4K, p.root, 0);
    AddressDescriptor ad;
    FaultRecord fr;
    assert_true(AArch64_TranslateAddress(C, 0x0000123456789abcull, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x40a00abc);
    assert_int_equal(ad.memattr, 0xff);
    assert_int_equal(MATTR_LGSIZE(ad.attrs), 12);
    assert_false(ad.attrs & MATTR_DEVICE);
    assert_true(AArch64_TranslateAddress(C, 0x00002000003abcd0ull, MMUIDX_E10_1, ACC_WRITE, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x40dabcd0);
    assert_int_equal(ad.memattr, 0x04);
    assert_true(ad.attrs & MATTR_DEVICE);           /* MAIR Attr1 = Device-nGnRE */
    assert_int_equal(MATTR_LGSIZE(ad.attrs), 21);
    assert_true(AArch64_TranslateAddress(C, 0x0000300041234568ull, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x41234568);
    assert_int_equal(ad.memattr, 0x44);
    assert_int_equal(MATTR_LGSIZE(ad.attrs), 30);
}

/* 4KB granule, 39-bit VA (T0SZ = 25): start level 1; TTBR1 range with
 * T1SZ = 25 (VA 0xffffff80_00000000 and up). */
static void test_4k_39_ttbr1(void **state)
{
    (void)state;
    PT p0, p1;
    pt_init(&p0, M, POOL, 12, 39, 1);
    pt_init(&p1, M, POOL + 0x80000, 12, 39, 1);
    pt_map(&p0, 0x7f00001000ull, 0x40005000, 3, D_AF);
    pt_map(&p1, 0xffffffc000002000ull, 0x40006000, 3, D_AF);
    s1_enable(C, TCR_T0SZ(25) | TCR_T1SZ(25) | TCR_TG1_4K | TCR_IPS(5), p0.root, p1.root);
    uint64_t pa;
    FaultRecord fr;
    assert_true(xlate(C, 0x7f00001010ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40005010);
    assert_true(xlate(C, 0xffffffc000002ff8ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40006ff8);
    /* Outside both ranges: Translation fault, level 0. */
    assert_false(xlate(C, 0x0000008000000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
    assert_false(fr.stage2);
    assert_false(xlate(C, 0xffff000000000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
    /* EPD0 disables TTBR0 walks: Translation fault level 0. */
    C->sr[SR_TCR_EL1] |= TCR_EPD0;
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x7f00001010ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
}

/* 16KB granule: 48-bit VA starts at level 0 (2-entry table), 47-bit at
 * level 1; 32MB blocks at level 2. */
static void test_16k(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 14, 48, 0);
    pt_map(&p, 0x0000800000004000ull, 0x40010000, 3, D_AF);
    pt_map(&p, 0x0000000002000000ull, 0x42000000, 2, D_AF);
    s1_enable(C, TCR_T0SZ(16) | TCR_TG0_16K | TCR_IPS(5), p.root, 0);
    uint64_t pa;
    FaultRecord fr;
    assert_true(xlate(C, 0x0000800000007ffcull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40013ffc);
    assert_true(xlate(C, 0x0000000003fffff8ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x43fffff8);
    /* 47-bit: start level 1 */
    PT q;
    pt_init(&q, M, p.next, 14, 47, 1);
    pt_map(&q, 0x00004000000c8000ull, 0x40018000, 3, D_AF);
    s1_enable(C, TCR_T0SZ(17) | TCR_TG0_16K | TCR_IPS(5), q.root, 0);
    assert_true(xlate(C, 0x00004000000c8123ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40018123);
    /* A block at level 1 is not allowed with 16KB: Translation fault L1. */
    wr64(M, q.root + 8 * 3, 0x40000000ull | D_AF | 1);
    assert_false(xlate(C, 0x0000000c00000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 1);
}

/* 64KB granule, 42-bit VA (T0SZ = 22): start level 2; 512MB blocks. */
static void test_64k(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 16, 42, 2);
    pt_map(&p, 0x0000012345670000ull, 0x40030000, 3, D_AF);
    pt_map(&p, 0x0000020000000000ull, 0x40000000, 2, D_AF);
    s1_enable(C, TCR_T0SZ(22) | TCR_TG0_64K | TCR_IPS(5), p.root, 0);
    uint64_t pa;
    FaultRecord fr;
    assert_true(xlate(C, 0x000001234567fedcull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x4003fedc);
    assert_true(xlate(C, 0x000002001fff0000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x5fff0000);
    /* 48-bit VA with 64KB: start level 1 */
    PT q;
    pt_init(&q, M, p.next, 16, 48, 1);
    pt_map(&q, 0x0000fedcba980000ull, 0x40050000, 3, D_AF);
    s1_enable(C, TCR_T0SZ(16) | TCR_TG0_64K | TCR_IPS(5), q.root, 0);
    assert_true(xlate(C, 0x0000fedcba98abcdull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x4005abcd);
}

/* Fault types and levels (Arm ARM D8.13): translation at the level of the
 * invalid descriptor, access flag, permission, address size (output above
 * IPS, and TTBR above IPS at level 0), 4KB block at level 0. */
static void test_faults(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x1000, 0x40001000, 3, D_AF | D_AP_RO_EL1);
    pt_map(&p, 0x2000, 0x40002000, 3, 0);                       /* AF = 0 */
    pt_map(&p, 0x3000, 0x100000000ull, 3, D_AF);                /* OA above 32 bits */
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(0), p.root, 0);         /* IPS = 32 bits */
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0x1000, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_int_equal(fr.level, 3);
    assert_true(fr.write);
    assert_true(xlate(C, 0x1000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_false(xlate(C, 0x2000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_ACCESSFLAG);
    assert_int_equal(fr.level, 3);
    assert_false(xlate(C, 0x3000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_ADDRSIZE);
    assert_int_equal(fr.level, 3);
    /* Missing level-3 entry: Translation fault level 3; missing level-1
     * table: level 1 (the level-0 entry exists for VA 0). */
    assert_false(xlate(C, 0x4000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 3);
    assert_false(xlate(C, 0x40000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.level, 1);
    assert_false(xlate(C, 0x008000000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.level, 0);
    /* Block descriptor at level 0 with 4KB: Translation fault level 0. */
    wr64(M, p.root + 8 * 2, 0x0 | D_AF | 1);
    assert_false(xlate(C, 0x010000000000ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
    /* TTBR0 base above IPS: Address size fault level 0. */
    C->sr[SR_TTBR0_EL1] = 0x100000000ull;
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x1000, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_ADDRSIZE);
    assert_int_equal(fr.level, 0);
}

/* AArch64.CheckPermission: AP, UXN/PXN, EL1 never executes EL0-writable
 * memory, WXN, APTable; PAN (FEAT_PAN) on EL0-accessible data. */
static void test_permissions(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x10000, 0x40010000, 3, D_AF | D_AP_RW_ALL | D_PXN);      /* user RW data */
    pt_map(&p, 0x11000, 0x40011000, 3, D_AF | D_AP_RO_ALL);              /* user RO, X both */
    pt_map(&p, 0x12000, 0x40012000, 3, D_AF | D_AP_RW_EL1 | D_UXN);      /* kernel RW */
    pt_map(&p, 0x13000, 0x40013000, 3, D_AF | D_AP_RW_ALL);              /* user RW, PXN=0 */
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), p.root, 0);
    uint64_t pa;
    FaultRecord fr;
    /* EL0 */
    assert_true(xlate(C, 0x10000, MMUIDX_E10_0, ACC_WRITE, &pa, &fr));
    assert_false(xlate(C, 0x11000, MMUIDX_E10_0, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_true(xlate(C, 0x11000, MMUIDX_E10_0, ACC_EXEC, &pa, &fr));
    assert_false(xlate(C, 0x12000, MMUIDX_E10_0, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    /* EL1 */
    assert_true(xlate(C, 0x12000, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_false(xlate(C, 0x10000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));   /* PXN */
    assert_true(xlate(C, 0x11000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));
    assert_false(xlate(C, 0x13000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));   /* EL0-writable */
    assert_int_equal(fr.type, FAULT_PERMISSION);
    /* PAN: EL1 data access to EL0-accessible memory faults, not to
     * kernel-only memory, and not instruction fetches. */
    assert_false(xlate(C, 0x11000, MMUIDX_E10_1_PAN, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_int_equal(fr.level, 3);
    assert_false(xlate(C, 0x10000, MMUIDX_E10_1_PAN, ACC_WRITE, &pa, &fr));
    assert_true(xlate(C, 0x12000, MMUIDX_E10_1_PAN, ACC_WRITE, &pa, &fr));
    assert_true(xlate(C, 0x11000, MMUIDX_E10_1_PAN, ACC_EXEC, &pa, &fr));
    /* WXN: writable memory is never executable. */
    pt_map(&p, 0x14000, 0x40014000, 3, D_AF | D_AP_RW_EL1);
    assert_true(xlate(C, 0x14000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));
    C->sr[SR_SCTLR_EL1] |= 1ull << 19;
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x14000, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));
    C->sr[SR_SCTLR_EL1] &= ~(1ull << 19);
    mmu_regs_changed(C);
    /* APTable[1] (read-only) in the level-2 table descriptor covering the
     * first 2MB of VA removes write permission below it. */
    uint64_t l0 = rd64(M, p.root) & ~0xfffull & ((1ull << 48) - 1);
    uint64_t l1 = rd64(M, l0) & ~0xfffull & ((1ull << 48) - 1);
    uint64_t l2d = rd64(M, l1);
    wr64(M, l1, l2d | (1ull << 62));
    assert_false(xlate(C, 0x12000, MMUIDX_E10_1, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_int_equal(fr.level, 3);
    wr64(M, l1, l2d);
}

/* LDTR/STTR (MEMF_UNPRIV) at EL1 use EL0 permissions unless PSTATE.UAO
 * (FEAT_UAO); through mem_read, so the abort is checked too. */
static void test_unpriv_uao(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x20000, 0x40020000, 3, D_AF | D_AP_RW_EL1);
    pt_map(&p, 0x21000, 0x40021000, 3, D_AF | D_AP_RW_ALL);
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), p.root, 0);
    wr64(M, 0x40020000, 0x1111);
    wr64(M, 0x40021000, 0x2222);
    C->el = 1;
    C->uao = 0;
    cpu_update_mmu_context(C);
    assert_int_equal(mem_read(C, 0x21000, 8, MEMF_UNPRIV), 0x2222);
    C->uao = 1;
    assert_int_equal(mem_read(C, 0x20000, 8, MEMF_UNPRIV), 0x1111);
    C->uao = 0;
    if (setjmp(C->jmp) == 0) {
        mem_read(C, 0x20000, 8, MEMF_UNPRIV);
        fail_msg("LDTR to an EL1-only page did not fault");
    }
    /* Permission fault level 3 taken to EL1: EC 0x25, DFSC 0b001111. */
    assert_int_equal(C->el, 1);
    assert_int_equal(C->sr[SR_ESR_EL1], (0x25ull << 26) | (1u << 25) | 0x0f);
    assert_int_equal(C->sr[SR_FAR_EL1], 0x20000);
}

/* TBI (Arm ARM D8.8): with TCR_EL1.TBI0 the top byte is ignored for data;
 * without it, a tagged address is outside the range (level 0 fault). */
static void test_tbi(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x30000, 0x40030000, 3, D_AF);
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), p.root, 0);
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0x5a00000000030010ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
    C->sr[SR_TCR_EL1] |= TCR_TBI0;
    mmu_regs_changed(C);
    assert_true(xlate(C, 0x5a00000000030010ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
    assert_int_equal(pa, 0x40030010);
    /* TBID0 (FEAT_PAuth): TBI for data only, so a fetch faults. */
    C->sr[SR_TCR_EL1] |= 1ull << 51;
    mmu_regs_changed(C);
    assert_false(xlate(C, 0x5a00000000030010ull, MMUIDX_E10_1, ACC_EXEC, &pa, &fr));
    assert_true(xlate(C, 0x5a00000000030010ull, MMUIDX_E10_1, ACC_READ, &pa, &fr));
}

/* The contiguous hint is only a hint: each descriptor still translates. */
static void test_contiguous(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    for (unsigned i = 0; i < 16; i++)
        pt_map(&p, 0x400000 + i * 0x1000ull, 0x40400000 + i * 0x1000ull, 3, D_AF | D_CONT);
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), p.root, 0);
    uint64_t pa;
    FaultRecord fr;
    for (unsigned i = 0; i < 16; i++) {
        assert_true(xlate(C, 0x400000 + i * 0x1000ull + 8, MMUIDX_E10_1, ACC_READ, &pa, &fr));
        assert_int_equal(pa, 0x40400000 + i * 0x1000ull + 8);
    }
}

/* MMU off (Arm ARM D8.2.11): flat, data Device-nGnRnE, fetches Normal;
 * VA above the PA size is an Address size fault level 0. */
static void test_mmu_off(void **state)
{
    (void)state;
    C->sr[SR_SCTLR_EL1] &= ~1ull;
    mmu_regs_changed(C);
    AddressDescriptor ad;
    FaultRecord fr;
    assert_true(AArch64_TranslateAddress(C, 0x40001234, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(ad.pa, 0x40001234);
    assert_true(ad.attrs & MATTR_DEVICE);
    assert_true(AArch64_TranslateAddress(C, 0x40001234, MMUIDX_E10_1, ACC_EXEC, 4, 0, &ad, &fr));
    assert_false(ad.attrs & MATTR_DEVICE);
    assert_false(AArch64_TranslateAddress(C, 1ull << 48, MMUIDX_E10_1, ACC_READ, 8, 0, &ad, &fr));
    assert_int_equal(fr.type, FAULT_ADDRSIZE);
    assert_int_equal(fr.level, 0);
    assert_true(C->strict_align);
}

/* Performance: a 4KB 48-bit walk fetches 4 descriptors, each charged
 * m->timing.walk_fetch cycles; a TLB hit afterwards fetches none. */
static void test_walk_count(void **state)
{
    (void)state;
    PT p;
    pt_init(&p, M, POOL, 12, 48, 0);
    pt_map(&p, 0x50000, 0x40050000, 3, D_AF);
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), p.root, 0);
    C->el = 1;
    cpu_update_mmu_context(C);
    uint64_t f0 = C->walk_fetches, c0 = C->cycles;
    mem_read(C, 0x50008, 8, 0);
    assert_int_equal(C->walk_fetches - f0, 4);
    assert_int_equal(C->cycles - c0, 4 * M->timing.walk_fetch + M->timing.tlb_miss);
    f0 = C->walk_fetches;
    mem_read(C, 0x50010, 8, 0);
    assert_int_equal(C->walk_fetches - f0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_4k_48, setup, teardown),
        cmocka_unit_test_setup_teardown(test_4k_39_ttbr1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_16k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_64k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unpriv_uao, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tbi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_count, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
