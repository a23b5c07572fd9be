/*
 * PAuth traps to EL2 (Arm ARM D13.2.46 HCR_EL2.API/APK; pseudocode
 * TrapPACUse, AArch64.CheckForERetTrap; ESR EC 0x09, 0x18, 0x1A):
 *  - HCR_EL2.API = 0: PACIA/AUTIB/PACGA/RETAA/LDRAA/PACIASP at EL1 trap
 *    to EL2 with ESR = EC 0x09, IL, ISS 0, ELR = the instruction - but only
 *    when the key's SCTLR_EL1.En* is set (PACIASP/AUTIB are NOPs
 *    otherwise); PACGA has no enable and always traps; XPACI/XPACLRI never
 *    trap; at EL0 the trap applies unless E2H = TGE = 1.
 *  - HCR_EL2.APK = 0: MSR/MRS of the key registers at EL1 trap with EC
 *    0x18 and the MSR/MRS ISS; at EL0 they are UNDEFINED (EC 0 at EL1).
 *  - HCR_EL2.NV = 1 (FEAT_NV): ERETAA/ERETAB at EL1 trap with EC 0x1A,
 *    ISS = ERET:ERETA = 0b10 / 0b11.
 *  - At EL2 (E2H = 0) nothing traps and the PAC equals the one computed at
 *    EL1 (same key and bottom PAC bit) - the regime uses SCTLR_EL2/TCR_EL2.
 */
#include <stddef.h>

#include "../exc/exc_harness.h"

#define A83 ".arch armv8.3-a\n"
#define HCR_RW (1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define HCR_APK (1ull << 40)
#define HCR_API (1ull << 41)
#define HCR_NV (1ull << 42)
#define SCTLR_EnIA (1ull << 31)
#define SCTLR_EnIB (1ull << 30)
#define SCTLR_EnDA (1ull << 27)
#define SCTLR_EnDB (1ull << 13)
#define ESR_PAC ((0x09ull << 26) | ESR_IL)
#define SPSR_EL2H 0x3c9ull

#define ACCESS(name, insn)                                                              \
    extern char name[];                                                                 \
    __asm__(".text\n" A83 ".balign 4\n.global " #name "\n" #name ":\n" insn "\nret\n");
ACCESS(a_pacia, "pacia x1, x2")
ACCESS(a_autib, "autib x1, x2")
ACCESS(a_pacga, "pacga x1, x2, x3")
ACCESS(a_paciasp, "mov x9, x30\n paciasp\n mov x30, x9")
ACCESS(a_xpaci, "xpaci x1")
ACCESS(a_xpaclri, "xpaclri")
ACCESS(a_ldraa, "mov x1, sp\n ldraa x2, [x1]")
ACCESS(a_key_w, "msr s3_0_c2_c1_0, x1")      /* APIAKeyLo_EL1 */
ACCESS(a_key_r, "mrs x4, s3_0_c2_c3_1")      /* APGAKeyHi_EL1 */
ACCESS(a_eretaa, "eretaa")
ACCESS(a_eretab, "eretab")
/* RETAA: returns to the caller only if X30 was signed; the trap happens
 * first with API = 0 (the harness then resumes after it at "ret"). */
ACCESS(a_retaa, "retaa")
/* PACIA X0 <- X0 with modifier X1 (for the EL1 vs EL2 comparison). */
ACCESS(a_pac_value, "ldr x0, =0x40081234\n mov x1, #77\n pacia x0, x1")

static uint32_t iss_sysreg(const char *at)
{
    uint32_t insn = *(const volatile uint32_t *)at;
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31;
    uint32_t dir = (insn >> 21) & 1;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

static void set_ctl(uint64_t hcr, uint64_t sctlr_en)
{
    WRITE_SYSREG(hcr_el2, HCR_RW | hcr);
    uint64_t s = READ_SYSREG(sctlr_el1) & ~(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB);
    WRITE_SYSREG(sctlr_el1, s | sctlr_en);
    ISB();
}

/* Runs fn at EL (spsr) and checks the first exception: taken to EL2
 * (CurrentEL 8, lower-EL sync vector 0x400) with esr at `at`, or, with
 * esr == ~0, that only the harness's own SVC/HVC was seen. */
static void expect(const char *what, char *fn, uint64_t spsr, uint64_t hcr, uint64_t en,
                   const char *at, uint64_t esr, uint64_t el)
{
    set_ctl(hcr, en);
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)fn, spsr, LOWER_SP);
    /* From EL0 the harness's SVC #0xffff returns from run_lower at EL1;
     * HVC #0xffff then returns from the same run_lower call at EL2. */
    if (current_el() == 1)
        __asm__ volatile("hvc #0xffff" ::: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
                         "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18",
                         "x30", "memory");
    check_eq("back at EL2", current_el(), 2);
    puts_(what);
    if (esr == ~0ull) {
        puts_(": no trap\n");
        check_eq(what, exc_rec.count, 1);
        uint64_t want_ec = (spsr & 0xc) ? 0x16 : 0x15;   /* HVC from EL1, SVC from EL0 */
        check_eq(what, EC(exc_rec.esr), want_ec);
        return;
    }
    puts_(": ESR ");
    puthex(exc_rec.esr);
    puts_(" at EL");
    putdec(exc_rec.el >> 2);
    putc_('\n');
    check_eq(what, exc_rec.el, el);
    check_eq(what, exc_rec.esr, esr);
    check_eq(what, exc_rec.elr, (uint64_t)at);
    check_eq(what, exc_rec.vec, 0x400);   /* from a lower EL, AArch64 */
}

int main(void)
{
    exc_install();
    const uint64_t ALL = SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB;
    WRITE_SYSREG(s3_0_c2_c1_0, 0x1111);      /* APIAKeyLo_EL1, from EL2 */
    WRITE_SYSREG(s3_0_c2_c1_1, 0x2222);      /* APIAKeyHi_EL1 */
    check_eq("key at EL2", READ_SYSREG(s3_0_c2_c1_1), 0x2222);

    /* HCR_EL2.API = 0 with the enables set: EC 0x09 */
    expect("PACIA API=0", a_pacia, SPSR_EL1H, HCR_APK, ALL, a_pacia, ESR_PAC, 8);
    expect("AUTIB API=0", a_autib, SPSR_EL1H, HCR_APK, ALL, a_autib, ESR_PAC, 8);
    expect("PACGA API=0", a_pacga, SPSR_EL1H, HCR_APK, 0, a_pacga, ESR_PAC, 8);
    expect("PACIASP API=0", a_paciasp, SPSR_EL1H, HCR_APK, ALL, a_paciasp + 4, ESR_PAC, 8);
    expect("LDRAA API=0", a_ldraa, SPSR_EL1H, HCR_APK, ALL, a_ldraa + 4, ESR_PAC, 8);
    expect("RETAA API=0", a_retaa, SPSR_EL1H, HCR_APK, ALL, a_retaa, ESR_PAC, 8);
    expect("PACIA EL0 API=0", a_pacia, SPSR_EL0T, HCR_APK, ALL, a_pacia, ESR_PAC, 8);
    /* EL0 with TGE = 1, E2H = 0: still trapped (the EL1&0 regime's
     * SCTLR_EL1.EnIA applies); EL0 in the host (E2H = TGE = 1): never
     * trapped, SCTLR_EL2.EnIA applies. */
    expect("PACIA EL0 TGE=1 API=0", a_pacia, SPSR_EL0T, HCR_APK | HCR_TGE, ALL, a_pacia, ESR_PAC,
           8);
    if ((READ_SYSREG(id_aa64mmfr1_el1) >> 8) & 0xf) {         /* FEAT_VHE */
        WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | SCTLR_EnIA);
        expect("PACIA EL0 host API=0", a_pacia, SPSR_EL0T, HCR_APK | HCR_TGE | HCR_E2H, 0, NULL,
               ~0ull, 0);
        WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~SCTLR_EnIA);
        set_ctl(HCR_API | HCR_APK, 0);
    }
    /* ... not when the key is disabled, never for XPAC*, not with API = 1 */
    expect("PACIA EnIA=0", a_pacia, SPSR_EL1H, HCR_APK, SCTLR_EnIB, NULL, ~0ull, 0);
    expect("PACIASP EnIA=0", a_paciasp, SPSR_EL1H, HCR_APK, 0, NULL, ~0ull, 0);
    expect("AUTIB EnIB=0", a_autib, SPSR_EL1H, HCR_APK, SCTLR_EnIA, NULL, ~0ull, 0);
    expect("XPACI API=0", a_xpaci, SPSR_EL1H, HCR_APK, ALL, NULL, ~0ull, 0);
    expect("XPACLRI API=0", a_xpaclri, SPSR_EL1H, HCR_APK, ALL, NULL, ~0ull, 0);
    expect("PACIA API=1", a_pacia, SPSR_EL1H, HCR_API | HCR_APK, ALL, NULL, ~0ull, 0);
    expect("PACGA API=1", a_pacga, SPSR_EL1H, HCR_API | HCR_APK, 0, NULL, ~0ull, 0);

    /* HCR_EL2.APK = 0: key registers at EL1 trap with EC 0x18 */
    expect("MSR APIAKeyLo APK=0", a_key_w, SPSR_EL1H, HCR_API, 0, a_key_w,
           (0x18ull << 26) | ESR_IL | iss_sysreg(a_key_w), 8);
    expect("MRS APGAKeyHi APK=0", a_key_r, SPSR_EL1H, HCR_API, 0, a_key_r,
           (0x18ull << 26) | ESR_IL | iss_sysreg(a_key_r), 8);
    expect("MSR APIAKeyLo APK=1", a_key_w, SPSR_EL1H, HCR_API | HCR_APK, 0, NULL, ~0ull, 0);
    /* EL0: UNDEFINED, taken to EL1 */
    expect("MRS APGAKeyHi EL0", a_key_r, SPSR_EL0T, HCR_API | HCR_APK, 0, a_key_r, ESR_IL, 4);

    /* FEAT_NV: ERETAA/ERETAB at EL1 with HCR_EL2.NV = 1 */
    if ((READ_SYSREG(id_aa64mmfr2_el1) >> 24) & 0xf) {
        expect("ERETAA NV=1", a_eretaa, SPSR_EL1H, HCR_API | HCR_APK | HCR_NV, ALL, a_eretaa,
               (0x1aull << 26) | ESR_IL | 2, 8);
        expect("ERETAB NV=1", a_eretab, SPSR_EL1H, HCR_API | HCR_APK | HCR_NV, ALL, a_eretab,
               (0x1aull << 26) | ESR_IL | 3, 8);
    }
    /* ERETAA at EL0 is UNDEFINED */
    expect("ERETAA EL0", a_eretaa, SPSR_EL0T, HCR_API | HCR_APK, ALL, a_eretaa, ESR_IL, 4);

    /* The same PACIA at EL1 (EL1&0 regime, TCR_EL1.T0SZ = 16) and at EL2
     * (EL2 regime, E2H = 0, TCR_EL2.T0SZ = 16): equal PACs; at EL2
     * HCR_EL2.API = 0 does not trap. */
    WRITE_SYSREG(tcr_el1, 16);
    set_ctl(HCR_API | HCR_APK, ALL);
    uint64_t el1 = run_lower((uint64_t(*)(void))(void *)a_pac_value, SPSR_EL1H, LOWER_SP);
    WRITE_SYSREG(tcr_el2, (READ_SYSREG(tcr_el2) & ~0x3full) | 16);
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | SCTLR_EnIA);
    set_ctl(0, 0);
    exc_clear();
    uint64_t el2 = ((uint64_t(*)(void))(void *)a_pac_value)();
    check_eq("EL2 PACIA: no trap", exc_rec.count, 0);
    check_eq("EL2 PACIA == EL1 PACIA", el2, el1);
    check_eq("PACIA changed the pointer", el1 != 0x40081234, 1);
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) & ~SCTLR_EnIA);
    ISB();
    puts_("pauth traps: done\n");
    return guest_failures;
}
