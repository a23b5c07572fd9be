/*
 * Deterministic SMP (DESIGN.md section 1): four CPUs take tickets from a
 * shared counter with LDAXR/STLXR, logging who got which ticket, then sleep
 * in WFI until CPU 0 wakes them with an SGI broadcast. The interleaving
 * depends on the round-robin quantum (-- quantum 7 in .args), and the log
 * and the counter values it prints must be the same on every run:
 * smp_order_again runs the very same program and must print the very same
 * bytes (the .expect files are identical).
 */
#include "gic_guest.h"
#include "secondary.h"

#define NCPU 4
#define PER_CPU 12

volatile uint32_t ticket;
volatile uint8_t log_[NCPU * PER_CPU];
volatile uint32_t done[NCPU], woken[NCPU];
volatile uint64_t stamp[NCPU];

void on_irq(unsigned cpu, unsigned id)
{
    if (id == 5 && cpu < NCPU)
        woken[cpu] = 1;
}

static uint32_t take_ticket(void)
{
    uint32_t old, tmp, fail;
    __asm__ volatile("1: ldaxr %w0, [%3]\n"
                     "   add %w1, %w0, #1\n"
                     "   stlxr %w2, %w1, [%3]\n"
                     "   cbnz %w2, 1b\n"
                     : "=&r"(old), "=&r"(tmp), "=&r"(fail)
                     : "r"(&ticket)
                     : "memory");
    return old;
}

static void worker(unsigned cpu)
{
    for (unsigned i = 0; i < PER_CPU; i++) {
        uint32_t t = take_ticket();
        log_[t] = (uint8_t)cpu;
        for (volatile unsigned d = 0; d < (cpu + 1) * 3; d++)
            ;
    }
    done[cpu] = 1;
    wait_flag(&woken[cpu]);
    stamp[cpu] = RSR(CNTPCT_EL0);
}

void secondary_main(void);
void secondary_main(void)
{
    unsigned cpu = cpu_id();
    vectors_install();
    gic_cpu_init(cpu);
    gic_enable_private(cpu, 5);
    worker(cpu);
    for (;;)
        __asm__ volatile("wfi");
}

int main(void)
{
    vectors_install();
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, 5);
    for (unsigned i = 1; i < NCPU; i++)
        check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, i, (uint64_t)secondary_entry, 0), 0);
    for (unsigned i = 0; i < PER_CPU; i++) {
        uint32_t t = take_ticket();
        log_[t] = 0;
    }
    done[0] = 1;
    for (unsigned i = 1; i < NCPU; i++)
        while (!done[i])
            ;
    puts_("ticket order: ");
    for (unsigned i = 0; i < NCPU * PER_CPU; i++)
        putc_((char)('0' + log_[i]));
    putc_('\n');
    WSR(ICC_SGI1R_EL1, (5ul << 24) | (1ul << 40));   /* wake CPUs 1-3 */
    ISB();
    for (unsigned i = 1; i < NCPU; i++)
        while (!stamp[i])
            ;
    for (unsigned i = 1; i < NCPU; i++) {
        puts_("CPU ");
        putdec(i);
        puts_(" woke at count ");
        putdec(stamp[i]);
        putc_('\n');
    }
    return 0;
}
