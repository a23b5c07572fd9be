/*
 * Scalar floating-point data processing (Arm ARM C4.1.96 "Data Processing --
 * Scalar Floating-Point and Advanced SIMD": floating-point data-processing
 * (1, 2 and 3 source), compare, conditional compare, conditional select,
 * immediate). Arithmetic is fpcore.c; this file decodes fields and moves
 * registers. UNDEFINED checks come before the FP access check, as in the
 * pseudocode (decode, then CheckFPAdvSIMDEnabled64() at execute).
 */
#include "cpu/decode_fields.h"
#include "cpu/fp_insn.h"

/* Scalar V[n] of N bits. */
static inline uint64_t vscalar(const CPUState *c, unsigned n, unsigned N)
{
    return N == 64 ? c->v[n][0] : c->v[n][0] & fp_ones(N);
}

/*
 * FP data-processing (1, 2 and 3 source): one handler per operation, each
 * named by its own row of the decode table (fp.c), so none switches on the
 * opcode. The reserved opcodes decode to a lower-priority catch-all row
 * (h_fp_unalloc) that keeps the group's name and timing class.
 */

/* UNDEFINED: the catch-all rows of the scalar groups. */
int h_fp_unalloc(CPUState *c, uint32_t insn)
{
    (void)insn;
    cpu_undefined(c);
}

/* The datasize of the ftype field after the access check (UNDEFINED
 * first, as in the pseudocode: decode, then CheckFPAdvSIMDEnabled64()). */
static inline unsigned fp_dp_size(CPUState *c, uint32_t ftype)
{
    unsigned N = fp_ftype_size(c, ftype);
    fp_check_access(c);
    return N;
}

/* Vd = EXPR of the operands OPERANDS declares (one or two source). */
#define FP_DP(NAME, OPERANDS, EXPR)                                              \
    int NAME(CPUState *c, uint32_t insn)                                         \
    {                                                                            \
        unsigned N = fp_dp_size(c, FIELD(NAME, t, insn));                        \
        OPERANDS;                                                                \
        uint32_t fpcr = c->fpcr;                                                 \
        (void)fpcr;                                                              \
        uint64_t r = (EXPR);                                                     \
        vreg_set_scalar(c, FIELD(NAME, d, insn), N / 8, r);                      \
        return EXEC_NEXT;                                                        \
    }

/* 1 source: op = V[n] (rows "0 0 0 11110 ftype 1 opcode 10000 Rn Rd"). */
#define FP_DP1(NAME, EXPR) FP_DP(NAME, uint64_t op = vscalar(c, FIELD(NAME, n, insn), N), EXPR)

FP_DP1(h_fp_fmov_reg, op)
FP_DP1(h_fp_fabs, fp_abs(N, op))
FP_DP1(h_fp_fneg, fp_neg(N, op))
FP_DP1(h_fp_fsqrt, fp_sqrt(N, op, fpcr, &c->fpsr))
FP_DP1(h_fp_frintn, fp_round_int(N, op, FPRounding_TIEEVEN, false, fpcr, &c->fpsr))
FP_DP1(h_fp_frintp, fp_round_int(N, op, FPRounding_POSINF, false, fpcr, &c->fpsr))
FP_DP1(h_fp_frintm, fp_round_int(N, op, FPRounding_NEGINF, false, fpcr, &c->fpsr))
FP_DP1(h_fp_frintz, fp_round_int(N, op, FPRounding_ZERO, false, fpcr, &c->fpsr))
FP_DP1(h_fp_frinta, fp_round_int(N, op, FPRounding_TIEAWAY, false, fpcr, &c->fpsr))
FP_DP1(h_fp_frintx, fp_round_int(N, op, fp_rounding_mode(fpcr), true, fpcr, &c->fpsr))
FP_DP1(h_fp_frinti, fp_round_int(N, op, fp_rounding_mode(fpcr), false, fpcr, &c->fpsr))

/* FCVT (Arm ARM C7.2.69): ftype is the source type, opc the destination. */
int h_fp_fcvt(CPUState *c, uint32_t insn)
{
    unsigned ftype = FIELD(h_fp_fcvt, t, insn), opc = FIELD(h_fp_fcvt, o, insn);
    static const unsigned tsize[4] = { 32, 64, 0, 16 };
    if (ftype == 2 || opc == 2 || opc == ftype)
        cpu_undefined(c);
    unsigned N = tsize[ftype], M = tsize[opc];
    fp_check_access(c);
    uint64_t r = fp_convert(M, N, vscalar(c, FIELD(h_fp_fcvt, n, insn), N),
                            fp_rounding_mode(c->fpcr), c->fpcr, &c->fpsr);
    vreg_set_scalar(c, FIELD(h_fp_fcvt, d, insn), M / 8, r);
    return EXEC_NEXT;
}

/* 2 source: a = V[n], b = V[m] (rows "0 0 0 11110 ftype 1 Rm opcode 10 Rn
 * Rd"). */
#define FP_DP2(NAME, EXPR)                                                       \
    FP_DP(NAME,                                                                  \
          uint64_t a = vscalar(c, FIELD(NAME, n, insn), N);                      \
          uint64_t b = vscalar(c, FIELD(NAME, m, insn), N), EXPR)

FP_DP2(h_fp_fmul, fp_mul(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fdiv, fp_div(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fadd, fp_add(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fsub, fp_sub(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fmax, fp_max(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fmin, fp_min(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fmaxnm, fp_maxnum(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fminnm, fp_minnum(N, a, b, fpcr, &c->fpsr))
FP_DP2(h_fp_fnmul, fp_neg(N, fp_mul(N, a, b, fpcr, &c->fpsr)))

/* 3 source (Arm ARM C7.2.x FMADD, FMSUB, FNMADD, FNMSUB): operands are
 * negated with FPNeg before the fused FPMulAdd: Va for FNMADD and FNMSUB
 * (o1 = 1), Vn for FMSUB and FNMADD (o0 != o1). */
#define FP_DP3(NAME, NEG_A, NEG_N)                                               \
    int NAME(CPUState *c, uint32_t insn)                                         \
    {                                                                            \
        unsigned N = fp_dp_size(c, FIELD(NAME, t, insn));                        \
        uint64_t a = vscalar(c, FIELD(NAME, a, insn), N);                        \
        uint64_t n = vscalar(c, FIELD(NAME, n, insn), N);                        \
        uint64_t m = vscalar(c, FIELD(NAME, m, insn), N);                        \
        if (NEG_A)                                                               \
            a = fp_neg(N, a);                                                    \
        if (NEG_N)                                                               \
            n = fp_neg(N, n);                                                    \
        vreg_set_scalar(c, FIELD(NAME, d, insn), N / 8,                          \
                        fp_muladd(N, a, n, m, c->fpcr, &c->fpsr));               \
        return EXEC_NEXT;                                                        \
    }

FP_DP3(h_fp_fmadd, 0, 0)
FP_DP3(h_fp_fmsub, 0, 1)
FP_DP3(h_fp_fnmadd, 1, 1)
FP_DP3(h_fp_fnmsub, 1, 0)

/* FCMP, FCMPE (register and #0.0): PSTATE.NZCV = FPCompare(). */
int h_fp_cmp(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, FIELD(h_fp_cmp, t, insn));
    unsigned rm = FIELD(h_fp_cmp, m, insn), rn = FIELD(h_fp_cmp, n, insn);
    bool with_zero = FIELD(h_fp_cmp, z, insn), signal = FIELD(h_fp_cmp, e, insn);
    fp_check_access(c);
    uint64_t b = with_zero ? 0 : vscalar(c, rm, N);
    unsigned f = fp_compare(N, vscalar(c, rn, N), b, signal, c->fpcr, &c->fpsr);
    c->nzcv = (uint32_t)f << 28;
    return EXEC_NEXT;
}

/* FCCMP, FCCMPE. */
int h_fp_ccmp(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, FIELD(h_fp_ccmp, t, insn)), rm = FIELD(h_fp_ccmp, m, insn);
    unsigned cond = FIELD(h_fp_ccmp, c, insn), rn = FIELD(h_fp_ccmp, n, insn);
    bool signal = FIELD(h_fp_ccmp, e, insn);
    unsigned nzcv = FIELD(h_fp_ccmp, f, insn);
    fp_check_access(c);
    if (fp_cond_holds(c, cond))
        nzcv = fp_compare(N, vscalar(c, rn, N), vscalar(c, rm, N), signal, c->fpcr, &c->fpsr);
    c->nzcv = (uint32_t)nzcv << 28;
    return EXEC_NEXT;
}

/* FCSEL. */
int h_fp_csel(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, FIELD(h_fp_csel, t, insn));
    unsigned rm = FIELD(h_fp_csel, m, insn), cond = FIELD(h_fp_csel, c, insn);
    unsigned rn = FIELD(h_fp_csel, n, insn), rd = FIELD(h_fp_csel, d, insn);
    fp_check_access(c);
    uint64_t r = vscalar(c, fp_cond_holds(c, cond) ? rn : rm, N);
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

/* FMOV (scalar, immediate): VFPExpandImm(imm8). */
int h_fp_imm(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, FIELD(h_fp_imm, t, insn)), rd = FIELD(h_fp_imm, d, insn);
    fp_check_access(c);
    vreg_set_scalar(c, rd, N / 8, fp_expand_imm(N, (uint8_t)FIELD(h_fp_imm, i, insn)));
    return EXEC_NEXT;
}
