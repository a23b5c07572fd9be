/*
 * Clocks of busy CPUs stay together (docs/timers.md "The scheduler"):
 * CPU 0 runs a loop of SDIVs (12 cycles each in the default profile) while
 * CPU 1 spins on YIELD (1 cycle). Both publish their CNTPCT_EL0 in memory
 * after every iteration and compare it with the other's latest value. The
 * scheduler measures rounds in cycles, so the two physical counts (Arm ARM
 * D11.1.2: one system count seen by every PE) never differ by more than
 * one round plus the overrun of a CPU's last chunk: the bound asserted is
 * one round (--quantum 1000: 1000 cycles, 62.5 ticks at 16 cycles per
 * tick) plus 200 cycles of overrun and publication staleness, i.e. 75
 * ticks. Rounds counted in instructions gave CPU 0 about five times as many
 * cycles per round as CPU 1, and the skew grew without bound (thousands of
 * ticks here).
 */
#include "guest.h"

#define ITERS 3000
#define BOUND_TICKS 75

volatile uint64_t pub[2];
volatile uint64_t maxskew[2];
volatile uint32_t started[2], finished;

static void observe(unsigned me)
{
    uint64_t now = READ_SYSREG(CNTPCT_EL0);
    pub[me] = now;
    uint64_t other = pub[!me];
    uint64_t d = now > other ? now - other : other - now;
    if (d > maxskew[me])
        maxskew[me] = d;
}

void secondary_main(void);
void secondary_entry(void);
__asm__(".text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "    ldr x2, =__stack_top\n"
        "    add sp, x2, #0x4000\n"
        "    bl secondary_main\n"
        "1:  wfi\n"
        "    b 1b\n");

void secondary_main(void)
{
    pub[1] = READ_SYSREG(CNTPCT_EL0);
    started[1] = 1;
    while (!started[0])
        pub[1] = READ_SYSREG(CNTPCT_EL0);   /* keep publishing while waiting */
    while (!finished) {
        __asm__ volatile("yield; yield; yield; yield; yield; yield; yield; yield");
        observe(1);
    }
    for (;;)
        __asm__ volatile("wfi");
}

int main(void)
{
    check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 0), 0);
    while (!started[1])
        pub[0] = READ_SYSREG(CNTPCT_EL0);
    started[0] = 1;
    uint64_t t0 = READ_SYSREG(CNTPCT_EL0);
    int64_t x = 1000000007;
    for (unsigned i = 0; i < ITERS; i++) {
        int64_t q;
        for (int k = 0; k < 8; k++) {
            __asm__ volatile("sdiv %0, %1, %2" : "=r"(q) : "r"(x), "r"((int64_t)(k + 3)));
            x ^= q;
        }
        observe(0);
    }
    finished = 1;
    uint64_t t1 = READ_SYSREG(CNTPCT_EL0);
    puts_("divide loop ran for more than 100 rounds: ");
    puts_(t1 - t0 > 100 * 1000 / 16 ? "yes\n" : "no\n");
    for (unsigned c = 0; c < 2; c++) {
        puts_("CPU ");
        putdec(c);
        puts_(" max skew (ticks): ");
        putdec(maxskew[c]);
        puts_(maxskew[c] <= BOUND_TICKS ? " (within one round)\n" : " (MORE THAN ONE ROUND)\n");
    }
    return guest_failures || maxskew[0] > BOUND_TICKS || maxskew[1] > BOUND_TICKS;
}
