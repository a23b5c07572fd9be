/*
 * Helpers for writing system-register table entries (branch sys):
 * SR_ENTRY(name, op0, op1, CRn, CRm, op2, slot, feature, ...) expands to a
 * SysRegDesc with vncr_offset = -1 and the extra designated initializers.
 */
#ifndef A83_SYSREG_DEFS_H
#define A83_SYSREG_DEFS_H

#include "cpu/sctlr.h"
#include "mmu/tcr.h"
#include "sysreg/sysreg.h"

#define SR_ENTRY(nm, o0, o1, n, m, o2, sl, feat, ...)                                  \
    { .name = nm, .enc = A83_SYSREG(o0, o1, n, m, o2), .slot = sl, .feature = feat,     \
      .vncr_offset = -1, __VA_ARGS__ }

/** As SR_ENTRY, with the FEAT_NV2 VNCR_EL2 offset vo (branch el2). */
#define SR_ENTRY_V(vo, nm, o0, o1, n, m, o2, sl, feat, ...)                            \
    { .name = nm, .enc = A83_SYSREG(o0, o1, n, m, o2), .slot = sl, .feature = feat,     \
      .vncr_offset = vo, __VA_ARGS__ }

/** RES0 mask for a register whose only writable bits are `w`. */
#define SR_ONLY(w) (~(uint64_t)(w))

/** Write function for registers that affect translation (SCTLR_ELx,
 *  TCR_ELx, TTBRn_ELx, MAIR_ELx): applies RES0/RES1, then mmu_regs_changed(). */
void sr_write_mmu_reg(CPUState *c, const SysRegDesc *r, uint64_t v);
/** Write function of CPACR_EL1: applies RES0, then fp_access_update(). */
void sr_write_cpacr(CPUState *c, const SysRegDesc *r, uint64_t v);

/** Brings the PMU counters up to date before a change of what enables
 *  them (MDCR_EL2.HPMN/HPME writes; pmu.c). */
void pmu_fold_counters(CPUState *c);

/* SCTLR_EL1 (Arm ARM D13.2.113) for v8.3 with PAN, UAO, PAuth, no
 * AArch32, no mixed endian: writable M A C SA SA0 UMA I EnDB DZE UCT nTWI
 * nTWE WXN SPAN UCI EnDA EnIB EnIA; RES1 ITD and SED (EL0 cannot use
 * AArch32), EOS, TSCXT, EIS, nTLSMD, LSMAOE; CP15BEN RES0. */
#define SCTLR_EL1_RES1                                                                   \
    (SCTLR_ITD | SCTLR_SED | SCTLR_EOS | SCTLR_TSCXT | SCTLR_EIS | SCTLR_nTLSMD | SCTLR_LSMAOE)
#define SCTLR_EL1_RW                                                                     \
    (SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_UMA | SCTLR_I | SCTLR_EnDB | \
     SCTLR_DZE | SCTLR_UCT | SCTLR_nTWI | SCTLR_nTWE | SCTLR_WXN | SCTLR_SPAN | SCTLR_UCI |  \
     SCTLR_EnDA | SCTLR_EnIB | SCTLR_EnIA)
/* TCR_EL1 RES0 bits: bit 6 and [63:43] except TBID0/TBID1 (bits 51, 52,
 * FEAT_PAuth; the translation code ignores them without the feature). */
#define TCR_EL1_RES0 (((1ull << 6) | (~0ull << 43)) & ~(TCR_TBID0 | TCR_TBID1))
#define SR_MASK32 SR_ONLY(0xffffffffull)

#endif
