/*
 * libFuzzer target: arm83emu-sweep's experiment files (docs/sweeps.md;
 * tools/arm83emu-sweep/spec.c): the INI reader with its own line reader,
 * continuation lines, every [sweep] key, [grid], [points], [images], the
 * placeholder substitution and quoting of the command template, and the
 * expansion into runs with their ids and duplicate detection. spec.c is
 * compiled into this file; nothing is run (spec_load only validates and
 * expands) and no file is written.
 *
 * For every file that loads, the argument vectors of its first runs are
 * built and checked: argv[0] is the emulator, and the vector is
 * NULL-terminated within the bound spec_argv allows. Images and path
 * parameters name files that must exist: the seed corpus uses /proc/self/exe
 * and /dev/null so that valid files get past that check.
 *
 * Unlike the other targets, the input goes to a real file (one, in a
 * directory made once under $TMPDIR and removed at exit): spec_load
 * resolves the file's own directory with realpath(), which a memfd's
 * /proc/self/fd path does not have.
 */
#include "fuzz_util.h"

#include "../../tools/arm83emu-sweep/spec.c"

static char dir[4096], file[4200];

static void cleanup(void)
{
    unlink(file);
    rmdir(dir);
}

static const char *spec_file(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/a83-fuzz-sweep-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir))
            abort();
        snprintf(file, sizeof file, "%s/spec.ini", dir);
        atexit(cleanup);
    }
    FILE *f = fopen(file, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    return file;
}

#define FUZZ_MAX_ARGV (64 * 1024)
#define FUZZ_RUNS_CHECKED 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const char *path = spec_file(data, size);
    SweepSpec spec;
    if (spec_load(path, "/nonexistent-a83-fuzz", &spec) == 0) {
        if (!spec.emulator || !spec.command || spec.nruns == 0 || spec.nruns > SWEEP_MAX_RUNS)
            abort();   /* a spec that loads can be run */
        for (size_t r = 0; r < spec.nruns && r < FUZZ_RUNS_CHECKED; r++) {
            if (strlen(spec.runs[r].id) != 16)
                abort();
            char **argv = spec_argv(&spec, &spec.runs[r], "/tmp/a83-fuzz-run", "/tmp/a83-fuzz-trace");
            if (!argv)
                continue;
            if (!argv[0] || strcmp(argv[0], spec.emulator))
                abort();
            size_t n = 0;
            while (argv[n] && n < FUZZ_MAX_ARGV)
                n++;
            if (argv[n])
                abort();
            spec_argv_free(argv);
        }
    }
    spec_free(&spec);
    return 0;
}
