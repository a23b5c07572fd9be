/*
 * The translator: load/store fast paths (jit_inline.h, jit_inline_mem()).
 *
 * The inline code does exactly what mem.h's mem_read()/mem_write() fast
 * path (and ls_fast_ptr() for pairs) does: index the current context's
 * host TLB (CPUState.tlb) by the VA's page, compare the entry's read or
 * write tag with the page of the access's last byte (so a page-crossing
 * access, a slow page - MMIO, code, exclusive monitor, watchpoint - and an
 * entry the TLB model has dropped from its L1 all miss), and on a hit
 * access host memory at VA + addend. A host hit is a hit of the model's L1
 * with no state change (docs/ARCHITECTURE.md "Memory"), so the modelled
 * TLB and every simulated cost see the same as with the interpreter.
 * Registers come from the block's register cache (jit_regs.h): read with
 * jr_peek(), which leaves the cache's map as it was before the instruction
 * at every jump to the slow path (so the slow path writes back exactly the
 * registers that were dirty then), and written - the loaded registers, the
 * writeback base - with jr_write() after the last such jump.
 * Anything else goes to the slow path, which calls the instruction's own
 * handler with exact state; the handler repeats the same test, misses the
 * same way and takes mem_read_slow()/mem_write_slow() (translation, model
 * costs, faults, MMIO, mem_code_written()). The cases sent to the slow path
 * without a TLB test are conservative: a misaligned access wider than a
 * byte while strict alignment checking is on (SCTLR_ELx.A, or the MMU off),
 * and an SP base that is not
 * 16-byte aligned (CheckSPAlignment(), Arm ARM D1.8.2).
 *
 * Forms (Arm ARM C4.1.x "Loads and Stores", C6.2 pseudocode):
 *  - LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH/LDRSW (unsigned immediate,
 *    unscaled LDUR/STUR forms, pre- and post-index, register offset with
 *    UXTW/LSL/SXTW/SXTX and an optional shift by the size), and the
 *    unprivileged LDTR/STTR forms, looked up in the context they use now
 *    (CPUState.tlb_unpriv: EL0's at EL1 or in a VHE host, unless PSTATE.UAO
 *    or FEAT_NV's NV/NV1 make them ordinary accesses): Rn 31 is SP,
 *    Rt and Rm 31 XZR; writeback forms with Rn == Rt (CONSTRAINED UNPREDICTABLE) stay
 *    with the handler, as do PRFM and the unallocated size/opc pairs;
 *  - LDAR/STLR/LDARB/STLRB/LDARH/STLRH (C6.2.104, C6.2.310 ...): [Xn|SP]
 *    with no offset, misaligned always to the slow path (MEMF_ALIGN);
 *  - the FEAT_LSE atomics LD<op> (ADD, CLR, EOR, SET, SMAX, SMIN, UMAX,
 *    UMIN; ST<op>), SWP, CAS
 *    (decode_atomic(), emit_atomic()): aligned, read and write tags both
 *    hitting (atomic.c atomic_pa());
 *  - LDP/STP of W and X registers (signed offset, pre- and post-index);
 *    LDP with Rt == Rt2 and writeback forms overlapping Rn stay with the
 *    handler, as do LDNP/STNP and LDPSW;
 *  - the SIMD&FP forms of S, D and Q registers (LDR/STR with the same
 *    addressing forms but LDTR/STTR, which have none; LDP/STP/LDNP/STNP),
 *    while FP/SIMD is usable at the current EL (CPUState.fp_enabled: else
 *    the handler takes the trap, whose priority is above any address
 *    check). V[] stays in CPUState (the register cache holds only general
 *    registers): 8 bytes at a time through rcx, a load zeroing the bits of
 *    V[t] above the access. B and H registers stay with the handler.
 */
#include "jit/jit_inline.h"

#include <stddef.h>

#include "cpu/cpu.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"

#define COFF(f) ((int32_t)offsetof(CPUState, f))
#define EOFF(f) ((int32_t)offsetof(TLBEntry, f))


_Static_assert(sizeof(TLBEntry) == 1u << JIT_TLB_ENTRY_BITS, "jit_emit_tlb_entry() scales by a shift");
_Static_assert(PAGE_BITS > JIT_TLB_ENTRY_BITS, "the index is a right shift of the VA");

void jit_emit_tlb_entry(X86Buf *b, int32_t tlb_off)
{
    x86_mov_r64_r64(b, X86_RDX, X86_RAX);
    x86_shift_ri(b, X86_SHR, true, X86_RDX, PAGE_BITS - JIT_TLB_ENTRY_BITS);
    x86_alu_ri(b, X86_AND, false, X86_RDX, (TLB_SIZE - 1) << JIT_TLB_ENTRY_BITS);
    x86_add_r64_m64(b, X86_RDX, X86_RBX, tlb_off);
}

/* A decoded access. */
typedef struct MemOp {
    unsigned n, t, t2;      /* base, transfer registers (t2: pairs) */
    unsigned bytes;         /* per register */
    bool pair, store, sext, sext64;
    int32_t off;            /* added to the base for the address (pre/offset) */
    int rm;                 /* register offset: Rm (-1: none), ExtendReg() option, LSL amount */
    unsigned option, amount;
    int32_t wb_off;         /* added to the base for the writeback */
    bool wback, post;
    bool unpriv;            /* LDTR/STTR: CPUState.tlb_unpriv, the context they use now */
    bool vec;               /* SIMD&FP registers (V[t]: 4, 8 or 16 bytes) */
    bool align;             /* must be size-aligned whatever SCTLR_ELx.A says (MEMF_ALIGN) */
    int amo;                /* an atomic read-modify-write (AMO_*), else AMO_NONE (0) */
    unsigned s;             /* its Rs */
} MemOp;

enum { AMO_NONE = 0, AMO_ADD, AMO_CLR, AMO_EOR, AMO_SET, AMO_SMAX, AMO_SMIN, AMO_UMAX, AMO_UMIN,
       AMO_SWP, AMO_CAS };   /* AMO_ADD + opc */

static void add_slow(uint8_t **slow, unsigned *nslow, uint8_t *f)
{
    slow[(*nslow)++] = f;
}

/* rax = the VA; rdx = the host address of its byte 0 on a hit. */
static void emit_lookup(const JitRegs *r, const MemOp *op, uint8_t **slow, unsigned *nslow,
                        JitRefill *rf)
{
    X86Buf *b = r->b;
    unsigned total = op->pair ? 2 * op->bytes : op->bytes;
    jr_peek(r, X86_RAX, op->n == 31 ? JR_SP : op->n);
    if (op->n == 31) {
        x86_test_ri(b, false, X86_RAX, 15);
        add_slow(slow, nslow, x86_jcc_rel32(b, X86_CC_NE, b->p));
    }
    if (op->off && !op->post)
        x86_alu_ri(b, X86_ADD, true, X86_RAX, op->off);
    if (op->rm >= 0) {
        jr_peek(r, X86_RCX, (unsigned)op->rm);
        jit_emit_extend(b, X86_RCX, op->option);
        if (op->amount)
            x86_shift_ri(b, X86_SHL, true, X86_RCX, (uint8_t)op->amount);
        x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RCX);
    }
    if (op->bytes > 1 && op->align) {
        /* LDAR/STLR and the atomics: misaligned, an Alignment fault (the
         * slow path's handler raises it) */
        x86_test_ri(b, false, X86_RAX, (int32_t)op->bytes - 1);
        add_slow(slow, nslow, x86_jcc_rel32(b, X86_CC_NE, b->p));
    } else if (op->bytes > 1) {
        /* a misaligned access (per register, as ls_fast_ptr()) with strict
         * alignment checking (SCTLR_ELx.A, or the MMU off: Device memory)
         * faults: the slow path raises it */
        x86_test_ri(b, false, X86_RAX, (int32_t)op->bytes - 1);
        uint8_t *aligned = x86_jcc_rel8(b, X86_CC_E);
        x86_cmp_m8_imm8(b, X86_RBX, COFF(strict_align), 0);
        add_slow(slow, nslow, x86_jcc_rel32(b, X86_CC_NE, b->p));
        x86_land_rel8(b, aligned);
    }
    jit_emit_tlb_entry(b, op->unpriv ? COFF(tlb_unpriv) : COFF(tlb));
    /* the tag must equal the page of the last byte (mem_tlb_hit()) */
    x86_lea_r64_disp(b, X86_RCX, X86_RAX, (int32_t)total - 1);
    x86_alu_ri(b, X86_AND, true, X86_RCX, (int32_t)PAGE_MASK);
    x86_cmp_r64_m64(b, X86_RCX, X86_RDX, op->store ? EOFF(tag_w) : EOFF(tag_r));
    rf->jcc = x86_jcc_rel32(b, X86_CC_NE, b->p);     /* a flagged entry's refresh, else slow */
    rf->tag_off = op->store ? EOFF(tag_w) : EOFF(tag_r);
    rf->acc = op->store ? ACC_WRITE : ACC_READ;
    rf->flags = op->unpriv ? MEMF_UNPRIV : 0;
    if (op->amo != AMO_NONE) {
        /* an atomic (a read first: op->store clear) needs the write tag
         * too (atomic.c atomic_pa()'s fast test): a code page's is slow,
         * so its handler makes the write visible to the next fetch
         * (mem_code_written()) */
        x86_cmp_r64_m64(b, X86_RCX, X86_RDX, EOFF(tag_w));
        add_slow(slow, nslow, x86_jcc_rel32(b, X86_CC_NE, b->p));
    }
    x86_mov_r64_m64(b, X86_RDX, X86_RDX, EOFF(addend));
}

/* The byte offset in CPUState of 64-bit half q of V[t]. */
static int32_t voff(unsigned t, unsigned q)
{
    return COFF(v) + (int32_t)(16 * t + 8 * q);
}

/* A SIMD&FP register's transfer through rcx, 8 bytes at a time (4 for an
 * S register): a load writes the whole V[t], zeroing the bits above the
 * access (Arm ARM C6.2 LDR (immediate, SIMD&FP): V[t] = ZeroExtend of the
 * data), in the order of the handlers (V[t], then V[t2]: LDP with Rt ==
 * Rt2 keeps the second). */
static void emit_vec_access(X86Buf *b, const MemOp *op, unsigned t, int8_t d)
{
    unsigned chunk = op->bytes < 8 ? op->bytes : 8;
    for (unsigned q = 0; q < 2; q++) {
        if (op->store) {
            if (8 * q >= op->bytes)
                break;
            x86_mov_r64_m64(b, X86_RCX, X86_RBX, voff(t, q));
            x86_store_bi(b, chunk, X86_RCX, X86_RAX, X86_RDX, (int8_t)(d + 8 * q));
        } else {
            if (8 * q < op->bytes)
                x86_load_bi(b, chunk, false, false, X86_RCX, X86_RAX, X86_RDX, (int8_t)(d + 8 * q));
            else
                x86_alu_rr(b, X86_XOR, false, X86_RCX, X86_RCX);
            x86_mov_m64_r64(b, X86_RBX, voff(t, q), X86_RCX);
        }
    }
}

/* An atomic's read-modify-write on host memory (rax + rdx), as atomic.c's
 * handlers do it on the PA: the old value zero-extended (rcx), the new one
 * (rsi) stored in its low bytes; Rt (LD<op>, SWP) or Rs (CAS) = the old
 * value after the last slow-path jump. CAS stores Rt only when the old
 * value equals Rs's low bytes. */
static void emit_atomic(JitRegs *r, const MemOp *op)
{
    X86Buf *b = r->b;
    unsigned sz = op->bytes;
    x86_load_bi(b, sz, false, false, X86_RCX, X86_RAX, X86_RDX, 0);
    jr_peek(r, X86_RSI, op->s);
    if (op->amo == AMO_CAS) {
        if (sz < 8)
            jit_emit_extend(b, X86_RSI, (unsigned)__builtin_ctz(sz));   /* UXTB/UXTH/UXTW */
        x86_alu_rr(b, X86_CMP, true, X86_RCX, X86_RSI);
        uint8_t *differ = x86_jcc_rel8(b, X86_CC_NE);
        jr_peek(r, X86_RSI, op->t);
        x86_store_bi(b, sz, X86_RSI, X86_RAX, X86_RDX, 0);
        x86_land_rel8(b, differ);
        if (op->s != 31)
            jr_write(r, op->s, X86_RCX);
        return;
    }
    switch (op->amo) {
    case AMO_ADD:
        x86_alu_rr(b, X86_ADD, true, X86_RSI, X86_RCX);
        break;
    case AMO_CLR:
        x86_not_r(b, true, X86_RSI);
        x86_alu_rr(b, X86_AND, true, X86_RSI, X86_RCX);
        break;
    case AMO_EOR:
        x86_alu_rr(b, X86_XOR, true, X86_RSI, X86_RCX);
        break;
    case AMO_SET:
        x86_alu_rr(b, X86_OR, true, X86_RSI, X86_RCX);
        break;
    case AMO_SMAX:
    case AMO_SMIN:
    case AMO_UMAX:
    case AMO_UMIN: {
        /* both operands moved to the top of the register, where a 64-bit
         * compare orders the access size's values as signed or unsigned
         * integers; the larger (smaller) goes to rsi, and both come back */
        uint8_t k = (uint8_t)(64 - 8 * sz);
        static const uint8_t take_old[4] = { X86_CC_G, X86_CC_L, X86_CC_A, X86_CC_B };
        if (k) {
            x86_shift_ri(b, X86_SHL, true, X86_RCX, k);
            x86_shift_ri(b, X86_SHL, true, X86_RSI, k);
        }
        x86_alu_rr(b, X86_CMP, true, X86_RCX, X86_RSI);
        x86_cmov(b, take_old[op->amo - AMO_SMAX], true, X86_RSI, X86_RCX);
        if (k) {
            x86_shift_ri(b, X86_SHR, true, X86_RCX, k);
            x86_shift_ri(b, X86_SHR, true, X86_RSI, k);
        }
        break;
    }
    default:            /* AMO_SWP: Rs as it is */
        break;
    }
    x86_store_bi(b, sz, X86_RSI, X86_RAX, X86_RDX, 0);
    if (op->t != 31)
        jr_write(r, op->t, X86_RCX);
}

static void emit_access(JitRegs *r, const MemOp *op)
{
    X86Buf *b = r->b;
    if (op->amo != AMO_NONE) {
        emit_atomic(r, op);
        return;
    }
    for (unsigned k = 0; k < (op->pair ? 2u : 1u); k++) {
        unsigned t = k ? op->t2 : op->t;
        int8_t d = (int8_t)(k * op->bytes);
        if (op->vec) {
            emit_vec_access(b, op, t, d);
        } else if (op->store) {
            jr_peek(r, X86_RCX, t);
            x86_store_bi(b, op->bytes, X86_RCX, X86_RAX, X86_RDX, d);
        } else {
            x86_load_bi(b, op->bytes, op->sext, op->sext64, X86_RCX, X86_RAX, X86_RDX, d);
            if (t != 31)
                jr_write(r, t, X86_RCX);
        }
    }
    if (op->wback) {
        if (op->post) {
            if (op->wb_off)
                x86_alu_ri(b, X86_ADD, true, X86_RAX, op->wb_off);
        }
        jr_write(r, op->n == 31 ? JR_SP : op->n, X86_RAX);
    }
}

/* Single-register forms: size 111 V 0x opc ... (V = 1: SIMD&FP, where
 * opc<1> with size 00 selects a Q register). */
static bool decode_single(uint32_t insn, MemOp *op)
{
    unsigned size = insn >> 30, opc = (insn >> 22) & 3;
    bool vec = (insn >> 26) & 1;
    unsigned lg = size;
    if (vec) {
        if (opc & 2) {
            if (size != 0)
                return false;                                   /* unallocated */
            lg = 4;                                             /* Q */
        }
        if (lg < 2)
            return false;                                       /* B, H: with the handler */
    }
    *op = (MemOp){ .n = (insn >> 5) & 31, .t = insn & 31, .bytes = 1u << lg, .rm = -1, .vec = vec };
    size = lg;
    if ((insn & 0x3b000000u) == 0x39000000u) {                 /* unsigned offset */
        op->off = (int32_t)(((insn >> 10) & 0xfff) << size);
    } else if ((insn & 0x3b200c00u) == 0x38200800u) {          /* register offset */
        op->rm = (int)((insn >> 16) & 31);
        op->option = (insn >> 13) & 7;
        op->amount = (insn >> 12) & 1 ? size : 0;
        if (!(op->option & 2))
            return false;                                       /* unallocated extends */
    } else if ((insn & 0x3b200000u) == 0x38000000u) {          /* imm9 forms */
        unsigned idx = (insn >> 10) & 3;
        int32_t imm = (int32_t)sext64((insn >> 12) & 0x1ff, 9);
        op->unpriv = idx == 2;                                  /* LDTR/STTR */
        if (vec && op->unpriv)
            return false;                                       /* unallocated */
        op->off = idx == 1 ? 0 : imm;
        op->wback = idx == 1 || idx == 3;
        op->post = idx == 1;
        op->wb_off = idx == 1 ? imm : 0;
    } else {
        return false;
    }
    if (vec) {
        op->store = !(opc & 1);
        return true;                 /* V[t] is not a base register */
    }
    if (opc == 0) {
        op->store = true;
    } else if (opc == 2) {
        if (size == 3)
            return false;                                       /* PRFM */
        op->sext = op->sext64 = true;
    } else if (opc == 3) {
        if (size >= 2)
            return false;                                       /* unallocated */
        op->sext = true;
    }
    if (op->wback && op->n == op->t && op->n != 31)
        return false;
    return true;
}

/* LDP/STP: opc 101 V idx L imm7 Rt2 Rn Rt. W and X registers (V = 0,
 * opc 00 or 10); SIMD&FP (V = 1) S, D and Q registers (opc 00, 01, 10),
 * where idx 00, the no-allocate pair LDNP/STNP, behaves as the signed
 * offset form here. */
static bool decode_pair(uint32_t insn, MemOp *op)
{
    if ((insn & 0x3a000000u) != 0x28000000u)
        return false;
    bool vec = (insn >> 26) & 1;
    unsigned opc = insn >> 30, idx = (insn >> 23) & 3;
    if (vec ? opc == 3 : (opc != 0 && opc != 2) || idx == 0)
        return false;                               /* unallocated; LDPSW, LDNP/STNP (W, X) */
    unsigned bytes = vec ? 4u << opc : opc ? 8 : 4;
    int32_t imm = (int32_t)sext64((insn >> 15) & 0x7f, 7) * (int32_t)bytes;
    *op = (MemOp){ .n = (insn >> 5) & 31, .t = insn & 31, .t2 = (insn >> 10) & 31, .bytes = bytes,
                   .pair = true, .store = !((insn >> 22) & 1), .rm = -1, .vec = vec };
    op->wback = idx == 1 || idx == 3;
    op->post = idx == 1;
    op->off = idx == 1 ? 0 : imm;
    op->wb_off = idx == 1 ? imm : 0;
    if (vec)
        return true;                                /* V[t] and V[t2] are not base registers */
    if (!op->store && op->t == op->t2)
        return false;
    if (op->wback && op->n != 31 && (op->n == op->t || op->n == op->t2))
        return false;
    return true;
}

/* LDAR/STLR (and B, H): size 001000 1 L 0 Rs o0=1 Rt2 Rn Rt, an access of
 * 1 << size bytes at [Xn|SP] that must be aligned (h_ldst_ordered():
 * MEMF_ALIGN; Rs and Rt2 are ignored there too). The scheduler runs one
 * CPU at a time, so acquire and release need nothing more (ldst_excl.c).
 * LDLAR/STLLR (o0 = 0: FEAT_LOR, UNDEFINED here) stay with the handler. */
static bool decode_ordered(uint32_t insn, MemOp *op)
{
    if ((insn & 0x3fa08000u) != 0x08808000u)
        return false;
    *op = (MemOp){ .n = (insn >> 5) & 31, .t = insn & 31, .bytes = 1u << (insn >> 30), .rm = -1,
                   .store = !((insn >> 22) & 1), .align = true };
    return true;
}

/* FEAT_LSE atomics (atomic.c; the caller checks that the machine has
 * FEAT_LSE): LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN
 * {,A,L,AL}{B,H,,} (and the ST<op> aliases, Rt 31), "ss111000 AR1 Rs 0
 * opc 00 Rn Rt"; SWP*, the same with o3 = 1, opc = 000; CAS*, "ss001000
 * 1 L 1 Rs o0 Rt2 Rn Rt". Aligned always (MEMF_ALIGN), with read and write
 * permission. CASP and LDAPR stay with their handlers. */
static bool decode_atomic(uint32_t insn, MemOp *op)
{
    int amo;
    if ((insn & 0x3f208c00u) == 0x38200000u)
        amo = AMO_ADD + (int)((insn >> 12) & 7);        /* AMO_ADD .. AMO_UMIN */
    else if ((insn & 0x3f20fc00u) == 0x38208000u)
        amo = AMO_SWP;
    else if ((insn & 0x3fa00000u) == 0x08a00000u)
        amo = AMO_CAS;
    else
        return false;
    *op = (MemOp){ .n = (insn >> 5) & 31, .t = insn & 31, .s = (insn >> 16) & 31,
                   .bytes = 1u << (insn >> 30), .rm = -1, .align = true, .amo = amo };
    return true;
}

bool jit_inline_mem(JitRegs *r, uint32_t insn, uint8_t **slow, unsigned *nslow, JitRefill *rf)
{
    MemOp op;
    rf->jcc = NULL;
    /* the atomics first: the single forms' pattern covers LD<op> and SWP */
    if (!decode_atomic(insn, &op) && !decode_ordered(insn, &op)) {
        bool single = (insn & 0x3b000000u) == 0x39000000u || (insn & 0x3b000000u) == 0x38000000u;
        if (single ? !decode_single(insn, &op) : !decode_pair(insn, &op))
            return false;
    }
    *nslow = 0;
    rf->retry = r->b->p;
    if (op.vec) {
        /* FP/SIMD usable at this EL (CPUState.fp_enabled, fpaccess.h); else
         * the handler takes the trap, which comes before any address check */
        x86_cmp_m8_imm8(r->b, X86_RBX, COFF(fp_enabled), 0);
        add_slow(slow, nslow, x86_jcc_rel32(r->b, X86_CC_E, r->b->p));
    }
    emit_lookup(r, &op, slow, nslow, rf);
    emit_access(r, &op);
    return true;
}
