/*
 * AdvSIMD "three different" (vector and scalar): widening, narrowing and
 * long multiply-accumulate, PMULL/PMULL2 (Arm ARM C4.1.x "Advanced SIMD
 * three different", "Advanced SIMD scalar three different"; C7.2 pseudocode
 * of SADDL ... PMULL).
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

/* opcode field (bits 15:12) values */
enum {
    D_ADDL = 0, D_ADDW = 1, D_SUBL = 2, D_SUBW = 3, D_ADDHN = 4, D_ABAL = 5, D_SUBHN = 6,
    D_ABDL = 7, D_PMULL = 14,   /* 8..13: enum SimdLongOp (simd_internal.h) */
};

uint64_t simd_qdmlal_elem(CPUState *c, unsigned op, unsigned eb, uint64_t a, uint64_t b,
                          uint64_t acc)
{
    unsigned wb = 2 * eb;
    __int128 p = sext64(ssatq(c, 2 * (__int128)sext64(a, eb) * sext64(b, eb), wb), wb);
    if (op == D_QDMULL)
        return (uint64_t)p & ones(wb);
    __int128 s = sext64(acc, wb);
    return ssatq(c, op == D_QDMLAL ? s + p : s - p, wb);
}

uint64_t simd_mull_elem(unsigned op, bool u, unsigned eb, uint64_t a, uint64_t b, uint64_t acc)
{
    uint64_t x = u ? a : (uint64_t)sext64(a, eb), y = u ? b : (uint64_t)sext64(b, eb);
    uint64_t p = x * y;
    return op == D_MLAL ? acc + p : op == D_MLSL ? acc - p : p;
}

int simd_3diff(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_3diff, Q, insn), u = FIELD(simd_3diff, U, insn);
    unsigned size = FIELD(simd_3diff, s, insn), op = FIELD(simd_3diff, o, insn);
    unsigned rm = FIELD(simd_3diff, m, insn), rn = FIELD(simd_3diff, n, insn);
    unsigned rd = FIELD(simd_3diff, d, insn);
    bool bad;
    switch (op) {
    case D_QDMLAL: case D_QDMLSL: case D_QDMULL: bad = u || size == 0 || size == 3; break;
    case D_PMULL: bad = u || size == 1 || size == 2 || (size == 3 && !has_feat(c, FEAT_AES)); break;
    case 15: bad = true; break;
    default: bad = size == 3; break;
    }
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);

    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r = { { 0, 0 } };
    if (op == D_PMULL && size == 3) {
        /* PMULL{2} .1Q: 64x64 -> 128 polynomial multiply (FEAT_AES). */
        uint64_t hi, lo = simd_pmul(n.d[q], m.d[q], 64, &hi);
        r.d[0] = lo;
        r.d[1] = hi;
        vwrite(c, rd, &r, true);
        return EXEC_NEXT;
    }
    unsigned eb = 8u << size, wb = 2 * eb, ne = 64 / eb;
    unsigned part = q ? ne : 0;    /* the "2" forms use the upper half of narrow sources */

    if (op == D_ADDHN || op == D_SUBHN) {
        /* ADDHN/RADDHN/SUBHN/RSUBHN: wide operands, narrow high halves into
         * the lower (Q=0) or upper (Q=1, other half kept) 64 bits of Vd. */
        r = q ? d : r;
        for (unsigned e = 0; e < ne; e++) {
            uint64_t a = vget(&n, e, wb), b = vget(&m, e, wb);
            uint64_t s = op == D_ADDHN ? a + b : a - b;
            if (u)
                s += 1ull << (eb - 1);
            vput(&r, part + e, eb, (s >> eb) & ones(eb));
        }
        vwrite(c, rd, &r, q);
        return EXEC_NEXT;
    }

    for (unsigned e = 0; e < ne; e++) {
        uint64_t bv = vget(&m, part + e, eb);
        uint64_t av = (op == D_ADDW || op == D_SUBW) ? vget(&n, e, wb) : vget(&n, part + e, eb);
        uint64_t acc = vget(&d, e, wb), res;
        __int128 x = (op == D_ADDW || op == D_SUBW) ? (u ? (__int128)av : sext64(av, wb))
                                                    : (u ? (__int128)av : sext64(av, eb));
        __int128 y = u ? (__int128)bv : sext64(bv, eb);
        switch (op) {
        case D_ADDL: case D_ADDW: res = (uint64_t)(x + y); break;
        case D_SUBL: case D_SUBW: res = (uint64_t)(x - y); break;
        case D_ABAL: res = acc + (uint64_t)(x > y ? x - y : y - x); break;
        case D_ABDL: res = (uint64_t)(x > y ? x - y : y - x); break;
        case D_MLAL: case D_MLSL: case D_MULL: res = simd_mull_elem(op, u, eb, av, bv, acc); break;
        case D_PMULL: res = simd_pmul(av, bv, eb, NULL); break;
        default: res = simd_qdmlal_elem(c, op, eb, av, bv, acc); break;
        }
        vput(&r, e, wb, res);
    }
    vwrite(c, rd, &r, true);
    return EXEC_NEXT;
}

/* SQDMLAL/SQDMLSL/SQDMULL (scalar): op is the three-different opcode
 * 1001/1011/1101, given by the row (o selects SQDMLSL). */
static inline int qdml_scalar(CPUState *c, unsigned op, unsigned size, unsigned rm, unsigned rn,
                              unsigned rd)
{
    if (size == 0 || size == 3)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size;
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd);
    uint64_t r = simd_qdmlal_elem(c, op, eb, vget(&n, 0, eb), vget(&m, 0, eb), vget(&d, 0, 2 * eb));
    vreg_set_scalar(c, rd, 2 * eb / 8, r);
    return EXEC_NEXT;
}

int simd_sqdmlal_s(CPUState *c, uint32_t insn)
{
    return qdml_scalar(c, 9 + 2 * FIELD(simd_sqdmlal_s, o, insn), FIELD(simd_sqdmlal_s, s, insn),
                       FIELD(simd_sqdmlal_s, m, insn), FIELD(simd_sqdmlal_s, n, insn),
                       FIELD(simd_sqdmlal_s, d, insn));
}

int simd_sqdmull_s(CPUState *c, uint32_t insn)
{
    return qdml_scalar(c, 13, FIELD(simd_sqdmull_s, s, insn), FIELD(simd_sqdmull_s, m, insn),
                       FIELD(simd_sqdmull_s, n, insn), FIELD(simd_sqdmull_s, d, insn));
}
