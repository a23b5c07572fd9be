/*
 * FP/SIMD access checks: AArch64.CheckFPAdvSIMDEnabled (Arm ARM
 * shared/functions/aarch64) with CPACR_EL1.FPEN, CPTR_EL2.TFP (E2H=0) and
 * CPTR_EL2.FPEN (E2H=1). c->fp_enabled caches "no trap at the current EL".
 * Taking the trap (fp_check_access_slow()) is in cpu/exception.c, so this
 * file stays below the exception layer (docs/ARCHITECTURE.md "Layers").
 */
#include "cpu/fpaccess.h"

#include "el2/traps.h"

unsigned fp_trap_el(const CPUState *c)
{
    bool in_host = el2_in_host(c);
    if (c->el <= 1 && !in_host) {
        /* CPACR_EL1.FPEN: x0 traps EL0 and EL1, 01 traps EL0, 11 none. */
        unsigned fpen = (c->sr[SR_CPACR_EL1] >> CPACR_FPEN_SHIFT) & 3;
        if (!(fpen & 1) || (fpen == 1 && c->el == 0))
            return 1;
    }
    if (has_feat(c, FEAT_EL2)) {
        uint64_t cptr = c->sr[SR_CPTR_EL2];
        if (el2_e2h(c)) {
            /* E2H layout: FPEN x0 traps EL0/EL1/EL2 (except EL1 with TGE),
             * 01 traps EL0 when TGE=1. */
            unsigned fpen = (cptr >> CPTR_E2H_FPEN_SHIFT) & 3;
            bool tge = EffectiveTGE(c);
            if (!(fpen & 1) && !(c->el == 1 && tge))
                return 2;
            if (fpen == 1 && c->el == 0 && tge)
                return 2;
        } else if (cptr & CPTR_TFP) {
            return 2;
        }
    }
    return 0;
}

void fp_access_update(CPUState *c) { c->fp_enabled = fp_trap_el(c) == 0; }
