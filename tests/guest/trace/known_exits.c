/*
 * A guest with a known set of exits to EL2, for the exit-trace tests
 * (tests/trace/known_exits.sh) and the determinism digests. At EL1 (entered
 * from EL2 through the exception harness) it makes:
 *   5 x HVC #7, then (first input byte & 3) x HVC #9,
 *   3 x MSR SCTLR_EL1 trapped by HCR_EL2.TVM (EC 0x18),
 *   2 x WFI trapped by HCR_EL2.TWI (EC 0x01),
 * and leaves with HVC #0xffff (the harness's return). Arm ARM D1.10 (entry),
 * D13.2.48 (HCR_EL2.TVM, TWI). It runs its guest with HCR_EL2.{IMO,FMO}
 * set, as KVM and Xen do, so that the exit trace's default host rule
 * (docs/exit-trace.md) counts EL1 as a guest; no interrupt is enabled.
 */
#include "../exc/exc_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_TVM (1ull << 26)
#define HCR_TWI (1ull << 13)
#define HCR_IMO (1ull << 4)
#define HCR_FMO (1ull << 3)
#define SPSR_EL1H 0x3c5ull

static volatile uint64_t extra;

static uint64_t el1_body(void)
{
    for (int i = 0; i < 5; i++)
        __asm__ volatile("hvc #7" ::: "memory");
    for (uint64_t i = 0; i < extra; i++)
        __asm__ volatile("hvc #9" ::: "memory");
    uint64_t s = READ_SYSREG(sctlr_el1);
    for (int i = 0; i < 3; i++)
        WRITE_SYSREG(sctlr_el1, s);
    for (int i = 0; i < 2; i++)
        __asm__ volatile("wfi" ::: "memory");
    return 0;
}

int main(void)
{
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    uint32_t byte = 0;
    if (!(uart[0x18 / 4] & (1u << 4)))       /* UARTFR.RXFE clear: a byte is there */
        byte = uart[0] & 0xff;
    extra = byte & 3;
    exc_install();
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_TVM | HCR_TWI | HCR_IMO | HCR_FMO);
    ISB();
    exc_clear();
    run_lower(el1_body, SPSR_EL1H, LOWER_SP);
    WRITE_SYSREG(hcr_el2, HCR_RW);
    puts_("exits seen by EL2: ");
    putdec(exc_rec.count);
    puts_(" (input byte ");
    putdec(byte);
    puts_(")\n");
    return exc_rec.count == 5 + extra + 3 + 2 + 1 ? 0 : 1;
}
