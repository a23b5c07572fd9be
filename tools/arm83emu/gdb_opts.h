/*
 * The debugger options of the arm83emu command (docs/gdb.md, docs/cli.md):
 * -s (= -gdb tcp:127.0.0.1:1234), -gdb DEV and -S, as in QEMU.
 */
#ifndef ARM83EMU_GDB_OPTS_H
#define ARM83EMU_GDB_OPTS_H

#include <stdbool.h>

#include "arm83emu/debug.h"

typedef struct GdbOpts {
    const char *dev;     /* -gdb DEV, NULL: no stub */
    bool wait;           /* -S: wait for the debugger before the first instruction */
} GdbOpts;

/** Handles the option name (one leading dash) with its argument arg (the
 *  next command-line word, may be NULL). Returns 0 if name is not a
 *  debugger option, else the number of words used (1 or 2). Exits with
 *  status 2 on a bad value. */
int gdb_opts_parse(GdbOpts *o, const char *name, const char *arg);

/** Opens the stub for m (NULL if no -gdb/-s), and with -S waits for the
 *  debugger. Exits with status 2 when the address is refused or taken. */
a83_gdb *gdb_opts_start(const GdbOpts *o, a83_machine *m);

#endif
