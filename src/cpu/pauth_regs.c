/* System-register table fragment sysreg_pauth_table (see sysreg.h). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_pauth_table[] = {
    { .name = NULL },
};
