/*
 * FEAT_ECV (Arm ARM D24.8 CNTHCTL_EL2.{ECV,EL1TVT,EL1TVCT,EL1NVPCT,EL1NVVCT,
 * EVNTIS}, CNTPOFF_EL2, CNTPCTSS_EL0/CNTVCTSS_EL0; ID_AA64MMFR0_EL1.ECV = 2)
 * as `-cpu max` implements it, and `ecv=off` (ecv_off.args). With ECV:
 *  - the six CNTHCTL_EL2 bits are writable;
 *  - CNTPOFF_EL2 with CNTHCTL_EL2.ECV = 1: EL1 reads of CNTPCT_EL0 and
 *    CNTPCTSS_EL0 are the physical count minus the offset, EL2 reads are not;
 *    the EL1 physical timer compares CVAL with the offset count (ISTATUS and
 *    TVAL), and ECV = 0 turns the offset off;
 *  - EL1TVCT traps CNTVCT_EL0/CNTVCTSS_EL0 reads, EL1TVT the CNTV_*_EL0
 *    registers (before FEAT_NV2's redirect to the VNCR page with NVx = 111);
 *  - EL1NVVCT/EL1NVPCT trap CNTV/CNTP_CTL_EL02 at EL1 with NVx = '101',
 *    which otherwise are VNCR page accesses (offsets 0x170 / 0x180).
 * Without ECV: ID field 0, CNTPOFF_EL2 and CNTPCTSS_EL0 UNDEFINED, the
 * CNTHCTL_EL2 bits RES0; the NV2 redirect of the _EL02 aliases is the same.
 */
#include "../nv/nv_common.h"

#define CNTHCTL_ECV      (1ull << 12)
#define CNTHCTL_EL1TVT   (1ull << 13)
#define CNTHCTL_EL1TVCT  (1ull << 14)
#define CNTHCTL_EL1NVPCT (1ull << 15)
#define CNTHCTL_EL1NVVCT (1ull << 16)
#define CNTHCTL_EVNTIS   (1ull << 17)
#define CNTHCTL_EL1PCTEN_PCEN 3ull        /* E2H = 0 layout: EL1 untrapped */

ACCESS(a_pct, "mrs x0, cntpct_el0")
ACCESS(a_pctss, "mrs x0, S3_3_C14_C0_5")
ACCESS(a_vct, "mrs x0, cntvct_el0")
ACCESS(a_vctss, "mrs x0, S3_3_C14_C0_6")
ACCESS(a_vctl, "mrs x0, cntv_ctl_el0")
ACCESS(a_vctl02, "mrs x0, S3_5_C14_C3_1")
ACCESS(a_pctl02, "mrs x0, S3_5_C14_C2_1")
ACCESS(r_cntpoff, "mrs x0, S3_4_C14_C0_6")
ACCESS(r_pctss, "mrs x0, S3_3_C14_C0_5")

static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

static uint64_t at_el2(char *fn)
{
    exc_clear();
    return ((uint64_t(*)(void))(void *)fn)();
}

static void want_sys_trap(const char *what, char *fn)
{
    at_el1(fn);
    puts_(what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 8);
    check_eq(what, exc_rec.esr, ESR_SYSREG(iss_sysreg(fn)));
    check_eq(what, exc_rec.elr, (uint64_t)fn);
}

static void want_value(const char *what, char *fn, uint64_t want)
{
    uint64_t v = at_el1(fn);
    puts_(what);
    puts_(": ");
    puthex(v);
    putc_('\n');
    check_eq(what, exc_rec.count, 1);          /* only the HVC back */
    check_eq(what, v, want);
}

static void set_cnthctl(uint64_t v)
{
    WRITE_SYSREG(cnthctl_el2, v);
    ISB();
}

int main(void)
{
    exc_install();
    set_hcr(0);
    unsigned ecv = (READ_SYSREG(id_aa64mmfr0_el1) >> 60) & 0xf;
    putreg("ID_AA64MMFR0_EL1.ECV", ecv);
    check_eq("ECV is 0 or 2", ecv == 0 || ecv == 2, 1);

    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_ECV | CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT |
                CNTHCTL_EL1NVPCT | CNTHCTL_EL1NVVCT | CNTHCTL_EVNTIS);
    uint64_t h = READ_SYSREG(cnthctl_el2);
    putreg("CNTHCTL_EL2 after writing the ECV bits", h);
    check_eq("ECV bits writable iff ECV", (h >> 12) & 0x3f, ecv ? 0x3f : 0);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN);

    /* NV2: CNTV_CTL_EL02 at EL1 with NVx = '101' reads VNCR_EL2 + 0x170 */
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);
    vncr_page[0x170 / 8] = 0x5;
    vncr_page[0x180 / 8] = 0x3;
    set_hcr(HCR_NV | HCR_NV2);
    want_value("NVx=101: MRS CNTV_CTL_EL02 (VNCR+0x170)", a_vctl02, 0x5);
    want_value("NVx=101: MRS CNTP_CTL_EL02 (VNCR+0x180)", a_pctl02, 0x3);
    set_hcr(0);

    if (!ecv) {
        at_el2(r_cntpoff);
        check_eq("CNTPOFF_EL2 UNDEFINED", EC(exc_rec.esr), 0);
        check_eq("CNTPOFF_EL2 UNDEFINED (count)", exc_rec.count, 1);
        at_el2(r_pctss);
        check_eq("CNTPCTSS_EL0 UNDEFINED", EC(exc_rec.esr), 0);
        puts_("CNTPOFF_EL2, CNTPCTSS_EL0: UNDEFINED\n");
        return guest_failures;
    }

    /* The physical offset: half the count so far (both views stay positive) */
    while (READ_SYSREG(cntpct_el0) < 0x10000)
        ;
    const uint64_t OFF = READ_SYSREG(cntpct_el0) / 2;
    check_eq("counter running", OFF > 0x1000, 1);
    WRITE_SYSREG(S3_4_C14_C0_6, OFF);          /* CNTPOFF_EL2 */
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_ECV);
    uint64_t p0 = READ_SYSREG(cntpct_el0);
    uint64_t p1 = at_el1(a_pct);
    uint64_t p2 = READ_SYSREG(cntpct_el0);
    check_eq("EL1 CNTPCT_EL0 offset (low)", p1 >= p0 - OFF, 1);
    check_eq("EL1 CNTPCT_EL0 offset (high)", p1 <= p2 - OFF, 1);
    uint64_t s1 = at_el1(a_pctss);
    check_eq("EL1 CNTPCTSS_EL0 offset", s1 >= p1 && s1 <= READ_SYSREG(cntpct_el0) - OFF, 1);
    puts_("CNTPCT_EL0 and CNTPCTSS_EL0 at EL1: physical count - CNTPOFF_EL2\n");
    /* EL2 (E2H = 0, not the host regime) reads the EL1 physical timer
     * directly: CVAL between the offset count and the physical count. */
    uint64_t now = READ_SYSREG(cntpct_el0);
    WRITE_SYSREG(cntp_cval_el0, now - OFF + 0x1000);   /* < now, > now - OFF */
    WRITE_SYSREG(cntp_ctl_el0, 1);              /* enabled, unmasked */
    ISB();
    uint64_t ctl = READ_SYSREG(cntp_ctl_el0);
    int64_t tval = (int32_t)READ_SYSREG(cntp_tval_el0);
    putreg("CNTP_CTL_EL0 with the offset (ISTATUS clear)", ctl);
    check_eq("timer compares the offset count", ctl & 4, 0);
    check_eq("TVAL is CVAL - offset count", tval > 0 && tval <= 0x1000, 1);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN);        /* ECV = 0: no offset */
    ctl = READ_SYSREG(cntp_ctl_el0);
    putreg("CNTP_CTL_EL0 with ECV = 0 (ISTATUS set)", ctl);
    check_eq("timer without the offset", ctl & 4, 4);
    WRITE_SYSREG(cntp_ctl_el0, 2);              /* off, masked */
    p1 = at_el1(a_pct);
    check_eq("ECV = 0: EL1 CNTPCT_EL0 unoffset", p1 >= now, 1);

    /* Traps */
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_EL1TVCT);
    want_sys_trap("EL1TVCT: MRS CNTVCT_EL0", a_vct);
    want_sys_trap("EL1TVCT: MRS CNTVCTSS_EL0", a_vctss);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_EL1TVT);
    want_sys_trap("EL1TVT: MRS CNTV_CTL_EL0", a_vctl);
    /* before the NV2 redirect of CNTV_CTL_EL0 (NVx = '111') */
    vncr_page[0x170 / 8] = 0x7;
    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2);
    want_sys_trap("EL1TVT, NVx=111: MRS CNTV_CTL_EL0", a_vctl);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN);
    want_value("NVx=111: MRS CNTV_CTL_EL0 (VNCR+0x170)", a_vctl, 0x7);
    /* EL1NVVCT / EL1NVPCT: the _EL02 aliases with NVx = '101' */
    set_hcr(HCR_NV | HCR_NV2);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_EL1NVVCT);
    want_sys_trap("EL1NVVCT, NVx=101: MRS CNTV_CTL_EL02", a_vctl02);
    want_value("EL1NVVCT, NVx=101: MRS CNTP_CTL_EL02 (VNCR)", a_pctl02, 0x3);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_EL1NVPCT);
    want_sys_trap("EL1NVPCT, NVx=101: MRS CNTP_CTL_EL02", a_pctl02);
    /* NVx = '111' (NV1 = 1): EL1NVPCT does not apply; the alias traps (NV) */
    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN | CNTHCTL_EL1NVPCT | CNTHCTL_EL1NVVCT);
    want_sys_trap("NVx=111: MRS CNTP_CTL_EL02 (NV trap)", a_pctl02);
    set_hcr(0);
    set_cnthctl(CNTHCTL_EL1PCTEN_PCEN);
    WRITE_SYSREG(S3_4_C14_C0_6, 0);
    return guest_failures;
}
