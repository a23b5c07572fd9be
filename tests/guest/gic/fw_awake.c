/*
 * The board's firmware leaves every redistributor awake (docs/gic.md,
 * "Firmware hand-off"), as TF-A does on real boards: software that never
 * touches GICR_WAKER gets an SGI to itself and its timer PPI. The spec's
 * behaviour of GICR_WAKER still holds for software that puts the
 * redistributor to sleep (GICv3 spec 12.11.41: ProcessorSleep = 1 makes
 * ChildrenAsleep read 1, and no interrupt is forwarded to the CPU
 * interface while asleep, 12.11.41 / 4.1.2); waking it delivers the
 * interrupt that became pending meanwhile.
 */
#include "gic_guest.h"

#define GICR_WAKER 0x14
#define WAKER_PROCESSORSLEEP (1u << 1)
#define WAKER_CHILDRENASLEEP (1u << 2)
#define SGI_ID 3
#define PPI_PHYS_TIMER 30

volatile uint32_t got_sgi, got_timer;

void on_irq(unsigned cpu, unsigned id)
{
    (void)cpu;
    if (id == SGI_ID)
        got_sgi++;
    if (id == PPI_PHYS_TIMER) {
        got_timer++;
        WRITE_SYSREG(CNTP_CTL_EL0, 0);   /* drop the level-sensitive line */
    }
}

static void send_sgi_to_self(void)
{
    /* ICC_SGI1R_EL1: INTID [27:24], Aff1..3 = 0, TargetList bit 0 (CPU 0) */
    WSR(ICC_SGI1R_EL1, ((uint64_t)SGI_ID << 24) | 1);
    ISB();
}

int main(void)
{
    check_eq("GICR_WAKER at hand-off", r32(GICR(0) + GICR_WAKER), 0);
    vectors_install();
    gic_dist_init();
    /* CPU interface and interrupt configuration only: no WAKER handshake */
    w32(GICR(0) + SGI_BASE + 0x80, ~0u);            /* GICR_IGROUPR0: Group 1 */
    gic_enable_private(0, SGI_ID);
    gic_enable_private(0, PPI_PHYS_TIMER);
    WSR(ICC_SRE_EL1, RSR(ICC_SRE_EL1) | 1);
    WSR(ICC_PMR_EL1, 0xF0);
    WSR(ICC_IGRPEN1_EL1, 1);
    ISB();

    send_sgi_to_self();
    wait_flag(&got_sgi);
    check_eq("SGI to self taken", got_sgi, 1);

    WRITE_SYSREG(CNTP_TVAL_EL0, 1000);
    WRITE_SYSREG(CNTP_CTL_EL0, 1);                  /* ENABLE, IMASK = 0 */
    ISB();
    wait_flag(&got_timer);
    check_eq("timer PPI taken", got_timer, 1);

    /* Put the redistributor to sleep: the spec's handshake */
    w32(GICR(0) + GICR_WAKER, WAKER_PROCESSORSLEEP);
    check_eq("GICR_WAKER asleep", r32(GICR(0) + GICR_WAKER),
             WAKER_PROCESSORSLEEP | WAKER_CHILDRENASLEEP);
    send_sgi_to_self();
    for (volatile unsigned i = 0; i < 2000; i++)
        ;
    check_eq("no SGI while asleep", got_sgi, 1);
    w32(GICR(0) + GICR_WAKER, 0);
    check_eq("GICR_WAKER awake again", r32(GICR(0) + GICR_WAKER), 0);
    wait_flag(&got_sgi);
    check_eq("pending SGI taken after waking", got_sgi, 2);
    puts_(guest_failures ? "FAILED\n" : "ok\n");
    return guest_failures;
}
