/*
 * FEAT_ECV decisions (ecv.h). Arm ARM D24.8 CNTHCTL_EL2, CNTPOFF_EL2.
 */
#include "el2/ecv.h"

#include "el2/nv.h"

/* EL2Enabled(), FEAT_ECV, below EL2, not the EL2&0 host regime. */
static bool ecv_applies(const CPUState *c)
{
    return has_feat(c, FEAT_ECV) && c->el < 2 && !el2_in_host(c);
}

bool el2_ecv_trap_vtimer(const CPUState *c)
{
    return ecv_applies(c) && (c->sr[SR_CNTHCTL_EL2] & CNTHCTL_EL1TVT);
}

bool el2_ecv_trap_vcount(const CPUState *c)
{
    return ecv_applies(c) && (c->sr[SR_CNTHCTL_EL2] & CNTHCTL_EL1TVCT);
}

/* CNTP_CTL_EL02 (3,5,14,2,1), CNTP_CVAL_EL02 (3,5,14,2,2), CNTV_CTL_EL02
 * (3,5,14,3,1), CNTV_CVAL_EL02 (3,5,14,3,2). */
bool el2_ecv_trap_el02(const CPUState *c, uint32_t enc)
{
    if (!ecv_applies(c) || c->el != 1 || el2_nvx(c) != (NVX_NV2 | NVX_NV))
        return false;
    uint64_t h = c->sr[SR_CNTHCTL_EL2];
    if (enc == A83_SYSREG(3, 5, 14, 2, 1) || enc == A83_SYSREG(3, 5, 14, 2, 2))
        return (h & CNTHCTL_EL1NVPCT) != 0;
    if (enc == A83_SYSREG(3, 5, 14, 3, 1) || enc == A83_SYSREG(3, 5, 14, 3, 2))
        return (h & CNTHCTL_EL1NVVCT) != 0;
    return false;
}

uint64_t el2_ecv_phys_offset(const CPUState *c)
{
    if (!has_feat(c, FEAT_ECV) || el2_in_host(c) || !(c->sr[SR_CNTHCTL_EL2] & CNTHCTL_ECV))
        return 0;
    return c->sr[SR_CNTPOFF_EL2];
}
