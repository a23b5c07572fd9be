/*
 * AdvSIMD "across lanes" integer reductions ADDV, SADDLV/UADDLV,
 * SMAXV/SMINV/UMAXV/UMINV, and the scalar pairwise ADDP (Arm ARM C4.1.x
 * "Advanced SIMD across lanes", "Advanced SIMD scalar pairwise"; C7.2).
 * FMAXV/FMINV/FMAXNMV/FMINNMV and the FP pairwise forms are src/cpu/fp_*.c.
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

enum { A_ADDLV = 3, A_MAXV = 10, A_MINV = 26, A_ADDV = 27 };

/* One handler per row (src/cpu/simd.c), passing its operation (U and
 * opcode, fixed by the row) as constants to one inline body. */
static inline __attribute__((always_inline)) int across(CPUState *c, unsigned q, unsigned size, unsigned rn,
                                                    unsigned rd, bool u, unsigned op)
{
    /* size == 11, and size == 10 with Q == 0 (two elements), are reserved. */
    if (size == 3 || (size == 2 && !q))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb;
    VU n = vuread(c, rn);
    uint64_t res;
    /* Typed loops over the ne lanes; sums are exact in 64 bits (at most
     * 16 lanes of 32 bits). */
#define ACROSS(U, S)                                                                  \
    do {                                                                              \
        if (op == A_MAXV || op == A_MINV) {                                           \
            /* separate branch-free loops per operation and signedness */             \
            if (u) {                                                                  \
                uint64_t a = n.U[0];                                                  \
                if (op == A_MAXV)                                                     \
                    for (unsigned e = 1; e < ne; e++)                                 \
                        a = n.U[e] > a ? n.U[e] : a;                                  \
                else                                                                  \
                    for (unsigned e = 1; e < ne; e++)                                 \
                        a = n.U[e] < a ? n.U[e] : a;                                  \
                res = a;                                                              \
            } else {                                                                  \
                int64_t a = n.S[0];                                                   \
                if (op == A_MAXV)                                                     \
                    for (unsigned e = 1; e < ne; e++)                                 \
                        a = n.S[e] > a ? n.S[e] : a;                                  \
                else                                                                  \
                    for (unsigned e = 1; e < ne; e++)                                 \
                        a = n.S[e] < a ? n.S[e] : a;                                  \
                res = (uint64_t)a;                                                    \
            }                                                                         \
        } else if (u) {                                                               \
            uint64_t a = 0;                                                           \
            for (unsigned e = 0; e < ne; e++)                                         \
                a += n.U[e];                                                          \
            res = a;                                                                  \
        } else {                                                                      \
            int64_t a = 0;                                                            \
            for (unsigned e = 0; e < ne; e++)                                         \
                a += n.S[e];                                                          \
            res = (uint64_t)a;                                                        \
        }                                                                             \
    } while (0)
    EACH_SIZE(ACROSS);
#undef ACROSS
    vreg_set_scalar(c, rd, op == A_ADDLV ? eb / 4 : eb / 8, res);
    return EXEC_NEXT;
}

#define ACROSS_V(NAME, U, OP)                                                         \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return across(c, FIELD(NAME, Q, insn), FIELD(NAME, s, insn), FIELD(NAME, n, insn), \
                      FIELD(NAME, d, insn), U, OP);                                   \
    }

ACROSS_V(simd_saddlv, 0, A_ADDLV)
ACROSS_V(simd_uaddlv, 1, A_ADDLV)
ACROSS_V(simd_smaxv, 0, A_MAXV)
ACROSS_V(simd_umaxv, 1, A_MAXV)
ACROSS_V(simd_sminv, 0, A_MINV)
ACROSS_V(simd_uminv, 1, A_MINV)
ACROSS_V(simd_addv, 0, A_ADDV)

int simd_addp_scalar(CPUState *c, uint32_t insn)
{
    unsigned size = FIELD(simd_addp_scalar, s, insn), rn = FIELD(simd_addp_scalar, n, insn);
    unsigned rd = FIELD(simd_addp_scalar, d, insn);
    if (size != 3)
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t r = c->v[rn][0] + c->v[rn][1];
    vreg_set_scalar(c, rd, 8, r);
    return EXEC_NEXT;
}
