/*
 * Fuzz target: the arm83emu command line (docs/cli.md). The input is the
 * argument list, NUL-separated. tools/arm83emu/main.c is compiled into this
 * file with exit() turned into a longjmp back here and its main() renamed,
 * so the real option parser runs (parse_args, the -M/-smp/-m/-device
 * parsers, the --input/--wait-for escape check, a83_config_validate)
 * without a machine being made, nothing loaded and no file touched.
 * Leak detection is off for this target (tests/fuzz/run.sh): a usage error
 * unwinds by longjmp past the parser's temporary strings, which the real
 * program frees by exiting.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_exit.h"
#define exit(s) fuzz_exit(s)
#define main arm83emu_main
#include "../../tools/arm83emu/main.c"
#include "../../tools/arm83emu/virtio_opts.c"   /* -drive/-device virtio parsing */
#include "../../tools/arm83emu/gdb_opts.c"      /* -s/-S/-gdb parsing */
#include "../../tools/arm83emu/lockstep.c"      /* -accel jit,lockstep= */
#undef main
#undef exit

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    /* argv: "arm83emu" then the NUL-separated pieces of the input */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = 0;
    char *argv[FUZZ_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "arm83emu";
    for (size_t i = 0; i <= size && argc <= FUZZ_MAX_ARGS;) {
        argv[argc++] = copy + i;
        i += strlen(copy + i) + 1;
    }
    argv[argc] = NULL;

    static Options o;   /* static: still valid after a longjmp */
    memset(&o, 0, sizeof o);
    a83_config_default(&o.cfg);
    if (setjmp(fuzz_env) == 0) {
        parse_args(&o, argc, argv);
        char msg[256];
        (void)a83_config_validate(&o.cfg, msg, sizeof msg);
        for (unsigned i = 0; i < o.ninputs; i++) {
            if (o.inputs[i].kind == IN_FILE)
                continue;
            char *buf = malloc(strlen(o.inputs[i].text) + 1);
            if (!buf)
                break;
            size_t n = unescape(o.inputs[i].kind == IN_WAIT ? "--wait-for" : "--input",
                                o.inputs[i].text, buf);
            (void)n;
            free(buf);
        }
    }
    free_options(&o);
    free(copy);
    return 0;
}
