/*
 * Inline translation of simple integer instructions (jit_inline.c).
 * Internal header.
 */
#ifndef A83_JIT_INLINE_H
#define A83_JIT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "jit/jit_regs.h"
#include "jit/x86emit.h"

/** Emits x86-64 code for insn into r->b (rbx = the CPUState; rax, rcx,
 *  rdx, rsi free; general registers through the register cache r) and
 *  returns true, or emits nothing and returns false when insn is not one of
 *  the inlined forms. The code cannot fault and touches only X0-X30, SP
 *  (cached) and NZCV (written eagerly to CPUState.nzcv, read from there). */
bool jit_inline(JitRegs *r, uint32_t insn);

/** How the last flag-setting inlined instruction's x86 flags map to NZCV
 *  (JitRegs.nzcv_kind): C is NOT CF after a subtraction, CF after an
 *  addition, 0 after a logical operation. */
enum { JIT_NZCV_ADD = 0, JIT_NZCV_SUB = 1, JIT_NZCV_LOGIC = 2 };

/** The x86 condition that is true exactly when ConditionHolds(cond) for
 *  NZCV as the last operation of this kind left the x86 flags, or -1 when
 *  no single x86 condition says it (AL/NV, HI/LS after ADD or AND). */
int jit_cond_cc(int kind, unsigned cond);

/** CPUState.nzcv = edx << 28: the second half of a flag-setting inlined
 *  instruction's NZCV update, when JitRegs.defer_nzcv kept the x86 flags
 *  for a B.cond (edx = N:Z:C:V in bits 3:0; clobbers the flags). */
void jit_store_nzcv(X86Buf *b);

/** reg = ExtendReg(reg, option) without the shift (Arm ARM J1
 *  aarch64/instrs/extendreg/ExtendReg): option<1:0> the source size (8 <<
 *  n bits), option<2> signed; 64-bit result. */
void jit_emit_extend(X86Buf *b, unsigned reg, unsigned option);

/** A direct branch as the translator emits it (jit_inline_branch()). */
typedef struct JitBranch {
    int64_t off;   /* target - PC of the branch (bytes) */
    int cc;        /* x86 condition (enum X86Cond) true when taken; -1: always */
    bool link;     /* BL: X30 = PC + 4 */
} JitBranch;

/* The direct branches by their fixed bits (Arm ARM C4.1.3: unconditional
 * branch (immediate), conditional branch (immediate), compare and branch,
 * test and branch) and their offset fields imm26, imm19 (bits 23:5) and
 * imm14 (bits 18:5), in words. */
#define A64_B_MASK 0x7c000000u       /* B, BL (op in bit 31) */
#define A64_B_BITS 0x14000000u
#define A64_BCOND_MASK 0xff000010u   /* B.cond (cond in bits 3:0) */
#define A64_BCOND_BITS 0x54000000u
#define A64_CB_MASK 0x7e000000u      /* CBZ, CBNZ (sf in bit 31, op in bit 24) */
#define A64_CB_BITS 0x34000000u
#define A64_TB_MASK 0x7e000000u      /* TBZ, TBNZ (b5 in bit 31, op in bit 24, b40 in 23:19) */
#define A64_TB_BITS 0x36000000u
#define A64_COND_AL 14u              /* B.cond with AL or NV (15) is always taken */

enum A64DirectBranch { A64_BRANCH_NONE, A64_BRANCH_B, A64_BRANCH_BCOND, A64_BRANCH_CB, A64_BRANCH_TB };

/** Which direct branch insn is (A64_BRANCH_NONE: none); for a branch,
 *  *off (unless off is NULL) = target - PC in bytes. Decoding only: no
 *  code (jit_inline.c). */
enum A64DirectBranch a64_direct_branch(uint32_t insn, int64_t *off);

/** Whether insn is a conditional direct branch: B.cond with a condition
 *  other than AL/NV, CBZ/CBNZ, TBZ/TBNZ. */
bool a64_cond_branch(uint32_t insn);

/** For a direct branch (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ; Arm ARM C4.1.3)
 *  emits the test of its condition (leaving the x86 flags for br->cc),
 *  fills br and returns true; anything else: emits nothing, false. */
bool jit_inline_branch(JitRegs *r, uint32_t insn, JitBranch *br);

/** Where an inlined load or store's TLB compare goes when it misses
 *  (jit_inline_mem()): code the caller emits out of line before the slow
 *  path (jit.c emit_slow_stub()). With rax = the VA, rcx = the page of its
 *  last byte and rdx = the host TLB entry, as at the compare: when the tag
 *  is that page with TLB_FLAG_MODEL alone (the TLB model's L1 dropped the
 *  page), mem_model_refresh() charges the model as the slow path would and
 *  clears the flag, and the access starts again at retry, now hitting
 *  (about one access in 140 of a nested run's); anything else goes on to
 *  the slow path. */
typedef struct JitRefill {
    uint8_t *jcc;       /* the tag compare's jcc field (NULL: none) */
    uint8_t *retry;     /* the start of the access's inline code */
    int32_t tag_off;    /* offset in TLBEntry of the tag compared (tag_r or tag_w) */
    uint32_t flags;     /* the handler's MEMF_* that choose the context (MEMF_UNPRIV) */
    unsigned acc;       /* ACC_READ or ACC_WRITE: the tag compared */
} JitRefill;

/** Load/store fast paths (jit_inline_mem.c): for the inlined forms (LDR/
 *  STR and the sign-extending loads with an unsigned, unscaled, pre- or
 *  post-indexed immediate offset; LDP/STP of W/X registers; LDAR/STLR;
 *  the FEAT_LSE atomics LD<op>, SWP and CAS, which
 *  the caller offers only when the machine has FEAT_LSE) emits the
 *  inline TLB lookup and host access (the same test as mem.h's fast path,
 *  so the modelled TLB sees nothing: a host hit is a model L1 hit), stores
 *  the jcc fields that go to the slow path into slow[] (*nslow of them, at
 *  most 4) and returns true. The slow path must call the instruction's
 *  handler with exact state (it redoes the access through mem_read() /
 *  mem_write()): the cache map at every slow-path jump is the one from
 *  before the call (jr_peek() only), at the end the one after it. *rf:
 *  the tag compare's refresh of a flagged entry (JitRefill), whose jcc the
 *  caller must patch (rf->jcc NULL: none). Anything else: emits nothing,
 *  false. */
bool jit_inline_mem(JitRegs *r, uint32_t insn, uint8_t **slow, unsigned *nslow, JitRefill *rf);

/** rdx = &TLB[(rax >> PAGE_BITS) & (TLB_SIZE - 1)] of the host TLB whose
 *  pointer is at CPUState offset tlb_off (CPUState.tlb or tlb_unpriv), rax
 *  holding a VA: one shift, a mask and an add, the entries being
 *  1 << JIT_TLB_ENTRY_BITS bytes (cpu.h TLBEntry). Changes only rdx and the
 *  x86 flags. */
#define JIT_TLB_ENTRY_BITS 5
void jit_emit_tlb_entry(X86Buf *b, int32_t tlb_off);

/** A PAC hint on X30 (PACIASP, AUTIASP, PACIAZ, ... : CRm = 0011, op2 in
 *  insn<7:5>; key_bit: CPUState.pac_hint_keys' bit of its key) whose
 *  handler is h_pac_hint_lr() (jit_inline_pac.c): emits the NOP of a
 *  disabled key and the probe of the first way of the handler's near memo
 *  set, X30 written from a hit; every other case jumps to the slow path
 *  (slow[], *nslow of them, at most 4), which must call the handler with
 *  exact state. The same cache map rules as jit_inline_mem(). */
void jit_inline_pac_hint(JitRegs *r, uint32_t insn, uint8_t key_bit, uint8_t **slow,
                         unsigned *nslow);

struct SysRegFastRead;
struct DcFast;

/** DC ZVA, DC CVAC or DC CIVAC that exec_dc_fast() accepted (f: its
 *  result; jit_inline_sys.c): at EL2, the handler's host-TLB hit inline;
 *  each test that fails is a jcc into the slow path stored in slow[] (*nslow
 *  of them, at most 6), which calls the handler with exact state. The fast
 *  path's cycles: the instruction's decoded cost (the caller's deferred
 *  accounting), and f->extra, which the fast path adds to CPUState.cycles
 *  itself (a slow path that goes on has the handler's). Reads Xt with
 *  jr_peek() only (the map stays). */
void jit_inline_dc(JitRegs *r, const struct DcFast *f, uint8_t **slow, unsigned *nslow);

/** MRS of a register exec_mrs_fast() accepted (f: its result;
 *  jit_inline_sys.c): emits the tests of f's run-time conditions, each a
 *  jcc into the slow path stored in slow[] (*nslow of them, at most 4),
 *  then Xt = the value through the register cache. The slow path calls the
 *  MRS handler with exact state; the fast path's cycles are the
 *  instruction's decoded cost plus f->extra (the caller's accounting). */
void jit_inline_mrs(JitRegs *r, uint32_t insn, const struct SysRegFastRead *f, uint8_t **slow,
                    unsigned *nslow);

#endif
