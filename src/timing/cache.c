/*
 * Set-associative cache tag models (cache.h). Deterministic LRU: each way
 * holds the value of a per-cache counter at its last use; the way with the
 * smallest value (an invalid way first) is replaced.
 */
#include "timing/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/machine.h"
#include "core/snapio.h"
#include "cpu/exec.h"

typedef struct CacheModel CacheModel;

typedef struct CacheLevel {
    uint32_t sets, ways, line_bits;
    uint64_t *tag;        /* sets * ways: line address + 1 (0 = invalid) */
    uint64_t *used;       /* sets * ways: LRU stamps */
    uint64_t clock;
} CacheLevel;

struct CacheModel {
    CacheConfig cfg;
    CacheLevel l1i[A83_MAX_CPUS], l1d[A83_MAX_CPUS], l2;
};

void cache_config_default(CacheConfig *cfg)
{
    cfg->enabled = false;
    cfg->line = 64;
    cfg->l1i = (CacheGeometry){ 48 * 1024, 3 };
    cfg->l1d = (CacheGeometry){ 32 * 1024, 2 };
    cfg->l2 = (CacheGeometry){ 1024 * 1024, 16 };
    cfg->l2_hit = 17;
    cfg->memory = 150;
}

static bool pow2(uint64_t v) { return v && !(v & (v - 1)); }

static a83_err check_level(const char *name, const CacheGeometry *g, uint32_t line, char *err, size_t len)
{
    uint64_t per_way = g->ways ? (uint64_t)g->size / g->ways : 0;
    if (!g->ways || g->ways > 64 || per_way % line || !pow2(per_way / line)) {
        snprintf(err, len, "cache %s: %u bytes in %u ways of %u-byte lines is not a power-of-two number of sets",
                 name, g->size, g->ways, line);
        return A83_ERR_CONFIG;
    }
    return A83_OK;
}

a83_err cache_config_check(const CacheConfig *cfg, char *err, size_t len)
{
    if (!pow2(cfg->line) || cfg->line < 16 || cfg->line > 256) {
        snprintf(err, len, "cache line size %u is not a power of two in 16..256", cfg->line);
        return A83_ERR_CONFIG;
    }
    a83_err e;
    if ((e = check_level("l1i", &cfg->l1i, cfg->line, err, len)) ||
        (e = check_level("l1d", &cfg->l1d, cfg->line, err, len)) ||
        (e = check_level("l2", &cfg->l2, cfg->line, err, len)))
        return e;
    return A83_OK;
}

static bool level_init(CacheLevel *l, const CacheGeometry *g, uint32_t line)
{
    l->ways = g->ways;
    l->sets = g->size / g->ways / line;
    l->line_bits = (uint32_t)__builtin_ctz(line);
    l->tag = calloc((size_t)l->sets * l->ways, sizeof *l->tag);
    l->used = calloc((size_t)l->sets * l->ways, sizeof *l->used);
    l->clock = 0;
    return l->tag && l->used;
}

static void level_free(CacheLevel *l)
{
    free(l->tag);
    free(l->used);
}

void cache_model_destroy(Machine *m)
{
    CacheModel *cm = m->cache;
    if (!cm)
        return;
    for (unsigned i = 0; i < A83_MAX_CPUS; i++) {
        level_free(&cm->l1i[i]);
        level_free(&cm->l1d[i]);
    }
    level_free(&cm->l2);
    free(cm);
    m->cache = NULL;
    m->cache_on = false;
}

a83_err cache_model_apply(Machine *m, const CacheConfig *cfg)
{
    cache_model_destroy(m);
    if (cfg->enabled) {
        CacheModel *cm = calloc(1, sizeof *cm);
        if (!cm)
            return A83_ERR_NOMEM;
        cm->cfg = *cfg;
        bool ok = level_init(&cm->l2, &cfg->l2, cfg->line);
        for (unsigned i = 0; i < m->ncpus; i++)
            ok = ok && level_init(&cm->l1i[i], &cfg->l1i, cfg->line) &&
                 level_init(&cm->l1d[i], &cfg->l1d, cfg->line);
        m->cache = cm;
        m->cache_on = true;
        if (!ok) {
            cache_model_destroy(m);
            return A83_ERR_NOMEM;
        }
    }
    machine_update_slow_path(m);
    return A83_OK;
}

/* Looks line up in l, filling it on a miss. Returns true on a hit. */
static bool level_access(CacheLevel *l, uint64_t line)
{
    uint32_t set = (uint32_t)(line & (l->sets - 1));
    uint64_t *tag = &l->tag[(size_t)set * l->ways], *used = &l->used[(size_t)set * l->ways];
    uint32_t victim = 0;
    l->clock++;
    for (uint32_t w = 0; w < l->ways; w++) {
        if (tag[w] == line + 1) {
            used[w] = l->clock;
            return true;
        }
        if (used[w] < used[victim])
            victim = w;
    }
    tag[victim] = line + 1;
    used[victim] = l->clock;
    return false;
}

uint32_t cache_access(Machine *m, unsigned cpu, uint64_t pa, unsigned size, bool ifetch)
{
    CacheModel *cm = m->cache;
    CacheLevel *l1 = ifetch ? &cm->l1i[cpu] : &cm->l1d[cpu];
    uint32_t cost = 0;
    uint64_t first = pa >> l1->line_bits, last = (pa + (size ? size : 1) - 1) >> l1->line_bits;
    for (uint64_t line = first; line <= last; line++) {
        if (level_access(l1, line))
            continue;
        cost += level_access(&cm->l2, line) ? cm->cfg.l2_hit : cm->cfg.memory;
    }
    return cost;
}

bool cache_geometry(const CacheConfig *cfg, unsigned level, bool icache, uint32_t *line,
                    uint32_t *ways, uint32_t *sets)
{
    const CacheGeometry *g;
    if (level == 1)
        g = icache ? &cfg->l1i : &cfg->l1d;
    else if (level == 2 && !icache)
        g = &cfg->l2;
    else
        return false;
    uint32_t l = 16;
    while (l < 2048 && l * 2 <= cfg->line)
        l *= 2;
    uint32_t w = g->ways ? g->ways : 1;
    uint64_t s = (uint64_t)g->size / ((uint64_t)w * l);
    *line = l;
    *ways = w;
    *sets = s ? (uint32_t)(s > 0xffffff ? 0xffffff : s) : 1;
    return true;
}

/* ---- Snapshots (section "CACH", docs/snapshots.md) ---------------------------
 * The tag arrays, LRU stamps and clocks decide later costs, so they are
 * saved when the model is on (the geometry is part of the profile hash). */

static void level_save(SnapWriter *w, const CacheLevel *l)
{
    snap_u32(w, l->sets);
    snap_u32(w, l->ways);
    snap_u32(w, l->line_bits);
    snap_u64(w, l->clock);
    size_t n = (size_t)l->sets * l->ways;
    snap_put(w, l->tag, n * sizeof *l->tag);
    snap_put(w, l->used, n * sizeof *l->used);
}

/* Reads one level into fresh arrays (*tag, *used; the caller frees them
 * unless committed). */
static void level_load(SnapReader *r, const CacheLevel *l, uint64_t **tag, uint64_t **used,
                       uint64_t *clock)
{
    uint32_t sets = snap_get_u32(r), ways = snap_get_u32(r), bits = snap_get_u32(r);
    *clock = snap_get_u64(r);
    if (!r->err && (sets != l->sets || ways != l->ways || bits != l->line_bits)) {
        snap_fail(r, "cache level %ux%u lines of 2^%u bytes, this model's is %ux%u of 2^%u", sets,
                  ways, bits, l->sets, l->ways, l->line_bits);
        return;
    }
    if (r->err)
        return;
    size_t n = (size_t)l->sets * l->ways;
    *tag = malloc(n * sizeof **tag);
    *used = malloc(n * sizeof **used);
    if (!*tag || !*used) {
        snap_fail(r, "out of memory");
        return;
    }
    snap_get(r, *tag, n * sizeof **tag);
    snap_get(r, *used, n * sizeof **used);
}

a83_err cache_snap_save(Machine *m, SnapWriter *w)
{
    CacheModel *cm = m->cache;
    snap_bool(w, cm != NULL);
    if (!cm)
        return A83_OK;
    snap_u32(w, m->ncpus);
    for (unsigned i = 0; i < m->ncpus; i++) {
        level_save(w, &cm->l1i[i]);
        level_save(w, &cm->l1d[i]);
    }
    level_save(w, &cm->l2);
    return A83_OK;
}

void cache_snap_load(Machine *m, SnapReader *r)
{
    CacheModel *cm = m->cache;
    bool on = snap_get_bool(r);
    if (!r->err && on != (cm != NULL)) {
        snap_fail(r, "the cache model is %s in the snapshot, %s here", on ? "on" : "off",
                  cm ? "on" : "off");
        return;
    }
    if (!on) {
        snap_commit(r);
        return;
    }
    if (!r->err && snap_get_u32(r) != m->ncpus)
        snap_fail(r, "CPU count differs");
    /* 2 * ncpus L1s, then the L2 */
    unsigned nl = 2 * m->ncpus + 1;
    CacheLevel *lv[2 * A83_MAX_CPUS + 1];
    for (unsigned i = 0; i < m->ncpus; i++) {
        lv[2 * i] = &cm->l1i[i];
        lv[2 * i + 1] = &cm->l1d[i];
    }
    lv[2 * m->ncpus] = &cm->l2;
    uint64_t *tag[2 * A83_MAX_CPUS + 1] = { 0 }, *used[2 * A83_MAX_CPUS + 1] = { 0 };
    uint64_t clock[2 * A83_MAX_CPUS + 1];
    for (unsigned i = 0; i < nl && !r->err; i++)
        level_load(r, lv[i], &tag[i], &used[i], &clock[i]);
    bool ok = snap_commit(r);
    for (unsigned i = 0; i < nl; i++) {
        if (ok) {
            free(lv[i]->tag);
            free(lv[i]->used);
            lv[i]->tag = tag[i];
            lv[i]->used = used[i];
            lv[i]->clock = clock[i];
        } else {
            free(tag[i]);
            free(used[i]);
        }
    }
}
