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
static int fcvt_narrow_widen(CPUState *c, bool q, bool sz, unsigned rn, unsigned rd, bool widen,
                             bool odd)
{
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

typedef uint64_t (*FPUnOp)(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr);

static uint64_t op_fabs(unsigned N, uint64_t x, uint32_t fpcr, uint32_t *fpsr)
{
    (void)fpcr, (void)fpsr;
    return fp_abs(N, x);
}
static uint64_t op_fneg(unsigned N, uint64_t x, uint32_t fpcr, uint32_t *fpsr)
{
    (void)fpcr, (void)fpsr;
    return fp_neg(N, x);
}

/*
 * AdvSIMD (scalar) two-register misc, floating-point opcodes: one handler
 * per row of the decode table (fp.c), h_simd_<row>, each naming its
 * operation (kind, rounding, signedness, compare or unary function) as
 * constants of one inline body. A row exists only for the forms the Arm ARM
 * allocates (FRECPX is scalar only, FRINT*, FABS, FNEG, FSQRT, URECPE and
 * URSQRTE vector only).
 */
enum { K_CVT, K_FCVTZ, K_RINT, K_XCVTF, K_CMZ, K_UNARY, K_URECPE, K_URSQRTE };
enum { F2_UNSIGNED = 1, F2_FPCR_RND = 2, F2_EXACT = 4 };

static inline __attribute__((always_inline)) int fp_2misc(CPUState *c, bool scalar, bool q, unsigned sz,
                                                      unsigned rn, unsigned rd, int kind,
                                                      FPRounding rnd, unsigned flags,
                                                      unsigned cmz, FPUnOp unary)
{
    bool exact = flags & F2_EXACT, is_unsigned = flags & F2_UNSIGNED;
    if (!scalar && sz && !q)
        cpu_undefined(c);
    if ((kind == K_URECPE || kind == K_URSQRTE) && sz)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    unsigned elems = scalar ? 1 : (q ? 128 : 64) / N;
    uint32_t fpcr = c->fpcr;
    if (flags & F2_FPCR_RND)
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
        default: r = unary(N, x, fpcr, &c->fpsr); break;
        }
        lane_set(res, e, N, r);
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

/* Rows "0 Q U 01110 a sz 10000 opcode 10 Rn Rd" (vector) and "01 U 11110 a
 * sz 10000 opcode 10 Rn Rd" (scalar). */
#define FP2_V(NAME, KIND, RND, FLAGS, CMZ, UNARY)                                      \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_2misc(c, false, FIELD(NAME, Q, insn), FIELD(NAME, s, insn),         \
                        FIELD(NAME, n, insn), FIELD(NAME, d, insn), KIND, RND, FLAGS, CMZ, \
                        UNARY);                                                       \
    }
#define FP2_S(NAME, KIND, RND, FLAGS, CMZ, UNARY)                                      \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_2misc(c, true, false, FIELD(NAME, s, insn), FIELD(NAME, n, insn),   \
                        FIELD(NAME, d, insn), KIND, RND, FLAGS, CMZ, UNARY);          \
    }
/* FCVTN/FCVTL/FCVTXN (vector): narrow or widen (vector forms only). */
#define FP2_NW(NAME, WIDEN, ODD)                                                      \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fcvt_narrow_widen(c, FIELD(NAME, Q, insn), FIELD(NAME, s, insn),       \
                                 FIELD(NAME, n, insn), FIELD(NAME, d, insn), WIDEN, ODD); \
    }

FP2_NW(h_simd_fcvtn_v, false, false)
FP2_NW(h_simd_fcvtl_v, true, false)
FP2_NW(h_simd_fcvtxn_v, false, true)
FP2_V(h_simd_frintn_v, K_RINT, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_V(h_simd_frintm_v, K_RINT, FPRounding_NEGINF, 0, 0, NULL)
FP2_V(h_simd_frintp_v, K_RINT, FPRounding_POSINF, 0, 0, NULL)
FP2_V(h_simd_frintz_v, K_RINT, FPRounding_ZERO, 0, 0, NULL)
FP2_V(h_simd_frinta_v, K_RINT, FPRounding_TIEAWAY, 0, 0, NULL)
FP2_V(h_simd_frintx_v, K_RINT, FPRounding_TIEEVEN, F2_FPCR_RND | F2_EXACT, 0, NULL)
FP2_V(h_simd_frinti_v, K_RINT, FPRounding_TIEEVEN, F2_FPCR_RND, 0, NULL)
FP2_V(h_simd_fcvtns_v, K_CVT, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_V(h_simd_fcvtnu_v, K_CVT, FPRounding_TIEEVEN, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_fcvtms_v, K_CVT, FPRounding_NEGINF, 0, 0, NULL)
FP2_V(h_simd_fcvtmu_v, K_CVT, FPRounding_NEGINF, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_fcvtas_v, K_CVT, FPRounding_TIEAWAY, 0, 0, NULL)
FP2_V(h_simd_fcvtau_v, K_CVT, FPRounding_TIEAWAY, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_fcvtps_v, K_CVT, FPRounding_POSINF, 0, 0, NULL)
FP2_V(h_simd_fcvtpu_v, K_CVT, FPRounding_POSINF, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_fcvtzs_v, K_CVT, FPRounding_ZERO, 0, 0, NULL)
FP2_V(h_simd_fcvtzu_v, K_CVT, FPRounding_ZERO, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_scvtf_v, K_XCVTF, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_V(h_simd_ucvtf_v, K_XCVTF, FPRounding_TIEEVEN, F2_UNSIGNED, 0, NULL)
FP2_V(h_simd_fcmgt_zero_v, K_CMZ, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_V(h_simd_fcmeq_zero_v, K_CMZ, FPRounding_TIEEVEN, 0, 1, NULL)
FP2_V(h_simd_fcmlt_zero_v, K_CMZ, FPRounding_TIEEVEN, 0, 2, NULL)
FP2_V(h_simd_fcmge_zero_v, K_CMZ, FPRounding_TIEEVEN, 0, 3, NULL)
FP2_V(h_simd_fcmle_zero_v, K_CMZ, FPRounding_TIEEVEN, 0, 4, NULL)
FP2_V(h_simd_frecpe_v, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_recip_estimate)
FP2_V(h_simd_frsqrte_v, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_rsqrt_estimate)
FP2_S(h_simd_fcvtns_s, K_CVT, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_S(h_simd_fcvtnu_s, K_CVT, FPRounding_TIEEVEN, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_fcvtms_s, K_CVT, FPRounding_NEGINF, 0, 0, NULL)
FP2_S(h_simd_fcvtmu_s, K_CVT, FPRounding_NEGINF, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_fcvtas_s, K_CVT, FPRounding_TIEAWAY, 0, 0, NULL)
FP2_S(h_simd_fcvtau_s, K_CVT, FPRounding_TIEAWAY, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_fcvtps_s, K_CVT, FPRounding_POSINF, 0, 0, NULL)
FP2_S(h_simd_fcvtpu_s, K_CVT, FPRounding_POSINF, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_fcvtzs_s, K_CVT, FPRounding_ZERO, 0, 0, NULL)
FP2_S(h_simd_fcvtzu_s, K_CVT, FPRounding_ZERO, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_scvtf_s, K_XCVTF, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_S(h_simd_ucvtf_s, K_XCVTF, FPRounding_TIEEVEN, F2_UNSIGNED, 0, NULL)
FP2_S(h_simd_fcmgt_zero_s, K_CMZ, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_S(h_simd_fcmeq_zero_s, K_CMZ, FPRounding_TIEEVEN, 0, 1, NULL)
FP2_S(h_simd_fcmlt_zero_s, K_CMZ, FPRounding_TIEEVEN, 0, 2, NULL)
FP2_S(h_simd_fcmge_zero_s, K_CMZ, FPRounding_TIEEVEN, 0, 3, NULL)
FP2_S(h_simd_fcmle_zero_s, K_CMZ, FPRounding_TIEEVEN, 0, 4, NULL)
FP2_S(h_simd_frecpe_s, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_recip_estimate)
FP2_S(h_simd_frsqrte_s, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_rsqrt_estimate)
FP2_V(h_simd_fabs_v, K_UNARY, FPRounding_TIEEVEN, 0, 0, op_fabs)
FP2_V(h_simd_fneg_v, K_UNARY, FPRounding_TIEEVEN, 0, 0, op_fneg)
FP2_V(h_simd_fsqrt_v, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_sqrt)
FP2_S(h_simd_frecpx_s, K_UNARY, FPRounding_TIEEVEN, 0, 0, fp_recpx)
FP2_V(h_simd_urecpe_v, K_URECPE, FPRounding_TIEEVEN, 0, 0, NULL)
FP2_V(h_simd_ursqrte_v, K_URSQRTE, FPRounding_TIEEVEN, 0, 0, NULL)

/* FCVTXN (scalar): double to single, rounding to odd. */
int h_simd_fcvtxn_s(CPUState *c, uint32_t insn)
{
    unsigned rn = FIELD(h_simd_fcvtxn_s, n, insn), rd = FIELD(h_simd_fcvtxn_s, d, insn);
    if (!FIELD(h_simd_fcvtxn_s, s, insn))
        cpu_undefined(c);
    fp_check_access(c);
    vreg_set_scalar(c, rd, 4, fp_convert(32, 64, c->v[rn][0], FPRounding_ODD, c->fpcr, &c->fpsr));
    return EXEC_NEXT;
}

/* ---- Across lanes and scalar pairwise -------------------------------------------- */

/* FMAXNMV, FMINNMV, FMAXV, FMINV (single precision, 4S only without FP16):
 * Reduce() pairs neighbours recursively: op(op(e0,e1), op(e2,e3)). */
static inline int fp_across(CPUState *c, bool q, unsigned sz, unsigned rn, unsigned rd, FPBinOp fn)
{
    if (!q || sz)
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t vn[2];
    read_v(c, rn, vn);
    uint32_t fpcr = c->fpcr;
    uint64_t lo = fn(32, lane_get(vn, 0, 32), lane_get(vn, 1, 32), fpcr, &c->fpsr);
    uint64_t hi = fn(32, lane_get(vn, 2, 32), lane_get(vn, 3, 32), fpcr, &c->fpsr);
    vreg_set_scalar(c, rd, 4, fn(32, lo, hi, fpcr, &c->fpsr));
    return EXEC_NEXT;
}

/* One handler per row (fp.c), naming its operation. */
#define FP_ACROSS(NAME, FN)                                                           \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_across(c, FIELD(NAME, Q, insn), FIELD(NAME, s, insn), FIELD(NAME, n, insn), \
                         FIELD(NAME, d, insn), FN);                                   \
    }
FP_ACROSS(h_simd_fmaxnmv, fp_maxnum)
FP_ACROSS(h_simd_fminnmv, fp_minnum)
FP_ACROSS(h_simd_fmaxv, fp_max)
FP_ACROSS(h_simd_fminv, fp_min)

/* Scalar pairwise FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (U=1 forms; the
 * U=0 forms are half precision): one handler per row, naming its operation. */
static inline int fp_pairwise(CPUState *c, unsigned sz, unsigned rn, unsigned rd, FPBinOp fn)
{
    fp_check_access(c);
    unsigned N = sz ? 64 : 32;
    uint64_t vn[2];
    read_v(c, rn, vn);
    uint64_t r = fn(N, lane_get(vn, 0, N), lane_get(vn, 1, N), c->fpcr, &c->fpsr);
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

#define FP_PAIRWISE(NAME, FN)                                                         \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_pairwise(c, FIELD(NAME, s, insn), FIELD(NAME, n, insn), FIELD(NAME, d, insn), FN); \
    }
FP_PAIRWISE(h_simd_faddp_s, fp_add)
FP_PAIRWISE(h_simd_fmaxnmp_s, fp_maxnum)
FP_PAIRWISE(h_simd_fminnmp_s, fp_minnum)
FP_PAIRWISE(h_simd_fmaxp_s, fp_max)
FP_PAIRWISE(h_simd_fminp_s, fp_min)

/* ---- By element ---------------------------------------------------------------- */

/* FMLA, FMLS, FMUL, FMULX (by element; vector and scalar), single and
 * double: one handler per row (fp.c), naming its operation. Rm is M:Rm
 * (the rows' M and m), the index H:L (single) or H (double). */
enum { FE_FMLA, FE_FMLS, FE_FMUL, FE_FMULX };

static inline __attribute__((always_inline)) int fp_elem(CPUState *c, bool scalar, bool q, unsigned sz,
                                                     unsigned L, unsigned H, unsigned rm,
                                                     unsigned rn, unsigned rd, int op)
{
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
        switch (op) {
        case FE_FMLA: r = fp_muladd(N, lane_get(vd, e, N), x, m, fpcr, &c->fpsr); break;
        case FE_FMLS: r = fp_muladd(N, lane_get(vd, e, N), fp_neg(N, x), m, fpcr, &c->fpsr); break;
        case FE_FMULX: r = fp_mulx(N, x, m, fpcr, &c->fpsr); break;
        default: r = fp_mul(N, x, m, fpcr, &c->fpsr); break;
        }
        lane_set(res, e, N, r);
    }
    vreg_set(c, rd, res[0], res[1], q && !scalar);
    return EXEC_NEXT;
}

#define FP_ELEM_V(NAME, OP)                                                           \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_elem(c, false, FIELD(NAME, Q, insn), FIELD(NAME, s, insn), FIELD(NAME, L, insn), \
                       FIELD(NAME, H, insn), FIELD(NAME, M, insn) << 4 | FIELD(NAME, m, insn), \
                       FIELD(NAME, n, insn), FIELD(NAME, d, insn), OP);               \
    }
#define FP_ELEM_S(NAME, OP)                                                           \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return fp_elem(c, true, false, FIELD(NAME, s, insn), FIELD(NAME, L, insn),    \
                       FIELD(NAME, H, insn), FIELD(NAME, M, insn) << 4 | FIELD(NAME, m, insn), \
                       FIELD(NAME, n, insn), FIELD(NAME, d, insn), OP);               \
    }
FP_ELEM_V(h_simd_fmla_elem_v, FE_FMLA)
FP_ELEM_V(h_simd_fmls_elem_v, FE_FMLS)
FP_ELEM_V(h_simd_fmul_elem_v, FE_FMUL)
FP_ELEM_V(h_simd_fmulx_elem_v, FE_FMULX)
FP_ELEM_S(h_simd_fmla_elem_s, FE_FMLA)
FP_ELEM_S(h_simd_fmls_elem_s, FE_FMLS)
FP_ELEM_S(h_simd_fmul_elem_s, FE_FMUL)
FP_ELEM_S(h_simd_fmulx_elem_s, FE_FMULX)

/* ---- Modified immediate ------------------------------------------------------------ */

/* FMOV (vector, immediate): op=0 single (2S/4S), op=1 double (2D, Q=1);
 * one handler per row, op fixed by the row. */
static inline int fmov_imm(CPUState *c, bool q, bool op, unsigned rd, uint8_t imm8)
{
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

int h_simd_fmov_v_imm_s(CPUState *c, uint32_t insn)
{
    return fmov_imm(c, FIELD(h_simd_fmov_v_imm_s, Q, insn), false,
                    FIELD(h_simd_fmov_v_imm_s, d, insn),
                    (uint8_t)FIELD(h_simd_fmov_v_imm_s, i, insn));   /* a:b:c:d:e:f:g:h */
}

int h_simd_fmov_v_imm_d(CPUState *c, uint32_t insn)
{
    return fmov_imm(c, FIELD(h_simd_fmov_v_imm_d, Q, insn), true,
                    FIELD(h_simd_fmov_v_imm_d, d, insn),
                    (uint8_t)FIELD(h_simd_fmov_v_imm_d, i, insn));
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
static unsigned fcma_size(CPUState *c, unsigned size, bool q)
{
    if (!has_feat(c, FEAT_FCMA))
        cpu_undefined(c);
    if (size == 2)
        return 32;
    if (size == 3 && q)
        return 64;
    cpu_undefined(c);
}

int h_simd_fcmla(CPUState *c, uint32_t insn)
{
    bool q = FIELD(h_simd_fcmla, Q, insn);
    unsigned N = fcma_size(c, FIELD(h_simd_fcmla, s, insn), q);
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
    unsigned rm = FIELD(h_simd_fcmla_elem, M, insn) << 4 | FIELD(h_simd_fcmla_elem, m, insn);
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
    unsigned N = fcma_size(c, FIELD(h_simd_fcadd, s, insn), q);
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
