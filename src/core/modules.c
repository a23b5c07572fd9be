#include "core/modules.h"
#include "trace/trace.h"
#include "timing/cache.h"

a83_err modules_init(Machine *m)
{
    a83_err err;
    if ((err = trace_init(m)) || (err = platform_init(m)) || (err = gic_init(m)) || (err = timer_init(m)))
        return err;
    return A83_OK;
}

void modules_destroy(Machine *m)
{
    timer_destroy(m);
    gic_destroy(m);
    platform_destroy(m);
    tarmac_destroy(m);
    cache_model_destroy(m);
    trace_destroy(m);
}

void modules_advance_time(Machine *m)
{
    timer_advance(m);
    platform_advance_time(m);
    gic_update(m);
}

uint64_t modules_next_event(Machine *m)
{
    uint64_t t = timer_next_deadline(m), p = platform_next_event(m);
    return t < p ? t : p;
}

bool modules_round_skippable(Machine *m)
{
    return timer_round_skippable(m) && gic_round_skippable(m) && platform_round_skippable(m);
}

void modules_skip_round(Machine *m)
{
    timer_skip_round(m);
}
