/*
 * A64 single-register loads and stores with immediate addressing and the
 * literal forms (Arm ARM C4.1.x "Load/store register (unsigned immediate)",
 * "(unscaled immediate)", "(immediate post-indexed)", "(immediate
 * pre-indexed)", "(unprivileged)", "Load register (literal)"), for general
 * and SIMD&FP registers, plus the shared helpers of ldst_util.h.
 *
 * CONSTRAINED UNPREDICTABLE choices (Arm ARM K1.2.x, "Load/store with
 * writeback when the base register is also the transfer register"):
 *  - load with writeback and n == t (n != 31): Constraint_WBSUPPRESS, the
 *    writeback is suppressed and Xt holds the loaded value;
 *  - store with writeback and n == t (n != 31): Constraint_NONE, the value
 *    stored is the value of Xt before the writeback.
 */
#include "cpu/decode_fields.h"
#include "cpu/ldst_util.h"
#include "el2/traps.h"

/* ---- Shared helpers ---------------------------------------------------------- */

_Noreturn void ls_align_fault(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags)
{
    FaultRecord fr = { .type = FAULT_ALIGNMENT, .write = acc == ACC_WRITE };
    mmu_raise_abort(c, va, &fr, acc, size, flags);
}

_Noreturn void ls_extabt(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags)
{
    FaultRecord fr = { .type = FAULT_SYNCEXT, .write = acc == ACC_WRITE };
    mmu_raise_abort(c, va, &fr, acc, size, flags);
}

/* ---- General registers --------------------------------------------------------- */

/* LDR/STR/LDRB/... (immediate, unsigned offset), one handler per
 * (size, opc): size 111 0 01 opc imm12 Rn Rt; offset = imm12 << size. */
#define DEF_UIMM(sz, op)                                                                \
    int h_uimm_##sz##op(CPUState *c, uint32_t insn)                                     \
    {                                                                                   \
        uint64_t addr = ls_base(c, FIELD(h_uimm_##sz##op, n, insn)) +                   \
                        ((uint64_t)FIELD(h_uimm_##sz##op, i, insn) << (sz));            \
        ls_gpr(c, LS_KIND(sz, op), sz, FIELD(h_uimm_##sz##op, t, insn), addr, 0, true); \
        return EXEC_NEXT;                                                               \
    }
LS_GPR_FORMS(DEF_UIMM)

/* PRFM (immediate, literal) and PRFUM: a hint; no access, never faults. */
int h_prfm(CPUState *c, uint32_t insn)
{
    (void)c;
    (void)insn;
    return EXEC_NEXT;
}

/* LDUR/STUR (bits 11:10 = 00), post-index (01) and pre-index (11):
 * size 111 0 00 opc 0 imm9 xx Rn Rt. Writeback overlap: see the file
 * comment. */
static inline int ldst_imm9(CPUState *c, uint32_t insn, unsigned size, unsigned kind, unsigned n,
                            unsigned t, uint32_t imm9)
{
    /* bits 11:10 by position: fixed by each of the three rows (LDUR 00,
     * post-index 01, pre-index 11), which share one handler per size and
     * opc so that the hot forms share their code. */
    unsigned idx = bits32(insn, 11, 10);
    int64_t off = sext64(imm9, 9);
    uint64_t base = ls_base(c, n);
    if (idx == 0) {
        ls_gpr(c, kind, size, t, base + (uint64_t)off, 0, true);
        return EXEC_NEXT;
    }
    uint64_t addr = idx == 1 ? base : base + (uint64_t)off;
    ls_gpr(c, kind, size, t, addr, 0, false);
    /* Loads with n == t: writeback suppressed (Constraint_WBSUPPRESS). */
    if (kind == LSK_STORE || n != t || n == 31)
        set_xsp(c, n, base + (uint64_t)off);
    return EXEC_NEXT;
}

#define DEF_IMM9(sz, op)                                                                \
    int h_imm9_##sz##op(CPUState *c, uint32_t insn)                                    \
    {                                                                                   \
        return ldst_imm9(c, insn, sz, LS_KIND(sz, op), FIELD(h_imm9_##sz##op, n, insn),  \
                         FIELD(h_imm9_##sz##op, t, insn), FIELD(h_imm9_##sz##op, i, insn)); \
    }
LS_GPR_FORMS(DEF_IMM9)

/* Whether an LDTR/STTR at the current EL is an unprivileged access
 * (AccType_UNPRIV), per the LDTR/STTR pseudocode: at EL1 unless
 * HCR_EL2.{NV,NV1} == {1,1} (FEAT_NV: the EL1 guest hypervisor's LDTR acts
 * as at EL2 with E2H=0); at EL2 only with HCR_EL2.{E2H,TGE} == {1,1}. At
 * EL0 it makes no difference. PSTATE.UAO, which turns it off again, is
 * applied by the memory path (mem.c). Returns MEMF_UNPRIV or 0. */
static inline uint32_t unpriv_flag(const CPUState *c)
{
    return el2_ldst_unpriv(c) ? MEMF_UNPRIV : 0;
}

/* LDTR/STTR/LDTRB/... (unprivileged): size 111 0 00 opc 0 imm9 10 Rn Rt.
 * The access uses EL0 permissions when unpriv_flag() says so and
 * PSTATE.UAO is 0 (Arm ARM C6.2 LDTR, FEAT_UAO). */
int h_ldst_unpriv(CPUState *c, uint32_t insn)
{
    /* opc (bits 23:22) by position: the three rows fix opc<0> or opc<1>
     * (store, load, signed load: split for their timing class). */
    unsigned size = FIELD(h_ldst_unpriv, s, insn), opc = bits32(insn, 23, 22);
    unsigned kind = ls_kind(size, opc);
    if (unlikely(kind >= LSK_PRFM))
        cpu_undefined(c);
    int64_t off = sext64(FIELD(h_ldst_unpriv, i, insn), 9);
    uint64_t addr = ls_base(c, FIELD(h_ldst_unpriv, n, insn)) + (uint64_t)off;
    ls_gpr(c, kind, size, FIELD(h_ldst_unpriv, t, insn), addr, unpriv_flag(c), true);
    return EXEC_NEXT;
}

/* LDR (literal) W/X, LDRSW (literal), PRFM (literal): opc 011 0 00 imm19 Rt. */
int h_ldr_lit(CPUState *c, uint32_t insn)
{
    unsigned opc = insn >> 30;   /* opc<1> is fixed by the row (LDR, LDRSW): by position */
    unsigned t = FIELD(h_ldr_lit, t, insn);   /* opc 11 (PRFM) decodes to h_prfm */
    uint64_t addr = c->pc + (uint64_t)(sext64(FIELD(h_ldr_lit, i, insn), 19) * 4);
    if (opc == 2) {
        uint64_t v = mem_read(c, addr, 4, MEMF_GPR(t, 1, 1));
        set_x(c, t, ls_sext(v, 4, true));
    } else {
        unsigned bytes = opc ? 8 : 4;
        set_x(c, t, mem_read(c, addr, bytes, MEMF_GPR(t, opc, 0)));
    }
    return EXEC_NEXT;
}

/* ---- SIMD&FP registers ----------------------------------------------------------- */

/* Access size in bytes from size and opc<1> (opc<1> = 1 only with size 00:
 * the 128-bit Q form); 0 for the unallocated combinations. */
static inline unsigned v_bytes(unsigned size, unsigned opc)
{
    if (opc & 2)
        return size == 0 ? 16 : 0;
    return 1u << size;
}

static inline void v_access(CPUState *c, bool load, unsigned bytes, unsigned t, uint64_t addr)
{
    if (load) {
        uint64_t lo, hi;
        ls_vload(c, addr, bytes, &lo, &hi);
        ls_vset(c, t, bytes, lo, hi);
    } else {
        ls_vstore(c, addr, bytes, t);
    }
}

/* LDR/STR (immediate, SIMD&FP), unsigned offset: size 111 1 01 opc imm12 Rn Rt. */
int h_ldst_uimm_v(CPUState *c, uint32_t insn)
{
    /* opc<0> (L, bit 22) is fixed by the row (st/ld, split for the timing
     * class), opc<1> is the row's o: opc read whole by position. */
    unsigned size = FIELD(h_ldst_uimm_v, s, insn), opc = bits32(insn, 23, 22);
    unsigned bytes = v_bytes(size, opc);
    if (unlikely(!bytes))
        cpu_undefined(c);
    fp_check_access(c);
    uint64_t addr = ls_base(c, FIELD(h_ldst_uimm_v, n, insn)) +
                    (uint64_t)FIELD(h_ldst_uimm_v, i, insn) * bytes;
    v_access(c, opc & 1, bytes, FIELD(h_ldst_uimm_v, t, insn), addr);
    return EXEC_NEXT;
}

/* LDUR/STUR (SIMD&FP) and LDR/STR (immediate, SIMD&FP) post/pre-index:
 * size 111 1 00 opc 0 imm9 xx Rn Rt with xx != 10. */
int h_ldst_imm9_v(CPUState *c, uint32_t insn)
{
    /* opc as in h_ldst_uimm_v; bits 11:10 are fixed by each row (LDUR,
     * post, pre), which share this handler: both by position. */
    unsigned size = FIELD(h_ldst_imm9_v, s, insn), opc = bits32(insn, 23, 22);
    unsigned idx = bits32(insn, 11, 10);
    unsigned bytes = v_bytes(size, opc);
    if (unlikely(!bytes || idx == 2))
        cpu_undefined(c);                 /* no unprivileged SIMD&FP form */
    fp_check_access(c);
    unsigned n = FIELD(h_ldst_imm9_v, n, insn);
    int64_t off = sext64(FIELD(h_ldst_imm9_v, i, insn), 9);
    uint64_t base = ls_base(c, n);
    uint64_t addr = idx == 1 ? base : base + (uint64_t)off;
    v_access(c, opc & 1, bytes, FIELD(h_ldst_imm9_v, t, insn), addr);
    if (idx != 0)
        set_xsp(c, n, base + (uint64_t)off);
    return EXEC_NEXT;
}

/* LDR (literal, SIMD&FP): opc 011 1 00 imm19 Rt, opc = 00 S, 01 D, 10 Q. */
int h_ldr_lit_v(CPUState *c, uint32_t insn)
{
    unsigned opc = FIELD(h_ldr_lit_v, o, insn);
    if (unlikely(opc == 3))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned bytes = 4u << opc;
    uint64_t addr = c->pc + (uint64_t)(sext64(FIELD(h_ldr_lit_v, i, insn), 19) * 4);
    v_access(c, true, bytes, FIELD(h_ldr_lit_v, t, insn), addr);
    return EXEC_NEXT;
}
