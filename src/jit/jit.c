/*
 * The translator: blocks of guest code as x86-64 code (jit.h;
 * docs/ARCHITECTURE.md "Translator").
 *
 * A block starts at any instruction of a decoded page and runs up to and
 * including the first instruction that may end a block in the interpreter
 * (a branch, exception-generating, system or barrier instruction, an
 * unallocated encoding), the page end, or JIT_MAX_INSNS instructions. In
 * its code (rbx = CPUState) an instruction is either inlined (jit_inline*.c: its cycles, budget
 * and PC advance are deferred, since nothing can observe them, and added
 * before the next handler call or exit), or a handler call made exactly as
 * exec_page() makes it:
 *
 *     add  qword [rbx + pc], deferred_pc       ; (only when deferred)
 *     add  qword [rbx + cycles], deferred + cost_i
 *     sub  qword [rbx + budget], deferred_n + 1
 *     mov  rdi, rbx ; mov esi, insn_i ; call handler_i   ; (rel32, or movabs + call rax)
 *     test eax, eax ; jnz  leave               ; EXEC_JUMP / EXEC_EXIT: return it
 *     add  qword [rbx + pc], 4                 ; EXEC_NEXT (deferred after a pure class)
 *     cmp  word [rbx + exit_req], 0 ; jne leave_next   (not after a pure class:
 *                                    exit_req, and jit_stale: code was written)
 *
 * so c->pc, c->cycles and c->budget are exact at every handler call (a
 * synchronous exception longjmps out of the handler, and so out of the
 * block, to cpu_exec()). Inlined loads/stores call their handler from an
 * out-of-line stub when the inline TLB test misses, through jit_slow_call(),
 * which makes the same accounting and checks in C. The block
 * returns EXEC_NEXT with c->pc at the next instruction, or the handler's
 * EXEC_JUMP/EXEC_EXIT; jit_exec_page() then does what exec_page() does
 * after that instruction. Before returning, a block may instead chain: into
 * the next block of its page (emit_chain()), or through the dispatcher
 * (jit_stubs.c: exec_page()'s EXEC_JUMP step, iTLB chaining included)
 * into any translated block. Entry, exits, chain lookup and dispatcher are
 * code the blocks share (jit_stubs.c), so a block is only its own
 * instructions and chain tests. A block is only entered when the budget covers
 * all of its instructions, so the budget never runs out inside one: stop
 * points and counts are the interpreter's.
 *
 * Blocks are indexed per decoded page (JitPage: a code offset and length
 * per instruction slot). A store into a code page (mem_code_written()) drops
 * the blocks that contain a written slot; a reset of all decoded entries
 * drops every index; the code itself stays in the cache until the cache is
 * flushed, which happens only when a translation does not fit (never while
 * a block runs).
 */
#define _GNU_SOURCE
#include "jit/jit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/machine.h"
#include "cpu/decode.h"
#include "cpu/dp_util.h"
#include "cpu/exec.h"
#include "jit/jit_inline.h"
#include "jit/jit_priv.h"
#include "jit/jit_regs.h"
#include "jit/x86emit.h"
#include "mmu/mem.h"


bool jit_host_supported(void)
{
#if defined(__x86_64__) && defined(__linux__)
    return true;
#else
    return false;
#endif
}

#if defined(__x86_64__) && defined(__linux__)
/* Whether [p, p + size) lies within 1.5 GiB of text: then every call from
 * it to the emulator's own code (at most 0.5 GiB of it) is in reach of a
 * call rel32. */
static bool near_text(uintptr_t p, size_t size, uintptr_t text)
{
    const uintptr_t reach = (uintptr_t)3 << 29;
    uintptr_t lo = p < text ? p : text, hi = p + size > text ? p + size : text;
    return hi - lo < reach;
}

/* The cache's executable view, below the emulator's code when the host
 * leaves room there, so that translated code calls handlers with a 5-byte
 * call rel32 instead of a 12-byte movabs + call (x86_call_abs() picks the
 * form per call, so any address works, only with longer calls). The hints
 * are only hints: the host places the mapping where it likes, and the
 * code does not depend on where. */
static void *map_exec_view(int fd, size_t size)
{
    uintptr_t text = (uintptr_t)(void *)jit_exec_page;
    static const uintptr_t gap[] = { (uintptr_t)64 << 20, (uintptr_t)256 << 20, (uintptr_t)1 << 30 };
    for (size_t i = 0; i < sizeof gap / sizeof gap[0]; i++) {
        if (text < gap[i] + size + ((uintptr_t)1 << 24))
            break;
        uintptr_t hint = (text - gap[i] - size) & ~(((uintptr_t)1 << 21) - 1);
        void *p = mmap((void *)hint, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
            break;
        if (near_text((uintptr_t)p, size, text))
            return p;
        munmap(p, size);
    }
    return mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
}
#endif

static void dump_code(const Jit *j, uint32_t start, size_t len);

Jit *jit_create(Machine *m, uint64_t cache_bytes)
{
#if defined(__x86_64__) && defined(__linux__)
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0)
        pg = 4096;
    if (!cache_bytes)
        cache_bytes = JIT_DEFAULT_CACHE;
    if (cache_bytes > JIT_MAX_CACHE)
        return NULL;
    if (cache_bytes < JIT_BLOCK_MAX_BYTES)
        cache_bytes = JIT_BLOCK_MAX_BYTES;
    cache_bytes = (cache_bytes + (uint64_t)pg - 1) & ~((uint64_t)pg - 1);
    Jit *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    int fd = memfd_create("arm83emu-jit", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)cache_bytes) != 0) {
        if (fd >= 0)
            close(fd);
        free(j);
        return NULL;
    }
    void *rw = mmap(NULL, cache_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = map_exec_view(fd, cache_bytes);
    close(fd);
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        if (rw != MAP_FAILED)
            munmap(rw, cache_bytes);
        if (rx != MAP_FAILED)
            munmap(rx, cache_bytes);
        free(j);
        return NULL;
    }
    j->m = m;
    j->dump_dir = getenv("A83_JIT_DUMP");
    j->rw = rw;
    j->rx = rx;
    j->size = cache_bytes;
    j->used = 16;          /* offset 0 means "no block" */
    j->gen = ++m->jit_gens;   /* above every DecodePage.jit_gen given before */
    if (!jit_emit_stubs(j)) {
        jit_destroy(j);
        return NULL;
    }
    if (j->dump_dir)      /* the shared code (jit_stubs.c), as 10.bin */
        dump_code(j, 16, j->used - 16);
    return j;
#else
    (void)m;
    (void)cache_bytes;
    return NULL;
#endif
}

static void free_pages(Jit *j)
{
    for (size_t i = 0; i < j->npages; i++)
        free(j->pages[i]);
    j->npages = 0;
}

/* Empties every CPU's jump cache: its entries name blocks of j. */
static void jc_clear(Jit *j)
{
    for (unsigned i = 0; i < j->m->ncpus; i++)
        if (j->m->cpu[i])
            memset(j->m->cpu[i]->jit_jc, 0, sizeof j->m->cpu[i]->jit_jc);
}

void jit_destroy(Jit *j)
{
    if (!j)
        return;
    /* The machine lives on when a83_set_accel() drops its translator: its
     * pages keep DecodePage.jit pointers to the block indexes freed here
     * (a translator made later has a generation of its own, Machine.jit_gens,
     * so they are never current again) and its CPUs' jump cache entries
     * into the cache unmapped here, which are emptied. */
    jc_clear(j);
    free_pages(j);
    free(j->pages);
    free(j->cg);
    munmap(j->rw, j->size);
    munmap(j->rx, j->size);
    free(j);
}

/* Empties the jump cache entries (CPUState.jit_jc) of the block at slot
 * `slot` of dp in every CPU: the only entries that can hold it are those
 * whose index has the slot in its low bits (jit_jc_line()). Session 20
 * replaced a per-page epoch that every hit had to read from the target
 * page's header, a host cache miss (docs/performance.md "Session 20"). */
static void jc_drop(Jit *j, const DecodePage *dp, unsigned slot)
{
    uint64_t key = (uint64_t)(uintptr_t)&dp->e[slot];
    for (unsigned i = 0; i < j->m->ncpus; i++) {
        CPUState *c = j->m->cpu[i];
        if (!c)
            continue;
        for (unsigned k = slot; k < JIT_JC_SIZE; k += INSNS_PER_PAGE)
            if (c->jit_jc[k].key == key)
                c->jit_jc[k].key = 0;
    }
}

/* Every running block's chain tests (CPUState.jit_stale) leave for C after
 * an invalidation: a block translated later, or dropped, is seen there. */
static void mark_stale(Jit *j)
{
    for (unsigned i = 0; i < j->m->ncpus; i++)
        if (j->m->cpu[i])
            j->m->cpu[i]->jit_stale = 1;
}

void jit_flush(Jit *j)
{
    if (!j)
        return;
    free_pages(j);
    j->gen = ++j->m->jit_gens;
    jc_clear(j);      /* no block is left for an entry */
    mark_stale(j);
    j->used = j->first_block;   /* the dispatcher stays */
    j->st.flushes++;
}

void jit_page_invalidate(Jit *j, DecodePage *dp, unsigned first, unsigned end)
{
    if (!j || !dp->jit || dp->jit_gen != j->gen)
        return;
    JitPage *jp = dp->jit;
    if (end > INSNS_PER_PAGE)
        end = INSNS_PER_PAGE;
    /* a block starts at most JIT_MAX_INSNS - 1 slots before the first
     * written one and still covers it */
    bool dropped = false;
    for (unsigned i = first >= JIT_MAX_INSNS ? first - (JIT_MAX_INSNS - 1) : 0; i < end; i++)
        if (jp->e[i] && i + jit_entry_n(jp->e[i]) > first) {
            jp->e[i] = 0;
            jc_drop(j, dp, i);
            dropped = true;
        }
    /* Chains read the index at run time and stop when it changed
     * (jit_stale). A store that dropped no block (into an entry only the
     * interpreter decoded, which no block holds) changed nothing a chain
     * reads: no stop, and no count. */
    if (!dropped)
        return;
    mark_stale(j);
    j->st.page_invals++;
}

void jit_get_stats(const Jit *j, JitStats *out)
{
    if (j)
        *out = j->st;
    else
        memset(out, 0, sizeof *out);
}

/* Whether the interpreter may leave its inner loop after this class: the
 * instruction ends a block. Any other instruction returning something else
 * than EXEC_NEXT is still handled (the block returns the value). */
static bool ends_block(unsigned cls)
{
    return cls == CLS_BRANCH || cls == CLS_EXC || cls == CLS_SYS || cls == CLS_BARRIER ||
           cls == CLS_UNDEF;
}

#define OFF JIT_OFF

/* The slot of this page that a direct branch (B, BL, B.cond, CBZ/CBNZ,
 * TBZ/TBNZ: Arm ARM C4.1.3) in slot `slot` jumps to when taken, or -1 (not
 * a direct branch, or a target outside the page). The offset is relative to
 * the PC, so the slot does not depend on the VA the page runs at. */
static int direct_target(const DecodedInsn *d, unsigned slot)
{
    if (d->cls != CLS_BRANCH || d->fn == a64_unallocated)
        return -1;
    int64_t off;
    if (a64_direct_branch(d->insn, &off) == A64_BRANCH_NONE)
        return -1;
    int64_t t = (int64_t)slot * 4 + off;
    return t >= 0 && t < (int64_t)PAGE_SIZE ? (int)(t / 4) : -1;
}

/* On through the dispatcher: it is called, and returns where to go on
 * (the next block or a leave code, in the block's frame) in rax; this
 * site's own jump there is predicted on its own (jit_stubs.c DispOut). */
static void jmp_dispatch(const Jit *j, X86Buf *b)
{
    x86_call_abs(b, j->rx + j->dispatch);
    x86_jmp_r64(b, X86_RAX);
}

/* The same through dispatch_exit (called too), when cc holds (cc < 0:
 * always). */
static void jcc_dispatch_exit(const Jit *j, X86Buf *b, int cc)
{
    uint8_t *skip = cc < 0 ? NULL : x86_jcc_rel8(b, (unsigned)cc ^ 1);   /* not cc */
    x86_call_abs(b, j->rx + j->dispatch_exit);
    x86_jmp_r64(b, X86_RAX);
    if (cc >= 0)
        x86_land_rel8(b, skip);
}

/* The exit of a chain (jump: with EXEC_JUMP, else EXEC_NEXT). */
static uint32_t chain_leave(const Jit *j, bool jump)
{
    return jump ? j->leave_jump : j->leave_next;
}

/* cpu_exec()'s test of the clock against the round's end after a taken
 * branch (jit_stubs.c round_jump): past it, ask the scheduler for the next
 * round or leave with EXEC_JUMP. Clobbers the caller-saved registers when
 * it calls. */
static void emit_round_check(const Jit *j, X86Buf *b)
{
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(cycles));
    x86_cmp_r64_m64(b, X86_RAX, X86_RBX, OFF(cycle_limit));
    uint8_t *below = x86_jcc_rel8(b, X86_CC_B);
    x86_call_abs(b, j->rx + j->round_jump);
    x86_land_rel8(b, below);
}

/*
 * Continues in the block at slot t of the same page, if there is one and
 * exec_page() would enter it now: what jit_exec_page() checks after a block
 * that returned EXEC_JUMP (jump: cycles below cycle_limit) or EXEC_NEXT,
 * then exit_req clear, no invalidation since C entered a block
 * (CPUState.jit_stale: so the page index is current), and the target's
 * instruction count within the budget. The site (JIT_SITE_* in
 * jit_priv.h) jumps straight to the block it expects while the index still
 * holds that block (an invalidation may have dropped it, and a later
 * translation put another there); else the shared lookup
 * (chain_*_site), which reads the index at run time and patches the site
 * to expect the block it finds (jit_chain_patch()): the block known at
 * translation, or the first one found after it. So a block translated
 * later, or dropped, is seen without unlinking anything. No chain ever
 * leaves the page (docs/ARCHITECTURE.md).
 */
static void emit_chain(Jit *j, X86Buf *b, JitPage *jp, unsigned t, bool jump)
{
    x86_cmp_m16_imm8(b, X86_RBX, OFF(exit_req), 0);   /* and jit_stale */
    jit_jump_to(j, b, X86_CC_NE, chain_leave(j, jump));
    if (jump)
        emit_round_check(j, b);
    x86_mov_r64_imm64(b, X86_RCX, (uint64_t)(uintptr_t)jp);
    uint32_t known = jp->e[t] ? jp->e[t] : JIT_ENTRY_NONE;
    uint8_t *site = b->p;
    x86_cmp_m32_imm32_long(b, X86_RCX, (int32_t)(4 * t), (int32_t)known);
    uint8_t *other = x86_jcc_rel8(b, X86_CC_NE);
    x86_cmp_m64_imm32_long(b, X86_RBX, OFF(budget), (int32_t)jit_entry_n(known));
    jit_jump_to(j, b, X86_CC_L, chain_leave(j, jump));     /* its count exceeds the budget */
    uint8_t *f = x86_jmp_rel32(b, b->p);
    if (f && known != JIT_ENTRY_NONE)
        x86_patch_rel32(f, f, j->rw + jit_entry_off(known));
    x86_land_rel8(b, other);
    /* the site's layout is what jit_chain_patch() rewrites (the _long
     * forms and rel32 jumps have fixed lengths); checked, and if it ever
     * differed the site would only not be patched */
    bool fixed = !b->overflow && b->p - site == JIT_SITE_LEN && f == site + JIT_SITE_JMP;
    /* called, and the jump to the block it finds made here, so that the
     * host predicts each chain's indirect jump on its own */
    x86_mov_r32_imm32(b, X86_RDX, t);
    if (fixed)
        x86_mov_r64_addr(b, X86_RSI, site + b->run_off);
    x86_call_abs(b, j->rx + (fixed ? (jump ? j->chain_jump_site : j->chain_next_site)
                                   : (jump ? j->chain_jump : j->chain_next)));
    x86_jmp_r64(b, X86_RAX);
}

/* Whether a handler of this class can only compute on registers (and
 * NZCV/FP state) or raise a synchronous exception: it never writes memory
 * (so never invalidates code), never sets exit_req and never changes the
 * translation regime. After such a call the block skips the exit_req and
 * invalidation checks (an asynchronous a83_request_stop() is seen at the
 * next check, as it would be at some later instruction anyway), and its PC
 * advance is deferred like that of an inlined instruction. */
static bool pure_class(unsigned cls)
{
    return cls == CLS_INT || cls == CLS_MUL || cls == CLS_DIV || cls == CLS_FP ||
           cls == CLS_FP_DIV || cls == CLS_SIMD || cls == CLS_CRYPTO;
}

/* An out-of-line slow path of an inlined load/store. */
typedef struct SlowStub {
    uint8_t *f[6];          /* jcc fields that go to it */
    unsigned nf;
    uint8_t *resume;        /* back into the block after the fast path */
    const DecodedInsn *d;
    int32_t pc, cost, n;    /* deferred accounting at the instruction, itself included */
    JitRegs before, after;  /* the register cache at the jumps to it, at resume */
    JitRefill rf;           /* a load/store's refresh of a flagged TLB entry (rf.jcc NULL: none) */
} SlowStub;

/* Block-local code generation state. */
typedef struct Gen {
    X86Buf b;
    Jit *j;
    SlowStub slow[JIT_MAX_INSNS];
    unsigned ns;
    /* Accounting of instructions not yet added to c (inlined ones, pure
     * handler calls' PC advance): nothing can observe it before the next
     * flush (jit_inline.c). */
    int32_t pend_cost, pend_n, pend_pc;
    /* A flag-setting instruction fused with the B.cond that ends the block
     * (translate()): both accounted before it; fused_cc is the x86
     * condition of the branch (-1: test CPUState.nzcv as usual), and
     * nzcv_pending says that edx still has to be stored on both paths. */
    bool fused, nzcv_pending;
    int fused_cc;
    unsigned idx, n;        /* the block's first slot and instruction count */
    JitRegs regs;           /* guest registers held in host registers (jit_regs.h) */
    uint32_t mention[JIT_MAX_INSNS];   /* the registers each instruction may name (jr_set_block()) */
    /* A block ending in a branch to its own first instruction (a loop on
     * itself: emit_self_loop(); loop_seen: this translation emitted its
     * back edge). loop_in (NULL: none) is the map its loop head expects,
     * pinned (jr_preset()): loaded at the body's start, before loop_head,
     * and again after every handler call. */
    const int8_t *loop_in;
    const uint8_t *loop_head;
    bool loop_seen;
    uint32_t ioff[JIT_MAX_INSNS];   /* where each instruction's code starts (A83_JIT_DUMP) */
    uint32_t slow_off;              /* where the slow stubs start */
} Gen;

/* Leaves the block, returning eax, on condition cc. */
static void leave_on(Gen *g, unsigned cc)
{
    jit_jump_to(g->j, &g->b, (int)cc, g->j->leave);
}

/* Leaves the block with EXEC_NEXT on condition cc. */
static void next_on(Gen *g, unsigned cc)
{
    jit_jump_to(g->j, &g->b, (int)cc, g->j->leave_next);
}

/* exit_req and invalidation checks after a call that may change them. */
static void emit_checks(Gen *g)
{
    x86_cmp_m16_imm8(&g->b, X86_RBX, OFF(exit_req), 0);   /* and jit_stale */
    next_on(g, X86_CC_NE);
}

/* c->pc += pc; c->cycles += cost; c->budget -= n (the parts that are not 0). */
static void emit_account(X86Buf *b, int32_t pc, int32_t cost, int32_t n)
{
    if (pc)
        x86_add_m64_imm32(b, X86_RBX, OFF(pc), pc);
    if (cost)
        x86_add_m64_imm32(b, X86_RBX, OFF(cycles), cost);
    if (n)
        x86_sub_m64_imm32(b, X86_RBX, OFF(budget), n);
}

/* The handler call of exec_page()'s step; rax = its return value: fn(c,
 * insn), or for MRS, MSR (register) and SYS with the system-register
 * table's entry and the access's plan found now (a third and fourth
 * argument, exec_sysreg_entry_handler(): no lookup at run time, and at EL2
 * none of the generic path's decoding). */
static void emit_call(const Jit *j, X86Buf *b, const DecodedInsn *d)
{
    const void *entry;
    uint32_t plan;
    SysEntryHandler h = exec_sysreg_entry_handler(j->m, d->fn, d->insn, &entry, &plan);
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    x86_mov_r32_imm32(b, X86_RSI, d->insn);
    if (h) {
        x86_mov_r64_addr(b, X86_RDX, entry);
        x86_mov_r32_imm32(b, X86_RCX, plan);
        x86_call_abs(b, (const void *)h);
    } else {
        x86_call_abs(b, (const void *)d->fn);
    }
}

/*
 * The taken path of a direct branch to the block's own first instruction,
 * after jr_flush(): the tests of emit_chain() with the block's index entry
 * and instruction count known now (the entry may have been dropped since,
 * but only by an invalidation, which the jit_stale test sees), then a jump
 * back to the loop head. There the registers of g->loop_in are expected in
 * their host registers (loaded once, at the body's start, and pinned:
 * translate()); any the back edge does not hold there (one evicted after
 * all, or moved by a handler call's reset) is loaded from CPUState, current
 * after the flush. So the registers a loop carries from one iteration to
 * the next stay in host registers instead of going through memory. The end
 * of a round (the clock at cycle_limit) is the out-of-line path, so that
 * the common one falls through: jit_round_next() is a C call, which
 * clobbers the caller-saved slots, so that path loads all of loop_in.
 */
static void emit_self_loop(Gen *g)
{
    X86Buf *b = &g->b;
    Jit *j = g->j;
    g->loop_seen = true;
    x86_cmp_m16_imm8(b, X86_RBX, OFF(exit_req), 0);   /* and jit_stale */
    jit_jump_to(j, b, X86_CC_NE, j->leave_jump);
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(cycles));
    x86_cmp_r64_m64(b, X86_RAX, X86_RBX, OFF(cycle_limit));
    uint8_t *round = x86_jcc_rel32(b, X86_CC_AE, b->p);
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            if (round)
                x86_patch_rel32(round, round, b->p);
            x86_call_abs(b, j->rx + j->round_jump);
        }
        x86_cmp_m64_imm32(b, X86_RBX, OFF(budget), (int32_t)g->n);
        jit_jump_to(j, b, X86_CC_L, j->leave_jump);     /* its count exceeds the budget */
        if (g->loop_in)
            jr_enter(b, g->loop_in, pass ? NULL : &g->regs);
        uint8_t *f = x86_jmp_rel32(b, b->p);
        if (f)
            x86_patch_rel32(f, f, g->loop_head);
    }
}

/* The taken path of a direct branch (registers written back): the PC
 * moved to the target (slot `taken` of this page, or -1: another page),
 * then on to it - the block's own start (a loop on itself), a chain in the
 * page, or the dispatcher, which chains through the iTLB. */
static void emit_taken(Jit *j, Gen *g, JitPage *jp, const JitBranch *br, int taken)
{
    X86Buf *b = &g->b;
    if (g->pend_pc + (int32_t)br->off)      /* (0: a loop on itself) */
        x86_add_m64_imm32(b, X86_RBX, OFF(pc), g->pend_pc + (int32_t)br->off);
    if (taken >= 0 && (unsigned)taken == g->idx)
        emit_self_loop(g);
    else if (taken >= 0)
        emit_chain(j, b, jp, (unsigned)taken, true);
    else
        jmp_dispatch(j, b);
}

/* A direct branch ending the block, inlined (its condition test was just
 * emitted by jit_inline_branch(), its cycles and budget are accounted):
 * the taken path (chained when the target is in this page, else leaving
 * with EXEC_JUMP as the handler would) and the not-taken path, which
 * falls through to the block end with the PC at the next instruction. */
static void emit_branch(Jit *j, Gen *g, JitPage *jp, const JitBranch *br, int taken)
{
    X86Buf *b = &g->b;
    uint8_t *not_taken = NULL;
    if (br->cc >= 0)
        not_taken = x86_jcc_rel32(b, (unsigned)br->cc ^ 1, b->p);
    if (g->nzcv_pending)
        jit_store_nzcv(b);
    if (br->link) {
        /* X30 = PC + 4 (Arm ARM C6.2.34) */
        x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
        x86_alu_ri(b, X86_ADD, true, X86_RAX, g->pend_pc + 4);
        x86_mov_m64_r64(b, X86_RBX, OFF(x) + 8 * 30, X86_RAX);
        /* a BL to the block's own start keeps the map for its loop
         * head (emit_self_loop()), which must not find the old X30 */
        jr_mirror(&g->regs, 30, X86_RAX);
    }
    emit_taken(j, g, jp, br, taken);
    if (not_taken) {
        x86_patch_rel32(not_taken, not_taken, b->p);
        if (g->nzcv_pending)
            jit_store_nzcv(b);
        x86_add_m64_imm32(b, X86_RBX, OFF(pc), g->pend_pc + 4);
    }
    g->pend_pc = 0;
}

/* Whether d is a conditional direct branch (B.cond other than AL and NV,
 * CBZ, CBNZ, TBZ, TBNZ: Arm ARM C6.2.25, C6.2.46-47, C6.2.330-331) that
 * does not end its block: the block goes on through its not-taken path
 * and leaves (a side exit) when it is taken. cpu_exec() treats the two
 * alike: a not-taken branch returns EXEC_NEXT, which is no block end (its
 * clock is compared with cycle_limit only after a taken branch), so the
 * translated block may run on where the interpreter's inner loop runs on.
 * The block's instruction count, which its entry checks against the
 * budget, is that of the longest path. */
static bool side_exit(const DecodedInsn *d)
{
    return d->cls == CLS_BRANCH && d->fn != a64_unallocated && a64_cond_branch(d->insn);
}

/* Whether slot t is one of the join points join[0..n-1]: the forward
 * targets of the side exits of the block being sized (translate()). The
 * block ends before such a slot, so that the taken and the not-taken path
 * go on in the same block there instead of the block holding a copy of
 * the target's. So does a slot at which a block already starts. */
static bool ends_at_join(const uint16_t *join, unsigned n, unsigned t)
{
    for (unsigned k = 0; k < n; k++)
        if (join[k] == t)
            return true;
    return false;
}

/* A side exit (side_exit()), inlined: its condition test was just emitted
 * by jit_inline_branch() (or it is a fused B.cond: g->fused), its cycles
 * and budget are accounted. The taken path writes back the dirty
 * registers, stores a pending NZCV and leaves as emit_branch()'s taken
 * path does (a chain in the page, a loop on itself, or the dispatcher);
 * the not-taken path goes on with the register map unchanged and the PC
 * advance deferred. */
static void emit_side_exit(Jit *j, Gen *g, JitPage *jp, const JitBranch *br, int taken)
{
    X86Buf *b = &g->b;
    uint8_t *not_taken = x86_jcc_rel32(b, (unsigned)br->cc ^ 1, b->p);
    if (g->nzcv_pending)
        jit_store_nzcv(b);
    jr_writeback(&g->regs, b);
    emit_taken(j, g, jp, br, taken);
    if (not_taken)
        x86_patch_rel32(not_taken, not_taken, b->p);
    if (g->nzcv_pending)
        jit_store_nzcv(b);
    g->fused = g->nzcv_pending = false;
    g->pend_pc += 4;
}

/* BR, BLR, RET (Arm ARM C6.2.37, C6.2.36, C6.2.254; not the PAuth forms)
 * ending the block, whose cycles and budget are accounted: the target goes
 * to c->pc and on to the dispatcher, as after their handler's EXEC_JUMP,
 * when AArch64.BranchAddr() leaves it unchanged (bits 63:56 already the
 * extension of bit 55 in a two-range regime, zero at EL2 without E2H:
 * branch.c's fast test), whatever TCR_ELx.TBI says. Other
 * targets, and Rn = 31 (XZR), take the handler call. Returns false for
 * other instructions (no code emitted). */
static bool emit_indirect_branch(Jit *j, Gen *g, const DecodedInsn *d)
{
    uint32_t op = d->insn & 0xfffffc1fu, n = (d->insn >> 5) & 31;
    bool link = op == 0xd63f0000u;
    if ((op != 0xd61f0000u && op != 0xd65f0000u && !link) || n == 31)
        return false;
    X86Buf *b = &g->b;
    JitRegs *regs = &g->regs;
    jr_flush(regs);
    jr_peek(regs, X86_RAX, n);
    /* rcx = the target as BranchAddr() returns it when the top byte is a
     * tag: bit 55 extended (two ranges) or zeros (EL2 without E2H) */
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_shift_ri(b, X86_SHL, true, X86_RCX, 8);
    x86_mov_r64_r64(b, X86_RDX, X86_RCX);
    x86_shift_ri(b, X86_SAR, true, X86_RCX, 8);
    x86_shift_ri(b, X86_SHR, true, X86_RDX, 8);
    x86_cmp_m8_imm8(b, X86_RBX, OFF(cur_mmuidx), MMUIDX_E2);
    x86_cmov(b, X86_CC_E, true, X86_RCX, X86_RDX);
    x86_alu_rr(b, X86_CMP, true, X86_RCX, X86_RAX);
    uint8_t *slow1 = x86_jcc_rel32(b, X86_CC_NE, b->p);
    if (link) {
        /* X30 = PC + 4, after the target was read (BLR X30) */
        x86_mov_r64_m64(b, X86_RCX, X86_RBX, OFF(pc));
        x86_alu_ri(b, X86_ADD, true, X86_RCX, g->pend_pc + 4);
        x86_mov_m64_r64(b, X86_RBX, OFF(x) + 8 * 30, X86_RCX);
    }
    x86_mov_m64_r64(b, X86_RBX, OFF(pc), X86_RAX);
    jmp_dispatch(j, b);
    if (slow1)
        x86_patch_rel32(slow1, slow1, b->p);
    if (g->pend_pc)
        x86_add_m64_imm32(b, X86_RBX, OFF(pc), g->pend_pc);
    g->pend_pc = 0;
    emit_call(j, b, d);
    x86_alu_ri(b, X86_CMP, false, X86_RAX, EXEC_JUMP);
    leave_on(g, X86_CC_NE);
    jmp_dispatch(j, b);
    return true;
}

/* ADR, ADRP (Arm ARM C6.2.10, C6.2.11): Xd = PC + imm, or the PC's 4 KiB
 * page + imm * 4096. The PC is c->pc plus what the block has deferred (the
 * block may run at any VA of its page). Returns false for other
 * instructions (no code emitted). */
static bool emit_adr(Gen *g, const DecodedInsn *d)
{
    uint32_t insn = d->insn;
    if ((insn & 0x1f000000u) != 0x10000000u || d->fn == a64_unallocated)
        return false;
    unsigned rd = insn & 31;
    if (rd == 31)
        return true;                    /* XZR: nothing to write */
    X86Buf *b = &g->b;
    int64_t imm = adr_imm((insn >> 5) & 0x7ffffu, (insn >> 29) & 3);
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
    if (insn >> 31) {                   /* ADRP */
        if (g->pend_pc)
            x86_alu_ri(b, X86_ADD, true, X86_RAX, g->pend_pc);
        x86_alu_ri(b, X86_AND, true, X86_RAX, -4096);
        x86_mov_r64_imm64(b, X86_RCX, (uint64_t)imm << 12);
        x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RCX);
    } else {
        x86_alu_ri(b, X86_ADD, true, X86_RAX, (int32_t)(g->pend_pc + imm));
    }
    jr_write(&g->regs, rd, X86_RAX);
    return true;
}

/* A load/store's refresh of a flagged host TLB entry (JitRefill), before
 * its slow path: with rax = the VA, rcx = its last byte's page, rdx = the
 * entry, as at the tag compare, and the register cache of `before`. The
 * cached guest registers in caller-saved host registers are saved around
 * the call (the stack stays 16-byte aligned, and lea and pop leave the
 * flags of its result's test), so that the access can start again at
 * rf->retry with the same cache map, or go on into the slow path. */
static void emit_refill(X86Buf *b, const JitRefill *rf, const JitRegs *before)
{
    x86_patch_rel32(rf->jcc, rf->jcc, b->p);
    x86_alu_ri(b, X86_OR, true, X86_RCX, TLB_FLAG_MODEL);
    x86_cmp_r64_m64(b, X86_RCX, X86_RDX, rf->tag_off);
    uint8_t *other = x86_jcc_rel8(b, X86_CC_NE);
    unsigned live[JR_SLOTS], n = jr_live_caller_saved(before, live);
    if (n & 1)
        x86_lea_r64_disp(b, X86_RSP, X86_RSP, -8);
    for (unsigned k = 0; k < n; k++)
        x86_push_r64(b, live[k]);
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    x86_mov_r64_r64(b, X86_RSI, X86_RAX);
    x86_mov_r32_imm32(b, X86_RCX, rf->flags);
    x86_mov_r32_imm32(b, X86_R8, rf->acc);
    x86_call_abs(b, (const void *)mem_model_refresh);
    x86_test_ri(b, false, X86_RAX, 1);      /* its bool: al */
    for (unsigned k = n; k-- > 0;)
        x86_pop_r64(b, live[k]);
    if (n & 1)
        x86_lea_r64_disp(b, X86_RSP, X86_RSP, 8);
    uint8_t *no = x86_jcc_rel8(b, X86_CC_E);
    uint8_t *f = x86_jmp_rel32(b, b->p);
    if (f)
        x86_patch_rel32(f, f, rf->retry);
    x86_land_rel8(b, other);
    x86_land_rel8(b, no);
}

/* The slow path of an inlined load/store (or PAuth hint): the dirty
 * registers of the fast path's entry state written back, then
 * jit_slow_call() (exact accounting, the handler call, the checks after
 * it); the block leaves with what it returns, or reloads the register
 * cache of the fast path's end and resumes after it. A load/store's stub starts
 * with its refresh of a flagged entry (emit_refill()). */
static void emit_slow_stub(Gen *g, const SlowStub *st)
{
    X86Buf *b = &g->b;
    if (st->rf.jcc)
        emit_refill(b, &st->rf, &st->before);     /* goes on below when it does not refresh */
    for (unsigned k = 0; k < st->nf; k++)
        if (st->f[k])
            x86_patch_rel32(st->f[k], st->f[k], b->p);
    jr_writeback(&st->before, b);
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    x86_mov_r32_imm32(b, X86_RSI, st->d->insn);
    uint64_t acct = jit_slow_acct(st->pc, st->cost, st->n);
    int32_t pc, cost, n;
    jit_slow_unpack(acct, &pc, &cost, &n);
    if (pc != st->pc || cost != st->cost || n != st->n || n < 1 || n > JIT_MAX_INSNS || cost < 0)
        b->overflow = true;      /* cannot happen; if it did, the interpreter runs it */
    x86_mov_r64_imm64(b, X86_RDX, acct);
    x86_mov_r64_addr(b, X86_RCX, (const void *)st->d->fn);
    x86_call_abs(b, (const void *)jit_slow_call);
    x86_alu_ri(b, X86_CMP, false, X86_RAX, JIT_SLOW_RESUME);
    leave_on(g, X86_CC_NE);
    jr_reload(&st->after, b);
    uint8_t *f = x86_jmp_rel32(b, b->p);
    if (f)
        x86_patch_rel32(f, f, st->resume);
}

/* A developer's aid (docs/performance.md "Profiling translated code"): with
 * A83_JIT_DUMP=DIR every translated block's host code goes to
 * DIR/OFFSET.bin (OFFSET: its offset in the code cache, in hex, which is
 * what `perf report` shows for samples in the cache's memfd) and one line
 * "OFFSET guest-VA instructions bytes WORD@OFF... slow@OFF" to
 * DIR/blocks.txt (each instruction's word and where its code starts in the
 * block, then where the slow stubs start; offsets in hex). Disassemble with
 * objdump -D -b binary -mi386:x86-64 DIR/OFFSET.bin (add --adjust-vma=0xOFFSET
 * to see cache offsets). The shared code (jit_stubs.c) goes to DIR/10.bin.
 * Nothing the guest or the cycle model sees depends on it. */
static void dump_code(const Jit *j, uint32_t start, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%x.bin", j->dump_dir, start);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(j->rw + start, 1, len, f);
        fclose(f);
    }
}

static void dump_block(const Jit *j, const Gen *g, const DecodePage *dp, uint64_t va,
                       unsigned idx, unsigned n, uint32_t start, size_t len)
{
    char path[4096];
    FILE *f;
    dump_code(j, start, len);
    snprintf(path, sizeof path, "%s/blocks.txt", j->dump_dir);
    f = fopen(path, "a");
    if (f) {
        fprintf(f, "%x %016llx %u %zu", start, (unsigned long long)(va + 4ull * idx), n, len);
        for (unsigned i = 0; i < n; i++)
            fprintf(f, " %08x@%x", dp->e[idx + i].insn, g->ioff[i]);
        fprintf(f, " slow@%x\n", g->slow_off);
        fclose(f);
    }
}

/* Maps the cache's pages ahead of the blocks being written, 1 MiB at a time
 * in both views, instead of one host page fault per 4 KiB page and view
 * (the cache is shared memory: its pages fault in both mappings). A hint:
 * if the host does not have MADV_POPULATE_WRITE/READ (Linux < 5.14), pages
 * fault in as they are touched. */
#define JIT_POPULATE_CHUNK ((size_t)1 << 20)
static void populate_ahead(Jit *j, size_t end)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
    while (!j->no_populate && j->populated < end && j->populated < j->size) {
        size_t len = j->size - j->populated < JIT_POPULATE_CHUNK ? j->size - j->populated
                                                                   : JIT_POPULATE_CHUNK;
        if (madvise(j->rw + j->populated, len, MADV_POPULATE_WRITE) != 0 ||
            madvise(j->rx + j->populated, len, MADV_POPULATE_READ) != 0)
            j->no_populate = true;
        j->populated += len;
    }
#else
    (void)j;
    (void)end;
#endif
}

/*
 * After a plain EXEC_EXIT (exec_exit_plain()) of the handler of slot t - 1
 * that ends the block, when the handler went on to the next instruction
 * (exec_exit_next()): what dispatch_exit (jit_stubs.c) does, in the same
 * order, specialised for a PC in slot t of this page, so that the block
 * chains on through a patched site (emit_chain()) instead of looking the
 * target up in the shared dispatcher (MSR sequences): PSTATE.IL,
 * the round's end, the interrupt lines, then the iTLB entry of the PC's
 * page, which must still hold this DecodePage (dp) (a TLBI, a context change or
 * the TLB model may have dropped it) as c->cur_page. The PC itself is
 * checked to be slot t: anything else, an iTLB miss included, goes to
 * dispatch_exit, which repeats every test in general and makes the fetch
 * (jit_stubs.c jit_fetch_block()).
 */
static void emit_exit_next(Jit *j, Gen *g, const DecodePage *dp, JitPage *jp, unsigned t)
{
    X86Buf *b = &g->b;
    x86_cmp_m8_imm8(b, X86_RBX, OFF(il), 0);
    jit_jump_to(j, b, X86_CC_NE, j->leave_exit);
    emit_round_check(j, b);
    jit_emit_irq_maybe(b);
    jit_jump_to(j, b, X86_CC_NE, j->leave_exit);
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
    x86_mov_r32_r32(b, X86_RCX, X86_RAX);
    x86_alu_ri(b, X86_AND, false, X86_RCX, (int32_t)(PAGE_SIZE - 1));
    x86_alu_ri(b, X86_CMP, false, X86_RCX, (int32_t)(4 * t));
    uint8_t *other[4];
    other[0] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    jit_emit_itlb_entry(b);
    x86_alu_ri(b, X86_AND, true, X86_RAX, (int32_t)PAGE_MASK);
    x86_cmp_r64_m64(b, X86_RAX, X86_RCX, (int32_t)offsetof(ITLBEntry, tag));
    other[1] = x86_jcc_rel32(b, X86_CC_NE, b->p);          /* an iTLB miss: its fetch */
    x86_mov_r64_imm64(b, X86_RDX, (uint64_t)(uintptr_t)dp);
    x86_cmp_r64_m64(b, X86_RDX, X86_RCX, (int32_t)offsetof(ITLBEntry, page));
    other[2] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    x86_cmp_r64_m64(b, X86_RDX, X86_RBX, OFF(cur_page));
    other[3] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    emit_chain(j, b, jp, t, true);
    /* anything else: dispatch_exit (one call site for the four) */
    for (unsigned k = 0; k < 4; k++)
        if (other[k])
            x86_patch_rel32(other[k], other[k], b->p);
    jcc_dispatch_exit(j, b, -1);
}

/* Starts (again) the code of the block at slot idx of dp (n instructions)
 * at cache offset start (blocks have no prologue: jit_stubs.c enter): an
 * empty register map, or with
 * loop_in (a loop on itself: emit_self_loop()) the loop head's preload. */
static void gen_start(Jit *j, Gen *g, const DecodePage *dp, uint32_t start, unsigned idx, unsigned n,
                      const int8_t *loop_in)
{
    memset(g, 0, offsetof(Gen, slow));
    g->j = j;
    g->ns = 0;
    g->pend_cost = g->pend_n = g->pend_pc = 0;
    g->fused = g->nzcv_pending = false;
    X86Buf *b = &g->b;
    size_t room = j->size - start;
    jit_buf_at(j, b, start, room < JIT_BLOCK_MAX_BYTES ? room : JIT_BLOCK_MAX_BYTES);
    g->idx = idx;
    g->n = n;
    jr_reset(&g->regs, b);
    uint32_t words[JIT_MAX_INSNS];
    for (unsigned i = 0; i < n; i++)
        words[i] = dp->e[idx + i].insn;
    jr_set_block(&g->regs, g->mention, words, n);
    g->loop_in = loop_in;
    g->loop_seen = false;
    if (loop_in)
        jr_preset(&g->regs, loop_in);
    g->loop_head = b->p;
}

/* The block's instructions after gen_start(), its exits and their
 * patching; false when it does not fit (b->overflow). */
static bool emit_block(Jit *j, DecodePage *dp, JitPage *jp, Gen *g)
{
    X86Buf *b = &g->b;
    JitRegs *regs = &g->regs;
    unsigned idx = g->idx, n = g->n;
    for (unsigned i = 0; i < n; i++) {
        const DecodedInsn *d = &dp->e[idx + i];
        bool last = i + 1 == n;
        regs->cur = i;
        g->ioff[i] = (uint32_t)x86_len(b);
        if (d->fn == a64_unallocated)
            goto call;
        if (a64_is_nop(d->fn, d->insn) || emit_adr(g, d)) {
            g->pend_cost += d->cost;     /* NOPs retire without code */
            g->pend_n++;
            g->pend_pc += 4;
            j->st.inlined++;
            continue;
        }
        if (d->cls == CLS_INT || d->cls == CLS_MUL) {
            /* a B.cond right after (ending the block, or a side exit):
             * account for both first, so that the branch can test this
             * instruction's x86 flags (nothing in between may clobber
             * them) */
            const DecodedInsn *nx = i + 1 < n ? d + 1 : NULL;
            bool fuse = nx && nx->fn != a64_unallocated &&
                        a64_direct_branch(nx->insn, NULL) == A64_BRANCH_BCOND &&
                        (nx->insn & 15) < A64_COND_AL;
            uint8_t *mark = b->p;
            JitRegs saved = *regs;
            if (fuse) {
                emit_account(b, 0, g->pend_cost + d->cost + nx->cost, g->pend_n + 2);
                regs->defer_nzcv = true;
            }
            regs->nzcv_kind = -1;
            bool ok = jit_inline(regs, d->insn);
            regs->defer_nzcv = false;
            if (ok) {
                if (fuse) {
                    g->fused = true;
                    g->fused_cc = regs->nzcv_kind >= 0 ? jit_cond_cc(regs->nzcv_kind, nx->insn & 15) : -1;
                    g->nzcv_pending = g->fused_cc >= 0;
                    if (regs->nzcv_kind >= 0 && g->fused_cc < 0)
                        jit_store_nzcv(b);
                    g->pend_cost = g->pend_n = 0;
                } else {
                    g->pend_cost += d->cost;
                    g->pend_n++;
                }
                g->pend_pc += 4;
                j->st.inlined++;
                continue;
            }
            b->p = mark;
            *regs = saved;
        }
        if ((last || side_exit(d)) && d->cls == CLS_BRANCH) {
            /* accounting first: the condition test leaves x86 flags */
            if (!g->fused)
                emit_account(b, 0, g->pend_cost + d->cost, g->pend_n + 1);
            g->pend_cost = g->pend_n = 0;
            uint8_t *mark = b->p;
            JitRegs saved_br = *regs;
            JitBranch br;
            bool inl;
            if (g->fused_cc >= 0 && g->fused) {
                /* B.cond on the fused instruction's flags (C6.2.25) */
                br = (JitBranch){ .cc = g->fused_cc };
                a64_direct_branch(d->insn, &br.off);
                inl = true;
            } else {
                inl = jit_inline_branch(regs, d->insn, &br);
            }
            if (inl && !last) {
                emit_side_exit(j, g, jp, &br, direct_target(d, idx + i));
                j->st.inlined++;
                j->st.side_exits++;
                continue;
            }
            if (inl) {
                jr_flush(regs);     /* MOVs: the condition's flags stay */
                emit_branch(j, g, jp, &br, direct_target(d, idx + i));
                j->st.inlined++;
                continue;
            }
            b->p = mark;
            *regs = saved_br;
            if (emit_indirect_branch(j, g, d)) {
                j->st.inlined++;
                continue;
            }
            emit_account(b, g->pend_pc, 0, 0);
            g->pend_pc = 0;
            goto call_accounted;
        }
        uint8_t key_bit;
        bool pac = d->cls == CLS_CRYPTO && a64_pac_hint(d->fn, d->insn, &key_bit);
        SysRegFastRead fr;
        bool mrs = d->cls == CLS_SYS && exec_mrs_fast(j->m, d->fn, d->insn, &fr);
        DcFast dcf;
        bool dc = d->cls == CLS_SYS && !mrs && exec_dc_fast(j->m, d->fn, d->insn, &dcf);
        /* FEAT_LSE's atomics (jit_inline_mem.c decode_atomic()) where the
         * machine has it: else their handlers' UNDEFINED */
        bool amo = d->cls == CLS_ATOMIC && (j->m->feat & FEATBIT(FEAT_LSE));
        if (d->cls == CLS_LOAD || d->cls == CLS_STORE || amo || pac || mrs || dc) {
            SlowStub *st = &g->slow[g->ns];
            st->before = *regs;
            st->rf.jcc = NULL;
            if (pac)
                jit_inline_pac_hint(regs, d->insn, key_bit, st->f, &st->nf);
            else if (mrs)
                jit_inline_mrs(regs, d->insn, &fr, st->f, &st->nf);
            else if (dc)
                jit_inline_dc(regs, &dcf, st->f, &st->nf);
            if (pac || mrs || dc || jit_inline_mem(regs, d->insn, st->f, &st->nf, &st->rf)) {
                st->after = *regs;
                st->d = d;
                st->pc = g->pend_pc;
                st->cost = g->pend_cost + d->cost;     /* the handler adds an MRS's extra cost */
                st->n = g->pend_n + 1;
                st->resume = b->p;
                g->ns++;
                g->pend_cost += d->cost + (mrs ? (int32_t)fr.extra : 0);
                g->pend_n++;
                g->pend_pc += 4;
                j->st.inlined++;
                continue;
            }
        }
    call:
        emit_account(b, g->pend_pc, g->pend_cost + d->cost, g->pend_n + 1);
        g->pend_cost = g->pend_n = g->pend_pc = 0;
    call_accounted:;
        int taken = last ? direct_target(d, idx + i) : -1;
        jr_flush(regs);          /* the handler sees (and may change) every register */
        jr_reset(regs, b);
        emit_call(j, b, d);
        if (g->loop_in)
            jr_preset(regs, g->loop_in);    /* MOVs: eax stays */
        x86_test_r32_r32(b, X86_RAX, X86_RAX);
        if (taken >= 0) {
            /* a direct branch to this page: EXEC_JUMP chains to the target */
            uint8_t *not_taken = x86_jcc_rel32(b, X86_CC_E, b->p);
            x86_alu_ri(b, X86_CMP, false, X86_RAX, EXEC_JUMP);
            leave_on(g, X86_CC_NE);
            emit_chain(j, b, jp, (unsigned)taken, true);
            if (not_taken)
                x86_patch_rel32(not_taken, not_taken, b->p);
        } else if (last) {
            /* EXEC_JUMP (BR/BLR/RET, a branch to another page, ...): the
             * dispatcher goes on to the target's block */
            uint8_t *next = x86_jcc_rel32(b, X86_CC_E, b->p);
            if (exec_exit_plain(d->fn)) {
                /* a plain EXEC_EXIT: on in translated code as cpu_exec() would go on */
                x86_alu_ri(b, X86_CMP, false, X86_RAX, EXEC_EXIT);
                if (exec_exit_next(d->fn) && idx + i + 1 < INSNS_PER_PAGE) {
                    uint8_t *other = x86_jcc_rel32(b, X86_CC_NE, b->p);
                    emit_exit_next(j, g, dp, jp, idx + i + 1);
                    if (other)
                        x86_patch_rel32(other, other, b->p);
                } else {
                    jcc_dispatch_exit(j, b, X86_CC_E);
                }
            }
            x86_alu_ri(b, X86_CMP, false, X86_RAX, EXEC_JUMP);
            leave_on(g, X86_CC_NE);
            jmp_dispatch(j, b);
            if (next)
                x86_patch_rel32(next, next, b->p);
        } else {
            leave_on(g, X86_CC_NE);
        }
        if (pure_class(d->cls) && !last) {
            g->pend_pc = 4;       /* EXEC_NEXT: nothing reads the PC before the next flush */
            continue;
        }
        x86_add_m64_imm32(b, X86_RBX, OFF(pc), 4);
        if (!last)
            emit_checks(g);
    }
    jr_flush(regs);
    emit_account(b, g->pend_pc, g->pend_cost, g->pend_n);
    if (idx + n < INSNS_PER_PAGE)
        emit_chain(j, b, jp, idx + n, false);   /* fall through to the next block */
    else
        jcc_dispatch_exit(j, b, -1);   /* off the page's end: a block end for
                                                     cpu_exec(), which fetches the next page
                                                     through the iTLB, as after a plain exit */
    g->slow_off = (uint32_t)x86_len(b);
    for (unsigned k = 0; k < g->ns; k++)
        emit_slow_stub(g, &g->slow[k]);
    return !b->overflow;
}

/* The instruction count of the block at slot idx of dp (decoding its
 * instructions). It ends before the forward targets of its own side exits
 * and before a slot where a block already starts (ends_at_join()), unless
 * one of its direct branches goes back to slot idx: a loop on itself is
 * kept whole (its back edge keeps the registers in host registers:
 * emit_self_loop()), joins and all. */
static unsigned block_len(Jit *j, CPUState *c, DecodePage *dp, const JitPage *jp, unsigned idx)
{
    unsigned n = 0, njoin = 0, joined = 0;   /* joined: where the join rule ends it (0: nowhere) */
    uint16_t join[JIT_MAX_INSNS];   /* forward targets of the block's side exits */
    bool loop = false;
    while (n < JIT_MAX_INSNS && idx + n < INSNS_PER_PAGE) {
        if (!joined && n && (jp->e[idx + n] || ends_at_join(join, njoin, idx + n)))
            joined = n;     /* on through the block there, not a copy of it */
        exec_decode_entry(c, dp, idx + n);
        n++;
        const DecodedInsn *e = &dp->e[idx + n - 1];
        int t = direct_target(e, idx + n - 1);
        bool side = side_exit(e);
        loop |= t == (int)idx;
        if (!joined && side && t > (int)(idx + n - 1))
            join[njoin++] = (uint16_t)t;
        /* NOPs, BTI, DMB, DSB, plain MRS (jit_inline_mrs()) and the DC
         * rows that go on (exec_sys_goes_on()) do not end a block */
        SysRegFastRead fr;
        if (ends_block(e->cls) && !a64_is_nop(e->fn, e->insn) && !exec_sys_goes_on(e->fn) &&
            !exec_mrs_fast(j->m, e->fn, e->insn, &fr) && !side)
            break;
    }
    return joined && !loop ? joined : n;
}

/* Translates the block at slot idx of dp; returns its offset (0 on failure).
 * A block that loops on itself is translated twice: the first translation
 * counts the uses of each register, the second pins the most used ones
 * (jr_pick_pins(): all of them when they fit) in host registers, loaded at
 * the body's start, so that its back edge (emit_self_loop()) finds them
 * where the loop head expects them; only the second is kept. */
static uint32_t translate(Jit *j, CPUState *c, DecodePage *dp, JitPage *jp, unsigned idx)
{
    if (j->size - j->used < 1024) {
        jit_flush(j);
        return 0;     /* the caller looks the page up again */
    }
    unsigned n = block_len(j, c, dp, jp, idx);
    uint32_t start = (uint32_t)j->used;
    populate_ahead(j, start + JIT_BLOCK_MAX_BYTES);
    if (!j->cg && !(j->cg = malloc(sizeof *j->cg)))
        return 0;
    Gen *g = j->cg;     /* per Jit: machines may translate in parallel threads */
    gen_start(j, g, dp, start, idx, n, NULL);
    bool ok = emit_block(j, dp, jp, g);
    if (ok && g->loop_seen) {
        int8_t loop_in[JR_SLOTS];
        jr_pick_pins(&g->regs, loop_in);
        JitStats st = j->st;
        gen_start(j, g, dp, start, idx, n, loop_in);
        ok = emit_block(j, dp, jp, g);
        j->st = st;
        j->st.loops += ok;
    }
    X86Buf *b = &g->b;
    if (!ok) {
        /* does not fit in what is left: start a new cache (the caller
         * looks the page up again); in an empty one it never fits, and
         * the instruction runs in the interpreter */
        if (j->used > 16)
            jit_flush(j);
        return 0;
    }
    if (j->dump_dir)
        dump_block(j, g, dp, c->cur_va, idx, n, start, x86_len(b));
    j->used = (start + x86_len(b) + 15) & ~(size_t)15;
    jp->e[idx] = jit_entry(start, n);
    j->st.blocks++;
    j->st.insns += n;
    return start;
}

/* The block at slot idx of dp, translated on first use; NULL if none. */
static const void *block_at(Jit *j, CPUState *c, DecodePage *dp, unsigned idx, unsigned *n)
{
    uint32_t e = jit_index_entry(j, dp, idx);
    if (likely(e)) {
        *n = jit_entry_n(e);
        return j->rx + jit_entry_off(e);
    }
    JitPage *jp = dp->jit;
    if (!jp || dp->jit_gen != j->gen) {
        if (j->npages == j->cap) {
            size_t cap = j->cap ? 2 * j->cap : 64;
            JitPage **p = realloc(j->pages, cap * sizeof *p);
            if (!p)
                return NULL;
            j->pages = p;
            j->cap = cap;
        }
        jp = calloc(1, sizeof *jp);
        if (!jp)
            return NULL;
        j->pages[j->npages++] = jp;
        dp->jit = jp;
        dp->jit_gen = j->gen;
    }
    uint32_t off = translate(j, c, dp, jp, idx);
    if (!off)
        return NULL;
    *n = jit_entry_n(jp->e[idx]);
    return j->rx + off;
}

bool jit_exec_page(CPUState *c, DecodePage *dp, DecodedInsn *d)
{
    Jit *j = c->m->jit;
    /* Set once a block did not fit in the budget: what is left of the
     * budget (fewer than JIT_MAX_INSNS instructions) runs in the
     * interpreter, without translating a block at each of the slots it
     * steps through (each would be translated, found too long, and kept). */
    bool tail = false;
    for (;;) {
        unsigned n = 0;
        const void *code = tail ? NULL : block_at(j, c, dp, (unsigned)(d - dp->e), &n);
        int r;
        if (likely(code) && c->budget >= (int64_t)n) {
            j->st.entries++;
            c->jit_stale = 0;
            r = ((JitEnterFn)(void *)(j->rx + j->enter))(c, code);
            dp = c->cur_page;   /* the dispatcher may have chained to other pages */
            if (r == EXEC_NEXT) {
                uint64_t pc = c->pc;
                if (unlikely(!(pc & (PAGE_SIZE - 1))))
                    return false;
                d = &dp->e[(pc >> 2) & (INSNS_PER_PAGE - 1)];
                if (unlikely(c->budget <= 0 || c->exit_req))
                    return !c->exit_req;   /* inside an interpreter block unless asked to stop */
                continue;
            }
        } else {
            /* exec_page()'s step, for a tail that the budget does not cover */
            tail |= code != NULL;
            c->cycles += d->cost;
            c->budget--;
            r = d->fn(c, d->insn);
            if (r == EXEC_NEXT) {
                c->pc += 4;
                if (unlikely(!(c->pc & (PAGE_SIZE - 1))))
                    return false;
                d++;
                if (unlikely(c->budget <= 0 || c->exit_req))
                    return !c->exit_req;
                continue;
            }
        }
        if (r == JIT_FETCHED) {
            /* the dispatcher made cpu_exec()'s fetch (jit_fetch_block()) */
            d = &dp->e[(c->pc >> 2) & (INSNS_PER_PAGE - 1)];
            continue;
        }
        if (r != EXEC_JUMP)
            return false;
        uint64_t pc = c->pc;
        if (unlikely(pc & 3) || unlikely(c->cycles >= c->cycle_limit))
            return false;
        if ((pc ^ c->cur_va) & PAGE_MASK) {
            /* exec_page()'s chaining through the iTLB, unchanged */
            const ITLBEntry *ie = cpu_itlb_entry(c, pc);
            if (ie->tag != (pc & PAGE_MASK) || cpu_irq_maybe(c))
                return false;
            dp = ie->page;
            c->cur_page = dp;
            c->cur_va = pc & PAGE_MASK;
        }
        d = &dp->e[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        if (unlikely(c->budget <= 0 || c->exit_req))
            return false;
    }
}

/* ---- Public API (include/arm83emu/arm83emu.h) --------------------------- */

a83_err a83_set_accel(a83_machine *m, a83_accel accel, uint64_t cache_bytes)
{
    if (!m || (accel != A83_ACCEL_INTERP && accel != A83_ACCEL_JIT))
        return A83_ERR_ARG;
    if (accel == A83_ACCEL_INTERP) {
        jit_destroy(m->jit);
        m->jit = NULL;
        return A83_OK;
    }
    if (cache_bytes > JIT_MAX_CACHE)
        return A83_ERR_ARG;
    if (!jit_host_supported())
        return A83_ERR_UNSUPPORTED;
    Jit *j = jit_create(m, cache_bytes);
    if (!j)
        return A83_ERR_NOMEM;
    jit_destroy(m->jit);
    m->jit = j;
    return A83_OK;
}

a83_err a83_get_jit_stats(const a83_machine *m, a83_jit_stats *out)
{
    if (!m || !out)
        return A83_ERR_ARG;
    JitStats s;
    jit_get_stats(m->jit, &s);
    *out = (a83_jit_stats){ .blocks = s.blocks, .insns = s.insns, .inlined = s.inlined, .entries = s.entries,
                            .flushes = s.flushes, .page_invals = s.page_invals, .loops = s.loops,
                            .chain_patches = s.patches, .side_exits = s.side_exits };
    return A83_OK;
}

a83_accel a83_get_accel(const a83_machine *m)
{
    return m && m->jit ? A83_ACCEL_JIT : A83_ACCEL_INTERP;
}

a83_err a83_jit_block_len(a83_machine *m, unsigned cpu, uint64_t *n)
{
    if (!m || !n || cpu >= m->ncpus)
        return A83_ERR_ARG;
    *n = 0;
    Jit *j = m->jit;
    CPUState *c = m->cpu[cpu];
    if (!j)
        return A83_OK;
    /* the lookup exec_page()'s chaining does: the iTLB only, no walk */
    uint64_t pc = c->pc;
    const ITLBEntry *ie = cpu_itlb_entry(c, pc);
    if ((pc & 3) || ie->tag != (pc & PAGE_MASK) || !ie->page)
        return A83_OK;
    DecodePage *dp = ie->page;
    unsigned len = 0;
    /* translated now if missing, as the next run's jit_exec_page() would */
    if (block_at(j, c, dp, (unsigned)((pc >> 2) & (INSNS_PER_PAGE - 1)), &len))
        *n = len;
    return A83_OK;
}
