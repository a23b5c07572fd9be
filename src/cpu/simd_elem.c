/*
 * AdvSIMD "vector x indexed element", integer forms, vector and scalar:
 * MUL/MLA/MLS, SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL, SQDMULL/SQDMLAL/SQDMLSL,
 * SQDMULH/SQRDMULH and (FEAT_RDM) SQRDMLAH/SQRDMLSH (Arm ARM C4.1.x
 * "Advanced SIMD vector x indexed element", "... scalar x indexed element").
 * The FP forms (FMLA, FMLS, FMUL, FMULX, FMLAL, FCMLA) are src/cpu/fp_*.c.
 *
 * Index and Vm: size 01 (H): index = H:L:M, Vm = Rm<3:0>; size 10 (S):
 * index = H:L, Vm = M:Rm<3:0>.
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

enum {
    E_MLA = 0, E_MLAL = 2, E_QDMLAL = 3, E_MLS = 4, E_MLSL = 6, E_QDMLSL = 7, E_MUL = 8,
    E_MULL = 10, E_QDMULL = 11, E_QDMULH = 12, E_QRDMULH = 13, E_QRDMLSH = 15,
};

/** Decodes size, the element index and Vm; raises UNDEFINED for size 00/11. */
static unsigned elem_decode(CPUState *c, unsigned size, unsigned h, unsigned l, unsigned mbit,
                            unsigned m4, unsigned *idx, unsigned *rm)
{
    if (size == 1) {
        *idx = h << 2 | l << 1 | mbit;
        *rm = m4;
    } else if (size == 2) {
        *idx = h << 1 | l;
        *rm = mbit << 4 | m4;
    } else {
        cpu_undefined(c);
    }
    return 8u << size;
}

/** The long-form opcode (enum SimdLongOp) of a by-element opcode:
 *  0010 -> MLAL, 0011 -> QDMLAL, 0110 -> MLSL, 0111 -> QDMLSL, 1010 -> MULL,
 *  1011 -> QDMULL. */
static unsigned long_op(unsigned opc)
{
    return 8 + 2 * (opc >> 2) + (opc & 1);
}

int simd_elem(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_elem, Q, insn), u = FIELD(simd_elem, U, insn);
    unsigned opc = FIELD(simd_elem, o, insn);
    unsigned rn = FIELD(simd_elem, n, insn), rd = FIELD(simd_elem, d, insn), idx, rm;
    bool rdm = u && (opc == E_QRDMULH || opc == E_QRDMLSH);
    if (rdm && !has_feat(c, FEAT_RDM))
        cpu_undefined(c);
    unsigned eb = elem_decode(c, FIELD(simd_elem, s, insn), FIELD(simd_elem, H, insn),
                              FIELD(simd_elem, L, insn), FIELD(simd_elem, M, insn),
                              FIELD(simd_elem, m, insn), &idx, &rm);
    fp_check_access(c);
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd), r = { { 0, 0 } };
    uint64_t b = vget(&m, idx, eb);

    if (opc == E_MLAL || opc == E_MLSL || opc == E_MULL || opc == E_QDMLAL ||
        opc == E_QDMLSL || opc == E_QDMULL) {
        unsigned half = 64 / eb, part = q ? half : 0, lop = long_op(opc);
        for (unsigned e = 0; e < half; e++) {
            uint64_t a = vget(&n, part + e, eb), acc = vget(&d, e, 2 * eb), v;
            if (opc & 1)
                v = simd_qdmlal_elem(c, lop, eb, a, b, acc);
            else
                v = simd_mull_elem(lop, u, eb, a, b, acc);
            vput(&r, e, 2 * eb, v);
        }
        vwrite(c, rd, &r, true);
        return EXEC_NEXT;
    }
    unsigned ne = (q ? 128 : 64) / eb;
    for (unsigned e = 0; e < ne; e++) {
        uint64_t a = vget(&n, e, eb), acc = vget(&d, e, eb), v;
        if (rdm)
            v = simd_rdm_elem(c, opc == E_QRDMLSH, eb, a, b, acc);
        else if (opc == E_QDMULH || opc == E_QRDMULH)
            v = simd_qdmulh_elem(c, opc == E_QRDMULH, eb, a, b);
        else if (opc == E_MUL)
            v = a * b;
        else
            v = opc == E_MLA ? acc + a * b : acc - a * b;
        vput(&r, e, eb, v);
    }
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

/* Scalar by element: one handler per row (src/cpu/simd.c), each giving its
 * opcode (U and opcode, the row's o selecting within a pair). */
static inline __attribute__((always_inline)) int elem_scalar(CPUState *c, bool u, unsigned opc, unsigned size,
                                                         unsigned h, unsigned l, unsigned mbit,
                                                         unsigned m4, unsigned rn, unsigned rd)
{
    unsigned idx, rm;
    if (u && !has_feat(c, FEAT_RDM))
        cpu_undefined(c);
    unsigned eb = elem_decode(c, size, h, l, mbit, m4, &idx, &rm);
    fp_check_access(c);
    Vec n = vread(c, rn), m = vread(c, rm), d = vread(c, rd);
    uint64_t a = vget(&n, 0, eb), b = vget(&m, idx, eb);
    if (u) {
        vreg_set_scalar(c, rd, eb / 8, simd_rdm_elem(c, opc == E_QRDMLSH, eb, a, b, vget(&d, 0, eb)));
    } else if (opc == E_QDMULH || opc == E_QRDMULH) {
        vreg_set_scalar(c, rd, eb / 8, simd_qdmulh_elem(c, opc == E_QRDMULH, eb, a, b));
    } else {
        uint64_t v = simd_qdmlal_elem(c, long_op(opc), eb, a, b, vget(&d, 0, 2 * eb));
        vreg_set_scalar(c, rd, eb / 4, v);
    }
    return EXEC_NEXT;
}

#define ELEM_S(NAME, U, OPC)                                                          \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return elem_scalar(c, U, OPC, FIELD(NAME, s, insn), FIELD(NAME, H, insn),     \
                           FIELD(NAME, L, insn), FIELD(NAME, M, insn), FIELD(NAME, m, insn), \
                           FIELD(NAME, n, insn), FIELD(NAME, d, insn));               \
    }
ELEM_S(simd_sqdmlal_elem_s, false, E_QDMLAL | FIELD(simd_sqdmlal_elem_s, o, insn) << 2)
ELEM_S(simd_sqdmull_elem_s, false, E_QDMULL)
ELEM_S(simd_sqdmulh_elem_s, false, E_QDMULH | FIELD(simd_sqdmulh_elem_s, o, insn))
ELEM_S(simd_sqrdmlah_elem_s, true, E_QRDMULH | FIELD(simd_sqrdmlah_elem_s, o, insn) << 1)
