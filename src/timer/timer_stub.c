/* Generic timer entry points (placeholder until src/timer is written). */
#include <stdint.h>

#include "core/modules.h"
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_timer_table[] = {
    { .name = NULL },
};

a83_err timer_init(Machine *m) { (void)m; return A83_OK; }
void timer_destroy(Machine *m) { (void)m; }
void timer_advance(Machine *m) { (void)m; }
uint64_t timer_next_deadline(Machine *m) { (void)m; return UINT64_MAX; }
