/*
 * A64 single-register loads and stores with a register offset (Arm ARM
 * C4.1.x "Load/store register (register offset)"): LDR/STR/LDRB/STRB/
 * LDRH/STRH/LDRSB/LDRSH/LDRSW/PRFM (register) and the SIMD&FP LDR/STR
 * (register). Offset = ExtendReg(Rm, option, S ? log2(size) : 0).
 */
#include "cpu/decode_fields.h"
#include "cpu/ldst_util.h"

/* ExtendReg() for the load/store option field: 010 UXTW, 011 LSL (UXTX),
 * 110 SXTW, 111 SXTX. option<1> == 0 is unallocated (checked by callers). */
static inline uint64_t ls_offset(const CPUState *c, unsigned rm, unsigned option, unsigned S,
                                 unsigned shift)
{
    uint64_t m = c->x[rm];
    switch (option) {
    case 2: m = (uint32_t)m; break;                       /* UXTW */
    case 6: m = (uint64_t)(int64_t)(int32_t)m; break;     /* SXTW */
    default: break;                                        /* LSL/UXTX, SXTX */
    }
    return S ? m << shift : m;
}

/* The offset of handler H's rows "... Rm option S 10 Rn Rt", and whether
 * option<1> is 1 (allocated). */
#define LS_OFFSET(H, shift) \
    ls_offset(c, FIELD(H, m, insn), FIELD(H, x, insn), FIELD(H, S, insn), shift)
#define LS_OPTION_OK(H) (FIELD(H, x, insn) & 2)

/* size 111 0 00 opc 1 Rm option S 10 Rn Rt, one handler per (size, opc).
 * option<1> == 0 is unallocated. */
#define DEF_REG(sz, op)                                                                 \
    int h_reg_##sz##op(CPUState *c, uint32_t insn)                                      \
    {                                                                                   \
        if (unlikely(!LS_OPTION_OK(h_reg_##sz##op)))                                    \
            cpu_undefined(c);                                                           \
        uint64_t addr = ls_base(c, FIELD(h_reg_##sz##op, n, insn)) +                    \
                        LS_OFFSET(h_reg_##sz##op, sz);                                  \
        ls_gpr(c, LS_KIND(sz, op), sz, FIELD(h_reg_##sz##op, t, insn), addr, 0, true);  \
        return EXEC_NEXT;                                                               \
    }
LS_GPR_FORMS(DEF_REG)

/* Decode-time specialisation (docs/performance.md): one handler per
 * (size, opc, option, S) for the allocated options 010 UXTW, 011 LSL,
 * 110 SXTW, 111 SXTX, selected by higher-priority decode entries (ldst.c);
 * the generic h_reg_SO above remains for option<1> == 0 (UNDEFINED). */
static inline uint64_t ls_extend_opt(uint64_t m, unsigned option)
{
    switch (option) {
    case 2: return (uint32_t)m;                         /* UXTW */
    case 6: return (uint64_t)(int64_t)(int32_t)m;       /* SXTW */
    default: return m;                                  /* LSL/UXTX, SXTX */
    }
}
#define DEF_REG_SPEC1(sz, op, opt, S)                                                   \
    int h_reg_##sz##op##_##opt##S(CPUState *c, uint32_t insn)                           \
    {                                                                                   \
        unsigned m = FIELD(h_reg_##sz##op##_##opt##S, m, insn);                         \
        unsigned n = FIELD(h_reg_##sz##op##_##opt##S, n, insn);                         \
        unsigned t = FIELD(h_reg_##sz##op##_##opt##S, t, insn);                         \
        uint64_t off = ls_extend_opt(c->x[m], opt) << ((S) ? (sz) : 0);                 \
        ls_gpr(c, LS_KIND(sz, op), sz, t, ls_base(c, n) + off, 0, true);                \
        return EXEC_NEXT;                                                               \
    }
#define DEF_REG_SPEC(sz, op)                                                            \
    DEF_REG_SPEC1(sz, op, 2, 0) DEF_REG_SPEC1(sz, op, 2, 1)                             \
    DEF_REG_SPEC1(sz, op, 3, 0) DEF_REG_SPEC1(sz, op, 3, 1)                             \
    DEF_REG_SPEC1(sz, op, 6, 0) DEF_REG_SPEC1(sz, op, 6, 1)                             \
    DEF_REG_SPEC1(sz, op, 7, 0) DEF_REG_SPEC1(sz, op, 7, 1)
LS_GPR_FORMS(DEF_REG_SPEC)

/* PRFM (register): a hint, but option<1> == 0 is still unallocated. */
int h_prfm_reg(CPUState *c, uint32_t insn)
{
    if (unlikely(!LS_OPTION_OK(h_prfm_reg)))
        cpu_undefined(c);
    return EXEC_NEXT;
}

/* size 111 1 00 opc 1 Rm option S 10 Rn Rt (opc<1> = 1: Q with size 00) */
int h_ldst_reg_v(CPUState *c, uint32_t insn)
{
    /* opc<0> (L) is fixed by the row (st/ld, split for the timing class),
     * opc<1> is the row's o: opc read whole by position. */
    unsigned size = FIELD(h_ldst_reg_v, s, insn), opc = bits32(insn, 23, 22);
    unsigned scale = (opc & 2) ? 4 : size;
    if (unlikely(!LS_OPTION_OK(h_ldst_reg_v) || ((opc & 2) && size != 0)))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned bytes = 1u << scale, t = FIELD(h_ldst_reg_v, t, insn);
    uint64_t addr = ls_base(c, FIELD(h_ldst_reg_v, n, insn)) + LS_OFFSET(h_ldst_reg_v, scale);
    if (opc & 1) {
        uint64_t lo, hi;
        ls_vload(c, addr, bytes, &lo, &hi);
        ls_vset(c, t, bytes, lo, hi);
    } else {
        ls_vstore(c, addr, bytes, t);
    }
    return EXEC_NEXT;
}
