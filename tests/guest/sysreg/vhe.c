/*
 * VHE (FEAT_VHE, Arm ARM D5.6): at EL2 with HCR_EL2.E2H = 1 the _EL1
 * register names reach the _EL2 registers and the _EL12 names reach the
 * EL1 registers; with E2H = 0 the _EL12 names are UNDEFINED. CPACR_EL1 at
 * EL2 with E2H reaches CPTR_EL2 in its E2H layout. EL0 under E2H+TGE (the
 * host) takes its exceptions to EL2.
 */
#include "../exc/exc_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)

extern char undef12[];
static uint64_t el0_svc(void) { __asm__ volatile("svc #0x77"); return 0; }

int main(void)
{
    exc_install();
    WRITE_SYSREG(S3_4_C13_C0_1, 0x22);   /* CONTEXTIDR_EL2 */
    WRITE_SYSREG(far_el1, 0x1111);
    WRITE_SYSREG(far_el2, 0x2222);
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_E2H);
    ISB();
    putreg("CONTEXTIDR_EL1 (E2H)", READ_SYSREG(contextidr_el1));
    putreg("FAR_EL1 (E2H)", READ_SYSREG(far_el1));
    putreg("FAR_EL12 (E2H)", READ_SYSREG(S3_5_C6_C0_0));
    WRITE_SYSREG(S3_5_C6_C0_0, 0x3333);       /* FAR_EL12 */
    WRITE_SYSREG(far_el1, 0x4444);            /* reaches FAR_EL2 */
    /* CPACR_EL1 -> CPTR_EL2 (E2H layout): FPEN [21:20] */
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    putreg("CPTR_EL2 (E2H)", READ_SYSREG(cptr_el2));
    putreg("CPACR_EL12", READ_SYSREG(S3_5_C1_C0_2));

    /* host EL0: E2H + TGE, SVC to EL2 */
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_E2H | HCR_TGE);
    ISB();
    exc_clear();
    run_lower(el0_svc, SPSR_EL0T, LOWER_SP);
    putreg("host EL0 SVC: EL", exc_rec.el);
    putreg("host EL0 SVC: ESR_EL2", exc_rec.esr);

    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    putreg("FAR_EL1", READ_SYSREG(far_el1));
    putreg("FAR_EL2", READ_SYSREG(far_el2));
    putreg("CPTR_EL2", READ_SYSREG(cptr_el2));
    exc_clear();
    __asm__ volatile(".global undef12\nundef12: mrs x0, S3_5_C6_C0_0" ::: "x0");
    putreg("FAR_EL12 without E2H: ESR_EL2", exc_rec.esr);
    check_eq("ELR", exc_rec.elr, (uint64_t)undef12);
    return 0;
}
