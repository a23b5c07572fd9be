/* System-register table fragment sysreg_id_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_id_table[] = {
    { .name = NULL },
};
