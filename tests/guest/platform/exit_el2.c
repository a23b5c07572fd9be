/* The OEM exit call through the SMC conduit from EL2 (virtualization=on):
 * main returns 7 -> exit status 7 (docs/guest-exit.md). */
#include "guest.h"

int main(void)
{
    putreg("CurrentEL", current_el());
    return 7;
}
