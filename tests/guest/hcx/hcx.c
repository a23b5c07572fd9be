/*
 * FEAT_HCX (Arm ARM D24.2 HCRX_EL2; ID_AA64MMFR1_EL1.HCX) as `-cpu max`
 * implements it, and `hcx=off` (hcx_off.args). Every HCRX_EL2 field belongs
 * to a feature this CPU does not implement, so with HCX the register exists
 * and is all RES0 (writes of ones read back 0); an EL1 access with HCR_EL2.NV
 * traps (EC 0x18), and with NV2 (NVx = '1x1') it is the VNCR page doubleword
 * at 0xA0. Without HCX: ID field 0 and HCRX_EL2 UNDEFINED at EL2 and EL1.
 */
#include "../nv/nv_common.h"

ACCESS(r_hcrx, "mrs x0, S3_4_C1_C2_2")
ACCESS(w_hcrx, "mov x0, #-1\n msr S3_4_C1_C2_2, x0")

static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

int main(void)
{
    exc_install();
    set_hcr(0);
    unsigned hcx = (READ_SYSREG(id_aa64mmfr1_el1) >> 40) & 0xf;
    putreg("ID_AA64MMFR1_EL1.HCX", hcx);
    check_eq("HCX is 0 or 1", hcx <= 1, 1);

    /* at EL2 */
    exc_clear();
    ((void (*)(void))(void *)w_hcrx)();
    uint64_t v = ((uint64_t(*)(void))(void *)r_hcrx)();
    putreg("exceptions at EL2", exc_rec.count);
    check_eq("EL2 access", exc_rec.count, hcx ? 0 : 2);
    if (hcx) {
        putreg("HCRX_EL2 after writing ones", v);
        check_eq("HCRX_EL2 all RES0", v, 0);
    } else {
        check_eq("UNDEFINED at EL2", EC(exc_rec.esr), 0);
        /* at EL1 (NV = 0: the harness at EL1 reads CurrentEL) */
        at_el1(r_hcrx);
        puts_("EL1: EC ");
        puthex(EC(exc_rec.esr));
        putc_('\n');
        check_eq("UNDEFINED at EL1", EC(exc_rec.esr), 0);
        check_eq("UNDEFINED taken to EL1", exc_rec.el, 4);
        return guest_failures;
    }

    /* at EL1 with NV: trap (HCX) or UNDEFINED */
    set_hcr(HCR_NV);
    at_el1(r_hcrx);
    puts_("EL1, NV: ESR ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq("NV trap to EL2", exc_rec.el, 8);
    check_eq("NV trap ESR", exc_rec.esr, ESR_SYSREG(iss_sysreg(r_hcrx)));

    /* NV2: the VNCR page at 0xA0 */
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);
    vncr_page[0xa0 / 8] = 0xfeedull;
    set_hcr(HCR_NV | HCR_NV2);
    v = at_el1(r_hcrx);
    putreg("EL1, NVx=101: MRS HCRX_EL2 (VNCR+0xA0)", v);
    check_eq("NV2 read", v, 0xfeed);
    at_el1(w_hcrx);
    check_eq("NV2 write", vncr_page[0xa0 / 8], ~0ull);
    check_eq("NV2 write: no exception", exc_rec.count, 1);
    set_hcr(0);
    return guest_failures;
}
