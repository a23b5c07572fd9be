/*
 * Staged scripted input (docs/cli.md): `--input ab --wait-for AB --input
 * cd\nq`. Only "ab" is in the PL011 receive FIFO at start; "cd\nq" is
 * released the moment the guest has printed "AB", and not before (the
 * FIFO is empty, UARTFR.RXFE = 1, until then).
 */
#include "guest.h"

#define UARTFR_RXFE (1u << 4)

static volatile uint32_t *const uart = (volatile uint32_t *)UART_BASE;

static int rx_empty(void) { return (uart[0x18 / 4] & UARTFR_RXFE) != 0; }

static char getc_(void)
{
    while (rx_empty())
        ;
    return (char)uart[0];
}

int main(void)
{
    char a = getc_(), b = getc_();
    int empty_before = rx_empty();
    putc_((char)(a - 32));
    putc_((char)(b - 32));          /* "AB": releases the next stage */
    int empty_after = rx_empty();
    putc_('\n');
    putreg("empty before", (uint64_t)empty_before);
    putreg("empty after", (uint64_t)empty_after);
    for (;;) {
        char ch = getc_();
        if (ch == 'q')
            break;
        putc_(ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch);
    }
    puts_("bye\n");
    return 0;
}
