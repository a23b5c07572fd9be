/*
 * The cycle model (DESIGN.md section 6, docs/timing.md). Every cost is a
 * named parameter of a TimingModel; the default profile is documented with
 * its sources. Static per-instruction costs are cached in the decoded
 * entries, so the hot loop adds one number per instruction.
 */
#ifndef A83_TIMING_H
#define A83_TIMING_H

#include <stdint.h>

#include "cpu/decode.h"

typedef struct TimingModel {
    uint16_t cls_cost[CLS__COUNT];   /* cycles per instruction class */
    uint32_t exc_entry;              /* exception entry, cycles */
    uint32_t exc_return;             /* ERET, cycles */
    uint32_t tlb_miss;               /* fixed part of a TLB miss */
    uint32_t walk_fetch;             /* per descriptor fetch of a table walk */
    uint32_t mmio_access;            /* per device register access */
} TimingModel;

/** Fills t with the default profile (Cortex-A57/A72 class, docs/timing.md). */
void timing_default(TimingModel *t);

struct a83_machine;
/** Static cost in cycles of one instruction of class cls on machine m. */
uint16_t timing_class_cost(const struct a83_machine *m, unsigned cls);

#endif
