/*
 * EL1 -> EL2 traps, one per trap control (Arm ARM D13.2.46 HCR_EL2,
 * D13.2.31 CPTR_EL2, D13.3.x MDCR_EL2): each access runs at EL1 once with
 * the control set (must trap to EL2 with the exact ESR_EL2, ELR_EL2 = the
 * instruction, SPSR_EL2 = EL1h) and, where the access has no other effect,
 * once with it clear (must execute). The EC 0x18 ISS is computed here from
 * the instruction word (Op0, Op2, Op1, CRn, Rt, CRm, Direction).
 */
#include "../exc/exc_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TID1 (1ull << 16)
#define HCR_TID2 (1ull << 17)
#define HCR_TID3 (1ull << 18)
#define HCR_TSC (1ull << 19)
#define HCR_TACR (1ull << 21)
#define HCR_TVM (1ull << 26)
#define HCR_HCD (1ull << 29)
#define HCR_TRVM (1ull << 30)
#define HCR_NV (1ull << 42)
#define CPTR_TFP (1ull << 10)
#define CPTR_TCPAC (1ull << 31)
#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM (1ull << 6)
#define MDCR_TDE (1ull << 8)
#define MDCR_TDA (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA (1ull << 11)

/* One EL1 function per access: "name: <insn>; ret" */
#define ACCESS(name, insn)                                                              \
    extern char name[];                                                                 \
    __asm__(".text\n.balign 4\n.global " #name "\n" #name ":\n" insn "\nret\n");
ACCESS(a_tvm, "msr sctlr_el1, xzr")
ACCESS(a_trvm, "mrs x3, ttbr0_el1")
ACCESS(a_tid1, "mrs x4, aidr_el1")
ACCESS(a_tid2, "mrs x5, ctr_el0")
ACCESS(a_tid3, "mrs x6, id_aa64mmfr0_el1")
ACCESS(a_tacr, "msr actlr_el1, x7")
ACCESS(a_twi, "wfi")
ACCESS(a_twe, "wfe")
ACCESS(a_tsc, "smc #0x99")
ACCESS(a_hcd, "hvc #0x98\n smc #0xffff")   /* leaves through TSC: HVC is UNDEFINED */
ACCESS(a_tfp, "mov x9, sp\n.global a_tfp_insn\na_tfp_insn: ldr d0, [x9]")
ACCESS(a_tcpac, "mrs x8, cpacr_el1")
ACCESS(a_tda, "mrs x10, mdscr_el1")
ACCESS(a_tde, "msr dbgclaimset_el1, x11")
ACCESS(a_tdosa, "mrs x12, oslsr_el1")
ACCESS(a_tdra, "mrs x13, mdrar_el1")
ACCESS(a_tpm, "mrs x14, pmccntr_el0")
ACCESS(a_tpmcr, "msr pmcr_el0, xzr")
ACCESS(a_nv, "mrs x15, vbar_el2")
extern char a_tfp_insn[];

static uint32_t iss_sysreg(const char *at)
{
    uint32_t insn = *(const volatile uint32_t *)at;
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31;
    uint32_t dir = (insn >> 21) & 1;   /* L: 1 = MRS (read) */
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

struct trap {
    const char *what;
    char *fn;            /* EL1 function */
    const char *at;      /* trapping instruction */
    uint64_t hcr, mdcr, cptr;
    uint64_t esr;        /* 0: EC 0x18 computed from the instruction */
    int negative;        /* also run with the control clear */
};

static void set_ctl(uint64_t hcr, uint64_t mdcr, uint64_t cptr)
{
    WRITE_SYSREG(hcr_el2, HCR_RW | hcr);
    WRITE_SYSREG(mdcr_el2, 6 | mdcr);
    WRITE_SYSREG(cptr_el2, cptr);
    ISB();
}

static void run(const struct trap *t)
{
    set_ctl(t->hcr, t->mdcr, t->cptr);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)t->fn, SPSR_EL1H, LOWER_SP);
    uint64_t want = t->esr ? t->esr : ((0x18ull << 26) | ESR_IL | iss_sysreg(t->at));
    puts_(t->what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(t->what, exc_rec.el, 8);
    check_eq(t->what, exc_rec.vec, 0x400);
    check_eq(t->what, exc_rec.esr, want);
    check_eq(t->what, exc_rec.elr, (uint64_t)t->at);
    check_eq(t->what, exc_rec.spsr, SPSR_EL1H);
    if (t->negative) {
        set_ctl(0, 0, 0);
        exc_clear();
        run_lower((uint64_t(*)(void))(void *)t->fn, SPSR_EL1H, LOWER_SP);
        check_eq(t->what, exc_rec.count, 1);   /* only the harness's HVC */
    }
}

int main(void)
{
    exc_install();
    WRITE_SYSREG(cpacr_el1, 3ull << 20);       /* FP enabled at EL1 itself */
    static const struct trap traps[] = {
        { "HCR_EL2.TVM", a_tvm, a_tvm, HCR_TVM, 0, 0, 0, 0 },
        { "HCR_EL2.TRVM", a_trvm, a_trvm, HCR_TRVM, 0, 0, 0, 1 },
        { "HCR_EL2.TID1", a_tid1, a_tid1, HCR_TID1, 0, 0, 0, 1 },
        { "HCR_EL2.TID2", a_tid2, a_tid2, HCR_TID2, 0, 0, 0, 1 },
        { "HCR_EL2.TID3", a_tid3, a_tid3, HCR_TID3, 0, 0, 0, 1 },
        { "HCR_EL2.TACR", a_tacr, a_tacr, HCR_TACR, 0, 0, 0, 1 },
        { "HCR_EL2.TWI", a_twi, a_twi, HCR_TWI, 0, 0, (0x01ull << 26) | ESR_IL | 0x1e00000, 0 },
        { "HCR_EL2.TWE", a_twe, a_twe, HCR_TWE, 0, 0, (0x01ull << 26) | ESR_IL | 0x1e00001, 0 },
        { "HCR_EL2.TSC", a_tsc, a_tsc, HCR_TSC, 0, 0, (0x17ull << 26) | ESR_IL | 0x99, 0 },
        { "CPTR_EL2.TFP", a_tfp, a_tfp_insn, 0, 0, CPTR_TFP, (0x07ull << 26) | ESR_IL | 0x1e00000, 1 },
        { "CPTR_EL2.TCPAC", a_tcpac, a_tcpac, 0, 0, CPTR_TCPAC, 0, 1 },
        { "MDCR_EL2.TDA", a_tda, a_tda, 0, MDCR_TDA, 0, 0, 1 },
        { "MDCR_EL2.TDE", a_tde, a_tde, 0, MDCR_TDE, 0, 0, 1 },
        { "MDCR_EL2.TDOSA", a_tdosa, a_tdosa, 0, MDCR_TDOSA, 0, 0, 1 },
        { "MDCR_EL2.TDRA", a_tdra, a_tdra, 0, MDCR_TDRA, 0, 0, 1 },
        { "MDCR_EL2.TPM", a_tpm, a_tpm, 0, MDCR_TPM, 0, 0, 1 },
        { "MDCR_EL2.TPMCR", a_tpmcr, a_tpmcr, 0, MDCR_TPMCR, 0, 0, 1 },
    };
    for (unsigned i = 0; i < sizeof traps / sizeof traps[0]; i++)
        run(&traps[i]);

    /* HCR_EL2.HCD: HVC is UNDEFINED (taken at EL1) */
    set_ctl(HCR_HCD | HCR_TSC, 0, 0);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)a_hcd, SPSR_EL1H, LOWER_SP);
    check_eq("HCD el", exc_rec.el, 4);
    check_eq("HCD esr", exc_rec.esr, ESR_IL);
    check_eq("HCD elr", exc_rec.elr, (uint64_t)a_hcd);

    /* FEAT_NV: an EL1 access to an EL2 register traps with HCR_EL2.NV
     * (if the CPU advertises NV), else is UNDEFINED at EL1. */
    if ((READ_SYSREG(id_aa64mmfr2_el1) >> 24) & 0xf) {
        set_ctl(HCR_NV, 0, 0);
        exc_clear();
        run_lower((uint64_t(*)(void))(void *)a_nv, SPSR_EL1H, LOWER_SP);
        check_eq("NV el", exc_rec.el, 8);
        check_eq("NV esr", exc_rec.esr, (0x18ull << 26) | ESR_IL | iss_sysreg(a_nv));
    }
    set_ctl(0, 0, 0);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)a_nv, SPSR_EL1H, LOWER_SP);
    check_eq("EL2 reg at EL1 el", exc_rec.el, 4);
    check_eq("EL2 reg at EL1 esr", exc_rec.esr, ESR_IL);
    puts_("el2traps: done\n");
    return 0;
}
