/*
 * PSTATE packing and the MMU context of the current EL.
 */
#include "cpu/pstate.h"

#include "cpu/decode.h"
#include "cpu/fpaccess.h"
#include "cpu/sctlr.h"
#include "cpu/spsr.h"
#include "mmu/mmu.h"
#include "el2/policy.h"

uint64_t cpu_get_pstate(const CPUState *c)
{
    /* SPSR_ELx for AArch64 (Arm ARM C5.2.18): NZCV[31:28], PAN[22],
     * UAO[23], SS[21], IL[20], D[9] A[8] I[7] F[6], M[3:0] = EL:SP. */
    return (uint64_t)c->nzcv | (c->uao ? SPSR_UAO : 0) | (c->pan ? SPSR_PAN : 0) |
           (c->ss ? SPSR_SS : 0) | (c->il ? SPSR_IL : 0) |
           ((uint64_t)(c->daif & 0xf) << SPSR_DAIF_SHIFT) |
           ((uint64_t)c->el << SPSR_M_EL_SHIFT) | (c->spsel ? SPSR_M_SP : 0);
}

void cpu_set_pstate(CPUState *c, uint64_t spsr)
{
    cpu_sync_sp(c);
    c->nzcv = (uint32_t)(spsr & SPSR_NZCV_MASK);
    c->uao = has_feat(c, FEAT_UAO) && (spsr & SPSR_UAO);
    c->pan = has_feat(c, FEAT_PAN) && (spsr & SPSR_PAN);
    c->ss = (spsr & SPSR_SS) != 0;
    c->il = (spsr & SPSR_IL) != 0;
    c->daif = (spsr & SPSR_DAIF_MASK) >> SPSR_DAIF_SHIFT;
    c->el = spsr_m_el(spsr);
    c->spsel = (spsr & SPSR_M_SP) != 0;
    cpu_load_sp(c);
    cpu_update_mmu_context(c);
}

unsigned mmu_current_idx(const CPUState *c)
{
    switch (c->el) {
    case 0:
        return ELIsInHost(c, 0) ? MMUIDX_E20_0 : MMUIDX_E10_0;
    case 1:
        return c->pan ? MMUIDX_E10_1_PAN : MMUIDX_E10_1;
    default:
        if (ELIsInHost(c, 2))
            return c->pan ? MMUIDX_E20_2_PAN : MMUIDX_E20_2;
        return MMUIDX_E2;
    }
}

void cpu_update_mmu_context(CPUState *c)
{
    unsigned idx = mmu_current_idx(c);
    c->cur_mmuidx = (uint8_t)idx;
    /* an EL change and the DAIF written with it: exception entry,
     * cpu_set_pstate(), reset (the DAIF-only and HCR_EL2 writes call it
     * themselves) */
    cpu_irq_masking_changed(c);
    c->tlb = c->tlbs[c->tlb_set[idx]];
    c->itlb = c->itlbs[c->tlb_set[idx]];
    c->tlb_unpriv = el2_ldst_unpriv(c) ? c->tlbs[c->tlb_set[mmu_unpriv_idx(c)]] : c->tlb;
    c->pac_hint_keys = pac_hint_keys(c);
    cpu_pac_hint_drop(c);
    /* SCTLR_ELx.A (bit 1) of the regime the access is made in */
    uint64_t sctlr = (idx == MMUIDX_E2 || idx >= MMUIDX_E20_0) ? c->sr[SR_SCTLR_EL2]
                                                                : c->sr[SR_SCTLR_EL1];
    /* Alignment is checked on every data access when SCTLR_ELx.A is set,
     * and with the stage-1 MMU off, where data accesses are Device memory
     * (Arm ARM D8.2.11) unless HCR_EL2.DC makes them Normal. */
    bool dc = idx <= MMUIDX_E10_1_PAN && el2_stage1_default_cacheable(c);
    c->strict_align = (sctlr & SCTLR_A) || (!(sctlr & SCTLR_M) && !dc);
    fp_access_update(c);
}
