/* The generators the harness knows. Each lives in its own gen_*.c; a
 * generator whose file is not built yet is a weak NULL and is skipped. */
#include "diff.h"

#pragma weak gen_dp
#pragma weak gen_ldst
#pragma weak gen_fp
#pragma weak gen_simd
#pragma weak gen_pauth
#pragma weak gen_flow

const DiffGenerator diff_generators[] = {
    { "dp", gen_dp, false, false, false },
    { "ldst", gen_ldst, true, false, false },
    { "fp", gen_fp, false, true, false },
    { "simd", gen_simd, true, true, false },
    { "pauth", gen_pauth, true, false, false },
    { "flow", gen_flow, true, false, true },
    { NULL, NULL, false, false, false },
};
