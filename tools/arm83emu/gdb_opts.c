/*
 * -s, -gdb DEV, -S (QEMU's debugger options) for the arm83emu command.
 */
#include "gdb_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gdb_opts_parse(GdbOpts *o, const char *name, const char *arg)
{
    if (!strcmp(name, "-s")) {
        o->dev = "tcp:127.0.0.1:1234";
        return 1;
    }
    if (!strcmp(name, "-S")) {
        o->wait = true;
        return 1;
    }
    if (!strcmp(name, "-gdb")) {
        if (!arg) {
            fprintf(stderr, "arm83emu: option '-gdb' needs an argument (try --help)\n");
            exit(2);
        }
        if (!strcmp(arg, "none"))
            o->dev = NULL;
        else
            o->dev = arg;
        return 2;
    }
    return 0;
}

a83_gdb *gdb_opts_start(const GdbOpts *o, a83_machine *m)
{
    if (!o->dev) {
        if (o->wait) {
            fprintf(stderr, "arm83emu: -S needs -s or -gdb (try --help)\n");
            exit(2);
        }
        return NULL;
    }
    char msg[256];
    a83_gdb *g;
    if (a83_gdb_open(m, o->dev, &g, msg, sizeof msg) != A83_OK) {
        fprintf(stderr, "arm83emu: -gdb %s: %s\n", o->dev, msg);
        exit(2);
    }
    fprintf(stderr, "arm83emu: gdb stub listening on port %u%s\n", a83_gdb_port(g),
            o->wait ? ", waiting for the debugger" : "");
    if (o->wait && a83_gdb_wait(g) != A83_OK) {
        fprintf(stderr, "arm83emu: -gdb: waiting for the debugger failed\n");
        exit(2);
    }
    return g;
}
