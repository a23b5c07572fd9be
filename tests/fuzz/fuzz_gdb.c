/*
 * Fuzz target: the GDB remote protocol (docs/gdb.md) as a debugger's byte
 * stream. Every byte goes through the receiver (gdbrx_feed: framing, '$'..'#',
 * checksums, escapes, overlong packets, Ctrl-C), and every packet it completes
 * through the stub's dispatcher (gdbstub_handle) on a 2-CPU machine with a
 * small guest program in RAM: register, memory (by virtual and physical
 * address), breakpoint, watchpoint, thread and query packets, with whatever
 * arguments the fuzzer makes up. Resume packets (c, s, vCont) are answered
 * by the dispatcher without running the machine here. The checksum of a
 * packet is not required to match: a bad one is counted and the body is still
 * dispatched, so that the fuzzer need not learn to compute checksums.
 */
#include "fuzz_util.h"

#include <string.h>

#include "arm83emu/debug.h"
#include "dev/gdbproto.h"
#include "dev/gdbstub_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static a83_machine *m;
    if (!m) {
        m = fuzz_machine();
        /* a few instructions at the entry so that m/M/Z packets meet real code */
        static const uint32_t prog[] = { 0xd2800020u /* mov x0, #1 */, 0x91000400u /* add x0, x0, #1 */,
                                         0x14000000u /* b . */ };
        if (a83_phys_write(m, 0x40080000ull, prog, sizeof prog) != A83_OK)
            abort();
    }
    a83_gdb *g = gdbstub_create(m);
    if (!g)
        abort();
    static GdbRx rx;
    static char reply[GDB_REPLY_CAP];
    gdbrx_init(&rx);
    for (size_t i = 0; i < size; i++) {
        GdbRxEvent ev = gdbrx_feed(&rx, data[i]);
        if (ev == GDBRX_PACKET || ev == GDBRX_BADSUM) {
            if (rx.len > GDB_MAX_PACKET)
                abort();   /* the receiver bounds every body */
            rx.buf[rx.len] = 0;   /* the dispatcher expects a NUL after the body */
            bool noreply = false;
            reply[0] = 0;
            (void)gdbstub_handle(g, rx.buf, rx.len, reply, &noreply);
            if (memchr(reply, 0, sizeof reply) == NULL)
                abort();   /* the reply is always NUL-terminated inside its buffer */
            gdbrx_init(&rx);
        }
    }
    a83_gdb_close(g);
    return 0;
}
