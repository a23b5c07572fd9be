/*
 * FEAT_NV2 under a VHE host: with HCR_EL2.E2H = 1 the NVMem[] accesses use
 * the EL2&0 translation regime (Arm ARM: NVMem's AccessDescriptor is for
 * EL2 in the current EL2 regime), so VNCR_EL2 may hold an upper-range
 * (TTBR1_EL2) virtual address, as a VHE kernel would use. The guest
 * hypervisor at EL1 (NVx = '101') writes and reads SCTLR_EL12 and
 * VTTBR_EL2; the values land in the page mapped at the high VA. A VNCR
 * page that is not mapped gives a data abort to EL2 (EC 0x24) with
 * ISS.VNCR = 1, the stage-1 DFSC (translation fault, level 3) and FAR_EL2 =
 * the VNCR VA + offset.
 */
#include "nv_common.h"

#define D_TABLE 3ull
#define D_BLOCK 1ull
#define D_PAGE 3ull
#define D_AF (1ull << 10)
#define D_SH_IS (3ull << 8)
#define D_IDX(n) ((uint64_t)(n) << 2)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)
#define NORMAL (D_AF | D_SH_IS | D_IDX(0))
#define DEVICE (D_AF | D_IDX(1) | D_PXN | D_UXN)
#define HI 0xffffff8000000000ull        /* T1SZ = 25: the upper range */

static uint64_t lo_l1[512] __attribute__((aligned(4096)));
static uint64_t hi_l1[512] __attribute__((aligned(4096)));
static uint64_t hi_l2[512] __attribute__((aligned(4096)));
static uint64_t hi_l3[512] __attribute__((aligned(4096)));
static volatile uint64_t page[512] __attribute__((aligned(4096)));

volatile uint64_t g_val;
ACCESS(w_sctlr12, "ldr x1, =g_val\n ldr x0, [x1]\n msr S3_5_C1_C0_0, x0")
ACCESS(r_sctlr12, "mrs x0, S3_5_C1_C0_0")
ACCESS(w_vttbr, "ldr x1, =g_val\n ldr x0, [x1]\n msr vttbr_el2, x0")
ACCESS(a_tpidr2, "msr tpidr_el2, x3")

int main(void)
{
    exc_install();
    lo_l1[0] = 0x00000000ull | DEVICE | D_BLOCK;
    lo_l1[1] = 0x40000000ull | NORMAL | D_BLOCK;
    hi_l1[0] = (uint64_t)hi_l2 | D_TABLE;
    hi_l2[0] = (uint64_t)hi_l3 | D_TABLE;
    hi_l3[0] = (uint64_t)page | NORMAL | D_PXN | D_UXN | D_PAGE;

    set_hcr(HCR_E2H);
    WRITE_SYSREG(mair_el2, 0x04ffull);
    /* TCR_EL2 in the E2H layout: T0SZ = T1SZ = 25, TG1 = 4 KiB, IPS 48 bits */
    WRITE_SYSREG(tcr_el2, 25ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | (25ull << 16) |
                              (1ull << 24) | (1ull << 26) | (3ull << 28) | (2ull << 30) |
                              (5ull << 32));
    WRITE_SYSREG(ttbr0_el2, (uint64_t)lo_l1);
    WRITE_SYSREG(S3_4_C2_C0_1, (uint64_t)hi_l1);          /* TTBR1_EL2 */
    __asm__ volatile("dsb sy\n isb" ::: "memory");
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | 1 | (1 << 2) | (1 << 12));
    ISB();

    WRITE_SYSREG(S3_4_C2_C2_0, HI);                       /* VNCR_EL2 */
    putreg("VNCR_EL2", READ_SYSREG(S3_4_C2_C2_0));
    check_eq("VNCR_EL2 keeps the upper bits", READ_SYSREG(S3_4_C2_C2_0), HI);
    set_hcr(HCR_E2H | HCR_NV | HCR_NV2);
    g_val = 0x30d00980;
    at_el1(w_sctlr12);
    check_eq("SCTLR_EL12 write: no exit but the harness's", exc_rec.count, 1);
    g_val = 0x0001000000042000ull;
    at_el1(w_vttbr);
    putreg("page[0x110] (SCTLR_EL12)", page[0x110 / 8]);
    putreg("page[0x20] (VTTBR_EL2)", page[0x20 / 8]);
    check_eq("SCTLR_EL12 at HI+0x110", page[0x110 / 8], 0x30d00980);
    check_eq("VTTBR_EL2 at HI+0x20", page[0x20 / 8], 0x0001000000042000ull);
    page[0x110 / 8] = 0x5555;
    check_eq("SCTLR_EL12 read", at_el1(r_sctlr12), 0x5555);

    /* VNCR page not mapped: translation fault, level 3 */
    WRITE_SYSREG(S3_4_C2_C2_0, HI + 0x10000);
    ISB();
    at_el1(a_tpidr2);
    putreg("unmapped VNCR: ESR_EL2", exc_rec.esr);
    putreg("unmapped VNCR: FAR_EL2", exc_rec.far);
    check_eq("ESR", exc_rec.esr, (0x24ull << EC_SHIFT) | ESR_IL | (1u << 13) | (1u << 6) | 0x07);
    check_eq("FAR", exc_rec.far, HI + 0x10000 + 0x90);
    check_eq("ELR", exc_rec.elr, (uint64_t)a_tpidr2);

    set_hcr(HCR_E2H);
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~1ull);
    ISB();
    set_hcr(0);
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
