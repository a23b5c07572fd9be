/*
 * Default cycle costs. First-order numbers for an in-order view of a
 * Cortex-A57/A72 class core (Arm's Cortex-A72 Software Optimization Guide
 * latencies): simple ALU 1, multiply 3, divide 12 (64-bit worst case
 * amortised), load-to-use 4, store 1, branch 1, FP 3-5, barrier and
 * system-register accesses tens of cycles. See docs/timing.md.
 */
#include "timing/timing.h"

#include "core/machine.h"

void timing_default(TimingModel *t)
{
    static const uint16_t cost[CLS__COUNT] = {
        [CLS_INT] = 1,    [CLS_MUL] = 3,   [CLS_DIV] = 12,   [CLS_LOAD] = 4,
        [CLS_STORE] = 1,  [CLS_BRANCH] = 1, [CLS_FP] = 4,    [CLS_FP_DIV] = 15,
        [CLS_SIMD] = 3,   [CLS_SYS] = 10,  [CLS_BARRIER] = 20, [CLS_EXC] = 1,
        [CLS_ATOMIC] = 20, [CLS_CRYPTO] = 3, [CLS_UNDEF] = 1,
    };
    memcpy(t->cls_cost, cost, sizeof cost);
    t->exc_entry = 40;
    t->exc_return = 30;
    t->tlb_miss = 10;
    t->walk_fetch = 20;
    t->mmio_access = 50;
}

uint16_t timing_class_cost(const struct a83_machine *m, unsigned cls)
{
    return cls < CLS__COUNT ? m->timing.cls_cost[cls] : 1;
}
