/* The generators the harness knows. Each lives in its own gen_*.c; a
 * generator whose file is not built yet is a weak NULL and is skipped. */
#include "diff.h"

#pragma weak gen_dp
#pragma weak gen_ldst
#pragma weak gen_fp
#pragma weak gen_simd
#pragma weak gen_pauth

const DiffGenerator diff_generators[] = {
    { "dp", gen_dp, false, false },
    { "ldst", gen_ldst, true, false },
    { "fp", gen_fp, false, true },
    { "simd", gen_simd, true, true },
    { "pauth", gen_pauth, true, false },
    { NULL, NULL, false, false },
};
