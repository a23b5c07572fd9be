/*
 * Synchronous exceptions at EL1 without EL2 (Arm ARM D1.10): exact
 * ESR/ELR/SPSR/FAR and vector offsets for UNDEFINED (EC 0x00), BRK (0x3C),
 * SVC from EL0 (0x15), UNDEFINED from EL0, WFI trapped by SCTLR_EL1.nTWI
 * (0x01), PC alignment (0x22), SP alignment (0x26), FP access (0x07),
 * HVC/SMC not handled by the firmware (UNDEFINED), MSR DAIFSet at EL0
 * without SCTLR_EL1.UMA (0x18).
 */
#include "exc_harness.h"

extern char el0_svc_next[], el0_mrs_insn[], el0_wfi_insn[], el0_daif_insn[];
extern char udf_insn[], brk_insn[], hvc_insn[], smc_insn[], fp_insn[], spal_insn[];

static uint64_t el0_svc(void)
{
    __asm__ volatile("mov x0, #0x11\n svc #0x42\n.global el0_svc_next\nel0_svc_next:" ::: "x0");
    return 7;
}
static uint64_t el0_mrs_currentel(void)
{
    uint64_t v = 0;
    __asm__ volatile(".global el0_mrs_insn\nel0_mrs_insn: mrs %0, CurrentEL" : "=r"(v));
    return v;
}
static uint64_t el0_wfi(void) { __asm__ volatile(".global el0_wfi_insn\nel0_wfi_insn: wfi"); return 1; }
static uint64_t el0_daifset(void)
{
    __asm__ volatile(".global el0_daif_insn\nel0_daif_insn: msr daifset, #2");
    return 2;
}

int main(void)
{
    exc_install();

    /* UNDEFINED at EL1: current EL with SPx, vector 0x200 */
    exc_clear();
    __asm__ volatile(".global udf_insn\nudf_insn: udf #0x1234");
    check_eq("udf vec", exc_rec.vec, 0x200);
    check_eq("udf esr", exc_rec.esr, ESR_IL);
    check_eq("udf elr", exc_rec.elr, (uint64_t)udf_insn);
    check_eq("udf spsr.M", exc_rec.spsr & 0x1f, 5);

    /* BRK: EC 0x3C, ISS = imm16, ELR = the BRK */
    exc_clear();
    __asm__ volatile(".global brk_insn\nbrk_insn: brk #0x4321");
    check_eq("brk esr", exc_rec.esr, (0x3cull << 26) | ESR_IL | 0x4321);
    check_eq("brk elr", exc_rec.elr, (uint64_t)brk_insn);

    /* HVC/SMC with a non-zero immediate are not firmware calls: UNDEFINED */
    exc_clear();
    __asm__ volatile(".global hvc_insn\nhvc_insn: hvc #1" ::: "x0", "x1", "x2", "x3");
    check_eq("hvc esr", exc_rec.esr, ESR_IL);
    check_eq("hvc elr", exc_rec.elr, (uint64_t)hvc_insn);
    exc_clear();
    __asm__ volatile(".global smc_insn\nsmc_insn: smc #0" ::: "x0", "x1", "x2", "x3");
    check_eq("smc esr", exc_rec.esr, ESR_IL);   /* conduit is HVC without EL2 */
    check_eq("smc elr", exc_rec.elr, (uint64_t)smc_insn);

    /* SVC from EL0: lower EL AArch64 vector 0x400, ELR = next instruction */
    exc_clear();
    uint64_t r = run_lower(el0_svc, SPSR_EL0T, LOWER_SP);
    check_eq("svc result", r, 7);
    check_eq("svc count", exc_rec.count, 2);    /* SVC #0x42, then the harness's SVC */
    check_eq("svc vec", exc_rec.vec, 0x400);
    check_eq("svc el", exc_rec.el, 4);
    check_eq("svc esr", exc_rec.esr, (0x15ull << 26) | ESR_IL | 0x42);
    check_eq("svc elr", exc_rec.elr, (uint64_t)el0_svc_next);
    check_eq("svc spsr", exc_rec.spsr, SPSR_EL0T);

    /* UNDEFINED at EL0 (MRS CurrentEL) */
    exc_clear();
    run_lower(el0_mrs_currentel, SPSR_EL0T, LOWER_SP);
    check_eq("el0 undef count", exc_rec.count, 2);
    check_eq("el0 undef vec", exc_rec.vec, 0x400);
    check_eq("el0 undef esr", exc_rec.esr, ESR_IL);
    check_eq("el0 undef elr", exc_rec.elr, (uint64_t)el0_mrs_insn);

    /* WFI at EL0 with SCTLR_EL1.nTWI = 0: EC 0x01, CV=1 COND=0xE, TI=0 */
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~(1ull << 16));
    exc_clear();
    run_lower(el0_wfi, SPSR_EL0T, LOWER_SP);
    check_eq("wfi count", exc_rec.count, 2);
    check_eq("wfi esr", exc_rec.esr, (0x01ull << 26) | ESR_IL | 0x1e00000);
    check_eq("wfi elr", exc_rec.elr, (uint64_t)el0_wfi_insn);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | (1ull << 16));

    /* MSR DAIFSet at EL0 with SCTLR_EL1.UMA = 0: EC 0x18 */
    exc_clear();
    run_lower(el0_daifset, SPSR_EL0T, LOWER_SP);
    check_eq("daifset count", exc_rec.count, 2);
    /* ISS: Op0=0 Op2=6 Op1=3 CRn=4 Rt=31 CRm=2 write */
    check_eq("daifset esr", exc_rec.esr,
             (0x18ull << 26) | ESR_IL | (6u << 17) | (3u << 14) | (4u << 10) | (31u << 5) | (2u << 1));
    check_eq("daifset elr", exc_rec.elr, (uint64_t)el0_daif_insn);

    /* PC alignment: BR to an address with bits [1:0] != 0, FAR = target */
    exc_clear();
    uint64_t bad = (uint64_t)udf_insn + 2;
    __asm__ volatile("adr x30, 1f\n br %0\n 1:" ::"r"(bad) : "x30");
    check_eq("pcal vec", exc_rec.vec, 0x200);
    check_eq("pcal esr", exc_rec.esr, (0x22ull << 26) | ESR_IL);
    check_eq("pcal far", exc_rec.far, bad);
    check_eq("pcal elr", exc_rec.elr, bad);

    /* SP alignment: SCTLR_EL1.SA = 1, a load with a misaligned SP base. The
     * access runs on SP_EL0 (EL1t) so that the handler's SP_EL1 stays
     * aligned; the exception uses the "current EL with SP0" vector. */
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | (1ull << 3));
    exc_clear();
    __asm__ volatile("mov x9, sp\n msr spsel, #0\n sub x10, x9, #0x108\n mov sp, x10\n"
                     ".global spal_insn\nspal_insn: ldr x11, [sp]\n msr spsel, #1\n mov sp, x9"
                     ::: "x9", "x10", "x11", "memory");
    check_eq("spal vec", exc_rec.vec, 0x000);
    check_eq("spal esr", exc_rec.esr, (0x26ull << 26) | ESR_IL);
    check_eq("spal elr", exc_rec.elr, (uint64_t)spal_insn);
    check_eq("spal spsr", exc_rec.spsr & 0xf, 4);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~(1ull << 3));

    /* FP access trap: CPACR_EL1.FPEN = 00, an FP load at EL1: EC 0x07 */
    WRITE_SYSREG(cpacr_el1, 0);
    ISB();
    exc_clear();
    __asm__ volatile("mov x9, sp\n.global fp_insn\nfp_insn: .inst 0xfd400120\n" /* ldr d0, [x9] */
                     ::: "x9", "memory");
    check_eq("fp esr", exc_rec.esr, (0x07ull << 26) | ESR_IL | 0x1e00000);
    check_eq("fp elr", exc_rec.elr, (uint64_t)fp_insn);
    puts_("el1_sync: done\n");
    return 0;
}
