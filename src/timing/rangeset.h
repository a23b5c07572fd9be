/*
 * A small set of address ranges that covers everything added to it (VA
 * bounds of TLB entries filled from block mappings, so that a TLBI by VA
 * outside them can skip the scan for blocks that cover it). At most
 * RANGESET_MAX ranges: when all are in use, the two closest become one, so
 * the set only ever grows and keeps covering every address added. Header
 * only; no allocation; not thread-safe (owned by one CPU).
 */
#ifndef A83_RANGESET_H
#define A83_RANGESET_H

#include <stdbool.h>
#include <stdint.h>

#define RANGESET_MAX 8

typedef struct RangeSet {
    uint64_t lo[RANGESET_MAX], hi[RANGESET_MAX];   /* inclusive bounds */
    uint32_t n;                                      /* ranges in use */
} RangeSet;

static inline void rangeset_clear(RangeSet *r) { r->n = 0; }

/* The hull of the set: *lo = the lowest bound, *hi = the highest; an empty
 * set gives lo > hi (~0, 0). */
static inline void rangeset_bounds(const RangeSet *r, uint64_t *lo, uint64_t *hi)
{
    *lo = ~0ull;
    *hi = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        if (r->lo[i] < *lo)
            *lo = r->lo[i];
        if (r->hi[i] > *hi)
            *hi = r->hi[i];
    }
}

/* Whether some range contains a. */
static inline bool rangeset_covers(const RangeSet *r, uint64_t a)
{
    for (uint32_t i = 0; i < r->n; i++)
        if (a >= r->lo[i] && a <= r->hi[i])
            return true;
    return false;
}

/* Adds [lo, hi] (lo <= hi). */
static inline void rangeset_add(RangeSet *r, uint64_t lo, uint64_t hi)
{
    for (uint32_t i = 0; i < r->n; i++)
        if (lo <= r->hi[i] + 1 && r->lo[i] <= hi + 1) {   /* overlaps or touches */
            if (lo < r->lo[i])
                r->lo[i] = lo;
            if (hi > r->hi[i])
                r->hi[i] = hi;
            return;
        }
    if (r->n == RANGESET_MAX) {
        uint32_t a = 0, b = 1;
        uint64_t best = ~0ull;
        for (uint32_t i = 0; i < r->n; i++)
            for (uint32_t j = i + 1; j < r->n; j++) {
                uint64_t gap = r->lo[j] > r->hi[i] ? r->lo[j] - r->hi[i]
                             : r->lo[i] > r->hi[j] ? r->lo[i] - r->hi[j] : 0;
                if (gap < best) {
                    best = gap;
                    a = i;
                    b = j;
                }
            }
        if (r->lo[b] < r->lo[a])
            r->lo[a] = r->lo[b];
        if (r->hi[b] > r->hi[a])
            r->hi[a] = r->hi[b];
        r->n--;
        r->lo[b] = r->lo[r->n];
        r->hi[b] = r->hi[r->n];
    }
    r->lo[r->n] = lo;
    r->hi[r->n] = hi;
    r->n++;
}

#endif
