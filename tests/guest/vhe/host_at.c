/*
 * The translation regime of each {E2H,TGE} combination (Arm ARM D8.1.2,
 * "Translation regimes"; the AT S1E0R/S1E1R pseudocode): at EL2 with
 * {E2H,TGE} = {1,1}, AT S1E0R and AT S1E1R translate in the EL2&0 regime
 * (TTBR0_EL2/TTBR1_EL2, EL0 permissions from AP[1]); otherwise in the
 * EL1&0 regime (TTBR0_EL1), whose stage 1 behaves as disabled with
 * {E2H,TGE} = {0,1} (SCTLR_EL1.M treated as 0: PA = VA; AArch64.S1Enabled). Two distinct page tables map the same VA to
 * different pages, so the PA in PAR_EL1 shows which regime was used; in
 * the EL2&0 regime a page without AP[1] gives an EL0 permission fault.
 */
#include "../exc/exc_harness.h"

#define HCR_RW  (1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define D_TABLE 3ull
#define D_BLOCK 1ull
#define D_PAGE 3ull
#define D_AF (1ull << 10)
#define D_SH_IS (3ull << 8)
#define D_AP_EL0 (1ull << 6)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)
#define NORMAL (D_AF | D_SH_IS)
#define DEVICE (D_AF | (1ull << 2) | D_PXN | D_UXN)

static uint64_t e2_l1[512] __attribute__((aligned(4096)));
static uint64_t e2_l2[512] __attribute__((aligned(4096)));
static uint64_t e2_l3[512] __attribute__((aligned(4096)));
static uint64_t e1_l1[512] __attribute__((aligned(4096)));
static uint64_t e1_l2[512] __attribute__((aligned(4096)));
static uint64_t e1_l3[512] __attribute__((aligned(4096)));
static uint8_t page_e2[4096] __attribute__((aligned(4096)));
static uint8_t page_e2_priv[4096] __attribute__((aligned(4096)));
static uint8_t page_e1[4096] __attribute__((aligned(4096)));

#define VA_USER 0x1000ull     /* EL2&0: AP = 01 (EL0 and EL2); EL1&0: AP = 01 */
#define VA_PRIV 0x2000ull     /* EL2&0: AP = 00 (EL2 only) */

static uint64_t at(unsigned which, uint64_t va)
{
    if (which == 0)
        __asm__ volatile("at s1e0r, %0\n isb" ::"r"(va));
    else
        __asm__ volatile("at s1e1r, %0\n isb" ::"r"(va));
    return READ_SYSREG(par_el1);
}

static void show(const char *what, uint64_t par, uint64_t want_pa)
{
    puts_(what);
    if (par & 1) {
        puts_(": fault FST ");
        puthex((par >> 1) & 0x3f);
    } else {
        puts_(": PA ");
        puthex(par & 0xfffffffff000ull);
    }
    putc_('\n');
    if (want_pa) {
        check_eq(what, par & 1, 0);
        check_eq(what, par & 0xfffffffff000ull, want_pa);
    } else {
        check_eq(what, par & 0x7f, 1 | (0x0f << 1));   /* permission fault, level 3 */
    }
}

int main(void)
{
    exc_install();
    /* EL2&0 tables: identity RAM (EL2 only), UART; VA_USER, VA_PRIV pages */
    e2_l1[0] = (uint64_t)e2_l2 | D_TABLE;
    e2_l1[1] = 0x40000000ull | NORMAL | D_BLOCK;
    e2_l2[0] = (uint64_t)e2_l3 | D_TABLE;
    e2_l2[0x48] = 0x09000000ull | DEVICE | D_BLOCK;     /* UART 2 MiB block */
    e2_l3[1] = (uint64_t)page_e2 | NORMAL | D_PAGE | D_AP_EL0 | D_PXN;
    e2_l3[2] = (uint64_t)page_e2_priv | NORMAL | D_PAGE;
    /* EL1&0 tables: VA_USER -> page_e1 */
    e1_l1[0] = (uint64_t)e1_l2 | D_TABLE;
    e1_l2[0] = (uint64_t)e1_l3 | D_TABLE;
    e1_l3[1] = (uint64_t)page_e1 | NORMAL | D_PAGE | D_AP_EL0 | D_PXN;
    e1_l3[2] = (uint64_t)page_e1 | NORMAL | D_PAGE | D_AP_EL0 | D_PXN;

    WRITE_SYSREG(mair_el1, 0x04ffull);
    WRITE_SYSREG(tcr_el1, 25ull | (1ull << 23) | (2ull << 32));       /* T0SZ 25, EPD1 */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)e1_l1);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1);
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_E2H);
    ISB();
    WRITE_SYSREG(mair_el2, 0x04ffull);
    /* TCR_EL2, E2H layout: T0SZ 25, EPD1, IPS 40 bits */
    WRITE_SYSREG(tcr_el2, 25ull | (1ull << 23) | (2ull << 32));
    WRITE_SYSREG(ttbr0_el2, (uint64_t)e2_l1);
    __asm__ volatile("dsb sy\n isb" ::: "memory");
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | 1);
    ISB();

    static const uint64_t cfg[4] = { 0, HCR_TGE, HCR_E2H, HCR_E2H | HCR_TGE };
    static const char *const nm[4] = { "E2H=0 TGE=0", "E2H=0 TGE=1", "E2H=1 TGE=0",
                                       "E2H=1 TGE=1" };
    /* E2H must stay 1 while the EL2&0 MMU is on: run the E2H=0 cases with
     * the EL2 MMU off */
    for (int k = 3; k >= 0; k--) {
        if (!(cfg[k] & HCR_E2H)) {
            WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~1ull);
            ISB();
        }
        WRITE_SYSREG(hcr_el2, HCR_RW | cfg[k]);
        ISB();
        puts_(nm[k]);
        putc_('\n');
        int host = k == 3, s1off = k == 1;
        uint64_t user = host ? (uint64_t)page_e2 : s1off ? VA_USER : (uint64_t)page_e1;
        show("  AT S1E0R user page", at(0, VA_USER), user);
        show("  AT S1E1R user page", at(1, VA_USER), user);
        if (host)
            show("  AT S1E0R EL2-only page", at(0, VA_PRIV), 0);
        else
            show("  AT S1E0R second page", at(0, VA_PRIV), s1off ? VA_PRIV : (uint64_t)page_e1);
        if (k == 2) {
            WRITE_SYSREG(hcr_el2, HCR_RW | HCR_E2H);
            ISB();
        }
    }
    WRITE_SYSREG(hcr_el2, HCR_RW);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~1ull);
    ISB();
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
