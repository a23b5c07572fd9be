/*
 * Body of the PSCI SMP tests smp.c (EL1, HVC) and smp_el2.c (EL2, SMC); a
 * header, not a test.
 * PSCI CPU_ON / AFFINITY_INFO / CPU_OFF with -smp 2 (DEN0022D 5.6, 5.7,
 * 5.5): CPU 1 starts at the entry point with x0 = context_id, MMU off,
 * DAIF masked, at EL2 if implemented else EL1; CPU_ON of a running CPU is ALREADY_ON;
 * an absent CPU is INVALID_PARAMETERS; AFFINITY_INFO reports ON, then OFF
 * after the secondary calls CPU_OFF.
 */
#include "guest.h"
#include "secondary.h"

#ifndef SCTLR_CURRENT
#define SCTLR_CURRENT SCTLR_EL1
#endif
/* expands SCTLR_CURRENT before READ_SYSREG stringifies it */
#define READ_SYSREG_X(r) READ_SYSREG(r)

#define ALREADY_ON         0xfffffffffffffffcull   /* -4 */
#define INVALID_PARAMETERS 0xfffffffffffffffeull   /* -2 */

volatile uint64_t sec_ctx, sec_mpidr, sec_el, sec_daif, sec_sctlr;
volatile uint32_t sec_done;
volatile uint32_t sec_release;

void secondary_main(uint64_t ctx);
void secondary_main(uint64_t ctx)
{
    sec_ctx = ctx;
    sec_mpidr = READ_SYSREG(MPIDR_EL1);
    sec_el = current_el();
    sec_daif = READ_SYSREG(DAIF);
    sec_sctlr = READ_SYSREG_X(SCTLR_CURRENT) & 1;
    __asm__ volatile("dmb ish" ::: "memory");
    sec_done = 1;
    /* stay on until CPU 0 has seen CPU_ON of a running CPU fail: with the
     * CPUs' clocks in step this short routine finishes while CPU 0 is
     * still printing */
    while (!sec_release)
        ;
    firmware_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    putreg("AFFINITY_INFO(1) before", firmware_call(PSCI_AFFINITY_INFO, 1, 0, 0));
    putreg("CPU_ON(2)", firmware_call(PSCI_CPU_ON_64, 2, (uint64_t)secondary_entry, 0));
    putreg("CPU_ON(1)", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry,
                                      0x1234abcd5678ull));
    check_eq("CPU_ON(1) again", firmware_call(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 0),
             ALREADY_ON);
    sec_release = 1;
    while (!sec_done)
        ;
    __asm__ volatile("dmb ish" ::: "memory");
    putreg("secondary x0", sec_ctx);
    putreg("secondary MPIDR", sec_mpidr);
    putreg("secondary EL", sec_el);
    putreg("secondary DAIF", sec_daif);
    putreg("secondary SCTLR.M", sec_sctlr);
    /* CPU_OFF takes effect when the secondary makes the call */
    uint64_t st;
    unsigned spins = 0;
    while ((st = firmware_call(PSCI_AFFINITY_INFO, 1, 0, 0)) == 0 && spins < 1000000)
        spins++;
    putreg("AFFINITY_INFO(1) after", st);
    check_eq("CPU_ON(5)", firmware_call(PSCI_CPU_ON_64, 5, (uint64_t)secondary_entry, 0),
             INVALID_PARAMETERS);
    return 0;
}
