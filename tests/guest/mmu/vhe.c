/*
 * VHE (FEAT_VHE, Arm ARM D8.1.2): with HCR_EL2.{E2H,TGE} = {1,1} EL2 uses
 * the EL2&0 regime, two VA ranges with TTBR0_EL2 and TTBR1_EL2 and
 * TCR_EL2 in the TCR_EL1 layout. The test maps RAM identity through
 * TTBR0_EL2 and a kernel-style high window through TTBR1_EL2, then checks
 * TLBI VAE2 on the high window, AT S1E2R, and a data abort at EL2.
 */
#include "mmu_guest.h"

static uint64_t lo_l1[512] __attribute__((aligned(4096)));
static uint64_t hi_l1[512] __attribute__((aligned(4096)));
static uint64_t hi_l2[512] __attribute__((aligned(4096)));
static uint64_t hi_l3[512] __attribute__((aligned(4096)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));

/* T1SZ = 25: the upper range is 0xffffff80_00000000 and up; the L1 index
 * of HI is 0. */
#define HI 0xffffff8000000000ul

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    return 1;
}

static uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }

int main(void)
{
    putreg("CurrentEL", current_el());
    WRITE_SYSREG(vbar_el2, (uint64_t)vectors_el2);
    lo_l1[0] = 0x00000000ul | DEVICE | D_BLOCK;
    lo_l1[1] = 0x40000000ul | NORMAL | D_BLOCK;
    hi_l1[0] = (uint64_t)hi_l2 | D_TABLE;
    hi_l2[0] = (uint64_t)hi_l3 | D_TABLE;
    hi_l3[0] = (uint64_t)page_a | NORMAL | D_PXN | D_UXN | D_PAGE;
    *(volatile uint64_t *)page_a = 0xa0a0;
    *(volatile uint64_t *)page_b = 0xb0b0;

    WRITE_SYSREG(hcr_el2, (1ul << 31) | (1ul << 34) | (1ul << 27));   /* RW, E2H, TGE */
    ISB();
    WRITE_SYSREG(mair_el2, MAIR_VAL);
    /* TCR_EL2 (E2H = 1: TCR_EL1 layout): T0SZ = T1SZ = 25, TG1 = 4KB,
     * Inner Shareable WB, IPS = 48 bits. */
    uint64_t tcr = 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) |
                   (25ul << 16) | (1ul << 24) | (1ul << 26) | (3ul << 28) | (2ul << 30) |
                   (5ul << 32);
    WRITE_SYSREG(tcr_el2, tcr);
    WRITE_SYSREG(ttbr0_el2, (uint64_t)lo_l1);
    WRITE_SYSREG(s3_4_c2_c0_1, (uint64_t)hi_l1);   /* TTBR1_EL2 */
    DSB();
    ISB();
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | 1 | (1 << 2) | (1 << 12));
    ISB();
    putreg("SCTLR_EL2.M", READ_SYSREG(sctlr_el2) & 1);
    putreg("high window", rd(HI));

    hi_l3[0] = (uint64_t)page_b | NORMAL | D_PXN | D_UXN | D_PAGE;
    __asm__ volatile("dsb ishst\n tlbi vae2, %0\n dsb ish\n isb"
                     ::"r"((HI >> 12) & ((1ul << 44) - 1)) : "memory");
    putreg("high window after TLBI VAE2", rd(HI));

    __asm__ volatile("at s1e2r, %0\n isb" ::"r"(HI + 0x18) : "memory");
    uint64_t par = READ_SYSREG(par_el1);
    check_eq("AT S1E2R PA", par & 0xfffffffff000ul, (uint64_t)page_b);
    putreg("AT S1E2R ATTR", par >> 56);

    /* Unmapped high page: data abort at EL2, EC 0x25, DFSC level 3 */
    g_exc_count = 0;
    (void)rd(HI + 0x3008);
    putreg("aborts", g_exc_count);
    putreg("ESR_EL2", g_esr);
    putreg("FAR_EL2", g_far);
    return 0;
}
