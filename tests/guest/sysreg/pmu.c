/*
 * PMUv3 as Linux's perf driver uses it (Arm ARM D7, D13.4): PMCR_EL0.N,
 * PMCEID0, an INST_RETIRED (0x08) counter over an exact instruction
 * sequence, CPU_CYCLES (0x11) against PMCCNTR_EL0, SW_INCR (0x00) through
 * PMSWINC_EL0 with overflow into PMOVSSET/CLR, PMSELR/PMXEVCNTR, PMCR.P/C,
 * and EL0 access control by PMUSERENR_EL0 (EC 0x18 to EL1).
 */
#include "../exc/exc_harness.h"

extern char el0_pmccntr[];
static uint64_t el0_read_ccnt(void)
{
    uint64_t v;
    __asm__ volatile(".global el0_pmccntr\nel0_pmccntr: mrs %0, pmccntr_el0" : "=r"(v));
    return v;
}

/* 1 + 50 x 2 + 1 instructions */
extern char el0_loop[], el0_ret[];
__asm__(".text\n.global el0_loop\nel0_loop:\n mov x0, #50\n1: subs x0, x0, #1\n b.ne 1b\n ret\n"
        ".global el0_ret\nel0_ret: ret\n");

/* INST_RETIRED counted over run_lower(fn) with filter f on counter 0 */
static uint64_t count_over(char *fn, uint64_t f)
{
    WRITE_SYSREG(pmcntenclr_el0, 1);
    WRITE_SYSREG(pmevtyper0_el0, 0x08 | f);
    WRITE_SYSREG(pmevcntr0_el0, 0);
    WRITE_SYSREG(pmcntenset_el0, 1);
    run_lower((uint64_t(*)(void))(void *)fn, SPSR_EL0T, LOWER_SP);
    WRITE_SYSREG(pmcntenclr_el0, 1);
    return READ_SYSREG(pmevcntr0_el0);
}

int main(void)
{
    exc_install();
    putreg("PMCR_EL0", READ_SYSREG(pmcr_el0));
    putreg("PMCEID0_EL0", READ_SYSREG(pmceid0_el0));
    putreg("PMCEID1_EL0", READ_SYSREG(pmceid1_el0));

    /* counter 0: instructions, counter 1: cycles, counter 2: SW_INCR */
    WRITE_SYSREG(pmevtyper0_el0, 0x08);
    WRITE_SYSREG(pmevtyper1_el0, 0x11);
    WRITE_SYSREG(pmevtyper2_el0, 0x00);
    WRITE_SYSREG(pmcr_el0, 0x47);            /* E, P, C, LC */
    uint64_t insns, ccnt, cyc;
    /* Counting starts after the enabling MSR: mov + 100 x (subs, b.ne) + mrs = 202 */
    __asm__ volatile("mov x1, #0x80000000\n movk x1, #7\n"
                     "msr pmcntenset_el0, x1\n"
                     "mov x0, #100\n"
                     "1: subs x0, x0, #1\n b.ne 1b\n"
                     "mrs %0, pmevcntr0_el0\n"
                     : "=r"(insns) : : "x0", "x1", "cc");
    putreg("INST_RETIRED", insns);
    /* freeze everything at one instruction, then compare the two cycle counts */
    WRITE_SYSREG(pmcr_el0, 0x40);
    ccnt = READ_SYSREG(pmccntr_el0);
    cyc = READ_SYSREG(pmevcntr1_el0);
    check_eq("CPU_CYCLES == PMCCNTR", cyc, ccnt);
    check_eq("cycles >= instructions", ccnt >= 202, 1);
    /* frozen: no change */
    check_eq("frozen", READ_SYSREG(pmccntr_el0), ccnt);

    /* SW_INCR */
    WRITE_SYSREG(pmcr_el0, 0x41);
    WRITE_SYSREG(pmswinc_el0, 4);
    WRITE_SYSREG(pmswinc_el0, 4);
    WRITE_SYSREG(pmswinc_el0, 5);            /* bit 0: counter 0 is not SW_INCR */
    putreg("SW_INCR count", READ_SYSREG(pmevcntr2_el0));
    /* PMSELR_EL0 / PMXEVCNTR_EL0 */
    WRITE_SYSREG(pmselr_el0, 2);
    ISB();
    putreg("PMXEVCNTR(2)", READ_SYSREG(pmxevcntr_el0));
    putreg("PMXEVTYPER(2)", READ_SYSREG(pmxevtyper_el0));
    /* overflow of a 32-bit event counter */
    WRITE_SYSREG(pmevcntr2_el0, 0xffffffff);
    WRITE_SYSREG(pmswinc_el0, 4);
    putreg("after overflow", READ_SYSREG(pmevcntr2_el0));
    putreg("PMOVSSET_EL0", READ_SYSREG(pmovsset_el0));
    WRITE_SYSREG(pmovsclr_el0, 4);
    putreg("PMOVSSET_EL0", READ_SYSREG(pmovsset_el0));
    /* PMCR.P resets the event counters */
    WRITE_SYSREG(pmcr_el0, 0x43);
    putreg("after P", READ_SYSREG(pmevcntr2_el0));
    WRITE_SYSREG(pmcntenclr_el0, 0xffffffff);
    putreg("PMCNTENSET_EL0", READ_SYSREG(pmcntenset_el0));

    /* EL filters. P = 1 (EL1 not counted): only the EL0 instructions of
     * run_lower count: the harness's BLR, the 102 of el0_loop, CBNZ and the
     * SVC that returns = 105 (the ERET itself executes at EL1). */
    WRITE_SYSREG(pmcr_el0, 0x43);
    putreg("INST_RETIRED, EL0 only", count_over(el0_loop, 1ull << 31));
    putreg("INST_RETIRED, EL0 only, RET", count_over(el0_ret, 1ull << 31));
    /* U = 1 (EL0 not counted): the same count for both EL0 functions */
    check_eq("U=1: EL0 instructions not counted", count_over(el0_loop, 1ull << 30),
             count_over(el0_ret, 1ull << 30));
    /* NSH = 0 at EL1 is no restriction; P = NSK = 1 counts EL1 again */
    check_eq("P=NSK=1: EL1 counted", count_over(el0_ret, (1ull << 31) | (1ull << 29)) > 4, 1);
    WRITE_SYSREG(pmcntenclr_el0, 0xffffffff);

    /* EL0: PMUSERENR_EL0 = 0 traps PMCCNTR_EL0 to EL1 (EC 0x18);
     * PMUSERENR_EL0.CR = 1 allows the read */
    WRITE_SYSREG(pmuserenr_el0, 0);
    ISB();
    exc_clear();
    run_lower(el0_read_ccnt, SPSR_EL0T, LOWER_SP);
    putreg("EL0 PMCCNTR ESR", exc_rec.esr);
    check_eq("EL0 PMCCNTR ELR", exc_rec.elr, (uint64_t)el0_pmccntr);
    WRITE_SYSREG(pmuserenr_el0, 4);
    ISB();
    exc_clear();
    run_lower(el0_read_ccnt, SPSR_EL0T, LOWER_SP);
    check_eq("EL0 PMCCNTR with CR", exc_rec.count, 1);   /* only the harness's SVC */
    return 0;
}
