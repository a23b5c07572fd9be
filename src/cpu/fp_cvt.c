/*
 * Conversions between floating point and integers (Arm ARM C4.1.96
 * "Conversion between floating-point and integer", "... and fixed-point";
 * C4.1.95 AdvSIMD "shift by immediate" SCVTF/UCVTF/FCVTZS/FCVTZU), FMOV
 * (general) and FJCVTZS (FEAT_JSCVT).
 */
#include "cpu/decode_fields.h"
#include "cpu/fp_insn.h"

/* FCVT<r><S|U>, SCVTF/UCVTF (scalar, integer), FMOV (general). */
int h_fp_cvt_int(CPUState *c, uint32_t insn)
{
    bool sf = FIELD(h_fp_cvt_int, z, insn);
    unsigned ftype = FIELD(h_fp_cvt_int, t, insn), rmode = FIELD(h_fp_cvt_int, r, insn);
    unsigned opcode = FIELD(h_fp_cvt_int, o, insn);
    unsigned rn = FIELD(h_fp_cvt_int, n, insn), rd = FIELD(h_fp_cvt_int, d, insn);
    unsigned M = sf ? 64 : 32;

    if ((opcode & 6) == 6) {
        /* FMOV (general): 32-bit <-> single, 64-bit <-> double, and
         * 64-bit <-> the top half of a 128-bit register (ftype 10, rmode 01). */
        bool to_fp = opcode & 1;
        if (rmode == 0 && ((!sf && ftype == 0) || (sf && ftype == 1))) {
            fp_check_access(c);
            if (to_fp)
                vreg_set_scalar(c, rd, M / 8, c->x[rn]);
            else
                set_x(c, rd, sf ? c->v[rn][0] : (uint32_t)c->v[rn][0]);
            return EXEC_NEXT;
        }
        if (rmode == 1 && sf && ftype == 2) {
            fp_check_access(c);
            if (to_fp)
                c->v[rd][1] = c->x[rn];     /* Vd.D[1] = Xn; the low half is kept */
            else
                set_x(c, rd, c->v[rn][1]);
            return EXEC_NEXT;
        }
        cpu_undefined(c);
    }
    unsigned N = fp_ftype_size(c, ftype);
    FPRounding rnd;
    bool is_unsigned = opcode & 1;
    switch (opcode) {
    case 0: case 1:             /* FCVTN*, FCVTP*, FCVTM*, FCVTZ* by rmode */
        rnd = (FPRounding)rmode;   /* FPDecodeRounding(rmode) */
        break;
    case 4: case 5:             /* FCVTAS, FCVTAU */
        if (rmode != 0)
            cpu_undefined(c);
        rnd = FPRounding_TIEAWAY;
        break;
    case 2: case 3: {           /* SCVTF, UCVTF */
        if (rmode != 0)
            cpu_undefined(c);
        fp_check_access(c);
        uint64_t r = fp_fixed_to_fp(N, c->x[rn], M, 0, is_unsigned, fp_rounding_mode(c->fpcr),
                                    c->fpcr, &c->fpsr);
        vreg_set_scalar(c, rd, N / 8, r);
        return EXEC_NEXT;
    }
    default:
        cpu_undefined(c);
    }
    fp_check_access(c);
    uint64_t op = N == 64 ? c->v[rn][0] : c->v[rn][0] & fp_ones(N);
    set_x(c, rd, fp_to_fixed(N, op, 0, is_unsigned, rnd, M, c->fpcr, &c->fpsr));
    return EXEC_NEXT;
}

/* FCVTZS/FCVTZU/SCVTF/UCVTF (scalar, fixed-point). */
int h_fp_cvt_fixed(CPUState *c, uint32_t insn)
{
    bool sf = FIELD(h_fp_cvt_fixed, z, insn);
    unsigned ftype = FIELD(h_fp_cvt_fixed, t, insn), rmode = FIELD(h_fp_cvt_fixed, r, insn);
    unsigned opcode = FIELD(h_fp_cvt_fixed, o, insn), scale = FIELD(h_fp_cvt_fixed, s, insn);
    unsigned rn = FIELD(h_fp_cvt_fixed, n, insn), rd = FIELD(h_fp_cvt_fixed, d, insn);
    unsigned M = sf ? 64 : 32;
    if (!sf && scale < 32)
        cpu_undefined(c);
    unsigned fbits = 64 - scale;
    bool to_int;
    if (rmode == 3 && (opcode == 0 || opcode == 1))
        to_int = true;
    else if (rmode == 0 && (opcode == 2 || opcode == 3))
        to_int = false;
    else
        cpu_undefined(c);
    unsigned N = fp_ftype_size(c, ftype);
    bool is_unsigned = opcode & 1;
    fp_check_access(c);
    if (to_int) {
        uint64_t op = N == 64 ? c->v[rn][0] : c->v[rn][0] & fp_ones(N);
        set_x(c, rd, fp_to_fixed(N, op, fbits, is_unsigned, FPRounding_ZERO, M, c->fpcr, &c->fpsr));
    } else {
        uint64_t r = fp_fixed_to_fp(N, c->x[rn], M, fbits, is_unsigned, fp_rounding_mode(c->fpcr),
                                    c->fpcr, &c->fpsr);
        vreg_set_scalar(c, rd, N / 8, r);
    }
    return EXEC_NEXT;
}

/* FJCVTZS Wd, Dn (Arm ARM C7.2.95): PSTATE.NZCV = '0':Z:'00'. */
int h_fjcvtzs(CPUState *c, uint32_t insn)
{
    if (!has_feat(c, FEAT_JSCVT))
        cpu_undefined(c);
    unsigned rn = FIELD(h_fjcvtzs, n, insn), rd = FIELD(h_fjcvtzs, d, insn);
    fp_check_access(c);
    bool z;
    uint32_t r = fp_to_fixed_js(c->v[rn][0], c->fpcr, &c->fpsr, &z);
    set_w(c, rd, r);
    c->nzcv = z ? NZCV_Z : 0;
    return EXEC_NEXT;
}

/* AdvSIMD SCVTF/UCVTF/FCVTZS/FCVTZU (vector and scalar, fixed-point):
 * immh:immb gives esize (immh<3> = 1: 64, immh<3:2> = 01: 32) and
 * fbits = 2 * esize - UInt(immh:immb). */
static inline __attribute__((always_inline)) int fcvt_fixed(CPUState *c, bool scalar, bool q, bool u,
                                                        bool to_int, uint32_t insn, unsigned immb,
                                                        unsigned rn, unsigned rd)
{
    /* immh (bits 22:19) by position: the rows fix its top bits (1xxx,
     * 01xx, 001x: immh != 0000 keeps them off the modified-immediate
     * space), so no row letter spans it. */
    unsigned immh = bits32(insn, 22, 19), immhb = immh << 3 | immb;
    unsigned N;
    q = q || scalar;
    if (immh & 8)
        N = 64;
    else if (immh & 4)
        N = 32;
    else
        cpu_undefined(c);   /* 001x: half precision needs FEAT_FP16 */
    if (N == 64 && !q)
        cpu_undefined(c);
    unsigned fbits = 2 * N - immhb;
    fp_check_access(c);
    unsigned elems = scalar ? 1 : (q ? 128 : 64) / N;
    uint64_t src[2] = { c->v[rn][0], c->v[rn][1] }, res[2] = { 0, 0 };
    for (unsigned e = 0; e < elems; e++) {
        uint64_t x = lane_get(src, e, N), r;
        if (to_int)
            r = fp_to_fixed(N, x, fbits, u, FPRounding_ZERO, N, c->fpcr, &c->fpsr);
        else
            r = fp_fixed_to_fp(N, x, N, fbits, u, fp_rounding_mode(c->fpcr), c->fpcr, &c->fpsr);
        lane_set(res, e, N, r);
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

/* One handler per row (fp.c): SCVTF, UCVTF, FCVTZS, FCVTZU (fixed-point),
 * vector and scalar. */
#define FCVT_FIX_V(NAME, U, TO_INT)                                                   \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fcvt_fixed(c, false, FIELD(NAME, Q, insn), U, TO_INT, insn, FIELD(NAME, b, insn), \
                          FIELD(NAME, n, insn), FIELD(NAME, d, insn));                \
    }
#define FCVT_FIX_S(NAME, U, TO_INT)                                                   \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fcvt_fixed(c, true, true, U, TO_INT, insn, FIELD(NAME, b, insn),       \
                          FIELD(NAME, n, insn), FIELD(NAME, d, insn));                \
    }
FCVT_FIX_V(h_simd_scvtf_fix_v, false, false)
FCVT_FIX_V(h_simd_ucvtf_fix_v, true, false)
FCVT_FIX_V(h_simd_fcvtzs_fix_v, false, true)
FCVT_FIX_V(h_simd_fcvtzu_fix_v, true, true)
FCVT_FIX_S(h_simd_scvtf_fix_s, false, false)
FCVT_FIX_S(h_simd_ucvtf_fix_s, true, false)
FCVT_FIX_S(h_simd_fcvtzs_fix_s, false, true)
FCVT_FIX_S(h_simd_fcvtzu_fix_s, true, true)
