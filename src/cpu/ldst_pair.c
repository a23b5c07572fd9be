/*
 * A64 load/store pair (Arm ARM C4.1.x "Load/store no-allocate pair
 * (offset)", "Load/store register pair (post-indexed)", "(offset)",
 * "(pre-indexed)"): LDP/STP (W, X), LDPSW, LDNP/STNP and the SIMD&FP
 * forms (S, D, Q). Pairs never have a valid data-abort syndrome (ISV=0).
 *
 * Both elements are read before any register is written, and a store that
 * crosses a page probes the second page first, so a data abort leaves the
 * registers and memory unchanged.
 *
 * CONSTRAINED UNPREDICTABLE choices (Arm ARM K1.2.x):
 *  - load pair with t == t2: Constraint_UNKNOWN; Xt2 is written last, so
 *    the register holds the element loaded from the higher address;
 *  - load pair with writeback and n == t or n == t2 (n != 31):
 *    Constraint_WBSUPPRESS (no writeback);
 *  - store pair with writeback and n == t or n == t2 (n != 31):
 *    Constraint_NONE (the values stored are the registers before writeback).
 */
#include "cpu/ldst_util.h"

/* Bits 24:23 of the pair encodings. */
enum { PAIR_NOALLOC = 0, PAIR_POST = 1, PAIR_OFFSET = 2, PAIR_PRE = 3 };

/* Computes the access address and the writeback address of a pair. */
static inline uint64_t pair_addr(CPUState *c, uint32_t insn, unsigned bytes, unsigned idx,
                                 uint64_t *wbaddr)
{
    int64_t off = sext64(bits32(insn, 21, 15), 7) * (int64_t)bytes;
    uint64_t base = ls_base(c, ls_rn(insn));
    *wbaddr = base + (uint64_t)off;
    return idx == PAIR_POST ? base : *wbaddr;
}

/* opc 101 0 0 idx L imm7 Rt2 Rn Rt */
int h_ldst_pair(CPUState *c, uint32_t insn)
{
    unsigned opc = insn >> 30, idx = bits32(insn, 24, 23);
    bool load = bit32(insn, 22);
    bool sgn = opc == 1;                  /* LDPSW */
    if (unlikely(opc == 3 || (sgn && (!load || idx == PAIR_NOALLOC))))
        cpu_undefined(c);
    unsigned bytes = opc == 2 ? 8 : 4;
    unsigned n = ls_rn(insn), t = ls_rt(insn), t2 = ls_rt2(insn);
    uint64_t wb, addr = pair_addr(c, insn, bytes, idx, &wb);
    if (load) {
        uint64_t v1 = mem_read(c, addr, bytes, 0);
        uint64_t v2 = mem_read(c, addr + bytes, bytes, 0);
        if (sgn) {
            v1 = ls_sext(v1, 4, true);
            v2 = ls_sext(v2, 4, true);
        }
        set_x(c, t, v1);
        set_x(c, t2, v2);
    } else {
        uint64_t v1 = c->x[t], v2 = c->x[t2];
        ls_probe_write(c, addr, 2 * bytes, 0);
        mem_write(c, addr, bytes, v1, 0);
        mem_write(c, addr + bytes, bytes, v2, 0);
    }
    if (idx == PAIR_POST || idx == PAIR_PRE) {
        if (!load || n == 31 || (n != t && n != t2))
            set_xsp(c, n, wb);
    }
    return EXEC_NEXT;
}

/* opc 101 1 0 idx L imm7 Rt2 Rn Rt: opc 00 S, 01 D, 10 Q */
int h_ldst_pair_v(CPUState *c, uint32_t insn)
{
    unsigned opc = insn >> 30, idx = bits32(insn, 24, 23);
    bool load = bit32(insn, 22);
    if (unlikely(opc == 3))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned bytes = 4u << opc;
    unsigned n = ls_rn(insn), t = ls_rt(insn), t2 = ls_rt2(insn);
    uint64_t wb, addr = pair_addr(c, insn, bytes, idx, &wb);
    if (load) {
        uint64_t lo1, hi1, lo2, hi2;
        ls_vload(c, addr, bytes, &lo1, &hi1);
        ls_vload(c, addr + bytes, bytes, &lo2, &hi2);
        ls_vset(c, t, bytes, lo1, hi1);
        ls_vset(c, t2, bytes, lo2, hi2);
    } else {
        ls_probe_write(c, addr, 2 * bytes, 0);
        ls_vstore(c, addr, bytes, t);
        ls_vstore(c, addr + bytes, bytes, t2);
    }
    if (idx == PAIR_POST || idx == PAIR_PRE)
        set_xsp(c, n, wb);
    return EXEC_NEXT;
}
