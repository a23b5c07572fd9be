/*
 * Guest general registers held in host registers inside one translated
 * block (jit_regs.c; docs/ARCHITECTURE.md "Translator"). Internal header.
 *
 * The inlined instructions (jit_inline*.c) read and write X0-X30 and SP
 * through this cache instead of CPUState: a register is loaded into one of
 * JR_SLOTS host registers when first read, kept there, and written back to
 * CPUState (if it was written) before anything can observe CPUState - a
 * handler call, a slow-path call, a block exit (jit.c). Between those
 * points nothing but the block's own code sees the registers, so the
 * architectural state at every observation point is exactly the
 * interpreter's. The register code emitted is plain MOVs, which leave the
 * x86 flags alone, so a write-back may sit between a flag-setting operation
 * and the instruction that reads its flags.
 *
 * Host registers: scratch rax, rcx, rdx, rsi (never cached; the inline
 * emitters' own); cache slots rdi, r8-r11 (caller-saved: every call
 * invalidates them, and the map is reset at each call anyway), rbp and
 * r12-r15 (callee-saved, pushed by the shared entry: jit_stubs.c); rbx is
 * CPUState.
 */
#ifndef A83_JIT_REGS_H
#define A83_JIT_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "jit/x86emit.h"

#define JR_SLOTS 10
#define JR_XZR 31        /* reads as zero; never written */
#define JR_SP 32         /* the current SP (CPUState.sp) */
#define JR_NREGS 33

typedef struct JitRegs {
    X86Buf *b;
    int8_t slot_of[JR_NREGS];   /* guest register -> slot, or -1 */
    int8_t reg_in[JR_SLOTS];    /* slot -> guest register, or -1 */
    bool dirty[JR_SLOTS];       /* the slot differs from CPUState */
    bool pinned[JR_SLOTS];      /* never evicted (a loop head's registers: jr_preset()) */
    uint32_t used[JR_SLOTS];    /* last use (ties of the eviction choice) */
    uint32_t tick;
    /* Eviction looks ahead (jr_set_block()): mention[k] has bit g set when
     * instruction k of the block may name guest register g (JR_SP as bit
     * 31) in one of its register fields, cur is the instruction being
     * emitted. NULL: least recently used. */
    const uint32_t *mention;
    unsigned nmention, cur;
    /* Reads and writes of each guest register in the block so far
     * (saturating; cleared by jr_set_block()): jr_pick_pins()'s ranking. */
    uint16_t uses[JR_NREGS];
    /* Flag handling of the instruction being emitted (jit_inline.c): with
     * defer_nzcv set, a flag-setting instruction leaves its x86 flags and
     * edx (NZCV in bits 3:0) for a following B.cond instead of storing
     * CPUState.nzcv; nzcv_kind says how its flags map (JIT_NZCV_*), -1
     * when it set none. */
    bool defer_nzcv;
    int nzcv_kind;
} JitRegs;

/** Empties the map (no code): the start of a block, after a call. The
 *  block's look-ahead (jr_set_block()) stays. */
void jr_reset(JitRegs *r, X86Buf *b);

/** The register fields of the block's n instruction words, for the
 *  eviction choice: a full cache evicts the register whose next possible
 *  use is furthest (never, first), Belady's rule on an over-approximation
 *  (every field that can hold a register number counts: bits 4:0, 9:5,
 *  14:10, 20:16). Fills mention[0..n-1]; the map keeps the pointer. Only
 *  the choice of register changes, never what the code computes. */
void jr_set_block(JitRegs *r, uint32_t *mention, const uint32_t *insns, unsigned n);

/** host = guest register g (0-30, JR_XZR, JR_SP), loading it into a slot
 *  first when not cached (may evict, writing back a dirty slot). host is
 *  a scratch register. */
void jr_read(JitRegs *r, unsigned host, unsigned g);

/** As jr_read() but never changes the map: from the slot when cached, else
 *  straight from CPUState. For code between a slow-path jump and the end
 *  of its instruction (the stub's write-back must match the map). */
void jr_peek(const JitRegs *r, unsigned host, unsigned g);

/** The host register that holds guest register g for reading (loaded into
 *  a slot first when not cached). JR_XZR gives rsi, set to 0 (so several
 *  XZR operands of one instruction share it; rsi is a scratch register the
 *  caller must not overwrite before the operand is used). The register
 *  returned stays valid until the next jr_* call that may allocate: the
 *  least recently used slot is evicted, never one of the last two used. */
unsigned jr_src(JitRegs *r, unsigned g);

/** The slot register that will hold guest register g (0-30 or JR_SP),
 *  allocated without loading and marked dirty: the caller writes the full
 *  64-bit value into it (a 32-bit x86 operation zero-extends). */
unsigned jr_dst(JitRegs *r, unsigned g);

/** Guest register g (0-30 or JR_SP; never JR_XZR) = host (a full 64-bit
 *  value: W results are already zero-extended). Marks it dirty. */
void jr_write(JitRegs *r, unsigned g, unsigned host);

/** After code stored host into guest register g (0-30 or JR_SP) in
 *  CPUState itself, past the map (a BL's link after jr_flush()): the slot
 *  that holds g, if any, gets the same value, so that the map still says
 *  what CPUState holds (the slot stays clean). A MOV: the flags stay. */
void jr_mirror(const JitRegs *r, unsigned g, unsigned host);

/** Writes every dirty slot back to CPUState; the map stays valid. */
void jr_flush(JitRegs *r);

/** Writes back the dirty slots of snapshot s into CPUState with code in b
 *  (s unchanged): a slow path's entry. */
void jr_writeback(const JitRegs *s, X86Buf *b);

/** Loads every cached register of snapshot s from CPUState into its slot
 *  with code in b: a slow path's return to the fast path's state. */
void jr_reload(const JitRegs *s, X86Buf *b);

/** The caller-saved host registers (rdi, r8-r11) that hold a guest
 *  register in snapshot s, into hosts[] (at most JR_SLOTS); returns how
 *  many: what a C call that must leave the map as it was saves around
 *  itself (jit.c emit_refill()). */
unsigned jr_live_caller_saved(const JitRegs *s, unsigned hosts[JR_SLOTS]);

/** Loads, for each slot k with want[k] >= 0 (a guest register: 0-30 or
 *  JR_SP), guest register want[k] from CPUState into slot k, with code in
 *  b; slots in which have (NULL: none) already holds want[k] are left
 *  alone. have must be clean (after jr_flush()): CPUState is current. For
 *  a jump to code that expects the map want (a loop's head). */
void jr_enter(X86Buf *b, const int8_t want[JR_SLOTS], const JitRegs *have);

/** Empties the map, then loads the registers of want (as jr_enter() with
 *  no have) and makes it the map, clean and pinned: until the next
 *  jr_reset() they are never evicted, so a loop's back edge finds them
 *  where its head expects them. If every other slot is pinned too when a
 *  register needs one, a pinned slot is evicted after all (correct, only
 *  slower: the back edge loads what moved). A loop head's preload, and its
 *  reload after a call. */
void jr_preset(JitRegs *r, const int8_t want[JR_SLOTS]);

/** From the block's register uses so far (a first translation of a loop):
 *  the registers to pin at its loop head, into want (slot -> register, -1
 *  for none). All the block's registers when they fit in the slots, else
 *  the JR_PINS most used (ties: the lower number), leaving the other slots
 *  to the registers used less. */
void jr_pick_pins(const JitRegs *r, int8_t want[JR_SLOTS]);

#define JR_PINS 6
#endif
