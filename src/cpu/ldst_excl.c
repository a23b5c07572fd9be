/*
 * A64 load/store exclusive and ordered (Arm ARM C4.1.x "Load/store
 * exclusive register", "Load/store exclusive pair", "Load/store ordered"):
 * LDXR/LDXRB/LDXRH, LDAXR{B,H}, STXR{B,H}, STLXR{B,H}, LDXP/LDAXP/STXP/STLXP (32- and
 * 64-bit pairs), LDAR{B,H}/STLR{B,H}, and LDLAR{B,H}/STLLR{B,H} (FEAT_LOR only).
 *
 * The local exclusive monitor (Arm ARM B2.9) is CPUState.excl_*: a load
 * exclusive marks {PA, size} (mem_read() with MEMF_EXCL does it); a store
 * exclusive translates for write (faults are taken whether or not the
 * monitor check passes, as in AArch64.ExclusiveMonitorsPass()), succeeds
 * only if the monitor holds the same PA and size, writes through
 * phys_write() (which clears other PEs' monitors of the location) and
 * always clears the local monitor.
 *
 * Exclusives and ordered accesses must be aligned to their total size
 * (alignment fault otherwise, regardless of SCTLR_ELx.A). Exclusives have
 * no valid data-abort syndrome (ESR_ELx.ISV = 0); LDAR/STLR have one, with
 * AR = 1.
 *
 * CONSTRAINED UNPREDICTABLE choices (Arm ARM K1.2.x):
 *  - STXR/STXP with Ws == Rt, Rt2 or Rn (Rn != 31): Constraint_NONE - the
 *    address and data are read before the status is written, so the store
 *    uses the registers' original values;
 *  - LDXP/LDAXP with Rt == Rt2: Constraint_UNKNOWN - Rt2 is written last
 *    and holds the higher-addressed element.
 */
#include "cpu/decode_fields.h"
#include "cpu/ldst_util.h"

/* o0 (the rows' o): acquire-release (LDAXR, STLXR, ...). */
static inline uint32_t ar_flag(unsigned o0) { return o0 ? MEMF_AR : 0; }

/* Store-exclusive commit: status 0 and the write if the monitor covers
 * {pa, bytes}; in every case the local monitor is cleared. val2 is the
 * upper 8 bytes of a 16-byte pair. */
static unsigned excl_commit(CPUState *c, uint64_t va, uint64_t pa, unsigned bytes, uint64_t val,
                            uint64_t val2, uint32_t flags)
{
    unsigned status = 1;
    if (c->excl_valid && c->excl_pa == pa && c->excl_size == bytes) {
        if (bytes == 16) {
            if (!phys_write(c, pa, 8, val) || !phys_write(c, pa + 8, 8, val2))
                ls_extabt(c, va, ACC_WRITE, 8, flags);
            ls_trace(c, va, pa, 8, val, true);
            ls_trace(c, va + 8, pa + 8, 8, val2, true);
        } else {
            if (!phys_write(c, pa, bytes, val))
                ls_extabt(c, va, ACC_WRITE, bytes, flags);
            ls_trace(c, va, pa, bytes, val, true);
        }
        status = 0;
    }
    c->excl_valid = false;
    return status;
}

/* size 001000 0 L 0 Rs o0 Rt2 Rn Rt: STXR/STLXR (L=0), LDXR/LDAXR (L=1). */
int h_ldst_excl(CPUState *c, uint32_t insn)
{
    unsigned size = FIELD(h_ldst_excl, s, insn), bytes = 1u << size;
    unsigned t = FIELD(h_ldst_excl, t, insn);
    uint32_t flags = MEMF_EXCL | MEMF_ALIGN | ar_flag(FIELD(h_ldst_excl, o, insn));
    uint64_t va = ls_base(c, FIELD(h_ldst_excl, n, insn));
    if (bit32(insn, 22)) {   /* L: fixed by the row (st/ld, for the timing class) */
        set_x(c, t, mem_read(c, va, bytes, flags));
        return EXEC_NEXT;
    }
    uint64_t data = c->x[t];
    uint64_t pa = mem_translate(c, va, ACC_WRITE, bytes, flags);
    set_w(c, FIELD(h_ldst_excl, r, insn), excl_commit(c, va, pa, bytes, data, 0, flags));
    return EXEC_NEXT;
}

/* 1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt: STXP/STLXP, LDXP/LDAXP. sz=0: two
 * 32-bit registers (one 8-byte access); sz=1: two 64-bit registers (16
 * bytes, 16-byte aligned). Rt is at the lower address (little-endian). */
int h_ldst_excl_pair(CPUState *c, uint32_t insn)
{
    bool x64 = FIELD(h_ldst_excl_pair, z, insn);
    unsigned t = FIELD(h_ldst_excl_pair, t, insn), t2 = FIELD(h_ldst_excl_pair, u, insn);
    uint32_t flags = MEMF_EXCL | MEMF_ALIGN | ar_flag(FIELD(h_ldst_excl_pair, o, insn));
    uint64_t va = ls_base(c, FIELD(h_ldst_excl_pair, n, insn));
    if (bit32(insn, 22)) {   /* L: fixed by the row (st/ld, for the timing class) */
        uint64_t v1, v2;
        if (x64) {
            if (va & 15)
                ls_align_fault(c, va, ACC_READ, 16, flags);
            v1 = mem_read(c, va, 8, flags);
            v2 = mem_read(c, va + 8, 8, flags & ~MEMF_EXCL);
            c->excl_size = 16;           /* the monitor covers both halves */
            c->excl_val[0] = v1;
            c->excl_val[1] = v2;
        } else {
            uint64_t v = mem_read(c, va, 8, flags);
            v1 = (uint32_t)v;
            v2 = v >> 32;
            c->excl_val[0] = v;
        }
        set_x(c, t, v1);
        set_x(c, t2, v2);
        return EXEC_NEXT;
    }
    unsigned bytes = x64 ? 16 : 8;
    uint64_t d1 = c->x[t], d2 = c->x[t2];
    uint64_t pa = mem_translate(c, va, ACC_WRITE, bytes, flags);
    unsigned st = x64 ? excl_commit(c, va, pa, 16, d1, d2, flags)
                      : excl_commit(c, va, pa, 8, (uint32_t)d1 | d2 << 32, 0, flags);
    set_w(c, FIELD(h_ldst_excl_pair, r, insn), st);
    return EXEC_NEXT;
}

/* size 001000 1 L 0 Rs o0 Rt2 Rn Rt: STLR/LDAR (o0=1), STLLR/LDLAR (o0=0,
 * FEAT_LOR; UNDEFINED when it is not implemented). The single-threaded
 * scheduler makes every access sequentially consistent, so the ordering
 * semantics need no action. */
int h_ldst_ordered(CPUState *c, uint32_t insn)
{
    if (unlikely(!FIELD(h_ldst_ordered, o, insn) && !has_feat(c, FEAT_LOR)))
        cpu_undefined(c);
    unsigned size = FIELD(h_ldst_ordered, s, insn), t = FIELD(h_ldst_ordered, t, insn);
    uint32_t flags = MEMF_GPR(t, size == 3, 0) | MEMF_AR | MEMF_ALIGN;
    uint64_t va = ls_base(c, FIELD(h_ldst_ordered, n, insn));
    if (bit32(insn, 22))   /* L: fixed by the row (st/ld, for the timing class) */
        set_x(c, t, mem_read(c, va, 1u << size, flags));
    else
        mem_write(c, va, 1u << size, c->x[t], flags);
    return EXEC_NEXT;
}
