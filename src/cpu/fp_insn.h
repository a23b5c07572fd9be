/*
 * Shared helpers of the floating-point instruction handlers (fp_scalar.c,
 * fp_cvt.c, fp_vector.c). Internal to src/cpu/fp*.c.
 */
#ifndef A83_FP_INSN_H
#define A83_FP_INSN_H

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/exception.h"
#include "cpu/fpaccess.h"
#include "cpu/fpcore.h"
#include "cpu/vreg.h"

/** The datasize of the scalar FP "ftype" field (Arm ARM C7 "ftype"):
 *  00 single, 01 double, 11 half (FEAT_FP16 only, so UNDEFINED here),
 *  10 reserved. Raises UNDEFINED for the unsupported values. */
static inline unsigned fp_ftype_size(CPUState *c, uint32_t ftype)
{
    if (ftype == 0)
        return 32;
    if (ftype == 1)
        return 64;
    cpu_undefined(c);
}

/** ConditionHolds(cond) on PSTATE.NZCV (Arm ARM J1 shared/functions/system). */
static inline bool fp_cond_holds(const CPUState *c, unsigned cond)
{
    uint32_t f = c->nzcv;
    bool n = f & NZCV_N, z = f & NZCV_Z, cf = f & NZCV_C, v = f & NZCV_V;
    bool r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = cf; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = cf && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: r = true; break;
    }
    if ((cond & 1) && cond != 15)
        r = !r;
    return r;
}

/** All-ones of N bits (compare results). */
static inline uint64_t fp_ones(unsigned N) { return N == 64 ? ~0ull : (1ull << N) - 1; }

/* Element access on a local 128-bit value (uint64_t[2], little-endian lanes),
 * N = 16, 32 or 64; shifts only (no division on the per-lane path). */
static inline uint64_t lane_get(const uint64_t *v, unsigned e, unsigned N)
{
    if (N == 64)
        return v[e];
    unsigned ln = (unsigned)__builtin_ctz(N), lg = 6 - ln;   /* log2(N), log2(64/N) */
    unsigned sh = (e & ((1u << lg) - 1)) << ln;
    return (v[e >> lg] >> sh) & fp_ones(N);
}

static inline void lane_set(uint64_t *v, unsigned e, unsigned N, uint64_t x)
{
    if (N == 64) {
        v[e] = x;
        return;
    }
    unsigned ln = (unsigned)__builtin_ctz(N), lg = 6 - ln;
    unsigned sh = (e & ((1u << lg) - 1)) << ln;
    v[e >> lg] = (v[e >> lg] & ~(fp_ones(N) << sh)) | ((x & fp_ones(N)) << sh);
}

/* Handlers (the decode table a64_fp_patterns in fp.c lists their encodings). */
/* fp_scalar.c: Arm ARM C4.1.96 "Floating-point data-processing" groups */
/* one handler per operation of the data-processing groups */
int h_fp_unalloc(CPUState *c, uint32_t insn);   /* reserved opcodes: UNDEFINED */
int h_fp_fmov_reg(CPUState *c, uint32_t insn);
int h_fp_fabs(CPUState *c, uint32_t insn);
int h_fp_fneg(CPUState *c, uint32_t insn);
int h_fp_fsqrt(CPUState *c, uint32_t insn);
int h_fp_fcvt(CPUState *c, uint32_t insn);
int h_fp_frintn(CPUState *c, uint32_t insn);
int h_fp_frintp(CPUState *c, uint32_t insn);
int h_fp_frintm(CPUState *c, uint32_t insn);
int h_fp_frintz(CPUState *c, uint32_t insn);
int h_fp_frinta(CPUState *c, uint32_t insn);
int h_fp_frintx(CPUState *c, uint32_t insn);
int h_fp_frinti(CPUState *c, uint32_t insn);
int h_fp_fmul(CPUState *c, uint32_t insn);
int h_fp_fdiv(CPUState *c, uint32_t insn);
int h_fp_fadd(CPUState *c, uint32_t insn);
int h_fp_fsub(CPUState *c, uint32_t insn);
int h_fp_fmax(CPUState *c, uint32_t insn);
int h_fp_fmin(CPUState *c, uint32_t insn);
int h_fp_fmaxnm(CPUState *c, uint32_t insn);
int h_fp_fminnm(CPUState *c, uint32_t insn);
int h_fp_fnmul(CPUState *c, uint32_t insn);
int h_fp_fmadd(CPUState *c, uint32_t insn);
int h_fp_fmsub(CPUState *c, uint32_t insn);
int h_fp_fnmadd(CPUState *c, uint32_t insn);
int h_fp_fnmsub(CPUState *c, uint32_t insn);
int h_fp_cmp(CPUState *c, uint32_t insn);    /* FCMP, FCMPE */
int h_fp_ccmp(CPUState *c, uint32_t insn);   /* FCCMP, FCCMPE */
int h_fp_csel(CPUState *c, uint32_t insn);   /* FCSEL */
int h_fp_imm(CPUState *c, uint32_t insn);    /* FMOV (scalar, immediate) */
/* fp_cvt.c */
int h_fp_cvt_int(CPUState *c, uint32_t insn);    /* FCVT[NPMZA][SU], [SU]CVTF, FMOV general */
int h_fp_cvt_fixed(CPUState *c, uint32_t insn);  /* FCVTZ[SU], [SU]CVTF (fixed-point) */
int h_fjcvtzs(CPUState *c, uint32_t insn);       /* FJCVTZS (FEAT_JSCVT) */
/* AdvSIMD shift-imm FCVTZ[SU], [SU]CVTF (fixed-point): one handler per row */
int h_simd_scvtf_fix_v(CPUState *c, uint32_t insn);
int h_simd_ucvtf_fix_v(CPUState *c, uint32_t insn);
int h_simd_fcvtzs_fix_v(CPUState *c, uint32_t insn);
int h_simd_fcvtzu_fix_v(CPUState *c, uint32_t insn);
int h_simd_scvtf_fix_s(CPUState *c, uint32_t insn);
int h_simd_ucvtf_fix_s(CPUState *c, uint32_t insn);
int h_simd_fcvtzs_fix_s(CPUState *c, uint32_t insn);
int h_simd_fcvtzu_fix_s(CPUState *c, uint32_t insn);
/* fp_vector.c: AdvSIMD floating point */
/* three same: one handler per row (vector _v, scalar _s forms) */
int h_simd_fmaxnm_v(CPUState *c, uint32_t insn);
int h_simd_fmla_v(CPUState *c, uint32_t insn);
int h_simd_fadd_v(CPUState *c, uint32_t insn);
int h_simd_fmulx_v(CPUState *c, uint32_t insn);
int h_simd_fcmeq_v(CPUState *c, uint32_t insn);
int h_simd_fmax_v(CPUState *c, uint32_t insn);
int h_simd_frecps_v(CPUState *c, uint32_t insn);
int h_simd_fminnm_v(CPUState *c, uint32_t insn);
int h_simd_fmls_v(CPUState *c, uint32_t insn);
int h_simd_fsub_v(CPUState *c, uint32_t insn);
int h_simd_fmin_v(CPUState *c, uint32_t insn);
int h_simd_frsqrts_v(CPUState *c, uint32_t insn);
int h_simd_fmaxnmp_v(CPUState *c, uint32_t insn);
int h_simd_faddp_v(CPUState *c, uint32_t insn);
int h_simd_fmul_v(CPUState *c, uint32_t insn);
int h_simd_fcmge_v(CPUState *c, uint32_t insn);
int h_simd_facge_v(CPUState *c, uint32_t insn);
int h_simd_fmaxp_v(CPUState *c, uint32_t insn);
int h_simd_fdiv_v(CPUState *c, uint32_t insn);
int h_simd_fminnmp_v(CPUState *c, uint32_t insn);
int h_simd_fabd_v(CPUState *c, uint32_t insn);
int h_simd_fcmgt_v(CPUState *c, uint32_t insn);
int h_simd_facgt_v(CPUState *c, uint32_t insn);
int h_simd_fminp_v(CPUState *c, uint32_t insn);
int h_simd_fmulx_s(CPUState *c, uint32_t insn);
int h_simd_fcmeq_s(CPUState *c, uint32_t insn);
int h_simd_frecps_s(CPUState *c, uint32_t insn);
int h_simd_frsqrts_s(CPUState *c, uint32_t insn);
int h_simd_fcmge_s(CPUState *c, uint32_t insn);
int h_simd_facge_s(CPUState *c, uint32_t insn);
int h_simd_fabd_s(CPUState *c, uint32_t insn);
int h_simd_fcmgt_s(CPUState *c, uint32_t insn);
int h_simd_facgt_s(CPUState *c, uint32_t insn);
/* two-register misc: one handler per row */
int h_simd_fcvtn_v(CPUState *c, uint32_t insn);
int h_simd_fcvtl_v(CPUState *c, uint32_t insn);
int h_simd_fcvtxn_v(CPUState *c, uint32_t insn);
int h_simd_frintn_v(CPUState *c, uint32_t insn);
int h_simd_frintm_v(CPUState *c, uint32_t insn);
int h_simd_frintp_v(CPUState *c, uint32_t insn);
int h_simd_frintz_v(CPUState *c, uint32_t insn);
int h_simd_frinta_v(CPUState *c, uint32_t insn);
int h_simd_frintx_v(CPUState *c, uint32_t insn);
int h_simd_frinti_v(CPUState *c, uint32_t insn);
int h_simd_fcvtns_v(CPUState *c, uint32_t insn);
int h_simd_fcvtnu_v(CPUState *c, uint32_t insn);
int h_simd_fcvtms_v(CPUState *c, uint32_t insn);
int h_simd_fcvtmu_v(CPUState *c, uint32_t insn);
int h_simd_fcvtas_v(CPUState *c, uint32_t insn);
int h_simd_fcvtau_v(CPUState *c, uint32_t insn);
int h_simd_fcvtps_v(CPUState *c, uint32_t insn);
int h_simd_fcvtpu_v(CPUState *c, uint32_t insn);
int h_simd_fcvtzs_v(CPUState *c, uint32_t insn);
int h_simd_fcvtzu_v(CPUState *c, uint32_t insn);
int h_simd_scvtf_v(CPUState *c, uint32_t insn);
int h_simd_ucvtf_v(CPUState *c, uint32_t insn);
int h_simd_fcmgt_zero_v(CPUState *c, uint32_t insn);
int h_simd_fcmeq_zero_v(CPUState *c, uint32_t insn);
int h_simd_fcmlt_zero_v(CPUState *c, uint32_t insn);
int h_simd_fcmge_zero_v(CPUState *c, uint32_t insn);
int h_simd_fcmle_zero_v(CPUState *c, uint32_t insn);
int h_simd_frecpe_v(CPUState *c, uint32_t insn);
int h_simd_frsqrte_v(CPUState *c, uint32_t insn);
int h_simd_fcvtns_s(CPUState *c, uint32_t insn);
int h_simd_fcvtnu_s(CPUState *c, uint32_t insn);
int h_simd_fcvtms_s(CPUState *c, uint32_t insn);
int h_simd_fcvtmu_s(CPUState *c, uint32_t insn);
int h_simd_fcvtas_s(CPUState *c, uint32_t insn);
int h_simd_fcvtau_s(CPUState *c, uint32_t insn);
int h_simd_fcvtps_s(CPUState *c, uint32_t insn);
int h_simd_fcvtpu_s(CPUState *c, uint32_t insn);
int h_simd_fcvtzs_s(CPUState *c, uint32_t insn);
int h_simd_fcvtzu_s(CPUState *c, uint32_t insn);
int h_simd_scvtf_s(CPUState *c, uint32_t insn);
int h_simd_ucvtf_s(CPUState *c, uint32_t insn);
int h_simd_fcmgt_zero_s(CPUState *c, uint32_t insn);
int h_simd_fcmeq_zero_s(CPUState *c, uint32_t insn);
int h_simd_fcmlt_zero_s(CPUState *c, uint32_t insn);
int h_simd_fcmge_zero_s(CPUState *c, uint32_t insn);
int h_simd_fcmle_zero_s(CPUState *c, uint32_t insn);
int h_simd_frecpe_s(CPUState *c, uint32_t insn);
int h_simd_frsqrte_s(CPUState *c, uint32_t insn);
int h_simd_fabs_v(CPUState *c, uint32_t insn);
int h_simd_fneg_v(CPUState *c, uint32_t insn);
int h_simd_fsqrt_v(CPUState *c, uint32_t insn);
int h_simd_frecpx_s(CPUState *c, uint32_t insn);
int h_simd_urecpe_v(CPUState *c, uint32_t insn);
int h_simd_ursqrte_v(CPUState *c, uint32_t insn);
int h_simd_fcvtxn_s(CPUState *c, uint32_t insn);
/* across lanes, scalar pairwise, by element: one handler per row */
int h_simd_fmaxnmv(CPUState *c, uint32_t insn);
int h_simd_fminnmv(CPUState *c, uint32_t insn);
int h_simd_fmaxv(CPUState *c, uint32_t insn);
int h_simd_fminv(CPUState *c, uint32_t insn);
int h_simd_faddp_s(CPUState *c, uint32_t insn);
int h_simd_fmaxnmp_s(CPUState *c, uint32_t insn);
int h_simd_fminnmp_s(CPUState *c, uint32_t insn);
int h_simd_fmaxp_s(CPUState *c, uint32_t insn);
int h_simd_fminp_s(CPUState *c, uint32_t insn);
int h_simd_fmla_elem_v(CPUState *c, uint32_t insn);
int h_simd_fmls_elem_v(CPUState *c, uint32_t insn);
int h_simd_fmul_elem_v(CPUState *c, uint32_t insn);
int h_simd_fmulx_elem_v(CPUState *c, uint32_t insn);
int h_simd_fmla_elem_s(CPUState *c, uint32_t insn);
int h_simd_fmls_elem_s(CPUState *c, uint32_t insn);
int h_simd_fmul_elem_s(CPUState *c, uint32_t insn);
int h_simd_fmulx_elem_s(CPUState *c, uint32_t insn);
int h_simd_fmov_v_imm_s(CPUState *c, uint32_t insn);  /* FMOV (vector, immediate), single */
int h_simd_fmov_v_imm_d(CPUState *c, uint32_t insn);  /* FMOV (vector, immediate), double */
int h_simd_fcmla(CPUState *c, uint32_t insn);       /* FCMLA (vector) */
int h_simd_fcmla_elem(CPUState *c, uint32_t insn);  /* FCMLA (by element) */
int h_simd_fcadd(CPUState *c, uint32_t insn);       /* FCADD */

#endif
