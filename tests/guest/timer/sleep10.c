/*
 * A WFI sleep of 10 simulated seconds: the EL1 physical timer is set 10 s
 * ahead (TVAL = 10 * CNTFRQ_EL0) and the CPU waits in WFI with IRQs
 * masked (a pending IRQ still ends WFI, Arm ARM D1.16.2). The scheduler
 * jumps time to the deadline instead of executing 10^10 cycles, so this
 * finishes in milliseconds of host time.
 */
#include "../gic/gic_guest.h"

void on_irq(unsigned cpu, unsigned id) { (void)cpu; (void)id; }

int main(void)
{
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, 30);
    uint64_t frq = RSR(CNTFRQ_EL0);
    putreg("CNTFRQ_EL0", frq);
    uint64_t t0 = RSR(CNTPCT_EL0);
    WSR(CNTP_TVAL_EL0, 10 * frq);
    WSR(CNTP_CTL_EL0, 1);
    ISB();
    unsigned wakeups = 0;
    while (!(RSR(CNTP_CTL_EL0) & 4)) {   /* ISTATUS */
        __asm__ volatile("wfi");
        wakeups++;
    }
    uint64_t t1 = RSR(CNTPCT_EL0);
    WSR(CNTP_CTL_EL0, 0);
    putreg("seconds slept", (t1 - t0) / frq);
    putreg("WFI wake-ups", wakeups);
    return 0;
}
