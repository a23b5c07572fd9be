/*
 * The TLB model's costs as a guest sees them (docs/timing.md "TLB model";
 * Arm ARM D8.11 ASIDs, D8.12 VMIDs, D8.13 TLB maintenance). A hypervisor
 * runs an EL1 guest with its MMU on under stage 2 with VMID 1, then VMID 2,
 * then VMID 1 again and after TLBI ALLE1. The guest measures with
 * PMCCNTR_EL0 the cost of reading 16 non-global pages: cold (2-D walks),
 * again (L1 D hits: no TLB cost), after 40 other pages (L1 D, 32 entries,
 * evicted them: L2 hits), under another ASID (no match for nG entries:
 * walks), back under the first ASID, after TLBI ASIDE1, TLBI VAE1 and TLBI
 * VMALLE1; and the cost of running a 64-page code sled twice (more pages
 * than the 48-entry L1 I: the second run hits in the L2).
 * The printed cycle counts are the model's: cli/host_tlb runs this guest
 * with the host-side TLB shrunk or off and checks they do not change.
 */
#include "mmu_guest.h"

#define D_NG (1ull << 11)

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static uint64_t g_l1[512] __attribute__((aligned(4096)));
static uint64_t g_l2[512] __attribute__((aligned(4096)));
static uint64_t g_l3[512] __attribute__((aligned(4096)));   /* REGION: nG pages */
static uint64_t g_l3c[512] __attribute__((aligned(4096)));  /* SLED: global pages */
static uint8_t el1_stack[8192] __attribute__((aligned(16)));

#define REGION 0x40400000ul          /* 2 MiB of 4 KiB nG pages (IPA = PA) */
#define SLED   0x40600000ul          /* 64 pages of code, 4 KiB pages */
#define SLED_PAGES 64

#define NRES 12
static uint64_t res[NRES];

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    uint64_t esr = READ_SYSREG(esr_el2);
    if ((esr >> 26) == 0x16)
        return 1;                    /* HVC: the guest is done */
    putreg("unexpected ESR_EL2", esr);
    putreg("FAR_EL2", READ_SYSREG(far_el2));
    guest_exit(97);
    return 1;
}

static uint64_t touch(uint64_t base, unsigned n)
{
    uint64_t t0 = ccnt();
    for (unsigned i = 0; i < n; i++)
        (void)*(volatile uint64_t *)(base + (uint64_t)i * 4096);
    return ccnt() - t0;
}

static void set_asid(uint64_t asid)
{
    WRITE_SYSREG(ttbr0_el1, (uint64_t)g_l1 | (asid << 48));
    ISB();
}

static uint64_t run_sled(void)
{
    uint64_t t0 = ccnt();
    uint64_t n;
    __asm__ volatile("mov x0, #0\n blr %1\n mov %0, x0" : "=r"(n) : "r"(SLED) : "x0", "x30", "memory");
    uint64_t t = ccnt() - t0;
    if (n != SLED_PAGES)
        guest_exit(95);
    return t;
}

static void guest(uint64_t arg)
{
    (void)arg;
    WRITE_SYSREG(mair_el1, MAIR_VAL);
    /* T0SZ = 25, 4 KiB granule, WB IS walks, IPS 48 bits, A1 = 0, AS = 0 */
    WRITE_SYSREG(tcr_el1, 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (5ul << 32));
    set_asid(1);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    ISB();
    res[0] = touch(REGION, 16);                       /* cold: walks */
    res[1] = touch(REGION, 16);                       /* L1 D hits */
    touch(REGION + 16 * 4096, 40);                    /* evicts them from L1 D */
    res[2] = touch(REGION, 16);                       /* L2 hits */
    set_asid(2);
    res[3] = touch(REGION, 16);                       /* nG, other ASID: walks */
    set_asid(1);
    res[4] = touch(REGION, 16);                       /* ASID 1 again */
    __asm__ volatile("dsb ishst\n tlbi aside1, %0\n dsb ish\n isb" ::"r"(1ul << 48) : "memory");
    res[5] = touch(REGION, 16);                       /* ASID 1 dropped: walks */
    __asm__ volatile("dsb ishst\n tlbi vae1, %0\n dsb ish\n isb" ::"r"((1ul << 48) | (REGION >> 12))
                     : "memory");
    res[6] = touch(REGION, 2);                        /* page 0 walks, page 1 hits */
    res[7] = run_sled();                              /* 64 code pages, cold */
    res[8] = run_sled();                              /* L1 I too small: L2 hits */
    __asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb ish\n isb" ::: "memory");
    res[9] = touch(REGION, 16);                       /* this VMID dropped: walks */
    __asm__ volatile("mov x0, #0\n hvc #0" ::: "x0", "memory");
    __builtin_unreachable();
}

static void run(const char *what, uint64_t vmid)
{
    WRITE_SYSREG(vttbr_el2, (uint64_t)s2_l1 | (vmid << 48));
    ISB();
    run_el1(guest, (uint64_t)el1_stack + sizeof el1_stack, 0);
    putreg(what, vmid);
    putreg("  cold 16 pages", res[0]);
    putreg("  again (L1 D hits)", res[1]);
    putreg("  after 40 others (L2 hits)", res[2]);
    putreg("  ASID 2 (walks)", res[3]);
    putreg("  ASID 1 again", res[4]);
    putreg("  after TLBI ASIDE1", res[5]);
    putreg("  after TLBI VAE1 (2 pages)", res[6]);
    putreg("  code sled cold", res[7]);
    putreg("  code sled again", res[8]);
    putreg("  after TLBI VMALLE1", res[9]);
}

int main(void)
{
    WRITE_SYSREG(vbar_el2, (uint64_t)vectors_el2);
    /* Guest stage 1: 1-2 GiB, the first 4 MiB as global blocks (code, data,
     * tables, stacks), REGION as nG pages, SLED as global pages. */
    g_l1[1] = (uint64_t)g_l2 | D_TABLE;
    g_l2[0] = 0x40000000ul | NORMAL | D_BLOCK;
    g_l2[1] = 0x40200000ul | NORMAL | D_BLOCK;
    g_l2[2] = (uint64_t)g_l3 | D_TABLE;
    g_l2[3] = (uint64_t)g_l3c | D_TABLE;
    for (unsigned i = 0; i < 512; i++) {
        g_l3[i] = (REGION + i * 4096ul) | NORMAL | D_NG | D_PXN | D_UXN | D_PAGE;
        g_l3c[i] = (SLED + i * 4096ul) | NORMAL | D_PAGE;
    }
    /* The sled: each page adds 1 to x0 and branches to the next page; the
     * last one returns. */
    for (unsigned p = 0; p < SLED_PAGES; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(SLED + p * 4096ul);
        w[0] = 0x91000400;                               /* add x0, x0, #1 */
        w[1] = p + 1 < SLED_PAGES ? 0x140003ff : 0xd65f03c0;   /* b .+4092 / ret */
    }
    __asm__ volatile("dsb ish\n ic iallu\n dsb ish\n isb" ::: "memory");
    /* Stage 2: identity for 0x40000000..0x40800000 as 2 MiB blocks. */
    s2_l1[1] = (uint64_t)s2_l2 | D_TABLE;
    for (unsigned i = 0; i < 4; i++)
        s2_l2[i] = (0x40000000ul + i * 0x200000ul) | S2_NORMAL | S2_RW | D_BLOCK;
    WRITE_SYSREG(vtcr_el2, 32 | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 16) |
                               (1ul << 31));
    WRITE_SYSREG(sctlr_el1, 0x30d00800);
    WRITE_SYSREG(hcr_el2, (1ul << 31) | 1);            /* RW, VM */
    /* PMCCNTR_EL0 counting at EL1 (PMCR_EL0.E, PMCNTENSET_EL0.C) */
    WRITE_SYSREG(pmcr_el0, 1);
    WRITE_SYSREG(pmcntenset_el0, 1ul << 31);
    ISB();
    run("VMID", 1);
    run("VMID", 2);                                  /* other VMID: cold again */
    run("VMID", 1);
    __asm__ volatile("dsb ishst\n tlbi alle1\n dsb ish\n isb" ::: "memory");
    run("after TLBI ALLE1, VMID", 1);
    return 0;
}
