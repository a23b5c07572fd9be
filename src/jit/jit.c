/*
 * The translator, stage 1: call-threaded blocks (jit.h).
 *
 * A block starts at any instruction of a decoded page and runs up to and
 * including the first instruction that may end a block in the interpreter
 * (a branch, exception-generating, system or barrier instruction, an
 * unallocated encoding), the page end, or JIT_MAX_INSNS instructions. Its
 * code, per guest instruction i (rbx = CPUState, r12 = &Jit.inval,
 * r13 = Jit.inval at block entry):
 *
 *     add  qword [rbx + cycles], cost_i     ; exec_page(): c->cycles += d->cost
 *     sub  qword [rbx + budget], 1          ; c->budget = --budget
 *     mov  rdi, rbx ; mov esi, insn_i ; movabs rax, handler_i ; call rax
 *     test eax, eax ; jnz  leave            ; EXEC_JUMP / EXEC_EXIT: return it
 *     add  qword [rbx + pc], 4              ; EXEC_NEXT
 *     cmp  byte [rbx + exit_req], 0 ; jne leave_next   (not after the last)
 *     cmp  r13, [r12] ; jne leave_next                 (code was written)
 *
 * so c->pc, c->cycles and c->budget are exact at every handler call (a
 * synchronous exception longjmps out of the handler, and so out of the
 * block, to cpu_exec()). The block returns EXEC_NEXT with c->pc at the
 * next instruction, or the handler's EXEC_JUMP/EXEC_EXIT; jit_exec_page()
 * then does what exec_page() does after that instruction. A block is only
 * entered when the budget covers all of its instructions, so the budget
 * never runs out inside one: stop points and counts are the interpreter's.
 *
 * Blocks are indexed per decoded page (JitPage: a code offset and length
 * per instruction slot). A store into a code page (mem_code_written()) drops
 * the blocks that contain a written slot; a reset of all decoded entries
 * drops every index; the code
 * itself stays in the cache until the cache is flushed, which happens only
 * when a translation does not fit (never while a block runs).
 */
#define _GNU_SOURCE
#include "jit/jit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/machine.h"
#include "cpu/decode.h"
#include "cpu/exec.h"
#include "jit/jit_inline.h"
#include "jit/x86emit.h"

#define JIT_MAX_INSNS 64
#define JIT_DEFAULT_CACHE (32u << 20)
#define JIT_MAX_CACHE (1ull << 30)
#define JIT_BLOCK_MAX_BYTES (JIT_MAX_INSNS * 112 + 400)   /* worst case of one block */

/* Block index of one decoded page: off[i] is the cache offset of the block
 * starting at instruction slot i (0: none yet), n[i] its instruction count. */
typedef struct JitPage {
    uint32_t off[INSNS_PER_PAGE];
    uint8_t n[INSNS_PER_PAGE];
} JitPage;

typedef int (*JitBlockFn)(CPUState *c);

struct Jit {
    Machine *m;
    uint8_t *rw, *rx;      /* the cache: writable view, executable view */
    size_t size, used;
    uint32_t gen;          /* DecodePage.jit is valid iff its jit_gen == gen */
    uint64_t inval;        /* bumped by every invalidation (running blocks check it) */
    uint32_t prologue_len; /* bytes of every block's prologue (chains jump past it) */
    JitPage **pages;       /* every JitPage of this generation, to free at a flush */
    size_t npages, cap;
    JitStats st;
};

bool jit_host_supported(void)
{
#if defined(__x86_64__) && defined(__linux__)
    return true;
#else
    return false;
#endif
}

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
    if (cache_bytes < 4 * JIT_BLOCK_MAX_BYTES)
        cache_bytes = 4 * JIT_BLOCK_MAX_BYTES;
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
    void *rx = mmap(NULL, cache_bytes, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
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
    j->rw = rw;
    j->rx = rx;
    j->size = cache_bytes;
    j->used = 16;          /* offset 0 means "no block" */
    j->gen = 1;
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

void jit_destroy(Jit *j)
{
    if (!j)
        return;
    free_pages(j);
    free(j->pages);
    munmap(j->rw, j->size);
    munmap(j->rx, j->size);
    free(j);
}

void jit_flush(Jit *j)
{
    if (!j)
        return;
    free_pages(j);
    j->gen++;
    j->inval++;
    j->used = 16;
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
    for (unsigned i = first >= JIT_MAX_INSNS ? first - (JIT_MAX_INSNS - 1) : 0; i < end; i++)
        if (jp->off[i] && i + jp->n[i] > first)
            jp->off[i] = 0;
    j->inval++;
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

#define OFF(f) ((int32_t)offsetof(CPUState, f))

/* The slot of this page that a direct branch (B, BL, B.cond, CBZ/CBNZ,
 * TBZ/TBNZ: Arm ARM C4.1.3) in slot `slot` jumps to when taken, or -1 (not
 * a direct branch, or a target outside the page). The offset is relative to
 * the PC, so the slot does not depend on the VA the page runs at. */
static int direct_target(const DecodedInsn *d, unsigned slot)
{
    if (d->cls != CLS_BRANCH || d->fn == a64_unallocated)
        return -1;
    uint32_t w = d->insn;
    int64_t off;
    if ((w & 0x7c000000u) == 0x14000000u)
        off = sext64((uint64_t)(w & 0x3ffffffu) << 2, 28);
    else if ((w & 0xff000010u) == 0x54000000u || (w & 0x7e000000u) == 0x34000000u)
        off = sext64((uint64_t)((w >> 5) & 0x7ffffu) << 2, 21);
    else if ((w & 0x7e000000u) == 0x36000000u)
        off = sext64((uint64_t)((w >> 5) & 0x3fffu) << 2, 16);
    else
        return -1;
    int64_t t = (int64_t)slot * 4 + off;
    return t >= 0 && t < (int64_t)PAGE_SIZE ? (int)(t / 4) : -1;
}

/* Forward jumps of the chaining code to the block's exits. */
typedef struct Chains {
    uint8_t *f[16];
    bool jump[16];     /* leave with EXEC_JUMP (else EXEC_NEXT) */
    unsigned n;
} Chains;

static void chain_fail(X86Buf *b, Chains *ch, unsigned cc, bool jump)
{
    uint8_t *f = x86_jcc_rel32(b, cc, b->p);
    if (f && ch->n < 16) {
        ch->f[ch->n] = f;
        ch->jump[ch->n++] = jump;
    } else {
        b->overflow = true;
    }
}

/*
 * Continues in the block at slot t of the same page, if there is one and
 * exec_page() would enter it now: what jit_exec_page() checks after a block
 * that returned EXEC_JUMP (jump: cycles below cycle_limit) or EXEC_NEXT,
 * then exit_req clear, no invalidation since this block was entered (so the
 * page index is current and r13 stays right), and the target's instruction
 * count within the budget. The target is read from the page index at run
 * time, so a block translated later, or dropped by an invalidation, is seen
 * without patching; no chain ever leaves the page, and a page's blocks die
 * together, so there is nothing to unlink (docs/ARCHITECTURE.md).
 */
static void emit_chain(Jit *j, X86Buf *b, JitPage *jp, unsigned t, bool jump, Chains *ch)
{
    x86_cmp_m8_imm8(b, X86_RBX, OFF(exit_req), 0);
    chain_fail(b, ch, X86_CC_NE, jump);
    x86_cmp_r64_m64(b, X86_R13, X86_R12, 0);
    chain_fail(b, ch, X86_CC_NE, jump);
    if (jump) {
        x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(cycles));
        x86_cmp_r64_m64(b, X86_RAX, X86_RBX, OFF(cycle_limit));
        chain_fail(b, ch, X86_CC_AE, jump);
    }
    x86_mov_r64_imm64(b, X86_RCX, (uint64_t)(uintptr_t)&jp->off[t]);
    x86_mov_r32_m32(b, X86_RAX, X86_RCX, 0);
    x86_test_r32_r32(b, X86_RAX, X86_RAX);
    chain_fail(b, ch, X86_CC_E, jump);
    x86_movzx_r32_m8(b, X86_RDX, X86_RCX,
                     (int32_t)((intptr_t)&jp->n[t] - (intptr_t)&jp->off[t]));
    x86_cmp_r64_m64(b, X86_RDX, X86_RBX, OFF(budget));
    chain_fail(b, ch, X86_CC_G, jump);     /* its count exceeds the budget */
    x86_mov_r64_imm64(b, X86_RCX, (uint64_t)(uintptr_t)(j->rx + j->prologue_len));
    x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RCX);
    x86_jmp_r64(b, X86_RAX);
}

/* Translates the block at slot idx of dp; returns its offset (0 on failure). */
static uint32_t translate(Jit *j, CPUState *c, DecodePage *dp, JitPage *jp, unsigned idx)
{
    if (j->size - j->used < JIT_BLOCK_MAX_BYTES) {
        jit_flush(j);
        return 0;     /* the caller looks the page up again */
    }
    unsigned n = 0;
    while (n < JIT_MAX_INSNS && idx + n < INSNS_PER_PAGE) {
        exec_decode_entry(c, dp, idx + n);
        n++;
        if (ends_block(dp->e[idx + n - 1].cls))
            break;
    }
    uint32_t start = (uint32_t)j->used;
    X86Buf b;
    x86_init(&b, j->rw + start, JIT_BLOCK_MAX_BYTES);
    x86_push_r64(&b, X86_RBX);
    x86_push_r64(&b, X86_R12);
    x86_push_r64(&b, X86_R13);     /* three pushes: rsp is 16-byte aligned at the calls */
    x86_mov_r64_r64(&b, X86_RBX, X86_RDI);
    x86_mov_r64_imm64(&b, X86_R12, (uint64_t)(uintptr_t)&j->inval);
    x86_mov_r64_m64(&b, X86_R13, X86_R12, 0);
    if (!j->prologue_len)
        j->prologue_len = (uint32_t)x86_len(&b);
    uint8_t *to_leave[JIT_MAX_INSNS], *to_next[2 * JIT_MAX_INSNS];
    unsigned nl = 0, nn = 0;
    Chains ch = { .n = 0 };
    /* Accounting of inlined instructions not yet added to c: they cannot
     * fault or be observed, so it is added before the next handler call or
     * at the block end (jit_inline.c). */
    int32_t pend_cost = 0, pend_n = 0, pend_pc = 0;
    for (unsigned i = 0; i < n; i++) {
        const DecodedInsn *d = &dp->e[idx + i];
        if (d->cls == CLS_INT && d->fn != a64_unallocated && jit_inline(&b, d->insn)) {
            pend_cost += d->cost;
            pend_n++;
            pend_pc += 4;
            j->st.inlined++;
            continue;
        }
        bool last = i + 1 == n;
        int taken = last ? direct_target(d, idx + i) : -1;
        if (pend_pc)
            x86_add_m64_imm32(&b, X86_RBX, OFF(pc), pend_pc);
        x86_add_m64_imm32(&b, X86_RBX, OFF(cycles), pend_cost + d->cost);
        x86_sub_m64_imm32(&b, X86_RBX, OFF(budget), pend_n + 1);
        pend_cost = pend_n = pend_pc = 0;
        x86_mov_r64_r64(&b, X86_RDI, X86_RBX);
        x86_mov_r32_imm32(&b, X86_RSI, d->insn);
        x86_mov_r64_imm64(&b, X86_RAX, (uint64_t)(uintptr_t)d->fn);
        x86_call_r64(&b, X86_RAX);
        x86_test_r32_r32(&b, X86_RAX, X86_RAX);
        if (taken >= 0) {
            /* a direct branch to this page: EXEC_JUMP chains to the target */
            uint8_t *not_taken = x86_jcc_rel32(&b, X86_CC_E, b.p);
            x86_alu_ri(&b, X86_CMP, false, X86_RAX, EXEC_JUMP);
            to_leave[nl++] = x86_jcc_rel32(&b, X86_CC_NE, b.p);
            emit_chain(j, &b, jp, (unsigned)taken, true, &ch);
            if (not_taken)
                x86_patch_rel32(not_taken, not_taken, b.p);
        } else {
            to_leave[nl++] = x86_jcc_rel32(&b, X86_CC_NE, b.p);
        }
        x86_add_m64_imm32(&b, X86_RBX, OFF(pc), 4);
        if (i + 1 < n) {
            x86_cmp_m8_imm8(&b, X86_RBX, OFF(exit_req), 0);
            to_next[nn++] = x86_jcc_rel32(&b, X86_CC_NE, b.p);
            x86_cmp_r64_m64(&b, X86_R13, X86_R12, 0);
            to_next[nn++] = x86_jcc_rel32(&b, X86_CC_NE, b.p);
        }
    }
    if (pend_n) {
        x86_add_m64_imm32(&b, X86_RBX, OFF(pc), pend_pc);
        x86_add_m64_imm32(&b, X86_RBX, OFF(cycles), pend_cost);
        x86_sub_m64_imm32(&b, X86_RBX, OFF(budget), pend_n);
    }
    if (idx + n < INSNS_PER_PAGE)
        emit_chain(j, &b, jp, idx + n, false, &ch);   /* fall through to the next block */
    uint8_t *leave_jump = b.p;
    x86_mov_r32_imm32(&b, X86_RAX, EXEC_JUMP);
    uint8_t *lj = x86_jmp_rel32(&b, b.p);
    uint8_t *leave_next = b.p;
    x86_mov_r32_imm32(&b, X86_RAX, EXEC_NEXT);
    uint8_t *leave = b.p;
    x86_pop_r64(&b, X86_R13);
    x86_pop_r64(&b, X86_R12);
    x86_pop_r64(&b, X86_RBX);
    x86_ret(&b);
    if (b.overflow)
        return 0;
    for (unsigned k = 0; k < nl; k++)
        x86_patch_rel32(to_leave[k], to_leave[k], leave);
    for (unsigned k = 0; k < nn; k++)
        x86_patch_rel32(to_next[k], to_next[k], leave_next);
    for (unsigned k = 0; k < ch.n; k++)
        x86_patch_rel32(ch.f[k], ch.f[k], ch.jump[k] ? leave_jump : leave_next);
    x86_patch_rel32(lj, lj, leave);
    j->used = (start + x86_len(&b) + 15) & ~(size_t)15;
    jp->off[idx] = start;
    jp->n[idx] = (uint8_t)n;
    j->st.blocks++;
    j->st.insns += n;
    return start;
}

/* The block at slot idx of dp, translated on first use; NULL if none. */
static JitBlockFn block_at(Jit *j, CPUState *c, DecodePage *dp, unsigned idx, unsigned *n)
{
    JitPage *jp = dp->jit;
    if (likely(jp && dp->jit_gen == j->gen)) {
        uint32_t off = jp->off[idx];
        if (likely(off)) {
            *n = jp->n[idx];
            return (JitBlockFn)(void *)(j->rx + off);
        }
    } else {
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
    *n = jp->n[idx];
    return (JitBlockFn)(void *)(j->rx + off);
}

void jit_exec_page(CPUState *c, DecodePage *dp, DecodedInsn *d)
{
    Jit *j = c->m->jit;
    for (;;) {
        unsigned n = 0;
        JitBlockFn fn = block_at(j, c, dp, (unsigned)(d - dp->e), &n);
        int r;
        if (likely(fn) && c->budget >= (int64_t)n) {
            j->st.entries++;
            r = fn(c);
            if (r == EXEC_NEXT) {
                uint64_t pc = c->pc;
                if (unlikely(!(pc & (PAGE_SIZE - 1))))
                    return;
                d = &dp->e[(pc >> 2) & (INSNS_PER_PAGE - 1)];
                if (unlikely(c->budget <= 0 || c->exit_req))
                    return;
                continue;
            }
        } else {
            /* exec_page()'s step, for a tail that the budget does not cover */
            c->cycles += d->cost;
            c->budget--;
            r = d->fn(c, d->insn);
            if (r == EXEC_NEXT) {
                c->pc += 4;
                if (unlikely(!(c->pc & (PAGE_SIZE - 1))))
                    return;
                d++;
                if (unlikely(c->budget <= 0 || c->exit_req))
                    return;
                continue;
            }
        }
        if (r != EXEC_JUMP)
            return;
        uint64_t pc = c->pc;
        if (unlikely(pc & 3) || unlikely(c->cycles >= c->cycle_limit))
            return;
        if ((pc ^ dp->va) & PAGE_MASK) {
            /* exec_page()'s chaining through the iTLB, unchanged */
            const ITLBEntry *ie = &c->itlb[(pc >> PAGE_BITS) & (TLB_SIZE - 1)];
            if (ie->tag != (pc & PAGE_MASK) || c->irq_lines)
                return;
            dp = ie->page;
            c->cur_page = dp;
            dp->va = pc & PAGE_MASK;
        }
        d = &dp->e[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        if (unlikely(c->budget <= 0 || c->exit_req))
            return;
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
                            .flushes = s.flushes, .page_invals = s.page_invals };
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
    const ITLBEntry *ie = &c->itlb[(pc >> PAGE_BITS) & (TLB_SIZE - 1)];
    if ((pc & 3) || ie->tag != (pc & PAGE_MASK) || !ie->page)
        return A83_OK;
    DecodePage *dp = ie->page;
    unsigned len = 0;
    /* translated now if missing, as the next run's jit_exec_page() would */
    if (block_at(j, c, dp, (unsigned)((pc >> 2) & (INSNS_PER_PAGE - 1)), &len))
        *n = len;
    return A83_OK;
}
