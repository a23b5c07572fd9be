/*
 * FP/SIMD access checks: AArch64.CheckFPAdvSIMDEnabled (Arm ARM
 * shared/functions/aarch64) with CPACR_EL1.FPEN, CPTR_EL2.TFP (E2H=0) and
 * CPTR_EL2.FPEN (E2H=1). c->fp_enabled caches "no trap at the current EL".
 */
#include "cpu/fpaccess.h"

#include "cpu/exception.h"
#include "el2/traps.h"

/* Returns 0 when FP is usable at the current EL, else the EL the trap is
 * taken to (1 or 2). */
static unsigned fp_trap_el(const CPUState *c)
{
    uint64_t h = el2_hcr(c);
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
            bool tge = (h & HCR_TGE) != 0;
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

void fp_check_access_slow(CPUState *c)
{
    unsigned tel = fp_trap_el(c);
    if (!tel) {
        c->fp_enabled = true;
        return;
    }
    /* AArch64.AdvSIMDFPAccessTrap: a trap to EL1 from EL0 is routed to EL2
     * by HCR_EL2.TGE and then reported as Uncategorized (EC 0x00);
     * otherwise EC 0x07 with the condition syndrome CV=1, COND=AL. */
    if (tel == 1 && c->el == 0 && (el2_hcr(c) & HCR_TGE)) {
        ExceptionRecord e = { .ec = EC_UNKNOWN, .il = true };
        cpu_raise_sync(c, 2, &e);
    }
    ExceptionRecord e = { .ec = EC_FP_ACCESS, .il = true, .iss = (1u << 24) | (0xEu << 20) };
    cpu_raise_sync(c, tel, &e);
}
