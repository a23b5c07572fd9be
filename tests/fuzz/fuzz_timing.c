/*
 * Fuzz target: timing profiles (--timing, INI, docs/timing.md) through the
 * reader's buffer entry point, and through a83_timing_load() on a machine
 * every 64th input (the file path: size limit, cache model apply).
 */
#include "fuzz_util.h"
#include "timing/timing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TimingModel t;
    timing_default(&t);
    char err[256];
    (void)timing_parse_buffer(&t, "fuzz.ini", (const char *)data, size, err, sizeof err);
    static unsigned n;
    if (n++ % 64 == 0) {
        a83_machine *m = fuzz_machine();
        (void)a83_timing_load(m, fuzz_file(0, data, size));
        a83_machine_destroy(m);
    }
    return 0;
}
