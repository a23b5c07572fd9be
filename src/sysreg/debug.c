/* System-register table fragment sysreg_debug_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_debug_table[] = {
    { .name = NULL },
};
