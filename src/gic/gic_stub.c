/* GICv3 entry points (placeholder until src/gic is written). */
#include "core/modules.h"
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_gic_table[] = {
    { .name = NULL },
};

a83_err gic_init(Machine *m) { (void)m; return A83_OK; }
void gic_destroy(Machine *m) { (void)m; }
void gic_update(Machine *m) { (void)m; }
void gic_set_irq(Machine *m, unsigned intid, bool level, unsigned cpu)
{
    (void)m; (void)intid; (void)level; (void)cpu;
}
