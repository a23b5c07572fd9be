/*
 * EL2 trap decisions shared by the system-register tables and instruction
 * handlers. Arm ARM D13.2.46 (HCR_EL2 trap bits), D1.13 (routing).
 */
#include "el2/traps.h"

bool el2_trap_tlbi(const CPUState *c)
{
    /* HCR_EL2.TTLB traps EL1 TLB maintenance (TLBI at EL1 only). */
    return c->el == 1 && (el2_hcr(c) & HCR_TTLB);
}

bool el2_trap_dc(const CPUState *c, enum DcKind kind)
{
    switch (kind) {
    case DC_KIND_SW:
        return c->el == 1 && (el2_hcr(c) & HCR_TSW);
    case DC_KIND_POC:
        return el2_hcr_trap(c, HCR_TPCP);
    case DC_KIND_POU:
        /* Arm ARM D13.2.46: TOCU traps DC CVAU, IC IVAU (EL0/EL1), IC IALLU (EL1). */
        return el2_hcr_trap(c, HCR_TPU | (has_feat(c, FEAT_EVT) ? HCR_TOCU : 0));
    case DC_KIND_IC_IS:
        /* TICAB traps IC IALLUIS at EL1. */
        return el2_hcr_trap(c, HCR_TPU | (has_feat(c, FEAT_EVT) ? HCR_TICAB : 0));
    case DC_KIND_ZVA:
        return el2_hcr_trap(c, HCR_TDZ);
    }
    return false;
}

bool el0_trap_dc(const CPUState *c, enum DcKind kind)
{
    if (c->el != 0)
        return false;
    uint64_t s = el0_sctlr(c);
    switch (kind) {
    case DC_KIND_ZVA:
        return !(s & SCTLR_DZE);
    case DC_KIND_POC:
    case DC_KIND_POU:
        return !(s & SCTLR_UCI);
    default:
        return false;
    }
}

bool el2_trap_at(const CPUState *c)
{
    return c->el == 1 && has_feat(c, FEAT_NV) && (el2_hcr(c) & HCR_AT);
}

bool el2_trap_apk(const CPUState *c)
{
    return c->el == 1 && has_feat(c, FEAT_EL2) && !(el2_hcr(c) & HCR_APK);
}

bool el2_trap_vm_regs(const CPUState *c, bool is_read)
{
    return c->el == 1 && (el2_hcr(c) & (is_read ? HCR_TRVM : HCR_TVM));
}

SysRegAccess sra_tvm(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r;
    return el2_trap_vm_regs(c, is_read) ? sra_trap_el2(tel, ec) : SRA_OK;
}

SysRegAccess sra_tid1(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    return (c->el == 1 && (el2_hcr(c) & HCR_TID1)) ? sra_trap_el2(tel, ec) : SRA_OK;
}

SysRegAccess sra_tid2(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    return el2_hcr_trap(c, HCR_TID2) ? sra_trap_el2(tel, ec) : SRA_OK;
}

SysRegAccess sra_tid24(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    uint64_t bits = HCR_TID2 | (has_feat(c, FEAT_EVT) ? HCR_TID4 : 0);
    return el2_hcr_trap(c, bits) ? sra_trap_el2(tel, ec) : SRA_OK;
}

SysRegAccess sra_tid3(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    return (c->el == 1 && (el2_hcr(c) & HCR_TID3)) ? sra_trap_el2(tel, ec) : SRA_OK;
}

SysRegAccess sra_tacr(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)is_read;
    return (c->el == 1 && (el2_hcr(c) & HCR_TACR)) ? sra_trap_el2(tel, ec) : SRA_OK;
}

void el2_vserror_taken(CPUState *c)
{
    c->sr[SR_HCR_EL2] &= ~HCR_VSE;
    c->irq_lines &= ~IRQ_LINE_VSERR;
    cpu_irq_masking_changed(c);
}
