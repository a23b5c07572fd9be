/*
 * A64 single-register loads and stores with a register offset (Arm ARM
 * C4.1.x "Load/store register (register offset)"): LDR/STR/LDRB/STRB/
 * LDRH/STRH/LDRSB/LDRSH/LDRSW/PRFM (register) and the SIMD&FP LDR/STR
 * (register). Offset = ExtendReg(Rm, option, S ? log2(size) : 0).
 */
#include "cpu/ldst_util.h"

/* ExtendReg() for the load/store option field: 010 UXTW, 011 LSL (UXTX),
 * 110 SXTW, 111 SXTX. option<1> == 0 is unallocated (checked by callers). */
static inline uint64_t ls_offset(const CPUState *c, uint32_t insn, unsigned shift)
{
    uint64_t m = c->x[bits32(insn, 20, 16)];
    switch (bits32(insn, 15, 13)) {
    case 2: m = (uint32_t)m; break;                       /* UXTW */
    case 6: m = (uint64_t)(int64_t)(int32_t)m; break;     /* SXTW */
    default: break;                                        /* LSL/UXTX, SXTX */
    }
    return bit32(insn, 12) ? m << shift : m;
}

/* size 111 0 00 opc 1 Rm option S 10 Rn Rt, one handler per (size, opc).
 * option<1> == 0 is unallocated. */
#define DEF_REG(sz, op)                                                                 \
    int h_reg_##sz##op(CPUState *c, uint32_t insn)                                      \
    {                                                                                   \
        if (unlikely(!bit32(insn, 14)))                                                 \
            cpu_undefined(c);                                                           \
        uint64_t addr = ls_base(c, ls_rn(insn)) + ls_offset(c, insn, sz);               \
        ls_gpr(c, LS_KIND(sz, op), sz, ls_rt(insn), addr, 0, true);                    \
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
        uint64_t off = ls_extend_opt(c->x[bits32(insn, 20, 16)], opt) << ((S) ? (sz) : 0); \
        ls_gpr(c, LS_KIND(sz, op), sz, ls_rt(insn), ls_base(c, ls_rn(insn)) + off, 0, true); \
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
    if (unlikely(!bit32(insn, 14)))
        cpu_undefined(c);
    return EXEC_NEXT;
}

/* size 111 1 00 opc 1 Rm option S 10 Rn Rt (opc<1> = 1: Q with size 00) */
int h_ldst_reg_v(CPUState *c, uint32_t insn)
{
    unsigned size = ls_size(insn), opc = bits32(insn, 23, 22);
    unsigned scale = (opc & 2) ? 4 : size;
    if (unlikely(!bit32(insn, 14) || ((opc & 2) && size != 0)))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned bytes = 1u << scale, t = ls_rt(insn);
    uint64_t addr = ls_base(c, ls_rn(insn)) + ls_offset(c, insn, scale);
    if (opc & 1) {
        uint64_t lo, hi;
        ls_vload(c, addr, bytes, &lo, &hi);
        ls_vset(c, t, bytes, lo, hi);
    } else {
        ls_vstore(c, addr, bytes, t);
    }
    return EXEC_NEXT;
}
