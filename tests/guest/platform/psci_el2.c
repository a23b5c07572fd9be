/* PSCI/SMCCC from EL2 with -M virt,virtualization=on: the conduit is SMC
 * (docs/guest-exit.md); the kernel is entered at EL2 (booting.rst). */
#include "psci_common.h"

int main(void)
{
    putreg("CurrentEL", current_el());
    putreg("CNTVOFF_EL2", READ_SYSREG(CNTVOFF_EL2));
    psci_checks();
    return 0;
}
