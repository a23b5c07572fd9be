/*
 * Helpers for writing system-register table entries (branch sys):
 * SR_ENTRY(name, op0, op1, CRn, CRm, op2, slot, feature, ...) expands to a
 * SysRegDesc with vncr_offset = -1 and the extra designated initializers.
 */
#ifndef A83_SYSREG_DEFS_H
#define A83_SYSREG_DEFS_H

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
#define SCTLR_EL1_RES1                                                                      \
    ((1ull << 7) | (1ull << 8) | (1ull << 11) | (1ull << 20) | (1ull << 22) | (1ull << 28) | \
     (1ull << 29))
#define SCTLR_EL1_RW                                                                         \
    (0x1full | (1ull << 9) | (1ull << 12) | (1ull << 13) | (1ull << 14) | (1ull << 15) |    \
     (1ull << 16) | (1ull << 18) | (1ull << 19) | (1ull << 23) | (1ull << 26) | (1ull << 27) | \
     (1ull << 30) | (1ull << 31))
/* TCR_EL1 RES0 bits: bit 6 and [63:43] except TBID0/TBID1 (bits 51, 52,
 * FEAT_PAuth; the translation code ignores them without the feature). */
#define TCR_EL1_RES0 (((1ull << 6) | (~0ull << 43)) & ~((1ull << 51) | (1ull << 52)))
#define SR_MASK32 SR_ONLY(0xffffffffull)

#endif
