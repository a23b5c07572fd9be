/* FP/SIMD access checks. Placeholder: access always allowed until the
 * CPACR_EL1/CPTR_EL2 trap logic is written. */
#include "cpu/fpaccess.h"

void fp_access_update(CPUState *c) { c->fp_enabled = true; }
void fp_check_access_slow(CPUState *c) { (void)c; }
