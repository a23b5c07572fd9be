/*
 * Fuzz target: exit-trace files (plain and zstd, docs/exit-trace.md)
 * through the public reader API: open, header info, every record (at most
 * 100000, so that a small zstd input inflating to gigabytes stays quick),
 * and the record encoder on what was decoded (must round-trip).
 */
#include "fuzz_util.h"   /* first: it defines _GNU_SOURCE */

#include <string.h>

#include "arm83emu/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    a83_exit_reader *rd = NULL;
    if (a83_exit_reader_open(fuzz_file(0, data, size), &rd) != A83_OK)
        return 0;
    uint32_t ncpus;
    uint64_t hz;
    a83_exit_reader_info(rd, &ncpus, &hz);
    a83_exit_record r;
    for (unsigned i = 0; i < 100000 && a83_exit_reader_next(rd, &r) == A83_OK; i++) {
        uint8_t enc[A83_EXIT_RECORD_SIZE];
        a83_exit_record back;
        a83_exit_record_encode(&r, enc);
        a83_exit_record_decode(enc, &back);
        uint8_t enc2[A83_EXIT_RECORD_SIZE];
        a83_exit_record_encode(&back, enc2);
        if (memcmp(enc, enc2, sizeof enc))
            abort();   /* encode(decode(encode(r))) must be stable */
    }
    a83_exit_reader_close(rd);
    return 0;
}
