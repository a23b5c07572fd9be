/*
 * FEAT_EVT (Arm ARM D24.2.62 HCR_EL2.TID4, TICAB, TOCU; D24.2.78
 * ID_AA64MMFR2_EL1.EVT), as `-cpu max` implements it, and the feature
 * switches (docs/features.md): run with `-cpu max` (EVT on) this test
 * checks the ID field and each trap with its exact syndrome; run with
 * `-cpu max,evt=off` (evt_off.args) or the default v8.3 CPU it checks that
 * the ID field is 0, that the three HCR_EL2 bits are RES0 (read back 0)
 * and that nothing traps. The expected output differs only in the EVT lines.
 *  - TID4 traps EL1 reads of CCSIDR_EL1, CLIDR_EL1 and reads and writes of
 *    CSSELR_EL1 (EC 0x18), but not CTR_EL0 (which only TID2 traps);
 *  - TICAB traps IC IALLUIS; TOCU traps IC IALLU, IC IVAU and DC CVAU.
 */
#include "../nv/nv_common.h"

#define HCR_TID4  (1ull << 49)
#define HCR_TICAB (1ull << 50)
#define HCR_TOCU  (1ull << 52)

ACCESS(a_ccsidr, "mrs x0, ccsidr_el1")
ACCESS(a_clidr, "mrs x0, clidr_el1")
ACCESS(a_csselr_r, "mrs x0, csselr_el1")
ACCESS(a_csselr_w, "msr csselr_el1, xzr")
ACCESS(a_ctr, "mrs x0, ctr_el0")
ACCESS(a_ic_iallu, "ic iallu")
ACCESS(a_ic_ialluis, "ic ialluis")
ACCESS(a_ic_ivau, "mov x1, sp\n ic ivau, x1")
ACCESS(a_dc_cvau, "mov x1, sp\n dc cvau, x1")

static int evt;

/* With EVT: the access traps to EL2 with the EC 0x18 syndrome of the
 * instruction at `at`. Without: it executes (only the harness's HVC). */
static void check(const char *what, char *fn, char *at, uint64_t hcr)
{
    set_hcr(hcr);
    at_el1(fn);
    puts_(what);
    if (evt) {
        uint64_t want = ESR_SYSREG(iss_sysreg(at));
        puts_(": trapped, ESR_EL2 ");
        puthex(exc_rec.esr);
        putc_('\n');
        check_eq(what, exc_rec.el, 8);
        check_eq(what, exc_rec.esr, want);
        check_eq(what, exc_rec.elr, (uint64_t)at);
    } else {
        puts_(": not trapped\n");
        check_eq(what, exc_rec.count, 1);
        check_eq(what, EC(exc_rec.esr), 0x16);
    }
    /* the same access with the control clear never traps */
    set_hcr(0);
    at_el1(fn);
    check_eq(what, exc_rec.count, 1);
    check_eq(what, EC(exc_rec.esr), 0x16);
}

int main(void)
{
    exc_install();
    uint64_t mmfr2 = READ_SYSREG(id_aa64mmfr2_el1);
    evt = (mmfr2 >> 56) & 0xf;
    putreg("ID_AA64MMFR2_EL1.EVT", evt);
    check_eq("EVT is 0 or 1", evt <= 1, 1);

    /* the bits are writable exactly when EVT is implemented */
    set_hcr(HCR_TID4 | HCR_TICAB | HCR_TOCU);
    uint64_t hcr = READ_SYSREG(hcr_el2);
    putreg("HCR_EL2 after writing TID4|TICAB|TOCU", hcr);
    check_eq("TID4/TICAB/TOCU read back", hcr & (HCR_TID4 | HCR_TICAB | HCR_TOCU),
             evt ? (HCR_TID4 | HCR_TICAB | HCR_TOCU) : 0);

    check("TID4: MRS CCSIDR_EL1", a_ccsidr, a_ccsidr, HCR_TID4);
    check("TID4: MRS CLIDR_EL1", a_clidr, a_clidr, HCR_TID4);
    check("TID4: MRS CSSELR_EL1", a_csselr_r, a_csselr_r, HCR_TID4);
    check("TID4: MSR CSSELR_EL1", a_csselr_w, a_csselr_w, HCR_TID4);
    check("TICAB: IC IALLUIS", a_ic_ialluis, a_ic_ialluis, HCR_TICAB);
    check("TOCU: IC IALLU", a_ic_iallu, a_ic_iallu, HCR_TOCU);
    check("TOCU: IC IVAU", a_ic_ivau, a_ic_ivau + 4, HCR_TOCU);
    check("TOCU: DC CVAU", a_dc_cvau, a_dc_cvau + 4, HCR_TOCU);

    /* TID4 leaves CTR_EL0 alone (that is what makes it cheaper than TID2
     * for a hypervisor that hides cache geometry) */
    set_hcr(HCR_TID4);
    at_el1(a_ctr);
    check_eq("TID4 does not trap CTR_EL0", EC(exc_rec.esr), 0x16);
    /* TOCU does not trap IC IALLUIS, TICAB does not trap IC IALLU */
    set_hcr(HCR_TOCU);
    at_el1(a_ic_ialluis);
    check_eq("TOCU leaves IC IALLUIS", EC(exc_rec.esr), 0x16);
    set_hcr(HCR_TICAB);
    at_el1(a_ic_iallu);
    check_eq("TICAB leaves IC IALLU", EC(exc_rec.esr), 0x16);

    /* -cpu ...,vhe=off (evt_off.args): ID_AA64MMFR1_EL1.VH follows */
    putreg("ID_AA64MMFR1_EL1.VH", (READ_SYSREG(id_aa64mmfr1_el1) >> 8) & 0xf);
    set_hcr(0);
    return guest_failures;
}
