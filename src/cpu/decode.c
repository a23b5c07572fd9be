/*
 * Compiles the declarative pattern tables (decode.h) into a bucketed lookup.
 * Buckets are indexed by instruction bits [31:21]; each holds the patterns
 * compatible with that index, highest priority first. The result of a
 * lookup is cached per instruction word location by the decoded-page cache
 * (exec.c), so decoding is off the hot path.
 */
#include "cpu/decode.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#define BUCKET_BITS 11
#define BUCKET_SHIFT (32 - BUCKET_BITS)
#define NBUCKETS (1u << BUCKET_BITS)

typedef struct CompiledPattern {
    uint32_t mask, value;
    const DecodePattern *p;
    uint8_t nfields;
    DecodeField fields[DECODE_MAX_FIELDS];   /* from the row's letters */
} CompiledPattern;

struct Decoder {
    CompiledPattern *pats;       /* all patterns, sorted by priority (desc), stable */
    unsigned npats;
    uint32_t *bucket_start;      /* NBUCKETS + 1 offsets into list */
    uint32_t *list;              /* indexes into pats */
};

static const struct {
    const char *name;
    const DecodePattern *table;
} fragments[] = {
    { "dp_imm", a64_dp_imm_patterns },
    { "dp_reg", a64_dp_reg_patterns },
    { "branch", a64_branch_patterns },
    { "ldst", a64_ldst_patterns },
    { "sys", a64_sys_patterns },
    { "atomic", a64_atomic_patterns },
    { "fp", a64_fp_patterns },
    { "simd", a64_simd_patterns },
    { "pauth", a64_pauth_patterns },
};

bool decode_parse_pattern(const char *pat, uint32_t *mask, uint32_t *value)
{
    uint32_t m = 0, v = 0;
    unsigned n = 0;
    for (const char *s = pat; *s; s++) {
        if (*s == '_' || *s == ' ')
            continue;
        if (n == 32)
            return false;
        m <<= 1;
        v <<= 1;
        if (*s == '0' || *s == '1') {
            m |= 1;
            v |= (uint32_t)(*s - '0');
        } else if (!isalpha((unsigned char)*s)) {
            return false;
        }
        n++;
    }
    if (n != 32)
        return false;
    *mask = m;
    *value = v;
    return true;
}

int decode_parse_fields(const char *pat, DecodeField fields[DECODE_MAX_FIELDS])
{
    uint32_t m, v;
    if (!decode_parse_pattern(pat, &m, &v))
        return -1;
    DecodeField f[DECODE_MAX_FIELDS];
    int nf = 0;
    int bit = 31;
    for (const char *s = pat; *s; s++) {
        if (*s == '_' || *s == ' ')
            continue;
        if (*s != '0' && *s != '1') {
            int k = 0;
            while (k < nf && f[k].letter != *s)
                k++;
            if (k == nf) {
                if (nf == DECODE_MAX_FIELDS)
                    return -1;
                f[nf++] = (DecodeField){ .letter = *s, .width = 0, .mask = 0 };
            }
            f[k].mask |= 1u << bit;
            f[k].width++;
        }
        bit--;
    }
    if (fields)
        for (int k = 0; k < nf; k++)
            fields[k] = f[k];
    return nf;
}

uint32_t decode_field_value(uint32_t mask, uint32_t insn)
{
    uint32_t r = 0;
    for (int b = 31; b >= 0; b--)
        if (mask >> b & 1)
            r = (r << 1) | (insn >> b & 1);
    return r;
}

static const CompiledPattern *find_row(const Decoder *d, const DecodePattern *p)
{
    for (unsigned i = 0; d && i < d->npats; i++)
        if (d->pats[i].p == p)
            return &d->pats[i];
    return NULL;
}

unsigned decoder_row_fields(const Decoder *d, const DecodePattern *p, const DecodeField **fields)
{
    const CompiledPattern *cp = find_row(d, p);
    *fields = cp ? cp->fields : NULL;
    return cp ? cp->nfields : 0;
}

bool decoder_field(const Decoder *d, const DecodePattern *p, char letter, uint32_t insn,
                   uint32_t *val)
{
    const CompiledPattern *cp = find_row(d, p);
    for (unsigned k = 0; cp && k < cp->nfields; k++)
        if (cp->fields[k].letter == letter) {
            *val = decode_field_value(cp->fields[k].mask, insn);
            return true;
        }
    return false;
}

void decoder_visit(decode_visit_fn fn, void *opaque)
{
    for (size_t f = 0; f < sizeof fragments / sizeof fragments[0]; f++)
        for (const DecodePattern *p = fragments[f].table; p->name; p++)
            fn(p, fragments[f].name, opaque);
}

static Decoder *decoder_build(void)
{
    Decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    unsigned n = 0;
    for (size_t f = 0; f < sizeof fragments / sizeof fragments[0]; f++)
        for (const DecodePattern *p = fragments[f].table; p->name; p++)
            n++;
    d->pats = calloc(n ? n : 1, sizeof *d->pats);
    d->bucket_start = calloc(NBUCKETS + 1, sizeof *d->bucket_start);
    if (!d->pats || !d->bucket_start)
        goto fail;
    n = 0;
    for (size_t f = 0; f < sizeof fragments / sizeof fragments[0]; f++)
        for (const DecodePattern *p = fragments[f].table; p->name; p++) {
            int nf = decode_parse_fields(p->pattern, d->pats[n].fields);
            if (nf < 0 || !decode_parse_pattern(p->pattern, &d->pats[n].mask, &d->pats[n].value))
                goto fail;
            d->pats[n].nfields = (uint8_t)nf;
            d->pats[n].p = p;
            n++;
        }
    d->npats = n;
    /* Order by priority (descending), keeping table order within one priority. */
    {
        CompiledPattern *tmp = malloc((n ? n : 1) * sizeof *tmp);
        if (!tmp)
            goto fail;
        unsigned k = 0;
        int maxp = -128, minp = 127;
        for (unsigned i = 0; i < n; i++) {
            if (d->pats[i].p->prio > maxp) maxp = d->pats[i].p->prio;
            if (d->pats[i].p->prio < minp) minp = d->pats[i].p->prio;
        }
        for (int pr = maxp; pr >= minp && n; pr--)
            for (unsigned i = 0; i < n; i++)
                if (d->pats[i].p->prio == pr)
                    tmp[k++] = d->pats[i];
        free(d->pats);
        d->pats = tmp;
    }
    /* Two passes: count, then fill. */
    uint32_t total = 0;
    for (uint32_t b = 0; b < NBUCKETS; b++) {
        uint32_t bv = b << BUCKET_SHIFT, bm = ~0u << BUCKET_SHIFT;
        d->bucket_start[b] = total;
        for (unsigned i = 0; i < n; i++) {
            uint32_t common = d->pats[i].mask & bm;
            if ((bv & common) == (d->pats[i].value & common))
                total++;
        }
    }
    d->bucket_start[NBUCKETS] = total;
    d->list = malloc((total ? total : 1) * sizeof *d->list);
    if (!d->list)
        goto fail;
    total = 0;
    for (uint32_t b = 0; b < NBUCKETS; b++) {
        uint32_t bv = b << BUCKET_SHIFT, bm = ~0u << BUCKET_SHIFT;
        for (unsigned i = 0; i < n; i++) {
            uint32_t common = d->pats[i].mask & bm;
            if ((bv & common) == (d->pats[i].value & common))
                d->list[total++] = i;
        }
    }
    return d;
fail:
    decoder_destroy(d);
    return NULL;
}

/* The decoder is immutable once built and the same for every machine, so
 * one instance is shared by all machines of the process (built on first
 * use, never freed): making a machine no longer rebuilds it, which was most
 * of a83_machine_create()'s time (the fuzz targets make one per input). */
static Decoder *shared_decoder;
static pthread_once_t shared_decoder_once = PTHREAD_ONCE_INIT;

static void build_shared_decoder(void)
{
    shared_decoder = decoder_build();
}

Decoder *decoder_create(void)
{
    pthread_once(&shared_decoder_once, build_shared_decoder);
    return shared_decoder;
}

void decoder_destroy(Decoder *d)
{
    if (!d || d == shared_decoder)
        return;
    free(d->pats);
    free(d->bucket_start);
    free(d->list);
    free(d);
}

const DecodePattern *decoder_lookup(const Decoder *d, uint32_t insn)
{
    uint32_t b = insn >> BUCKET_SHIFT;
    for (uint32_t k = d->bucket_start[b]; k < d->bucket_start[b + 1]; k++) {
        const CompiledPattern *cp = &d->pats[d->list[k]];
        if ((insn & cp->mask) == cp->value)
            return cp->p;
    }
    return NULL;
}
