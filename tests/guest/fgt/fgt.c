/*
 * FEAT_FGT (Arm ARM D24.2 HFGRTR_EL2, HFGWTR_EL2, HFGITR_EL2, HDFGRTR_EL2,
 * HDFGWTR_EL2; ID_AA64MMFR0_EL1.FGT) as `-cpu max` implements it, and the
 * `fgt=off` switch (fgt_off.args): with FGT the test checks
 *  - the ID field, and the writable bits of the five registers (every bit
 *    that traps something this CPU implements; the rest RES0);
 *  - reads and writes trapped separately (HFGRTR vs HFGWTR), each with the
 *    exact EC 0x18 syndrome and ELR at the trapping instruction;
 *  - HFGITR on TLBI, DC ZVA, AT; ERET (EC 0x1A, AArch64.CheckForERetTrap)
 *    and SVC at EL1 (EC 0x15 to EL2 with the SVC as preferred return,
 *    AArch64.CheckForSVCTrap);
 *  - HDFGRTR/HDFGWTR on MDSCR_EL1 and PMCR_EL0 (reads of PMCR_EL0 have no
 *    trap bit);
 *  - EL0: trapped with HCR_EL2.{E2H,TGE} = {0,1}, not with {1,1};
 *  - priority: the fine-grained trap comes before FEAT_NV2's redirect of
 *    SCTLR_EL1 to the VNCR page (accessor pseudocode of SCTLR_EL1);
 *  - (both runs) MDSCR_EL1 with NVx = '101': MDCR_EL2.TDA traps it before
 *    the NV2 redirect to VNCR_EL2 + 0x158 (docs/nested-exits.md, "MDSCR_EL1
 *    and MDCR_EL2.TDA"); with TDA = 0 it is the VNCR page.
 * Without FGT: ID field 0 and the five registers UNDEFINED at EL2.
 */
#include "../nv/nv_common.h"

#define HCR_TGE (1ull << 27)
#define SCTLR_EL1_BIT (1ull << 29)
#define TPIDR_EL1_BIT (1ull << 33)
#define TPIDR_EL0_BIT (1ull << 35)
#define ITR_DCZVA (1ull << 11)
#define ITR_ATS1E1R (1ull << 12)
#define ITR_TLBIVMALLE1 (1ull << 42)
#define ITR_ERET (1ull << 51)
#define ITR_SVC_EL1 (1ull << 53)
#define DFG_MDSCR (1ull << 4)
#define DFG_PMCR (1ull << 21)
#define MDCR_TDA (1ull << 9)

ACCESS(a_sctlr_r, "mrs x0, sctlr_el1")
ACCESS(a_tpidr1_r, "mrs x0, tpidr_el1")
ACCESS(a_tpidr1_w, "msr tpidr_el1, xzr")
ACCESS(a_tlbi, "tlbi vmalle1")
ACCESS(a_dczva, "mov x1, sp\n sub x1, x1, #256\n and x1, x1, #~63\n dc zva, x1")
ACCESS(a_at, "mov x1, sp\n at s1e1r, x1")
ACCESS(a_eret, "eret")
ACCESS(a_svc, "svc #0xffff")
ACCESS(a_mdscr_r, "mrs x0, mdscr_el1")
ACCESS(a_mdscr_w, "mrs x1, mdscr_el1\n msr mdscr_el1, x1")
ACCESS(a_pmcr_r, "mrs x0, pmcr_el0")
ACCESS(a_pmcr_w, "mrs x1, pmcr_el0\n msr pmcr_el0, x1")
ACCESS(a_tpidr0_r, "mrs x0, tpidr_el0")
/* The FGT registers themselves, read at EL2 (S3_4_C1_C1_4 = HFGRTR_EL2 ...) */
ACCESS(r_hfgrtr, "mrs x0, S3_4_C1_C1_4")
ACCESS(r_hfgwtr, "mrs x0, S3_4_C1_C1_5")
ACCESS(r_hfgitr, "mrs x0, S3_4_C1_C1_6")
ACCESS(r_hdfgrtr, "mrs x0, S3_4_C3_C1_4")
ACCESS(r_hdfgwtr, "mrs x0, S3_4_C3_C1_5")

#define WR_HFGRTR(v) __asm__ volatile("msr S3_4_C1_C1_4, %0\n isb" ::"r"((uint64_t)(v)))
#define WR_HFGWTR(v) __asm__ volatile("msr S3_4_C1_C1_5, %0\n isb" ::"r"((uint64_t)(v)))
#define WR_HFGITR(v) __asm__ volatile("msr S3_4_C1_C1_6, %0\n isb" ::"r"((uint64_t)(v)))
#define WR_HDFGRTR(v) __asm__ volatile("msr S3_4_C3_C1_4, %0\n isb" ::"r"((uint64_t)(v)))
#define WR_HDFGWTR(v) __asm__ volatile("msr S3_4_C3_C1_5, %0\n isb" ::"r"((uint64_t)(v)))

static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

static void clear_fgt(void)
{
    WR_HFGRTR(0); WR_HFGWTR(0); WR_HFGITR(0); WR_HDFGRTR(0); WR_HDFGWTR(0);
}

/* fn at EL1 traps to EL2 with esr, ELR = at */
static void want_trap(const char *what, char *fn, char *at, uint64_t esr)
{
    at_el1(fn);
    puts_(what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 8);
    check_eq(what, exc_rec.vec, 0x400);
    check_eq(what, exc_rec.esr, esr);
    check_eq(what, exc_rec.elr, (uint64_t)at);
}

static void want_sys_trap(const char *what, char *fn, char *at)
{
    want_trap(what, fn, at, ESR_SYSREG(iss_sysreg(at)));
}

/* fn at EL1 runs without exception (only the harness's HVC back) */
static void want_no_trap(const char *what, char *fn)
{
    at_el1(fn);
    puts_(what);
    puts_(": not trapped\n");
    check_eq(what, exc_rec.count, 1);
    check_eq(what, EC(exc_rec.esr), 0x16);
}

static uint64_t read_at_el2(char *fn)
{
    exc_clear();
    return ((uint64_t(*)(void))(void *)fn)();
}

int main(void)
{
    exc_install();
    unsigned fgt = (READ_SYSREG(id_aa64mmfr0_el1) >> 56) & 0xf;
    putreg("ID_AA64MMFR0_EL1.FGT", fgt);
    check_eq("FGT is 0 or 1", fgt <= 1, 1);
    set_hcr(0);

    /* MDSCR_EL1 under NV2 (NVx = '101', a VHE guest hypervisor) */
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);
    vncr_page[0x158 / 8] = 0xabcd0000ull;
    set_hcr(HCR_NV | HCR_NV2);
    uint64_t m = at_el1(a_mdscr_r);
    putreg("NVx=101, MDCR_EL2.TDA=0: MRS MDSCR_EL1 (VNCR+0x158)", m);
    check_eq("MDSCR_EL1 from the VNCR page", m, 0xabcd0000ull);
    WRITE_SYSREG(mdcr_el2, READ_SYSREG(mdcr_el2) | MDCR_TDA);
    ISB();
    want_sys_trap("NVx=101, MDCR_EL2.TDA=1: MRS MDSCR_EL1", a_mdscr_r, a_mdscr_r);
    WRITE_SYSREG(mdcr_el2, READ_SYSREG(mdcr_el2) & ~MDCR_TDA);
    set_hcr(0);

    if (!fgt) {
        /* the registers do not exist: UNDEFINED (EC 0) at EL2 */
        char *regs[] = { r_hfgrtr, r_hfgwtr, r_hfgitr, r_hdfgrtr, r_hdfgwtr };
        for (unsigned i = 0; i < 5; i++) {
            read_at_el2(regs[i]);
            check_eq("FGT register UNDEFINED", exc_rec.count, 1);
            check_eq("FGT register UNDEFINED (EC)", EC(exc_rec.esr), 0);
            check_eq("FGT register UNDEFINED (ELR)", exc_rec.elr, (uint64_t)regs[i]);
        }
        puts_("FGT registers: UNDEFINED\n");
        /* nothing traps what FGT would */
        want_no_trap("MRS SCTLR_EL1", a_sctlr_r);
        want_no_trap("TLBI VMALLE1", a_tlbi);
        return guest_failures;
    }

    /* Writable bits: those that trap what this CPU implements */
    WR_HFGRTR(~0ull); WR_HFGWTR(~0ull); WR_HFGITR(~0ull); WR_HDFGRTR(~0ull); WR_HDFGWTR(~0ull);
    putreg("HFGRTR_EL2 writable", read_at_el2(r_hfgrtr));
    putreg("HFGWTR_EL2 writable", read_at_el2(r_hfgwtr));
    putreg("HFGITR_EL2 writable", read_at_el2(r_hfgitr));
    putreg("HDFGRTR_EL2 writable", read_at_el2(r_hdfgrtr));
    putreg("HDFGWTR_EL2 writable", read_at_el2(r_hdfgwtr));
    /* read-only registers have no write trap bit (CTR_EL0 14, MIDR_EL1 25) */
    check_eq("HFGWTR CTR_EL0 RES0", (read_at_el2(r_hfgwtr) >> 14) & 1, 0);
    check_eq("HFGRTR CTR_EL0", (read_at_el2(r_hfgrtr) >> 14) & 1, 1);
    check_eq("HFGWTR MIDR_EL1 RES0", (read_at_el2(r_hfgwtr) >> 25) & 1, 0);
    clear_fgt();

    /* HFGRTR: reads only */
    WR_HFGRTR(TPIDR_EL1_BIT);
    want_sys_trap("HFGRTR.TPIDR_EL1: MRS TPIDR_EL1", a_tpidr1_r, a_tpidr1_r);
    want_no_trap("HFGRTR.TPIDR_EL1: MSR TPIDR_EL1", a_tpidr1_w);
    WR_HFGRTR(0);
    /* HFGWTR: writes only */
    WR_HFGWTR(TPIDR_EL1_BIT);
    want_sys_trap("HFGWTR.TPIDR_EL1: MSR TPIDR_EL1", a_tpidr1_w, a_tpidr1_w);
    want_no_trap("HFGWTR.TPIDR_EL1: MRS TPIDR_EL1", a_tpidr1_r);
    WR_HFGWTR(0);
    /* another bit does not trap this register */
    WR_HFGRTR(~TPIDR_EL1_BIT);
    want_no_trap("HFGRTR all but TPIDR_EL1: MRS TPIDR_EL1", a_tpidr1_r);
    WR_HFGRTR(0);

    /* HFGITR */
    WR_HFGITR(ITR_TLBIVMALLE1);
    want_sys_trap("HFGITR.TLBIVMALLE1: TLBI VMALLE1", a_tlbi, a_tlbi);
    WR_HFGITR(ITR_DCZVA);
    want_sys_trap("HFGITR.DCZVA: DC ZVA", a_dczva, a_dczva + 12);
    WR_HFGITR(ITR_ATS1E1R);
    want_sys_trap("HFGITR.ATS1E1R: AT S1E1R", a_at, a_at + 4);
    WR_HFGITR(ITR_ERET);
    want_trap("HFGITR.ERET: ERET", a_eret, a_eret, (0x1aull << EC_SHIFT) | ESR_IL);
    WR_HFGITR(ITR_SVC_EL1);
    at_el1(a_svc);
    puts_("HFGITR.SVC_EL1: SVC: ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq("SVC_EL1 to EL2", exc_rec.el, 8);
    check_eq("SVC_EL1 ESR", exc_rec.esr, (0x15ull << EC_SHIFT) | ESR_IL | 0xffff);
    check_eq("SVC_EL1 preferred return = the SVC", exc_rec.elr, (uint64_t)a_svc);
    WR_HFGITR(0);

    /* HDFGRTR / HDFGWTR */
    WR_HDFGRTR(DFG_MDSCR);
    want_sys_trap("HDFGRTR.MDSCR_EL1: MRS MDSCR_EL1", a_mdscr_r, a_mdscr_r);
    WR_HDFGRTR(~0ull);
    want_no_trap("HDFGRTR all ones: MRS PMCR_EL0 (no read trap bit)", a_pmcr_r);
    WR_HDFGRTR(0);
    WR_HDFGWTR(DFG_MDSCR);
    want_sys_trap("HDFGWTR.MDSCR_EL1: MSR MDSCR_EL1", a_mdscr_w, a_mdscr_w + 4);
    WR_HDFGWTR(DFG_PMCR);
    want_sys_trap("HDFGWTR.PMCR_EL0: MSR PMCR_EL0", a_pmcr_w, a_pmcr_w + 4);
    WR_HDFGWTR(0);

    /* EL0 (HCR_EL2.TGE = 1 so that EL0 returns to this EL2 code) */
    WR_HFGRTR(TPIDR_EL0_BIT);
    set_hcr(HCR_TGE);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)a_tpidr0_r, SPSR_EL0T, LOWER_SP);
    puts_("HFGRTR.TPIDR_EL0 at EL0, {E2H,TGE} = {0,1}: ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq("EL0 trap", exc_rec.esr, ESR_SYSREG(iss_sysreg(a_tpidr0_r)));
    check_eq("EL0 trap ELR", exc_rec.elr, (uint64_t)a_tpidr0_r);
    set_hcr(HCR_TGE | HCR_E2H);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)a_tpidr0_r, SPSR_EL0T, LOWER_SP);
    puts_("HFGRTR.TPIDR_EL0 at EL0, {E2H,TGE} = {1,1}: EC ");
    puthex(EC(exc_rec.esr));
    putc_('\n');
    check_eq("host EL0 not trapped", EC(exc_rec.esr), 0x15);   /* only the SVC back */
    set_hcr(0);
    WR_HFGRTR(0);

    /* Priority against FEAT_NV2: NVx = '111' redirects MRS SCTLR_EL1 to
     * VNCR_EL2 + 0x110 unless the fine-grained trap applies first. */
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);
    vncr_page[0x110 / 8] = 0x1234567800000000ull;
    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2);
    uint64_t v = at_el1(a_sctlr_r);
    check_eq("NV2 redirect without FGT", v, 0x1234567800000000ull);
    WR_HFGRTR(SCTLR_EL1_BIT);
    want_sys_trap("HFGRTR.SCTLR_EL1 with NVx=111: MRS SCTLR_EL1", a_sctlr_r, a_sctlr_r);
    set_hcr(0);
    clear_fgt();
    return guest_failures;
}
