/*
 * Differential-test generator "ldst": random A64 loads and stores (Arm ARM
 * C4.1.x "Loads and Stores") following the rules of diff.h: every access is
 * inside the 4 KiB window and aligned to its size, x28 and SP are never
 * written, and no CONSTRAINED UNPREDICTABLE form is emitted (no writeback
 * with Rn == Rt, no load pair with Rt == Rt2, no STXR with Ws == Rt/Rn).
 *
 * Covered: LDR/STR/LDRB/.../LDRSW (unsigned offset, unscaled, pre/post-index,
 * register offset with every extend, literal), LDTR/STTR, PRFM/PRFUM, pairs
 * (LDP/STP/LDPSW/LDNP/STNP), SIMD&FP single and pair forms (when env->fp),
 * LDXR/STXR/LDAXR/STLXR/LDXP/STXP (always as a complete, successful pair
 * within the sequence), LDAR/STLR, LDAPR, LD<op>/ST<op>/SWP, CAS and CASP
 * (preceded by a load of the compare value half of the time, so both
 * outcomes occur).
 *
 * Writeback and register-offset forms use a scratch base or index register
 * set up with ADD/SUB (immediate) from x28 and MOVZ/MOVN/MOVK.
 */
#include "diff.h"

#define WIN_LO (-(int)DIFF_BASE_OFFSET)                     /* lowest offset from x28 */
#define WIN_HI ((int)(DIFF_WIN_SIZE - DIFF_BASE_OFFSET))   /* one past the highest */

typedef struct Gen {
    DiffRng *r;
    uint32_t *out;
    size_t n, max;
    bool fp;
} Gen;

static void emit(Gen *g, uint32_t w)
{
    if (g->n < g->max)
        g->out[g->n++] = w;
}

static unsigned rnd(Gen *g, unsigned n) { return rng_below(g->r, n); }

/* A random register that may be written: any of x0..x30 except x28 and
 * those in the avoid mask. */
static unsigned pick_dst(Gen *g, uint32_t avoid)
{
    avoid |= 1u << DIFF_BASE_REG;
    for (;;) {
        unsigned r = rnd(g, 31);
        if (!(avoid & (1u << r)))
            return r;
    }
}

/* A random aligned offset o (multiple of align) with the access of size
 * bytes at x28 + o inside the window, and lo <= o <= hi. */
static int pick_off(Gen *g, unsigned size, unsigned align, int lo, int hi)
{
    if (lo < WIN_LO) lo = WIN_LO;
    if (hi > WIN_HI - (int)size) hi = WIN_HI - (int)size;
    int a = (int)align;
    int klo = lo >= 0 ? (lo + a - 1) / a : -((-lo) / a);
    int khi = hi >= 0 ? hi / a : -((-hi + a - 1) / a);
    if (khi < klo)
        return 0;                                    /* callers keep ranges non-empty */
    return (klo + (int)rnd(g, (unsigned)(khi - klo + 1))) * a;
}

/* ---- Encoders (Arm ARM C4.1.x diagrams) ------------------------------------ */

static uint32_t e_addsub_imm(unsigned sub, unsigned imm12, unsigned rn, unsigned rd)
{
    return 0x91000000u | sub << 30 | imm12 << 10 | rn << 5 | rd;   /* 64-bit ADD/SUB (imm) */
}
static uint32_t e_movw(unsigned sf, unsigned opc, unsigned hw, unsigned imm16, unsigned rd)
{
    return sf << 31 | opc << 29 | 0x12800000u | hw << 21 | imm16 << 5 | rd;  /* opc 0 MOVN, 2 MOVZ, 3 MOVK */
}
static uint32_t e_uimm(unsigned size, unsigned v, unsigned opc, unsigned imm12, unsigned rn, unsigned rt)
{
    return size << 30 | 0x39000000u | v << 26 | opc << 22 | imm12 << 10 | rn << 5 | rt;
}
static uint32_t e_imm9(unsigned size, unsigned v, unsigned opc, int imm9, unsigned idx, unsigned rn,
                       unsigned rt)
{
    return size << 30 | 0x38000000u | v << 26 | opc << 22 | ((unsigned)imm9 & 0x1ff) << 12 |
           idx << 10 | rn << 5 | rt;
}
static uint32_t e_reg(unsigned size, unsigned v, unsigned opc, unsigned rm, unsigned opt, unsigned s,
                      unsigned rn, unsigned rt)
{
    return size << 30 | 0x38200800u | v << 26 | opc << 22 | rm << 16 | opt << 13 | s << 12 |
           rn << 5 | rt;
}
static uint32_t e_lit(unsigned opc, unsigned v, int imm19, unsigned rt)
{
    return opc << 30 | 0x18000000u | v << 26 | ((unsigned)imm19 & 0x7ffff) << 5 | rt;
}
static uint32_t e_pair(unsigned opc, unsigned v, unsigned idx, unsigned l, int imm7, unsigned rt2,
                       unsigned rn, unsigned rt)
{
    return opc << 30 | 0x28000000u | v << 26 | idx << 23 | l << 22 | ((unsigned)imm7 & 0x7f) << 15 |
           rt2 << 10 | rn << 5 | rt;
}
static uint32_t e_excl(unsigned size, unsigned o2, unsigned l, unsigned o1, unsigned rs, unsigned o0,
                       unsigned rt2, unsigned rn, unsigned rt)
{
    return size << 30 | 0x08000000u | o2 << 23 | l << 22 | o1 << 21 | rs << 16 | o0 << 15 |
           rt2 << 10 | rn << 5 | rt;
}
static uint32_t e_atomic(unsigned size, unsigned a, unsigned r, unsigned rs, unsigned o3, unsigned opc,
                         unsigned rn, unsigned rt)
{
    return size << 30 | 0x38200000u | a << 23 | r << 22 | rs << 16 | o3 << 15 | opc << 12 |
           rn << 5 | rt;
}

/* Sets rd = x28 + off (ADD/SUB immediate, |off| < 4096). */
static void set_base(Gen *g, unsigned rd, int off)
{
    emit(g, off >= 0 ? e_addsub_imm(0, (unsigned)off, DIFF_BASE_REG, rd)
                     : e_addsub_imm(1, (unsigned)-off, DIFF_BASE_REG, rd));
}

/* A base for an access without writeback: x28 or SP (offset 0), or a
 * scratch register set to x28 + a random aligned offset. Returns the base
 * register and its offset from x28 in *boff. */
static unsigned pick_base(Gen *g, unsigned align, int *boff, uint32_t avoid)
{
    switch (rnd(g, 3)) {
    case 0: *boff = 0; return DIFF_BASE_REG;
    case 1: *boff = 0; return 31;                  /* SP */
    default: {
        unsigned b = pick_dst(g, avoid);
        *boff = pick_off(g, 16, align > 16 ? align : 16, WIN_LO, WIN_HI);
        set_base(g, b, *boff);
        return b;
    }
    }
}

/* ---- Single register ---------------------------------------------------------- */

/* A random GPR (size, opc) pair that loads or stores (no PRFM, no unallocated). */
static void pick_gpr_kind(Gen *g, unsigned *size, unsigned *opc)
{
    for (;;) {
        *size = rnd(g, 4);
        *opc = rnd(g, 4);
        if (*size == 3 && *opc >= 2) continue;       /* PRFM / unallocated */
        if (*size == 2 && *opc == 3) continue;       /* unallocated */
        return;
    }
}

/* SIMD&FP (size, opc<1>) -> bytes; returns 0 when unallocated. */
static unsigned vbytes(unsigned size, unsigned opc)
{
    if (opc & 2) return size == 0 ? 16 : 0;
    return 1u << size;
}

static void gen_single(Gen *g)
{
    bool v = g->fp && rnd(g, 3) == 0;
    unsigned size, opc, bytes;
    if (v) {
        do { size = rnd(g, 4); opc = rnd(g, 4); } while (!(bytes = vbytes(size, opc)));
    } else {
        pick_gpr_kind(g, &size, &opc);
        bytes = 1u << size;
    }
    bool load = v ? (opc & 1) : opc != 0;
    unsigned scale = 0;
    while ((1u << scale) < bytes) scale++;
    switch (rnd(g, 6)) {
    case 0: {   /* unsigned offset */
        int boff;
        unsigned b = pick_base(g, 16, &boff, 0);
        int o = pick_off(g, bytes, bytes, boff, boff + 4095 * (int)bytes);
        unsigned rt = v ? rnd(g, 32) : load ? pick_dst(g, 0) : rnd(g, 32);
        emit(g, e_uimm(size, v, opc, (unsigned)(o - boff) >> scale, b, rt));
        break;
    }
    case 1: {   /* unscaled */
        int boff;
        unsigned b = pick_base(g, 16, &boff, 0);
        int o = pick_off(g, bytes, bytes, boff - 256, boff + 255);
        unsigned rt = v ? rnd(g, 32) : load ? pick_dst(g, 0) : rnd(g, 32);
        emit(g, e_imm9(size, v, opc, o - boff, 0, b, rt));
        break;
    }
    case 2: {   /* pre/post-index on a scratch base */
        unsigned b = pick_dst(g, 0);
        int boff = pick_off(g, 16, 16, WIN_LO + 256, WIN_HI - 256 - 16);
        set_base(g, b, boff);
        bool post = rnd(g, 2);
        int imm = (int)(rnd(g, 512 / bytes)) * (int)bytes - 256;
        if (imm < -256 || imm > 255) imm = 0;
        unsigned rt = v ? rnd(g, 32) : pick_dst(g, 1u << b);
        if (!v && !load && rt == b) rt = 31;
        emit(g, e_imm9(size, v, opc, imm, post ? 1 : 3, b, rt));
        break;
    }
    case 3: {   /* register offset */
        int boff;
        unsigned b = pick_base(g, 16, &boff, 0);
        unsigned s = rnd(g, 2);
        unsigned sh = s ? scale : 0;
        int o = pick_off(g, bytes, bytes, boff - 2048, boff + 2047);
        long long idx = (o - boff) >> sh;
        /* idx * 2^sh, not idx << sh: idx may be negative (UB in C, issue #19) */
        if (((long long)(o - boff)) != idx * (1LL << sh)) { idx = 0; o = boff; }
        unsigned m = pick_dst(g, b == 31 ? 0 : 1u << b);
        static const unsigned opts[4] = { 2, 3, 6, 7 };
        unsigned opt = opts[rnd(g, 4)];
        if (opt == 2 && idx < 0) opt = 6;            /* UXTW cannot make a negative offset */
        if (opt == 2 || opt == 6) {
            /* a 32-bit index in Wm; garbage in the upper half is ignored */
            if (idx >= 0) emit(g, e_movw(0, 2, 0, (unsigned)idx, m));
            else emit(g, e_movw(0, 0, 0, (unsigned)(~idx) & 0xffff, m));
            if (rnd(g, 2))
                emit(g, e_movw(1, 3, 2 + rnd(g, 2), (unsigned)rng_next(g->r) & 0xffff, m));
        } else {
            if (idx >= 0) emit(g, e_movw(1, 2, 0, (unsigned)idx, m));
            else emit(g, e_movw(1, 0, 0, (unsigned)(~idx) & 0xffff, m));
        }
        unsigned rt = v ? rnd(g, 32) : load ? pick_dst(g, 0) : rnd(g, 32);
        emit(g, e_reg(size, v, opc, m, opt, s, b, rt));
        break;
    }
    case 4: {   /* unprivileged (GPR only) or prefetch */
        if (v || rnd(g, 3) == 0) {
            int boff;
            unsigned b = pick_base(g, 16, &boff, 0);
            unsigned prfop = rnd(g, 32);
            switch (rnd(g, 3)) {
            case 0: emit(g, e_uimm(3, 0, 2, rnd(g, 4096), b, prfop)); break;
            case 1: emit(g, e_imm9(3, 0, 2, (int)rnd(g, 512) - 256, 0, b, prfop)); break;
            default: emit(g, e_reg(3, 0, 2, rnd(g, 31), 3, rnd(g, 2), b, prfop)); break;
            }
            break;
        }
        int boff;
        unsigned b = pick_base(g, 16, &boff, 0);
        int o = pick_off(g, bytes, bytes, boff - 256, boff + 255);
        unsigned rt = load ? pick_dst(g, 0) : rnd(g, 32);
        emit(g, e_imm9(size, 0, opc, o - boff, 2, b, rt));
        break;
    }
    default: {  /* literal: a reference to words already in this sequence */
        unsigned kind = rnd(g, v ? 3 : 4);           /* GPR: W, X, SW, PRFM; V: S, D, Q */
        unsigned lw = v ? 1u << kind : (kind == 1 ? 2 : 1);   /* words read */
        size_t here = g->n;
        if (here < 4) {                              /* nothing to read yet: PRFM */
            emit(g, e_lit(3, 0, (int)rnd(g, 64) - 32, rnd(g, 32)));
            break;
        }
        /* target word t with t + lw <= here and DIFF_CODE_BASE + 4t aligned */
        long t = (long)rnd(g, (unsigned)(here - lw + 1));
        t -= t % (long)lw;
        unsigned rt = v ? rnd(g, 32) : pick_dst(g, 0);
        emit(g, e_lit(kind, v, (int)(t - (long)here), rt));
        break;
    }
    }
}

/* ---- Pairs ------------------------------------------------------------------------ */

static void gen_pair(Gen *g)
{
    bool v = g->fp && rnd(g, 3) == 0;
    unsigned opc, bytes;
    if (v) {
        opc = rnd(g, 3);
        bytes = 4u << opc;
    } else {
        opc = rnd(g, 3);                              /* 00 W, 01 LDPSW, 10 X */
        bytes = opc == 2 ? 8 : 4;
    }
    unsigned idx = rnd(g, 4);
    unsigned l = v ? rnd(g, 2) : (opc == 1 ? 1 : rnd(g, 2));
    if (!v && opc == 1 && idx == 0) idx = 2;          /* no LDNPSW */
    unsigned b;
    int boff;
    bool wb = idx == 1 || idx == 3;
    if (wb) {
        b = pick_dst(g, 0);
        boff = pick_off(g, 16, 16, WIN_LO + 64 * (int)bytes, WIN_HI - 64 * (int)bytes - 2 * (int)bytes);
        set_base(g, b, boff);
    } else {
        b = pick_base(g, 16, &boff, 0);
    }
    int k;
    for (;;) {
        k = (int)rnd(g, 128) - 64;
        int a = boff + (idx == 1 ? 0 : k * (int)bytes);
        if (a >= WIN_LO && a + 2 * (int)bytes <= WIN_HI)
            break;
    }
    unsigned rt, rt2;
    if (l) {
        uint32_t avoid = wb ? 1u << b : 0;
        if (v) { rt = rnd(g, 32); do rt2 = rnd(g, 32); while (rt2 == rt); }
        else { rt = pick_dst(g, avoid); rt2 = pick_dst(g, avoid | 1u << rt); }
    } else {
        rt = rnd(g, 32);
        rt2 = rnd(g, 32);
        if (!v && wb) {
            if (rt == b) rt = 31;
            if (rt2 == b) rt2 = 31;
        }
    }
    emit(g, e_pair(opc, v, idx, l, k, rt2, b, rt));
}

/* ---- Exclusives, ordered, atomics -------------------------------------------------- */

static void gen_excl(Gen *g)
{
    int boff;
    unsigned b = pick_base(g, 16, &boff, 0);
    uint32_t avoid = b == 31 ? 0 : 1u << b;
    unsigned acq = rnd(g, 2), rel = rnd(g, 2);
    if (rnd(g, 3)) {
        unsigned size = rnd(g, 4);
        unsigned rt = pick_dst(g, avoid);
        emit(g, e_excl(size, 0, 1, 0, 31, acq, 31, b, rt));              /* LDXR */
        unsigned st = rnd(g, 32);
        unsigned ws = pick_dst(g, avoid | 1u << st);
        if (rnd(g, 4) == 0) ws = 31;
        if (ws == st) st = rt;
        emit(g, e_excl(size, 0, 0, 0, ws, rel, 31, b, st));              /* STXR */
    } else {
        unsigned sz = rnd(g, 2);
        unsigned rt = pick_dst(g, avoid), rt2 = pick_dst(g, avoid | 1u << rt);
        emit(g, e_excl(2 | sz, 0, 1, 1, 31, acq, rt2, b, rt));           /* LDXP */
        unsigned s1 = rnd(g, 32), s2 = rnd(g, 32);
        unsigned ws = pick_dst(g, avoid | 1u << s1 | 1u << s2);
        emit(g, e_excl(2 | sz, 0, 0, 1, ws, rel, s2, b, s1));            /* STXP */
    }
}

static void gen_ordered(Gen *g)
{
    int boff;
    unsigned size = rnd(g, 4);
    unsigned b = pick_base(g, 16, &boff, 0);
    switch (rnd(g, 3)) {
    case 0: emit(g, e_excl(size, 1, 1, 0, 31, 1, 31, b, pick_dst(g, 0))); break;   /* LDAR */
    case 1: emit(g, e_excl(size, 1, 0, 0, 31, 1, 31, b, rnd(g, 32))); break;       /* STLR */
    default: emit(g, e_atomic(size, 1, 0, 31, 1, 4, b, pick_dst(g, 0))); break;     /* LDAPR */
    }
}

static void gen_atomic(Gen *g)
{
    int boff;
    unsigned b = pick_base(g, 16, &boff, 0);
    uint32_t avoid = b == 31 ? 0 : 1u << b;
    unsigned size = rnd(g, 4), a = rnd(g, 2), r = rnd(g, 2);
    switch (rnd(g, 4)) {
    case 0:
    case 1: {   /* LD<op> / ST<op> */
        unsigned rt = rnd(g, 4) == 0 ? 31 : pick_dst(g, avoid);
        unsigned op = rnd(g, 8), rs = rnd(g, 32);
        /* Unicorn (its QEMU base) gets LDSMAX/LDSMIN/LDUMAX/LDUMIN of bytes,
         * halfwords and words wrong: it does not truncate Rs to the access
         * width and does not sign-extend the loaded value (e.g. LDSMAXH
         * with [mem] = 0xffff, Rs = 0x1017 leaves 0xffff; Arm ARM C6.2
         * LDSMAX/LDUMAX compare the datasize-bit values). For those widths
         * only the unsigned forms are generated, with Rs set by MOVZ to a
         * value that fits the width; the unit tests cover the rest. */
        if (op >= 4 && size < 3) {
            op |= 2;                                 /* LDUMAX/LDUMIN */
            rs = pick_dst(g, avoid);
            emit(g, e_movw(0, 2, 0, (unsigned)rng_next(g->r) & (size ? 0xffff : 0xff), rs));
            if (size == 2 && rnd(g, 2))
                emit(g, e_movw(0, 3, 1, (unsigned)rng_next(g->r) & 0xffff, rs));
        }
        emit(g, e_atomic(size, rt == 31 ? 0 : a, r, rs, 0, op, b, rt));
        break;
    }
    case 2: {   /* SWP or CAS */
        if (rnd(g, 2)) {
            emit(g, e_atomic(size, a, r, rnd(g, 32), 1, 0, b, pick_dst(g, avoid)));
        } else {
            unsigned rs = pick_dst(g, avoid);
            if (rnd(g, 2))   /* load the current value: the compare succeeds */
                emit(g, e_uimm(size, 0, 1, 0, b, rs));
            emit(g, e_excl(size, 1, a, 1, rs, r, 31, b, rnd(g, 32)));
        }
        break;
    }
    default: {  /* CASP: even Rs (not x28), even Rt */
        unsigned sz = rnd(g, 2);
        unsigned rs;
        do rs = 2 * rnd(g, 16); while (rs == 28 || (avoid & (3u << rs)));
        unsigned rt = 2 * rnd(g, 16);
        if (rnd(g, 2))   /* LDP Rs, Rs+1 from the location: the compare succeeds */
            emit(g, e_pair(sz ? 2 : 0, 0, 2, 1, 0, rs + 1, b, rs));
        emit(g, e_excl(sz, 0, a, 1, rs, r, 31, b, rt));
        break;
    }
    }
}

size_t gen_ldst(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    Gen g = { .r = r, .out = out, .n = 0, .max = max, .fp = env->fp };
    if (!env->mem)
        return 0;
    /* Each block emits at most 6 words; stop when one might not fit. */
    while (g.n + 6 <= max) {
        switch (rnd(&g, 10)) {
        case 0: case 1: case 2: case 3: gen_single(&g); break;
        case 4: case 5: gen_pair(&g); break;
        case 6: gen_excl(&g); break;
        case 7: gen_ordered(&g); break;
        default: gen_atomic(&g); break;
        }
    }
    return g.n;
}
