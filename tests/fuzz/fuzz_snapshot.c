/*
 * Fuzz target: the snapshot loader (src/core/snapshot.c, docs/snapshots.md)
 * on the fuzz machine (fuzz_util.h: 16 MiB, 2 CPUs, EL2). The first byte
 * picks the layer:
 *   even: the input is a whole snapshot file (a83_snapshot_load_mem: header,
 *         version, configuration hash, zstd, checksum, then the sections);
 *   odd:  the rest is a decompressed payload, fed to the section parser and
 *         every section's loader directly (snapshot_load_payload): random
 *         mutations get past the checksum. A payload that loads is then run
 *         for 3000 instructions: any state a loader accepts must give
 *         architected behaviour, not a crash.
 * A refused input must leave the machine unchanged: its own snapshot is the
 * same bytes before and after (abort() otherwise; checked for one input in
 * 64, picked by the input's hash).
 */
#include "fuzz_util.h"   /* first: it defines _GNU_SOURCE */

#include <string.h>
#include <xxhash.h>

#include "core/machine.h"
#include "core/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    a83_machine *m = fuzz_machine();
    if (a83_load_kernel(m, fuzz_file(0, fuzz_tiny_kernel, sizeof fuzz_tiny_kernel), NULL) != A83_OK ||
        a83_boot(m) != A83_OK)
        abort();
    /* The unchanged-machine check saves the machine twice (reading its
     * 144 MiB of RAM and flash: 37k page faults): one input in 64. */
    bool check = (XXH3_64bits(data, size) & 63) == 0;
    void *before = NULL, *after = NULL;
    size_t lb = 0, la = 0;
    if (check && a83_snapshot_save_mem(m, &before, &lb) != A83_OK)
        abort();
    a83_err err = (data[0] & 1) ? snapshot_load_payload(m, data + 1, size - 1)
                                : a83_snapshot_load_mem(m, data + 1, size - 1);
    if (err == A83_OK) {
        a83_stop_reason why;
        a83_run(m, 3000, &why);
    } else if (check) {
        if (a83_snapshot_save_mem(m, &after, &la) != A83_OK)
            abort();
        if (la != lb || memcmp(before, after, la))
            abort();   /* a refused snapshot changed the machine */
    }
    free(before);
    free(after);
    a83_machine_destroy(m);
    return 0;
}
