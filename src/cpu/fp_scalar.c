/*
 * Scalar floating-point data processing (Arm ARM C4.1.96 "Data Processing --
 * Scalar Floating-Point and Advanced SIMD": floating-point data-processing
 * (1, 2 and 3 source), compare, conditional compare, conditional select,
 * immediate). Arithmetic is fpcore.c; this file decodes fields and moves
 * registers. UNDEFINED checks come before the FP access check, as in the
 * pseudocode (decode, then CheckFPAdvSIMDEnabled64() at execute).
 */
#include "cpu/fp_insn.h"

/* Scalar V[n] of N bits. */
static inline uint64_t vscalar(const CPUState *c, unsigned n, unsigned N)
{
    return N == 64 ? c->v[n][0] : c->v[n][0] & fp_ones(N);
}

/* FP data-processing (1 source): FMOV, FABS, FNEG, FSQRT, FCVT, FRINT<r>. */
int h_fp_dp1(CPUState *c, uint32_t insn)
{
    unsigned ftype = bits32(insn, 23, 22), opcode = bits32(insn, 20, 15);
    unsigned rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    if ((opcode & 0x3c) == 0x04) {
        /* FCVT (Arm ARM C7.2.69): opc = opcode<1:0> is the destination type. */
        unsigned opc = opcode & 3;
        static const unsigned tsize[4] = { 32, 64, 0, 16 };
        if (ftype == 2 || opc == 2 || opc == ftype)
            cpu_undefined(c);
        unsigned N = tsize[ftype], M = tsize[opc];
        fp_check_access(c);
        uint64_t r = fp_convert(M, N, vscalar(c, rn, N), fp_rounding_mode(c->fpcr), c->fpcr,
                                &c->fpsr);
        vreg_set_scalar(c, rd, M / 8, r);
        return EXEC_NEXT;
    }
    unsigned N = fp_ftype_size(c, ftype);
    uint64_t op, r;
    uint32_t fpcr = c->fpcr;
    switch (opcode) {
    case 0x00: /* FMOV (register) */
    case 0x01: /* FABS */
    case 0x02: /* FNEG */
    case 0x03: /* FSQRT */
    case 0x08: /* FRINTN */
    case 0x09: /* FRINTP */
    case 0x0a: /* FRINTM */
    case 0x0b: /* FRINTZ */
    case 0x0c: /* FRINTA */
    case 0x0e: /* FRINTX */
    case 0x0f: /* FRINTI */
        break;
    default:
        cpu_undefined(c);
    }
    fp_check_access(c);
    op = vscalar(c, rn, N);
    switch (opcode) {
    case 0x00: r = op; break;
    case 0x01: r = fp_abs(N, op); break;
    case 0x02: r = fp_neg(N, op); break;
    case 0x03: r = fp_sqrt(N, op, fpcr, &c->fpsr); break;
    case 0x08: r = fp_round_int(N, op, FPRounding_TIEEVEN, false, fpcr, &c->fpsr); break;
    case 0x09: r = fp_round_int(N, op, FPRounding_POSINF, false, fpcr, &c->fpsr); break;
    case 0x0a: r = fp_round_int(N, op, FPRounding_NEGINF, false, fpcr, &c->fpsr); break;
    case 0x0b: r = fp_round_int(N, op, FPRounding_ZERO, false, fpcr, &c->fpsr); break;
    case 0x0c: r = fp_round_int(N, op, FPRounding_TIEAWAY, false, fpcr, &c->fpsr); break;
    case 0x0e: r = fp_round_int(N, op, fp_rounding_mode(fpcr), true, fpcr, &c->fpsr); break;
    default: r = fp_round_int(N, op, fp_rounding_mode(fpcr), false, fpcr, &c->fpsr); break;
    }
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

/* FP data-processing (2 source). */
int h_fp_dp2(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned opcode = bits32(insn, 15, 12);
    unsigned rm = bits32(insn, 20, 16), rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    if (opcode > 8)
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t a = vscalar(c, rn, N), b = vscalar(c, rm, N), r;
    uint32_t fpcr = c->fpcr;
    switch (opcode) {
    case 0: r = fp_mul(N, a, b, fpcr, &c->fpsr); break;      /* FMUL */
    case 1: r = fp_div(N, a, b, fpcr, &c->fpsr); break;      /* FDIV */
    case 2: r = fp_add(N, a, b, fpcr, &c->fpsr); break;      /* FADD */
    case 3: r = fp_sub(N, a, b, fpcr, &c->fpsr); break;      /* FSUB */
    case 4: r = fp_max(N, a, b, fpcr, &c->fpsr); break;      /* FMAX */
    case 5: r = fp_min(N, a, b, fpcr, &c->fpsr); break;      /* FMIN */
    case 6: r = fp_maxnum(N, a, b, fpcr, &c->fpsr); break;   /* FMAXNM */
    case 7: r = fp_minnum(N, a, b, fpcr, &c->fpsr); break;   /* FMINNM */
    default: r = fp_neg(N, fp_mul(N, a, b, fpcr, &c->fpsr)); break;  /* FNMUL */
    }
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

/* FP data-processing (3 source): FMADD, FMSUB, FNMADD, FNMSUB (Arm ARM
 * C7.2.x: operands are negated with FPNeg before the fused FPMulAdd). */
int h_fp_dp3(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned o1 = bit32(insn, 21), o0 = bit32(insn, 15);
    unsigned rm = bits32(insn, 20, 16), ra = bits32(insn, 14, 10);
    unsigned rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    fp_check_access(c);
    uint64_t a = vscalar(c, ra, N), n = vscalar(c, rn, N), m = vscalar(c, rm, N);
    if (o1)
        a = fp_neg(N, a);         /* FNMADD, FNMSUB */
    if (o0 != o1)
        n = fp_neg(N, n);         /* FMSUB, FNMADD */
    vreg_set_scalar(c, rd, N / 8, fp_muladd(N, a, n, m, c->fpcr, &c->fpsr));
    return EXEC_NEXT;
}

/* FCMP, FCMPE (register and #0.0): PSTATE.NZCV = FPCompare(). */
int h_fp_cmp(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned rm = bits32(insn, 20, 16), rn = bits32(insn, 9, 5);
    bool with_zero = bit32(insn, 3), signal = bit32(insn, 4);
    fp_check_access(c);
    uint64_t b = with_zero ? 0 : vscalar(c, rm, N);
    unsigned f = fp_compare(N, vscalar(c, rn, N), b, signal, c->fpcr, &c->fpsr);
    c->nzcv = (uint32_t)f << 28;
    return EXEC_NEXT;
}

/* FCCMP, FCCMPE. */
int h_fp_ccmp(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned rm = bits32(insn, 20, 16), cond = bits32(insn, 15, 12), rn = bits32(insn, 9, 5);
    bool signal = bit32(insn, 4);
    unsigned nzcv = bits32(insn, 3, 0);
    fp_check_access(c);
    if (fp_cond_holds(c, cond))
        nzcv = fp_compare(N, vscalar(c, rn, N), vscalar(c, rm, N), signal, c->fpcr, &c->fpsr);
    c->nzcv = (uint32_t)nzcv << 28;
    return EXEC_NEXT;
}

/* FCSEL. */
int h_fp_csel(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned rm = bits32(insn, 20, 16), cond = bits32(insn, 15, 12);
    unsigned rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    fp_check_access(c);
    uint64_t r = vscalar(c, fp_cond_holds(c, cond) ? rn : rm, N);
    vreg_set_scalar(c, rd, N / 8, r);
    return EXEC_NEXT;
}

/* FMOV (scalar, immediate): VFPExpandImm(imm8). */
int h_fp_imm(CPUState *c, uint32_t insn)
{
    unsigned N = fp_ftype_size(c, bits32(insn, 23, 22));
    unsigned rd = bits32(insn, 4, 0);
    fp_check_access(c);
    vreg_set_scalar(c, rd, N / 8, fp_expand_imm(N, (uint8_t)bits32(insn, 20, 13)));
    return EXEC_NEXT;
}
