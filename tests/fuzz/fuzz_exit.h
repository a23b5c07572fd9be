/*
 * For the fuzz targets that compile a command's main.c into themselves
 * (fuzz_cli.c, fuzz_trace.c): exit() becomes a longjmp back to the target,
 * which calls the renamed main() under setjmp(fuzz_env). Define exit as
 * fuzz_exit around the #include of the command's source.
 */
#ifndef A83_FUZZ_EXIT_H
#define A83_FUZZ_EXIT_H

#include <setjmp.h>

static jmp_buf fuzz_env;
static void __attribute__((noreturn)) fuzz_exit(int status)
{
    longjmp(fuzz_env, status + 1);
}

#endif
