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

/*
 * The rows of the groups (src/cpu/simd.c) that have no dedicated handler
 * below: one handler per row, h = simd_<mnemonic>_v / _s, each passing its
 * operation (U and opcode, fixed by its row) as constants to one inline
 * body, so every row names its operation and no handler switches on the
 * opcode at run time. Operand fields come from the row letters (FIELD()).
 */
static inline __attribute__((always_inline)) int s3_vec(CPUState *c, unsigned q, unsigned size,
                                                        unsigned rm, unsigned rn, unsigned rd,
                                                        bool u, unsigned op)
{
    bool bad = (size == 3 && (!q || !((SIZE3_OK >> op) & 1))) ||
               (op == OP_QDMULH && (size == 0 || size == 3)) ||
               (op == OP_MUL && u && size != 0);
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);

    {
        VU vn = vuread(c, rn), vm = vuread(c, rm), vd = vuread(c, rd), vr, sat = { { { 0, 0 } } };
        if (fast3(op, u, size, &vr, &vn, &vm, &vd, &sat)) {
            if (sat.v.d[0] | (q ? sat.v.d[1] : 0))
                c->fpsr |= FPSR_QC;
            vwrite(c, rd, &vr.v, q);
            return EXEC_NEXT;
        }
    }
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb;
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r = { { 0, 0 } };
    for (unsigned e = 0; e < ne; e++)
        vput(&r, e, eb, op3(c, op, u, eb, vget(&n, e, eb), vget(&m, e, eb), vget(&d, e, eb)));
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

/* Scalar forms: which element sizes each operation allows. */
static inline __attribute__((always_inline)) int s3_scalar(CPUState *c, unsigned size,
                                                           unsigned rm, unsigned rn, unsigned rd,
                                                           bool u, unsigned op)
{
    bool ok;
    switch (op) {
    case OP_QADD: case OP_QSUB: case OP_QSHL: case OP_QRSHL: ok = true; break;
    case OP_QDMULH: ok = size == 1 || size == 2; break;
    default: ok = size == 3; break;   /* CMGT ... CMTST: D only */
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

#define S3_V(NAME, U, OP)                                                             \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return s3_vec(c, FIELD(NAME, Q, insn), FIELD(NAME, s, insn), FIELD(NAME, m, insn), \
                      FIELD(NAME, n, insn), FIELD(NAME, d, insn), U, OP);             \
    }
#define S3_S(NAME, U, OP)                                                             \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return s3_scalar(c, FIELD(NAME, s, insn), FIELD(NAME, m, insn),               \
                         FIELD(NAME, n, insn), FIELD(NAME, d, insn), U, OP);          \
    }

S3_V(simd_shadd_v, 0, OP_HADD)
S3_V(simd_uhadd_v, 1, OP_HADD)
S3_V(simd_sqadd_v, 0, OP_QADD)
S3_V(simd_uqadd_v, 1, OP_QADD)
S3_V(simd_srhadd_v, 0, OP_RHADD)
S3_V(simd_urhadd_v, 1, OP_RHADD)
S3_V(simd_shsub_v, 0, OP_HSUB)
S3_V(simd_uhsub_v, 1, OP_HSUB)
S3_V(simd_sqsub_v, 0, OP_QSUB)
S3_V(simd_uqsub_v, 1, OP_QSUB)
S3_V(simd_sshl_v, 0, OP_SHL)
S3_V(simd_ushl_v, 1, OP_SHL)
S3_V(simd_sqshl_v, 0, OP_QSHL)
S3_V(simd_uqshl_v, 1, OP_QSHL)
S3_V(simd_srshl_v, 0, OP_RSHL)
S3_V(simd_urshl_v, 1, OP_RSHL)
S3_V(simd_sqrshl_v, 0, OP_QRSHL)
S3_V(simd_uqrshl_v, 1, OP_QRSHL)
S3_V(simd_sabd_v, 0, OP_ABD)
S3_V(simd_uabd_v, 1, OP_ABD)
S3_V(simd_saba_v, 0, OP_ABA)
S3_V(simd_uaba_v, 1, OP_ABA)
S3_V(simd_pmul_v, 1, OP_MUL)
S3_V(simd_sqdmulh_v, 0, OP_QDMULH)
S3_V(simd_sqrdmulh_v, 1, OP_QDMULH)

S3_S(simd_sqadd_s, 0, OP_QADD)
S3_S(simd_uqadd_s, 1, OP_QADD)
S3_S(simd_sqsub_s, 0, OP_QSUB)
S3_S(simd_uqsub_s, 1, OP_QSUB)
S3_S(simd_cmgt_s, 0, OP_CMGT)
S3_S(simd_cmhi_s, 1, OP_CMGT)
S3_S(simd_cmge_s, 0, OP_CMGE)
S3_S(simd_cmhs_s, 1, OP_CMGE)
S3_S(simd_sshl_s, 0, OP_SHL)
S3_S(simd_ushl_s, 1, OP_SHL)
S3_S(simd_sqshl_s, 0, OP_QSHL)
S3_S(simd_uqshl_s, 1, OP_QSHL)
S3_S(simd_srshl_s, 0, OP_RSHL)
S3_S(simd_urshl_s, 1, OP_RSHL)
S3_S(simd_sqrshl_s, 0, OP_QRSHL)
S3_S(simd_uqrshl_s, 1, OP_QRSHL)
S3_S(simd_add_s, 0, OP_ADD)
S3_S(simd_sub_s, 1, OP_ADD)
S3_S(simd_cmtst_s, 0, OP_CMTST)
S3_S(simd_cmeq_s, 1, OP_CMTST)
S3_S(simd_sqdmulh_s, 0, OP_QDMULH)
S3_S(simd_sqrdmulh_s, 1, OP_QDMULH)

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

/* SQRDMLAH/SQRDMLSH (vector and scalar rows; o = S selects SQRDMLSH). */
static inline __attribute__((always_inline)) int rdm3(CPUState *c, bool scalar, unsigned q,
                                                      unsigned size, bool sub, unsigned rm,
                                                      unsigned rn, unsigned rd)
{
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

int simd_3same_rdm(CPUState *c, uint32_t insn)
{
    return rdm3(c, false, FIELD(simd_3same_rdm, Q, insn), FIELD(simd_3same_rdm, s, insn),
                FIELD(simd_3same_rdm, o, insn), FIELD(simd_3same_rdm, m, insn),
                FIELD(simd_3same_rdm, n, insn), FIELD(simd_3same_rdm, d, insn));
}

int simd_3same_rdm_s(CPUState *c, uint32_t insn)
{
    return rdm3(c, true, 0, FIELD(simd_3same_rdm_s, s, insn), FIELD(simd_3same_rdm_s, o, insn),
                FIELD(simd_3same_rdm_s, m, insn), FIELD(simd_3same_rdm_s, n, insn),
                FIELD(simd_3same_rdm_s, d, insn));
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

static inline void pair_cat(const CPUState *c, unsigned rn, unsigned rm, unsigned q, PairCat *cat)
{
    const uint64_t *n = c->v[rn], *m = c->v[rm];
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
        pair_cat(c, FIELD(NAME, n, insn), FIELD(NAME, m, insn), q, &cat);                                                   \
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
