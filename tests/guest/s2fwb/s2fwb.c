/*
 * FEAT_S2FWB (Arm ARM D24.2 HCR_EL2.FWB, D8.6 "Stage 2 memory type and
 * Cacheability attributes when FEAT_S2FWB is enabled"; ID_AA64MMFR2_EL1.FWB)
 * as `-cpu max` implements it, and `s2fwb=off` (s2fwb_off.args). EL1&0
 * stage 1 is off, so its data accesses are Device-nGnRnE; stage 2 maps the
 * guest RAM as one 1 GB block whose MemAttr is varied:
 *  - MemAttr 0b0110 with FWB = 1 is "forced Write-Back": AT S12E1R reports
 *    Normal WB (PAR_EL1.ATTR 0xFF); with FWB = 0 (or without the feature,
 *    where FWB is RES0) it is Normal NC/WT, combined with stage 1's Device
 *    to Device-nGnRnE (ATTR 0x00);
 *  - MemAttr 0b0111 with FWB = 1 means "the stage 1 attributes": Device.
 */
#include "../nv/nv_common.h"

/* Stage 2 block descriptor fields (Arm ARM D8.3) */
#define D_BLOCK 1ull
#define D_AF    (1ull << 10)
#define D_SH_IS (3ull << 8)
#define S2_RW   (3ull << 6)

#define HCR_VM  (1ull << 0)
#define HCR_FWB (1ull << 46)
#define RAM_IPA 0x40000000ull

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static volatile uint64_t data[4] __attribute__((aligned(64))) = { 0x1122334455667788ull,
                                                                  0x99aabbccddeeff00ull };

static void map(unsigned memattr)
{
    s2_l1[1] = RAM_IPA | D_AF | D_SH_IS | S2_RW | ((uint64_t)memattr << 2) | D_BLOCK;
    __asm__ volatile("dsb ishst\n tlbi alle1\n dsb ish\n isb" ::: "memory");
}

static uint64_t par_attr(void)
{
    __asm__ volatile("at s12e1r, %0\n isb" ::"r"((uint64_t)&data[0]) : "memory");
    uint64_t par = READ_SYSREG(par_el1);
    check_eq("AT S12E1R succeeded", par & 1, 0);
    return par >> 56;
}

static void report(const char *what, uint64_t hcr, unsigned memattr)
{
    set_hcr(hcr);
    map(memattr);
    uint64_t attr = par_attr();
    puts_(what);
    puts_(": PAR_EL1.ATTR ");
    puthex(attr);
    putc_('\n');
}

int main(void)
{
    exc_install();
    unsigned fwb = (READ_SYSREG(id_aa64mmfr2_el1) >> 40) & 0xf;
    putreg("ID_AA64MMFR2_EL1.FWB", fwb);
    check_eq("FWB is 0 or 1", fwb <= 1, 1);
    set_hcr(HCR_FWB);
    check_eq("HCR_EL2.FWB writable iff FWB", (READ_SYSREG(hcr_el2) & HCR_FWB) != 0, fwb);
    set_hcr(0);

    WRITE_SYSREG(vtcr_el2, 32 | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 16) |
                               (1ul << 31));
    WRITE_SYSREG(vttbr_el2, (uint64_t)s2_l1);
    WRITE_SYSREG(sctlr_el1, 0x30d00800);          /* stage 1 off */
    ISB();

    report("FWB=0, MemAttr 0110", HCR_VM, 0x6);
    check_eq("FWB=0: Device", par_attr(), 0x00);
    report("FWB=1, MemAttr 0110", HCR_VM | HCR_FWB, 0x6);
    check_eq("FWB=1 0110: forced Write-Back", par_attr(), fwb ? 0xff : 0x00);
    report("FWB=1, MemAttr 0111", HCR_VM | HCR_FWB, 0x7);
    check_eq("FWB=1 0111: stage 1 (Device)", par_attr(), 0x00);
    set_hcr(0);
    return guest_failures;
}
