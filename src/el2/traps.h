/*
 * EL2 trap controls (HCR_EL2, CPTR_EL2, MDCR_EL2) and the trap decisions
 * that system-register access functions and instruction handlers share.
 * Arm ARM D13.2.46 (HCR_EL2), D13.2.31 (CPTR_EL2), D13.3.x (MDCR_EL2).
 *
 * Every decision function returns true when the access from the current EL
 * must be trapped to EL2 (EC 0x18 unless stated). They take EL2Enabled()
 * into account (no EL2 -> never trap) and ELIsInHost(EL0) (E2H=1 && TGE=1:
 * the EL1 controls do not apply to EL0). The effective HCR_EL2 and the
 * instruction/routing decisions are in el2/policy.h (included here).
 */
#ifndef A83_EL2_TRAPS_H
#define A83_EL2_TRAPS_H

#include "cpu/cpu.h"
#include "cpu/sctlr.h"
#include "el2/hcr.h"
#include "el2/policy.h"
#include "sysreg/sysreg.h"

/** Returns SRA_TRAP to EL2 with EC 0x18 (for access functions). */
static inline SysRegAccess sra_trap_el2(unsigned *tel, uint32_t *ec)
{
    *tel = 2;
    *ec = 0x18;
    return SRA_TRAP;
}

/** Returns SRA_TRAP with EC 0x18 to EL1 (EL2 under TGE) from EL0. */
static inline SysRegAccess sra_trap_el1(const CPUState *c, unsigned *tel, uint32_t *ec)
{
    *tel = el1_trap_target(c);
    *ec = 0x18;
    return SRA_TRAP;
}

/* ---- Decisions for other subsystems' table entries (mmu, pauth) --------- */

/** TLBI at EL1: HCR_EL2.TTLB. */
bool el2_trap_tlbi(const CPUState *c);

/** Kinds of DC/IC operation for el2_trap_dc(). */
enum DcKind {
    DC_KIND_SW,      /* DC ISW, CSW, CISW: HCR_EL2.TSW (EL1) */
    DC_KIND_POC,     /* DC IVAC, CVAC, CIVAC, CVAP: HCR_EL2.TPCP (EL0/EL1) */
    DC_KIND_POU,     /* DC CVAU, IC IVAU, IC IALLU: HCR_EL2.TPU, TOCU (FEAT_EVT) */
    DC_KIND_IC_IS,   /* IC IALLUIS: HCR_EL2.TPU, TICAB (FEAT_EVT) */
    DC_KIND_ZVA,     /* DC ZVA: HCR_EL2.TDZ (EL0/EL1) */
};
/** DC/IC maintenance trapped to EL2 by HCR_EL2.{TSW,TPCP,TPU,TDZ} and, with
 *  FEAT_EVT, {TOCU,TICAB}. */
bool el2_trap_dc(const CPUState *c, enum DcKind kind);

/** EL0 use of DC ZVA / DC CVAU, CVAC, CIVAC / IC IVAU is disabled by
 *  SCTLR_EL1.DZE / UCI (SCTLR_EL2 in the host regime): the access function
 *  should then return SRA_TRAP to el1_trap_target() with EC 0x18. */
bool el0_trap_dc(const CPUState *c, enum DcKind kind);

/** AT at EL1 is trapped with HCR_EL2.NV=1 ... (FEAT_NV: HCR_EL2.AT) */
bool el2_trap_at(const CPUState *c);

/** PAuth key register access at EL1 trapped by HCR_EL2.APK=0 (when EL2 is
 *  implemented and not in host); EC 0x18. */
bool el2_trap_apk(const CPUState *c);

/** HCR_EL2.TVM (writes) / TRVM (reads) for the EL1 virtual-memory
 *  control registers. */
bool el2_trap_vm_regs(const CPUState *c, bool is_read);

/* Common access functions usable in any fragment. */
SysRegAccess sra_tvm(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);
SysRegAccess sra_tid1(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);
SysRegAccess sra_tid2(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);
/** CCSIDR_EL1, CCSIDR2_EL1, CLIDR_EL1, CSSELR_EL1: HCR_EL2.TID2 or, with
 *  FEAT_EVT, TID4 (which leaves CTR_EL0 alone). */
SysRegAccess sra_tid24(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);
SysRegAccess sra_tid3(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);
SysRegAccess sra_tacr(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel, uint32_t *ec);

/** A virtual SError was taken (Arm ARM D1.13.4): HCR_EL2.VSE is cleared
 *  and the virtual SError line drops. */
void el2_vserror_taken(CPUState *c);

/** Writes HCR_EL2 with its side effects: irq_lines VI/VF/VSE, EXIT_CHECK,
 *  MMU context, FP access, trace mode. Implemented in src/el2/el2_regs.c,
 *  with the register table, because it reaches up to the MMU, FP-access
 *  and trace layers (docs/ARCHITECTURE.md "Layers"). */
void el2_write_hcr(CPUState *c, uint64_t v);

#endif
