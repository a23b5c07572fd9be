/* System-register table fragment sysreg_mmu_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_mmu_table[] = {
    { .name = NULL },
};
