/*
 * Fuzz target: the initial ramdisk (-initrd, a83_load_initrd): placed
 * after the kernel and described in /chosen at a83_boot(). The first input
 * byte picks the RAM size (2..32 MiB) so that the placement limits are
 * reached; the rest is the ramdisk.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = (uint64_t)(1 + data[0] % 16) * (2u << 20);
    a83_machine *m = NULL;
    if (a83_machine_create(&cfg, &m) != A83_OK)
        abort();
    if (a83_load_kernel(m, fuzz_file(0, fuzz_tiny_kernel, sizeof fuzz_tiny_kernel), NULL) != A83_OK)
        abort();
    if (a83_load_initrd(m, fuzz_file(1, data + 1, size - 1)) == A83_OK)
        (void)a83_boot(m);
    a83_machine_destroy(m);
    return 0;
}
