/* PSCI CPU_ON / AFFINITY_INFO / CPU_OFF at EL1 without EL2 (conduit HVC);
 * the secondary starts at EL1. See smp_common.h. */
#include "smp_common.h"
