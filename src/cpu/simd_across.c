/*
 * AdvSIMD "across lanes" integer reductions ADDV, SADDLV/UADDLV,
 * SMAXV/SMINV/UMAXV/UMINV, and the scalar pairwise ADDP (Arm ARM C4.1.x
 * "Advanced SIMD across lanes", "Advanced SIMD scalar pairwise"; C7.2).
 * FMAXV/FMINV/FMAXNMV/FMINNMV and the FP pairwise forms are src/cpu/fp_*.c.
 */
#include "cpu/simd_internal.h"

enum { A_ADDLV = 3, A_MAXV = 10, A_MINV = 26, A_ADDV = 27 };

int simd_across(CPUState *c, uint32_t insn)
{
    unsigned q = bit32(insn, 30), u = bit32(insn, 29), size = bits32(insn, 23, 22);
    unsigned op = bits32(insn, 16, 12), rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    /* size == 11, and size == 10 with Q == 0 (two elements), are reserved. */
    if (size == 3 || (size == 2 && !q) || (op == A_ADDV && u))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb;
    Vec n = vread(c, rn);
    __int128 acc = vint(&n, 0, eb, u);
    for (unsigned e = 1; e < ne; e++) {
        __int128 x = vint(&n, e, eb, u);
        switch (op) {
        case A_MAXV: acc = x > acc ? x : acc; break;
        case A_MINV: acc = x < acc ? x : acc; break;
        default: acc += x; break;
        }
    }
    vreg_set_scalar(c, rd, op == A_ADDLV ? eb / 4 : eb / 8, (uint64_t)acc);
    return EXEC_NEXT;
}

int simd_addp_scalar(CPUState *c, uint32_t insn)
{
    unsigned size = bits32(insn, 23, 22), rn = bits32(insn, 9, 5), rd = bits32(insn, 4, 0);
    if (size != 3)
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t r = c->v[rn][0] + c->v[rn][1];
    vreg_set_scalar(c, rd, 8, r);
    return EXEC_NEXT;
}
