/*
 * PSCI SYSTEM_RESET reboots the board (docs/guest-exit.md, docs/cli.md):
 * the guest starts again from the kernel's entry with fresh state, and
 * console input it has not read yet carries over. Input "rq": the first
 * boot reads 'r' and resets; the second reads 'q' and powers off.
 */
#include "guest.h"

static volatile uint32_t *const uart = (volatile uint32_t *)UART_BASE;

int main(void)
{
    puts_("boot\n");
    while (uart[0x18 / 4] & (1u << 4))     /* UARTFR.RXFE */
        ;
    char ch = (char)uart[0];
    if (ch == 'r') {
        puts_("reset\n");
        firmware_call(PSCI_SYSTEM_RESET, 0, 0, 0);
        puts_("SYSTEM_RESET returned\n");
        return 1;
    }
    puts_("off\n");
    return 0;
}
