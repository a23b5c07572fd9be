/*
 * TLB maintenance, AT, DC ZVA and the maintenance traps (Arm ARM D8.13,
 * D8.14, C5.3-C5.5), and the EL2 / EL2&0 regimes. TLBI tests check the
 * direction the architecture requires of us: after the TLBI the new
 * descriptor is used (our TLB may over-invalidate, so "still old before the
 * TLBI" is not a requirement and is not tested).
 */
#include "mmu_test_util.h"

#include <unistd.h>

#define POOL  (RAM + 0x100000)
#define POOL2 (RAM + 0x800000)
#define HCR_VM   (1ull << 0)
#define HCR_FB   (1ull << 9)
#define HCR_TTLB (1ull << 25)
#define HCR_TDZ  (1ull << 28)
#define HCR_TGE  (1ull << 27)
#define HCR_E2H  (1ull << 34)

static a83_machine *M;
static CPUState *C;
static PT P;

static int setup(void **state)
{
    (void)state;
    M = mk_machine(2);
    C = M->cpu[0];
    pt_init(&P, M, POOL, 12, 48, 0);
    for (unsigned i = 0; i < 2; i++) {
        CPUState *c = M->cpu[i];
        s1_enable(c, TCR_T0SZ(16) | TCR_IPS(5) | TCR_T1SZ(16) | TCR_TG1_4K, P.root, 0);
        c->el = 1;
        cpu_update_mmu_context(c);
    }
    wr64(M, 0x40a00000, 0xaaaa);
    wr64(M, 0x40b00000, 0xbbbb);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(M);
    return 0;
}

/* TLBI VAE1 with Xt = VA[55:12]: the new page descriptor is used. */
static void test_tlbi_vae1_page(void **state)
{
    (void)state;
    uint64_t d = pt_map(&P, 0x600000, 0x40a00000, 3, D_AF);
    assert_int_equal(mem_read(C, 0x600000, 8, 0), 0xaaaa);
    wr64(M, d, 0x40b00000 | D_AF | 3);
    sys_insn(C, "TLBI VAE1", 0x600000 >> 12);
    assert_int_equal(mem_read(C, 0x600000, 8, 0), 0xbbbb);
}

/* A 2MB block cached as several 4KB TLB entries: TLBI VAE1 of any address
 * in the block drops all of them (no under-invalidation). */
static void test_tlbi_vae1_block(void **state)
{
    (void)state;
    wr64(M, 0x40a05000, 0x5a5a);
    wr64(M, 0x40c00000, 0xcccc);
    wr64(M, 0x40c05000, 0x5c5c);
    /* Block VA 0x40000000 -> PA 0x40a00000 (both 2MB aligned) */
    uint64_t d = pt_map(&P, 0x40000000, 0x40a00000, 2, D_AF);
    assert_int_equal(mem_read(C, 0x40000000, 8, 0), 0xaaaa);
    assert_int_equal(mem_read(C, 0x40005000, 8, 0), 0x5a5a);
    wr64(M, d, 0x40c00000ull | D_AF | 1);
    /* A TLBI for a page of the block that was never accessed */
    sys_insn(C, "TLBI VAAE1IS", 0x40003000 >> 12);
    assert_int_equal(mem_read(C, 0x40000000, 8, 0), 0xcccc);
    assert_int_equal(mem_read(C, 0x40005000, 8, 0), 0x5c5c);
}

/* TLBI VMALLE1 and ASIDE1 (non-global entries) */
static void test_tlbi_vmalle1_aside1(void **state)
{
    (void)state;
    uint64_t d = pt_map(&P, 0x700000, 0x40a00000, 3, D_AF | D_NG);
    assert_int_equal(mem_read(C, 0x700000, 8, 0), 0xaaaa);
    wr64(M, d, 0x40b00000 | D_AF | D_NG | 3);
    sys_insn(C, "TLBI ASIDE1", 0);
    assert_int_equal(mem_read(C, 0x700000, 8, 0), 0xbbbb);
    wr64(M, d, 0x40a00000 | D_AF | 3);
    sys_insn(C, "TLBI VMALLE1", 0);
    assert_int_equal(mem_read(C, 0x700000, 8, 0), 0xaaaa);
}

/* IS forms reach the other CPU; HCR_EL2.FB upgrades a local EL1 TLBI. */
static void test_tlbi_broadcast(void **state)
{
    (void)state;
    CPUState *c1 = M->cpu[1];
    uint64_t d = pt_map(&P, 0x800000, 0x40a00000, 3, D_AF);
    assert_int_equal(mem_read(c1, 0x800000, 8, 0), 0xaaaa);
    wr64(M, d, 0x40b00000 | D_AF | 3);
    sys_insn(C, "TLBI VAE1IS", 0x800000 >> 12);
    assert_int_equal(mem_read(c1, 0x800000, 8, 0), 0xbbbb);
    wr64(M, d, 0x40a00000 | D_AF | 3);
    C->sr[SR_HCR_EL2] = HCR_FB;
    sys_insn(C, "TLBI VAE1", 0x800000 >> 12);
    assert_int_equal(mem_read(c1, 0x800000, 8, 0), 0xaaaa);
    C->sr[SR_HCR_EL2] = 0;
}

/* Stage 2: TLBI IPAS2E1IS + VMALLE1IS from EL2 make both CPUs use the new
 * stage-2 descriptor. */
static void test_tlbi_ipas2(void **state)
{
    (void)state;
    PT s2;
    pt_init(&s2, M, POOL2, 12, 40, 1);
    pt_map(&s2, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL);   /* S1 tables */
    uint64_t d = pt_map(&s2, 0x40f00000, 0x40a00000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&P, 0x900000, 0x40f00000, 3, D_AF);
    for (unsigned i = 0; i < 2; i++) {
        CPUState *c = M->cpu[i];
        c->sr[SR_VTCR_EL2] = 24 | (1u << 6) | (5u << 16);
        c->sr[SR_VTTBR_EL2] = s2.root;
        c->sr[SR_HCR_EL2] = HCR_VM;
        mmu_regs_changed(c);
        assert_int_equal(mem_read(c, 0x900000, 8, 0), 0xaaaa);
    }
    wr64(M, d, 0x40b00000 | D_AF | S2_R | S2_W | S2_NORMAL | 3);
    C->el = 2;
    cpu_update_mmu_context(C);
    sys_insn(C, "TLBI IPAS2E1IS", 0x40f00000 >> 12);
    sys_insn(C, "TLBI VMALLE1IS", 0);
    assert_int_equal(mem_read(M->cpu[1], 0x900000, 8, 0), 0xbbbb);
    C->el = 1;
    cpu_update_mmu_context(C);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
}

/* A write to TTBR0_EL1 (mmu_regs_changed) switches to the new tables. */
static void test_ttbr_switch(void **state)
{
    (void)state;
    pt_map(&P, 0xa00000, 0x40a00000, 3, D_AF);
    assert_int_equal(mem_read(C, 0xa00000, 8, 0), 0xaaaa);
    PT q;
    pt_init(&q, M, POOL + 0x80000, 12, 48, 0);
    pt_map(&q, 0xa00000, 0x40b00000, 3, D_AF);
    C->sr[SR_TTBR0_EL1] = q.root | (7ull << 48);
    mmu_regs_changed(C);
    assert_int_equal(mem_read(C, 0xa00000, 8, 0), 0xbbbb);
}

/* Context switch with TCR_EL1.A1 = 1 (ASID in TTBR1_EL1): a new ASID
 * makes the old ASID's non-global entries unusable (Arm ARM D8.11). */
static void test_asid_switch_a1(void **state)
{
    (void)state;
    C->sr[SR_TCR_EL1] |= 1ull << 22;           /* A1 */
    mmu_regs_changed(C);
    uint64_t d = pt_map(&P, 0xa10000, 0x40a00000, 3, D_AF | D_NG);
    assert_int_equal(mem_read(C, 0xa10000, 8, 0), 0xaaaa);
    wr64(M, d, 0x40b00000 | D_AF | D_NG | 3);
    C->sr[SR_TTBR1_EL1] = 9ull << 48;           /* ASID 9, same (zero) base */
    mmu_regs_changed(C);
    assert_int_equal(mem_read(C, 0xa10000, 8, 0), 0xbbbb);
}

/* A VHE host ({E2H,TGE} = {1,1}) that changes VTTBR_EL2 while the EL1&0
 * contexts are unreachable: on return to the guest the new stage 2 is
 * used (the deferred comparison in mmu_regs_changed). */
static void test_vhe_host_vttbr_change(void **state)
{
    (void)state;
    PT a, b;
    pt_init(&a, M, POOL2, 12, 40, 1);
    pt_map(&a, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&a, 0x40f00000, 0x40a00000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_init(&b, M, POOL2 + 0x80000, 12, 40, 1);
    pt_map(&b, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&b, 0x40f00000, 0x40b00000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&P, 0x900000, 0x40f00000, 3, D_AF);
    C->sr[SR_VTCR_EL2] = 24 | (1u << 6) | (5u << 16);
    C->sr[SR_VTTBR_EL2] = a.root | (1ull << 48);
    C->sr[SR_HCR_EL2] = HCR_E2H | HCR_VM;
    mmu_regs_changed(C);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xaaaa);
    /* exit to the host */
    C->el = 2;
    C->sr[SR_HCR_EL2] = HCR_E2H | HCR_TGE;
    mmu_regs_changed(C);
    C->sr[SR_VTTBR_EL2] = b.root | (2ull << 48);
    mmu_regs_changed(C);
    /* enter the other guest */
    C->sr[SR_HCR_EL2] = HCR_E2H | HCR_VM;
    mmu_regs_changed(C);
    C->el = 1;
    cpu_update_mmu_context(C);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
}

/* AT: PAR_EL1 on success (PA, ATTR from MAIR, SH, NS, RES1 bit 11) and
 * on a fault (F, FST, RES1), PAN2 forms, and S12E1R at EL2 reporting a
 * stage-2 fault with S = 1 (Arm ARM D17.2.102). */
static void test_at(void **state)
{
    (void)state;
    pt_map(&P, 0xb00000, 0x40a00000, 3, D_AF | D_IDX(2) | D_SH_IS);
    pt_map(&P, 0xb01000, 0x40a01000, 3, D_AF | D_AP_RW_ALL | D_SH_IS);
    sys_insn(C, "AT S1E1R", 0xb00123);
    assert_int_equal(C->sr[SR_PAR_EL1], 0x40a00000ull | (0x44ull << 56) | (2u << 7) | (1u << 9) | (1u << 11));
    sys_insn(C, "AT S1E1W", 0xb01000);
    assert_int_equal(C->sr[SR_PAR_EL1], 0x40a01000ull | (0xffull << 56) | (3u << 7) | (1u << 9) | (1u << 11));
    /* SCTLR_EL1.C = 0: Normal memory is Non-cacheable for data (SH 10) */
    C->sr[SR_SCTLR_EL1] &= ~(1ull << 2);
    mmu_regs_changed(C);
    sys_insn(C, "AT S1E1W", 0xb01000);
    assert_int_equal(C->sr[SR_PAR_EL1], 0x40a01000ull | (0x44ull << 56) | (2u << 7) | (1u << 9) | (1u << 11));
    C->sr[SR_SCTLR_EL1] |= 1ull << 2;
    mmu_regs_changed(C);
    /* EL0 write to a kernel page: permission fault level 3 (FST 0b001111) */
    sys_insn(C, "AT S1E0W", 0xb00000);
    assert_int_equal(C->sr[SR_PAR_EL1], 1u | (0x0fu << 1) | (1u << 11));
    /* Unmapped: translation fault level 3 */
    sys_insn(C, "AT S1E1R", 0xb05000);
    assert_int_equal(C->sr[SR_PAR_EL1], 1u | (0x07u << 1) | (1u << 11));
    /* PAN: S1E1R ignores it, S1E1RP applies it */
    C->pan = 1;
    sys_insn(C, "AT S1E1R", 0xb01000);
    assert_int_equal(C->sr[SR_PAR_EL1] & 1, 0);
    sys_insn(C, "AT S1E1RP", 0xb01000);
    assert_int_equal(C->sr[SR_PAR_EL1], 1u | (0x0fu << 1) | (1u << 11));
    C->pan = 0;
    /* S12E1R from EL2 with stage 2 missing the IPA: S = 1, level 1 */
    PT s2;
    pt_init(&s2, M, POOL2, 12, 40, 1);
    pt_map(&s2, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_NORMAL);
    pt_map(&s2, 0x40a00000, 0x40a00000, 2, D_AF | S2_R | S2_NORMAL);
    C->sr[SR_VTCR_EL2] = 24 | (1u << 6) | (5u << 16);
    C->sr[SR_VTTBR_EL2] = s2.root;
    C->sr[SR_HCR_EL2] = HCR_VM;
    C->el = 2;
    mmu_regs_changed(C);
    pt_map(&P, 0xb02000, 0x80000000ull, 3, D_AF);
    sys_insn(C, "AT S12E1R", 0xb02000);
    assert_int_equal(C->sr[SR_PAR_EL1], 1u | (0x05u << 1) | (1u << 9) | (1u << 11));
    sys_insn(C, "AT S12E1R", 0xb00010);
    assert_int_equal(C->sr[SR_PAR_EL1] & ~(0xffull << 56), 0x40a00000ull | (2u << 7) | (1u << 9) | (1u << 11));
    /* S12E1W to a stage-2 read-only page: permission fault, S = 1 */
    sys_insn(C, "AT S12E1W", 0xb00010);
    assert_int_equal(C->sr[SR_PAR_EL1], 1u | (0x0eu << 1) | (1u << 9) | (1u << 11));
    /* S1E1R from EL2 stops at stage 1: PAR holds the IPA */
    sys_insn(C, "AT S1E1R", 0xb02000);
    assert_int_equal(C->sr[SR_PAR_EL1] & 0xfffffffff000ull, 0x80000000ull);
}

/* DC ZVA zeroes exactly the 64-byte block containing Xt. */
static void test_dc_zva(void **state)
{
    (void)state;
    pt_map(&P, 0xc00000, 0x40a00000, 3, D_AF);
    for (unsigned i = 0; i < 32; i++)
        wr64(M, 0x40a00000 + 8 * i, 0x1111111111111111ull * (i + 1));
    sys_insn(C, "DC ZVA", 0xc00047);
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(rd64(M, 0x40a00000 + 8 * i), (i >= 8 && i < 16) ? 0 : 0x1111111111111111ull * (i + 1));
    /* Again through the TLB fast path (the page is now cached). */
    assert_int_equal(mem_read(C, 0xc00000, 8, 0), 0x1111111111111111ull);
    mem_write(C, 0xc00000, 8, 5, 0);
    sys_insn(C, "DC ZVA", 0xc00000);
    assert_int_equal(rd64(M, 0x40a00000), 0);
    assert_int_equal(rd64(M, 0x40a00040), 0);
    assert_int_equal(rd64(M, 0x40a00080), 0x1111111111111111ull * 17);
}

/* Resident host memory of this process, bytes (/proc/self/statm). */
static uint64_t resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, res = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%llu %llu", &size, &res), 2);
    fclose(f);
    return res * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* DC ZVA of guest RAM that reads as zero already writes nothing (maint.c
 * zero_block()): zeroing 4 MiB that nothing touched leaves the host's
 * resident memory where it was (the pages stay unpopulated, as Xen's boot
 * scrub of all free RAM needs), and the memory still reads as zero; a
 * block that is not zero is zeroed (test_dc_zva). Both the slow path (first
 * DC ZVA of each page) and the fast path (the page in the TLB) run. */
static void test_dc_zva_untouched(void **state)
{
    (void)state;
    pt_map(&P, 0x2000000, 0x42000000, 2, D_AF);
    pt_map(&P, 0x2200000, 0x42200000, 2, D_AF);
    uint64_t before = resident_bytes();
    for (uint64_t va = 0x2000000; va < 0x2400000; va += 64)
        sys_insn(C, "DC ZVA", va);
    uint64_t grown = resident_bytes() - before;
    if (grown >= (1u << 20))
        fail_msg("DC ZVA of untouched RAM made %llu bytes resident", (unsigned long long)grown);
    for (uint64_t pa = 0x42000000; pa < 0x42400000; pa += 0x1ff8)
        assert_int_equal(rd64(M, pa), 0);
    wr64(M, 0x42100040, 7);
    sys_insn(C, "DC ZVA", 0x2100040);
    assert_int_equal(rd64(M, 0x42100040), 0);
}

/* Traps (Arm ARM D17.2.48 HCR_EL2, D17.2.118 SCTLR_EL1): TTLB traps EL1
 * TLBIs to EL2 with EC 0x18; TDZ traps DC ZVA; EL0 DC ZVA needs
 * SCTLR_EL1.DZE; EL2-only instructions are UNDEFINED at EL1; TLBI at EL0
 * is UNDEFINED. */
static void test_traps(void **state)
{
    (void)state;
    const SysRegDesc *r = mmu_insn("TLBI VMALLE1IS");
    unsigned tel = 0;
    uint32_t ec = 0;
    assert_int_equal(r->access(C, r, false, &tel, &ec), SRA_OK);
    C->sr[SR_HCR_EL2] = HCR_TTLB;
    assert_int_equal(r->access(C, r, false, &tel, &ec), SRA_TRAP);
    assert_int_equal(tel, 2);
    assert_int_equal(ec, 0x18);
    C->el = 0;
    assert_int_equal(r->access(C, r, false, &tel, &ec), SRA_UNDEF);
    const SysRegDesc *z = mmu_insn("DC ZVA");
    C->sr[SR_HCR_EL2] = 0;
    C->sr[SR_SCTLR_EL1] &= ~(1ull << 14);
    assert_int_equal(z->access(C, z, false, &tel, &ec), SRA_TRAP);
    assert_int_equal(tel, 1);
    C->sr[SR_SCTLR_EL1] |= 1ull << 14;
    assert_int_equal(z->access(C, z, false, &tel, &ec), SRA_OK);
    C->sr[SR_HCR_EL2] = HCR_TDZ;
    assert_int_equal(z->access(C, z, false, &tel, &ec), SRA_TRAP);
    assert_int_equal(tel, 2);
    C->el = 1;
    C->sr[SR_HCR_EL2] = 0;
    const SysRegDesc *a = mmu_insn("AT S12E1R");
    assert_int_equal(a->access(C, a, false, &tel, &ec), SRA_UNDEF);
    C->el = 2;
    assert_int_equal(a->access(C, a, false, &tel, &ec), SRA_OK);
    /* Every entry is a write-only system instruction with an access check. */
    unsigned n = 0;
    for (const SysRegDesc *d = sysreg_mmu_table; d->name; d++, n++) {
        assert_true(d->flags & SRF_INSN);
        assert_non_null(d->access);
        assert_int_equal(d->access(C, d, true, &tel, &ec), SRA_UNDEF);
    }
    assert_int_equal(n, 50);
}

/* The EL2 regime (E2H = 0): TTBR0_EL2 only, TCR_EL2.PS at [18:16], one
 * privilege level (AP[2] only). */
static void test_el2_regime(void **state)
{
    (void)state;
    PT q;
    pt_init(&q, M, POOL + 0x80000, 12, 48, 0);
    uint64_t d = pt_map(&q, 0x1000, 0x40a00000, 3, D_AF | D_AP_RO_EL1);
    C->sr[SR_TCR_EL2] = 16 | (5ull << 16) | (1ull << 31) | (1ull << 23);
    C->sr[SR_TTBR0_EL2] = q.root;
    C->sr[SR_SCTLR_EL2] |= 1;
    C->el = 2;
    mmu_regs_changed(C);
    assert_int_equal(C->cur_mmuidx, MMUIDX_E2);
    assert_int_equal(mem_read(C, 0x1000, 8, 0), 0xaaaa);
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0x1000, MMUIDX_E2, ACC_WRITE, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
    assert_false(xlate(C, 0xffff000000001000ull, MMUIDX_E2, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_TRANSLATION);
    assert_int_equal(fr.level, 0);
    wr64(M, d, 0x40b00000 | D_AF | 3);
    sys_insn(C, "TLBI ALLE2", 0);
    assert_int_equal(mem_read(C, 0x1000, 8, 0), 0xbbbb);
}

/* VHE's EL2&0 regime (E2H = 1): TTBR1_EL2 for the upper range; at EL2 with
 * TGE = 1, TLBI VAE1 acts on EL2&0, and AT S1E1R uses EL2&0. */
static void test_vhe_el20(void **state)
{
    (void)state;
    PT hi;
    pt_init(&hi, M, POOL + 0x80000, 12, 48, 0);
    uint64_t d = pt_map(&hi, 0xffff000000003000ull, 0x40a00000, 3, D_AF);
    C->sr[SR_TCR_EL2] = 16 | (16ull << 16) | (2ull << 30) | (5ull << 32);   /* TCR_EL1 layout */
    C->sr[SR_TTBR0_EL2] = P.root;
    C->sr[SR_TTBR1_EL2] = hi.root;
    C->sr[SR_SCTLR_EL2] |= 1;
    C->sr[SR_HCR_EL2] = HCR_E2H | HCR_TGE;
    C->el = 2;
    mmu_regs_changed(C);
    assert_int_equal(C->cur_mmuidx, MMUIDX_E20_2);
    assert_int_equal(mem_read(C, 0xffff000000003008ull, 8, 0), 0);
    assert_int_equal(mem_read(C, 0xffff000000003000ull, 8, 0), 0xaaaa);
    wr64(M, d, 0x40b00000 | D_AF | 3);
    sys_insn(C, "TLBI VAE1", (0xffff000000003000ull >> 12) & ((1ull << 44) - 1));
    assert_int_equal(mem_read(C, 0xffff000000003000ull, 8, 0), 0xbbbb);
    sys_insn(C, "AT S1E1R", 0xffff000000003000ull);
    assert_int_equal(C->sr[SR_PAR_EL1] & 0xfffffffff001ull, 0x40b00000);
    /* EL0 under TGE uses EL2&0 with EL0 permissions */
    C->el = 0;
    cpu_update_mmu_context(C);
    assert_int_equal(C->cur_mmuidx, MMUIDX_E20_0);
    uint64_t pa;
    FaultRecord fr;
    assert_false(xlate(C, 0xffff000000003000ull, MMUIDX_E20_0, ACC_READ, &pa, &fr));
    assert_int_equal(fr.type, FAULT_PERMISSION);
}


/* Two guests' EL1&0 translation states (tlb.c "Two sets for EL1&0"): a
 * switch back to the state before the last one finds its host entries (no
 * walk); a TLBI issued under the other guest's VMID leaves them (Arm ARM
 * D8.13: TLBI VMALLE1 applies to the current VMID only); a TLBI under
 * their own VMID (as KVM issues it, VTTBR_EL2 loaded first) and a TLBI of
 * every VMID (ALLE1IS) drop them, and the new stage-2 descriptor is used. */
static void test_two_guest_sets(void **state)
{
    (void)state;
    PT a, b;
    pt_init(&a, M, POOL2, 12, 40, 1);
    pt_map(&a, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL);
    uint64_t da = pt_map(&a, 0x40f00000, 0x40a00000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_init(&b, M, POOL2 + 0x80000, 12, 40, 1);
    pt_map(&b, 0x40000000, 0x40000000, 2, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&b, 0x40f00000, 0x40b00000, 3, D_AF | S2_R | S2_W | S2_NORMAL);
    pt_map(&P, 0x900000, 0x40f00000, 3, D_AF);
    wr64(M, 0x40c00000, 0xcccc);
    wr64(M, 0x40d00000, 0xdddd);
    const uint64_t vttbr_a = a.root | (1ull << 48), vttbr_b = b.root | (2ull << 48);
    C->sr[SR_VTCR_EL2] = 24 | (1u << 6) | (5u << 16);
    C->sr[SR_HCR_EL2] = HCR_VM;
#define GUEST(v) do { C->sr[SR_VTTBR_EL2] = (v); mmu_regs_changed(C); } while (0)
    GUEST(vttbr_a);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xaaaa);
    GUEST(vttbr_b);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
    uint64_t w = C->walk_fetches;
    GUEST(vttbr_a);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xaaaa);
    assert_int_equal(C->walk_fetches, w);          /* A's entry came back: no walk */
    GUEST(vttbr_b);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
    assert_int_equal(C->walk_fetches, w);          /* and B's */

    /* B's TLBI (VMID 2) leaves A's entries */
    C->el = 2;
    cpu_update_mmu_context(C);
    sys_insn(C, "TLBI VMALLE1IS", 0);
    GUEST(vttbr_a);
    C->el = 1;
    cpu_update_mmu_context(C);
    w = C->walk_fetches;
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xaaaa);
    assert_int_equal(C->walk_fetches, w);

    /* A's stage 2 changes while B runs; the hypervisor loads A's VTTBR_EL2
     * for its TLBIs, then goes back to B; A then sees the new descriptor */
    GUEST(vttbr_b);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
    wr64(M, da, 0x40c00000 | D_AF | S2_R | S2_W | S2_NORMAL | 3);
    C->el = 2;
    cpu_update_mmu_context(C);
    GUEST(vttbr_a);
    sys_insn(C, "TLBI IPAS2E1IS", 0x40f00000 >> 12);
    sys_insn(C, "TLBI VMALLE1IS", 0);
    GUEST(vttbr_b);
    C->el = 1;
    cpu_update_mmu_context(C);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
    GUEST(vttbr_a);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xcccc);

    /* TLBI ALLE1IS under B (every VMID) drops A's entries too */
    GUEST(vttbr_b);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xbbbb);
    wr64(M, da, 0x40d00000 | D_AF | S2_R | S2_W | S2_NORMAL | 3);
    C->el = 2;
    cpu_update_mmu_context(C);
    sys_insn(C, "TLBI ALLE1IS", 0);
    C->el = 1;
    cpu_update_mmu_context(C);
    GUEST(vttbr_a);
    assert_int_equal(mem_read(C, 0x900000, 8, 0), 0xdddd);
#undef GUEST
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tlbi_vae1_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlbi_vae1_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlbi_vmalle1_aside1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlbi_broadcast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlbi_ipas2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ttbr_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_asid_switch_a1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vhe_host_vttbr_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dc_zva, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dc_zva_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_traps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_el2_regime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vhe_el20, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_guest_sets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
