/* System-register table fragment sysreg_fp_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_fp_table[] = {
    { .name = NULL },
};
