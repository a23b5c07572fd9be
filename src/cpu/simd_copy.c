/*
 * AdvSIMD "copy" (DUP element/general, INS element/general, SMOV, UMOV),
 * scalar DUP (element), and "modified immediate" MOVI/MVNI/ORR/BIC
 * (Arm ARM C4.1.x "Advanced SIMD copy", "Advanced SIMD scalar copy",
 * "Advanced SIMD modified immediate"; C7.2; AdvSIMDExpandImm()).
 * FMOV (vector, immediate) (cmode 1111) belongs to src/cpu/fp_*.c.
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

/** Decodes imm5: returns the element size in bits (0 when imm5<3:0> is 0)
 *  and the element index. */
static unsigned imm5_decode(unsigned imm5, unsigned *idx)
{
    unsigned size = imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : 4;
    if (size == 4)
        return 0;
    *idx = imm5 >> (size + 1);
    return 8u << size;
}

/** x (eb bits) replicated into every element: x times 0x..0101 (eb = 8). */
static Vec dup_elem(uint64_t x, unsigned eb)
{
    uint64_t rep = eb == 64 ? x : (x & ones(eb)) * (~0ull / ones(eb));
    Vec r = { { rep, rep } };
    return r;
}

enum { C_DUP_ELEM = 0, C_DUP_GEN = 1, C_INS_GEN = 3, C_SMOV = 5, C_UMOV = 7 };

int simd_copy(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_copy, Q, insn), imm5 = FIELD(simd_copy, i, insn);
    unsigned imm4 = FIELD(simd_copy, j, insn);
    unsigned rn = FIELD(simd_copy, n, insn), rd = FIELD(simd_copy, d, insn), idx = 0;
    unsigned eb = imm5_decode(imm5, &idx);
    bool bad;
    switch (imm4) {
    case C_DUP_ELEM: case C_DUP_GEN: bad = eb == 0 || (eb == 64 && !q); break;
    case C_INS_GEN: bad = eb == 0 || !q; break;
    case C_SMOV: bad = eb == 0 || eb == 64 || (eb == 32 && !q); break;
    case C_UMOV: bad = eb == 0 || (q ? eb != 64 : eb == 64); break;
    default: bad = true; break;
    }
    if (bad)
        cpu_undefined(c);
    fp_check_access(c);
    Vec n = vread(c, rn), r;
    switch (imm4) {
    case C_DUP_ELEM:
        r = dup_elem(vget(&n, idx, eb), eb);
        vwrite(c, rd, &r, q);
        break;
    case C_DUP_GEN:
        r = dup_elem(c->x[rn], eb);
        vwrite(c, rd, &r, q);
        break;
    case C_INS_GEN:
        vreg_set_elem(c, rd, idx, eb / 8, c->x[rn]);
        break;
    case C_SMOV: {
        int64_t v = vgets(&n, idx, eb);
        if (q)
            set_x(c, rd, (uint64_t)v);
        else
            set_w(c, rd, (uint32_t)v);
        break;
    }
    default:
        set_x(c, rd, vget(&n, idx, eb));
        break;
    }
    return EXEC_NEXT;
}

int simd_ins_elem(CPUState *c, uint32_t insn)
{
    unsigned imm5 = FIELD(simd_ins_elem, i, insn), imm4 = FIELD(simd_ins_elem, j, insn);
    unsigned rn = FIELD(simd_ins_elem, n, insn), rd = FIELD(simd_ins_elem, d, insn), idx = 0;
    unsigned eb = imm5_decode(imm5, &idx);
    if (eb == 0)
        cpu_undefined(c);
    fp_check_access(c);
    unsigned src = imm4 >> (__builtin_ctz(eb) - 3);
    Vec n = vread(c, rn);
    vreg_set_elem(c, rd, idx, eb / 8, vget(&n, src, eb));
    return EXEC_NEXT;
}

int simd_dup_scalar(CPUState *c, uint32_t insn)
{
    unsigned imm5 = FIELD(simd_dup_scalar, i, insn), rn = FIELD(simd_dup_scalar, n, insn);
    unsigned rd = FIELD(simd_dup_scalar, d, insn);
    unsigned idx = 0;
    unsigned eb = imm5_decode(imm5, &idx);
    if (eb == 0)
        cpu_undefined(c);
    fp_check_access(c);
    Vec n = vread(c, rn);
    vreg_set_scalar(c, rd, eb / 8, vget(&n, idx, eb));
    return EXEC_NEXT;
}

/** AdvSIMDExpandImm(op, cmode, imm8) for cmode != 1111 (Arm ARM shared
 *  pseudocode): the 64-bit pattern replicated into both halves. */
static uint64_t expand_imm(unsigned op, unsigned cmode, uint64_t imm8)
{
    switch (cmode >> 1) {
    case 0: return imm8 * 0x0000000100000001ull;
    case 1: return (imm8 << 8) * 0x0000000100000001ull;
    case 2: return (imm8 << 16) * 0x0000000100000001ull;
    case 3: return (imm8 << 24) * 0x0000000100000001ull;
    case 4: return imm8 * 0x0001000100010001ull;
    case 5: return (imm8 << 8) * 0x0001000100010001ull;
    case 6:
        if (cmode & 1)
            return ((imm8 << 16) | 0xffff) * 0x0000000100000001ull;
        return ((imm8 << 8) | 0xff) * 0x0000000100000001ull;
    default:
        if (!op)
            return imm8 * 0x0101010101010101ull;
        {
            uint64_t r = 0;
            for (unsigned i = 0; i < 8; i++)
                if ((imm8 >> i) & 1)
                    r |= 0xffull << (8 * i);
            return r;
        }
    }
}

int simd_modimm(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_modimm, Q, insn), op = FIELD(simd_modimm, o, insn);
    /* cmode (bits 15:12) by position: the rows fix its top bits (0xxx, 10xx,
     * 110x, 1110: cmode 1111 is FMOV, fp.c), so no row letter spans it, and
     * AdvSIMDExpandImm() reads it whole (Arm ARM shared pseudocode). */
    unsigned cmode = bits32(insn, 15, 12);
    unsigned rd = FIELD(simd_modimm, d, insn);
    uint64_t imm8 = FIELD(simd_modimm, i, insn);   /* a:b:c:d:e:f:g:h */
    fp_check_access(c);
    uint64_t imm = expand_imm(op, cmode, imm8);
    /* ORR/BIC: cmode 0xx1 and 10x1; everything else is MOVI/MVNI. */
    bool logical = (cmode & 1) && cmode < 12;
    if (cmode == 14) {
        vreg_set(c, rd, imm, imm, q);               /* MOVI (byte / 64-bit) */
    } else if (!logical) {
        uint64_t v = op ? ~imm : imm;               /* MOVI / MVNI */
        vreg_set(c, rd, v, v, q);
    } else if (!op) {
        vreg_set(c, rd, c->v[rd][0] | imm, c->v[rd][1] | imm, q);     /* ORR */
    } else {
        vreg_set(c, rd, c->v[rd][0] & ~imm, c->v[rd][1] & ~imm, q);   /* BIC */
    }
    return EXEC_NEXT;
}

/*
 * Dedicated handlers (decode priority 2 over SIMD_copy) for the frequent
 * copies. imm5: size = LowestSetBit(imm5<3:0>), index = imm5 >> (size+1).
 */
static inline unsigned imm5_size(CPUState *c, unsigned imm5)
{
    if (!(imm5 & 0xf))
        cpu_undefined(c);
    return (unsigned)__builtin_ctz(imm5);
}

int simd_umov(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_umov, Q, insn), imm5 = FIELD(simd_umov, i, insn);
    unsigned size = imm5_size(c, imm5);
    if (q ? size != 3 : size == 3)
        cpu_undefined(c);
    fp_check_access(c);
    set_x(c, FIELD(simd_umov, d, insn),
          vreg_elem(c, FIELD(simd_umov, n, insn), imm5 >> (size + 1), 1u << size));
    return EXEC_NEXT;
}

int simd_dup_gen(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_dup_gen, Q, insn), imm5 = FIELD(simd_dup_gen, i, insn);
    unsigned size = imm5_size(c, imm5);
    if (size == 3 && !q)
        cpu_undefined(c);
    fp_check_access(c);
    Vec r = dup_elem(c->x[FIELD(simd_dup_gen, n, insn)], 8u << size);
    vwrite(c, FIELD(simd_dup_gen, d, insn), &r, q);
    return EXEC_NEXT;
}

int simd_dup_elem(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_dup_elem, Q, insn), imm5 = FIELD(simd_dup_elem, i, insn);
    unsigned size = imm5_size(c, imm5);
    if (size == 3 && !q)
        cpu_undefined(c);
    fp_check_access(c);
    Vec r = dup_elem(vreg_elem(c, FIELD(simd_dup_elem, n, insn), imm5 >> (size + 1), 1u << size),
                     8u << size);
    vwrite(c, FIELD(simd_dup_elem, d, insn), &r, q);
    return EXEC_NEXT;
}

int simd_ins_gen(CPUState *c, uint32_t insn)
{
    unsigned imm5 = FIELD(simd_ins_gen, i, insn), size = imm5_size(c, imm5);
    fp_check_access(c);
    vreg_set_elem(c, FIELD(simd_ins_gen, d, insn), imm5 >> (size + 1), 1u << size,
                  c->x[FIELD(simd_ins_gen, n, insn)]);
    return EXEC_NEXT;
}
