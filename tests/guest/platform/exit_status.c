/* The arm83emu OEM exit call (0x83000001, x1 = status) ends the run with
 * that status: main returns 42 -> guest_exit(42) -> exit status 42
 * (docs/guest-exit.md). */
#include "guest.h"

int main(void)
{
    puts_("exiting with 42\n");
    return 42;
}
