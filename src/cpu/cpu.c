/*
 * PSTATE packing and the MMU context of the current EL.
 */
#include "cpu/cpu.h"

#include "core/machine.h"
#include "mmu/mmu.h"
#include "cpu/fpaccess.h"

/* HCR_EL2 bits used here */
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)

uint64_t cpu_get_pstate(const CPUState *c)
{
    /* SPSR_ELx for AArch64 (Arm ARM C5.2.18): NZCV[31:28], PAN[22],
     * UAO[23], SS[21], IL[20], D[9] A[8] I[7] F[6], M[3:0] = EL:SP. */
    return (uint64_t)c->nzcv | ((uint64_t)c->uao << 23) | ((uint64_t)c->pan << 22) |
           ((uint64_t)c->ss << 21) | ((uint64_t)c->il << 20) | ((uint64_t)(c->daif & 0xf) << 6) |
           ((uint64_t)c->el << 2) | c->spsel;
}

void cpu_set_pstate(CPUState *c, uint64_t spsr)
{
    cpu_sync_sp(c);
    c->nzcv = (uint32_t)spsr & 0xf0000000u;
    c->uao = has_feat(c, FEAT_UAO) ? (spsr >> 23) & 1 : 0;
    c->pan = has_feat(c, FEAT_PAN) ? (spsr >> 22) & 1 : 0;
    c->ss = (spsr >> 21) & 1;
    c->il = (spsr >> 20) & 1;
    c->daif = (spsr >> 6) & 0xf;
    c->el = (spsr >> 2) & 3;
    c->spsel = spsr & 1;
    cpu_load_sp(c);
    cpu_update_mmu_context(c);
}

unsigned mmu_current_idx(const CPUState *c)
{
    uint64_t hcr = has_feat(c, FEAT_EL2) ? c->sr[SR_HCR_EL2] : 0;
    bool e2h = (hcr & HCR_E2H) != 0;
    switch (c->el) {
    case 0:
        return (e2h && (hcr & HCR_TGE)) ? MMUIDX_E20_0 : MMUIDX_E10_0;
    case 1:
        return c->pan ? MMUIDX_E10_1_PAN : MMUIDX_E10_1;
    default:
        if (e2h)
            return c->pan ? MMUIDX_E20_2_PAN : MMUIDX_E20_2;
        return MMUIDX_E2;
    }
}

void cpu_update_mmu_context(CPUState *c)
{
    unsigned idx = mmu_current_idx(c);
    c->cur_mmuidx = (uint8_t)idx;
    c->tlb = c->tlbs[idx];
    c->itlb = c->itlbs[idx];
    /* SCTLR_ELx.A (bit 1) of the regime the access is made in */
    uint64_t sctlr = (idx == MMUIDX_E2 || idx >= MMUIDX_E20_0) ? c->sr[SR_SCTLR_EL2]
                                                                : c->sr[SR_SCTLR_EL1];
    /* Alignment is checked on every data access when SCTLR_ELx.A is set,
     * and with the stage-1 MMU off, where data accesses are Device memory
     * (Arm ARM D8.2.11) unless HCR_EL2.DC makes them Normal. */
    bool dc = idx <= MMUIDX_E10_1_PAN && has_feat(c, FEAT_EL2) && (c->sr[SR_HCR_EL2] >> 12) & 1;
    c->strict_align = ((sctlr >> 1) & 1) || (!(sctlr & 1) && !dc);
    fp_access_update(c);
}
