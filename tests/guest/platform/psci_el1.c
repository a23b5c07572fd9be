/* PSCI/SMCCC from EL1 without EL2: the conduit is HVC (docs/guest-exit.md). */
#include "psci_common.h"

int main(void)
{
    putreg("CurrentEL", current_el());
    putreg("ID_AA64PFR0_EL1.EL2", (READ_SYSREG(ID_AA64PFR0_EL1) >> 8) & 0xf);
    psci_checks();
    return 0;
}
