/*
 * Fuzz target: the kernel loader (a83_load_kernel: ELF64, Linux arm64
 * Image incl. the EFI stub's PE/COFF header, raw binary; docs/board.md),
 * then a83_boot(), which builds the device tree around what was loaded.
 * Any result but a crash, a sanitizer report or a hang is fine.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    a83_machine *m = fuzz_machine();
    a83_image_kind kind;
    if (a83_load_kernel(m, fuzz_file(0, data, size), &kind) == A83_OK)
        (void)a83_boot(m);
    a83_machine_destroy(m);
    return 0;
}
