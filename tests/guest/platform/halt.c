/* A guest that waits for an interrupt that can never come (all masked,
 * no timer, no device armed) ends the run: the command reports that
 * every CPU waits with no possible wake-up event and exits with 3
 * (docs/cli.md). */
#include "guest.h"

int main(void)
{
    puts_("waiting forever\n");
    for (;;)
        __asm__ volatile("wfi");
}
