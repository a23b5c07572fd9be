/* PSCI CPU_ON / AFFINITY_INFO / CPU_OFF at EL2 (-M virt,virtualization=on,
 * conduit SMC); the secondary starts at EL2 (docs/guest-exit.md). See
 * smp_common.h. */
#define SCTLR_CURRENT SCTLR_EL2
#include "smp_common.h"
