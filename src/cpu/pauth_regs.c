/*
 * System-register table fragment sysreg_pauth_table: the pointer
 * authentication key registers (FEAT_PAuth, Arm ARM D13.2.x APIAKeyHi_EL1 ...
 * APGAKeyLo_EL1). Each key is 128 bits held in a Hi/Lo pair of 64-bit
 * registers; all bits are writable.
 *
 * Access (Arm ARM, the MRS/MSR pseudocode of each key register):
 *  - EL0: UNDEFINED.
 *  - EL1: trapped to EL2 with EC 0x18 when EL2 is implemented and enabled
 *    and HCR_EL2.APK == 0 (el2_trap_apk()). With HCR_EL2.{E2H,TGE} = {1,1}
 *    EL1 is not in use, so no special case is needed.
 *  - EL2: accessible (SCR_EL3.APK does not exist here: no EL3). The keys
 *    have no _EL12 aliases and no E2H redirection: they are shared by the
 *    EL1&0 and EL2/EL2&0 regimes.
 */
#include "sysreg/sysreg_defs.h"

#include "el2/traps.h"

static SysRegAccess sra_pauth_key(CPUState *c, const SysRegDesc *r, bool is_read,
                                  unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    if (c->el == 0)
        return SRA_UNDEF;
    if (el2_trap_apk(c))
        return sra_trap_el2(tel, ec);
    return SRA_OK;
}

/* Encodings: op0 = 3, op1 = 0, CRn = 2, CRm = 1 (IA, IB), 2 (DA, DB),
 * 3 (GA); op2 = 0/1 (A key Lo/Hi), 2/3 (B key Lo/Hi). */
#define KEY(nm, m, o2, sl)                                                       \
    SR_ENTRY(nm, 3, 0, 2, m, o2, sl, FEAT_PAuth, .access = sra_pauth_key)

const SysRegDesc sysreg_pauth_table[] = {
    KEY("APIAKeyLo_EL1", 1, 0, SR_APIAKEYLO_EL1),
    KEY("APIAKeyHi_EL1", 1, 1, SR_APIAKEYHI_EL1),
    KEY("APIBKeyLo_EL1", 1, 2, SR_APIBKEYLO_EL1),
    KEY("APIBKeyHi_EL1", 1, 3, SR_APIBKEYHI_EL1),
    KEY("APDAKeyLo_EL1", 2, 0, SR_APDAKEYLO_EL1),
    KEY("APDAKeyHi_EL1", 2, 1, SR_APDAKEYHI_EL1),
    KEY("APDBKeyLo_EL1", 2, 2, SR_APDBKEYLO_EL1),
    KEY("APDBKeyHi_EL1", 2, 3, SR_APDBKEYHI_EL1),
    KEY("APGAKeyLo_EL1", 3, 0, SR_APGAKEYLO_EL1),
    KEY("APGAKeyHi_EL1", 3, 1, SR_APGAKEYHI_EL1),
    { .name = NULL },
};
