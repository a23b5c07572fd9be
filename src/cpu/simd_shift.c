/*
 * AdvSIMD "shift by immediate", vector and scalar (Arm ARM C4.1.x "Advanced
 * SIMD shift by immediate", "Advanced SIMD scalar shift by immediate"; C7.2
 * pseudocode of SSHR ... USHLL). The fixed-point conversions (SCVTF, UCVTF,
 * FCVTZS, FCVTZU: opcodes 11100, 11111) belong to src/cpu/fp_*.c.
 *
 * Element size: esize = 8 << HighestSetBit(immh). Right shifts shift by
 * (2 * esize) - UInt(immh:immb), left shifts by UInt(immh:immb) - esize.
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

enum {
    S_SSHR = 0, S_SSRA = 2, S_SRSHR = 4, S_SRSRA = 6, S_SRI = 8, S_SHL = 10, S_SQSHLU = 12,
    S_QSHL = 14, S_SHRN = 16, S_RSHRN = 17, S_QSHRN = 18, S_QRSHRN = 19, S_SSHLL = 20,
};

static bool is_left(unsigned op)
{
    return op == S_SHL || op == S_SQSHLU || op == S_QSHL || op == S_SSHLL;
}

/** One element of a non-narrowing shift. sh is the decoded shift amount. */
static uint64_t shift1(CPUState *c, unsigned op, bool u, unsigned eb, unsigned sh, uint64_t a,
                       uint64_t acc)
{
    __int128 x = u ? (__int128)a : (__int128)sext64(a, eb);
    switch (op) {
    case S_SSHR: return (uint64_t)wide_shift(x, (int)sh, false);
    case S_SSRA: return acc + (uint64_t)wide_shift(x, (int)sh, false);
    case S_SRSHR: return (uint64_t)wide_shift(x, (int)sh, true);
    case S_SRSRA: return acc + (uint64_t)wide_shift(x, (int)sh, true);
    case S_SRI: {
        uint64_t mask = sh >= 64 ? 0 : ones(eb) >> sh;
        uint64_t v = sh >= 64 ? 0 : a >> sh;
        return (acc & ~mask) | (v & mask);
    }
    case S_SHL:
        if (!u)
            return a << sh;
        return (acc & ~(ones(eb) << sh)) | (a << sh);         /* SLI */
    case S_SQSHLU: return usatq(c, wide_shift(sext64(a, eb), -(int)sh, false), eb);
    case S_QSHL: return satq(c, wide_shift(x, -(int)sh, false), eb, u);
    }
    return 0;
}

/** One element of a narrowing shift: a has 2*eb bits, the result eb bits. */
static uint64_t shift_narrow(CPUState *c, unsigned op, bool u, unsigned eb, unsigned sh, uint64_t a)
{
    unsigned wb = 2 * eb;
    bool round = op == S_RSHRN || op == S_QRSHRN;
    if (op == S_SHRN || op == S_RSHRN) {
        if (!u)   /* SHRN / RSHRN: plain truncation */
            return (uint64_t)wide_shift((__int128)(a & ones(wb)), (int)sh, round) & ones(eb);
        return usatq(c, wide_shift(sext64(a, wb), (int)sh, round), eb);   /* SQ(R)SHRUN */
    }
    __int128 x = u ? (__int128)(a & ones(wb)) : (__int128)sext64(a, wb);
    return satq(c, wide_shift(x, (int)sh, round), eb, u);
}

static unsigned hsb4(unsigned immh)
{
    return immh & 8 ? 3 : immh & 4 ? 2 : immh & 2 ? 1 : 0;
}

/* Fast paths (vector extensions) for the plain shifts and inserts. Right
 * shift amounts are 1..esize: shifting by sh-1 then by 1 keeps every shift
 * count below the element width. */
#define F_SSHR(U, S) r->U = (T_(r->U))((n->S >> (sh - 1)) >> 1)
#define F_USHR(U, S) r->U = (n->U >> (sh - 1)) >> 1
#define F_SSRA(U, S) r->U = d->U + (T_(r->U))((n->S >> (sh - 1)) >> 1)
#define F_USRA(U, S) r->U = d->U + ((n->U >> (sh - 1)) >> 1)
#define F_SHL(U, S) r->U = n->U << sh
#define F_SLI(U, S) do { T_(r->U) m_ = (n->U | ~n->U) << sh; r->U = (d->U & ~m_) | (n->U << sh); } while (0)
#define F_SRI(U, S) do { T_(r->U) m_ = ((n->U | ~n->U) >> (sh - 1)) >> 1; \
    r->U = (d->U & ~m_) | ((n->U >> (sh - 1)) >> 1); } while (0)

static bool fast_shift(unsigned op, unsigned u, unsigned size, unsigned sh, VU *r, const VU *n,
                       const VU *d)
{
    switch (op) {
    case S_SSHR: if (u) EACH_SIZE(F_USHR); else EACH_SIZE(F_SSHR); return true;
    case S_SSRA: if (u) EACH_SIZE(F_USRA); else EACH_SIZE(F_SSRA); return true;
    case S_SHL: if (u) EACH_SIZE(F_SLI); else EACH_SIZE(F_SHL); return true;
    case S_SRI: EACH_SIZE(F_SRI); return true;
    default: return false;
    }
}

/*
 * One handler per row (src/cpu/simd.c), simd_<mnemonic>_v / _s, passing
 * its operation (U and opcode, fixed by the row) as constants to one inline
 * body; immh and immb are the row fields h and b.
 */
static inline __attribute__((always_inline)) int shift_vec(CPUState *c, unsigned q, unsigned immh,
                                                       unsigned immb, unsigned rn, unsigned rd,
                                                       bool u, unsigned op)
{
    unsigned immhb = immh << 3 | immb;
    unsigned hsb = hsb4(immh), eb = 8u << hsb;
    bool narrowing = op >= S_SHRN;
    bool bad = immh == 0 || (narrowing ? hsb == 3 : (hsb == 3 && !q)) ||
               (!u && (op == S_SRI || op == S_SQSHLU));
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned sh = is_left(op) ? immhb - eb : 2 * eb - immhb;
    if (!narrowing && op != S_SSHLL) {
        VU vn = vuread(c, rn), vd = vuread(c, rd), vr;
        if (fast_shift(op, u, hsb, sh, &vr, &vn, &vd)) {
            vwrite(c, rd, &vr.v, q);
            return EXEC_NEXT;
        }
    }
    Vec n = vread(c, rn), d = vread(c, rd), r = { { 0, 0 } };

    if (op == S_SSHLL) {
        unsigned half = 64 / eb, part = q ? half : 0;
        for (unsigned e = 0; e < half; e++) {
            uint64_t v = u ? vget(&n, part + e, eb) : (uint64_t)vgets(&n, part + e, eb);
            vput(&r, e, 2 * eb, v << sh);
        }
        vwrite(c, rd, &r, true);
        return EXEC_NEXT;
    }
    if (op == S_SHRN && !u) {
        /* SHRN: truncating, no saturation (fast path) */
        VU vn = vuread(c, rn), vr = vuread(c, rd);
        unsigned half = 64 / eb, part = q ? half : 0;
        switch (hsb) {
        case 0: for (unsigned e = 0; e < 8; e++) vr.u8[part + e] = (uint8_t)(vn.u16[e] >> sh); break;
        case 1: for (unsigned e = 0; e < 4; e++) vr.u16[part + e] = (uint16_t)(vn.u32[e] >> sh); break;
        default: for (unsigned e = 0; e < 2; e++) vr.u32[part + e] = (uint32_t)(vn.u64[e] >> sh); break;
        }
        if (!q)
            vr.v.d[1] = 0;
        vwrite(c, rd, &vr.v, q);
        return EXEC_NEXT;
    }
    if (narrowing) {
        unsigned half = 64 / eb, part = q ? half : 0;
        r = q ? d : r;
        for (unsigned e = 0; e < half; e++)
            vput(&r, part + e, eb, shift_narrow(c, op, u, eb, sh, vget(&n, e, 2 * eb)));
        vwrite(c, rd, &r, q);
        return EXEC_NEXT;
    }
    unsigned ne = (q ? 128 : 64) / eb;
    for (unsigned e = 0; e < ne; e++)
        vput(&r, e, eb, shift1(c, op, u, eb, sh, vget(&n, e, eb), vget(&d, e, eb)));
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

static inline __attribute__((always_inline)) int shift_scalar(CPUState *c, unsigned immh, unsigned immb,
                                                          unsigned rn, unsigned rd, bool u,
                                                          unsigned op)
{
    unsigned immhb = immh << 3 | immb;
    unsigned hsb = hsb4(immh), eb = 8u << hsb;
    bool bad;
    switch (op) {
    case S_SQSHLU: case S_QSHL: bad = false; break;
    case S_SHRN: case S_RSHRN: case S_QSHRN: case S_QRSHRN: bad = hsb == 3; break;
    default: bad = hsb != 3; break;   /* SSHR ... SLI: D only */
    }
    if (bad || immh == 0)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned sh = is_left(op) ? immhb - eb : 2 * eb - immhb;
    Vec n = vread(c, rn), d = vread(c, rd);
    uint64_t r;
    if (op >= S_SHRN)
        r = shift_narrow(c, op, u, eb, sh, vget(&n, 0, 2 * eb));
    else
        r = shift1(c, op, u, eb, sh, vget(&n, 0, eb), vget(&d, 0, eb));
    vreg_set_scalar(c, rd, eb / 8, r);
    return EXEC_NEXT;
}

#define SHIFT_V(NAME, U, OP)                                                          \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return shift_vec(c, FIELD(NAME, Q, insn), FIELD(NAME, h, insn), FIELD(NAME, b, insn), \
                         FIELD(NAME, n, insn), FIELD(NAME, d, insn), U, OP);          \
    }
#define SHIFT_S(NAME, U, OP)                                                          \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return shift_scalar(c, FIELD(NAME, h, insn), FIELD(NAME, b, insn),            \
                            FIELD(NAME, n, insn), FIELD(NAME, d, insn), U, OP);       \
    }

SHIFT_V(simd_sshr_v, 0, S_SSHR)
SHIFT_V(simd_ushr_v, 1, S_SSHR)
SHIFT_V(simd_ssra_v, 0, S_SSRA)
SHIFT_V(simd_usra_v, 1, S_SSRA)
SHIFT_V(simd_srshr_v, 0, S_SRSHR)
SHIFT_V(simd_urshr_v, 1, S_SRSHR)
SHIFT_V(simd_srsra_v, 0, S_SRSRA)
SHIFT_V(simd_ursra_v, 1, S_SRSRA)
SHIFT_V(simd_sri_v, 1, S_SRI)
SHIFT_V(simd_shl_v, 0, S_SHL)
SHIFT_V(simd_sli_v, 1, S_SHL)
SHIFT_V(simd_sqshlu_v, 1, S_SQSHLU)
SHIFT_V(simd_sqshl_imm_v, 0, S_QSHL)
SHIFT_V(simd_uqshl_imm_v, 1, S_QSHL)
SHIFT_V(simd_shrn_v, 0, S_SHRN)
SHIFT_V(simd_sqshrun_v, 1, S_SHRN)
SHIFT_V(simd_rshrn_v, 0, S_RSHRN)
SHIFT_V(simd_sqrshrun_v, 1, S_RSHRN)
SHIFT_V(simd_sqshrn_v, 0, S_QSHRN)
SHIFT_V(simd_uqshrn_v, 1, S_QSHRN)
SHIFT_V(simd_sqrshrn_v, 0, S_QRSHRN)
SHIFT_V(simd_uqrshrn_v, 1, S_QRSHRN)
SHIFT_V(simd_sshll_v, 0, S_SSHLL)
SHIFT_V(simd_ushll_v, 1, S_SSHLL)

SHIFT_S(simd_sshr_s, 0, S_SSHR)
SHIFT_S(simd_ushr_s, 1, S_SSHR)
SHIFT_S(simd_ssra_s, 0, S_SSRA)
SHIFT_S(simd_usra_s, 1, S_SSRA)
SHIFT_S(simd_srshr_s, 0, S_SRSHR)
SHIFT_S(simd_urshr_s, 1, S_SRSHR)
SHIFT_S(simd_srsra_s, 0, S_SRSRA)
SHIFT_S(simd_ursra_s, 1, S_SRSRA)
SHIFT_S(simd_sri_s, 1, S_SRI)
SHIFT_S(simd_shl_s, 0, S_SHL)
SHIFT_S(simd_sli_s, 1, S_SHL)
SHIFT_S(simd_sqshlu_s, 1, S_SQSHLU)
SHIFT_S(simd_sqshl_imm_s, 0, S_QSHL)
SHIFT_S(simd_uqshl_imm_s, 1, S_QSHL)
SHIFT_S(simd_sqshrun_s, 1, S_SHRN)
SHIFT_S(simd_sqrshrun_s, 1, S_RSHRN)
SHIFT_S(simd_sqshrn_s, 0, S_QSHRN)
SHIFT_S(simd_uqshrn_s, 1, S_QSHRN)
SHIFT_S(simd_sqrshrn_s, 0, S_QRSHRN)
SHIFT_S(simd_uqrshrn_s, 1, S_QRSHRN)
