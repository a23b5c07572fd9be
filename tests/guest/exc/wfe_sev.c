/*
 * WFE/SEV/SEVL (Arm ARM D1.16): a secondary CPU waits in WFE for a flag;
 * the boot CPU sets it and executes SEV, which sets every PE's event
 * register and wakes it. SEVL + WFE completes at once on the local PE.
 * Without a working SEV the secondary sleeps forever (no interrupts are
 * enabled) and the run ends with "halted forever".
 */
#include "guest.h"
#include "secondary.h"

volatile uint32_t stage, flag;
volatile uint64_t wakeups;

void secondary_main(void);
void secondary_main(void)
{
    __asm__ volatile("sevl\n wfe\n wfe" ::: "memory");   /* SEVL: the first WFE completes */
    stage = 1;
    while (!flag) {
        __asm__ volatile("wfe" ::: "memory");
        wakeups++;
    }
    stage = 2;
    firmware_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    /* SEVL + WFE on the boot CPU: no sleep */
    __asm__ volatile("sevl\n wfe" ::: "memory");
    puts_("sevl+wfe: completed\n");
    /* The secondary consumes its SEVL event, then sleeps in the second WFE
     * until... it would sleep forever: the first SEV below releases it. */
    check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 0), 0);
    __asm__ volatile("sev" ::: "memory");     /* wakes the second WFE of the prologue */
    while (stage != 1)
        __asm__ volatile("sev" ::: "memory");
    for (volatile int i = 0; i < 20000; i++)
        ;
    flag = 1;
    __asm__ volatile("dsb ish\n sev" ::: "memory");
    while (stage != 2)
        ;
    puts_("secondary woken by SEV\n");
    check_eq("wakeups >= 1", wakeups >= 1, 1);
    return 0;
}
