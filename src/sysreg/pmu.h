/*
 * PMU hooks for the exception model (src/sysreg/pmu.c).
 */
#ifndef A83_PMU_H
#define A83_PMU_H

#include "cpu/cpu.h"

void pmu_el_change_slow(CPUState *c);

/** Call before PSTATE.EL changes (exception entry, exception return):
 *  folds the counters so that the EL filters of PMEVTYPERn_EL0 and
 *  PMCCFILTR_EL0 (Arm ARM D7.10) see the time spent at the old EL. Free
 *  while no counter is enabled. */
static inline void pmu_el_change(CPUState *c)
{
    if (unlikely(c->sr[SR_PMCNTENSET_EL0]))
        pmu_el_change_slow(c);
}

#endif
