/*
 * EL2 trap controls (HCR_EL2, CPTR_EL2, MDCR_EL2) and the trap decisions
 * that system-register access functions and instruction handlers share.
 * Arm ARM D13.2.46 (HCR_EL2), D13.2.31 (CPTR_EL2), D13.3.x (MDCR_EL2).
 *
 * Every decision function returns true when the access from the current EL
 * must be trapped to EL2 (EC 0x18 unless stated). They take EL2Enabled()
 * into account (no EL2 -> never trap) and IsInHost() (E2H=1 && TGE=1: the
 * EL1 controls do not apply to EL0).
 */
#ifndef A83_EL2_TRAPS_H
#define A83_EL2_TRAPS_H

#include "cpu/cpu.h"
#include "sysreg/sysreg.h"

/* HCR_EL2 fields (Arm ARM D13.2.46) */
#define HCR_VM    (1ull << 0)
#define HCR_SWIO  (1ull << 1)
#define HCR_PTW   (1ull << 2)
#define HCR_FMO   (1ull << 3)
#define HCR_IMO   (1ull << 4)
#define HCR_AMO   (1ull << 5)
#define HCR_VF    (1ull << 6)
#define HCR_VI    (1ull << 7)
#define HCR_VSE   (1ull << 8)
#define HCR_FB    (1ull << 9)
#define HCR_BSU_SHIFT 10
#define HCR_DC    (1ull << 12)
#define HCR_TWI   (1ull << 13)
#define HCR_TWE   (1ull << 14)
#define HCR_TID0  (1ull << 15)
#define HCR_TID1  (1ull << 16)
#define HCR_TID2  (1ull << 17)
#define HCR_TID3  (1ull << 18)
#define HCR_TSC   (1ull << 19)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR  (1ull << 21)
#define HCR_TSW   (1ull << 22)
#define HCR_TPCP  (1ull << 23)
#define HCR_TPU   (1ull << 24)
#define HCR_TTLB  (1ull << 25)
#define HCR_TVM   (1ull << 26)
#define HCR_TGE   (1ull << 27)
#define HCR_TDZ   (1ull << 28)
#define HCR_HCD   (1ull << 29)
#define HCR_TRVM  (1ull << 30)
#define HCR_RW    (1ull << 31)
#define HCR_CD    (1ull << 32)
#define HCR_ID    (1ull << 33)
#define HCR_E2H   (1ull << 34)
#define HCR_TLOR  (1ull << 35)
#define HCR_TERR  (1ull << 36)
#define HCR_TEA   (1ull << 37)
#define HCR_APK   (1ull << 40)
#define HCR_API   (1ull << 41)
#define HCR_NV    (1ull << 42)
#define HCR_NV1   (1ull << 43)
#define HCR_AT    (1ull << 44)
#define HCR_NV2   (1ull << 45)
#define HCR_FWB   (1ull << 46)   /* FEAT_S2FWB */
/* FEAT_EVT (ID_AA64MMFR2_EL1.EVT = 1): writable only when implemented */
#define HCR_TID4  (1ull << 49)
#define HCR_TICAB (1ull << 50)
#define HCR_TOCU  (1ull << 52)

/* CPTR_EL2 fields. E2H=0 layout (Arm ARM D13.2.31): */
#define CPTR_TFP   (1ull << 10)
#define CPTR_TTA   (1ull << 20)
#define CPTR_TCPAC (1ull << 31)
#define CPTR_RES1_NVHE 0x33ffull          /* bits [13:12] and [9:0] */
/* E2H=1 layout (same as CPACR_EL1 plus TCPAC): */
#define CPTR_E2H_FPEN_SHIFT 20
#define CPTR_E2H_TTA (1ull << 28)

/* CPACR_EL1 fields */
#define CPACR_FPEN_SHIFT 20
#define CPACR_TTA (1ull << 28)

/* MDCR_EL2 fields (Arm ARM D13.3.x) */
#define MDCR_HPMN_MASK 0x1full
#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM   (1ull << 6)
#define MDCR_HPME  (1ull << 7)
#define MDCR_TDE   (1ull << 8)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA  (1ull << 11)
#define MDCR_HPMD  (1ull << 17)

/* SCTLR_ELx fields used by traps and checks (Arm ARM D13.2.113) */
#define SCTLR_M    (1ull << 0)
#define SCTLR_A    (1ull << 1)
#define SCTLR_SA   (1ull << 3)
#define SCTLR_SA0  (1ull << 4)
#define SCTLR_UMA  (1ull << 9)
#define SCTLR_DZE  (1ull << 14)
#define SCTLR_UCT  (1ull << 15)
#define SCTLR_nTWI (1ull << 16)
#define SCTLR_nTWE (1ull << 18)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_UCI  (1ull << 26)

/** HCR_EL2 as it applies: 0 when EL2 is not implemented (EL2Enabled()). */
static inline uint64_t el2_hcr(const CPUState *c)
{
    return has_feat(c, FEAT_EL2) ? c->sr[SR_HCR_EL2] : 0;
}

/** IsInHost(): HCR_EL2.E2H and TGE both set (the EL2&0 host regime). */
static inline bool el2_in_host(const CPUState *c)
{
    return (el2_hcr(c) & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE);
}

/** HCR_EL2.E2H in effect (FEAT_VHE). */
static inline bool el2_e2h(const CPUState *c)
{
    return has_feat(c, FEAT_VHE) && (el2_hcr(c) & HCR_E2H);
}

/** True if an HCR_EL2 trap bit applies at the current EL: EL1, or EL0
 *  with TGE=0 (EL0 accesses of EL0-accessible registers). */
static inline bool el2_hcr_trap(const CPUState *c, uint64_t bit)
{
    uint64_t h = el2_hcr(c);
    return (h & bit) && (c->el == 1 || (c->el == 0 && !(h & HCR_TGE)));
}

/** The SCTLR_ELx whose EL0 controls (UCT, DZE, UMA, nTWI, UCI, SA0)
 *  apply: SCTLR_EL2 in the host regime, else SCTLR_EL1. */
static inline uint64_t el0_sctlr(const CPUState *c)
{
    return el2_in_host(c) ? c->sr[SR_SCTLR_EL2] : c->sr[SR_SCTLR_EL1];
}

/** The debug target EL (Arm ARM D2.3, DebugTarget() without Secure state):
 *  EL2 when EL2 is implemented and MDCR_EL2.TDE or HCR_EL2.TGE is set,
 *  else EL1. Breakpoint, watchpoint, software-step and BRK exceptions from
 *  EL0/EL1 are taken there. */
static inline unsigned el2_debug_target_el(const CPUState *c)
{
    if (!has_feat(c, FEAT_EL2))
        return 1;
    return ((c->sr[SR_MDCR_EL2] & MDCR_TDE) || (c->sr[SR_HCR_EL2] & HCR_TGE)) ? 2 : 1;
}

/** Target EL of a trap "to EL1" from EL0: EL2 when HCR_EL2.TGE=1. */
static inline unsigned el1_trap_target(const CPUState *c)
{
    return (c->el == 0 && (el2_hcr(c) & HCR_TGE)) ? 2 : 1;
}

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

/** Writes HCR_EL2 with its side effects: irq_lines VI/VF/VSE, EXIT_CHECK,
 *  MMU context, FP access. */
void el2_write_hcr(CPUState *c, uint64_t v);

#endif
