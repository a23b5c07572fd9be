/* System-register table fragment sysreg_pmu_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_pmu_table[] = {
    { .name = NULL },
};
