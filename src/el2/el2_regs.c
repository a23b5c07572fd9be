/*
 * System-register table fragment sysreg_el2_table: the EL2 registers
 * (Arm ARM D13.2) and the VHE _EL12 aliases of EL1 registers (D5.6,
 * "Virtualization Host Extensions"). The aliases reach the real EL1
 * registers and are UNDEFINED unless at EL2 with HCR_EL2.E2H=1 (the
 * executor checks SRF_EL12).
 */
#include "core/machine.h"
#include "cpu/fpaccess.h"
#include "el2/traps.h"
#include "mmu/mmu.h"
#include "sysreg/sysreg_defs.h"
#include "trace/trace.h"

/* ---- HCR_EL2 ------------------------------------------------------------ */

void el2_write_hcr(CPUState *c, uint64_t v)
{
    c->sr[SR_HCR_EL2] = v;
    /* The virtual interrupt lines follow HCR_EL2.VI/VF/VSE (Arm ARM D1.13.4). */
    uint32_t l = c->irq_lines & ~(uint32_t)(IRQ_LINE_HCR_VI | IRQ_LINE_HCR_VF | IRQ_LINE_VSERR);
    if (v & HCR_VI)
        l |= IRQ_LINE_HCR_VI;
    if (v & HCR_VF)
        l |= IRQ_LINE_HCR_VF;
    if (v & HCR_VSE)
        l |= IRQ_LINE_VSERR;
    c->irq_lines = l;
    cpu_irq_masking_changed(c);     /* HCR_EL2 routes the interrupts */
    c->exit_req |= EXIT_CHECK;
    mmu_regs_changed(c);
    fp_access_update(c);
    if (unlikely(c->m->trace_active))
        trace_mode_sync(c);     /* TGE/IMO/FMO: host or guest time (docs/exit-trace.md) */
}

/* Writable HCR_EL2 bits for the implemented features (Arm ARM D13.2.46). */
static uint64_t hcr_writable(const CPUState *c)
{
    uint64_t w = 0x3ffffffffull & ~HCR_RW;           /* bits [33:0] except RW */
    if (has_feat(c, FEAT_VHE))
        w |= HCR_E2H;
    if (has_feat(c, FEAT_LOR))
        w |= HCR_TLOR;
    if (has_feat(c, FEAT_PAuth))
        w |= HCR_APK | HCR_API;
    if (has_feat(c, FEAT_NV))
        w |= HCR_NV | HCR_NV1 | HCR_AT;
    if (has_feat(c, FEAT_NV2))
        w |= HCR_NV2;
    if (has_feat(c, FEAT_EVT))
        w |= HCR_TID4 | HCR_TICAB | HCR_TOCU;
    if (has_feat(c, FEAT_S2FWB))
        w |= HCR_FWB;
    return w;
}

static void wr_hcr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    /* HCR_EL2.RW is RAO/WI: EL1 cannot use AArch32. */
    el2_write_hcr(c, (v & hcr_writable(c)) | HCR_RW);
}

/* ---- CPTR_EL2 (two layouts, chosen by HCR_EL2.E2H) ------------------------- */

#define CPTR_NVHE_RW (CPTR_TCPAC | CPTR_TTA | CPTR_TFP)
#define CPTR_VHE_RW (CPTR_TCPAC | CPTR_E2H_TTA | (3ull << CPTR_E2H_FPEN_SHIFT))

static uint64_t rd_cptr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    uint64_t v = c->sr[SR_CPTR_EL2];
    return el2_e2h(c) ? (v & CPTR_VHE_RW) : ((v & CPTR_NVHE_RW) | CPTR_RES1_NVHE);
}

static void wr_cptr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_CPTR_EL2] = v & (el2_e2h(c) ? CPTR_VHE_RW : CPTR_NVHE_RW);
    fp_access_update(c);
}

/* ---- MDCR_EL2 ------------------------------------------------------------ */

#define MDCR_RW (MDCR_HPMN_MASK | MDCR_TPMCR | MDCR_TPM | MDCR_HPME | MDCR_TDE | MDCR_TDA | \
                 MDCR_TDOSA | MDCR_TDRA)

static void wr_mdcr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    pmu_fold_counters(c);          /* HPMN/HPME change which counters count */
    c->sr[SR_MDCR_EL2] = v & ~r->res0;
}

/* ---- Virtualization ID registers: VPIDR_EL2/VMPIDR_EL2 reset to MIDR_EL1
 * and MPIDR_EL1 of this CPU. The slot holds value XOR the real ID so that
 * the table's reset value 0 means "the real value". */
static uint64_t rd_vpidr(CPUState *c, const SysRegDesc *r) { (void)r; return c->sr[SR_VPIDR_EL2] ^ c->midr; }
static void wr_vpidr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_VPIDR_EL2] = (v & 0xffffffffull) ^ c->midr;
}
static uint64_t rd_vmpidr(CPUState *c, const SysRegDesc *r) { (void)r; return c->sr[SR_VMPIDR_EL2] ^ c->mpidr; }
static void wr_vmpidr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    /* Aff3 [39:32], U [30], MT [24], Aff2-0 [23:0]; bit 31 RES1 */
    c->sr[SR_VMPIDR_EL2] = ((v & 0xff417fffffull) | (1ull << 31)) ^ c->mpidr;
}

static uint64_t rd_zero(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0; }

/* SCTLR_EL2 reset (E2H=0 layout): RES1 bits [29:28], [23:22], 18, 16, 11,
 * [5:4] (Arm ARM D13.2.114). */
#define SCTLR_EL2_RESET 0x30c50830ull

#define E2(nm, o1, n, m, o2, sl, ...) SR_ENTRY(nm, 3, o1, n, m, o2, sl, FEAT_EL2, __VA_ARGS__)
#define VH(nm, o1, n, m, o2, sl, ...) SR_ENTRY(nm, 3, o1, n, m, o2, sl, FEAT_VHE, __VA_ARGS__)
/* As E2, with the FEAT_NV2 VNCR_EL2 offset vo (src/el2/nv.h) */
#define E2V(vo, nm, o1, n, m, o2, sl, ...) SR_ENTRY_V(vo, nm, 3, o1, n, m, o2, sl, FEAT_EL2, __VA_ARGS__)
/* An _EL12 alias of an EL1 register with the EL1 register's behaviour. */
#define EL12(vo, nm, n, m, o2, sl, ...) \
    SR_ENTRY_V(vo, nm, 3, 5, n, m, o2, sl, FEAT_VHE, .flags = SRF_EL12, __VA_ARGS__)

const SysRegDesc sysreg_el2_table[] = {
    E2V(0x88, "VPIDR_EL2", 4, 0, 0, 0, SR_VPIDR_EL2, .read = rd_vpidr, .write = wr_vpidr),
    E2V(0x50, "VMPIDR_EL2", 4, 0, 0, 5, SR_VMPIDR_EL2, .read = rd_vmpidr, .write = wr_vmpidr),
    E2("SCTLR_EL2", 4, 1, 0, 0, SR_SCTLR_EL2, .reset = SCTLR_EL2_RESET,
       .write = sr_write_mmu_reg),
    E2("ACTLR_EL2", 4, 1, 0, 1, SR_ACTLR_EL2, .res0 = ~0ull),
    E2V(0x78, "HCR_EL2", 4, 1, 1, 0, SR_HCR_EL2, .reset = HCR_RW, .write = wr_hcr),
    E2("MDCR_EL2", 4, 1, 1, 1, SR_MDCR_EL2, .reset = 6, .res0 = SR_ONLY(MDCR_RW),
       .write = wr_mdcr),
    E2("CPTR_EL2", 4, 1, 1, 2, SR_CPTR_EL2, .read = rd_cptr, .write = wr_cptr),
    /* T<n> for n = 0..15 except T4 and T14 (RES0) (Arm ARM D24.2.77) */
    E2V(0x80, "HSTR_EL2", 4, 1, 1, 3, SR_HSTR_EL2, .res0 = SR_ONLY(0xbfefull)),
    E2("HACR_EL2", 4, 1, 1, 7, SR_HACR_EL2, .res0 = ~0ull),
    E2("TTBR0_EL2", 4, 2, 0, 0, SR_TTBR0_EL2, .write = sr_write_mmu_reg),
    VH("TTBR1_EL2", 4, 2, 0, 1, SR_TTBR1_EL2, .write = sr_write_mmu_reg),
    E2("TCR_EL2", 4, 2, 0, 2, SR_TCR_EL2, .write = sr_write_mmu_reg),
    E2V(0x20, "VTTBR_EL2", 4, 2, 1, 0, SR_VTTBR_EL2, .write = sr_write_mmu_reg),
    E2V(0x40, "VTCR_EL2", 4, 2, 1, 2, SR_VTCR_EL2, .res0 = ~0ull << 32, .res1 = 1ull << 31,
       .reset = 1ull << 31, .write = sr_write_mmu_reg),
    /* VNCR_EL2: BADDR [63:12] (the top bits are RESS, a sign extension,
     * so that an EL2&0 upper-range VA works: stored as written); [11:0] RES0 */
    SR_ENTRY_V(0xb0, "VNCR_EL2", 3, 4, 2, 2, 0, SR_VNCR_EL2, FEAT_NV2, .res0 = 0xfffull),
    E2("SPSR_EL2", 4, 4, 0, 0, SR_SPSR_EL2, .res0 = SR_MASK32),
    E2("ELR_EL2", 4, 4, 0, 1, SR_ELR_EL2),
    E2("AFSR0_EL2", 4, 5, 1, 0, SR_AFSR0_EL2, .res0 = ~0ull),
    E2("AFSR1_EL2", 4, 5, 1, 1, SR_AFSR1_EL2, .res0 = ~0ull),
    E2("ESR_EL2", 4, 5, 2, 0, SR_ESR_EL2, .res0 = SR_MASK32),
    E2("FAR_EL2", 4, 6, 0, 0, SR_FAR_EL2),
    E2("HPFAR_EL2", 4, 6, 0, 4, SR_HPFAR_EL2, .res0 = SR_ONLY(0xfffffffff0ull)),
    E2("MAIR_EL2", 4, 10, 2, 0, SR_MAIR_EL2, .write = sr_write_mmu_reg),
    E2("AMAIR_EL2", 4, 10, 3, 0, SR_AMAIR_EL2, .res0 = ~0ull),
    E2("VBAR_EL2", 4, 12, 0, 0, SR_VBAR_EL2, .res0 = 0x7ff),
    /* RVBAR_EL2: EL2 is the highest EL; the reset address is IMPLEMENTATION
     * DEFINED and this board starts CPUs through its loader: 0. */
    E2("RVBAR_EL2", 4, 12, 0, 1, SR_NONE, .flags = SRF_RO, .read = rd_zero),
    VH("CONTEXTIDR_EL2", 4, 13, 0, 1, SR_CONTEXTIDR_EL2, .res0 = SR_MASK32),
    E2V(0x90, "TPIDR_EL2", 4, 13, 0, 2, SR_TPIDR_EL2),

    /* VHE aliases (FEAT_VHE): the real EL1 registers */
    EL12(0x110, "SCTLR_EL12", 1, 0, 0, SR_SCTLR_EL1, .res1 = SCTLR_EL1_RES1,
         .res0 = SR_ONLY(SCTLR_EL1_RW | SCTLR_EL1_RES1), .write = sr_write_mmu_reg),
    EL12(0x100, "CPACR_EL12", 1, 0, 2, SR_CPACR_EL1,
         .res0 = SR_ONLY((3ull << CPACR_FPEN_SHIFT) | CPACR_TTA), .write = sr_write_cpacr),
    EL12(0x200, "TTBR0_EL12", 2, 0, 0, SR_TTBR0_EL1, .write = sr_write_mmu_reg),
    EL12(0x210, "TTBR1_EL12", 2, 0, 1, SR_TTBR1_EL1, .write = sr_write_mmu_reg),
    EL12(0x120, "TCR_EL12", 2, 0, 2, SR_TCR_EL1, .res0 = TCR_EL1_RES0,
         .write = sr_write_mmu_reg),
    EL12(0x160, "SPSR_EL12", 4, 0, 0, SR_SPSR_EL1, .res0 = SR_MASK32),
    EL12(0x230, "ELR_EL12", 4, 0, 1, SR_ELR_EL1),
    EL12(0x128, "AFSR0_EL12", 5, 1, 0, SR_AFSR0_EL1, .res0 = ~0ull),
    EL12(0x130, "AFSR1_EL12", 5, 1, 1, SR_AFSR1_EL1, .res0 = ~0ull),
    EL12(0x138, "ESR_EL12", 5, 2, 0, SR_ESR_EL1, .res0 = SR_MASK32),
    EL12(0x220, "FAR_EL12", 6, 0, 0, SR_FAR_EL1),
    EL12(0x140, "MAIR_EL12", 10, 2, 0, SR_MAIR_EL1, .write = sr_write_mmu_reg),
    EL12(0x148, "AMAIR_EL12", 10, 3, 0, SR_AMAIR_EL1, .res0 = ~0ull),
    EL12(0x250, "VBAR_EL12", 12, 0, 0, SR_VBAR_EL1, .res0 = 0x7ff),
    EL12(0x108, "CONTEXTIDR_EL12", 13, 0, 1, SR_CONTEXTIDR_EL1, .res0 = SR_MASK32),
    { .name = NULL },
};
