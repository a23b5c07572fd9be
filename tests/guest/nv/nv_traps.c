/*
 * FEAT_NV (HCR_EL2.{NV,NV1,AT}) seen from a guest hypervisor at EL1
 * (Arm ARM D8 "Nested virtualization", D24.2.62 HCR_EL2):
 *  - CurrentEL reads EL2 at EL1 with NV = 1;
 *  - EL1 accesses to EL2 registers, _EL12/_EL02 aliases and EL2 TLBI/AT
 *    trap to EL2 with EC 0x18 (UNDEFINED without NV);
 *  - ERET at EL1 traps with EC 0x1A, ISS 0 (ERETAA 0b10, ERETAB 0b11);
 *  - NV1: ELR_EL1, SPSR_EL1, VBAR_EL1 trap (NVx = '011');
 *  - HCR_EL2.AT traps AT S1E1R/S1E0R;
 *  - SPSR_EL1.M[3:2] = EL2 for exceptions from EL1 to EL1 when
 *    EffectiveHCR_EL2_NVx() IN {'x01', '111'} (AArch64.TakeException);
 *  - ID_AA64MMFR2_EL1.NV = 2 (NV2 implemented).
 */
#include "nv_common.h"

ACCESS(a_currentel, "mrs x0, CurrentEL")
ACCESS(a_vbar2, "mrs x5, vbar_el2")
ACCESS(a_hcr_w, "msr hcr_el2, x6")
ACCESS(a_sctlr12, "mrs x7, S3_5_C1_C0_0   // SCTLR_EL12")
ACCESS(a_cntv02, "msr S3_5_C14_C3_1, x8   // CNTV_CTL_EL02")
ACCESS(a_tlbi_e2, "tlbi alle2")
ACCESS(a_tlbi_va2, "tlbi vae2, x9")
ACCESS(a_at_s1e2, "at s1e2r, x10")
ACCESS(a_at_s12, "at s12e1r, x11")
ACCESS(a_at_s1e1, "at s1e1r, x12")
ACCESS(a_at_s1e0, "at s1e0w, x13")
ACCESS(a_eret, "eret")
ACCESS(a_eretaa, ".inst 0xd69f0bff")     /* ERETAA */
ACCESS(a_eretab, ".inst 0xd69f0fff")     /* ERETAB */
ACCESS(a_vbar1, "mrs x14, vbar_el1")
ACCESS(a_elr1, "msr elr_el1, x15")
ACCESS(a_spsr1, "mrs x16, spsr_el1")
ACCESS(a_svc, "svc #0x42")

/* EL1 vector table for the SPSR rule: every entry leaves to EL2 at once
 * (HVC #0xffff ends run_lower), so EL2 can read SPSR_EL1 unperturbed. */
extern char el1_leave_vectors[];
__asm__(".text\n.balign 2048\n.global el1_leave_vectors\nel1_leave_vectors:\n"
        ".rept 16\n.balign 128\nhvc #0xffff\n.endr\n");

static void want_trap(const char *what, char *fn, uint64_t esr)
{
    at_el1(fn);
    puts_(what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 8);
    check_eq(what, exc_rec.vec, 0x400);     /* lower EL, AArch64, synchronous */
    check_eq(what, exc_rec.esr, esr);
    check_eq(what, exc_rec.elr, (uint64_t)fn);
    check_eq(what, exc_rec.spsr, SPSR_EL1H);
}

static void want_sys_trap(const char *what, char *fn)
{
    want_trap(what, fn, ESR_SYSREG(iss_sysreg(fn)));
}

/* Without NV the access is UNDEFINED at EL1: EC 0x00 taken to EL1. */
static void want_undef_el1(const char *what, char *fn)
{
    at_el1(fn);
    puts_(what);
    puts_(" (NV=0): ESR_EL1 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 4);
    check_eq(what, exc_rec.esr, ESR_IL);
    check_eq(what, exc_rec.elr, (uint64_t)fn);
}

/* Access executes at EL1: only the harness's own HVC reaches EL2. */
static void want_ok(const char *what, char *fn)
{
    at_el1(fn);
    puts_(what);
    puts_(": executes\n");
    check_eq(what, exc_rec.count, 1);
    check_eq(what, EC(exc_rec.esr), 0x16);
}

static uint64_t spsr_after_svc(uint64_t hcr)
{
    set_hcr(hcr);
    WRITE_SYSREG(vbar_el1, (uint64_t)el1_leave_vectors);
    ISB();
    at_el1(a_svc);
    uint64_t s = READ_SYSREG(spsr_el1);
    uint64_t esr = READ_SYSREG(esr_el1);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);
    check_eq("SVC at EL1 -> EL1 ESR_EL1", esr, (0x15ull << EC_SHIFT) | ESR_IL | 0x42);
    return s & 0x1f;
}

static uint8_t vncr_page[4096] __attribute__((aligned(4096)));

int main(void)
{
    exc_install();

    /* ID_AA64MMFR2_EL1.NV [27:24] = 2: FEAT_NV and FEAT_NV2. */
    uint64_t mmfr2 = READ_SYSREG(id_aa64mmfr2_el1);
    putreg("ID_AA64MMFR2_EL1.NV", (mmfr2 >> 24) & 0xf);
    check_eq("MMFR2.NV", (mmfr2 >> 24) & 0xf, 2);

    /* CurrentEL */
    set_hcr(0);
    uint64_t el = at_el1(a_currentel);
    putreg("CurrentEL at EL1, NV=0", el);
    check_eq("CurrentEL NV=0", el, 4);
    set_hcr(HCR_NV);
    el = at_el1(a_currentel);
    putreg("CurrentEL at EL1, NV=1", el);
    check_eq("CurrentEL NV=1", el, 8);
    set_hcr(HCR_NV | HCR_NV1);
    el = at_el1(a_currentel);
    check_eq("CurrentEL NV=1 NV1=1", el, 8);

    /* Without NV: UNDEFINED */
    set_hcr(0);
    want_undef_el1("MRS VBAR_EL2", a_vbar2);
    want_undef_el1("MRS SCTLR_EL12", a_sctlr12);
    want_undef_el1("TLBI ALLE2", a_tlbi_e2);

    /* With NV: EC 0x18 to EL2 */
    set_hcr(HCR_NV);
    want_sys_trap("MRS VBAR_EL2", a_vbar2);
    want_sys_trap("MSR HCR_EL2", a_hcr_w);
    want_sys_trap("MRS SCTLR_EL12", a_sctlr12);
    want_sys_trap("MSR CNTV_CTL_EL02", a_cntv02);
    want_sys_trap("TLBI ALLE2", a_tlbi_e2);
    want_sys_trap("TLBI VAE2", a_tlbi_va2);
    want_sys_trap("AT S1E2R", a_at_s1e2);
    want_sys_trap("AT S12E1R", a_at_s12);
    /* ERET: EC 0x1A, ISS 0 (ERET, not ERETAA/ERETAB) */
    want_trap("ERET", a_eret, (0x1aull << EC_SHIFT) | ESR_IL);
    /* ERETAA / ERETAB (FEAT_PAuth): ISS.ERET [1] = 1, ISS.ERETA [0] = key B */
    want_trap("ERETAA", a_eretaa, (0x1aull << EC_SHIFT) | ESR_IL | 2);
    want_trap("ERETAB", a_eretab, (0x1aull << EC_SHIFT) | ESR_IL | 3);
    /* NV1 = 0: the EL1 exception registers are the guest hypervisor's own
     * (its "EL2" state in the VHE layout): no trap. */
    want_ok("MRS VBAR_EL1 (NV1=0)", a_vbar1);
    want_ok("MSR ELR_EL1 (NV1=0)", a_elr1);
    want_ok("MRS SPSR_EL1 (NV1=0)", a_spsr1);
    /* HCR_EL2.AT = 0: AT S1E1R executes */
    want_ok("AT S1E1R (AT=0)", a_at_s1e1);

    /* NV1: VBAR_EL1, ELR_EL1, SPSR_EL1 trap (NVx = '011') */
    set_hcr(HCR_NV | HCR_NV1);
    want_sys_trap("MRS VBAR_EL1 (NV1=1)", a_vbar1);
    want_sys_trap("MSR ELR_EL1 (NV1=1)", a_elr1);
    want_sys_trap("MRS SPSR_EL1 (NV1=1)", a_spsr1);
    want_trap("ERET (NV1=1)", a_eret, (0x1aull << EC_SHIFT) | ESR_IL);

    /* HCR_EL2.AT: AT S1E1R / S1E0W trap */
    set_hcr(HCR_NV | HCR_AT);
    want_sys_trap("AT S1E1R (AT=1)", a_at_s1e1);
    want_sys_trap("AT S1E0W (AT=1)", a_at_s1e0);

    /* SPSR_EL1.M for an SVC taken from EL1 to EL1 (EL1h = 0b0101) */
    WRITE_SYSREG(S3_4_C2_C2_0 /* VNCR_EL2 */, (uint64_t)vncr_page);
    uint64_t m;
    m = spsr_after_svc(0);
    putreg("SPSR_EL1.M, NVx=000", m);
    check_eq("SPSR.M 000", m, 0x5);
    m = spsr_after_svc(HCR_NV);
    putreg("SPSR_EL1.M, NVx=001", m);
    check_eq("SPSR.M 001", m, 0x9);
    m = spsr_after_svc(HCR_NV | HCR_NV1);
    putreg("SPSR_EL1.M, NVx=011", m);
    check_eq("SPSR.M 011", m, 0x5);
    m = spsr_after_svc(HCR_NV | HCR_NV2);
    putreg("SPSR_EL1.M, NVx=101", m);
    check_eq("SPSR.M 101", m, 0x9);
    m = spsr_after_svc(HCR_NV | HCR_NV1 | HCR_NV2);
    putreg("SPSR_EL1.M, NVx=111", m);
    check_eq("SPSR.M 111", m, 0x9);

    set_hcr(0);
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
