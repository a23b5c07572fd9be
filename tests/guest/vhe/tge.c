/*
 * HCR_EL2.TGE = 1 with E2H = 0 and E2H = 1 (Arm ARM D1.10.1 "Exception
 * entry" target EL, D5.6 VHE): EL0 synchronous exceptions (SVC, an
 * UNDEFINED instruction, a DAIF write trapped by SCTLR_ELx.UMA = 0) go to
 * EL2; with {E2H,TGE} = {1,1} the EL0 controls come from SCTLR_EL2 (host
 * userspace), with E2H = 0 from SCTLR_EL1; an ERET from EL2 to EL1 with
 * TGE = 1 is an illegal exception return. (TGE = 0, where they go to EL1:
 * tests/guest/exc/el1_sync and el2_routing; this harness returns from
 * EL0 through the EL that takes its SVC, so it runs EL0 with TGE = 1.)
 */
#include "../exc/exc_harness.h"

#define HCR_RW  (1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define SCTLR_UMA (1ull << 9)

extern char e0_svc[], e0_udf[], e0_daif[], e1_nop[];
__asm__(".text\n.balign 4\n"
        ".global e0_svc\ne0_svc: svc #0x33\n ret\n"
        ".global e0_udf\ne0_udf: udf #7\n ret\n"
        ".global e0_daif\ne0_daif: msr daifset, #1\n ret\n"
        ".global e1_nop\ne1_nop: nop\n ret\n");

static void one(const char *what, char *fn, uint64_t esr, unsigned el)
{
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)fn, SPSR_EL0T, LOWER_SP);
    puts_("  ");
    puts_(what);
    puts_(": EL");
    putdec(exc_rec.el >> 2);
    puts_(" ESR ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, el << 2);
    check_eq(what, exc_rec.esr, esr);
    check_eq(what, exc_rec.elr, (uint64_t)fn);
    check_eq(what, exc_rec.vec, 0x400);
}

int main(void)
{
    exc_install();
    /* UMA = 0 in SCTLR_EL1 and SCTLR_EL2 (both RES1-free here) */
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~SCTLR_UMA);
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~SCTLR_UMA);
    for (unsigned k = 1; k < 4; k += 2) {
        uint64_t e2h = (k & 2) ? HCR_E2H : 0, tge = (k & 1) ? HCR_TGE : 0;
        WRITE_SYSREG(hcr_el2, HCR_RW | e2h | tge);
        ISB();
        puts_("E2H=");
        putdec(e2h ? 1 : 0);
        puts_(" TGE=");
        putdec(tge ? 1 : 0);
        putc_('\n');
        unsigned el = tge ? 2 : 1;
        /* SVC: EC 0x15, preferred return is the next instruction */
        exc_clear();
        run_lower((uint64_t(*)(void))(void *)e0_svc, SPSR_EL0T, LOWER_SP);
        puts_("  SVC: EL");
        putdec(exc_rec.el >> 2);
        puts_(" ESR ");
        puthex(exc_rec.esr);
        putc_('\n');
        check_eq("SVC el", exc_rec.el, el << 2);
        check_eq("SVC esr", exc_rec.esr, (0x15ull << 26) | ESR_IL | 0x33);
        check_eq("SVC elr", exc_rec.elr, (uint64_t)e0_svc + 4);
        one("UDF", e0_udf, ESR_IL, el);
        /* MSR DAIFSet at EL0 with UMA = 0: EC 0x18, Op0=0 Op1=3 CRn=4
         * CRm=1 (the immediate) Op2=6 Rt=31, write */
        one("MSR DAIFSet", e0_daif,
            (0x18ull << 26) | ESR_IL | (6u << 17) | (3u << 14) | (4u << 10) | (31u << 5) | (1u << 1),
            el);
        /* the host regime takes UMA from SCTLR_EL2: with it set, the
         * DAIF write executes at EL0 under {E2H,TGE} = {1,1} only */
        WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | SCTLR_UMA);
        exc_clear();
        run_lower((uint64_t(*)(void))(void *)e0_daif, SPSR_EL0T, LOWER_SP);
        WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~SCTLR_UMA);
        puts_("  MSR DAIFSet with SCTLR_EL2.UMA=1: ");
        puts_(exc_rec.count == 1 ? "executes\n" : "traps\n");
        check_eq("UMA from SCTLR_EL2", exc_rec.count == 1, e2h && tge);
        if (tge) {
            /* ERET to EL1 with TGE = 1: illegal return, stays at EL2 with
             * PSTATE.IL, and the next instruction is an Illegal State
             * exception (EC 0x0E) at EL2 */
            exc_clear();
            run_lower((uint64_t(*)(void))(void *)e1_nop, SPSR_EL1H, LOWER_SP);
            puts_("  ERET to EL1: EL");
            putdec(exc_rec.el >> 2);
            puts_(" ESR ");
            puthex(exc_rec.esr);
            putc_('\n');
            check_eq("illegal return el", exc_rec.el, 8);
            check_eq("illegal return esr", exc_rec.esr, (0x0eull << 26) | ESR_IL);
        }
    }
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
