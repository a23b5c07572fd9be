/*
 * The translator's state, shared by jit.c (translation, block code) and
 * jit_stubs.c (the code every block shares: entry, exits, chain lookup,
 * dispatcher). Internal header of src/jit.
 */
#ifndef A83_JIT_PRIV_H
#define A83_JIT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "jit/x86emit.h"

typedef struct Jit Jit;

/** Statistics (a83_get_jit_stats(), docs/performance.md, tests): blocks
 *  translated, guest instructions in them (inlined: emitted as x86 code
 *  rather than a handler call), cache flushes, block entries, page
 *  invalidations, loops on themselves. */
typedef struct JitStats {
    uint64_t blocks, insns, inlined, flushes, entries, page_invals, loops, side_exits;
    uint64_t patches;      /* chain sites patched (jit_chain_patch()) */
} JitStats;
void jit_get_stats(const Jit *j, JitStats *out);

#define JIT_MAX_INSNS 64
#define JIT_DEFAULT_CACHE (64u << 20)
#define JIT_MAX_CACHE (1ull << 30)
#define JIT_BLOCK_MAX_BYTES (JIT_MAX_INSNS * 512 + 600)   /* worst case of one block (slow stubs included) */

/* Block index of one decoded page: e[i] describes the block starting at
 * instruction slot i, 0 when there is none (yet): its cache offset / 16 in
 * bits 25:0 and its instruction count - 1 in bits 31:26, so that a lookup
 * (jit_stubs.c chain lookup, the dispatcher, block_at()) reads one word,
 * one host cache line. */
typedef struct JitPage {
    uint32_t e[INSNS_PER_PAGE];
} JitPage;

#define JIT_ENTRY_OFF_BITS 26
_Static_assert(JIT_MAX_CACHE <= (1ull << (JIT_ENTRY_OFF_BITS + 4)), "a cache offset / 16 fits an entry");
_Static_assert(JIT_MAX_INSNS <= (1u << (32 - JIT_ENTRY_OFF_BITS)), "an instruction count fits an entry");

/* The index entry of a block at cache offset off (16-byte aligned, not 0)
 * of n instructions (1..JIT_MAX_INSNS). */
static inline uint32_t jit_entry(uint32_t off, unsigned n)
{
    return off >> 4 | (uint32_t)(n - 1) << JIT_ENTRY_OFF_BITS;
}
static inline uint32_t jit_entry_off(uint32_t e)
{
    return (e & ((1u << JIT_ENTRY_OFF_BITS) - 1)) << 4;
}
static inline unsigned jit_entry_n(uint32_t e)
{
    return (e >> JIT_ENTRY_OFF_BITS) + 1;
}

/* A chain site (jit.c emit_chain()) starts with a fixed-length check of
 * the block it expects, which jit_chain_patch() rewrites:
 *   cmp dword [rcx + 4 * slot], entry   81 B9 disp32 imm32  (entry at +6)
 *   jne other                           75 rel8
 *   cmp qword [rbx + budget], n         48 81 BB disp32 imm32 (n at +19)
 *   jl leave                            0F 8C rel32
 *   jmp block                           E9 rel32            (rel32 at +30)
 * JIT_ENTRY_NONE never equals an index entry (offset 0 is never a block),
 * so a site that expects it always takes the lookup. */
#define JIT_SITE_ENTRY 6
#define JIT_SITE_BUDGET 19
#define JIT_SITE_JMP 30
#define JIT_SITE_LEN 34
#define JIT_ENTRY_NONE ((uint32_t)(JIT_MAX_INSNS - 1) << JIT_ENTRY_OFF_BITS)

/** Makes the chain site at site_rx (executable view) expect the index
 *  entry entry and jump to its block (called from chain_*_site, with the
 *  entry just found valid). Host-side only: the site checks the entry
 *  against the index at run time, so a stale patch is never followed. */
void jit_chain_patch(Jit *j, uint8_t *site_rx, uint32_t entry);

/* What a block returns (besides EXEC_*) when the dispatcher made
 * cpu_exec()'s fetch at an iTLB miss but has no block to enter there
 * (jit_stubs.c jit_fetch_block()): jit_exec_page() goes on at c->pc in
 * c->cur_page as cpu_exec() does after its fetch, with no other test. */
#define JIT_FETCHED 3
_Static_assert(JIT_FETCHED != EXEC_NEXT && JIT_FETCHED != EXEC_JUMP && JIT_FETCHED != EXEC_EXIT,
               "JIT_FETCHED is not an EXEC_* value");

/* The shared entry (jit_emit_stubs()): saves the host's callee-saved
 * registers, sets rbx = c and jumps to the block code. */
typedef int (*JitEnterFn)(CPUState *c, const void *code);

struct Jit {
    Machine *m;
    uint8_t *rw, *rx;      /* the cache: writable view, executable view */
    size_t size, used;
    size_t populated;      /* [0, populated) of both views is mapped (populate_ahead()) */
    bool no_populate;      /* the host has no MADV_POPULATE_* */
    uint32_t gen;          /* DecodePage.jit is valid iff its jit_gen == gen */
    /* Cache offsets of the shared code (jit_emit_stubs(); all in the
     * block's frame except enter): */
    uint32_t enter;        /* JitEnterFn */
    uint32_t leave;        /* return eax to jit_exec_page() */
    uint32_t leave_next;   /* return EXEC_NEXT */
    uint32_t leave_jump;   /* return EXEC_JUMP */
    uint32_t leave_exit;   /* return EXEC_EXIT */
    uint32_t leave_fetched; /* return JIT_FETCHED */
    uint32_t round_jump;   /* called at the round's end: jit_round_next() or leave_jump */
    uint32_t chain_next;   /* called, rcx = JitPage, edx = slot: rax = the block there,
                              or leave_next */
    uint32_t chain_jump;   /* the same, or leave_jump */
    uint32_t chain_next_site; /* chain_next and chain_jump called from a chain site
                              (jit.c emit_chain()), rsi = the site: a block found */
    uint32_t chain_jump_site; /* is patched into the site first (jit_chain_patch()) */
    uint32_t dispatch;     /* the dispatcher (exec_page()'s EXEC_JUMP step), called */
    uint32_t dispatch_exit; /* cpu_exec()'s step after a plain EXEC_EXIT
                              (exec_exit_plain()): always through the iTLB */
    uint32_t first_block;  /* cache offset where blocks start (after the shared code) */
    JitPage **pages;       /* every JitPage of this generation, to free at a flush */
    size_t npages, cap;
    JitStats st;
    struct Gen *cg;        /* code generation scratch state (translate()) */
    const char *dump_dir;  /* A83_JIT_DUMP: where dump_block() writes (NULL: off) */
};

/* Whether dp's block index (DecodePage.jit) is of this generation (the
 * dispatchers' own code makes the same test). */
static inline bool jit_page_current(const Jit *j, const DecodePage *dp)
{
    return dp->jit && dp->jit_gen == j->gen;
}

/* The index entry of the block at slot idx of dp, 0 when there is none or
 * dp's blocks are not of this generation (jit.c block_at()). */
static inline uint32_t jit_index_entry(const Jit *j, const DecodePage *dp, unsigned idx)
{
    return jit_page_current(j, dp) ? dp->jit->e[idx] : 0;
}

/* The jump cache line of pc: its index's low bits are pc's slot in its
 * page, so the entries that can hold slot s of any page are s, s + 1024,
 * ... (jit.c jc_drop()). */
_Static_assert(JIT_JC_SIZE % INSNS_PER_PAGE == 0, "a slot's jump cache entries are a stride apart");
static inline struct JitJump *jit_jc_line(CPUState *c, uint64_t pc)
{
    return &c->jit_jc[(pc >> 2) & (JIT_JC_SIZE - 1)];
}

/* The block index entry of the block at pc in dp (whose page is pc's) as
 * jit_index_entry() gives it, through c's jump cache (CPUState.jit_jc): an
 * entry with the same DecodedInsn's address is the index's entry now (an
 * index entry changes only from 0 to a block, and the translator empties
 * the jump cache entries of a block it drops, and all of them at a flush),
 * so a hit reads nothing of dp; else the index is read, and a block found
 * is remembered. The dispatchers' emitted code does the same (jit_stubs.c
 * emit_dispatcher()). */
static inline uint32_t jit_jc_entry(const Jit *j, CPUState *c, const DecodePage *dp, uint64_t pc)
{
    unsigned slot = (unsigned)(pc >> 2) & (INSNS_PER_PAGE - 1);
    struct JitJump *jc = jit_jc_line(c, pc);
    uint64_t key = (uint64_t)(uintptr_t)&dp->e[slot];
    if (jc->key == key)
        return jc->e;
    uint32_t e = jit_index_entry(j, dp, slot);
    if (e)
        *jc = (struct JitJump){ .key = key, .e = e };
    return e;
}

#define JIT_OFF(f) ((int32_t)offsetof(CPUState, f))

/* exit_req and jit_stale are adjacent bytes: one 16-bit compare tests both */
_Static_assert(offsetof(CPUState, jit_stale) == offsetof(CPUState, exit_req) + 1,
               "CPUState.exit_req and jit_stale must be adjacent");

/** Emits the shared code at the start of j's cache (j->used = 16 on
 *  entry, j->first_block after); false if it does not fit. */
bool jit_emit_stubs(Jit *j);

/* cpu_irq_maybe() in translated code: the flags say NE when an interrupt
 * line is up that cpu_check_interrupts() has not found masked (esi, edi
 * clobbered). */
void jit_emit_irq_maybe(X86Buf *b);

/** rcx = &c->itlb[(rax >> PAGE_BITS) % TLB_SIZE], the current context's
 *  iTLB entry of the VA in rax (rsi clobbered; rbx = c). */
void jit_emit_itlb_entry(X86Buf *b);

/** A jump (cc < 0: unconditional; else jcc with that X86Cond) to the
 *  shared code at cache offset off. */
void jit_jump_to(const Jit *j, X86Buf *b, int cc, uint32_t off);

/** Starts an emitter at cache offset start for up to len bytes, in the
 *  writable view, with run_off set for the executable one. */
void jit_buf_at(const Jit *j, X86Buf *b, size_t start, size_t len);

/** The packed accounting argument of jit_slow_call(): the deferred PC
 *  advance (bytes: pc / 4 in bits 5:0, the block's slot distance), the
 *  instruction count (bits 12:6, at most JIT_MAX_INSNS) and the cycles
 *  (bits 44:13) of an inlined instruction's slow path (jit.c
 *  emit_slow_stub()). Usual values fit in 32 bits, so the argument is a
 *  5-byte mov edx, imm32. */
static inline uint64_t jit_slow_acct(int32_t pc, int32_t cost, int32_t n)
{
    return (uint64_t)(uint32_t)cost << 13 | (uint64_t)(n & 0x7f) << 6 | (uint64_t)((pc >> 2) & 0x3f);
}
_Static_assert(JIT_MAX_INSNS <= 64, "jit_slow_acct() has 6 bits for pc / 4 and 7 for n");

/** The inverse of jit_slow_acct(). */
static inline void jit_slow_unpack(uint64_t acct, int32_t *pc, int32_t *cost, int32_t *n)
{
    *pc = (int32_t)((acct & 0x3f) << 2);
    *n = (int32_t)((acct >> 6) & 0x7f);
    *cost = (int32_t)(uint32_t)(acct >> 13);
}

/** What jit_slow_call() returns when the block goes on after the fast path. */
#define JIT_SLOW_RESUME (-1)

/**
 * The out-of-line slow path of an inlined instruction, called from
 * translated code (emit_slow_stub()): charges the deferred accounting
 * acct (jit_slow_acct()) so that c->pc, c->cycles and c->budget are exact
 * at the handler call, as exec_page() makes it; calls fn(c, insn); returns
 * its value unless EXEC_NEXT (the block returns it), else advances the PC
 * and returns EXEC_NEXT when exit_req or jit_stale is set (the block
 * leaves), else takes the accounting back to the fast path's deferred
 * state (keeping what the handler charged on top: TLB model costs) and
 * returns JIT_SLOW_RESUME.
 */
int jit_slow_call(CPUState *c, uint32_t insn, uint64_t acct, int (*fn)(CPUState *, uint32_t));

#endif
