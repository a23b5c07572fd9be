/*
 * The FP/SIMD access check every FP and AdvSIMD instruction (and FPCR/FPSR
 * access) makes first: CPACR_EL1.FPEN, CPTR_EL2.TFP (or CPTR_EL2.FPEN with
 * E2H=1) traps, EC 0x07 (Arm ARM D1.13.x, AArch64.CheckFPAdvSIMDEnabled).
 * Raises the trap (never returns) when access is disabled.
 */
#ifndef A83_FPACCESS_H
#define A83_FPACCESS_H

#include "cpu/cpu.h"

/** Returns 0 when FP/SIMD is usable at the current EL, else the EL the
 *  trap is taken to (1 or 2). Pure (cpu/fpaccess.c). */
unsigned fp_trap_el(const CPUState *c);

/** Takes the FP/SIMD access trap of the current EL, or sets c->fp_enabled
 *  when there is none (cpu/exception.c). */
void fp_check_access_slow(CPUState *c);

/** c->fp_enabled caches "no trap at the current EL"; it is recomputed by
 *  fp_access_update() on writes to CPACR_EL1/CPTR_EL2/HCR_EL2 and on EL
 *  changes (cpu_update_mmu_context calls it). */
static inline void fp_check_access(CPUState *c)
{
    if (unlikely(!c->fp_enabled))
        fp_check_access_slow(c);
}

void fp_access_update(CPUState *c);

#endif
