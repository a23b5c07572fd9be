#include "guest.h"

int guest_failures;

void putc_(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    while (uart[0x18 / 4] & (1u << 5))   /* UARTFR.TXFF */
        ;
    uart[0] = (uint32_t)(unsigned char)c;
}

void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}

void putdec(uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc_(buf[--n]);
}

void putreg(const char *name, uint64_t v)
{
    puts_(name);
    puts_(": ");
    puthex(v);
    putc_('\n');
}

static int has_el2(void)
{
    return ((READ_SYSREG(ID_AA64PFR0_EL1) >> 8) & 0xf) != 0;
}

uint64_t firmware_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    if (current_el() == 1 && !has_el2())
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    else
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return x0;
}

void guest_exit(int status)
{
    if (status == 0 && guest_failures)
        status = 1;
    if (status == 0)
        firmware_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    else
        firmware_call(A83_SMCCC_EXIT, (uint64_t)status, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

void check_eq(const char *what, uint64_t got, uint64_t want)
{
    if (got == want)
        return;
    guest_failures++;
    puts_("FAIL ");
    puts_(what);
    puts_(": got ");
    puthex(got);
    puts_(" want ");
    puthex(want);
    putc_('\n');
}
