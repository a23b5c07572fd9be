/*
 * The default cycle costs and the INI profile loader. The defaults are a
 * first-order in-order view of a Cortex-A72 class core, from Arm's
 * "Cortex-A72 Software Optimization Guide" (UAN 0016A) execution latencies:
 * integer ALU 1, multiply 3 (MUL/MADD W) to 5 (X), divide 4-12 (W) / 4-20
 * (X) with 12 as a typical value, load-to-use 4 (L1 hit), store 1, branch 1,
 * FP add/mul 3-4, FP divide 6-17 (15 typical), AdvSIMD integer 3, crypto
 * 3. Exception entry/return, barriers and system-register accesses are not
 * in that guide; their defaults are set so that the relative costs match
 * published microbenchmarks of hypercall round trips (docs/timing.md).
 */
#include "timing/timing.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/machine.h"
#include "cpu/exec.h"
#include "mmu/mmu.h"

void timing_default(TimingModel *t)
{
    static const uint16_t cost[CLS__COUNT] = {
        [CLS_INT] = 1,    [CLS_MUL] = 3,   [CLS_DIV] = 12,   [CLS_LOAD] = 4,
        [CLS_STORE] = 1,  [CLS_BRANCH] = 1, [CLS_FP] = 4,    [CLS_FP_DIV] = 15,
        [CLS_SIMD] = 3,   [CLS_SYS] = 10,  [CLS_BARRIER] = 20, [CLS_EXC] = 1,
        [CLS_ATOMIC] = 20, [CLS_CRYPTO] = 3, [CLS_UNDEF] = 1,
    };
    static const uint32_t sr[SRC__COUNT] = {
        [SRC_OTHER] = 0, [SRC_GIC] = 30, [SRC_TIMER] = 10, [SRC_TLBI] = 60,
        [SRC_AT] = 40, [SRC_CACHE] = 20,
    };
    memcpy(t->cls_cost, cost, sizeof cost);
    memcpy(t->sysreg_cost, sr, sizeof sr);
    t->exc_entry = 40;
    t->exc_return = 30;
    t->tlb_miss = 10;
    t->walk_fetch = 20;
    t->mmio_access = 50;
    t->its_command = 100;
    cache_config_default(&t->cache);
    tlbm_config_default(&t->tlb);
}

uint16_t timing_class_cost(const struct a83_machine *m, unsigned cls)
{
    return cls < CLS__COUNT ? m->timing.cls_cost[cls] : 1;
}

/* The profile's keys: section, key, where the value goes, its maximum. */
typedef struct Key {
    const char *section, *key;
    size_t off;
    int is16;             /* 1: uint16_t, 2: bool, else uint32_t */
    uint64_t max;
} Key;

#define CLS(k, c) { "instructions", k, offsetof(TimingModel, cls_cost) + (c) * sizeof(uint16_t), 1, 65535 }
#define SRC(k, c) { "sysregs", k, offsetof(TimingModel, sysreg_cost) + (c) * sizeof(uint32_t), 0, 1000000000 }
#define U32(s, k, f) { s, k, offsetof(TimingModel, f), 0, 1000000000 }
static const Key keys[] = {
    CLS("int", CLS_INT), CLS("mul", CLS_MUL), CLS("div", CLS_DIV), CLS("load", CLS_LOAD),
    CLS("store", CLS_STORE), CLS("branch", CLS_BRANCH), CLS("fp", CLS_FP), CLS("fp_div", CLS_FP_DIV),
    CLS("simd", CLS_SIMD), CLS("sys", CLS_SYS), CLS("barrier", CLS_BARRIER), CLS("exc", CLS_EXC),
    CLS("atomic", CLS_ATOMIC), CLS("crypto", CLS_CRYPTO), CLS("undef", CLS_UNDEF),
    SRC("other", SRC_OTHER), SRC("gic", SRC_GIC), SRC("timer", SRC_TIMER), SRC("tlbi", SRC_TLBI),
    SRC("at", SRC_AT), SRC("cache", SRC_CACHE),
    U32("exceptions", "entry", exc_entry), U32("exceptions", "return", exc_return),
    U32("memory", "tlb_miss", tlb_miss), U32("memory", "walk_fetch", walk_fetch),
    U32("memory", "mmio_access", mmio_access),
    U32("gic", "its_command", its_command),
    { "cache", "enabled", offsetof(TimingModel, cache.enabled), 2, 1 },
    U32("cache", "line", cache.line), U32("cache", "l1i_size", cache.l1i.size),
    U32("cache", "l1i_ways", cache.l1i.ways), U32("cache", "l1d_size", cache.l1d.size),
    U32("cache", "l1d_ways", cache.l1d.ways), U32("cache", "l2_size", cache.l2.size),
    U32("cache", "l2_ways", cache.l2.ways), U32("cache", "l2_hit", cache.l2_hit),
    U32("cache", "memory", cache.memory),
    U32("tlb", "l1i_entries", tlb.l1i_entries), U32("tlb", "l1d_entries", tlb.l1d_entries),
    U32("tlb", "l2_entries", tlb.l2_entries), U32("tlb", "l2_ways", tlb.l2_ways),
    U32("tlb", "l2_hit", tlb.l2_hit),
};

typedef struct ParseCtx {
    TimingModel *t;
    char *err;
    size_t len;
    int failed;
} ParseCtx;

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    ParseCtx *p = user;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcasecmp(keys[i].section, section) || strcasecmp(keys[i].key, name))
            continue;
        char *end;
        unsigned long long v = strtoull(value, &end, 0);
        if (!*value || *end || value[0] == '-' || v > keys[i].max) {
            snprintf(p->err, p->len, "[%s] %s = %s: not a number in 0..%llu", section, name, value,
                     (unsigned long long)keys[i].max);
            p->failed = 1;
            return 0;
        }
        char *base = (char *)p->t + keys[i].off;
        if (keys[i].is16 == 1)
            *(uint16_t *)base = (uint16_t)v;
        else if (keys[i].is16 == 2)
            *(bool *)base = v != 0;
        else
            *(uint32_t *)base = (uint32_t)v;
        return 1;
    }
    snprintf(p->err, p->len, "unknown key [%s] %s", section, name);
    p->failed = 1;
    return 0;
}

a83_err timing_parse_buffer(TimingModel *t, const char *name, const char *data, size_t size,
                            char *err, size_t len)
{
    if (size > TIMING_PROFILE_MAX) {
        snprintf(err, len, "%s: larger than the %u-byte profile limit", name,
                 (unsigned)TIMING_PROFILE_MAX);
        return A83_ERR_RANGE;
    }
    if (memchr(data, 0, size)) {
        snprintf(err, len, "%s: contains a NUL byte: not a text profile", name);
        return A83_ERR_CONFIG;
    }
    char *text = malloc(size + 1);
    if (!text) {
        snprintf(err, len, "%s: out of memory", name);
        return A83_ERR_NOMEM;
    }
    memcpy(text, data, size);
    text[size] = 0;
    TimingModel tmp = *t;
    ParseCtx p = { &tmp, err, len, 0 };
    int line = ini_parse_string(text, on_value, &p);
    free(text);
    if (line != 0 || p.failed) {
        if (!p.failed)
            snprintf(err, len, "syntax error");
        char msg[256];
        snprintf(msg, sizeof msg, "%s", err);
        snprintf(err, len, "%s:%d: %s", name, line, msg);
        return A83_ERR_CONFIG;
    }
    if (tmp.cache.enabled && cache_config_check(&tmp.cache, err, len) != A83_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", err);
        snprintf(err, len, "%s: %s", name, msg);
        return A83_ERR_CONFIG;
    }
    if (tlbm_config_check(&tmp.tlb, err, len) != A83_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", err);
        snprintf(err, len, "%s: %s", name, msg);
        return A83_ERR_CONFIG;
    }
    *t = tmp;
    return A83_OK;
}

a83_err timing_parse_file(TimingModel *t, const char *path, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, len, "%s: cannot open: %s", path, strerror(errno));
        return A83_ERR_IO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        snprintf(err, len, "%s: is a directory, not a profile", path);
        return A83_ERR_IO;
    }
    /* Read at most one byte past the limit: /dev/zero or a huge file ends
     * in a size error, never an endless read. */
    char *buf = malloc(TIMING_PROFILE_MAX + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, len, "%s: out of memory", path);
        return A83_ERR_NOMEM;
    }
    size_t size = fread(buf, 1, TIMING_PROFILE_MAX + 1, f);
    int rd_err = ferror(f) ? errno : 0;
    fclose(f);
    if (rd_err) {
        free(buf);
        snprintf(err, len, "%s: read error: %s", path, strerror(rd_err));
        return A83_ERR_IO;
    }
    a83_err e = timing_parse_buffer(t, path, buf, size, err, len);
    free(buf);
    return e;
}

int timing_write(const TimingModel *t, FILE *f)
{
    const char *section = "";
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *base = (const char *)t + keys[i].off;
        unsigned long long v = keys[i].is16 == 1   ? *(const uint16_t *)base
                               : keys[i].is16 == 2 ? (unsigned long long)*(const bool *)base
                                                   : *(const uint32_t *)base;
        if (strcmp(section, keys[i].section)) {
            fprintf(f, "%s[%s]\n", i ? "\n" : "", keys[i].section);
            section = keys[i].section;
        }
        fprintf(f, "%s = %llu\n", keys[i].key, v);
    }
    return ferror(f) ? -1 : 0;
}

a83_err a83_timing_save(a83_machine *m, const char *path)
{
    if (!m || !path)
        return A83_ERR_ARG;
    FILE *f = fopen(path, "w");
    int failed = !f || timing_write(&m->timing, f);
    if (f && fclose(f))
        failed = 1;
    if (failed) {
        snprintf(m->errbuf, sizeof m->errbuf, "%s: %s", path, strerror(errno));
        return A83_ERR_IO;
    }
    return A83_OK;
}

a83_err a83_timing_load(a83_machine *m, const char *path)
{
    if (!m || !path)
        return A83_ERR_ARG;
    a83_err e = timing_parse_file(&m->timing, path, m->errbuf, sizeof m->errbuf);
    if (e == A83_OK) {
        exec_invalidate_all(m);   /* cached static costs follow the profile */
        e = cache_model_apply(m, &m->timing.cache);
        if (e == A83_OK)
            e = mmu_tlb_model_apply(m);   /* the TLB geometry follows it too */
    }
    return e;
}
