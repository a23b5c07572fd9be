/*
 * A small x86-64 machine-code emitter for the translator (src/jit).
 *
 * Only the handful of instruction forms the translator needs, each written
 * from the Intel SDM Vol. 2 encoding tables (REX prefix, ModRM, SIB,
 * disp32/imm32). Every form is checked against Capstone's x86-64
 * disassembly in tests/unit/test_x86emit.c. docs/ARCHITECTURE.md
 * "Translator" says why this is not Zydis.
 *
 * The emitter writes into a caller-owned buffer; running past its end sets
 * `overflow` and writes nothing more (the caller then discards the block).
 * Not thread safe per buffer; no global state.
 */
#ifndef A83_X86EMIT_H
#define A83_X86EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x86-64 general-purpose register numbers (SDM Vol. 2, Table 2-1/2-4). */
enum X86Reg {
    X86_RAX = 0, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15
};

/* Condition codes for Jcc (the low nibble of 0F 8x). */
enum X86Cond {
    X86_CC_O = 0, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G
};

typedef struct X86Buf {
    uint8_t *start;   /* first byte of the buffer (caller-owned) */
    uint8_t *p;       /* next byte to write */
    uint8_t *end;     /* one past the last usable byte */
    bool overflow;    /* a write did not fit: the contents are incomplete */
    intptr_t run_off; /* where the code runs minus where it is written (a code
                         cache mapped twice); 0 after x86_init() */
} X86Buf;

/** Starts emitting into [start, start + len). */
void x86_init(X86Buf *b, uint8_t *start, size_t len);
/** Bytes written so far. */
static inline size_t x86_len(const X86Buf *b) { return (size_t)(b->p - b->start); }

/* Forms. "m64" is qword [base + disp] and "m32" dword [base + disp]
 * (with an 8-bit displacement and immediate where they fit); r64/r32 a
 * register. */
void x86_add_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm); /* add qword [base+d], imm */
void x86_sub_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm); /* sub qword [base+d], imm */
void x86_cmp_m64_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm); /* cmp qword [base+d], imm */
void x86_cmp_m32_imm32(X86Buf *b, unsigned base, int32_t disp, int32_t imm); /* cmp dword [base+d], imm */
/* cmp with disp32 and imm32 whatever their values (81 /7 id: a fixed
 * length, 10 bytes for m32 and 11 for m64 without a SIB byte, the imm32
 * last), for a field patched later */
void x86_cmp_m32_imm32_long(X86Buf *b, unsigned base, int32_t disp, int32_t imm);
void x86_cmp_m64_imm32_long(X86Buf *b, unsigned base, int32_t disp, int32_t imm);
void x86_cmp_m8_imm8(X86Buf *b, unsigned base, int32_t disp, uint8_t imm);   /* cmp byte [base+d], imm */
void x86_cmp_m16_imm8(X86Buf *b, unsigned base, int32_t disp, int8_t imm);   /* cmp word [base+d], imm */
void x86_test_m8_imm8(X86Buf *b, unsigned base, int32_t disp, uint8_t imm);  /* test byte [base+d], imm */
void x86_cmp_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp);  /* cmp reg, [base+d] */
void x86_mov_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp);  /* mov reg, [base+d] */
void x86_add_r64_m64(X86Buf *b, unsigned reg, unsigned base, int32_t disp);  /* add reg, [base+d] */
void x86_mov_r64_r64(X86Buf *b, unsigned dst, unsigned src);                 /* mov dst, src */
void x86_mov_r32_r32(X86Buf *b, unsigned dst, unsigned src);                 /* mov dst32, src32 (zero-extends) */
void x86_mov_r32_imm32(X86Buf *b, unsigned reg, uint32_t imm);               /* mov r32, imm32 (zero-extends) */
/* reg = imm, in the shortest form: mov r32, imm32 (zero-extends), mov r64,
 * simm32 (sign-extends), else movabs reg, imm64 */
void x86_mov_r64_imm64(X86Buf *b, unsigned reg, uint64_t imm);
void x86_test_r32_r32(X86Buf *b, unsigned a, unsigned c);                    /* test a32, c32 */
void x86_call_r64(X86Buf *b, unsigned reg);                                  /* call reg */
/** reg = addr (an address): lea reg, [rip + disp32] (7 bytes) when addr is
 *  within +-2 GiB of the run address (b->run_off), else as
 *  x86_mov_r64_imm64(). */
void x86_mov_r64_addr(X86Buf *b, unsigned reg, const void *addr);
/** call target: call rel32 (E8 cd, 5 bytes) when target is within +-2 GiB of
 *  the run address (b->run_off), else movabs rax, target; call rax (rax is
 *  clobbered either way by the callee's return value). */
void x86_call_abs(X86Buf *b, const void *target);
void x86_push_r64(X86Buf *b, unsigned reg);
void x86_pop_r64(X86Buf *b, unsigned reg);
void x86_ret(X86Buf *b);
void x86_mov_m64_r64(X86Buf *b, unsigned base, int32_t disp, unsigned reg);  /* mov [base+d], reg */

/* Register ALU forms; w: 64-bit (REX.W) or 32-bit (the result is
 * zero-extended into the 64-bit register, as an AArch64 W write is). */
enum X86AluOp { X86_ADD = 0, X86_OR = 1, X86_ADC = 2, X86_SBB = 3, X86_AND = 4, X86_SUB = 5, X86_XOR = 6,
                 X86_CMP = 7 };
enum X86ShiftOp { X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 };
void x86_alu_rr(X86Buf *b, unsigned op, bool w, unsigned dst, unsigned src);   /* op dst, src */
void x86_alu_ri(X86Buf *b, unsigned op, bool w, unsigned dst, int32_t imm);    /* op dst, imm32 */
void x86_shift_ri(X86Buf *b, unsigned op, bool w, unsigned reg, uint8_t imm);  /* shift reg, imm8 */
void x86_not_r(X86Buf *b, bool w, unsigned reg);                               /* not reg */
void x86_cmc(X86Buf *b);                                                       /* cmc (CF = NOT CF) */
void x86_shift_cl(X86Buf *b, unsigned op, bool w, unsigned reg);               /* shift reg, cl */
void x86_bswap(X86Buf *b, bool w, unsigned reg);                               /* bswap reg */
void x86_mov_r32_m32(X86Buf *b, unsigned reg, unsigned base, int32_t disp);  /* mov r32, dword [base+d] */
void x86_movzx_r32_m8(X86Buf *b, unsigned reg, unsigned base, int32_t disp); /* movzx r32, byte [base+d] */
void x86_jmp_r64(X86Buf *b, unsigned reg);                                   /* jmp reg */

/* Forms added for inlined flag-setting, conditional and memory instructions
 * (jit_inline*.c). "[base + index + d8]" is a SIB operand with an 8-bit
 * displacement (always present: a fixed length; index must not be RSP). */
void x86_setcc_r8(X86Buf *b, unsigned cc, unsigned reg);                     /* setcc reg8 */
void x86_lea_r32_bis(X86Buf *b, unsigned dst, unsigned base, unsigned index,
                     unsigned scale_log2);                                   /* lea d32, [base + index*s] */
void x86_lea_r64_bis(X86Buf *b, unsigned dst, unsigned base, unsigned index,
                     unsigned scale_log2);                                   /* lea d64, [base + index*s] */
void x86_lea_r64_disp(X86Buf *b, unsigned dst, unsigned base, int32_t disp);  /* lea dst, [base + disp32] */
void x86_prefetcht0_m(X86Buf *b, unsigned base, int32_t disp);               /* prefetcht0 [base + d] */
void x86_mov_m32_r32(X86Buf *b, unsigned base, int32_t disp, unsigned reg);  /* mov dword [base+d], r32 */
void x86_bt_r32_r32(X86Buf *b, unsigned a, unsigned bit);                    /* bt a32, bit32 */
void x86_bt_r64_imm8(X86Buf *b, unsigned reg, uint8_t bit);                  /* bt reg, imm8 */
/* test reg, imm32; test reg8, imm8 when imm is 0-127 (the same flags) */
void x86_test_ri(X86Buf *b, bool w, unsigned reg, int32_t imm);
void x86_cmov(X86Buf *b, unsigned cc, bool w, unsigned dst, unsigned src);   /* cmovcc dst, src */
void x86_imul_rr(X86Buf *b, bool w, unsigned dst, unsigned src);             /* imul dst, src */
void x86_imul_rri(X86Buf *b, bool w, unsigned dst, unsigned src, int32_t imm); /* imul dst, src, imm32 */
void x86_neg_r(X86Buf *b, bool w, unsigned reg);                             /* neg reg */
void x86_mul_r(X86Buf *b, bool w, bool sign, unsigned reg);   /* mul/imul reg: rdx:rax = rax * reg */
/** Load of size 1, 2, 4 or 8 bytes from [base + index + d8] into dst:
 *  zero-extended (movzx/mov), or with sext sign-extended to 64 bits (w) or
 *  to 32 bits and then zero-extended (!w): movsx/movsxd. */
void x86_load_bi(X86Buf *b, unsigned size, bool sext, bool w, unsigned dst, unsigned base,
                 unsigned index, int8_t d8);
/** Store of the low size (1, 2, 4, 8) bytes of src to [base + index + d8]. */
void x86_store_bi(X86Buf *b, unsigned size, unsigned src, unsigned base, unsigned index, int8_t d8);

/** jcc rel32 to target (an address inside the same buffer or anywhere
 *  within +-2 GiB). Returns the address of the rel32 field (for patching),
 *  or NULL on overflow. */
uint8_t *x86_jcc_rel32(X86Buf *b, unsigned cc, const uint8_t *target);
/** jmp rel32; same conventions as x86_jcc_rel32(). */
uint8_t *x86_jmp_rel32(X86Buf *b, const uint8_t *target);
/** jcc rel8 (7x cb) with a zero displacement: the target must follow
 *  within 127 bytes and is set by x86_patch_rel8(). Returns the address of
 *  the rel8 field, or NULL on overflow. */
uint8_t *x86_jcc_rel8(X86Buf *b, unsigned cc);
/** Points the rel8 field at `field` (from x86_jcc_rel8(), in the same
 *  buffer) to target; false (nothing written) when target is out of reach. */
bool x86_patch_rel8(uint8_t *field, const uint8_t *target);
/** Points the rel8 field (from x86_jcc_rel8(); NULL after an overflow is
 *  accepted) at the next byte to be written; sets b->overflow when that is
 *  out of reach. */
void x86_land_rel8(X86Buf *b, uint8_t *field);
/** Rewrites the rel32 field written at `field` (as returned by
 *  x86_jcc_rel32()/x86_jmp_rel32()) so that the jump goes to target.
 *  field_run_addr is where that field is executed from (the same as field
 *  unless the code is mapped twice); the displacement is relative to the
 *  end of the field at its run address. */
void x86_patch_rel32(uint8_t *field, const uint8_t *field_run_addr, const uint8_t *target);

#endif
