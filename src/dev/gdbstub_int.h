/*
 * Internals of the GDB stub shared with its unit test
 * (tests/unit/test_gdbstub.c): a stub without sockets and the packet
 * dispatcher, so that packets can be fed without a debugger.
 */
#ifndef A83_GDBSTUB_INT_H
#define A83_GDBSTUB_INT_H

#include "arm83emu/debug.h"

/* What a packet asks the session to do after its reply. */
enum {
    GDB_ACT_NONE = 0,   /* stay stopped, wait for the next packet */
    GDB_ACT_CONT,       /* resume every CPU */
    GDB_ACT_STEP,       /* resume; stop before the stepped CPU's next instruction */
    GDB_ACT_DETACH,     /* remove every breakpoint, resume, drop the connection */
    GDB_ACT_KILL,       /* end the run */
};

/* Largest reply the dispatcher writes (hex of a full 'g' or 'm'). */
#define GDB_REPLY_CAP (2 * 4096 + 256)

/** A stub for m with no socket (packets through gdbstub_handle() only).
 *  NULL on allocation failure. Free with a83_gdb_close(). */
a83_gdb *gdbstub_create(a83_machine *m);

/** Executes one packet body (pkt[0..len), may be modified in place; a NUL
 *  follows it) and writes the reply into reply (GDB_REPLY_CAP bytes,
 *  NUL-terminated; an empty reply means "not supported"). Returns a
 *  GDB_ACT_*. Resume actions write no reply (the stop reply comes later).
 *  *noreply is set when nothing at all must be sent (k). */
int gdbstub_handle(a83_gdb *g, char *pkt, size_t len, char *reply, bool *noreply);

#endif
