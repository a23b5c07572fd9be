/*
 * ID registers as Linux/KVM read them (Arm ARM D13.2 identification
 * registers), with EL2: the values advertise exactly the default feature
 * set; MIDR_EL1/MPIDR_EL1 read at EL1 return VPIDR_EL2/VMPIDR_EL2
 * (Arm ARM D13.2.85/86), which reset to the real values.
 */
#include "../exc/exc_harness.h"

static uint64_t el1_midr(void) { return READ_SYSREG(midr_el1); }
static uint64_t el1_mpidr(void) { return READ_SYSREG(mpidr_el1); }

#define SHOW(r) putreg(#r, READ_SYSREG(r))

int main(void)
{
    exc_install();
    SHOW(CurrentEL);
    SHOW(midr_el1);
    SHOW(mpidr_el1);
    SHOW(revidr_el1);
    SHOW(id_aa64pfr0_el1);
    SHOW(id_aa64pfr1_el1);
    SHOW(id_aa64isar0_el1);
    SHOW(id_aa64isar1_el1);
    SHOW(id_aa64mmfr0_el1);
    SHOW(id_aa64mmfr1_el1);
    SHOW(id_aa64mmfr2_el1);
    SHOW(id_aa64dfr0_el1);
    SHOW(id_aa64dfr1_el1);
    SHOW(id_aa64afr0_el1);
    SHOW(id_pfr0_el1);
    SHOW(id_isar0_el1);
    SHOW(mvfr0_el1);
    SHOW(ctr_el0);
    SHOW(dczid_el0);
    SHOW(clidr_el1);
    WRITE_SYSREG(csselr_el1, 0);     /* L1 data */
    ISB();
    SHOW(ccsidr_el1);
    WRITE_SYSREG(csselr_el1, 1);     /* L1 instruction */
    ISB();
    SHOW(ccsidr_el1);
    WRITE_SYSREG(csselr_el1, 2);     /* L2 unified */
    ISB();
    SHOW(ccsidr_el1);
    SHOW(vpidr_el2);
    SHOW(vmpidr_el2);
    /* Reserved ID space encoding (op0=3 op1=0 CRn=0 CRm=3 op2=3): RAZ */
    putreg("S3_0_C0_C3_3", READ_SYSREG(S3_0_C0_C3_3));

    /* EL1 sees the virtualized IDs */
    WRITE_SYSREG(vpidr_el2, 0x411fd070);
    WRITE_SYSREG(vmpidr_el2, 0x80000101);
    WRITE_SYSREG(hcr_el2, 1ull << 31);
    ISB();
    putreg("EL1 MIDR_EL1", run_lower(el1_midr, SPSR_EL1H, LOWER_SP));
    putreg("EL1 MPIDR_EL1", run_lower(el1_mpidr, SPSR_EL1H, LOWER_SP));
    putreg("EL2 MIDR_EL1", READ_SYSREG(midr_el1));
    return 0;
}
