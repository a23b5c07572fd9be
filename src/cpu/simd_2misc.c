/*
 * AdvSIMD "two-register miscellaneous", integer opcodes (vector and scalar):
 * REV*, pairwise long adds, SUQADD/USQADD, CLS/CLZ/CNT/NOT/RBIT, saturating
 * abs/neg, compares against zero, ABS/NEG, narrowing XTN/SQXTN/UQXTN/SQXTUN
 * and SHLL (Arm ARM C4.1.x "Advanced SIMD two-register miscellaneous",
 * "Advanced SIMD scalar two-register miscellaneous"; C7.2 pseudocode).
 * The FP opcodes, URECPE and URSQRTE belong to src/cpu/fp_*.c.
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

enum {
    M_REV64 = 0, M_REV16 = 1, M_ADDLP = 2, M_SUQADD = 3, M_CLS = 4, M_CNT = 5, M_ADALP = 6,
    M_QABS = 7, M_CMGT0 = 8, M_CMEQ0 = 9, M_CMLT0 = 10, M_ABS = 11, M_XTN = 18, M_SHLL = 19,
    M_QXTN = 20,
};

static unsigned clz_n(uint64_t x, unsigned eb)
{
    return x ? (unsigned)__builtin_clzll(x) - (64 - eb) : eb;
}

/** One element of the element-wise (non-widening, non-narrowing) ops. */
static uint64_t misc1(CPUState *c, unsigned op, bool u, unsigned eb, uint64_t a, uint64_t acc)
{
    int64_t s = sext64(a, eb);
    switch (op) {
    case M_SUQADD:
        /* SUQADD: signed acc + unsigned a, signed saturation; USQADD: the reverse. */
        return u ? usatq(c, (__int128)acc + sext64(a, eb), eb)
                 : ssatq(c, (__int128)sext64(acc, eb) + a, eb);
    case M_CLS:
        if (u)
            return clz_n(a, eb);
        return clz_n((a ^ (a >> 1)) & ones(eb - 1), eb - 1);   /* CountLeadingSignBits */
    case M_CNT:
        if (!u)
            return (uint64_t)__builtin_popcountll(a);
        return ~a;                                         /* NOT (RBIT: m2_vec) */
    case M_QABS:
        return ssatq(c, u ? -(__int128)s : (s < 0 ? -(__int128)s : s), eb);
    case M_CMGT0: return (u ? s >= 0 : s > 0) ? ~0ull : 0;
    case M_CMEQ0: return (u ? s <= 0 : s == 0) ? ~0ull : 0;
    case M_CMLT0: return s < 0 ? ~0ull : 0;
    /* NEG/ABS wrap modulo 2^64 (NEG/ABS of INT64_MIN is INT64_MIN): negate
     * as unsigned, since -INT64_MIN is undefined behaviour in C */
    case M_ABS: return (u || s < 0) ? 0 - (uint64_t)s : (uint64_t)s;
    }
    return 0;
}

static uint8_t rbit8(uint8_t b)
{
    b = (uint8_t)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
    b = (uint8_t)((b & 0xcc) >> 2 | (b & 0x33) << 2);
    return (uint8_t)((b & 0xaa) >> 1 | (b & 0x55) << 1);
}

/** Narrowing: XTN (truncate), SQXTN, UQXTN, SQXTUN of a 2*eb-bit element. */
static uint64_t narrow(CPUState *c, unsigned op, bool u, unsigned eb, uint64_t a)
{
    unsigned wb = 2 * eb;
    if (op == M_XTN && !u)
        return a & ones(eb);
    if (op == M_XTN)                       /* SQXTUN: signed source, unsigned result */
        return usatq(c, sext64(a, wb), eb);
    return u ? usatq(c, (__int128)(a & ones(wb)), eb) : ssatq(c, sext64(a, wb), eb);
}

static bool misc_bad(unsigned op, bool u, unsigned size, unsigned q)
{
    switch (op) {
    case M_REV64: return u ? size >= 2 : size == 3;
    case M_REV16: return u || size != 0;
    case M_ADDLP: case M_ADALP: case M_CLS: case M_XTN: case M_QXTN: return size == 3;
    case M_SHLL: return !u || size == 3;
    case M_CNT: return u ? size >= 2 : size != 0;
    case M_CMLT0: return u || (size == 3 && !q);
    default: return size == 3 && !q;       /* SUQADD, SQABS, CMxx, ABS/NEG */
    }
}

/* Fast paths (vector extensions) for the frequent element-wise ops. */
#define F_CMGT0(U, S) r->U = (T_(r->U))(n->S > 0)
#define F_CMGE0(U, S) r->U = (T_(r->U))(n->S >= 0)
#define F_CMEQ0(U, S) r->U = (T_(r->U))(n->S == 0)
#define F_CMLE0(U, S) r->U = (T_(r->U))(n->S <= 0)
#define F_CMLT0(U, S) r->U = (T_(r->U))(n->S < 0)
#define F_NEG(U, S) r->U = -n->U
#define F_ABS(U, S) do { T_(r->U) m_ = (T_(r->U))(n->S >> (sizeof(n->S[0]) * 8 - 1)); \
    r->U = (n->U ^ m_) - m_; } while (0)

static bool fast_misc(unsigned op, unsigned u, unsigned size, VU *r, const VU *n)
{
    switch (op) {
    case M_CMGT0: if (u) EACH_SIZE(F_CMGE0); else EACH_SIZE(F_CMGT0); return true;
    case M_CMEQ0: if (u) EACH_SIZE(F_CMLE0); else EACH_SIZE(F_CMEQ0); return true;
    case M_CMLT0: EACH_SIZE(F_CMLT0); return true;
    case M_ABS: if (u) EACH_SIZE(F_NEG); else EACH_SIZE(F_ABS); return true;
    case M_CNT:
        if (u && size == 0) {
            r->u8 = ~n->u8;                                   /* NOT */
            return true;
        }
        if (!u) {
            for (unsigned i = 0; i < 16; i++)
                r->u8[i] = (uint8_t)__builtin_popcount(n->u8[i]);
            return true;
        }
        return false;
    default:
        return false;
    }
}

/*
 * One handler per row of the groups (src/cpu/simd.c) that have no
 * dedicated handler below, simd_<mnemonic>_v / _s, each passing its
 * operation (U and opcode, fixed by its row) as constants to one inline
 * body: no handler switches on the opcode at run time.
 */
static inline __attribute__((always_inline)) int m2_vec(CPUState *c, unsigned q, unsigned size, unsigned rn,
                                                    unsigned rd, bool u, unsigned op)
{
    if (misc_bad(op, u, size, q))
        cpu_undefined(c);
    fp_check_access(c);
    {
        VU vn = vuread(c, rn), vr;
        if (fast_misc(op, u, size, &vr, &vn)) {
            vwrite(c, rd, &vr.v, q);
            return EXEC_NEXT;
        }
    }
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb;
    Vec n = vread(c, rn), d = vread(c, rd), r = { { 0, 0 } };

    switch (op) {
    case M_REV64: case M_REV16: {
        unsigned cont = op == M_REV16 ? 16 : u ? 32 : 64;   /* container bits */
        unsigned flip = cont / eb - 1;
        for (unsigned e = 0; e < ne; e++)
            vput(&r, e, eb, vget(&n, e ^ flip, eb));
        break;
    }
    case M_ADDLP: case M_ADALP: {
        unsigned wb = 2 * eb;
        for (unsigned e = 0; e < ne / 2; e++) {
            __int128 s = vint(&n, 2 * e, eb, u) + vint(&n, 2 * e + 1, eb, u);
            uint64_t v = (uint64_t)s + (op == M_ADALP ? vget(&d, e, wb) : 0);
            vput(&r, e, wb, v);
        }
        break;
    }
    case M_CNT:
        if (u && size == 1) {                               /* RBIT */
            for (unsigned e = 0; e < ne * 2; e++)
                vput(&r, e, 8, rbit8((uint8_t)vget(&n, e, 8)));
            break;
        }
        for (unsigned e = 0; e < ne; e++)
            vput(&r, e, eb, misc1(c, op, u, eb, vget(&n, e, eb), 0));
        break;
    case M_XTN: case M_QXTN: {
        unsigned half = 64 / eb, part = q ? half : 0;
        if (op == M_XTN && !u) {
            /* XTN: plain truncation (typed loops) */
            VU vn = vuread(c, rn), vr = vuread(c, rd);
            switch (size) {
            case 0: for (unsigned e = 0; e < 8; e++) vr.u8[part + e] = (uint8_t)vn.u16[e]; break;
            case 1: for (unsigned e = 0; e < 4; e++) vr.u16[part + e] = (uint16_t)vn.u32[e]; break;
            default: for (unsigned e = 0; e < 2; e++) vr.u32[part + e] = (uint32_t)vn.u64[e]; break;
            }
            vwrite(c, rd, &vr.v, q);
            return EXEC_NEXT;
        }
        r = q ? d : r;
        for (unsigned e = 0; e < half; e++)
            vput(&r, part + e, eb, narrow(c, op, u, eb, vget(&n, e, 2 * eb)));
        break;
    }
    case M_SHLL: {
        unsigned half = 64 / eb, part = q ? half : 0;
        for (unsigned e = 0; e < half; e++)
            vput(&r, e, 2 * eb, vget(&n, part + e, eb) << eb);
        vwrite(c, rd, &r, true);
        return EXEC_NEXT;
    }
    default:
        for (unsigned e = 0; e < ne; e++)
            vput(&r, e, eb, misc1(c, op, u, eb, vget(&n, e, eb), vget(&d, e, eb)));
        break;
    }
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

/* Scalar rows: SUQADD ... NEG allow D only where a compare or ABS/NEG,
 * the narrowing ones a source of at most D. */
static inline __attribute__((always_inline)) int m2_scalar(CPUState *c, unsigned size, unsigned rn, unsigned rd,
                                                       bool u, unsigned op)
{
    bool bad;
    switch (op) {
    case M_SUQADD: case M_QABS: bad = false; break;
    case M_XTN: case M_QXTN: bad = size == 3; break;
    default: bad = size != 3; break;   /* CMxx #0, ABS, NEG */
    }
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size;
    Vec n = vread(c, rn), d = vread(c, rd);
    uint64_t r;
    if (op == M_XTN || op == M_QXTN)
        r = narrow(c, op, u, eb, vget(&n, 0, 2 * eb));
    else
        r = misc1(c, op, u, eb, vget(&n, 0, eb), vget(&d, 0, eb));
    vreg_set_scalar(c, rd, eb / 8, r);
    return EXEC_NEXT;
}

#define M2_V(NAME, U, OP)                                                             \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return m2_vec(c, FIELD(NAME, Q, insn), FIELD(NAME, s, insn), FIELD(NAME, n, insn), \
                      FIELD(NAME, d, insn), U, OP);                                   \
    }
#define M2_S(NAME, U, OP)                                                             \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return m2_scalar(c, FIELD(NAME, s, insn), FIELD(NAME, n, insn),               \
                         FIELD(NAME, d, insn), U, OP);                                \
    }

M2_V(simd_rev64_v, 0, M_REV64)
M2_V(simd_rev32_v, 1, M_REV64)
M2_V(simd_rev16_v, 0, M_REV16)
M2_V(simd_saddlp_v, 0, M_ADDLP)
M2_V(simd_uaddlp_v, 1, M_ADDLP)
M2_V(simd_suqadd_v, 0, M_SUQADD)
M2_V(simd_usqadd_v, 1, M_SUQADD)
M2_V(simd_cls_v, 0, M_CLS)
M2_V(simd_clz_v, 1, M_CLS)
M2_V(simd_cnt_v, 0, M_CNT)
M2_V(simd_rbit_v, 1, M_CNT)
M2_V(simd_sadalp_v, 0, M_ADALP)
M2_V(simd_uadalp_v, 1, M_ADALP)
M2_V(simd_sqabs_v, 0, M_QABS)
M2_V(simd_sqneg_v, 1, M_QABS)
M2_V(simd_xtn_v, 0, M_XTN)
M2_V(simd_sqxtun_v, 1, M_XTN)
M2_V(simd_shll_v, 1, M_SHLL)
M2_V(simd_sqxtn_v, 0, M_QXTN)
M2_V(simd_uqxtn_v, 1, M_QXTN)

M2_S(simd_suqadd_s, 0, M_SUQADD)
M2_S(simd_usqadd_s, 1, M_SUQADD)
M2_S(simd_sqabs_s, 0, M_QABS)
M2_S(simd_sqneg_s, 1, M_QABS)
M2_S(simd_cmgt0_s, 0, M_CMGT0)
M2_S(simd_cmge0_s, 1, M_CMGT0)
M2_S(simd_cmeq0_s, 0, M_CMEQ0)
M2_S(simd_cmle0_s, 1, M_CMEQ0)
M2_S(simd_cmlt0_s, 0, M_CMLT0)
M2_S(simd_abs_s, 0, M_ABS)
M2_S(simd_neg_s, 1, M_ABS)
M2_S(simd_sqxtun_s, 1, M_XTN)
M2_S(simd_sqxtn_s, 0, M_QXTN)
M2_S(simd_uqxtn_s, 1, M_QXTN)

/* Dedicated handlers (decode priority 2 over the rows above) for the compares
 * against zero, ABS/NEG and NOT. size == 11 needs Q == 1. */
#define FASTMISC_HANDLER(NAME, F)                                                     \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        unsigned q = FIELD(NAME, Q, insn), size = FIELD(NAME, s, insn);               \
        if (size == 3 && !q)                                                          \
            cpu_undefined(c);                                                         \
        fp_check_access(c);                                                           \
        VU vn = vuread(c, FIELD(NAME, n, insn)), vr;                                  \
        const VU *n = &vn;                                                            \
        VU *r = &vr;                                                                  \
        EACH_SIZE(F);                                                                 \
        vwrite(c, FIELD(NAME, d, insn), &vr.v, q);                                    \
        return EXEC_NEXT;                                                             \
    }

FASTMISC_HANDLER(simd_cmgt0_v, F_CMGT0)
FASTMISC_HANDLER(simd_cmge0_v, F_CMGE0)
FASTMISC_HANDLER(simd_cmeq0_v, F_CMEQ0)
FASTMISC_HANDLER(simd_cmle0_v, F_CMLE0)
FASTMISC_HANDLER(simd_cmlt0_v, F_CMLT0)
FASTMISC_HANDLER(simd_abs_v, F_ABS)
FASTMISC_HANDLER(simd_neg_v, F_NEG)

int simd_not_v(CPUState *c, uint32_t insn)
{
    fp_check_access(c);
    const uint64_t *n = c->v[FIELD(simd_not_v, n, insn)];
    vreg_set(c, FIELD(simd_not_v, d, insn), ~n[0], ~n[1], FIELD(simd_not_v, Q, insn));
    return EXEC_NEXT;
}
