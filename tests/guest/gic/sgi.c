/*
 * SGIs between two CPUs (GICv3 spec 12.2.23 ICC_SGI1R_EL1): CPU 0 sends
 * SGI 1 to CPU 1 by target list, CPU 1 answers with SGI 2, then CPU 1
 * broadcasts SGI 3 with IRM = 1 (every PE but itself).
 */
#include "gic_guest.h"
#include "secondary.h"

volatile uint32_t got[2][16];
volatile uint32_t sec_ready, bcast_sent;

void on_irq(unsigned cpu, unsigned id)
{
    if (cpu < 2 && id < 16)
        got[cpu][id]++;
    if (cpu == 1 && id == 1) {
        WSR(ICC_SGI1R_EL1, (2ul << 24) | 1);          /* SGI 2 to CPU 0 */
        ISB();
    }
}

void secondary_main(void);
void secondary_main(void)
{
    vectors_install();
    gic_cpu_init(1);
    gic_enable_private(1, 1);
    sec_ready = 1;
    wait_flag(&got[1][1]);
    WSR(ICC_SGI1R_EL1, (3ul << 24) | (1ul << 40));    /* IRM: all but self */
    ISB();
    bcast_sent = 1;
    for (;;)
        __asm__ volatile("wfi");
}

int main(void)
{
    vectors_install();
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, 2);
    gic_enable_private(0, 3);
    gic_enable_private(1, 3);
    check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 0), 0);
    while (!sec_ready)
        ;
    WSR(ICC_SGI1R_EL1, (1ul << 24) | (1ul << 1));     /* SGI 1, target CPU 1 */
    ISB();
    wait_flag(&got[0][2]);
    putreg("CPU 1 got SGI 1", got[1][1]);
    putreg("CPU 0 got SGI 2", got[0][2]);
    wait_flag(&got[0][3]);
    putreg("CPU 0 got broadcast SGI 3", got[0][3]);
    putreg("CPU 1 got its own broadcast", got[1][3]);
    return 0;
}
