/*
 * Fuzz target: a user device tree (-dtb, a83_load_dtb), which the board
 * checks and patches (/chosen bootargs, initrd, /memory) at a83_boot().
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    a83_machine *m = fuzz_machine();
    if (a83_load_kernel(m, fuzz_file(0, fuzz_tiny_kernel, sizeof fuzz_tiny_kernel), NULL) != A83_OK)
        abort();
    if (a83_load_dtb(m, fuzz_file(1, data, size)) == A83_OK) {
        (void)a83_set_bootargs(m, "console=ttyAMA0");
        (void)a83_boot(m);
    }
    a83_machine_destroy(m);
    return 0;
}
