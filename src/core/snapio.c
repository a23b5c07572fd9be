/*
 * Snapshot byte streams: the writer and the bounds-checked reader
 * (core/snapio.h, docs/snapshots.md).
 */
#include "core/snapio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer / reader -------------------------------------------------------- */

void snap_put(SnapWriter *w, const void *p, size_t n)
{
    if (w->err || !n)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *b = realloc(w->buf, cap);
        if (!b) {
            w->err = true;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void snap_fail(SnapReader *r, const char *fmt, ...)
{
    if (r->err)
        return;
    r->err = true;
    char msg[SNAP_MSG_LEN - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->msg)
        snprintf(r->msg, SNAP_MSG_LEN, "snapshot: section %s: %s", r->section ? r->section : "?", msg);
}

bool snap_get(SnapReader *r, void *p, size_t n)
{
    if (!r->err && n > r->len - r->pos)
        snap_fail(r, "truncated (%zu bytes wanted at offset %zu of %zu)", n, r->pos, r->len);
    if (r->err) {
        memset(p, 0, n);
        return false;
    }
    memcpy(p, r->p + r->pos, n);
    r->pos += n;
    return true;
}

uint8_t snap_get_u8(SnapReader *r) { uint8_t v; snap_get(r, &v, 1); return v; }
uint16_t snap_get_u16(SnapReader *r) { uint16_t v; snap_get(r, &v, 2); return v; }
uint32_t snap_get_u32(SnapReader *r) { uint32_t v; snap_get(r, &v, 4); return v; }
uint64_t snap_get_u64(SnapReader *r) { uint64_t v; snap_get(r, &v, 8); return v; }

bool snap_get_bool(SnapReader *r)
{
    uint8_t v = snap_get_u8(r);
    if (v > 1)
        snap_fail(r, "boolean byte %u at offset %zu", v, r->pos - 1);
    return v == 1;
}

uint64_t snap_check_max(SnapReader *r, uint64_t v, uint64_t max, const char *what)
{
    if (v > max) {
        snap_fail(r, "%s %llu out of range (at most %llu)", what, (unsigned long long)v,
                  (unsigned long long)max);
        return 0;
    }
    return v;
}

bool snap_commit(SnapReader *r)
{
    if (!r->err && r->pos != r->len)
        snap_fail(r, "%zu bytes left over (another layout?)", r->len - r->pos);
    return !r->err && !r->dry;
}
