/*
 * AdvSIMD floating point (Arm ARM C4.1.95 "Data Processing -- Scalar
 * Floating-Point and Advanced SIMD"): three same, two-register misc, across
 * lanes, scalar pairwise, by element, modified immediate (FMOV), and the
 * FEAT_FCMA complex instructions FCMLA/FCADD. Half-precision arithmetic
 * (FEAT_FP16) is not implemented, so its encodings are UNDEFINED; half
 * precision appears only in FCVTN/FCVTL.
 *
 * Each handler builds the result in a local 128-bit value and writes it at
 * the end, so a destination that is also a source reads the old value.
 */
#include "cpu/decode_fields.h"
#include "cpu/fp_insn.h"

typedef uint64_t (*FPBinOp)(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);

/* ---- Element operations that are not plain fpcore calls ----------------- */

static uint64_t op_cmeq(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_compare_eq(N, a, b, fpcr, fpsr) ? fp_ones(N) : 0;
}
static uint64_t op_cmge(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_compare_ge(N, a, b, fpcr, fpsr) ? fp_ones(N) : 0;
}
static uint64_t op_cmgt(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_compare_gt(N, a, b, fpcr, fpsr) ? fp_ones(N) : 0;
}
static uint64_t op_acge(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return op_cmge(N, fp_abs(N, a), fp_abs(N, b), fpcr, fpsr);
}
static uint64_t op_acgt(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return op_cmgt(N, fp_abs(N, a), fp_abs(N, b), fpcr, fpsr);
}
static uint64_t op_abd(unsigned N, uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_abs(N, fp_sub(N, a, b, fpcr, fpsr));
}

static inline void read_v(const CPUState *c, unsigned n, uint64_t *v)
{
    v[0] = c->v[n][0];
    v[1] = c->v[n][1];
}

/* ---- Three same ---------------------------------------------------------------- */

/*
 * AdvSIMD (scalar) three same, floating-point opcodes 11xxx: one handler
 * per row of the decode table (fp.c), h_simd_<op>_v for the vector and
 * h_simd_<op>_s for the scalar form, each naming its operation; only the
 * operations with a scalar form have a scalar row. size<0> selects
 * single/double.
 */
enum { FP3_PLAIN, FP3_PAIRWISE, FP3_FMLA, FP3_FMLS };

static inline int fp_3same(CPUState *c, bool scalar, bool q, unsigned sz, unsigned rm,
                           unsigned rn, unsigned rd, FPBinOp fn, int kind)
{
    if (!scalar && sz && !q)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    unsigned elems = scalar ? 1 : (q ? 128 : 64) / N;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    read_v(c, rm, vm);
    uint32_t fpcr = c->fpcr;
    if (kind == FP3_FMLA || kind == FP3_FMLS) {
        read_v(c, rd, vd);
        for (unsigned e = 0; e < elems; e++) {
            uint64_t x = lane_get(vn, e, N);
            if (kind == FP3_FMLS)
                x = fp_neg(N, x);                 /* FMLS: FPNeg(element1) */
            lane_set(res, e, N, fp_muladd(N, lane_get(vd, e, N), x, lane_get(vm, e, N), fpcr,
                                          &c->fpsr));
        }
    } else if (kind == FP3_PAIRWISE) {
        /* concat = Vm:Vn; result[e] = op(concat[2e], concat[2e+1]) */
        for (unsigned e = 0; e < elems; e++) {
            unsigned i = 2 * e;
            const uint64_t *src = i < elems ? vn : vm;
            unsigned j = i < elems ? i : i - elems;
            lane_set(res, e, N, fn(N, lane_get(src, j, N), lane_get(src, j + 1, N), fpcr, &c->fpsr));
        }
    } else {
        for (unsigned e = 0; e < elems; e++)
            lane_set(res, e, N, fn(N, lane_get(vn, e, N), lane_get(vm, e, N), fpcr, &c->fpsr));
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

/* Rows "0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd" (vector) and "01 U 11110 a sz
 * 1 Rm opcode 1 Rn Rd" (scalar). */
#define FP3_V(NAME, FN, KIND)                                                    \
    int NAME(CPUState *c, uint32_t insn)                                         \
    {                                                                            \
        return fp_3same(c, false, FIELD(NAME, Q, insn), FIELD(NAME, s, insn),    \
                        FIELD(NAME, m, insn), FIELD(NAME, n, insn),              \
                        FIELD(NAME, d, insn), FN, KIND);                         \
    }
#define FP3_S(NAME, FN)                                                          \
    int NAME(CPUState *c, uint32_t insn)                                         \
    {                                                                            \
        return fp_3same(c, true, false, FIELD(NAME, s, insn), FIELD(NAME, m, insn), \
                        FIELD(NAME, n, insn), FIELD(NAME, d, insn), FN, FP3_PLAIN); \
    }

FP3_V(h_simd_fmaxnm_v, fp_maxnum, FP3_PLAIN)
FP3_V(h_simd_fmla_v, NULL, FP3_FMLA)
FP3_V(h_simd_fadd_v, fp_add, FP3_PLAIN)
FP3_V(h_simd_fmulx_v, fp_mulx, FP3_PLAIN)
FP3_V(h_simd_fcmeq_v, op_cmeq, FP3_PLAIN)
FP3_V(h_simd_fmax_v, fp_max, FP3_PLAIN)
FP3_V(h_simd_frecps_v, fp_recip_step_fused, FP3_PLAIN)
FP3_V(h_simd_fminnm_v, fp_minnum, FP3_PLAIN)
FP3_V(h_simd_fmls_v, NULL, FP3_FMLS)
FP3_V(h_simd_fsub_v, fp_sub, FP3_PLAIN)
FP3_V(h_simd_fmin_v, fp_min, FP3_PLAIN)
FP3_V(h_simd_frsqrts_v, fp_rsqrt_step_fused, FP3_PLAIN)
FP3_V(h_simd_fmaxnmp_v, fp_maxnum, FP3_PAIRWISE)
FP3_V(h_simd_faddp_v, fp_add, FP3_PAIRWISE)
FP3_V(h_simd_fmul_v, fp_mul, FP3_PLAIN)
FP3_V(h_simd_fcmge_v, op_cmge, FP3_PLAIN)
FP3_V(h_simd_facge_v, op_acge, FP3_PLAIN)
FP3_V(h_simd_fmaxp_v, fp_max, FP3_PAIRWISE)
FP3_V(h_simd_fdiv_v, fp_div, FP3_PLAIN)
FP3_V(h_simd_fminnmp_v, fp_minnum, FP3_PAIRWISE)
FP3_V(h_simd_fabd_v, op_abd, FP3_PLAIN)
FP3_V(h_simd_fcmgt_v, op_cmgt, FP3_PLAIN)
FP3_V(h_simd_facgt_v, op_acgt, FP3_PLAIN)
FP3_V(h_simd_fminp_v, fp_min, FP3_PAIRWISE)

FP3_S(h_simd_fmulx_s, fp_mulx)
FP3_S(h_simd_fcmeq_s, op_cmeq)
FP3_S(h_simd_frecps_s, fp_recip_step_fused)
FP3_S(h_simd_frsqrts_s, fp_rsqrt_step_fused)
FP3_S(h_simd_fcmge_s, op_cmge)
FP3_S(h_simd_facge_s, op_acge)
FP3_S(h_simd_fabd_s, op_abd)
FP3_S(h_simd_fcmgt_s, op_cmgt)
FP3_S(h_simd_facgt_s, op_acgt)

/* ---- Two-register misc ---------------------------------------------------------- */

/* FCVTN/FCVTN2 and FCVTXN/FCVTXN2 (vector): narrow into the lower or (Q=1)
 * upper half of Vd; FCVTL/FCVTL2: widen the lower or (Q=1) upper half. */
static int fcvt_narrow_widen(CPUState *c, uint32_t insn, bool widen, bool odd)
{
    bool q = bit32(insn, 30), sz = bit32(insn, 22);
    unsigned rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    if (odd && !sz)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned small = sz ? 32 : 16, big = 2 * small, elems = 64 / small;
    uint32_t fpcr = c->fpcr;
    FPRounding rnd = odd ? FPRounding_ODD : fp_rounding_mode(fpcr);
    uint64_t vn[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    if (widen) {
        uint64_t part = vn[q];
        for (unsigned e = 0; e < elems; e++)
            lane_set(res, e, big, fp_convert(big, small, lane_get(&part, e, small), rnd, fpcr,
                                             &c->fpsr));
        vreg_set(c, rd, res[0], res[1], true);
    } else {
        uint64_t out = 0;
        for (unsigned e = 0; e < elems; e++)
            lane_set(&out, e, small, fp_convert(small, big, lane_get(vn, e, big), rnd, fpcr,
                                                &c->fpsr));
        if (q)
            c->v[rd][1] = out;                    /* FCVTN2: the lower half is kept */
        else
            vreg_set(c, rd, out, 0, false);
    }
    return EXEC_NEXT;
}

/*
 * AdvSIMD (scalar) two-register misc, floating-point opcodes. The key is
 * U:a:opcode (a = size<1>).
 */
int h_simd_fp_2misc(CPUState *c, uint32_t insn)
{
    bool scalar = bit32(insn, 28), q = FIELD(h_simd_fp_2misc, Q, insn);
    unsigned U = bit32(insn, 29), a = bit32(insn, 23), sz = FIELD(h_simd_fp_2misc, s, insn);
    unsigned opcode = bits32(insn, 16, 12);
    unsigned rn = FIELD(h_simd_fp_2misc, n, insn), rd = FIELD(h_simd_fp_2misc, d, insn);
    unsigned key = (U << 6) | (a << 5) | opcode;
    enum { K_CVT, K_FCVTZ, K_RINT, K_XCVTF, K_CMZ, K_UNARY, K_URECPE, K_URSQRTE } kind;
    FPRounding rnd = FPRounding_TIEEVEN;
    bool exact = false, is_unsigned = U, use_fpcr_rnd = false, scalar_ok = false, vector_ok = true;
    unsigned cmz = 0;   /* 0 GT, 1 EQ, 2 LT, 3 GE, 4 LE */
    uint64_t (*unary)(unsigned, uint64_t, uint32_t, uint32_t *) = NULL;
    switch (key) {
    case 0x16: /* FCVTN, FCVTN2 */
        if (scalar)
            cpu_undefined(c);
        return fcvt_narrow_widen(c, insn, false, false);
    case 0x17: /* FCVTL, FCVTL2 */
        if (scalar)
            cpu_undefined(c);
        return fcvt_narrow_widen(c, insn, true, false);
    case 0x56: /* FCVTXN, FCVTXN2 */
        if (!scalar)
            return fcvt_narrow_widen(c, insn, false, true);
        if (!sz)
            cpu_undefined(c);
        fp_check_access(c);
        vreg_set_scalar(c, rd, 4, fp_convert(32, 64, c->v[rn][0], FPRounding_ODD, c->fpcr,
                                             &c->fpsr));
        return EXEC_NEXT;
    case 0x18: kind = K_RINT; rnd = FPRounding_TIEEVEN; break;            /* FRINTN */
    case 0x19: kind = K_RINT; rnd = FPRounding_NEGINF; break;             /* FRINTM */
    case 0x38: kind = K_RINT; rnd = FPRounding_POSINF; break;             /* FRINTP */
    case 0x39: kind = K_RINT; rnd = FPRounding_ZERO; break;               /* FRINTZ */
    case 0x58: kind = K_RINT; rnd = FPRounding_TIEAWAY; break;            /* FRINTA */
    case 0x59: kind = K_RINT; use_fpcr_rnd = true; exact = true; break;   /* FRINTX */
    case 0x79: kind = K_RINT; use_fpcr_rnd = true; break;                 /* FRINTI */
    case 0x1a: case 0x5a: kind = K_CVT; rnd = FPRounding_TIEEVEN; scalar_ok = true; break; /* FCVTN[SU] */
    case 0x1b: case 0x5b: kind = K_CVT; rnd = FPRounding_NEGINF; scalar_ok = true; break;  /* FCVTM[SU] */
    case 0x1c: case 0x5c: kind = K_CVT; rnd = FPRounding_TIEAWAY; scalar_ok = true; break; /* FCVTA[SU] */
    case 0x3a: case 0x7a: kind = K_CVT; rnd = FPRounding_POSINF; scalar_ok = true; break;  /* FCVTP[SU] */
    case 0x3b: case 0x7b: kind = K_CVT; rnd = FPRounding_ZERO; scalar_ok = true; break;    /* FCVTZ[SU] */
    case 0x1d: case 0x5d: kind = K_XCVTF; scalar_ok = true; break;        /* SCVTF, UCVTF */
    case 0x2c: kind = K_CMZ; cmz = 0; scalar_ok = true; break;            /* FCMGT #0 */
    case 0x2d: kind = K_CMZ; cmz = 1; scalar_ok = true; break;            /* FCMEQ #0 */
    case 0x2e: kind = K_CMZ; cmz = 2; scalar_ok = true; break;            /* FCMLT #0 */
    case 0x6c: kind = K_CMZ; cmz = 3; scalar_ok = true; break;            /* FCMGE #0 */
    case 0x6d: kind = K_CMZ; cmz = 4; scalar_ok = true; break;            /* FCMLE #0 */
    case 0x2f: kind = K_UNARY; break;                                     /* FABS */
    case 0x6f: kind = K_UNARY; break;                                     /* FNEG */
    case 0x7f: kind = K_UNARY; unary = fp_sqrt; break;                    /* FSQRT */
    case 0x3d: kind = K_UNARY; unary = fp_recip_estimate; scalar_ok = true; break;  /* FRECPE */
    case 0x7d: kind = K_UNARY; unary = fp_rsqrt_estimate; scalar_ok = true; break;  /* FRSQRTE */
    case 0x3f: kind = K_UNARY; unary = fp_recpx; scalar_ok = true; vector_ok = false; break; /* FRECPX */
    case 0x3c: kind = K_URECPE; break;                                    /* URECPE */
    case 0x7c: kind = K_URSQRTE; break;                                   /* URSQRTE */
    default: cpu_undefined(c);
    }
    if (scalar ? !scalar_ok : (!vector_ok || (sz && !q)))
        cpu_undefined(c);
    if ((kind == K_URECPE || kind == K_URSQRTE) && sz)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    unsigned elems = scalar ? 1 : (q ? 128 : 64) / N;
    uint32_t fpcr = c->fpcr;
    if (use_fpcr_rnd)
        rnd = fp_rounding_mode(fpcr);
    uint64_t vn[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    for (unsigned e = 0; e < elems; e++) {
        uint64_t x = lane_get(vn, e, N), r;
        switch (kind) {
        case K_CVT: r = fp_to_fixed(N, x, 0, is_unsigned, rnd, N, fpcr, &c->fpsr); break;
        case K_XCVTF:
            r = fp_fixed_to_fp(N, x, N, 0, is_unsigned, fp_rounding_mode(fpcr), fpcr, &c->fpsr);
            break;
        case K_RINT: r = fp_round_int(N, x, rnd, exact, fpcr, &c->fpsr); break;
        case K_CMZ: {
            bool t;
            switch (cmz) {
            case 0: t = fp_compare_gt(N, x, 0, fpcr, &c->fpsr); break;
            case 1: t = fp_compare_eq(N, x, 0, fpcr, &c->fpsr); break;
            case 2: t = fp_compare_gt(N, 0, x, fpcr, &c->fpsr); break;
            case 3: t = fp_compare_ge(N, x, 0, fpcr, &c->fpsr); break;
            default: t = fp_compare_ge(N, 0, x, fpcr, &c->fpsr); break;
            }
            r = t ? fp_ones(N) : 0;
            break;
        }
        case K_URECPE: r = fp_unsigned_recip_estimate((uint32_t)x); break;
        case K_URSQRTE: r = fp_unsigned_rsqrt_estimate((uint32_t)x); break;
        default:
            if (unary)
                r = unary(N, x, fpcr, &c->fpsr);
            else
                r = key == 0x2f ? fp_abs(N, x) : fp_neg(N, x);
            break;
        }
        lane_set(res, e, N, r);
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

/* ---- Across lanes and scalar pairwise -------------------------------------------- */

static FPBinOp maxmin_op(unsigned a, bool nm)
{
    if (nm)
        return a ? fp_minnum : fp_maxnum;
    return a ? fp_min : fp_max;
}

/* FMAXNMV, FMINNMV, FMAXV, FMINV (single precision, 4S only without FP16):
 * Reduce() pairs neighbours recursively: op(op(e0,e1), op(e2,e3)). */
int h_simd_fp_across(CPUState *c, uint32_t insn)
{
    bool q = FIELD(h_simd_fp_across, Q, insn);
    unsigned a = bit32(insn, 23);
    unsigned sz = FIELD(h_simd_fp_across, s, insn);
    unsigned opcode = bits32(insn, 16, 12);
    unsigned rn = FIELD(h_simd_fp_across, n, insn), rd = FIELD(h_simd_fp_across, d, insn);
    if (!q || sz)
        cpu_undefined(c);
    fp_check_access(c);
    FPBinOp fn = maxmin_op(a, opcode == 0x0c);
    uint64_t vn[2];
    read_v(c, rn, vn);
    uint32_t fpcr = c->fpcr;
    uint64_t lo = fn(32, lane_get(vn, 0, 32), lane_get(vn, 1, 32), fpcr, &c->fpsr);
    uint64_t hi = fn(32, lane_get(vn, 2, 32), lane_get(vn, 3, 32), fpcr, &c->fpsr);
    vreg_set_scalar(c, rd, 4, fn(32, lo, hi, fpcr, &c->fpsr));
    return EXEC_NEXT;
}

/* Scalar pairwise FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (U=1 forms; the
 * U=0 forms are half precision). */
int h_simd_fp_pairwise(CPUState *c, uint32_t insn)
{
    unsigned a = bit32(insn, 23);
    unsigned sz = FIELD(h_simd_fp_pairwise, s, insn);
    unsigned opcode = bits32(insn, 16, 12);
    unsigned rn = FIELD(h_simd_fp_pairwise, n, insn), rd = FIELD(h_simd_fp_pairwise, d, insn);
    FPBinOp fn;
    if (opcode == 0x0d && !a)
        fn = fp_add;
    else if (opcode == 0x0c || opcode == 0x0f)
        fn = maxmin_op(a, opcode == 0x0c);
    else
        cpu_undefined(c);
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    uint64_t vn[2];
    read_v(c, rn, vn);
    uint64_t r = fn(N, lane_get(vn, 0, N), lane_get(vn, 1, N), c->fpcr, &c->fpsr);
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

/* ---- By element ---------------------------------------------------------------- */

/* FMLA, FMLS, FMUL, FMULX (by element; vector and scalar), single and double. */
int h_simd_fp_elem(CPUState *c, uint32_t insn)
{
    bool scalar = bit32(insn, 28), q = FIELD(h_simd_fp_elem, Q, insn);
    unsigned U = bit32(insn, 29);
    unsigned sz = FIELD(h_simd_fp_elem, s, insn), L = FIELD(h_simd_fp_elem, L, insn);
    unsigned H = FIELD(h_simd_fp_elem, H, insn);
    unsigned rm = bits32(insn, 20, 16), opcode = bits32(insn, 15, 12);
    unsigned rn = FIELD(h_simd_fp_elem, n, insn), rd = FIELD(h_simd_fp_elem, d, insn);
    if (U && opcode != 9)
        cpu_undefined(c);
    unsigned index;
    if (sz) {
        if (L || (!scalar && !q))
            cpu_undefined(c);
        index = H;
    } else {
        index = (H << 1) | L;
    }
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    unsigned elems = scalar ? 1 : (q ? 128 : 64) / N;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    read_v(c, rm, vm);
    read_v(c, rd, vd);
    uint64_t m = lane_get(vm, index, N);
    uint32_t fpcr = c->fpcr;
    for (unsigned e = 0; e < elems; e++) {
        uint64_t x = lane_get(vn, e, N), r;
        switch (opcode) {
        case 1: r = fp_muladd(N, lane_get(vd, e, N), x, m, fpcr, &c->fpsr); break;      /* FMLA */
        case 5: r = fp_muladd(N, lane_get(vd, e, N), fp_neg(N, x), m, fpcr, &c->fpsr); break; /* FMLS */
        default:
            r = U ? fp_mulx(N, x, m, fpcr, &c->fpsr) : fp_mul(N, x, m, fpcr, &c->fpsr);
            break;
        }
        lane_set(res, e, N, r);
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

/* ---- Modified immediate ------------------------------------------------------------ */

/* FMOV (vector, immediate): op=0 single (2S/4S), op=1 double (2D, Q=1). */
int h_simd_fmov_imm(CPUState *c, uint32_t insn)
{
    bool q = FIELD(h_simd_fmov_imm, Q, insn), op = bit32(insn, 29);
    unsigned rd = FIELD(h_simd_fmov_imm, d, insn);
    uint8_t imm8 = (uint8_t)FIELD(h_simd_fmov_imm, i, insn);   /* a:b:c:d:e:f:g:h */
    if (op && !q)
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t v;
    if (op) {
        v = fp_expand_imm(64, imm8);
    } else {
        uint64_t s = fp_expand_imm(32, imm8);
        v = s | (s << 32);
    }
    vreg_set(c, rd, v, v, q);
    return EXEC_NEXT;
}

/* ---- FEAT_FCMA ---------------------------------------------------------------------- */

/* The FCMLA element choice for rotation rot (Arm ARM C7.2.71 FCMLA): for the
 * pair (re, im) of Vn and (mre, mim) of Vm, the real and imaginary results
 * are d.re + n2 * m1 and d.im + n4 * m3. */
static void fcmla_pair(unsigned N, unsigned rot, uint64_t nre, uint64_t nim, uint64_t mre,
                       uint64_t mim, uint64_t dre, uint64_t dim, uint32_t fpcr, uint32_t *fpsr,
                       uint64_t *rre, uint64_t *rim)
{
    uint64_t e1, e2, e3, e4;
    switch (rot) {
    case 0: e1 = mre; e2 = nre; e3 = mim; e4 = nre; break;
    case 1: e1 = fp_neg(N, mim); e2 = nim; e3 = mre; e4 = nim; break;
    case 2: e1 = fp_neg(N, mre); e2 = nre; e3 = fp_neg(N, mim); e4 = nre; break;
    default: e1 = mim; e2 = nim; e3 = fp_neg(N, mre); e4 = nim; break;
    }
    *rre = fp_muladd(N, dre, e2, e1, fpcr, fpsr);
    *rim = fp_muladd(N, dim, e4, e3, fpcr, fpsr);
}

/* The FCMLA/FCADD size field: 10 single, 11 double (Q=1); 01 half needs FEAT_FP16. */
static unsigned fcma_size(CPUState *c, uint32_t insn, bool q)
{
    if (!has_feat(c, FEAT_FCMA))
        cpu_undefined(c);
    unsigned size = bits32(insn, 23, 22);
    if (size == 2)
        return 32;
    if (size == 3 && q)
        return 64;
    cpu_undefined(c);
}

int h_simd_fcmla(CPUState *c, uint32_t insn)
{
    bool q = FIELD(h_simd_fcmla, Q, insn);
    unsigned N = fcma_size(c, insn, q);
    unsigned rot = FIELD(h_simd_fcmla, r, insn), rm = FIELD(h_simd_fcmla, m, insn);
    unsigned rn = FIELD(h_simd_fcmla, n, insn), rd = FIELD(h_simd_fcmla, d, insn);
    fp_check_access(c);
    unsigned elems = (q ? 128 : 64) / N;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    read_v(c, rm, vm);
    read_v(c, rd, vd);
    for (unsigned e = 0; e < elems; e += 2) {
        uint64_t re, im;
        fcmla_pair(N, rot, lane_get(vn, e, N), lane_get(vn, e + 1, N), lane_get(vm, e, N),
                   lane_get(vm, e + 1, N), lane_get(vd, e, N), lane_get(vd, e + 1, N), c->fpcr,
                   &c->fpsr, &re, &im);
        lane_set(res, e, N, re);
        lane_set(res, e + 1, N, im);
    }
    vreg_set(c, rd, res[0], res[1], q);
    return EXEC_NEXT;
}

/* FCMLA (by element), single precision: index = H; L = 1 or Q = 0 is UNDEFINED. */
int h_simd_fcmla_elem(CPUState *c, uint32_t insn)
{
    if (!has_feat(c, FEAT_FCMA))
        cpu_undefined(c);
    bool q = FIELD(h_simd_fcmla_elem, Q, insn);
    unsigned size = FIELD(h_simd_fcmla_elem, s, insn), L = FIELD(h_simd_fcmla_elem, L, insn);
    unsigned H = FIELD(h_simd_fcmla_elem, H, insn);
    if (size != 2 || L || !q)
        cpu_undefined(c);   /* size 01 (half) needs FEAT_FP16 */
    unsigned rot = FIELD(h_simd_fcmla_elem, r, insn);
    unsigned rm = bits32(insn, 20, 16);
    unsigned rn = FIELD(h_simd_fcmla_elem, n, insn), rd = FIELD(h_simd_fcmla_elem, d, insn);
    fp_check_access(c);
    const unsigned N = 32, elems = 4;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    read_v(c, rm, vm);
    read_v(c, rd, vd);
    uint64_t mre = lane_get(vm, 2 * H, N), mim = lane_get(vm, 2 * H + 1, N);
    for (unsigned e = 0; e < elems; e += 2) {
        uint64_t re, im;
        fcmla_pair(N, rot, lane_get(vn, e, N), lane_get(vn, e + 1, N), mre, mim,
                   lane_get(vd, e, N), lane_get(vd, e + 1, N), c->fpcr, &c->fpsr, &re, &im);
        lane_set(res, e, N, re);
        lane_set(res, e + 1, N, im);
    }
    vreg_set(c, rd, res[0], res[1], q);
    return EXEC_NEXT;
}

/* FCADD: rot=0 adds i*Vm (90 degrees), rot=1 subtracts it (270 degrees). */
int h_simd_fcadd(CPUState *c, uint32_t insn)
{
    bool q = FIELD(h_simd_fcadd, Q, insn);
    unsigned N = fcma_size(c, insn, q);
    unsigned rot = FIELD(h_simd_fcadd, r, insn), rm = FIELD(h_simd_fcadd, m, insn);
    unsigned rn = FIELD(h_simd_fcadd, n, insn), rd = FIELD(h_simd_fcadd, d, insn);
    fp_check_access(c);
    unsigned elems = (q ? 128 : 64) / N;
    uint64_t vn[2], vm[2], res[2] = { 0, 0 };
    read_v(c, rn, vn);
    read_v(c, rm, vm);
    for (unsigned e = 0; e < elems; e += 2) {
        uint64_t mre = lane_get(vm, e, N), mim = lane_get(vm, e + 1, N);
        uint64_t e1 = rot ? mim : fp_neg(N, mim);
        uint64_t e3 = rot ? fp_neg(N, mre) : mre;
        lane_set(res, e, N, fp_add(N, lane_get(vn, e, N), e1, c->fpcr, &c->fpsr));
        lane_set(res, e + 1, N, fp_add(N, lane_get(vn, e + 1, N), e3, c->fpcr, &c->fpsr));
    }
    vreg_set(c, rd, res[0], res[1], q);
    return EXEC_NEXT;
}
