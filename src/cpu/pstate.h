/*
 * PSTATE packing and the MMU context of the current EL (src/cpu/pstate.c).
 * Kept out of cpu/cpu.h because they depend on layers above the CPUState
 * type: the MMU (translation contexts), FP access and the EL2 policy
 * (docs/ARCHITECTURE.md "Layers"). cpu/cpu.h itself depends on nothing
 * but the feature set, the register slots and the TLB-model types.
 */
#ifndef A83_CPU_PSTATE_H
#define A83_CPU_PSTATE_H

#include "cpu/cpu.h"

/** Builds PSTATE in SPSR_ELx layout (Arm ARM C5.2.19). */
uint64_t cpu_get_pstate(const CPUState *c);
/** Sets PSTATE from an SPSR_ELx-layout value (no legality checks: the
 *  caller - ERET, the API - checks). Re-banks SP and the MMU context. */
void cpu_set_pstate(CPUState *c, uint64_t spsr);

/** Recomputes the MMU context (tlb/itlb pointers, strict_align) after a
 *  change of EL, PAN, HCR_EL2.{E2H,TGE} or SCTLR_ELx. */
void cpu_update_mmu_context(CPUState *c);

#endif
