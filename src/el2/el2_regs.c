/* System-register table fragment sysreg_el2_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_el2_table[] = {
    { .name = NULL },
};
