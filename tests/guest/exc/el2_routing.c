/*
 * Exception routing with EL2 (-M virt,virtualization=on; entered at EL2).
 * Arm ARM D1.10.1 (target EL), D1.11.4 (illegal exception return), D1.13
 * (virtual interrupts). Exact ESR/ELR/SPSR and vector offsets.
 */
#include "exc_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_IMO (1ull << 4)
#define HCR_VI (1ull << 7)
#define HCR_TSC (1ull << 19)
#define HCR_TGE (1ull << 27)
#define MDCR_TDE (1ull << 8)

extern char el0_svc_next[], el0_udf[], el0_hvc[], el1_hvc_next[], el1_smc[], el1_smc1[],
    el1_brk[], el1_virq_ret[], el1_ill_target[], el2_ill_target[];

static uint64_t el0_svc(void)
{
    __asm__ volatile("svc #0x42\n.global el0_svc_next\nel0_svc_next:");
    return 1;
}
static uint64_t el0_undef(void) { __asm__ volatile(".global el0_udf\nel0_udf: udf #1"); return 2; }
static uint64_t el0_hvc_fn(void) { __asm__ volatile(".global el0_hvc\nel0_hvc: hvc #3"); return 3; }
static uint64_t el1_hvc(void)
{
    __asm__ volatile("hvc #0x21\n.global el1_hvc_next\nel1_hvc_next:");
    return 4;
}
static uint64_t el1_smc_fn(void) { __asm__ volatile(".global el1_smc\nel1_smc: smc #0x17"); return 5; }
static uint64_t el1_smc1_fn(void) { __asm__ volatile(".global el1_smc1\nel1_smc1: smc #1"); return 6; }
static uint64_t el1_brk_fn(void) { __asm__ volatile(".global el1_brk\nel1_brk: brk #9"); return 7; }
static uint64_t el1_virq(void)
{
    uint64_t isr = READ_SYSREG(isr_el1);
    __asm__ volatile("msr daifclr, #2\n.global el1_virq_ret\nel1_virq_ret: nop\n msr daifset, #2");
    return isr;
}
static uint64_t el1_illegal_eret(void)
{
    /* ERET from EL1 to EL2 is illegal: PSTATE.IL, EL unchanged, then the
     * instruction at ELR takes the Illegal Execution state exception. */
    __asm__ volatile("adr x9, el1_ill_target\n msr elr_el1, x9\n mov x9, #0x3c9\n msr spsr_el1, x9\n"
                     "eret\n.global el1_ill_target\nel1_ill_target: nop" ::: "x9");
    return 8;
}

int main(void)
{
    check_eq("CurrentEL", current_el(), 2);
    exc_install();

    /* EL0 -> EL2 under HCR_EL2.TGE: SVC (EC 0x15, ELR = next) */
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_TGE);
    ISB();
    exc_clear();
    run_lower(el0_svc, SPSR_EL0T, LOWER_SP);
    check_eq("tge svc vec", exc_rec.vec, 0x400);
    check_eq("tge svc el", exc_rec.el, 8);
    check_eq("tge svc esr", exc_rec.esr, (0x15ull << 26) | ESR_IL | 0x42);
    check_eq("tge svc elr", exc_rec.elr, (uint64_t)el0_svc_next);
    check_eq("tge svc spsr", exc_rec.spsr, SPSR_EL0T);
    /* EL0 UNDEFINED under TGE -> EL2 */
    exc_clear();
    run_lower(el0_undef, SPSR_EL0T, LOWER_SP);
    check_eq("tge udf el", exc_rec.el, 8);
    check_eq("tge udf esr", exc_rec.esr, ESR_IL);
    check_eq("tge udf elr", exc_rec.elr, (uint64_t)el0_udf);
    /* HVC at EL0 is UNDEFINED (here routed to EL2 by TGE) */
    exc_clear();
    run_lower(el0_hvc_fn, SPSR_EL0T, LOWER_SP);
    check_eq("el0 hvc esr", exc_rec.esr, ESR_IL);
    check_eq("el0 hvc elr", exc_rec.elr, (uint64_t)el0_hvc);

    /* EL1 -> EL2: HVC (EC 0x16, ISS imm16, ELR = next) */
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    exc_clear();
    run_lower(el1_hvc, SPSR_EL1H, LOWER_SP);
    check_eq("hvc vec", exc_rec.vec, 0x400);
    check_eq("hvc el", exc_rec.el, 8);
    check_eq("hvc esr", exc_rec.esr, (0x16ull << 26) | ESR_IL | 0x21);
    check_eq("hvc elr", exc_rec.elr, (uint64_t)el1_hvc_next);
    check_eq("hvc spsr", exc_rec.spsr, SPSR_EL1H);

    /* SMC with HCR_EL2.TSC: EC 0x17, ELR = the SMC itself */
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_TSC);
    ISB();
    exc_clear();
    run_lower(el1_smc_fn, SPSR_EL1H, LOWER_SP);
    check_eq("tsc el", exc_rec.el, 8);
    check_eq("tsc esr", exc_rec.esr, (0x17ull << 26) | ESR_IL | 0x17);
    check_eq("tsc elr", exc_rec.elr, (uint64_t)el1_smc);
    /* SMC without TSC that the firmware does not take (imm != 0):
     * UNDEFINED at EL1 */
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    exc_clear();
    run_lower(el1_smc1_fn, SPSR_EL1H, LOWER_SP);
    check_eq("smc1 vec", exc_rec.vec, 0x200);
    check_eq("smc1 el", exc_rec.el, 4);
    check_eq("smc1 esr", exc_rec.esr, ESR_IL);
    check_eq("smc1 elr", exc_rec.elr, (uint64_t)el1_smc1);

    /* BRK at EL1 with MDCR_EL2.TDE: to EL2, EC 0x3C */
    WRITE_SYSREG(mdcr_el2, MDCR_TDE | 6);
    ISB();
    exc_clear();
    run_lower(el1_brk_fn, SPSR_EL1H, LOWER_SP);
    check_eq("tde brk el", exc_rec.el, 8);
    check_eq("tde brk esr", exc_rec.esr, (0x3cull << 26) | ESR_IL | 9);
    check_eq("tde brk elr", exc_rec.elr, (uint64_t)el1_brk);
    WRITE_SYSREG(mdcr_el2, 6);

    /* Virtual IRQ from HCR_EL2.VI with IMO: pending in ISR_EL1, taken at
     * EL1 (current EL, SPx: 0x280) when PSTATE.I is cleared; the preferred
     * return is the instruction after the MSR. */
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_IMO | HCR_VI);
    ISB();
    exc_clear();
    uint64_t isr = run_lower(el1_virq, SPSR_EL1H, LOWER_SP);
    check_eq("virq isr", isr, 0x80);
    check_eq("virq vec", exc_rec.vec, 0x280);
    check_eq("virq el", exc_rec.el, 4);
    check_eq("virq elr", exc_rec.elr, (uint64_t)el1_virq_ret);
    check_eq("virq spsr", exc_rec.spsr, 0x345);   /* EL1h, D A F masked, I clear */
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();

    /* Illegal exception return at EL1 (to EL2) */
    exc_clear();
    run_lower(el1_illegal_eret, SPSR_EL1H, LOWER_SP);
    check_eq("ill1 el", exc_rec.el, 4);
    check_eq("ill1 vec", exc_rec.vec, 0x200);
    check_eq("ill1 esr", exc_rec.esr, (0x0eull << 26) | ESR_IL);
    check_eq("ill1 elr", exc_rec.elr, (uint64_t)el1_ill_target);
    check_eq("ill1 spsr", exc_rec.spsr, 0x3c5 | (1u << 20));

    /* Illegal exception return at EL2: a return to AArch32 (M[4] = 1) */
    exc_clear();
    __asm__ volatile("adr x9, el2_ill_target\n msr elr_el2, x9\n mov x9, #0x3d0\n msr spsr_el2, x9\n"
                     "eret\n.global el2_ill_target\nel2_ill_target: nop" ::: "x9");
    check_eq("ill2 el", exc_rec.el, 8);
    check_eq("ill2 esr", exc_rec.esr, (0x0eull << 26) | ESR_IL);
    check_eq("ill2 elr", exc_rec.elr, (uint64_t)el2_ill_target);
    check_eq("ill2 spsr", exc_rec.spsr, 0x3c9 | (1u << 20));
    puts_("el2_routing: done\n");
    return 0;
}
