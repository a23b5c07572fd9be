/*
 * GDB remote serial protocol framing and field parsing (GDB manual,
 * appendix E "Overview", "Packets"): the byte-level receiver, hex
 * helpers and packet encoding used by the stub (gdbstub.c). Pure code,
 * no I/O, so that tests/unit/test_gdbstub.c can feed it anything.
 */
#ifndef A83_GDBPROTO_H
#define A83_GDBPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet body accepted (advertised as PacketSize in qSupported). */
#define GDB_MAX_PACKET 4096

typedef enum GdbRxEvent {
    GDBRX_NONE = 0,   /* byte consumed, nothing complete */
    GDBRX_PACKET,     /* a packet with a good checksum: body in rx->buf, rx->len */
    GDBRX_BADSUM,     /* checksum mismatch or non-hex checksum: answer '-' */
    GDBRX_OVERLONG,   /* body longer than GDB_MAX_PACKET: answer '-' (dropped) */
    GDBRX_ACK,        /* '+' outside a packet */
    GDBRX_NAK,        /* '-' outside a packet: resend the last packet */
    GDBRX_INTR,       /* 0x03 outside a packet: Ctrl-C */
} GdbRxEvent;

typedef struct GdbRx {
    int state;                    /* 0 idle, 1 body, 2 first checksum digit, 3 second */
    char buf[GDB_MAX_PACKET + 1]; /* body, NUL-terminated (may contain NULs for X) */
    size_t len;
    uint8_t sum, csum;
    bool overflow;
} GdbRx;

/** Resets the receiver to idle. */
void gdbrx_init(GdbRx *rx);
/** Feeds one received byte; returns what it completed. Bytes outside a
 *  packet other than '$', '+', '-' and 0x03 are ignored (garbage). */
GdbRxEvent gdbrx_feed(GdbRx *rx, uint8_t byte);

/** Value of a hex digit, or -1. */
int gdb_hexval(int ch);
/** Parses hex digits at *p (at most 16, at least one) into *out and
 *  advances *p past them. Returns false if there is no digit or more than
 *  16 of them (overflow). */
bool gdb_parse_hex(const char **p, const char *end, uint64_t *out);
/** Decodes 2*n hex digits from s into out. Returns false on a non-hex digit. */
bool gdb_hex_decode(const char *s, size_t n, uint8_t *out);
/** Encodes n bytes as 2*n lowercase hex digits (NUL-terminated). */
void gdb_hex_encode(const uint8_t *in, size_t n, char *out);
/** Appends the little-endian hex of the low `bytes` bytes of v to out. */
void gdb_hex_le(uint64_t v, unsigned bytes, char *out);
/** Undoes the binary escapes of X packets ('}' then byte ^ 0x20) in place.
 *  Returns the decoded length, or (size_t)-1 for a '}' at the end. */
size_t gdb_unescape(char *s, size_t n);
/** Frames body as "$body#cc" into out (cap bytes, body escaped where '$',
 *  '#', '}' or '*' occur). Returns the framed length, or 0 if out is too
 *  small. */
size_t gdb_frame(const char *body, size_t n, char *out, size_t cap);

#endif
