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
#include "cpu/decode_fields.h"
#include "cpu/ldst_util.h"

/* Bits 24:23 of the pair encodings. */
enum { PAIR_NOALLOC = 0, PAIR_POST = 1, PAIR_OFFSET = 2, PAIR_PRE = 3 };

/* The operands of a pair row "opc 101 V idx L imm7 Rt2 Rn Rt", read with
 * the accessors of its handler H (PAIR_OPS(H)). */
typedef struct PairOps {
    unsigned idx, n, t, t2;
    uint32_t imm7;
} PairOps;
#define PAIR_OPS(H)                                                              \
    ((PairOps){ .idx = FIELD(H, p, insn), .n = FIELD(H, n, insn), .t = FIELD(H, t, insn), \
                .t2 = FIELD(H, u, insn), .imm7 = FIELD(H, i, insn) })

/* Computes the access address and the writeback address of a pair. */
static inline uint64_t pair_addr(CPUState *c, PairOps o, unsigned bytes, uint64_t *wbaddr)
{
    unsigned idx = o.idx;
    int64_t off = sext64(o.imm7, 7) * (int64_t)bytes;
    uint64_t base = ls_base(c, o.n);
    *wbaddr = base + (uint64_t)off;
    return idx == PAIR_POST ? base : *wbaddr;
}

static inline uint64_t ld_host(const uint8_t *p, unsigned bytes)
{
    if (bytes == 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline void st_host(uint8_t *p, unsigned bytes, uint64_t v)
{
    if (bytes == 8) {
        memcpy(p, &v, 8);
    } else {
        uint32_t w = (uint32_t)v;
        memcpy(p, &w, 4);
    }
}

/* LDP (W, X) and LDPSW: opc 101 0 0 idx 1 imm7 Rt2 Rn Rt. bytes and sgn are
 * constants of the specialised handlers below. */
static inline int ldp_gpr(CPUState *c, PairOps o, unsigned bytes, bool sgn)
{
    unsigned idx = o.idx, n = o.n, t = o.t, t2 = o.t2;
    uint64_t wb, addr = pair_addr(c, o, bytes, &wb);
    uint64_t v1, v2;
    const uint8_t *p = ls_fast_ptr(c, addr, 2 * bytes, bytes, false);
    if (likely(p != NULL)) {
        v1 = ld_host(p, bytes);
        v2 = ld_host(p + bytes, bytes);
    } else {
        v1 = mem_read(c, addr, bytes, 0);
        v2 = mem_read(c, addr + bytes, bytes, 0);
    }
    if (sgn) {
        v1 = ls_sext(v1, 4, true);
        v2 = ls_sext(v2, 4, true);
    }
    set_x(c, t, v1);
    set_x(c, t2, v2);
    /* writeback, suppressed when n == t or n == t2 (Constraint_WBSUPPRESS) */
    if ((idx == PAIR_POST || idx == PAIR_PRE) && (n == 31 || (n != t && n != t2)))
        set_xsp(c, n, wb);
    return EXEC_NEXT;
}

/* STP (W, X): opc 101 0 0 idx 0 imm7 Rt2 Rn Rt. */
static inline int stp_gpr(CPUState *c, PairOps o, unsigned bytes)
{
    unsigned idx = o.idx, n = o.n;
    uint64_t wb, addr = pair_addr(c, o, bytes, &wb);
    uint64_t v1 = c->x[o.t], v2 = c->x[o.t2];
    uint8_t *p = ls_fast_ptr(c, addr, 2 * bytes, bytes, true);
    if (likely(p != NULL)) {
        st_host(p, bytes, v1);
        st_host(p + bytes, bytes, v2);
    } else {
        ls_probe_write(c, addr, 2 * bytes, 0);
        mem_write(c, addr, bytes, v1, 0);
        mem_write(c, addr + bytes, bytes, v2, 0);
    }
    if (idx == PAIR_POST || idx == PAIR_PRE)
        set_xsp(c, n, wb);
    return EXEC_NEXT;
}

int h_ldp_w(CPUState *c, uint32_t insn) { return ldp_gpr(c, PAIR_OPS(h_ldp_w), 4, false); }
int h_ldp_x(CPUState *c, uint32_t insn) { return ldp_gpr(c, PAIR_OPS(h_ldp_x), 8, false); }
int h_stp_w(CPUState *c, uint32_t insn) { return stp_gpr(c, PAIR_OPS(h_stp_w), 4); }
int h_stp_x(CPUState *c, uint32_t insn) { return stp_gpr(c, PAIR_OPS(h_stp_x), 8); }

/* LDPSW: no no-allocate form (LDNPSW is unallocated). */
int h_ldpsw(CPUState *c, uint32_t insn)
{
    if (unlikely(FIELD(h_ldpsw, p, insn) == PAIR_NOALLOC))
        cpu_undefined(c);
    return ldp_gpr(c, PAIR_OPS(h_ldpsw), 4, true);
}

/* opc 101 1 0 idx L imm7 Rt2 Rn Rt: opc 00 S, 01 D, 10 Q */
int h_ldst_pair_v(CPUState *c, uint32_t insn)
{
    PairOps o = PAIR_OPS(h_ldst_pair_v);
    unsigned opc = FIELD(h_ldst_pair_v, o, insn), idx = o.idx;
    bool load = bit32(insn, 22);      /* L: fixed by the row (st/ld) */
    if (unlikely(opc == 3))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned bytes = 4u << opc;
    unsigned n = o.n, t = o.t, t2 = o.t2;
    uint64_t wb, addr = pair_addr(c, o, bytes, &wb);
    uint8_t *p = ls_fast_ptr(c, addr, 2 * bytes, bytes, !load);
    if (likely(p != NULL)) {
        /* one page, fast TLB tag: copy directly (V[] is little-endian in
         * memory order, as the guest's memory) */
        if (load) {
            uint64_t v1[2] = { 0, 0 }, v2[2] = { 0, 0 };
            memcpy(v1, p, bytes);
            memcpy(v2, p + bytes, bytes);
            memcpy(c->v[t], v1, 16);
            memcpy(c->v[t2], v2, 16);
        } else {
            uint8_t tmp[32];
            memcpy(tmp, c->v[t], bytes);
            memcpy(tmp + bytes, c->v[t2], bytes);
            memcpy(p, tmp, 2 * bytes);
        }
    } else if (load) {
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
