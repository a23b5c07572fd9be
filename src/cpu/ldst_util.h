/*
 * Shared helpers of the A64 load/store groups (src/cpu/ldst_*.c, atomic.c):
 * field extraction, the SP alignment check, alignment-fault raising, the
 * FP/SIMD register transfer helpers, and the handler prototypes the single
 * decode fragment a64_ldst_patterns (ldst.c) refers to.
 *
 * Arm ARM references: C3.3 (Loads and stores), C4.1.x (encoding index,
 * "Loads and Stores"), the shared pseudocode functions CheckSPAlignment(),
 * Mem[], AArch64.MemSingle[] and ExclusiveMonitorsPass().
 */
#ifndef A83_LDST_UTIL_H
#define A83_LDST_UTIL_H

#include "core/machine.h"
#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/exception.h"
#include "cpu/fpaccess.h"
#include "cpu/vreg.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"
#include "trace/trace.h"

/** Base address of a load/store: X[n], or SP when n == 31, with the SP
 *  alignment check (Arm ARM D1.8.2, CheckSPAlignment(): EC 0x26 when
 *  SCTLR_ELx.SA/SA0 is set and SP is not 16-byte aligned). */
static inline uint64_t ls_base(CPUState *c, unsigned n)
{
    if (n == 31) {
        if (unlikely(c->sp & 15))
            cpu_check_sp_alignment(c, c->sp);
        return c->sp;
    }
    return c->x[n];
}

/** Raises an Alignment fault data abort (DFSC 0b100001) for va. Used where
 *  the architecture requires an alignment larger than one mem_read()
 *  (16-byte exclusive pairs, CASP, LDR Q under strict alignment). */
_Noreturn void ls_align_fault(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags);

/** Raises a synchronous External abort for va (a PA that is unmapped or
 *  rejected by a device, found after translation). */
_Noreturn void ls_extabt(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags);

/** Records a physical access made outside mem_read()/mem_write() (atomics,
 *  store-exclusives) for the Tarmac trace and the cache model. */
static inline void ls_trace(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val,
                            bool write)
{
    if (unlikely(c->m->slow_path))
        mem_observe(c, va, pa, size, val, write);
}

/** For a store of total bytes that crosses a page boundary and is made of
 *  several accesses (STP, STR Q): probes write permission on the last page
 *  first, so a fault there leaves memory unchanged. */
static inline void ls_probe_write(CPUState *c, uint64_t va, unsigned total, uint32_t flags)
{
    if (unlikely((va & (PAGE_SIZE - 1)) + total > PAGE_SIZE))
        mem_translate(c, va + total - 1, ACC_WRITE, 1, flags & ~MEMF_ALIGN);
}

/** Loads an FP/SIMD register value of size bytes (1, 2, 4, 8, 16) at va
 *  into lo/hi (hi = 0 unless size == 16). */
static inline void ls_vload(CPUState *c, uint64_t va, unsigned size, uint64_t *lo, uint64_t *hi)
{
    if (size == 16) {
        if (unlikely(c->strict_align && (va & 15)))
            ls_align_fault(c, va, ACC_READ, 16, 0);
        *lo = mem_read(c, va, 8, 0);
        *hi = mem_read(c, va + 8, 8, 0);
    } else {
        *lo = mem_read(c, va, size, 0);
        *hi = 0;
    }
}

/** Stores the low size bytes (1, 2, 4, 8, 16) of Vt at va. Faults on the
 *  second half of a Q store are detected before the first half is written. */
static inline void ls_vstore(CPUState *c, uint64_t va, unsigned size, unsigned t)
{
    if (size == 16) {
        if (unlikely(c->strict_align && (va & 15)))
            ls_align_fault(c, va, ACC_WRITE, 16, 0);
        ls_probe_write(c, va, 16, 0);
        uint64_t lo = c->v[t][0], hi = c->v[t][1];
        mem_write(c, va, 8, lo, 0);
        mem_write(c, va + 8, 8, hi, 0);
    } else {
        mem_write(c, va, size, c->v[t][0], 0);
    }
}

/** Writes a loaded FP/SIMD value: the V[] write zeroes the bits above size. */
static inline void ls_vset(CPUState *c, unsigned t, unsigned size, uint64_t lo, uint64_t hi)
{
    if (size == 16)
        vreg_set(c, t, lo, hi, true);
    else
        vreg_set_scalar(c, t, size, lo);
}

/** Sign-extends the low 8*size bits of v and truncates to 32 bits when the
 *  destination is a W register (regsize 32) - LDRSB/LDRSH/LDRSW. */
static inline uint64_t ls_sext(uint64_t v, unsigned size, bool to64)
{
    uint64_t s = (uint64_t)sext64(v, size * 8);
    return to64 ? s : (uint32_t)s;
}

/* ---- Single general-purpose register transfers --------------------------- */

/** What a (size, opc) pair of the single-register encodings does (Arm ARM
 *  C4.1.x "Load/store register (...)" tables): opc 00 store, 01 load,
 *  10 signed load to X (size 11: PRFM), 11 signed load to W (size 1x:
 *  unallocated). */
enum { LSK_STORE, LSK_LOAD, LSK_LOADS64, LSK_LOADS32, LSK_PRFM, LSK_UNDEF };

/* Constant-folding form of the table, for the decode-time specialised
 * handlers (the macros below instantiate one per (size, opc)). */
#define LS_KIND(size, opc)                                                              \
    ((opc) == 0 ? LSK_STORE : (opc) == 1 ? LSK_LOAD                                    \
     : (opc) == 2 ? ((size) == 3 ? LSK_PRFM : LSK_LOADS64)                              \
     : ((size) >= 2 ? LSK_UNDEF : LSK_LOADS32))

static inline unsigned ls_kind(unsigned size, unsigned opc) { return LS_KIND(size, opc); }

/* The allocated (size, opc) pairs of the single-register GPR encodings that
 * access memory: X(size, opc) for each (PRFM, size 11 opc 10, and the
 * unallocated size 1x opc 11 are not listed). Used to instantiate one
 * handler and one decode pattern per form, so the access size and kind are
 * decided once at decode time. */
#define LS_GPR_FORMS(X)                                                                 \
    X(0, 0) X(0, 1) X(0, 2) X(0, 3) X(1, 0) X(1, 1) X(1, 2) X(1, 3)                     \
    X(2, 0) X(2, 1) X(2, 2) X(3, 0) X(3, 1)

/* Two-character bit strings of a 2-bit field, for building patterns. */
#define LS_B2_0 "00"
#define LS_B2_1 "01"
#define LS_B2_2 "10"
#define LS_B2_3 "11"

/**
 * Host pointer for a RAM access of total bytes at va when it can use the
 * fast path of the current context: the TLB has a fast tag for the page
 * (read or write), the access stays inside the page, and under strict
 * alignment va is aligned to the element size elem. Otherwise NULL (use
 * mem_read()/mem_write(), which handle every other case). Mirrors the
 * inline fast path of mem.h for multi-element accesses (pairs).
 */
static inline uint8_t *ls_fast_ptr(CPUState *c, uint64_t va, unsigned total, unsigned elem,
                                   bool write)
{
    const TLBEntry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
    uint64_t tag = write ? e->tag_w : e->tag_r;
    if (likely(tag == (va & PAGE_MASK) && (va & (PAGE_SIZE - 1)) <= PAGE_SIZE - total &&
               !(c->strict_align && (va & (elem - 1)))))
        return (uint8_t *)(uintptr_t)(va + e->addend);
    return NULL;
}

/**
 * Performs the access of a single-register load/store of kind (LSK_STORE,
 * LSK_LOAD, LSK_LOADS64, LSK_LOADS32) of 1 << size bytes at addr to/from
 * X[t] (XZR for t == 31). isv: the data-abort syndrome is valid (no
 * writeback; Arm ARM D17.2.37 ESR_ELx.ISV). flags: extra MEMF_* bits.
 */
static inline void ls_gpr(CPUState *c, unsigned kind, unsigned size, unsigned t, uint64_t addr,
                          uint32_t flags, bool isv)
{
    unsigned bytes = 1u << size;
    uint64_t v;
    switch (kind) {
    case LSK_STORE:
        mem_write(c, addr, bytes, c->x[t], flags | (isv ? MEMF_GPR(t, size == 3, 0) : 0));
        break;
    case LSK_LOAD:
        v = mem_read(c, addr, bytes, flags | (isv ? MEMF_GPR(t, size == 3, 0) : 0));
        set_x(c, t, v);
        break;
    case LSK_LOADS64:
        v = mem_read(c, addr, bytes, flags | (isv ? MEMF_GPR(t, 1, 1) : 0));
        set_x(c, t, ls_sext(v, bytes, true));
        break;
    default: /* LSK_LOADS32 */
        v = mem_read(c, addr, bytes, flags | (isv ? MEMF_GPR(t, 0, 1) : 0));
        set_x(c, t, ls_sext(v, bytes, false));
        break;
    }
}

/* ---- Handlers (referenced by the decode fragment in ldst.c) ---------------- */

/* ldst_imm.c: single register, immediate and literal forms. h_uimm_SO and
 * h_imm9_SO are the unsigned-offset and unscaled/pre/post-index forms for
 * size S, opc O; h_reg_SO (ldst_reg.c) the register-offset forms. */
#define LS_DECL_GPR(sz, op)                                                             \
    int h_uimm_##sz##op(CPUState *c, uint32_t insn);                                    \
    int h_imm9_##sz##op(CPUState *c, uint32_t insn);                                    \
    int h_reg_##sz##op(CPUState *c, uint32_t insn);                                     \
    int h_reg_##sz##op##_20(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_21(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_30(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_31(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_60(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_61(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_70(CPUState *c, uint32_t insn);                                \
    int h_reg_##sz##op##_71(CPUState *c, uint32_t insn);
LS_GPR_FORMS(LS_DECL_GPR)
int h_prfm(CPUState *c, uint32_t insn);
int h_prfm_reg(CPUState *c, uint32_t insn);
int h_ldst_unpriv(CPUState *c, uint32_t insn);
int h_ldst_uimm_v(CPUState *c, uint32_t insn);
int h_ldst_imm9_v(CPUState *c, uint32_t insn);
int h_ldr_lit(CPUState *c, uint32_t insn);
int h_ldr_lit_v(CPUState *c, uint32_t insn);
/* ldst_reg.c: register offset (SIMD&FP) */
int h_ldst_reg_v(CPUState *c, uint32_t insn);
/* ldst_pair.c */
int h_ldp_w(CPUState *c, uint32_t insn);
int h_stp_w(CPUState *c, uint32_t insn);
int h_ldp_x(CPUState *c, uint32_t insn);
int h_stp_x(CPUState *c, uint32_t insn);
int h_ldpsw(CPUState *c, uint32_t insn);
int h_ldst_pair_v(CPUState *c, uint32_t insn);
/* ldst_excl.c: exclusives and ordered */
int h_ldst_excl(CPUState *c, uint32_t insn);
int h_ldst_excl_pair(CPUState *c, uint32_t insn);
int h_ldst_ordered(CPUState *c, uint32_t insn);

#endif
