/*
 * Differential generator "simd": random AdvSIMD integer, permute, structure
 * load/store and crypto instructions (see diff.h for the rules).
 *
 * Encodings are drawn from the simd decode table (src/cpu/simd.c): the
 * variable bits of a pattern are filled at random, and the word is kept
 * only if Capstone, an independent decoder, disassembles it (so reserved
 * size/Q combinations are not emitted) and it passes the extra
 * constraints below. Structure loads/stores use x28 or SP as base in their
 * no-offset forms; the post-index forms first copy x28 (plus an aligned
 * offset) into a scratch register with ADD and use that as base, so x28
 * and SP are never written. General-register destinations (UMOV/SMOV) are
 * never x28.
 */
#include <capstone/capstone.h>
#include <string.h>

#include "cpu/decode.h"
#include "diff.h"

#define MAXT 512   /* rows of a64_simd_patterns (one per operation) */

typedef struct Tmpl {
    uint32_t mask, value;
    const DecodePattern *p;
} Tmpl;

static Tmpl tmpl[MAXT];
static unsigned ntmpl;
static csh cs;
static bool ready;

static void setup(void)
{
    for (const DecodePattern *p = a64_simd_patterns; p->name && ntmpl < MAXT; p++) {
        if (!decode_parse_pattern(p->pattern, &tmpl[ntmpl].mask, &tmpl[ntmpl].value))
            continue;
        tmpl[ntmpl].p = p;
        ntmpl++;
    }
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
        ntmpl = 0;
    ready = true;
}

/** Capstone accepts the word as a valid instruction. */
static bool cs_valid(uint32_t w)
{
    cs_insn *insn;
    size_t n = cs_disasm(cs, (const uint8_t *)&w, 4, 0x1000, 1, &insn);
    if (n)
        cs_free(insn, n);
    return n == 1;
}

static bool is_ldst(const Tmpl *t)
{
    return (t->value & 0x3e000000u) == 0x0c000000u;   /* bits 29:25 = 00110 */
}

/** Extra validity rules Capstone does not enforce (Arm ARM reserved values). */
static bool extra_ok(uint32_t w)
{
    const char *name = NULL;
    for (unsigned i = 0; i < ntmpl; i++)
        if ((w & tmpl[i].mask) == tmpl[i].value) {
            name = tmpl[i].p->name;
            break;
        }
    if (!name)
        return false;
    /* UMOV/SMOV write a general register: never x28. */
    if (!strcmp(name, "SIMD_copy")) {
        unsigned imm4 = (w >> 11) & 0xf;
        if ((imm4 == 5 || imm4 == 7) && (w & 0x1f) == DIFF_BASE_REG)
            return false;
    }
    return true;
}

/** SQRDMLAH/SQRDMLSH (FEAT_RDM), which Capstone 4 does not decode: valid
 *  when size is 01 or 10 (Arm ARM C7.2). */
static bool rdm_valid(const Tmpl *t, uint32_t w)
{
    unsigned size = (w >> 22) & 3;
    bool rdm = !strncmp(t->p->name, "SQRDMLAH", 8) ||
               (!strncmp(t->p->name, "SIMD_elem", 9) && ((w >> 29) & 1) && ((w >> 12) & 0xd) == 0xd);
    return rdm && (size == 1 || size == 2);
}

static uint32_t gen_one(DiffRng *r, const Tmpl *t)
{
    for (int tries = 0; tries < 64; tries++) {
        uint32_t w = t->value | ((uint32_t)rng_next(r) & ~t->mask);
        if ((rdm_valid(t, w) || cs_valid(w)) && extra_ok(w))
            return w;
    }
    return 0;
}

size_t gen_simd(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    if (!ready)
        setup();
    if (!ntmpl || max < 2)
        return 0;
    size_t n = 0;
    /* Half of the sequences first move "interesting" general-register
     * values (0, -1, INT_MIN, small bytes...) into vector lanes:
     * ins vN.d[k], xM, so saturation and shift edge cases get exercised. */
    if (rng_below(r, 2))
        for (unsigned k = rng_below(r, 4); k && n + 3 <= max; k--) {
            unsigned lane = rng_below(r, 2), vn = rng_below(r, 32), xm = rng_below(r, 31);
            out[n++] = 0x4e001c00u | (lane ? 0x18u : 0x08u) << 16 | xm << 5 | vn;
        }
    size_t want = 1 + rng_below(r, (uint32_t)(max < 8 ? max : 8));
    while (n + 2 <= max && want--) {
        const Tmpl *t = &tmpl[rng_below(r, ntmpl)];
        if (is_ldst(t)) {
            if (!env->mem)
                continue;
            uint32_t w = gen_one(r, t);
            if (!w)
                continue;
            bool post = (w >> 23) & 1;
            w &= ~(0x1fu << 5);
            if (post) {
                /* add xS, x28, #off (off 16-aligned, the access stays inside) */
                unsigned s = rng_below(r, 28);
                uint32_t off = 16 * rng_below(r, 0x70);
                out[n++] = 0x91000000u | off << 10 | DIFF_BASE_REG << 5 | s;
                w |= s << 5;
            } else {
                w |= (rng_below(r, 2) ? 31u : (unsigned)DIFF_BASE_REG) << 5;
            }
            out[n++] = w;
        } else {
            uint32_t w = gen_one(r, t);
            if (w)
                out[n++] = w;
        }
    }
    return n;
}
