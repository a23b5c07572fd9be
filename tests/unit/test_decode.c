/*
 * The declarative decode tables (DESIGN.md section 3): every pattern is
 * well-formed, no two patterns overlap unless their priorities differ,
 * every row is reachable (some encoding matching it matches no row the
 * decoder tries first: computed exactly from masks and values, then
 * confirmed by decoder_lookup()), and the operand fields named by the
 * rows' letters, both the run-time ones (decoder_field()) and the generated
 * accessors handlers use (FIELD(), cpu/decode_fields.h), sit at the Arm ARM
 * field positions (DDI 0487, C4.1 encoding index, C6/C7 per instruction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/decode.h"
#include "cpu/decode_fields.h"

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

/* ---- Reachability --------------------------------------------------------- */

typedef struct Cube { uint32_t m, v; } Cube;

/* Finds a word in the cube (m, v) (free bits 0 where possible) that lies in
 * none of the cubes hs[0..n). Exact: splits the cube on a bit the first
 * overlapping cube fixes and the candidate leaves free; the half that
 * disagrees there is disjoint from that cube, the other one is narrowed. */
static bool witness(uint32_t m, uint32_t v, const Cube *hs, unsigned n, uint32_t *out)
{
    v &= m;
    for (;;) {
        if (n == 0) {
            *out = v;
            return true;
        }
        uint32_t common = m & hs->m;
        if ((v & common) != (hs->v & common)) {
            hs++;
            n--;
            continue;       /* disjoint from this one */
        }
        uint32_t split = hs->m & ~m;
        if (!split)
            return false;   /* wholly inside it */
        uint32_t b = split & -split;
        if (witness(m | b, (v & ~b) | (~hs->v & b), hs + 1, n - 1, out))
            return true;
        m |= b;
        v = (v & ~b) | (hs->v & b);
    }
}

/* In decoder order: higher priority first, table order within one. */
static bool tried_before(unsigned j, unsigned i)
{
    if (pats[j].p->prio != pats[i].p->prio)
        return pats[j].p->prio > pats[i].p->prio;
    return j < i;
}

static void test_every_row_reachable(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    assert_non_null(d);
    npats = 0;
    decoder_visit(collect, NULL);
    static Cube before[MAXP];
    unsigned shadowed = 0;
    for (unsigned i = 0; i < npats; i++) {
        unsigned n = 0;
        for (unsigned j = 0; j < npats; j++) {
            uint32_t common = pats[i].mask & pats[j].mask;
            if (j != i && tried_before(j, i) &&
                (pats[i].value & common) == (pats[j].value & common))
                before[n++] = (Cube){ pats[j].mask, pats[j].value };
        }
        uint32_t w;
        if (!witness(pats[i].mask, pats[i].value, before, n, &w)) {
            printf("unreachable: %s (%s) \"%s\" is covered by higher-priority rows\n",
                   pats[i].p->name, pats[i].frag, pats[i].p->pattern);
            shadowed++;
            continue;
        }
        /* The witness decodes to the row itself through the real lookup. */
        assert_int_equal(w & pats[i].mask, pats[i].value);
        if (decoder_lookup(d, w) != pats[i].p) {
            printf("witness %08x of %s (%s) decodes elsewhere\n", w, pats[i].p->name, pats[i].frag);
            shadowed++;
        }
    }
    assert_int_equal(shadowed, 0);
}

/* The search itself: a row covered by two others together (neither alone)
 * is found unreachable; uncovering one word makes exactly it the witness. */
static void test_witness_search(void **state)
{
    (void)state;
    uint32_t w;
    Cube halves[2] = { { 0xff000001u, 0x12000000u }, { 0xff000001u, 0x12000001u } };
    assert_false(witness(0xff000000u, 0x12000000u, halves, 2, &w));
    Cube most[2] = { { 0xff000001u, 0x12000000u }, { 0xff000003u, 0x12000001u } };
    assert_true(witness(0xff000000u, 0x12000000u, most, 2, &w));
    assert_int_equal(w, 0x12000003u);
    assert_true(witness(0xff000000u, 0x12000000u, NULL, 0, &w));
    assert_int_equal(w, 0x12000000u);
}

/* ---- Operand fields ------------------------------------------------------- */

/* The generator saw every row the decoder has (none written in a form it
 * cannot read), and every row's run-time fields cover exactly its variable
 * bits, without overlapping. */
static void test_fields_cover_rows(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    npats = 0;
    decoder_visit(collect, NULL);
    assert_int_equal(npats, DECODE_FIELDS_ROWS);
    for (unsigned i = 0; i < npats; i++) {
        const DecodeField *f;
        unsigned nf = decoder_row_fields(d, pats[i].p, &f);
        uint32_t all = 0;
        for (unsigned k = 0; k < nf; k++) {
            assert_int_equal(all & f[k].mask, 0);
            assert_int_equal(__builtin_popcount(f[k].mask), f[k].width);
            all |= f[k].mask;
        }
        assert_int_equal(all, ~pats[i].mask);
    }
    DecodeField fl[DECODE_MAX_FIELDS];
    assert_int_equal(decode_parse_fields("0ll10000 hhhhhhhhhhhhhhhhhhh ddddd", fl), 3);
    assert_int_equal(fl[0].letter, 'l');
    assert_int_equal(fl[0].mask, 0x60000000u);
    assert_int_equal(fl[1].mask, 0x00ffffe0u);
    assert_int_equal(fl[2].mask, 0x1fu);
    assert_int_equal(decode_parse_fields("0ll10000 hhhhhhhhhhhhhhhhhhh dddd?", fl), -1);
    assert_int_equal(decode_field_value(0x00070000u | 0x3e0u, 0x4f07f683u), 0xf4u);
}

typedef struct FieldCase {
    const char *asm_text;       /* what the word is (GNU as, -march=armv8.3-a) */
    uint32_t insn;
    const char *row;            /* the row it must decode to */
    char letter;
    int hi, lo;                 /* Arm ARM position of the field, or hi < 0: */
    uint32_t value;             /* expected value (split fields, checked by value) */
} FieldCase;

/* A sample per group; positions from the Arm ARM encoding diagrams. */
static const FieldCase field_cases[] = {
    { "add x3, x4, #0x123, lsl #12", 0x91448c83u, "ADD_imm", 'n', 9, 5, 4 },
    { "add x3, x4, #0x123, lsl #12", 0x91448c83u, "ADD_imm", 'd', 4, 0, 3 },
    { "add x3, x4, #0x123, lsl #12", 0x91448c83u, "ADD_imm", 'i', 21, 10, 0x123 },
    { "add x3, x4, #0x123, lsl #12", 0x91448c83u, "ADD_imm", 'h', 22, 22, 1 },
    { "adr x5, . + 0x12345", 0x30091a25u, "ADR", 'l', 30, 29, 0x12345 & 3 },
    { "adr x5, . + 0x12345", 0x30091a25u, "ADR", 'h', 23, 5, 0x12345 >> 2 },
    { "madd x1, x2, x3, x4", 0x9b031041u, "MADD", 'a', 14, 10, 4 },
    { "madd x1, x2, x3, x4", 0x9b031041u, "MADD", 'm', 20, 16, 3 },
    { "csel w5, w6, w7, lt", 0x1a87b0c5u, "CSEL", 'c', 15, 12, 0xb },
    { "tbz x7, #35, . + 0x1230", 0xb6189187u, "TBZ", 'b', -1, 0, 35 },   /* b5:b40 */
    { "tbz x7, #35, . + 0x1230", 0xb6189187u, "TBZ", 'i', 18, 5, 0x1230 >> 2 },
    { "tbz x7, #35, . + 0x1230", 0xb6189187u, "TBZ", 't', 4, 0, 7 },
    { "b.ne . - 8", 0x54ffffc1u, "B_cond", 'i', 23, 5, 0x7fffe },
    { "b.ne . - 8", 0x54ffffc1u, "B_cond", 'c', 3, 0, 1 },
    { "ldr x1, [x2, #16]", 0xf9400841u, "LDST_uimm_31", 'i', 21, 10, 2 },
    { "ldp x1, x2, [sp, #-32]!", 0xa9fe0be1u, "LDP_x", 'i', 21, 15, 0x7c },
    { "ldp x1, x2, [sp, #-32]!", 0xa9fe0be1u, "LDP_x", 'u', 14, 10, 2 },
    { "ldp x1, x2, [sp, #-32]!", 0xa9fe0be1u, "LDP_x", 'n', 9, 5, 31 },
    { "mrs x0, sctlr_el1", 0xd5381000u, "MRS", 'p', 18, 16, 0 },
    { "mrs x0, sctlr_el1", 0xd5381000u, "MRS", 'n', 15, 12, 1 },
    { "ldadd w1, w2, [x3]", 0xb8210062u, "LDop", 'r', 20, 16, 1 },
    { "ldadd w1, w2, [x3]", 0xb8210062u, "LDop", 'o', 14, 12, 0 },
    { "svc #0x1234", 0xd4024681u, "SVC", 'i', 20, 5, 0x1234 },
    { "fadd d0, d1, d2", 0x1e622820u, "FADD", 'm', 20, 16, 2 },
    { "fadd d0, d1, d2", 0x1e622820u, "FADD", 't', 23, 22, 1 },
    { "fmla v0.4s, v1.4s, v2.s[3]", 0x4fa21820u, "FMLA_elem_v", 'H', 11, 11, 1 },
    { "fmla v0.4s, v1.4s, v2.s[3]", 0x4fa21820u, "FMLA_elem_v", 'L', 21, 21, 1 },
    { "fmov v3.4s, #-1.25", 0x4f07f683u, "FMOV_v_imm_s", 'i', -1, 0, 0xf4 },  /* a:b:c:d:e:f:g:h */
    { "add v0.4s, v1.4s, v2.4s", 0x4ea28420u, "ADD_v", 's', 23, 22, 2 },
    { "add v0.4s, v1.4s, v2.4s", 0x4ea28420u, "ADD_v", 'Q', 30, 30, 1 },
    { "pacia x1, x2", 0xdac10041u, "PAC_AUT", 'n', 9, 5, 2 },
    /* AdvSIMD and FP rows that name their operation (issue 16 part 4) */
    { "shadd v1.8h, v2.8h, v3.8h", 0x4e630441u, "SHADD_v", 'm', 20, 16, 3 },
    { "shadd v1.8h, v2.8h, v3.8h", 0x4e630441u, "SHADD_v", 's', 23, 22, 1 },
    { "sqrdmulh s4, s5, s6", 0x7ea6b4a4u, "SQRDMULH_s", 's', 23, 22, 2 },
    { "sqrdmulh s4, s5, s6", 0x7ea6b4a4u, "SQRDMULH_s", 'm', 20, 16, 6 },
    { "uqxtn v7.4h, v8.4s", 0x2e614907u, "UQXTN_v", 'Q', 30, 30, 0 },
    { "uqxtn v7.4h, v8.4s", 0x2e614907u, "UQXTN_v", 'n', 9, 5, 8 },
    { "sminv h9, v10.8h", 0x4e71a949u, "SMINV", 's', 23, 22, 1 },
    { "usra v11.2d, v12.2d, #5", 0x6f7b158bu, "USRA_v", 'h', 22, 19, 0xf },   /* immh */
    { "usra v11.2d, v12.2d, #5", 0x6f7b158bu, "USRA_v", 'b', 18, 16, 3 },     /* immb */
    { "sqshrun b13, h14, #3", 0x7f0d85cdu, "SQSHRUN_s", 'h', 22, 19, 1 },
    { "sqshrun b13, h14, #3", 0x7f0d85cdu, "SQSHRUN_s", 'b', 18, 16, 5 },
    { "sha256h q1, q2, v3.4s", 0x5e034041u, "SHA256H", 'm', 20, 16, 3 },
    { "aesimc v4.16b, v5.16b", 0x4e2878a4u, "AESIMC", 'n', 9, 5, 5 },
    { "frintm v6.2d, v7.2d", 0x4e6198e6u, "FRINTM_v", 's', 22, 22, 1 },
    { "fcvtzu s8, s9", 0x7ea1b928u, "FCVTZU_s", 's', 22, 22, 0 },
    { "fminnmv s10, v11.4s", 0x6eb0c96au, "FMINNMV", 'Q', 30, 30, 1 },
    { "fmaxp d12, v13.2d", 0x7e70f9acu, "FMAXP_s", 's', 22, 22, 1 },
    { "fmls d14, d15, v17.d[1]", 0x5fd159eeu, "FMLS_elem_s", 'H', 11, 11, 1 },
    { "fmls d14, d15, v17.d[1]", 0x5fd159eeu, "FMLS_elem_s", 'M', 20, 20, 1 },
    { "fmls d14, d15, v17.d[1]", 0x5fd159eeu, "FMLS_elem_s", 'm', 19, 16, 1 },
    { "ucvtf v18.4s, v19.4s, #7", 0x6f39e672u, "UCVTF_fix_v", 'b', 18, 16, 1 },
    { "ld3 {v20.s-v22.s}[3], [x1], x2", 0x4dc2b034u, "SIMD_ld_single_post", 'S', 12, 12, 1 },
    { "ld3 {v20.s-v22.s}[3], [x1], x2", 0x4dc2b034u, "SIMD_ld_single_post", 'm', 20, 16, 2 },
    { "sqrdmlsh s1, s2, v3.s[2]", 0x7f83f841u, "SQRDMLAH_SH_elem_s", 'o', 13, 13, 1 },
    { "sqdmlsl s4, h5, v6.h[7]", 0x5f7678a4u, "SQDMLAL_SL_elem_s", 'o', 14, 14, 1 },
    { "sqdmlsl s4, h5, v6.h[7]", 0x5f7678a4u, "SQDMLAL_SL_elem_s", 'M', 20, 20, 1 },
    { "sqdmlsl s4, h5, v6.h[7]", 0x5f7678a4u, "SQDMLAL_SL_elem_s", 'm', 19, 16, 6 },
};

/* Issue 16 part 4: every FP/AdvSIMD row names its operation, so no handler
 * re-switches on an opcode: two rows sharing a handler are one encoding
 * (the same name, e.g. the immh forms of SCVTF (vector, fixed-point)).
 * The catch-all rows of reserved opcodes (priority < 0) are UNDEFINED and
 * exempt. Fails for a group handler serving FCVTN_v, FCVTL_v, ... */
static void test_rows_name_their_operation(void **state)
{
    (void)state;
    const DecodePattern *tables[] = { a64_fp_patterns, a64_simd_patterns };
    unsigned bad = 0, rows = 0;
    for (unsigned t = 0; t < 2; t++)
        for (const DecodePattern *p = tables[t]; p->name; p++) {
            if (p->prio < 0)
                continue;
            rows++;
            for (unsigned u = 0; u < 2; u++)
                for (const DecodePattern *q = tables[u]; q->name; q++)
                    if (q->prio >= 0 && q->fn == p->fn && strcmp(q->name, p->name) &&
                        bad++ < 10)
                        print_error("rows %s and %s share a handler\n", p->name, q->name);
        }
    assert_true(rows > 300);
    assert_int_equal(bad, 0);
}

static void test_fields_at_arm_positions(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    for (size_t k = 0; k < sizeof field_cases / sizeof field_cases[0]; k++) {
        const FieldCase *fc = &field_cases[k];
        const DecodePattern *p = decoder_lookup(d, fc->insn);
        if (!p || strcmp(p->name, fc->row))
            fail_msg("%s (%08x) decodes to %s, not %s", fc->asm_text, fc->insn,
                     p ? p->name : "nothing", fc->row);
        uint32_t v = 0xdeadbeef;
        if (!decoder_field(d, p, fc->letter, fc->insn, &v))
            fail_msg("%s: row %s has no field '%c'", fc->asm_text, fc->row, fc->letter);
        if (fc->hi >= 0) {
            uint32_t at = (fc->insn >> fc->lo) & (uint32_t)((1ull << (fc->hi - fc->lo + 1)) - 1);
            assert_int_equal(v, at);
        }
        if (v != fc->value)
            fail_msg("%s: field '%c' of %s is %#x, want %#x", fc->asm_text, fc->letter, fc->row,
                     v, fc->value);
    }
    uint32_t v;
    assert_false(decoder_field(d, decoder_lookup(d, 0x91448c83u), 'q', 0x91448c83u, &v));
}

/* The generated accessors the handlers use agree with the Arm ARM too. */
static void test_generated_accessors(void **state)
{
    (void)state;
    assert_int_equal(FIELD(h_add_imm_x, n, 0x91448c83u), 4);
    assert_int_equal(FIELD(h_add_imm_x, d, 0x91448c83u), 3);
    assert_int_equal(FIELD(h_add_imm_x, i, 0x91448c83u), 0x123);
    assert_int_equal(FIELD(h_add_imm_x, h, 0x91448c83u), 1);
    assert_int_equal(FIELD(h_adr, l, 0x30091a25u), 0x12345 & 3);
    assert_int_equal(FIELD(h_adr, h, 0x30091a25u), 0x12345 >> 2);
    assert_int_equal(FIELD(h_tbz, b, 0xb6189187u), 35);
    assert_int_equal(FIELD(h_bcond, c, 0x54ffffc1u), 1);
    assert_int_equal(FIELD(h_madd, a, 0x9b031041u), 4);
    assert_int_equal(FIELD(h_simd_fmov_v_imm_s, i, 0x4f07f683u), 0xf4);
    assert_int_equal(FIELD(h_simd_fmla_elem_v, H, 0x4fa21820u), 1);
    assert_int_equal(FIELD(simd_usra_v, h, 0x6f7b158bu), 0xf);
    assert_int_equal(FIELD(simd_usra_v, b, 0x6f7b158bu), 3);
    assert_int_equal(FIELD(simd_shadd_v, m, 0x4e630441u), 3);
    assert_int_equal(FIELD(simd_sha256h, m, 0x5e034041u), 3);
    assert_int_equal(FIELD(h_simd_fmls_elem_s, M, 0x5fd159eeu), 1);
    assert_int_equal(FIELD(h_simd_fmls_elem_s, m, 0x5fd159eeu), 1);
    assert_int_equal(FIELD(simd_ld_single_post, S, 0x4dc2b034u), 1);
    assert_int_equal(FIELD(simd_ld_single_post, m, 0x4dc2b034u), 2);
    assert_int_equal(FIELD(simd_sqdmlal_elem_s, o, 0x5f7678a4u), 1);
    assert_int_equal(FIELD(simd_sqrdmlah_elem_s, o, 0x7f83f841u), 1);
    /* FIELD_CAT3: N:immr:imms of AND (immediate) is bits [22:10] (C6.2.12),
     * and equals the three run-time fields concatenated. */
    Decoder *d = decoder_create();
    const uint32_t and_imm = 0x92401c20u;      /* and x0, x1, #0xff */
    const DecodePattern *p = decoder_lookup(d, and_imm);
    assert_non_null(p);
    assert_string_equal(p->name, "AND_imm");
    uint32_t N, immr, imms;
    assert_true(decoder_field(d, p, 'N', and_imm, &N));
    assert_true(decoder_field(d, p, 'r', and_imm, &immr));
    assert_true(decoder_field(d, p, 's', and_imm, &imms));
    assert_int_equal(FIELD_CAT3(h_and_imm, N, r, s, and_imm), (and_imm >> 10) & 0x1fff);
    assert_int_equal(FIELD_CAT3(h_and_imm, N, r, s, and_imm), (N << 12) | (immr << 6) | imms);
    assert_int_equal(N, 1);
    assert_int_equal(imms, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_reachable),
        cmocka_unit_test(test_witness_search),
        cmocka_unit_test(test_fields_cover_rows),
        cmocka_unit_test(test_fields_at_arm_positions),
        cmocka_unit_test(test_rows_name_their_operation),
        cmocka_unit_test(test_generated_accessors),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_lookup_matches_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
