/*
 * The declarative decode tables (DESIGN.md section 3): every pattern is
 * well-formed, and no two patterns overlap unless their priorities differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpu/decode.h"

#define MAXP 4096
static struct { const DecodePattern *p; const char *frag; uint32_t mask, value; } pats[MAXP];
static unsigned npats;

static void collect(const DecodePattern *p, const char *frag, void *opaque)
{
    (void)opaque;
    assert_true(npats < MAXP);
    pats[npats].p = p;
    pats[npats].frag = frag;
    if (!decode_parse_pattern(p->pattern, &pats[npats].mask, &pats[npats].value))
        fail_msg("malformed pattern %s (%s): \"%s\"", p->name, frag, p->pattern);
    assert_non_null(p->fn);
    npats++;
}

static void test_parse(void **state)
{
    (void)state;
    uint32_t m, v;
    assert_true(decode_parse_pattern("z0010001 0hiiiiiiiiiiiinnnnnddddd", &m, &v));
    assert_int_equal(m, 0x7f800000u);
    assert_int_equal(v, 0x11000000u);
    assert_false(decode_parse_pattern("0101", &m, &v));
    assert_false(decode_parse_pattern("000000000000000000000000000000000", &m, &v));
}

static void test_no_overlap(void **state)
{
    (void)state;
    npats = 0;
    decoder_visit(collect, NULL);
    unsigned bad = 0;
    for (unsigned i = 0; i < npats; i++)
        for (unsigned j = i + 1; j < npats; j++) {
            uint32_t common = pats[i].mask & pats[j].mask;
            if ((pats[i].value & common) != (pats[j].value & common))
                continue;       /* a fixed bit differs: disjoint */
            if (pats[i].p->prio != pats[j].p->prio) {
                continue;       /* explicit priority */
            }
            printf("overlap: %s (%s) and %s (%s)\n", pats[i].p->name, pats[i].frag,
                   pats[j].p->name, pats[j].frag);
            bad++;
        }
    assert_int_equal(bad, 0);
}

static void test_lookup_matches_table(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    assert_non_null(d);
    npats = 0;
    decoder_visit(collect, NULL);
    /* Each pattern's own base value decodes to it or to a higher-priority one. */
    for (unsigned i = 0; i < npats; i++) {
        const DecodePattern *got = decoder_lookup(d, pats[i].value);
        assert_non_null(got);
        if (got != pats[i].p)
            assert_true(got->prio > pats[i].p->prio);
    }
    decoder_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_lookup_matches_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
