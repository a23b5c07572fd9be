/*
 * System-register table fragment: PSTATE access registers and the EL0/EL1
 * core registers (Arm ARM C5.2 "Special-purpose registers", D13.2
 * "General system control registers"). Identification registers are in
 * idregs.c, EL2 registers in src/el2/el2_regs.c.
 */
#include "cpu/exception.h"
#include "cpu/fpaccess.h"
#include "cpu/pstate.h"
#include "cpu/spsr.h"
#include "el2/traps.h"
#include "mmu/mmu.h"
#include "sysreg/sysreg_defs.h"

/* ---- PSTATE fields as registers (Arm ARM C5.2) ------------------------- */

static uint64_t rd_nzcv(CPUState *c, const SysRegDesc *r) { (void)r; return c->nzcv; }
static void wr_nzcv(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->nzcv = (uint32_t)(v & SPSR_NZCV_MASK);
}

static uint64_t rd_daif(CPUState *c, const SysRegDesc *r) { (void)r; return (uint64_t)c->daif << SPSR_DAIF_SHIFT; }
static void wr_daif(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->daif = (v & SPSR_DAIF_MASK) >> SPSR_DAIF_SHIFT;
    cpu_irq_masking_changed(c);
}
/* DAIF at EL0: SCTLR_EL1.UMA (SCTLR_EL2 in the host regime), else trap to
 * EL1 (EL2 under TGE) with EC 0x18. */
static SysRegAccess acc_daif(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    if (c->el == 0 && !(el0_sctlr(c) & SCTLR_UMA))
        return sra_trap_el1(c, tel, ec);
    return SRA_OK;
}

static uint64_t rd_spsel(CPUState *c, const SysRegDesc *r) { (void)r; return c->spsel; }
static void wr_spsel(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    cpu_sync_sp(c);
    c->spsel = v & 1;
    cpu_load_sp(c);
}

/* CurrentEL: with FEAT_NV and HCR_EL2.NV = 1, EL1 reads EL2 (the guest
 * hypervisor believes it runs at EL2; Arm ARM D13.2.46, HCR_EL2.NV). */
static uint64_t rd_currentel(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    if (el2_trap_nv(c))
        return 2ull << SPSR_M_EL_SHIFT;
    return (uint64_t)c->el << SPSR_M_EL_SHIFT;
}

static uint64_t rd_pan(CPUState *c, const SysRegDesc *r) { (void)r; return c->pan ? SPSR_PAN : 0; }
static void wr_pan(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->pan = (v & SPSR_PAN) != 0;
    cpu_update_mmu_context(c);
}

static uint64_t rd_uao(CPUState *c, const SysRegDesc *r) { (void)r; return c->uao ? SPSR_UAO : 0; }
static void wr_uao(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->uao = (v & SPSR_UAO) != 0;
    cpu_update_mmu_context(c);   /* LDTR/STTR's context (CPUState.tlb_unpriv) */
}

/* SP_EL0 (Arm ARM C5.2.16): UNDEFINED when PSTATE.SP = 0 (SP_EL0 is the
 * current stack pointer). Otherwise SP_EL0 is in its bank. */
static SysRegAccess acc_sp_el0(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd; (void)tel; (void)ec;
    return c->spsel ? SRA_OK : SRA_UNDEF;
}
static uint64_t rd_sp_el0(CPUState *c, const SysRegDesc *r) { (void)r; return c->sp_el[0]; }
static void wr_sp_el0(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; c->sp_el[0] = v; }

/* SP_EL1 (Arm ARM C5.2.17): accessible at EL2 only (op1 = 4); at EL2 the
 * live SP is SP_EL0 or SP_EL2, never SP_EL1, so the bank is current. */
static uint64_t rd_sp_el1(CPUState *c, const SysRegDesc *r) { (void)r; return c->sp_el[1]; }
static void wr_sp_el1(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; c->sp_el[1] = v; }

/* FEAT_NV: with HCR_EL2.{NV,NV1} = {1,1} (a non-VHE guest hypervisor at
 * EL1) EL1 accesses to ELR_EL1, SPSR_EL1 and VBAR_EL1 trap to EL2 (Arm ARM
 * D13.2.46, HCR_EL2.NV1). */
static SysRegAccess acc_nv1(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    if (el2_trap_nv1_el1regs(c))
        return sra_trap_el2(tel, ec);
    return SRA_OK;
}

/* ---- EL0 registers ------------------------------------------------------ */

/* TPIDRRO_EL0: read-only at EL0 (Arm ARM D13.2.131). */
static SysRegAccess acc_tpidrro(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)tel; (void)ec;
    return (c->el == 0 && !rd) ? SRA_UNDEF : SRA_OK;
}

/* ---- EL1 registers with side effects ------------------------------------ */

void sr_write_mmu_reg(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[r->slot] = (v & ~r->res0) | r->res1;
    mmu_regs_changed(c);
}

void sr_write_cpacr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[r->slot] = v & ~r->res0;
    fp_access_update(c);
}

/* CPACR_EL1 at EL1: CPTR_EL2.TCPAC traps it to EL2 (Arm ARM D13.2.31). */
static SysRegAccess acc_cpacr(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    if (c->el == 1 && has_feat(c, FEAT_EL2) && (c->sr[SR_CPTR_EL2] & CPTR_TCPAC))
        return sra_trap_el2(tel, ec);
    return SRA_OK;
}

/* ISR_EL1 (Arm ARM D13.2.66): pending IRQ/FIQ/SError as seen at the
 * current EL - virtual ones when HCR_EL2.IMO/FMO/AMO route them. */
static uint64_t rd_isr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    uint64_t v = 0;
    uint32_t l = c->irq_lines;
    bool low = c->el <= 1;
    if ((low && el2_virt_int_enabled(c, EL2_INT_IRQ)) ? (l & (IRQ_LINE_VIRQ | IRQ_LINE_HCR_VI))
                                                      : (l & IRQ_LINE_IRQ))
        v |= 1u << 7;
    if ((low && el2_virt_int_enabled(c, EL2_INT_FIQ)) ? (l & (IRQ_LINE_VFIQ | IRQ_LINE_HCR_VF))
                                                      : (l & IRQ_LINE_FIQ))
        v |= 1u << 6;
    if (low && el2_virt_int_enabled(c, EL2_INT_SERROR) && (l & IRQ_LINE_VSERR))
        v |= 1u << 8;
    return v;
}

/* LORegion registers (FEAT_LOR): HCR_EL2.TLOR traps EL1 accesses. */
static SysRegAccess acc_tlor(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    return el2_trap_tlor(c) ? sra_trap_el2(tel, ec) : SRA_OK;
}
static uint64_t rd_zero(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0; }

/* RVBAR_EL1 exists only when EL1 is the highest implemented EL. */
static SysRegAccess acc_rvbar1(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd; (void)tel; (void)ec;
    return has_feat(c, FEAT_EL2) ? SRA_UNDEF : SRA_OK;
}

#define EL2REDIR(o1, n, m, o2) .e2h_redirect = A83_SYSREG(3, o1, n, m, o2)

const SysRegDesc sysreg_core_table[] = {
    /* PSTATE */
    SR_ENTRY("NZCV", 3, 3, 4, 2, 0, SR_NONE, -1, .read = rd_nzcv, .write = wr_nzcv),
    SR_ENTRY("DAIF", 3, 3, 4, 2, 1, SR_NONE, -1, .access = acc_daif, .read = rd_daif,
             .write = wr_daif),
    SR_ENTRY("SPSel", 3, 0, 4, 2, 0, SR_NONE, -1, .read = rd_spsel, .write = wr_spsel),
    SR_ENTRY("CurrentEL", 3, 0, 4, 2, 2, SR_NONE, -1, .flags = SRF_RO, .read = rd_currentel),
    SR_ENTRY("PAN", 3, 0, 4, 2, 3, SR_NONE, FEAT_PAN, .read = rd_pan, .write = wr_pan),
    SR_ENTRY("UAO", 3, 0, 4, 2, 4, SR_NONE, FEAT_UAO, .read = rd_uao, .write = wr_uao),
    SR_ENTRY("SP_EL0", 3, 0, 4, 1, 0, SR_NONE, -1, .access = acc_sp_el0, .read = rd_sp_el0,
             .write = wr_sp_el0),
    SR_ENTRY_V(0x240, "SP_EL1", 3, 4, 4, 1, 0, SR_NONE, FEAT_EL2, .read = rd_sp_el1, .write = wr_sp_el1),
    SR_ENTRY_V(0x230, "ELR_EL1", 3, 0, 4, 0, 1, SR_ELR_EL1, -1, EL2REDIR(4, 4, 0, 1), .access = acc_nv1),
    SR_ENTRY_V(0x160, "SPSR_EL1", 3, 0, 4, 0, 0, SR_SPSR_EL1, -1, EL2REDIR(4, 4, 0, 0),
             .res0 = SR_MASK32, .access = acc_nv1),

    /* EL0 thread registers */
    SR_ENTRY("TPIDR_EL0", 3, 3, 13, 0, 2, SR_TPIDR_EL0, -1),
    SR_ENTRY("TPIDRRO_EL0", 3, 3, 13, 0, 3, SR_TPIDRRO_EL0, -1, .access = acc_tpidrro),

    /* EL1 system control */
    SR_ENTRY_V(0x110, "SCTLR_EL1", 3, 0, 1, 0, 0, SR_SCTLR_EL1, -1, .reset = SCTLR_EL1_RES1 | SCTLR_SPAN,
             .res1 = SCTLR_EL1_RES1, .res0 = SR_ONLY(SCTLR_EL1_RW | SCTLR_EL1_RES1),
             .access = sra_tvm, .write = sr_write_mmu_reg, EL2REDIR(4, 1, 0, 0)),
    SR_ENTRY_V(0x118, "ACTLR_EL1", 3, 0, 1, 0, 1, SR_ACTLR_EL1, -1, .res0 = ~0ull,
             .flags = SRF_NV2_NV1X, .access = sra_tacr),
    SR_ENTRY_V(0x100, "CPACR_EL1", 3, 0, 1, 0, 2, SR_CPACR_EL1, -1,
             .res0 = SR_ONLY((3ull << CPACR_FPEN_SHIFT) | CPACR_TTA), .access = acc_cpacr,
             .write = sr_write_cpacr, EL2REDIR(4, 1, 1, 2)),
    SR_ENTRY_V(0x200, "TTBR0_EL1", 3, 0, 2, 0, 0, SR_TTBR0_EL1, -1, .access = sra_tvm,
             .write = sr_write_mmu_reg, EL2REDIR(4, 2, 0, 0)),
    SR_ENTRY_V(0x210, "TTBR1_EL1", 3, 0, 2, 0, 1, SR_TTBR1_EL1, -1, .access = sra_tvm,
             .write = sr_write_mmu_reg, EL2REDIR(4, 2, 0, 1)),
    /* TCR_EL1: RES0 bit 6, [63:43] without v8.4+ features (HPD, HA/HD are
     * implemented by the mmu helper as the feature set says), except TBID0
     * (51) and TBID1 (52), which FEAT_PAuth (v8.3) defines. */
    SR_ENTRY_V(0x120, "TCR_EL1", 3, 0, 2, 0, 2, SR_TCR_EL1, -1, .res0 = TCR_EL1_RES0,
             .access = sra_tvm, .write = sr_write_mmu_reg, EL2REDIR(4, 2, 0, 2)),
    SR_ENTRY_V(0x128, "AFSR0_EL1", 3, 0, 5, 1, 0, SR_AFSR0_EL1, -1, .res0 = ~0ull, .access = sra_tvm,
             EL2REDIR(4, 5, 1, 0)),
    SR_ENTRY_V(0x130, "AFSR1_EL1", 3, 0, 5, 1, 1, SR_AFSR1_EL1, -1, .res0 = ~0ull, .access = sra_tvm,
             EL2REDIR(4, 5, 1, 1)),
    SR_ENTRY_V(0x138, "ESR_EL1", 3, 0, 5, 2, 0, SR_ESR_EL1, -1, .res0 = SR_MASK32,
             .access = sra_tvm, EL2REDIR(4, 5, 2, 0)),
    SR_ENTRY_V(0x220, "FAR_EL1", 3, 0, 6, 0, 0, SR_FAR_EL1, -1, .access = sra_tvm, EL2REDIR(4, 6, 0, 0)),
    SR_ENTRY("PAR_EL1", 3, 0, 7, 4, 0, SR_PAR_EL1, -1),
    SR_ENTRY_V(0x140, "MAIR_EL1", 3, 0, 10, 2, 0, SR_MAIR_EL1, -1, .access = sra_tvm,
             .write = sr_write_mmu_reg, EL2REDIR(4, 10, 2, 0)),
    SR_ENTRY_V(0x148, "AMAIR_EL1", 3, 0, 10, 3, 0, SR_AMAIR_EL1, -1, .res0 = ~0ull, .access = sra_tvm,
             EL2REDIR(4, 10, 3, 0)),
    SR_ENTRY_V(0x250, "VBAR_EL1", 3, 0, 12, 0, 0, SR_VBAR_EL1, -1, .res0 = 0x7ff, EL2REDIR(4, 12, 0, 0),
             .access = acc_nv1),
    SR_ENTRY("RVBAR_EL1", 3, 0, 12, 0, 1, SR_NONE, -1, .flags = SRF_RO, .access = acc_rvbar1,
             .read = rd_zero),
    SR_ENTRY("ISR_EL1", 3, 0, 12, 1, 0, SR_NONE, -1, .flags = SRF_RO, .read = rd_isr),
    SR_ENTRY_V(0x108, "CONTEXTIDR_EL1", 3, 0, 13, 0, 1, SR_CONTEXTIDR_EL1, -1, .res0 = SR_MASK32,
             .access = sra_tvm, EL2REDIR(4, 13, 0, 1)),
    SR_ENTRY("TPIDR_EL1", 3, 0, 13, 0, 4, SR_TPIDR_EL1, -1),

    /* FEAT_LOR (not in the default feature set) */
    SR_ENTRY("LORSA_EL1", 3, 0, 10, 4, 0, SR_LORSA_EL1, FEAT_LOR, .access = acc_tlor,
             .res0 = SR_ONLY(0x0000ffffffff0001ull)),
    SR_ENTRY("LOREA_EL1", 3, 0, 10, 4, 1, SR_LOREA_EL1, FEAT_LOR, .access = acc_tlor,
             .res0 = SR_ONLY(0x0000ffffffff0000ull)),
    SR_ENTRY("LORN_EL1", 3, 0, 10, 4, 2, SR_LORN_EL1, FEAT_LOR, .access = acc_tlor,
             .res0 = SR_ONLY(0xffull)),
    SR_ENTRY("LORC_EL1", 3, 0, 10, 4, 3, SR_LORC_EL1, FEAT_LOR, .access = acc_tlor,
             .res0 = SR_ONLY(0x3dull)),
    SR_ENTRY("LORID_EL1", 3, 0, 10, 4, 7, SR_NONE, FEAT_LOR, .flags = SRF_RO, .access = acc_tlor,
             .read = rd_zero),

    /* AArch32 banked SPSRs: RES0 since AArch32 is not implemented at EL1
     * (Arm ARM C5.2.20-23). */
    SR_ENTRY("SPSR_irq", 3, 4, 4, 3, 0, SR_SPSR_IRQ, FEAT_EL2, .res0 = ~0ull),
    SR_ENTRY("SPSR_abt", 3, 4, 4, 3, 1, SR_SPSR_ABT, FEAT_EL2, .res0 = ~0ull),
    SR_ENTRY("SPSR_und", 3, 4, 4, 3, 2, SR_SPSR_UND, FEAT_EL2, .res0 = ~0ull),
    SR_ENTRY("SPSR_fiq", 3, 4, 4, 3, 3, SR_SPSR_FIQ, FEAT_EL2, .res0 = ~0ull),
    { .name = NULL },
};
