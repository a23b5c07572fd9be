/* A64 instruction group "fp": decode table fragment and handlers.
 * (Arm ARM C4 encoding index.) Filled by the group's implementation. */
#include "cpu/decode.h"

const DecodePattern a64_fp_patterns[] = {
    { NULL, NULL, NULL, 0, 0 },
};
