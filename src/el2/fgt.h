/*
 * FEAT_FGT: the fine-grained trap registers HFGRTR_EL2, HFGWTR_EL2,
 * HFGITR_EL2, HDFGRTR_EL2 and HDFGWTR_EL2 (Arm ARM D24.2, "HFGRTR_EL2" ...
 * "HDFGWTR_EL2"), and the later EL2 registers that come with the switchable
 * features of docs/features.md: HCRX_EL2 (FEAT_HCX).
 *
 * The trap decision is a table from each trap bit to the register or
 * instruction encodings it traps (fgt.c), not a switch. Every bit that
 * traps something this CPU implements is writable; the others are RES0 (the
 * RAS, LOR, SCXTNUM, SPE, trace, BRBE, AMU, TLBI range/OS, SPECRES and
 * DPB2 bits), so what software reads back says what is trapped.
 *
 * Order (the accessor pseudocode of each register, e.g. SCTLR_EL1): UNDEFINED
 * checks, the traps to EL1 (CNTKCTL_EL1, SCTLR_EL1.UCT ...), the coarse EL2
 * traps (HCR_EL2.TVM/TRVM, TID*, MDCR_EL2.TDA ...), then the fine-grained
 * trap, then FEAT_NV2's redirection to the VNCR page. The coarse traps and
 * the fine-grained ones both go to EL2 with EC 0x18 and the same ISS, so only
 * their order against the EL1 traps and the VNCR redirect is observable
 * (docs/el2.md, "FEAT_FGT").
 */
#ifndef A83_EL2_FGT_H
#define A83_EL2_FGT_H

#include "el2/traps.h"

/* HFGITR_EL2 bits that are not system instructions (Arm ARM D24.2,
 * HFGITR_EL2): ERET/ERETAA/ERETAB at EL1 (EC 0x1A), SVC at EL0 and EL1
 * (EC 0x15, taken to EL2 with the SVC as the preferred return address). */
#define HFGITR_ERET    (1ull << 51)
#define HFGITR_SVC_EL0 (1ull << 52)
#define HFGITR_SVC_EL1 (1ull << 53)

/**
 * Whether an MRS (is_read), MSR or SYS of encoding enc at the current EL
 * (EL0 or EL1) is trapped to EL2 by the fine-grained trap registers
 * (EC 0x18). False without FEAT_FGT, at EL2, with EL2 not implemented, or in
 * the EL2&0 host regime (HCR_EL2.{E2H,TGE} = {1,1}). The executor
 * (src/cpu/sys_reg.c) calls it after the entry's access() function and
 * before the FEAT_NV2 redirect. Thread rules: reads c only.
 */
bool el2_fgt_trap(const CPUState *c, uint32_t enc, bool is_read);

/** The SR_* slot of the fine-grained trap register (HFGRTR_EL2 or
 *  HDFGRTR_EL2) that has a bit trapping MRS of encoding enc, or -1 when no
 *  bit of any of them does: then el2_fgt_trap(c, enc, true) is false in
 *  every state, else it is false whenever that register is zero. For the
 *  translator's inline MRS (exec_mrs_fast()). Thread rules: none (pure). */
int el2_fgt_read_slot(uint32_t enc);

/** HFGITR_EL2.ERET: an ERET/ERETAA/ERETAB at EL1 traps to EL2 (EC 0x1A),
 *  as AArch64.CheckForERetTrap() orders it (with the HCR_EL2.NV trap). */
bool el2_fgt_trap_eret(const CPUState *c);

/** HFGITR_EL2.SVC_EL0 / SVC_EL1: an SVC at the current EL is taken to EL2
 *  (AArch64.CheckForSVCTrap(): EC 0x15, ISS = imm16, preferred return
 *  address the SVC itself). */
bool el2_fgt_trap_svc(const CPUState *c);

#endif
