/*
 * WFE woken by the clearing of the global exclusive monitor (Arm ARM D1.16.1,
 * "Wait for Event": an event is generated when the global monitor for the PE
 * is cleared), and time spent waiting in WFE (Arm ARM D11.1.2: the system
 * counter gives every PE a uniform view of time).
 *
 * The secondary waits for a flag with Linux's __cmpwait idiom (LDAXR, then
 * WFE while the value is unchanged); the boot CPU runs for a long time, reads
 * CNTVCT_EL0 (t0) and then stores the flag: no SEV, no interrupt, only the
 * store that clears the secondary's monitor wakes it. The secondary then reads
 * CNTVCT_EL0 (t1). Since it observed a store made after t0 was read, t1 >= t0.
 *
 * Regression: WFE with a valid monitor used to give up the CPU's turn
 * without halting, so the waiting CPU executed a few instructions per
 * scheduler round and its clock fell far behind the other CPUs' (t1 << t0).
 * With 8 CPUs Linux live-locked in timekeeping_advance() that way.
 */
#include "guest.h"
#include "secondary.h"

volatile uint32_t stage, flag;
volatile uint64_t t0, t1, spins;

void secondary_main(void);
static inline uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v) :: "memory");
    return v;
}

void secondary_main(void)
{
    stage = 1;
    for (;;) {
        uint32_t v;
        /* LDAXR marks the flag in the monitor; WFE sleeps until it is cleared */
        __asm__ volatile("sevl\n wfe\n"          /* consume any stale event */
                         "ldaxr %w0, [%1]\n"
                         "cbnz %w0, 1f\n"
                         "wfe\n"
                         "1:"
                         : "=&r"(v) : "r"(&flag) : "memory");
        if (flag)
            break;
        spins++;
    }
    t1 = cntvct();
    stage = 2;
    firmware_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 0), 0);
    while (stage != 1)
        ;
    for (volatile int i = 0; i < 200000; i++)   /* about 1.4M instructions */
        ;
    t0 = cntvct();
    __asm__ volatile("dsb ish" ::: "memory");
    flag = 1;                                   /* no SEV: the monitor clear is the event */
    while (stage != 2)
        ;
    check_eq("woken by the store", stage, 2);
    check_eq("t1 >= t0 (uniform system counter)", t1 >= t0, 1);
    check_eq("few wake-ups (WFE slept)", spins < 16, 1);
    puts_("secondary woken by the store that cleared its monitor\n");
    return 0;
}
