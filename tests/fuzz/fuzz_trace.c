/*
 * Fuzz target: arm83emu-trace, the whole analysis and every writer
 * (docs/exit-trace.md, docs/reliability.md). The first input byte picks the
 * options (--quiet, --by-vmid, --by-l2-exit, --xen, --kvm-abi none, --top 3),
 * the rest is the exit-trace file; --csv, --jsonl, --perfetto and --l2-csv
 * write to /dev/null (--plot runs gnuplot, a separate program, and is left
 * out). tools/arm83emu-trace/main.c is compiled into this file with its
 * main() renamed and exit() turned into a longjmp (it exits only when an
 * allocation fails), so that its tables can be reset between inputs; the
 * other files of the tool are linked as they are and reset through
 * xen_reset()/xen_io_reset(). fuzz_exit_trace fuzzes the library's reader
 * alone.
 */
#include "fuzz_util.h"   /* first: it defines _GNU_SOURCE */

#include <string.h>

#include "fuzz_exit.h"
#define exit(s) fuzz_exit(s)
#define main trace_main
#include "../../tools/arm83emu-trace/main.c"
#undef main
#undef exit

/* The tool's state back to a fresh process's (main.c's tables are static
 * to it, hence the include). */
static void trace_reset(void)
{
    for (size_t i = 0; i < ncauses; i++)
        free(causes[i]);
    ncauses = 0;
    nexits = 0;
    xen_reset();
    xen_io_reset();
    kvm_abi_select("6.1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    char *argv[24];
    int argc = 0;
    argv[argc++] = "arm83emu-trace";
    argv[argc++] = (char *)fuzz_file(0, data + 1, size - 1);
    if (mode & 1)
        argv[argc++] = "--quiet";
    if (mode & 2)
        argv[argc++] = "--by-vmid";
    if (mode & 4)
        argv[argc++] = "--by-l2-exit";
    if (mode & 8)
        argv[argc++] = "--xen";
    if (mode & 16) {
        argv[argc++] = "--kvm-abi";
        argv[argc++] = "none";
    }
    if (mode & 32) {
        argv[argc++] = "--top";
        argv[argc++] = "3";
    }
    static char *const outs[] = { "--csv", "--jsonl", "--perfetto", "--l2-csv" };
    for (unsigned k = 0; k < 4; k++) {
        argv[argc++] = outs[k];
        argv[argc++] = "/dev/null";
    }
    argv[argc] = NULL;
    if (!setjmp(fuzz_env))
        trace_main(argc, argv);
    trace_reset();
    return 0;
}
