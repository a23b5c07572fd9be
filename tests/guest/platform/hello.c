/* Bare-metal hello world: prints through the PL011 and powers off with
 * PSCI SYSTEM_OFF (main returns 0). docs/board.md, docs/guest-exit.md. */
#include "guest.h"

int main(void)
{
    puts_("Hello, world from arm83emu!\n");
    return 0;
}
