/*
 * The translator, stage 2: guest instructions emitted as x86-64 code instead
 * of a handler call (jit.h). Only instructions that cannot fault, do not
 * read or write NZCV and touch nothing but general registers and SP are
 * inlined here, so the block's deferred accounting stays exact (jit.c:
 * their cycles, budget and PC advance are added before the next handler
 * call or block exit, and nothing can observe the state in between).
 *
 * Semantics from the Arm ARM (DDI 0487) C6.2 pseudocode:
 *  - ADD/SUB (immediate), non-flag-setting: Rn and Rd 31 are SP;
 *  - MOVZ/MOVN/MOVK: Rd 31 is XZR (the write is discarded);
 *  - AND/ORR/EOR/BIC/ORN/EON (shifted register): register 31 is XZR;
 *  - ADD/SUB (shifted register), non-flag-setting: register 31 is XZR.
 * A W-register result is zero-extended (the 32-bit x86 forms do that).
 */
#include "jit/jit_inline.h"

#include <stddef.h>

#include "cpu/cpu.h"

#define XOFF(n) ((int32_t)(offsetof(CPUState, x) + 8 * (n)))
#define SPOFF ((int32_t)offsetof(CPUState, sp))

/* Field of a register operand: for_sp selects SP for number 31, else XZR
 * (x[31], which CPUState keeps zero). */
static int32_t reg_off(unsigned r, bool for_sp)
{
    return r == 31 && for_sp ? SPOFF : XOFF(r);
}

static bool add_sub_imm(X86Buf *b, uint32_t insn)
{
    /* sf op S 100010 sh imm12 Rn Rd, S = 0 (Arm ARM C4.1.92.1) */
    if ((insn & 0x3f800000u) != 0x11000000u)
        return false;
    bool sf = insn >> 31, sub = (insn >> 30) & 1;
    unsigned sh = (insn >> 22) & 1, imm = (insn >> 10) & 0xfff, rn = (insn >> 5) & 31, rd = insn & 31;
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, reg_off(rn, true));
    int32_t v = (int32_t)(imm << (sh ? 12 : 0));
    if (v)
        x86_alu_ri(b, sub ? X86_SUB : X86_ADD, sf, X86_RAX, v);
    else if (!sf)
        x86_alu_rr(b, X86_OR, false, X86_RAX, X86_RAX);   /* zero-extend */
    x86_mov_m64_r64(b, X86_RBX, reg_off(rd, true), X86_RAX);
    return true;
}

static bool move_wide(X86Buf *b, uint32_t insn)
{
    /* sf opc 100101 hw imm16 Rd (C4.1.92.4); opc 01 is unallocated */
    if ((insn & 0x1f800000u) != 0x12800000u)
        return false;
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
        x86_mov_r64_m64(b, X86_RAX, X86_RBX, XOFF(rd));
        x86_mov_r64_imm64(b, X86_RCX, ~((uint64_t)0xffff << (16 * hw)));
        x86_alu_rr(b, X86_AND, true, X86_RAX, X86_RCX);
        x86_mov_r64_imm64(b, X86_RCX, imm);
        x86_alu_rr(b, X86_OR, sf, X86_RAX, X86_RCX);
    }
    x86_mov_m64_r64(b, X86_RBX, XOFF(rd), X86_RAX);
    return true;
}

/* rcx = shift(Rm, type, amount) in the operand size; false if reserved. */
static bool shifted_operand(X86Buf *b, uint32_t insn, bool sf, bool allow_ror)
{
    unsigned type = (insn >> 22) & 3, amt = (insn >> 10) & 63, rm = (insn >> 16) & 31;
    if ((!sf && amt >= 32) || (type == 3 && !allow_ror))
        return false;
    x86_mov_r64_m64(b, X86_RCX, X86_RBX, XOFF(rm));
    static const unsigned op[4] = { X86_SHL, X86_SHR, X86_SAR, X86_ROR };
    if (amt)
        x86_shift_ri(b, op[type], sf, X86_RCX, (uint8_t)amt);
    return true;
}

static bool logical_shifted(X86Buf *b, uint32_t insn)
{
    /* sf opc 01010 shift N Rm imm6 Rn Rd (C4.1.95.2); opc 11 (ANDS/BICS) sets flags */
    if ((insn & 0x1f000000u) != 0x0a000000u || ((insn >> 29) & 3) == 3)
        return false;
    bool sf = insn >> 31, inv = (insn >> 21) & 1;
    unsigned opc = (insn >> 29) & 3, rn = (insn >> 5) & 31, rd = insn & 31;
    X86Buf save = *b;
    if (!shifted_operand(b, insn, sf, true)) {
        *b = save;
        return false;
    }
    if (inv)
        x86_not_r(b, sf, X86_RCX);
    static const unsigned op[3] = { X86_AND, X86_OR, X86_XOR };
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, XOFF(rn));
    x86_alu_rr(b, op[opc], sf, X86_RAX, X86_RCX);
    if (rd != 31)
        x86_mov_m64_r64(b, X86_RBX, XOFF(rd), X86_RAX);
    return true;
}

static bool add_sub_shifted(X86Buf *b, uint32_t insn)
{
    /* sf op S 01011 shift 0 Rm imm6 Rn Rd (C4.1.95.1), S = 0 */
    if ((insn & 0x3f200000u) != 0x0b000000u)
        return false;
    bool sf = insn >> 31, sub = (insn >> 30) & 1;
    unsigned rn = (insn >> 5) & 31, rd = insn & 31;
    X86Buf save = *b;
    if (!shifted_operand(b, insn, sf, false)) {
        *b = save;
        return false;
    }
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, XOFF(rn));
    x86_alu_rr(b, sub ? X86_SUB : X86_ADD, sf, X86_RAX, X86_RCX);
    if (rd != 31)
        x86_mov_m64_r64(b, X86_RBX, XOFF(rd), X86_RAX);
    return true;
}

bool jit_inline(X86Buf *b, uint32_t insn)
{
    return add_sub_imm(b, insn) || move_wide(b, insn) || logical_shifted(b, insn) ||
           add_sub_shifted(b, insn);
}
