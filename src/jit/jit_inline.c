/*
 * The translator: integer instructions emitted as x86-64 code instead of a
 * handler call (jit.h). Only instructions that cannot fault and touch
 * nothing but general registers, SP and NZCV are inlined here, so the
 * block's deferred accounting stays exact (jit.c: their cycles, budget and
 * PC advance are added before the next handler call or block exit, and
 * nothing can observe the state in between). NZCV is written to
 * CPUState.nzcv by every inlined flag-setting instruction (from the x86
 * flags of the same operation) and read from there by the inlined
 * conditional ones, so every handler sees it exact.
 *
 * Semantics from the Arm ARM (DDI 0487) C6.2 pseudocode:
 *  - ADD/SUB/ADDS/SUBS (immediate): Rn 31 is SP; Rd 31 is SP without S,
 *    XZR with S (CMP/CMN);
 *  - MOVZ/MOVN/MOVK: Rd 31 is XZR (the write is discarded);
 *  - AND/ORR/EOR/BIC/ORN/EON/ANDS/BICS (shifted register): 31 is XZR;
 *  - ADD/SUB/ADDS/SUBS (shifted register): register 31 is XZR;
 *  - AND/ORR/EOR/ANDS (immediate, DecodeBitMasks): Rn 31 is XZR, Rd 31 is
 *    SP without S, XZR with S (TST);
 *  - CSEL/CSINC/CSINV/CSNEG (ConditionHolds): register 31 is XZR;
 *  - MADD/MSUB, SMADDL/SMSUBL/UMADDL/UMSUBL, SMULH/UMULH: register 31 is
 *    XZR;
 *  - CCMN/CCMP (register, immediate): register 31 is XZR;
 *  - ADD/SUB/ADDS/SUBS (extended register, ExtendReg()): Rn 31 is SP, Rd 31
 *    SP without S, XZR with S; Rm 31 is XZR;
 *  - SBFM/UBFM (and their LSL/LSR/ASR/xBFX/xBFIZ/xXTx aliases), EXTR/ROR:
 *    31 is XZR; a left shift drops the bits above the field, a logical or
 *    arithmetic right shift places it and zero- or sign-extends it;
 *  - BFM (BFI/BFXIL/BFC): 31 is XZR; the field replaces the same bits of
 *    Rd, whose other bits stay;
 *  - ADC/ADCS/SBC/SBCS (NGC/NGCS): 31 is XZR; AddWithCarry(Xn, Xm or
 *    NOT(Xm), PSTATE.C).
 * AddWithCarry() gives N, Z, C, V: x86 ADD/SUB of the same width give SF,
 * ZF, OF and CF, with C = CF for an addition and C = NOT CF (no borrow)
 * for a subtraction; x86 AND clears CF and OF as ANDS clears C and V.
 * With a carry in, x86 ADC adds CF = PSTATE.C, and x86 SBB subtracts
 * CF = NOT PSTATE.C: x + NOT(y) + C = x - y - (1 - C), the same value
 * and the same signed overflow, with C = NOT CF again.
 * A W-register result is zero-extended (the 32-bit x86 forms do that).
 */
#include "jit/jit_inline.h"

#include <stddef.h>

#include "cpu/cpu.h"
#include "cpu/dp_util.h"

#define NZCVOFF ((int32_t)offsetof(CPUState, nzcv))

/* NZCV from the x86 flags of the last operation (kind: how C maps, see
 * the top of this file): edx = N:Z:C:V in bits 3:0, with setcc and lea
 * only, so the x86 flags are still those of the operation; then, unless
 * the block asked to keep the flags for a following B.cond (r->defer_nzcv:
 * jit.c stores edx on both of the branch's paths with jit_store_nzcv()),
 * CPUState.nzcv = edx << 28. Uses the scratch registers rax, rcx, rdx,
 * rsi, so the result must already be in its guest register (jr_write()
 * and jr_dst() emit only MOVs, which keep the flags). */
static void set_nzcv(JitRegs *r, int kind)
{
    X86Buf *b = r->b;
    x86_setcc_r8(b, X86_CC_S, X86_RAX);
    x86_setcc_r8(b, X86_CC_E, X86_RCX);
    x86_setcc_r8(b, kind == JIT_NZCV_SUB ? X86_CC_AE : X86_CC_B, X86_RDX);
    x86_setcc_r8(b, X86_CC_O, X86_RSI);
    /* setcc writes 0/1 to the low byte (bits 1-7 become 0); whatever is
     * above bit 7 ends above bit 10 of the sum and is shifted out later */
    x86_lea_r32_bis(b, X86_RDX, X86_RSI, X86_RDX, 1);    /* C << 1 | V */
    x86_lea_r32_bis(b, X86_RDX, X86_RDX, X86_RCX, 2);    /* | Z << 2 */
    x86_lea_r32_bis(b, X86_RDX, X86_RDX, X86_RAX, 3);    /* | N << 3 */
    r->nzcv_kind = kind;
    if (!r->defer_nzcv)
        jit_store_nzcv(b);
}

void jit_store_nzcv(X86Buf *b)
{
    x86_shift_ri(b, X86_SHL, false, X86_RDX, 28);
    x86_mov_m32_r32(b, X86_RBX, NZCVOFF, X86_RDX);
}

int jit_cond_cc(int kind, unsigned cond)
{
    /* ConditionHolds() (Arm ARM J1 shared/functions/system) on the x86
     * flags: N = SF, Z = ZF, V = OF; C = NOT CF after SUB, CF after ADD,
     * 0 after AND (which also clears OF, as ANDS clears V) */
    static const int8_t sub[14] = { X86_CC_E, X86_CC_NE, X86_CC_AE, X86_CC_B, X86_CC_S, X86_CC_NS,
                                    X86_CC_O, X86_CC_NO, X86_CC_A, X86_CC_BE, X86_CC_GE, X86_CC_L,
                                    X86_CC_G, X86_CC_LE };
    if (cond >= 14)
        return -1;
    if (kind == JIT_NZCV_SUB)
        return sub[cond];
    if (cond == 8 || cond == 9)
        return -1;            /* HI/LS: C and Z together, no single x86 condition */
    if (cond == 2 || cond == 3)
        return cond == 2 ? X86_CC_B : X86_CC_AE;   /* CS: CF (after AND: 0, never) */
    return sub[cond];
}

/* x86 CF = ConditionHolds(cond) for the current CPUState.nzcv, via the
 * 16-bit truth table of cond indexed by NZCV (dp_util.h). Uses rdx, rsi. */
static void cond_to_cf(X86Buf *b, unsigned cond)
{
    x86_mov_r32_m32(b, X86_RDX, X86_RBX, NZCVOFF);
    x86_shift_ri(b, X86_SHR, false, X86_RDX, 28);
    x86_mov_r32_imm32(b, X86_RSI, cond_holds_table[cond & 15]);
    x86_bt_r32_r32(b, X86_RSI, X86_RDX);
}

/* The cache's name of register operand r: for_sp selects SP for number 31,
 * else XZR. */
static unsigned greg(unsigned r, bool for_sp)
{
    return r == 31 && for_sp ? JR_SP : r;
}

/* hd = hn op src in the x86 two-operand form (op an X86_ALU op; sf: 64-bit,
 * else 32-bit, which zero-extends hd). Through rax when hd is src but not
 * hn (SUB is not commutative, and hn must not be overwritten first). */
static void alu3(X86Buf *b, unsigned op, bool sf, unsigned hd, unsigned hn, unsigned src)
{
    if (hd == src && hd != hn) {
        x86_mov_r64_r64(b, X86_RAX, hn);
        x86_alu_rr(b, op, sf, X86_RAX, src);
        x86_mov_r64_r64(b, hd, X86_RAX);
        return;
    }
    if (hd != hn)
        x86_mov_r64_r64(b, hd, hn);
    x86_alu_rr(b, op, sf, hd, src);
}

/* hd = hn, zero-extended from 32 bits unless sf. */
static void mov_sf(X86Buf *b, bool sf, unsigned hd, unsigned hn)
{
    if (!sf)
        x86_mov_r32_r32(b, hd, hn);
    else if (hd != hn)
        x86_mov_r64_r64(b, hd, hn);
}

static bool add_sub_imm(JitRegs *r, uint32_t insn)
{
    /* sf op S 100010 sh imm12 Rn Rd (Arm ARM C4.1.92.1) */
    if ((insn & 0x1f800000u) != 0x11000000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned sh = (insn >> 22) & 1, imm = (insn >> 10) & 0xfff, rn = (insn >> 5) & 31, rd = insn & 31;
    int32_t v = (int32_t)(imm << (sh ? 12 : 0));
    unsigned hn = jr_src(r, greg(rn, true));
    unsigned hd = s && rd == 31 ? X86_RAX : jr_dst(r, greg(rd, !s));   /* CMP/CMN: flags only */
    if (v || s) {
        if (hd != hn)
            x86_mov_r64_r64(b, hd, hn);
        x86_alu_ri(b, sub ? X86_SUB : X86_ADD, sf, hd, v);   /* imm 0 too: the flags */
    } else {
        mov_sf(b, sf, hd, hn);
    }
    if (s)
        set_nzcv(r, sub ? JIT_NZCV_SUB : JIT_NZCV_ADD);
    return true;
}

static bool move_wide(JitRegs *r, uint32_t insn)
{
    /* sf opc 100101 hw imm16 Rd (C4.1.92.4); opc 01 is unallocated */
    if ((insn & 0x1f800000u) != 0x12800000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31;
    unsigned opc = (insn >> 29) & 3, hw = (insn >> 21) & 3, rd = insn & 31;
    uint64_t imm = (uint64_t)((insn >> 5) & 0xffff) << (16 * hw);
    if (opc == 1 || (!sf && hw >= 2))
        return false;
    if (rd == 31)
        return true;     /* XZR: nothing to write */
    if (opc == 2 || opc == 0) {          /* MOVZ / MOVN */
        uint64_t v = opc == 2 ? imm : ~imm;
        if (!sf)
            v &= 0xffffffffu;
        x86_mov_r64_imm64(b, X86_RAX, v);
    } else {                             /* MOVK */
        jr_read(r, X86_RAX, rd);
        x86_mov_r64_imm64(b, X86_RCX, ~((uint64_t)0xffff << (16 * hw)));
        x86_alu_rr(b, X86_AND, true, X86_RAX, X86_RCX);
        x86_mov_r64_imm64(b, X86_RCX, imm);
        x86_alu_rr(b, X86_OR, sf, X86_RAX, X86_RCX);
    }
    jr_write(r, rd, X86_RAX);
    return true;
}

/* Whether the shifted-register operand of insn is allocated (Arm ARM
 * C4.1.95: imm6 >= 32 with sf = 0 is UNDEFINED, ROR only for logical). */
static bool shift_ok(uint32_t insn, bool sf, bool allow_ror)
{
    unsigned type = (insn >> 22) & 3, amt = (insn >> 10) & 63;
    return !(!sf && amt >= 32) && !(type == 3 && !allow_ror);
}

/* rcx = shift(Rm, type, amount) in the operand size (shift_ok() held). */
static void shifted_operand(JitRegs *r, uint32_t insn, bool sf)
{
    unsigned type = (insn >> 22) & 3, amt = (insn >> 10) & 63, rm = (insn >> 16) & 31;
    jr_read(r, X86_RCX, rm);
    static const unsigned op[4] = { X86_SHL, X86_SHR, X86_SAR, X86_ROR };
    if (amt)
        x86_shift_ri(r->b, op[type], sf, X86_RCX, (uint8_t)amt);
}

static bool logical_shifted(JitRegs *r, uint32_t insn)
{
    /* sf opc 01010 shift N Rm imm6 Rn Rd (C4.1.95.2); opc 11 (ANDS/BICS) sets flags */
    if ((insn & 0x1f000000u) != 0x0a000000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31, inv = (insn >> 21) & 1;
    unsigned opc = (insn >> 29) & 3, rn = (insn >> 5) & 31, rd = insn & 31;
    if (!shift_ok(insn, sf, true))
        return false;
    if (rd == 31 && opc != 3)
        return true;     /* XZR: nothing to write, no flags */
    unsigned src;
    if (!((insn >> 10) & 63) && !inv) {
        src = jr_src(r, (insn >> 16) & 31);
    } else {
        shifted_operand(r, insn, sf);
        if (inv)
            x86_not_r(b, sf, X86_RCX);
        src = X86_RCX;
    }
    if (rn == 31 && opc == 1) {      /* ORR with XZR: MOV (register), MVN */
        mov_sf(b, sf, jr_dst(r, rd), src);
        return true;
    }
    static const unsigned op[4] = { X86_AND, X86_OR, X86_XOR, X86_AND };
    unsigned hn = jr_src(r, rn);
    unsigned hd = rd == 31 ? X86_RAX : jr_dst(r, rd);    /* TST: flags only */
    alu3(b, op[opc], sf, hd, hn, src);
    if (opc == 3)
        set_nzcv(r, JIT_NZCV_LOGIC);    /* ANDS/BICS: N, Z of the result, C = V = 0 */
    return true;
}

static bool add_sub_shifted(JitRegs *r, uint32_t insn)
{
    /* sf op S 01011 shift 0 Rm imm6 Rn Rd (C4.1.95.1) */
    if ((insn & 0x1f200000u) != 0x0b000000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned rn = (insn >> 5) & 31, rd = insn & 31;
    if (!shift_ok(insn, sf, false))
        return false;
    if (rd == 31 && !s)
        return true;
    unsigned src;
    if (!((insn >> 10) & 63)) {
        src = jr_src(r, (insn >> 16) & 31);
    } else {
        shifted_operand(r, insn, sf);
        src = X86_RCX;
    }
    unsigned hn = jr_src(r, rn);
    unsigned hd = rd == 31 ? X86_RAX : jr_dst(r, rd);    /* CMP/CMN: flags only */
    alu3(b, sub ? X86_SUB : X86_ADD, sf, hd, hn, src);
    if (s)
        set_nzcv(r, sub ? JIT_NZCV_SUB : JIT_NZCV_ADD);
    return true;
}

static bool logical_imm(JitRegs *r, uint32_t insn)
{
    /* sf opc 100100 N immr imms Rn Rd (C4.1.92.3); sf = 0 with N = 1 and
     * the reserved DecodeBitMasks() cases are UNDEFINED (handler) */
    if ((insn & 0x1f800000u) != 0x12000000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31;
    unsigned opc = (insn >> 29) & 3, n = (insn >> 22) & 1, rn = (insn >> 5) & 31, rd = insn & 31;
    uint64_t imm;
    if ((!sf && n) || !DecodeBitMasks(n, (insn >> 10) & 63, (insn >> 16) & 63, true, &imm, NULL))
        return false;
    if (!sf)
        imm &= 0xffffffffu;
    static const unsigned op[4] = { X86_AND, X86_OR, X86_XOR, X86_AND };
    /* an imm32 operand is sign-extended in a 64-bit operation */
    bool imm32 = !sf || (int64_t)imm == (int64_t)(int32_t)imm;
    if (!imm32)
        x86_mov_r64_imm64(b, X86_RCX, imm);
    unsigned hn = jr_src(r, rn);
    unsigned hd = opc == 3 && rd == 31 ? X86_RAX : jr_dst(r, greg(rd, opc != 3));   /* TST */
    if (imm32) {
        if (hd != hn)
            x86_mov_r64_r64(b, hd, hn);
        x86_alu_ri(b, op[opc], sf, hd, (int32_t)(uint32_t)imm);
    } else {
        alu3(b, op[opc], sf, hd, hn, X86_RCX);
    }
    if (opc == 3)
        set_nzcv(r, JIT_NZCV_LOGIC);
    return true;
}

static bool cond_select(JitRegs *r, uint32_t insn)
{
    /* sf op 0 11010100 Rm cond 0 o2 Rn Rd (C4.1.95.10): CSEL, CSINC (o2),
     * CSINV (op), CSNEG (op, o2) */
    if ((insn & 0x3fe00800u) != 0x1a800000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31, op = (insn >> 30) & 1, o2 = (insn >> 10) & 1;
    unsigned rm = (insn >> 16) & 31, cond = (insn >> 12) & 15, rn = (insn >> 5) & 31, rd = insn & 31;
    if (rd == 31)
        return true;     /* XZR: nothing to write, nothing read has side effects */
    jr_read(r, X86_RCX, rm);
    if (op)
        x86_not_r(b, sf, X86_RCX);
    if (o2)
        x86_alu_ri(b, X86_ADD, sf, X86_RCX, 1);    /* CSINC: +1; CSNEG: NOT + 1 */
    else if (!sf)
        x86_alu_rr(b, X86_OR, false, X86_RCX, X86_RCX);
    jr_read(r, X86_RAX, rn);
    cond_to_cf(b, cond);
    /* condition false: the second operand (a 32-bit cmov zero-extends
     * its destination either way) */
    x86_cmov(b, X86_CC_AE, sf, X86_RAX, X86_RCX);
    jr_write(r, rd, X86_RAX);
    return true;
}

/* The multiply-accumulate forms (C4.1.95.11): Xd = Xa + (Xn * Xm) (o0 0)
 * or Xa - (Xn * Xm), with the operands as they are (MADD/MSUB; sf: 64-bit)
 * or, with ext, sign- (ext 6: SXTW) or zero-extended (2: UXTW) from 32
 * bits first (SMADDL/SMSUBL/UMADDL/UMSUBL: the product of two 32-bit
 * values fits in 64). Register 31 is XZR; Ra 31 with o0 0 adds nothing
 * (MUL, SMULL, UMULL). */
static void multiply_accumulate(JitRegs *r, uint32_t insn, bool sf, unsigned ext)
{
    X86Buf *b = r->b;
    bool o0 = (insn >> 15) & 1;
    unsigned rm = (insn >> 16) & 31, ra = (insn >> 10) & 31, rn = (insn >> 5) & 31, rd = insn & 31;
    if (rd == 31)
        return;
    jr_read(r, X86_RAX, rn);
    jr_read(r, X86_RCX, rm);
    if (ext) {
        jit_emit_extend(b, X86_RAX, ext);
        jit_emit_extend(b, X86_RCX, ext);
    }
    x86_imul_rr(b, sf, X86_RAX, X86_RCX);
    if (ra == 31 && !o0) {
        jr_write(r, rd, X86_RAX);       /* nothing to add */
        return;
    }
    jr_read(r, X86_RCX, ra);
    if (o0) {
        x86_alu_rr(b, X86_SUB, sf, X86_RCX, X86_RAX);
        jr_write(r, rd, X86_RCX);
    } else {
        x86_alu_rr(b, X86_ADD, sf, X86_RAX, X86_RCX);
        jr_write(r, rd, X86_RAX);
    }
}

static bool mul_add(JitRegs *r, uint32_t insn)
{
    /* sf 00 11011 000 Rm o0 Ra Rn Rd: MADD (o0 = 0), MSUB */
    if ((insn & 0x7fe00000u) != 0x1b000000u)
        return false;
    multiply_accumulate(r, insn, insn >> 31, 0);
    return true;
}

static bool mul_long(JitRegs *r, uint32_t insn)
{
    /* 1 00 11011 U 01 Rm o0 Ra Rn Rd: SMADDL, SMSUBL (U = 0), UMADDL, UMSUBL */
    if ((insn & 0xff600000u) != 0x9b200000u)
        return false;
    multiply_accumulate(r, insn, true, (insn >> 23) & 1 ? 2 : 6);   /* UXTW / SXTW */
    return true;
}

static bool mul_high(JitRegs *r, uint32_t insn)
{
    /* 1 00 11011 U 10 Rm 0 11111 Rn Rd (C4.1.95.11): SMULH (U = 0), UMULH:
     * bits 127:64 of the 128-bit product (x86 one-operand MUL/IMUL leave
     * them in rdx) */
    if ((insn & 0xff60fc00u) != 0x9b407c00u)
        return false;
    unsigned rm = (insn >> 16) & 31, rn = (insn >> 5) & 31, rd = insn & 31;
    if (rd == 31)
        return true;
    jr_read(r, X86_RAX, rn);
    jr_read(r, X86_RCX, rm);
    x86_mul_r(r->b, true, !((insn >> 23) & 1), X86_RCX);
    jr_write(r, rd, X86_RDX);
    return true;
}

static bool cond_compare(JitRegs *r, uint32_t insn)
{
    /* sf op 1 11010010 Rm|imm5 cond o2=0 imm Rn o3=0 nzcv (C4.1.95.8/9):
     * CCMN (op = 0), CCMP; register 31 is XZR. When ConditionHolds(cond)
     * NZCV = the flags of AddWithCarry(Rn, op ? NOT(Rm) : Rm, op) (an x86
     * ADD or SUB of the operand width), else the immediate nzcv. Two paths
     * join, so the x86 flags say nothing afterwards: NZCV always goes to
     * CPUState (nzcv_kind -1: a fused B.cond reads it from there). Every
     * register is read before the paths split (the cache map must be the
     * same on both). */
    if ((insn & 0x3fe00410u) != 0x3a400000u)
        return false;
    X86Buf *b = r->b;
    bool sf = insn >> 31, op = (insn >> 30) & 1, imm = (insn >> 11) & 1;
    unsigned m = (insn >> 16) & 31, cond = (insn >> 12) & 15, rn = (insn >> 5) & 31;
    bool zero_m = imm || m == 31;               /* an immediate (or XZR: 0) */
    unsigned hm = zero_m ? 0 : jr_src(r, m);
    unsigned hn = rn == 31 ? 0 : jr_src(r, rn);
    cond_to_cf(b, cond);
    uint8_t *fails = x86_jcc_rel32(b, X86_CC_AE, b->p);
    if (rn == 31)
        x86_mov_r32_imm32(b, X86_RAX, 0);
    else
        x86_mov_r64_r64(b, X86_RAX, hn);
    if (zero_m)
        x86_alu_ri(b, op ? X86_SUB : X86_ADD, sf, X86_RAX, imm ? (int32_t)m : 0);
    else
        x86_alu_rr(b, op ? X86_SUB : X86_ADD, sf, X86_RAX, hm);
    bool defer = r->defer_nzcv;
    r->defer_nzcv = false;
    set_nzcv(r, op ? JIT_NZCV_SUB : JIT_NZCV_ADD);
    r->defer_nzcv = defer;
    uint8_t *done = x86_jmp_rel32(b, b->p);
    if (fails)
        x86_patch_rel32(fails, fails, b->p);
    x86_mov_r32_imm32(b, X86_RDX, (insn & 15u) << 28);
    x86_mov_m32_r32(b, X86_RBX, NZCVOFF, X86_RDX);
    if (done)
        x86_patch_rel32(done, done, b->p);
    r->nzcv_kind = -1;
    return true;
}

void jit_emit_extend(X86Buf *b, unsigned reg, unsigned option)
{
    /* ExtendReg(): bits 1:0 select the size (8 << n), bit 2 signedness */
    unsigned bits = 8u << (option & 3);
    if (bits < 64) {
        x86_shift_ri(b, X86_SHL, true, reg, (uint8_t)(64 - bits));
        x86_shift_ri(b, option & 4 ? X86_SAR : X86_SHR, true, reg, (uint8_t)(64 - bits));
    }
}

static bool add_sub_ext(JitRegs *r, uint32_t insn)
{
    /* sf op S 01011 00 1 Rm option imm3 Rn Rd (C4.1.95.2); imm3 > 4 UNDEFINED */
    if ((insn & 0x1fe00000u) != 0x0b200000u)
        return false;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned rm = (insn >> 16) & 31, option = (insn >> 13) & 7, imm3 = (insn >> 10) & 7;
    unsigned rn = (insn >> 5) & 31, rd = insn & 31;
    if (imm3 > 4)
        return false;
    X86Buf *b = r->b;
    jr_read(r, X86_RCX, rm);
    jit_emit_extend(b, X86_RCX, option);
    if (imm3)
        x86_shift_ri(b, X86_SHL, true, X86_RCX, (uint8_t)imm3);
    jr_read(r, X86_RAX, greg(rn, true));
    x86_alu_rr(b, sub ? X86_SUB : X86_ADD, sf, X86_RAX, X86_RCX);
    if (!s || rd != 31)
        jr_write(r, greg(rd, !s), X86_RAX);
    if (s)
        set_nzcv(r, sub ? JIT_NZCV_SUB : JIT_NZCV_ADD);
    return true;
}

/* BFM (C6.2.30; BFI, BFXIL and BFC are aliases), its fields checked by
 * bitfield(): with imms >= immr the field Xn<imms:immr> goes to Xd<w-1:0>
 * (w = imms - immr + 1), else Xn<imms:0> goes to Xd<ds-immr+imms:ds-immr>;
 * the other bits of Xd stay (a W result is zero-extended). */
static void bitfield_move(JitRegs *r, bool sf, unsigned immr, unsigned imms, unsigned rn,
                          unsigned rd)
{
    X86Buf *b = r->b;
    unsigned ds = sf ? 64 : 32, w = imms >= immr ? imms - immr + 1 : imms + 1;
    unsigned lsb = imms >= immr ? 0 : ds - immr;
    uint64_t mask = (w == 64 ? ~0ull : (1ull << w) - 1) << lsb;
    jr_read(r, X86_RAX, rn);
    if (imms >= immr && immr)
        x86_shift_ri(b, X86_SHR, sf, X86_RAX, (uint8_t)immr);
    else if (lsb)
        x86_shift_ri(b, X86_SHL, sf, X86_RAX, (uint8_t)lsb);
    x86_mov_r64_imm64(b, X86_RCX, mask);
    x86_alu_rr(b, X86_AND, sf, X86_RAX, X86_RCX);
    jr_read(r, X86_RDX, rd);
    x86_not_r(b, sf, X86_RCX);
    x86_alu_rr(b, X86_AND, sf, X86_RDX, X86_RCX);
    x86_alu_rr(b, X86_OR, sf, X86_RAX, X86_RDX);
    jr_write(r, rd, X86_RAX);
}

static bool bitfield(JitRegs *r, uint32_t insn)
{
    /* sf opc 100110 N immr imms Rn Rd (C4.1.92.5): SBFM (opc 00), BFM
     * (01), UBFM (10). LSL/LSR/ASR (immediate), UBFX/SBFX, UBFIZ/SBFIZ,
     * SXTB/SXTH/SXTW, UXTB/UXTH and BFI/BFXIL/BFC are aliases. */
    if ((insn & 0x1f800000u) != 0x13000000u)
        return false;
    bool sf = insn >> 31, n = (insn >> 22) & 1;
    unsigned opc = (insn >> 29) & 3, immr = (insn >> 16) & 63, imms = (insn >> 10) & 63;
    unsigned rn = (insn >> 5) & 31, rd = insn & 31, ds = sf ? 64 : 32;
    if (opc == 3 || n != sf || immr >= ds || imms >= ds)
        return false;
    if (rd == 31)
        return true;
    if (opc == 1) {
        bitfield_move(r, sf, immr, imms, rn, rd);
        return true;
    }
    X86Buf *b = r->b;
    unsigned l, rs;
    if (imms >= immr) {          /* field [imms:immr] to bit 0 */
        l = ds - 1 - imms;
        rs = ds - (imms - immr + 1);
    } else {                     /* field [imms:0] to bit ds - immr */
        l = ds - (imms + 1);
        rs = immr - imms - 1;
    }
    unsigned hn = jr_src(r, rn);
    unsigned hd = jr_dst(r, rd);
    /* a 32-bit shift reads bits 31:0 only and zero-extends its result */
    if (!l && !rs)
        mov_sf(b, sf, hd, hn);
    else if (hd != hn)
        x86_mov_r64_r64(b, hd, hn);
    if (l)
        x86_shift_ri(b, X86_SHL, sf, hd, (uint8_t)l);
    if (rs)
        x86_shift_ri(b, opc ? X86_SHR : X86_SAR, sf, hd, (uint8_t)rs);
    return true;
}

static bool extract(JitRegs *r, uint32_t insn)
{
    /* sf 00 100111 N 0 Rm imms Rn Rd (C4.1.92.6): EXTR, ROR (immediate) */
    if ((insn & 0x7fa00000u) != 0x13800000u)
        return false;
    bool sf = insn >> 31, n = (insn >> 22) & 1;
    unsigned rm = (insn >> 16) & 31, lsb = (insn >> 10) & 63, rn = (insn >> 5) & 31, rd = insn & 31;
    unsigned ds = sf ? 64 : 32;
    if (n != sf || lsb >= ds)
        return false;
    if (rd == 31)
        return true;
    X86Buf *b = r->b;
    if (rn == rm || !lsb) {
        /* ROR (immediate); EXTR with lsb 0 is Rm */
        unsigned hm = jr_src(r, rm);
        unsigned hd = jr_dst(r, rd);
        if (!lsb) {
            mov_sf(b, sf, hd, hm);
        } else {
            if (hd != hm)
                x86_mov_r64_r64(b, hd, hm);
            x86_shift_ri(b, X86_ROR, sf, hd, (uint8_t)lsb);
        }
        return true;
    }
    jr_read(r, X86_RAX, rm);
    if (!sf)
        x86_alu_rr(b, X86_OR, false, X86_RAX, X86_RAX);
    x86_shift_ri(b, X86_SHR, sf, X86_RAX, (uint8_t)lsb);
    jr_read(r, X86_RCX, rn);
    x86_shift_ri(b, X86_SHL, sf, X86_RCX, (uint8_t)(ds - lsb));
    x86_alu_rr(b, X86_OR, sf, X86_RAX, X86_RCX);
    jr_write(r, rd, X86_RAX);
    return true;
}

static bool shift_variable(JitRegs *r, uint32_t insn)
{
    /* sf 0 0 11010110 Rm 0010 op2 Rn Rd (C4.1.93.2): LSLV, LSRV, ASRV,
     * RORV (C6.2.193 ...): Xn shifted by UInt(Xm) MOD datasize, which is
     * the count masking of the x86 shifts by CL (5 bits, 6 with REX.W) */
    if ((insn & 0x7fe0f000u) != 0x1ac02000u)
        return false;
    static const uint8_t op[4] = { X86_SHL, X86_SHR, X86_SAR, X86_ROR };
    bool sf = insn >> 31;
    unsigned rm = (insn >> 16) & 31, rn = (insn >> 5) & 31, rd = insn & 31;
    if (rd == 31)
        return true;
    X86Buf *b = r->b;
    jr_read(r, X86_RCX, rm);
    unsigned hn = jr_src(r, rn);
    unsigned hd = jr_dst(r, rd);
    /* a W result is zero-extended by the MOV even when the count is 0 */
    if (sf)
        x86_mov_r64_r64(b, hd, hn);
    else
        x86_mov_r32_r32(b, hd, hn);
    x86_shift_cl(b, op[(insn >> 10) & 3], sf, hd);
    return true;
}

static bool reverse_bytes(JitRegs *r, uint32_t insn)
{
    /* sf 1 0 11010110 00000 0000 opc Rn Rd (C4.1.93.1): REV16 (W only
     * here), REV (W: opc 10, X: opc 11) and REV32 (X, opc 10); RBIT and
     * REV16 X stay handler calls (C6.2.258, C6.2.259, C6.2.260) */
    if ((insn & 0x7ffff000u) != 0x5ac00000u)
        return false;
    bool sf = insn >> 31;
    unsigned opc = (insn >> 10) & 3, rn = (insn >> 5) & 31, rd = insn & 31;
    if (opc == 0 || (opc == 1 && sf) || (opc == 3 && !sf))
        return false;
    if (rd == 31)
        return true;
    X86Buf *b = r->b;
    unsigned hn = jr_src(r, rn);
    unsigned hd = jr_dst(r, rd);
    bool w64 = sf && opc != 1;
    if (w64)
        x86_mov_r64_r64(b, hd, hn);
    else
        x86_mov_r32_r32(b, hd, hn);
    x86_bswap(b, w64, hd);
    if (opc == 1)
        x86_shift_ri(b, X86_ROR, false, hd, 16);    /* REV16 W: the halfwords back in place */
    else if (sf && opc == 2)
        x86_shift_ri(b, X86_ROR, true, hd, 32);     /* REV32: the words back in place */
    return true;
}

static bool add_sub_carry(JitRegs *r, uint32_t insn)
{
    /* sf op S 11010000 Rm 000000 Rn Rd (C4.1.95.1): ADC, ADCS, SBC, SBCS
     * (C6.2.1-2, C6.2.269-270; NGC/NGCS with Rn 31) */
    if ((insn & 0x1fe0fc00u) != 0x1a000000u)
        return false;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned rm = (insn >> 16) & 31, rn = (insn >> 5) & 31, rd = insn & 31;
    if (rd == 31 && !s)
        return true;
    X86Buf *b = r->b;
    jr_read(r, X86_RCX, rm);
    jr_read(r, X86_RAX, rn);
    x86_mov_r32_m32(b, X86_RDX, X86_RBX, NZCVOFF);
    x86_bt_r64_imm8(b, X86_RDX, 29);          /* CF = PSTATE.C (NZCV in bits 31:28) */
    if (sub)
        x86_cmc(b);                           /* SBB subtracts the borrow NOT C */
    x86_alu_rr(b, sub ? X86_SBB : X86_ADC, sf, X86_RAX, X86_RCX);
    if (rd != 31)
        jr_write(r, rd, X86_RAX);             /* MOVs only: the flags stay */
    if (s)
        set_nzcv(r, sub ? JIT_NZCV_SUB : JIT_NZCV_ADD);
    return true;
}

bool jit_inline(JitRegs *r, uint32_t insn)
{
    return add_sub_imm(r, insn) || move_wide(r, insn) || logical_shifted(r, insn) ||
           add_sub_shifted(r, insn) || logical_imm(r, insn) || cond_select(r, insn) ||
           mul_add(r, insn) || add_sub_ext(r, insn) || bitfield(r, insn) || extract(r, insn) ||
           mul_long(r, insn) || mul_high(r, insn) || cond_compare(r, insn) ||
           shift_variable(r, insn) || reverse_bytes(r, insn) || add_sub_carry(r, insn);
}

enum A64DirectBranch a64_direct_branch(uint32_t insn, int64_t *off)
{
    enum A64DirectBranch k = (insn & A64_B_MASK) == A64_B_BITS         ? A64_BRANCH_B
                             : (insn & A64_BCOND_MASK) == A64_BCOND_BITS ? A64_BRANCH_BCOND
                             : (insn & A64_CB_MASK) == A64_CB_BITS       ? A64_BRANCH_CB
                             : (insn & A64_TB_MASK) == A64_TB_BITS       ? A64_BRANCH_TB
                                                                         : A64_BRANCH_NONE;
    if (off && k == A64_BRANCH_B)
        *off = sext64((uint64_t)(insn & 0x3ffffffu) << 2, 28);              /* imm26 */
    else if (off && k == A64_BRANCH_TB)
        *off = sext64((uint64_t)((insn >> 5) & 0x3fffu) << 2, 16);          /* imm14 */
    else if (off && k != A64_BRANCH_NONE)
        *off = sext64((uint64_t)((insn >> 5) & 0x7ffffu) << 2, 21);         /* imm19 */
    return k;
}

bool a64_cond_branch(uint32_t insn)
{
    enum A64DirectBranch k = a64_direct_branch(insn, NULL);
    return (k == A64_BRANCH_BCOND && (insn & 15) < A64_COND_AL) || k == A64_BRANCH_CB ||
           k == A64_BRANCH_TB;
}

bool jit_inline_branch(JitRegs *r, uint32_t insn, JitBranch *br)
{
    X86Buf *b = r->b;
    br->link = false;
    br->cc = -1;
    switch (a64_direct_branch(insn, &br->off)) {
    case A64_BRANCH_B:                                      /* B, BL (C6.2.26, C6.2.34) */
        br->link = insn >> 31;
        return true;
    case A64_BRANCH_BCOND:                                  /* B.cond (C6.2.25) */
        if ((insn & 15) < A64_COND_AL) {
            cond_to_cf(b, insn & 15);
            br->cc = X86_CC_B;                              /* CF: the condition holds */
        }
        return true;
    case A64_BRANCH_CB: {                                   /* CBZ, CBNZ (C6.2.47, C6.2.46) */
        bool sf = insn >> 31, nz = (insn >> 24) & 1;
        jr_read(r, X86_RAX, insn & 31);
        x86_alu_rr(b, X86_OR, sf, X86_RAX, X86_RAX);
        br->cc = nz ? X86_CC_NE : X86_CC_E;
        return true;
    }
    case A64_BRANCH_TB: {                                   /* TBZ, TBNZ (C6.2.331) */
        unsigned bit = ((insn >> 26) & 0x20) | ((insn >> 19) & 0x1f);   /* b5:b40 */
        jr_read(r, X86_RAX, insn & 31);
        x86_bt_r64_imm8(b, X86_RAX, (uint8_t)bit);
        br->cc = (insn >> 24) & 1 ? X86_CC_B : X86_CC_AE;
        return true;
    }
    case A64_BRANCH_NONE:
        break;
    }
    return false;
}
