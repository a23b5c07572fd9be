/*
 * Snapshot sections of the machine itself (docs/snapshots.md): guest RAM
 * and flash ("MEM "), and the scheduler's state ("SCHD": machine time and
 * an unfinished round). Embedder-owned RAM (a83_ram_map) is the
 * embedder's to save.
 */
#include <string.h>
#include <sys/mman.h>

#include "core/machine.h"
#include "core/snapio.h"

#define RUN_END UINT64_MAX   /* page index ending a block's runs */
#define MAX_RUN 256u         /* pages per run */

static bool page_zero(const uint8_t *p)
{
    static const uint8_t zero[256];
    for (unsigned o = 0; o < PAGE_SIZE; o += sizeof zero)
        if (memcmp(p + o, zero, sizeof zero))
            return false;
    return true;
}

/* Whether page i of b is zero: PF_ZERO says so without reading it (a read
 * of an untouched page would cost the host a fault and a page). */
static bool block_page_zero(const MemBlock *b, uint64_t i)
{
    return (b->pflags[i] & PF_ZERO) || page_zero(b->host + (i << PAGE_BITS));
}

/* A block: base, size, then runs {u64 first page, u32 pages, bytes} of
 * non-zero pages, then RUN_END. Zero pages cost nothing. */
static void save_block(const MemBlock *b, SnapWriter *w)
{
    snap_u64(w, b->base);
    snap_u64(w, b->size);
    uint64_t np = b->size >> PAGE_BITS;
    for (uint64_t i = 0; i < np;) {
        if (block_page_zero(b, i)) {
            i++;
            continue;
        }
        uint64_t j = i + 1;
        while (j < np && j - i < MAX_RUN && !block_page_zero(b, j))
            j++;
        snap_u64(w, i);
        snap_u32(w, (uint32_t)(j - i));
        snap_put(w, b->host + (i << PAGE_BITS), (size_t)(j - i) << PAGE_BITS);
        i = j;
    }
    snap_u64(w, RUN_END);
}

static void load_block(MemBlock *b, SnapReader *r, const char *what)
{
    uint64_t base = snap_get_u64(r), size = snap_get_u64(r);
    if (!r->err && (base != b->base || size != b->size)) {
        snap_fail(r, "%s at 0x%llx size 0x%llx, this machine's is at 0x%llx size 0x%llx", what,
                  (unsigned long long)base, (unsigned long long)size,
                  (unsigned long long)b->base, (unsigned long long)b->size);
        return;
    }
    uint64_t np = b->size >> PAGE_BITS;
    size_t start = r->pos;
    /* pass 1: the runs are in order, inside the block */
    uint64_t next = 0;
    for (;;) {
        uint64_t first = snap_get_u64(r);
        if (r->err || first == RUN_END)
            break;
        uint32_t n = snap_get_u32(r);
        if (first < next || first >= np || !n || n > np - first) {
            snap_fail(r, "%s: page run %llu+%u out of order or outside %llu pages", what,
                      (unsigned long long)first, n, (unsigned long long)np);
            return;
        }
        size_t bytes = (size_t)n << PAGE_BITS;
        if (bytes > r->len - r->pos) {
            snap_fail(r, "%s: truncated page run", what);
            return;
        }
        r->pos += bytes;
        next = first + n;
    }
    if (r->err || r->dry)
        return;
    /* pass 2 (not dry): the block becomes zero, then the runs are copied */
    size_t end = r->pos;
    r->pos = start;
    madvise(b->host, b->size, MADV_DONTNEED);   /* private anonymous: reads as zero */
    if (!page_zero(b->host))
        memset(b->host, 0, b->size);            /* not an anonymous mapping after all */
    /* PF_ZERO (core/machine.h): the writable block is zero but for the runs
     * (the caller drops every host TLB entry afterwards) */
    for (uint64_t i = 0; i < np && !b->readonly; i++)
        b->pflags[i] |= PF_ZERO;
    for (;;) {
        uint64_t first = snap_get_u64(r);
        if (first == RUN_END)
            break;
        uint32_t n = snap_get_u32(r);
        snap_get(r, b->host + (first << PAGE_BITS), (size_t)n << PAGE_BITS);
        for (uint64_t i = first; i < first + n; i++)
            b->pflags[i] &= (uint8_t)~PF_ZERO;
    }
    r->pos = end;
}

a83_err mem_snap_save(Machine *m, SnapWriter *w)
{
    save_block(&m->ram, w);
    save_block(&m->flash, w);
    return A83_OK;
}

void mem_snap_load(Machine *m, SnapReader *r)
{
    /* Validation reads the whole section before any block is written: a
     * dry pass precedes every real one (snapshot.h). */
    load_block(&m->ram, r, "RAM");
    load_block(&m->flash, r, "flash");
}

/* The scheduler section's layouts: version 1 ended with the round's end;
 * version 2 adds the cut chunk of the open round (its budget left and
 * whether it stopped inside a block: docs/snapshots.md "Split runs"). */
#define SCHD_V1_LEN (8u + 1u + 1u + 1u + 4u + 8u)
#define SCHD_V2_LEN (SCHD_V1_LEN + 8u + 1u)

a83_err machine_snap_save(Machine *m, SnapWriter *w)
{
    snap_u64(w, m->now);
    snap_bool(w, m->booted);
    /* A closed round's fields are saved as 0: whatever the last cut left
     * in them, the same machine state gives the same bytes (a run split
     * and one that never stopped end in the same snapshot). */
    bool open = m->round_open;
    snap_bool(w, open);
    snap_bool(w, open && m->round_ran);
    snap_u32(w, open ? m->round_cpu : 0);
    snap_u64(w, open ? m->round_end : 0);
    snap_u64(w, open ? m->round_chunk_left : 0);     /* layout 2 */
    snap_bool(w, open && m->round_in_block);
    return A83_OK;
}

void machine_snap_load(Machine *m, SnapReader *r)
{
    uint64_t now = snap_get_u64(r);
    bool booted = snap_get_bool(r);
    bool open = snap_get_bool(r), ran = snap_get_bool(r);
    uint32_t cpu = (uint32_t)snap_check_max(r, snap_get_u32(r), m->ncpus - 1, "round CPU");
    uint64_t end = snap_get_u64(r);
    /* Layout 1 (before the cut chunk was saved) loads as a round cut
     * between two chunks: the run goes on as the library that wrote it
     * did (the resumed CPU starts a fresh chunk). The section's length
     * tells the layouts apart. */
    uint64_t left = 0;
    bool in_block = false;
    if (r->len >= SCHD_V2_LEN) {     /* other lengths: "left over" or short */
        left = snap_check_max(r, snap_get_u64(r), INT32_MAX, "cut chunk budget");
        in_block = snap_get_bool(r);
        if (!open && (left || in_block))
            snap_fail(r, "a cut chunk without an open round");
    }
    if (!snap_commit(r))
        return;
    m->now = now;
    m->booted = booted;
    m->round_open = open;
    m->round_ran = ran;
    m->round_cpu = cpu;
    m->round_end = end;
    m->round_chunk_left = left;
    m->round_in_block = in_block;
    m->stop_reason = A83_STOP_NONE;
    m->exit_status = 0;
}
