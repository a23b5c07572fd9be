/*
 * AdvSIMD "three same" (vector and scalar, integer opcodes 00000-10111) and
 * v8.1 "three same extra" SQRDMLAH/SQRDMLSH (Arm ARM C4.1.x "Advanced SIMD
 * three same", "Advanced SIMD scalar three same", "... three same extra").
 * Semantics follow the Arm ARM pseudocode of each instruction (C7.2).
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

/* opcode field (bits 15:11) values */
enum {
    OP_HADD = 0, OP_QADD = 1, OP_RHADD = 2, OP_LOGIC = 3, OP_HSUB = 4, OP_QSUB = 5,
    OP_CMGT = 6, OP_CMGE = 7, OP_SHL = 8, OP_QSHL = 9, OP_RSHL = 10, OP_QRSHL = 11,
    OP_MAX = 12, OP_MIN = 13, OP_ABD = 14, OP_ABA = 15, OP_ADD = 16, OP_CMTST = 17,
    OP_MLA = 18, OP_MUL = 19, OP_MAXP = 20, OP_MINP = 21, OP_QDMULH = 22, OP_ADDP = 23,
};

/* Opcodes whose 64-bit element form (size == 11) is allocated. */
#define SIZE3_OK ((1u << OP_QADD) | (1u << OP_QSUB) | (1u << OP_CMGT) | (1u << OP_CMGE) | \
                  (1u << OP_SHL) | (1u << OP_QSHL) | (1u << OP_RSHL) | (1u << OP_QRSHL) | \
                  (1u << OP_ADD) | (1u << OP_CMTST) | (1u << OP_ADDP))

/** PolynomialMult() of two ebits-bit values (Arm ARM shared pseudocode). */
uint64_t simd_pmul(uint64_t a, uint64_t b, unsigned ebits, uint64_t *hi)
{
    uint64_t lo = 0, h = 0;
    for (unsigned i = 0; i < ebits; i++) {
        if ((b >> i) & 1) {
            lo ^= a << i;
            if (i)
                h ^= a >> (64 - i);
        }
    }
    if (hi)
        *hi = h;
    return lo;
}

/** One element of a three-same integer operation (not logical, not pairwise
 *  gathering). a, b are the operands, acc the old destination element. */
static uint64_t op3(CPUState *c, unsigned op, bool u, unsigned eb, uint64_t a, uint64_t b,
                    uint64_t acc)
{
    __int128 x = u ? (__int128)a : (__int128)sext64(a, eb);
    __int128 y = u ? (__int128)b : (__int128)sext64(b, eb);
    int sh = (int8_t)b;   /* shift by register: SInt(element2<7:0>) */
    switch (op) {
    case OP_HADD: return (uint64_t)((x + y) >> 1);
    case OP_QADD: return satq(c, x + y, eb, u);
    case OP_RHADD: return (uint64_t)((x + y + 1) >> 1);
    case OP_HSUB: return (uint64_t)((x - y) >> 1);
    case OP_QSUB: return satq(c, x - y, eb, u);
    case OP_CMGT: return x > y ? ~0ull : 0;
    case OP_CMGE: return x >= y ? ~0ull : 0;
    case OP_SHL: return (uint64_t)wide_shift(x, -sh, false);
    case OP_QSHL: return satq(c, wide_shift(x, -sh, false), eb, u);
    case OP_RSHL: return (uint64_t)wide_shift(x, -sh, true);
    case OP_QRSHL: return satq(c, wide_shift(x, -sh, true), eb, u);
    case OP_MAX: case OP_MAXP: return (uint64_t)(x > y ? x : y);
    case OP_MIN: case OP_MINP: return (uint64_t)(x < y ? x : y);
    case OP_ABD: return (uint64_t)(x > y ? x - y : y - x);
    case OP_ABA: return acc + (uint64_t)(x > y ? x - y : y - x);
    case OP_ADD: return u ? a - b : a + b;
    case OP_CMTST: return u ? (a == b ? ~0ull : 0) : ((a & b) ? ~0ull : 0);
    case OP_MLA: return u ? acc - a * b : acc + a * b;
    case OP_MUL: return u ? simd_pmul(a, b, eb, NULL) : a * b;
    case OP_QDMULH: {
        /* SQDMULH / SQRDMULH: SignedSatQ((2*a*b + round) >> esize) */
        __int128 sx = sext64(a, eb), sy = sext64(b, eb);
        __int128 p = 2 * sx * sy + (u ? ((__int128)1 << (eb - 1)) : 0);
        return ssatq(c, p >> eb, eb);
    }
    case OP_ADDP: return a + b;
    }
    return 0;
}

/** Logical group (opcode 00011): AND/BIC/ORR/ORN (U=0) and EOR/BSL/BIT/BIF
 *  (U=1), selected by size (Arm ARM C7.2 AND (vector) ... BIF). */
static uint64_t logic64(unsigned u, unsigned size, uint64_t n, uint64_t m, uint64_t d)
{
    if (!u) {
        switch (size) {
        case 0: return n & m;
        case 1: return n & ~m;
        case 2: return n | m;
        default: return n | ~m;
        }
    }
    switch (size) {
    case 0: return n ^ m;
    case 1: return m ^ ((m ^ n) & d);    /* BSL */
    case 2: return d ^ ((d ^ n) & m);    /* BIT */
    default: return d ^ ((d ^ n) & ~m);  /* BIF */
    }
}

/* Fast paths (vector extensions) for the frequent element-wise operations.
 * Each computes all 128 bits; the caller clears bits 127:64 for Q == 0. */
#define F_ADD(U, S) r->U = n->U + m->U
#define F_SUB(U, S) r->U = n->U - m->U
#define F_CMEQ(U, S) r->U = (T_(r->U))(n->U == m->U)
#define F_CMTST(U, S) r->U = (T_(r->U))((n->U & m->U) != 0)
#define F_CMGT(U, S) r->U = (T_(r->U))(n->S > m->S)
#define F_CMHI(U, S) r->U = (T_(r->U))(n->U > m->U)
#define F_CMGE(U, S) r->U = (T_(r->U))(n->S >= m->S)
#define F_CMHS(U, S) r->U = (T_(r->U))(n->U >= m->U)
#define F_SEL(U, MASK) r->U = (n->U & (T_(r->U))(MASK)) | (m->U & ~(T_(r->U))(MASK))
#define F_SMAX(U, S) F_SEL(U, n->S > m->S)
#define F_UMAX(U, S) F_SEL(U, n->U > m->U)
#define F_SMIN(U, S) F_SEL(U, n->S < m->S)
#define F_UMIN(U, S) F_SEL(U, n->U < m->U)
#define F_MUL(U, S) r->U = n->U * m->U
#define F_MLA(U, S) r->U = d->U + n->U * m->U
#define F_MLS(U, S) r->U = d->U - n->U * m->U

/* Saturating add/subtract: wrap-around result plus a per-lane overflow
 * mask; saturated lanes get the bound (signed: by the sign of operand 1). */
#define F_UQADD(U, S) do { T_(r->U) s_ = n->U + m->U, o_ = (T_(r->U))(s_ < n->U); \
    r->U = s_ | o_; sat->U = o_; } while (0)
#define F_UQSUB(U, S) do { T_(r->U) s_ = n->U - m->U, o_ = (T_(r->U))(n->U < m->U); \
    r->U = s_ & ~o_; sat->U = o_; } while (0)
#define F_SQSAT(U, S, OVF) do { \
    T_(r->U) o_ = (T_(r->U))((T_(n->S))(OVF) < 0); \
    T_(r->U) b_ = (T_(r->U))(n->S >> (sizeof(n->S[0]) * 8 - 1)) ^ ((T_(r->U))(n->U | ~n->U) >> 1); \
    r->U = (s_ & ~o_) | (b_ & o_); sat->U = o_; } while (0)
#define F_SQADD(U, S) do { T_(r->U) s_ = n->U + m->U; \
    F_SQSAT(U, S, (n->U ^ s_) & (m->U ^ s_)); } while (0)
#define F_SQSUB(U, S) do { T_(r->U) s_ = n->U - m->U; \
    F_SQSAT(U, S, (n->U ^ m->U) & (n->U ^ s_)); } while (0)

static bool fast3(unsigned op, unsigned u, unsigned size, VU *r, const VU *n, const VU *m,
                  const VU *d, VU *sat)
{
    switch (op) {
    case OP_QADD: if (u) EACH_SIZE(F_UQADD); else EACH_SIZE(F_SQADD); return true;
    case OP_QSUB: if (u) EACH_SIZE(F_UQSUB); else EACH_SIZE(F_SQSUB); return true;
    case OP_ADD: if (u) EACH_SIZE(F_SUB); else EACH_SIZE(F_ADD); return true;
    case OP_CMTST: if (u) EACH_SIZE(F_CMEQ); else EACH_SIZE(F_CMTST); return true;
    case OP_CMGT: if (u) EACH_SIZE(F_CMHI); else EACH_SIZE(F_CMGT); return true;
    case OP_CMGE: if (u) EACH_SIZE(F_CMHS); else EACH_SIZE(F_CMGE); return true;
    case OP_MAX: if (u) EACH_SIZE(F_UMAX); else EACH_SIZE(F_SMAX); return true;
    case OP_MIN: if (u) EACH_SIZE(F_UMIN); else EACH_SIZE(F_SMIN); return true;
    case OP_MUL: if (u) return false; EACH_SIZE(F_MUL); return true;
    case OP_MLA: if (u) EACH_SIZE(F_MLS); else EACH_SIZE(F_MLA); return true;
    default: return false;
    }
}

int simd_3same(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_3same, Q, insn), u = FIELD(simd_3same, U, insn);
    unsigned size = FIELD(simd_3same, s, insn);
    unsigned op = bits32(insn, 15, 11);
    unsigned rm = FIELD(simd_3same, m, insn), rn = FIELD(simd_3same, n, insn);
    unsigned rd = FIELD(simd_3same, d, insn);

    if (op == OP_LOGIC) {
        fp_check_access(c);
        Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r;
        r.d[0] = logic64(u, size, n.d[0], m.d[0], d.d[0]);
        r.d[1] = logic64(u, size, n.d[1], m.d[1], d.d[1]);
        vwrite(c, rd, &r, q);
        return EXEC_NEXT;
    }
    bool bad = (size == 3 && (!q || !((SIZE3_OK >> op) & 1))) ||
               (op == OP_QDMULH && (size == 0 || size == 3)) ||
               (op == OP_MUL && u && size != 0) || (op == OP_ADDP && u);
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);

    {
        VU vn = vuread(c, rn), vm = vuread(c, rm), vd = vuread(c, rd), vr, sat = { { { 0, 0 } } };
        if (op == OP_MAXP || op == OP_MINP || op == OP_ADDP) {
            /* Pairwise: the even and odd elements of the concatenation
             * Vm:Vn (Q=0: of the two lower halves), then an element-wise op. */
            union { uint8_t b[32]; uint16_t h[16]; uint32_t s[8]; uint64_t d[4]; } cat = { { 0 } };
            unsigned half = q ? 16 : 8;
            memcpy(cat.b, vn.v.d, half);
            memcpy(cat.b + half, vm.v.d, half);
            switch (size) {
            case 0:
                for (unsigned e = 0; e < 16; e++) { vn.u8[e] = cat.b[2 * e]; vm.u8[e] = cat.b[2 * e + 1]; }
                break;
            case 1:
                for (unsigned e = 0; e < 8; e++) { vn.u16[e] = cat.h[2 * e]; vm.u16[e] = cat.h[2 * e + 1]; }
                break;
            case 2:
                for (unsigned e = 0; e < 4; e++) { vn.u32[e] = cat.s[2 * e]; vm.u32[e] = cat.s[2 * e + 1]; }
                break;
            default:
                for (unsigned e = 0; e < 2; e++) { vn.u64[e] = cat.d[2 * e]; vm.u64[e] = cat.d[2 * e + 1]; }
                break;
            }
            op = op == OP_MAXP ? OP_MAX : op == OP_MINP ? OP_MIN : OP_ADD;
        }
        if (fast3(op, u, size, &vr, &vn, &vm, &vd, &sat)) {
            if (sat.v.d[0] | (q ? sat.v.d[1] : 0))
                c->fpsr |= FPSR_QC;
            vwrite(c, rd, &vr.v, q);
            return EXEC_NEXT;
        }
    }
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb;
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r = { { 0, 0 } };
    if (op == OP_MAXP || op == OP_MINP || op == OP_ADDP) {
        /* Pairwise: concatenation Vm:Vn, adjacent pairs (Arm ARM ADDP (vector)). */
        for (unsigned e = 0; e < ne; e++) {
            const Vec *src = e < ne / 2 ? &n : &m;
            unsigned k = (2 * e) % ne;
            vput(&r, e, eb, op3(c, op, u, eb, vget(src, k, eb), vget(src, k + 1, eb), 0));
        }
    } else {
        for (unsigned e = 0; e < ne; e++)
            vput(&r, e, eb, op3(c, op, u, eb, vget(&n, e, eb), vget(&m, e, eb), vget(&d, e, eb)));
    }
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

int simd_3same_scalar(CPUState *c, uint32_t insn)
{
    unsigned u = FIELD(simd_3same_scalar, U, insn), size = FIELD(simd_3same_scalar, s, insn);
    unsigned op = bits32(insn, 15, 11);
    unsigned rm = FIELD(simd_3same_scalar, m, insn), rn = FIELD(simd_3same_scalar, n, insn);
    unsigned rd = FIELD(simd_3same_scalar, d, insn);
    bool ok;
    switch (op) {
    case OP_QADD: case OP_QSUB: case OP_QSHL: case OP_QRSHL: ok = true; break;
    case OP_CMGT: case OP_CMGE: case OP_SHL: case OP_RSHL: case OP_ADD: case OP_CMTST:
        ok = size == 3;
        break;
    case OP_QDMULH: ok = size == 1 || size == 2; break;
    default: ok = false; break;
    }
    if (!ok)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size;
    Vec n = vread(c, rn), m = vread(c, rm);
    uint64_t r = op3(c, op, u, eb, vget(&n, 0, eb), vget(&m, 0, eb), 0);
    vreg_set_scalar(c, rd, eb / 8, r);
    return EXEC_NEXT;
}

/** SQRDMLAH / SQRDMLSH element (Arm ARM C7.2, FEAT_RDM):
 *  SignedSatQ(((acc << esize) +/- 2*n*m + (1 << (esize-1))) >> esize). */
static uint64_t rdm_elem(CPUState *c, bool sub, unsigned eb, uint64_t a, uint64_t b, uint64_t acc)
{
    __int128 p = 2 * (__int128)sext64(a, eb) * sext64(b, eb);
    /* acc * 2^esize as a multiplication: a left shift of a negative value
     * is undefined behaviour in C (found by UBSan, issue #19) */
    __int128 x = (__int128)sext64(acc, eb) * ((__int128)1 << eb) + (sub ? -p : p) +
                 ((__int128)1 << (eb - 1));
    return ssatq(c, x >> eb, eb);
}

uint64_t simd_rdm_elem(CPUState *c, bool sub, unsigned eb, uint64_t a, uint64_t b, uint64_t acc)
{
    return rdm_elem(c, sub, eb, a, b, acc);
}

uint64_t simd_qdmulh_elem(CPUState *c, bool round, unsigned eb, uint64_t a, uint64_t b)
{
    return op3(c, OP_QDMULH, round, eb, a, b, 0);
}

int simd_3same_rdm(CPUState *c, uint32_t insn)
{
    bool scalar = bit32(insn, 28);
    unsigned q = FIELD(simd_3same_rdm, Q, insn), size = FIELD(simd_3same_rdm, s, insn);
    bool sub = FIELD(simd_3same_rdm, o, insn);
    unsigned rm = FIELD(simd_3same_rdm, m, insn), rn = FIELD(simd_3same_rdm, n, insn);
    unsigned rd = FIELD(simd_3same_rdm, d, insn);
    if (!has_feat(c, FEAT_RDM) || size == 0 || size == 3)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size;
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r = { { 0, 0 } };
    if (scalar) {
        vreg_set_scalar(c, rd, eb / 8, rdm_elem(c, sub, eb, vget(&n, 0, eb), vget(&m, 0, eb),
                                                vget(&d, 0, eb)));
        return EXEC_NEXT;
    }
    unsigned ne = (q ? 128 : 64) / eb;
    for (unsigned e = 0; e < ne; e++)
        vput(&r, e, eb, rdm_elem(c, sub, eb, vget(&n, e, eb), vget(&m, e, eb), vget(&d, e, eb)));
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

/*
 * Dedicated handlers for the most frequent three-same instructions, listed
 * in the decode table with priority 2 over the group patterns above: one
 * handler per instruction keeps each dispatch branch predictable (no
 * opcode switch at run time).
 */
#define FAST3_HANDLER(NAME, F, SIZE3_ALLOWED)                                        \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        unsigned q = FIELD(NAME, Q, insn), size = FIELD(NAME, s, insn);               \
        unsigned rd = FIELD(NAME, d, insn);                                           \
        if (size == 3 && (!q || !(SIZE3_ALLOWED)))                                    \
            cpu_undefined(c);                                                         \
        fp_check_access(c);                                                           \
        VU vn = vuread(c, FIELD(NAME, n, insn)), vm = vuread(c, FIELD(NAME, m, insn)); \
        VU vd = vuread(c, rd), vr;                                                    \
        const VU *n = &vn, *m = &vm, *d = &vd;                                        \
        VU *r = &vr;                                                                  \
        (void)d;                                                                      \
        EACH_SIZE(F);                                                                 \
        vwrite(c, rd, &vr.v, q);                                                      \
        return EXEC_NEXT;                                                             \
    }

FAST3_HANDLER(simd_add_v, F_ADD, 1)
FAST3_HANDLER(simd_sub_v, F_SUB, 1)
FAST3_HANDLER(simd_cmeq_v, F_CMEQ, 1)
FAST3_HANDLER(simd_cmtst_v, F_CMTST, 1)
FAST3_HANDLER(simd_cmgt_v, F_CMGT, 1)
FAST3_HANDLER(simd_cmhi_v, F_CMHI, 1)
FAST3_HANDLER(simd_cmge_v, F_CMGE, 1)
FAST3_HANDLER(simd_cmhs_v, F_CMHS, 1)
FAST3_HANDLER(simd_smax_v, F_SMAX, 0)
FAST3_HANDLER(simd_umax_v, F_UMAX, 0)
FAST3_HANDLER(simd_smin_v, F_SMIN, 0)
FAST3_HANDLER(simd_umin_v, F_UMIN, 0)
FAST3_HANDLER(simd_mul_v, F_MUL, 0)
FAST3_HANDLER(simd_mla_v, F_MLA, 0)
FAST3_HANDLER(simd_mls_v, F_MLS, 0)

/* Logical (vector): U:size select the operation; no size check. */
#define LOGIC_HANDLER(NAME, EXPR)                                                     \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        unsigned q = FIELD(NAME, Q, insn), rd = FIELD(NAME, d, insn);                 \
        fp_check_access(c);                                                           \
        const uint64_t *n = c->v[FIELD(NAME, n, insn)], *m = c->v[FIELD(NAME, m, insn)]; \
        const uint64_t *d = c->v[rd];                                                 \
        (void)d;                                                                      \
        uint64_t r0, r1;                                                              \
        {                                                                             \
            unsigned i_ = 0;                                                          \
            r0 = (EXPR);                                                              \
            i_ = 1;                                                                   \
            r1 = (EXPR);                                                              \
            (void)i_;                                                                 \
        }                                                                             \
        vreg_set(c, rd, r0, r1, q);                                                   \
        return EXEC_NEXT;                                                             \
    }

LOGIC_HANDLER(simd_and_v, n[i_] & m[i_])
LOGIC_HANDLER(simd_bic_v, n[i_] & ~m[i_])
LOGIC_HANDLER(simd_orr_v, n[i_] | m[i_])
LOGIC_HANDLER(simd_orn_v, n[i_] | ~m[i_])
LOGIC_HANDLER(simd_eor_v, n[i_] ^ m[i_])
LOGIC_HANDLER(simd_bsl_v, m[i_] ^ ((m[i_] ^ n[i_]) & d[i_]))
LOGIC_HANDLER(simd_bit_v, d[i_] ^ ((d[i_] ^ n[i_]) & m[i_]))
LOGIC_HANDLER(simd_bif_v, d[i_] ^ ((d[i_] ^ n[i_]) & ~m[i_]))

/* Dedicated pairwise handlers (ADDP, SMAXP, UMAXP, SMINP, UMINP vector):
 * element e of the result combines elements 2e and 2e+1 of Vm:Vn (Q=0: of
 * the two lower halves). */
typedef union PairCat {
    uint8_t b[32]; int8_t sb[32]; uint16_t h[16]; int16_t sh[16];
    uint32_t s[8]; int32_t ss[8]; uint64_t d[4];
} PairCat;

static inline void pair_cat(const CPUState *c, uint32_t insn, unsigned q, PairCat *cat)
{
    const uint64_t *n = c->v[bits32(insn, 9, 5)], *m = c->v[bits32(insn, 20, 16)];
    if (q) {
        cat->d[0] = n[0]; cat->d[1] = n[1]; cat->d[2] = m[0]; cat->d[3] = m[1];
    } else {
        cat->d[0] = n[0]; cat->d[1] = m[0]; cat->d[2] = 0; cat->d[3] = 0;
    }
}

#define P_ADD(a, b) ((a) + (b))
#define P_MAX(a, b) ((a) > (b) ? (a) : (b))
#define P_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PAIR_LOOP(DST, SRC, N, OP) \
    for (unsigned e_ = 0; e_ < (N); e_++) vr.DST[e_] = OP(cat.SRC[2 * e_], cat.SRC[2 * e_ + 1])

#define PAIR_HANDLER(NAME, OP, SIGNED, SIZE3_ALLOWED)                                  \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        unsigned q = FIELD(NAME, Q, insn), size = FIELD(NAME, s, insn);               \
        if (size == 3 && (!q || !(SIZE3_ALLOWED)))                                    \
            cpu_undefined(c);                                                         \
        fp_check_access(c);                                                           \
        PairCat cat;                                                                  \
        VU vr;                                                                        \
        pair_cat(c, insn, q, &cat);                                                   \
        switch (size) {                                                               \
        case 0: if (SIGNED) PAIR_LOOP(s8, sb, 16, OP); else PAIR_LOOP(u8, b, 16, OP); break; \
        case 1: if (SIGNED) PAIR_LOOP(s16, sh, 8, OP); else PAIR_LOOP(u16, h, 8, OP); break; \
        case 2: if (SIGNED) PAIR_LOOP(s32, ss, 4, OP); else PAIR_LOOP(u32, s, 4, OP); break; \
        default: PAIR_LOOP(u64, d, 2, OP); break;                                     \
        }                                                                             \
        vwrite(c, FIELD(NAME, d, insn), &vr.v, q);                                    \
        return EXEC_NEXT;                                                             \
    }

PAIR_HANDLER(simd_addp_v, P_ADD, 0, 1)
PAIR_HANDLER(simd_smaxp_v, P_MAX, 1, 0)
PAIR_HANDLER(simd_umaxp_v, P_MAX, 0, 0)
PAIR_HANDLER(simd_sminp_v, P_MIN, 1, 0)
PAIR_HANDLER(simd_uminp_v, P_MIN, 0, 0)
