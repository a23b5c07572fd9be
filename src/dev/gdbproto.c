/*
 * GDB remote serial protocol framing (GDB manual E.1 "Overview"): packets
 * are "$body#cc" with cc the modulo-256 sum of the body in two hex digits;
 * '+'/'-' acknowledge; 0x03 outside a packet is an interrupt; '}' escapes
 * the next byte (XOR 0x20) in binary data.
 */
#include "dev/gdbproto.h"

#include <string.h>

void gdbrx_init(GdbRx *rx)
{
    rx->state = 0;
    rx->len = 0;
    rx->sum = 0;
    rx->csum = 0;
    rx->overflow = false;
    rx->buf[0] = 0;
}

int gdb_hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

GdbRxEvent gdbrx_feed(GdbRx *rx, uint8_t b)
{
    switch (rx->state) {
    case 0:
        if (b == '$') {
            rx->state = 1;
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = false;
            return GDBRX_NONE;
        }
        if (b == '+')
            return GDBRX_ACK;
        if (b == '-')
            return GDBRX_NAK;
        if (b == 0x03)
            return GDBRX_INTR;
        return GDBRX_NONE;   /* garbage between packets */
    case 1:
        if (b == '#') {
            rx->state = 2;
            return GDBRX_NONE;
        }
        if (b == '$') {
            /* a new start: the previous packet was cut short */
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = false;
            return GDBRX_NONE;
        }
        rx->sum = (uint8_t)(rx->sum + b);
        if (rx->len < GDB_MAX_PACKET)
            rx->buf[rx->len++] = (char)b;
        else
            rx->overflow = true;
        return GDBRX_NONE;
    case 2: {
        int v = gdb_hexval(b);
        rx->csum = (uint8_t)((v < 0 ? 0 : v) << 4);
        rx->state = v < 0 ? 4 : 3;   /* 4: bad digit, wait for the second one */
        return GDBRX_NONE;
    }
    default: {
        int v = gdb_hexval(b);
        bool bad = rx->state == 4 || v < 0;
        rx->state = 0;
        rx->buf[rx->len < GDB_MAX_PACKET ? rx->len : GDB_MAX_PACKET] = 0;
        if (rx->overflow)
            return GDBRX_OVERLONG;
        if (bad || (uint8_t)(rx->csum | (uint8_t)v) != rx->sum)
            return GDBRX_BADSUM;
        return GDBRX_PACKET;
    }
    }
}

bool gdb_parse_hex(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    unsigned n = 0;
    while (s < end && gdb_hexval((unsigned char)*s) >= 0) {
        if (++n > 16)
            return false;
        v = v << 4 | (uint64_t)gdb_hexval((unsigned char)*s);
        s++;
    }
    if (!n)
        return false;
    *out = v;
    *p = s;
    return true;
}

bool gdb_hex_decode(const char *s, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hexval((unsigned char)s[2 * i]), lo = gdb_hexval((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static const char hexdig[] = "0123456789abcdef";

void gdb_hex_encode(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[in[i] >> 4];
        out[2 * i + 1] = hexdig[in[i] & 15];
    }
    out[2 * n] = 0;
}

void gdb_hex_le(uint64_t v, unsigned bytes, char *out)
{
    size_t k = strlen(out);
    for (unsigned i = 0; i < bytes; i++) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        out[k++] = hexdig[b >> 4];
        out[k++] = hexdig[b & 15];
    }
    out[k] = 0;
}

size_t gdb_unescape(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '}') {
            if (++i >= n)
                return (size_t)-1;
            s[k++] = (char)(s[i] ^ 0x20);
        } else {
            s[k++] = s[i];
        }
    }
    return k;
}

size_t gdb_frame(const char *body, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    uint8_t sum = 0;
    if (cap < 4)
        return 0;
    out[k++] = '$';
    for (size_t i = 0; i < n; i++) {
        char ch = body[i];
        bool esc = ch == '$' || ch == '#' || ch == '}' || ch == '*';
        if (k + (esc ? 2 : 1) + 3 > cap)
            return 0;
        if (esc) {
            out[k++] = '}';
            sum = (uint8_t)(sum + '}');
            ch = (char)(ch ^ 0x20);
        }
        out[k++] = ch;
        sum = (uint8_t)(sum + (uint8_t)ch);
    }
    out[k++] = '#';
    out[k++] = hexdig[sum >> 4];
    out[k++] = hexdig[sum & 15];
    return k;
}
