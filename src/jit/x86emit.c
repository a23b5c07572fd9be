/*
 * x86-64 emitter (x86emit.h). Encodings from the Intel SDM Vol. 2:
 * REX = 0100WRXB; ModRM = mod(2) reg(3) rm(3); rm = 100 needs a SIB byte
 * (RSP/R12 as base); mod = 01 is [base + disp8], 10 [base + disp32]; group-1
 * ALU immediates use the sign-extended imm8 form (83) when they fit.
 */
#include "jit/x86emit.h"

#include <string.h>

#define REX_W 0x08
#define REX_R 0x04
#define REX_B 0x01

void x86_init(X86Buf *b, uint8_t *start, size_t len)
{
    b->start = b->p = start;
    b->end = start + len;
    b->overflow = false;
    b->run_off = 0;
}

static bool room(X86Buf *b, size_t n)
{
    if (b->overflow || (size_t)(b->end - b->p) < n) {
        b->overflow = true;
        return false;
    }
    return true;
}

static void put8(X86Buf *b, uint8_t v) { *b->p++ = v; }
static void put32(X86Buf *b, uint32_t v) { memcpy(b->p, &v, 4); b->p += 4; }
static void put64(X86Buf *b, uint64_t v) { memcpy(b->p, &v, 8); b->p += 8; }

/* REX prefix (emitted when w or any extension bit is needed, or always if
 * force) for a reg field `reg` and an rm/base field `rm`. */
static void rex(X86Buf *b, bool w, unsigned reg, unsigned rm, bool force)
{
    uint8_t r = (uint8_t)(0x40 | (w ? REX_W : 0) | ((reg & 8) ? REX_R : 0) | ((rm & 8) ? REX_B : 0));
    if (r != 0x40 || force)
        put8(b, r);
}

static bool fits8(int32_t v) { return v >= -128 && v <= 127; }

/* ModRM (+SIB) + disp8 (mod 01) or disp32 (mod 10) for [base + disp]. */
static void modrm_mem(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    bool d8 = fits8(disp);
    put8(b, (uint8_t)((d8 ? 0x40 : 0x80) | ((reg & 7) << 3) | (base & 7)));
    if ((base & 7) == X86_RSP)
        put8(b, 0x24);   /* SIB: scale 1, no index, base = rsp/r12 */
    if (d8)
        put8(b, (uint8_t)disp);
    else
        put32(b, (uint32_t)disp);
}

static void modrm_reg(X86Buf *b, unsigned reg, unsigned rm)
{
    put8(b, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7)));
}

/* One-byte opcode opc with a register and a [base + disp32] operand. */
static void op_mem(X86Buf *b, bool w, uint8_t opc, unsigned reg, unsigned base, int32_t disp)
{
    if (!room(b, 8))
        return;
    rex(b, w, reg, base, false);
    put8(b, opc);
    modrm_mem(b, reg, base, disp);
}

/* Group-1 ALU op (81 /ext id) on qword [base+disp]. */
static void alu_m_imm32(X86Buf *b, bool w, unsigned ext, unsigned base, int32_t disp, int32_t imm)
{
    if (!room(b, 12))
        return;
    rex(b, w, 0, base, false);
    put8(b, fits8(imm) ? 0x83 : 0x81);     /* 83 /ext ib (sign-extended), 81 /ext id */
    modrm_mem(b, ext, base, disp);
    if (fits8(imm))
        put8(b, (uint8_t)imm);
    else
        put32(b, (uint32_t)imm);
}

/* The same with disp32 and imm32 whatever their values: a fixed length. */
static void alu_m_imm32_long(X86Buf *b, bool w, unsigned ext, unsigned base, int32_t disp, int32_t imm)
{
    if (!room(b, 12))
        return;
    rex(b, w, 0, base, false);
    put8(b, 0x81);                          /* 81 /ext id */
    put8(b, (uint8_t)(0x80 | ((ext & 7) << 3) | (base & 7)));   /* mod 10: [base + disp32] */
    if ((base & 7) == X86_RSP)
        put8(b, 0x24);
    put32(b, (uint32_t)disp);
    put32(b, (uint32_t)imm);
}

void x86_cmp_m32_imm32_long(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32_long(b, false, 7, base, disp, imm);
}

void x86_cmp_m64_imm32_long(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32_long(b, true, 7, base, disp, imm);
}

void x86_add_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32(b, true, 0, base, disp, imm);
}

void x86_sub_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32(b, true, 5, base, disp, imm);
}

void x86_cmp_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32(b, true, 7, base, disp, imm);
}

void x86_cmp_m32_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm)
{
    alu_m_imm32(b, false, 7, base, disp, imm);
}

void x86_cmp_m8_imm8(X86Buf *b, unsigned base, int32_t disp, uint8_t imm)
{
    if (!room(b, 9))
        return;
    rex(b, false, 0, base, false);
    put8(b, 0x80);            /* 80 /7 ib: cmp r/m8, imm8 */
    modrm_mem(b, 7, base, disp);
    put8(b, imm);
}

void x86_test_m8_imm8(X86Buf *b, unsigned base, int32_t disp, uint8_t imm)
{
    if (!room(b, 9))
        return;
    rex(b, false, 0, base, false);
    put8(b, 0xf6);            /* F6 /0 ib: test r/m8, imm8 */
    modrm_mem(b, 0, base, disp);
    put8(b, imm);
}

void x86_cmp_m16_imm8(X86Buf *b, unsigned base, int32_t disp, int8_t imm)
{
    if (!room(b, 10))
        return;
    put8(b, 0x66);            /* operand-size prefix: 16 bits */
    rex(b, false, 0, base, false);
    put8(b, 0x83);            /* 66 83 /7 ib: cmp r/m16, imm8 (sign-extended) */
    modrm_mem(b, 7, base, disp);
    put8(b, (uint8_t)imm);
}

void x86_cmp_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    op_mem(b, true, 0x3b, reg, base, disp);   /* 3B /r: cmp r64, r/m64 */
}

void x86_add_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    op_mem(b, true, 0x03, reg, base, disp);   /* 03 /r: add r64, r/m64 */
}

void x86_mov_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    op_mem(b, true, 0x8b, reg, base, disp);   /* 8B /r: mov r64, r/m64 */
}

void x86_mov_r64_r64(X86Buf *b, unsigned dst, unsigned src)
{
    if (!room(b, 3))
        return;
    rex(b, true, src, dst, false);
    put8(b, 0x89);            /* 89 /r: mov r/m64, r64 */
    modrm_reg(b, src, dst);
}

void x86_mov_r32_r32(X86Buf *b, unsigned dst, unsigned src)
{
    if (!room(b, 3))
        return;
    rex(b, false, src, dst, false);
    put8(b, 0x89);            /* 89 /r: mov r/m32, r32 (zero-extends dst) */
    modrm_reg(b, src, dst);
}

void x86_mov_r32_imm32(X86Buf *b, unsigned reg, uint32_t imm)
{
    if (!room(b, 6))
        return;
    rex(b, false, 0, reg, false);
    put8(b, (uint8_t)(0xb8 + (reg & 7)));   /* B8+rd id */
    put32(b, imm);
}

void x86_mov_r64_imm64(X86Buf *b, unsigned reg, uint64_t imm)
{
    if (imm <= UINT32_MAX) {
        x86_mov_r32_imm32(b, reg, (uint32_t)imm);   /* zero-extends */
        return;
    }
    if ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) {
        if (!room(b, 7))
            return;
        rex(b, true, 0, reg, false);
        put8(b, 0xc7);            /* REX.W C7 /0 id: sign-extended */
        modrm_reg(b, 0, reg);
        put32(b, (uint32_t)imm);
        return;
    }
    if (!room(b, 10))
        return;
    rex(b, true, 0, reg, false);
    put8(b, (uint8_t)(0xb8 + (reg & 7)));   /* REX.W B8+rd io */
    put64(b, imm);
}

void x86_test_r32_r32(X86Buf *b, unsigned a, unsigned c)
{
    if (!room(b, 3))
        return;
    rex(b, false, c, a, false);
    put8(b, 0x85);            /* 85 /r: test r/m32, r32 */
    modrm_reg(b, c, a);
}

void x86_call_r64(X86Buf *b, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, false, 0, reg, false);
    put8(b, 0xff);            /* FF /2: call r/m64 */
    modrm_reg(b, 2, reg);
}

void x86_push_r64(X86Buf *b, unsigned reg)
{
    if (!room(b, 2))
        return;
    rex(b, false, 0, reg, false);
    put8(b, (uint8_t)(0x50 + (reg & 7)));
}

void x86_pop_r64(X86Buf *b, unsigned reg)
{
    if (!room(b, 2))
        return;
    rex(b, false, 0, reg, false);
    put8(b, (uint8_t)(0x58 + (reg & 7)));
}

void x86_ret(X86Buf *b)
{
    if (room(b, 1))
        put8(b, 0xc3);
}

uint8_t *x86_jcc_rel32(X86Buf *b, unsigned cc, const uint8_t *target)
{
    if (!room(b, 6))
        return NULL;
    put8(b, 0x0f);
    put8(b, (uint8_t)(0x80 | (cc & 15)));   /* 0F 8x cd */
    uint8_t *f = b->p;
    put32(b, (uint32_t)(int32_t)(target - (f + 4)));
    return f;
}

uint8_t *x86_jcc_rel8(X86Buf *b, unsigned cc)
{
    if (!room(b, 2))
        return NULL;
    put8(b, (uint8_t)(0x70 | (cc & 15)));   /* 7x cb */
    uint8_t *f = b->p;
    put8(b, 0);
    return f;
}

bool x86_patch_rel8(uint8_t *field, const uint8_t *target)
{
    ptrdiff_t rel = target - (field + 1);
    if (rel < -128 || rel > 127)
        return false;
    *field = (uint8_t)(int8_t)rel;
    return true;
}

void x86_land_rel8(X86Buf *b, uint8_t *field)
{
    if (field && !x86_patch_rel8(field, b->p))
        b->overflow = true;
}

/* The rel32 of an instruction of len bytes written at b->p that ends in a
 * 32-bit displacement to target, from where the code runs; false when
 * target is out of reach. */
static bool rel32_to(const X86Buf *b, unsigned len, const void *target, int32_t *rel)
{
    intptr_t r = (intptr_t)target - ((intptr_t)b->p + b->run_off + (intptr_t)len);
    if (r < INT32_MIN || r > INT32_MAX)
        return false;
    *rel = (int32_t)r;
    return true;
}

void x86_mov_r64_addr(X86Buf *b, unsigned reg, const void *addr)
{
    int32_t rel;
    if ((uintptr_t)addr <= UINT32_MAX || !rel32_to(b, 7, addr, &rel)) {
        x86_mov_r64_imm64(b, reg, (uint64_t)(uintptr_t)addr);
        return;
    }
    if (!room(b, 7))
        return;
    rex(b, true, reg, 0, false);
    put8(b, 0x8d);                /* REX.W 8D /r: lea r64, [rip + disp32] */
    put8(b, (uint8_t)(((reg & 7) << 3) | 5));
    put32(b, (uint32_t)rel);
}

void x86_call_abs(X86Buf *b, const void *target)
{
    int32_t rel;
    if (rel32_to(b, 5, target, &rel)) {
        if (!room(b, 5))
            return;
        put8(b, 0xe8);            /* E8 cd: call rel32 */
        put32(b, (uint32_t)rel);
        return;
    }
    x86_mov_r64_imm64(b, X86_RAX, (uint64_t)(uintptr_t)target);
    x86_call_r64(b, X86_RAX);
}

uint8_t *x86_jmp_rel32(X86Buf *b, const uint8_t *target)
{
    if (!room(b, 5))
        return NULL;
    put8(b, 0xe9);            /* E9 cd */
    uint8_t *f = b->p;
    put32(b, (uint32_t)(int32_t)(target - (f + 4)));
    return f;
}

void x86_patch_rel32(uint8_t *field, const uint8_t *field_run_addr, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (field_run_addr + 4));
    memcpy(field, &rel, 4);
}

void x86_mov_m64_r64(X86Buf *b, unsigned base, int32_t disp, unsigned reg)
{
    op_mem(b, true, 0x89, reg, base, disp);   /* 89 /r: mov r/m64, r64 */
}

void x86_cmc(X86Buf *b)
{
    if (room(b, 1))
        put8(b, 0xf5);            /* F5: cmc */
}

void x86_alu_rr(X86Buf *b, unsigned op, bool w, unsigned dst, unsigned src)
{
    if (!room(b, 3))
        return;
    rex(b, w, src, dst, false);
    put8(b, (uint8_t)(op << 3 | 1));   /* 01/09/11/19/21/29/31/39 /r: op r/m, r */
    modrm_reg(b, src, dst);
}

void x86_alu_ri(X86Buf *b, unsigned op, bool w, unsigned dst, int32_t imm)
{
    if (!room(b, 7))
        return;
    rex(b, w, 0, dst, false);
    if (fits8(imm)) {
        put8(b, 0x83);        /* 83 /op ib: imm8 sign-extended to the operand size */
        modrm_reg(b, op, dst);
        put8(b, (uint8_t)imm);
        return;
    }
    put8(b, 0x81);            /* 81 /op id */
    modrm_reg(b, op, dst);
    put32(b, (uint32_t)imm);
}

void x86_shift_ri(X86Buf *b, unsigned op, bool w, unsigned reg, uint8_t imm)
{
    if (!room(b, 4))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0xc1);            /* C1 /op ib */
    modrm_reg(b, op, reg);
    put8(b, imm);
}

void x86_shift_cl(X86Buf *b, unsigned op, bool w, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0xd3);            /* D3 /op: the count is CL, masked to 5 (6 with REX.W) bits */
    modrm_reg(b, op, reg);
}

void x86_bswap(X86Buf *b, bool w, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0x0f);            /* 0F C8+rd */
    put8(b, (uint8_t)(0xc8 + (reg & 7)));
}

void x86_not_r(X86Buf *b, bool w, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0xf7);            /* F7 /2 */
    modrm_reg(b, 2, reg);
}

void x86_mov_r32_m32(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    op_mem(b, false, 0x8b, reg, base, disp);   /* 8B /r: mov r32, r/m32 */
}

void x86_movzx_r32_m8(X86Buf *b, unsigned reg, unsigned base, int32_t disp)
{
    if (!room(b, 9))
        return;
    rex(b, false, reg, base, false);
    put8(b, 0x0f);
    put8(b, 0xb6);            /* 0F B6 /r: movzx r32, r/m8 */
    modrm_mem(b, reg, base, disp);
}

void x86_jmp_r64(X86Buf *b, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, false, 0, reg, false);
    put8(b, 0xff);            /* FF /4: jmp r/m64 */
    modrm_reg(b, 4, reg);
}

/* REX with an index register (REX.X) for SIB operands. */
static void rex3(X86Buf *b, bool w, unsigned reg, unsigned index, unsigned base, bool force)
{
    uint8_t r = (uint8_t)(0x40 | (w ? REX_W : 0) | ((reg & 8) ? REX_R : 0) | ((index & 8) ? 0x02 : 0) |
                          ((base & 8) ? REX_B : 0));
    if (r != 0x40 || force)
        put8(b, r);
}

/* ModRM + SIB + disp8 for [base + index*2^s + disp8]. */
static void modrm_sib(X86Buf *b, unsigned reg, unsigned base, unsigned index, unsigned s, int8_t d)
{
    /* mod 00 (no displacement) when d is 0, except for an rbp/r13 base,
     * which mod 00 would read as "no base, disp32" */
    bool d8 = d || (base & 7) == X86_RBP;
    put8(b, (uint8_t)((d8 ? 0x40 : 0x00) | ((reg & 7) << 3) | 4));
    put8(b, (uint8_t)((s & 3) << 6 | (index & 7) << 3 | (base & 7)));
    if (d8)
        put8(b, (uint8_t)d);
}

/* Two-byte opcode 0F opc2 /r with register operands (reg field, rm field). */
static void op2_rr(X86Buf *b, bool w, uint8_t opc2, unsigned reg, unsigned rm)
{
    if (!room(b, 4))
        return;
    rex(b, w, reg, rm, false);
    put8(b, 0x0f);
    put8(b, opc2);
    modrm_reg(b, reg, rm);
}

void x86_setcc_r8(X86Buf *b, unsigned cc, unsigned reg)
{
    if (!room(b, 4))
        return;
    rex(b, false, 0, reg, reg >= 4);   /* spl..dil need a REX prefix */
    put8(b, 0x0f);
    put8(b, (uint8_t)(0x90 | (cc & 15)));   /* 0F 9x /0 */
    modrm_reg(b, 0, reg);
}

void x86_lea_r32_bis(X86Buf *b, unsigned dst, unsigned base, unsigned index, unsigned scale_log2)
{
    if (!room(b, 5) || (index & 15) == X86_RSP) {
        b->overflow = true;
        return;
    }
    rex3(b, false, dst, index, base, false);
    put8(b, 0x8d);            /* 8D /r: lea r32, m */
    modrm_sib(b, dst, base, index, scale_log2, 0);
}

void x86_lea_r64_bis(X86Buf *b, unsigned dst, unsigned base, unsigned index, unsigned scale_log2)
{
    if (!room(b, 5) || (index & 15) == X86_RSP) {
        b->overflow = true;
        return;
    }
    rex3(b, true, dst, index, base, false);
    put8(b, 0x8d);            /* REX.W 8D /r: lea r64, m */
    modrm_sib(b, dst, base, index, scale_log2, 0);
}

void x86_prefetcht0_m(X86Buf *b, unsigned base, int32_t disp)
{
    if (!room(b, 8))
        return;
    rex(b, false, 0, base, false);
    put8(b, 0x0f);            /* 0F 18 /1: prefetcht0 m8 */
    put8(b, 0x18);
    modrm_mem(b, 1, base, disp);
}

void x86_lea_r64_disp(X86Buf *b, unsigned dst, unsigned base, int32_t disp)
{
    op_mem(b, true, 0x8d, dst, base, disp);   /* REX.W 8D /r: lea r64, m */
}

void x86_mov_m32_r32(X86Buf *b, unsigned base, int32_t disp, unsigned reg)
{
    op_mem(b, false, 0x89, reg, base, disp);   /* 89 /r: mov r/m32, r32 */
}

void x86_bt_r32_r32(X86Buf *b, unsigned a, unsigned bit)
{
    op2_rr(b, false, 0xa3, bit, a);            /* 0F A3 /r: bt r/m32, r32 */
}

void x86_bt_r64_imm8(X86Buf *b, unsigned reg, uint8_t bit)
{
    if (!room(b, 5))
        return;
    rex(b, true, 0, reg, false);
    put8(b, 0x0f);
    put8(b, 0xba);            /* REX.W 0F BA /4 ib: bt r/m64, imm8 */
    modrm_reg(b, 4, reg);
    put8(b, bit);
}

void x86_test_ri(X86Buf *b, bool w, unsigned reg, int32_t imm)
{
    if (!room(b, 7))
        return;
    if (imm >= 0 && imm <= 127) {
        /* test r8, imm8: the same flags, since the mask has no bit above
         * bit 6 (ZF and PF from the low byte, SF = bit 7 = 0, CF = OF = 0) */
        if (reg == X86_RAX) {
            put8(b, 0xa8);        /* A8 ib: test al, imm8 */
        } else {
            rex(b, false, 0, reg, reg >= 4);   /* spl..dil need a REX prefix */
            put8(b, 0xf6);        /* F6 /0 ib: test r/m8, imm8 */
            modrm_reg(b, 0, reg);
        }
        put8(b, (uint8_t)imm);
        return;
    }
    rex(b, w, 0, reg, false);
    put8(b, 0xf7);            /* F7 /0 id: test r/m, imm32 */
    modrm_reg(b, 0, reg);
    put32(b, (uint32_t)imm);
}

void x86_cmov(X86Buf *b, unsigned cc, bool w, unsigned dst, unsigned src)
{
    op2_rr(b, w, (uint8_t)(0x40 | (cc & 15)), dst, src);   /* 0F 4x /r: cmovcc r, r/m */
}

void x86_imul_rr(X86Buf *b, bool w, unsigned dst, unsigned src)
{
    op2_rr(b, w, 0xaf, dst, src);              /* 0F AF /r: imul r, r/m */
}

void x86_imul_rri(X86Buf *b, bool w, unsigned dst, unsigned src, int32_t imm)
{
    if (!room(b, 7))
        return;
    rex(b, w, dst, src, false);
    put8(b, 0x69);            /* 69 /r id: imul r, r/m, imm32 */
    modrm_reg(b, dst, src);
    put32(b, (uint32_t)imm);
}

void x86_neg_r(X86Buf *b, bool w, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0xf7);            /* F7 /3 */
    modrm_reg(b, 3, reg);
}

void x86_mul_r(X86Buf *b, bool w, bool sign, unsigned reg)
{
    if (!room(b, 3))
        return;
    rex(b, w, 0, reg, false);
    put8(b, 0xf7);            /* F7 /4: mul r/m; F7 /5: imul r/m */
    modrm_reg(b, sign ? 5 : 4, reg);
}

void x86_load_bi(X86Buf *b, unsigned size, bool sext, bool w, unsigned dst, unsigned base,
                 unsigned index, int8_t d8)
{
    if (!room(b, 7) || (index & 15) == X86_RSP) {
        b->overflow = true;
        return;
    }
    if (size == 8) {
        rex3(b, true, dst, index, base, false);
        put8(b, 0x8b);                        /* REX.W 8B: mov r64, m64 */
    } else if (size == 4) {
        rex3(b, sext, dst, index, base, false);
        put8(b, sext ? 0x63 : 0x8b);          /* REX.W 63: movsxd r64, m32; 8B: mov r32, m32 */
    } else {
        rex3(b, sext && w, dst, index, base, false);
        put8(b, 0x0f);                        /* 0F B6/B7: movzx; 0F BE/BF: movsx */
        put8(b, (uint8_t)((sext ? 0xbe : 0xb6) + (size == 2)));
    }
    modrm_sib(b, dst, base, index, 0, d8);
}

void x86_store_bi(X86Buf *b, unsigned size, unsigned src, unsigned base, unsigned index, int8_t d8)
{
    if (!room(b, 7) || (index & 15) == X86_RSP) {
        b->overflow = true;
        return;
    }
    if (size == 2)
        put8(b, 0x66);                        /* operand-size prefix */
    rex3(b, size == 8, src, index, base, size == 1 && src >= 4);
    put8(b, size == 1 ? 0x88 : 0x89);         /* 88 /r: mov m8, r8; 89 /r: mov m, r */
    modrm_sib(b, src, base, index, 0, d8);
}
