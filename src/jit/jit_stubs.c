/*
 * The code every translated block shares (jit_priv.h; docs/ARCHITECTURE.md
 * "Translator"), emitted once at the start of the code cache, below the
 * blocks, and kept across flushes:
 *
 *   enter       C's call into a block: saves the callee-saved registers the
 *               blocks use, rbx = c, jumps to the block. Blocks have no
 *               prologue of their own, so a chain jumps to a block's first
 *               byte.
 *   leave       the matching epilogue, returning eax to jit_exec_page();
 *   leave_next  leave_jump, leave_exit and leave_fetched set eax to
 *               EXEC_NEXT / EXEC_JUMP / EXEC_EXIT / JIT_FETCHED first.
 *               Blocks jump here instead of carrying their own epilogue.
 *   round_jump  called where cpu_exec() would compare the clock with the
 *               round's end after a taken branch: asks jit_round_next()
 *               and returns, or leaves with EXEC_JUMP.
 *   chain_next, chain_jump
 *               the block at slot edx of JitPage rcx, if translated and
 *               within the budget; else leave with EXEC_NEXT / EXEC_JUMP.
 *   dispatch    exec_page()'s EXEC_JUMP step (emit_dispatcher()).
 *   dispatch_exit
 *               cpu_exec()'s step after an instruction whose EXEC_EXIT is
 *               plain (exec_exit_plain()), the same code with PSTATE.IL
 *               tested first and the iTLB lookup made for every target.
 *               Both are called, and return where their site jumps on.
 *
 * Sharing these instead of emitting them in every block keeps the blocks
 * small: the code cache holds more of them, and the host's instruction
 * cache and TLB see less code (docs/performance.md "Session 9").
 */
#include <string.h>

#include "core/machine.h"
#include "cpu/exec.h"
#include "jit/jit_priv.h"

#define OFF JIT_OFF
#define DPOFF(f) ((int32_t)offsetof(DecodePage, f))

void jit_buf_at(const Jit *j, X86Buf *b, size_t start, size_t len)
{
    x86_init(b, j->rw + start, len);
    b->run_off = j->rx - j->rw;
}

/* At a taken branch's block end, cpu_exec() compares the clock with
 * cycle_limit, the scheduler's round end. Past it, the scheduler may start
 * the next round without the CPU leaving its loop (CPUState.round_next,
 * core/machine.c "Rounds that change nothing"); jit_round_next() asks it
 * from translated code (round_jump), where cpu_exec() would have asked it
 * once the block returned: with exit_req clear and no interrupt line up
 * but those cpu_check_interrupts() found masked (cpu_irq_maybe()),
 * cpu_exec() does nothing else on the way. If it does not, the block
 * leaves as before. */
static int jit_round_next(CPUState *c)
{
    if (c->exit_req || cpu_irq_maybe(c) || !c->round_next)
        return 0;
    return c->round_next(c);
}

int jit_slow_call(CPUState *c, uint32_t insn, uint64_t acct, int (*fn)(CPUState *, uint32_t))
{
    int32_t pc, cost, n;
    jit_slow_unpack(acct, &pc, &cost, &n);
    c->pc += (uint64_t)pc;
    c->cycles += (uint64_t)(int64_t)cost;
    c->budget -= n;
    int r = fn(c, insn);
    if (r != EXEC_NEXT)
        return r;
    c->pc += 4;
    if (c->exit_req || c->jit_stale)
        return EXEC_NEXT;
    c->pc -= (uint64_t)pc + 4;
    c->cycles -= (uint64_t)(int64_t)cost;
    c->budget += n;
    return JIT_SLOW_RESUME;
}

/* The callee-saved registers a block uses (rbp, r12-r15 hold cached guest
 * registers: jit_regs.h; rbx = c), and 8 bytes more so that rsp is 16-byte
 * aligned at the blocks' calls. */
static void emit_prologue(X86Buf *b)
{
    x86_push_r64(b, X86_RBX);
    x86_push_r64(b, X86_R12);
    x86_push_r64(b, X86_R13);
    x86_push_r64(b, X86_RBP);
    x86_push_r64(b, X86_R14);
    x86_push_r64(b, X86_R15);
    x86_alu_ri(b, X86_SUB, true, X86_RSP, 8);
}

/* The epilogue matching emit_prologue(), then ret (eax = the result). */
static void emit_epilogue(X86Buf *b)
{
    x86_alu_ri(b, X86_ADD, true, X86_RSP, 8);
    x86_pop_r64(b, X86_R15);
    x86_pop_r64(b, X86_R14);
    x86_pop_r64(b, X86_RBP);
    x86_pop_r64(b, X86_R13);
    x86_pop_r64(b, X86_R12);
    x86_pop_r64(b, X86_RBX);
    x86_ret(b);
}

/* A dispatcher's iTLB miss (emit_dispatcher(), with the dispatcher's
 * earlier tests passed): cpu_exec()'s fetch from translated code
 * (exec_fetch_block_end(): the TLB model's refill of a page its L1
 * dropped, or the walk), then what jit_exec_page() does after cpu_exec()'s
 * fetch: enter the block at the PC if it is translated and within the
 * budget, with no other test (the clock is not looked at again: the
 * fetch's cycles may have taken it past cycle_limit, and cpu_exec() only
 * looks at block ends). Returns where the dispatcher jumps: that block,
 * leave_fetched (the fetch made, no block: jit_exec_page() goes on from
 * the fetch, translating or stepping the tail) or leave_miss (no fetch:
 * cpu_exec() does something else first). */
static const void *jit_fetch_block(CPUState *c, const void *leave_miss)
{
    uint64_t pc = c->pc;
    __builtin_prefetch(jit_jc_line(c, pc));   /* used after the fetch */
    /* Most misses are entries the TLB model's L1 I dropped (TLB_FLAG_MODEL):
     * the fetch keeps their page, whose header (DecodePage.jit, jit_gen)
     * a jump cache miss reads next; asked for now, it arrives while the
     * model is charged (a host cache miss that was 40% of this function's
     * samples in the nested run, session 22). */
    const ITLBEntry *ie = cpu_itlb_entry(c, pc);
    if (itlb_holds(ie, pc))
        __builtin_prefetch(&ie->page->jit);
    DecodePage *dp = exec_fetch_block_end(c);
    if (!dp)
        return leave_miss;
    Jit *j = c->m->jit;
    uint32_t e = jit_jc_entry(j, c, dp, c->pc);
    if (e && c->budget >= (int64_t)jit_entry_n(e)) {
        c->jit_stale = 0;       /* the index was read now, as at an entry from C */
        return j->rx + jit_entry_off(e);
    }
    return j->rx + j->leave_fetched;
}

void jit_emit_irq_maybe(X86Buf *b)
{
    x86_mov_r32_m32(b, X86_RSI, X86_RBX, OFF(irq_masked));
    x86_alu_ri(b, X86_XOR, false, X86_RSI, -1);
    x86_mov_r32_m32(b, X86_RDI, X86_RBX, OFF(irq_lines));
    x86_test_r32_r32(b, X86_RSI, X86_RDI);
}

void jit_emit_itlb_entry(X86Buf *b)
{
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_shift_ri(b, X86_SHR, true, X86_RCX, PAGE_BITS);
    x86_alu_ri(b, X86_AND, false, X86_RCX, TLB_SIZE - 1);
    x86_imul_rri(b, false, X86_RCX, X86_RCX, (int32_t)sizeof(ITLBEntry));
    x86_mov_r64_m64(b, X86_RSI, X86_RBX, OFF(itlb));
    x86_alu_rr(b, X86_ADD, true, X86_RCX, X86_RSI);
}

void jit_jump_to(const Jit *j, X86Buf *b, int cc, uint32_t off)
{
    uint8_t *f = cc < 0 ? x86_jmp_rel32(b, b->p) : x86_jcc_rel32(b, (unsigned)cc, b->p);
    if (f)
        x86_patch_rel32(f, f, j->rw + off);
}

void jit_chain_patch(Jit *j, uint8_t *site_rx, uint32_t entry)
{
    uint8_t *site = j->rw + (site_rx - j->rx);
    j->st.patches++;
    int32_t n = (int32_t)jit_entry_n(entry);
    memcpy(site + JIT_SITE_ENTRY, &entry, 4);
    memcpy(site + JIT_SITE_BUDGET, &n, 4);
    x86_patch_rel32(site + JIT_SITE_JMP, site + JIT_SITE_JMP, j->rw + jit_entry_off(entry));
}

/* rax = the address of the block whose index entry is in eax (jit_entry_off();
 * rcx clobbered). */
static void emit_entry_block(const Jit *j, X86Buf *b)
{
    x86_alu_ri(b, X86_AND, false, X86_RAX, (int32_t)((1u << JIT_ENTRY_OFF_BITS) - 1));
    x86_shift_ri(b, X86_SHL, false, X86_RAX, 4);
    x86_mov_r64_imm64(b, X86_RCX, (uint64_t)(uintptr_t)j->rx);
    x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RCX);
}

/* Leaves from a stub called by a block (a chain lookup, the round's end):
 * the return address into the block is replaced by the leave code `leave`
 * and the stub returns there (rcx clobbered). The ret consumes the host's
 * return-stack entry of the block's call, so the leave code's ret into
 * jit_exec_page() and the C returns after it (cpu_exec(), run_cpu_until(),
 * a83_run()) stay predicted. Dropping the address and jumping, as the
 * stubs did before, left one entry too many on the host's return stack,
 * and each of those returns then went to a mispredicted target: about a
 * third of the cost of a switch between two busy CPUs (docs/performance.md
 * "Session 16"). */
static void emit_leave_by_ret(const Jit *j, X86Buf *b, uint32_t leave)
{
    x86_mov_r64_addr(b, X86_RCX, j->rx + leave);
    x86_mov_m64_r64(b, X86_RSP, 0, X86_RCX);
    x86_ret(b);
}

/* chain_next / chain_jump, called (rax, rcx, rdx, rsi clobbered) with
 * rcx = JitPage and edx = slot: what jit_exec_page() checks before entering
 * that block - translated in this generation (the caller checked the page's
 * generation, or the page is the running block's own) and its instruction
 * count within the budget - and returns the block's address in rax, which
 * the caller jumps to (each call site's indirect jump is predicted on its
 * own); otherwise leaves (emit_leave_by_ret()). The index is read
 * at run time, so a block translated later, or dropped by an invalidation,
 * is seen without unlinking anything.
 * With site (chain_*_site): rsi = the chain site, which is patched to
 * expect the block found (jit_chain_patch(), called with the stack
 * 16-byte aligned: the push of rax). The block's guest registers are all
 * in CPUState at a chain, so the call may clobber what it likes. */
static void emit_chain_lookup(Jit *j, X86Buf *b, uint32_t leave, bool site)
{
    if (site)
        x86_mov_r64_r64(b, X86_R8, X86_RSI);
    x86_mov_r32_r32(b, X86_RSI, X86_RDX);
    x86_shift_ri(b, X86_SHL, false, X86_RSI, 2);
    x86_load_bi(b, 4, false, false, X86_RAX, X86_RCX, X86_RSI, 0);      /* e[slot] */
    x86_test_r32_r32(b, X86_RAX, X86_RAX);
    uint8_t *none = x86_jcc_rel8(b, X86_CC_E);
    x86_mov_r32_r32(b, X86_RSI, X86_RAX);
    x86_shift_ri(b, X86_SHR, false, X86_RSI, JIT_ENTRY_OFF_BITS);       /* count - 1 */
    x86_cmp_r64_m64(b, X86_RSI, X86_RBX, OFF(budget));
    uint8_t *over = x86_jcc_rel8(b, X86_CC_GE);     /* its count exceeds the budget */
    if (site) {
        x86_push_r64(b, X86_RAX);
        x86_mov_r64_imm64(b, X86_RDI, (uint64_t)(uintptr_t)j);
        x86_mov_r64_r64(b, X86_RSI, X86_R8);
        x86_mov_r32_r32(b, X86_RDX, X86_RAX);
        x86_call_abs(b, (const void *)jit_chain_patch);
        x86_pop_r64(b, X86_RAX);
    }
    emit_entry_block(j, b);
    x86_ret(b);
    x86_land_rel8(b, none);
    x86_land_rel8(b, over);
    emit_leave_by_ret(j, b, leave);
}

/*
 * The dispatcher (called from a block's frame; it returns where its site
 * goes on in rax: DispOut): what jit_exec_page() does
 * after a block returned EXEC_JUMP (= exec_page()'s EXEC_JUMP step), done in
 * translated code so that indirect branches (BR/BLR/RET and any handler
 * returning EXEC_JUMP at a block end) and direct branches to another page go
 * on into the next block without returning to C: the PC aligned and cycles
 * below cycle_limit (else jit_round_next(), as round_jump does); a target in another VA page is
 * chained through the iTLB exactly as exec_page() does (iTLB tag hit and no
 * interrupt line up but those found masked, cpu_irq_maybe(); then
 * c->cur_page and c->cur_va are set), and on an iTLB miss under the same test
 * cpu_exec()'s fetch is made from here
 * (jit_fetch_block(), which enters the block there itself); then budget > 0,
 * exit_req clear, no invalidation since the block was entered, and the
 * target's block translated in this generation (found through the jump
 * cache, jit_priv.h jit_jc_entry(), else in the page's block index) with an
 * instruction count within the budget (as chain_jump). Anything else
 * returns EXEC_JUMP to jit_exec_page(), which repeats the same tests from c
 * (c->cur_page is where the dispatcher left it) and so ends where
 * exec_page() would. The block index is read at run time, so nothing needs
 * unlinking when a page's blocks are dropped or the cache is flushed (the
 * generation check; the jump cache's entries are emptied with the blocks:
 * jit.c jc_drop()).
 */
/* How a dispatcher leaves. It is called (`call; jmp *%rax` at each site:
 * jit.c jmp_dispatch(), jcc_dispatch_exit()) and returns the address its
 * site goes on at in rax, the next block's or a leave code's, so that each
 * site's indirect jump is predicted on its own (a return's target is a
 * function of its site). Before, the sites jumped to the dispatcher, which
 * ended in one `jmp *%rax` shared by all (docs/performance.md "Session
 * 18"). The leaves' conditional jumps go to tails emitted after the body
 * (disp_tails()), one per leave code. */
struct DispOut {
    const Jit *j;
    X86Buf *b;
    unsigned n;
    uint8_t *fix[12];     /* the dispatchers have 9 leaves at most */
    uint32_t to[12];
};

static void disp_leave(struct DispOut *o, int cc, uint32_t leave)
{
    uint8_t *f = x86_jcc_rel32(o->b, (unsigned)cc, o->b->p);
    if (f && o->n < sizeof o->fix / sizeof o->fix[0]) {
        o->fix[o->n] = f;
        o->to[o->n++] = leave;
    } else {
        o->b->overflow = true;
    }
}

/* A call to C from a dispatcher: its rsp is 8 off the block frame's
 * 16-byte alignment (the site's call). */
static void disp_call_c(struct DispOut *o, const void *fn)
{
    x86_alu_ri(o->b, X86_SUB, true, X86_RSP, 8);
    x86_call_abs(o->b, fn);
    x86_alu_ri(o->b, X86_ADD, true, X86_RSP, 8);
}

/* A dispatcher's leave tails: rax = the leave code; ret. */
static void disp_tails(struct DispOut *o)
{
    for (unsigned k = 0; k < o->n; k++) {
        if (!o->fix[k])
            continue;
        uint32_t to = o->to[k];
        for (unsigned m = k; m < o->n; m++)
            if (o->fix[m] && o->to[m] == to) {
                x86_patch_rel32(o->fix[m], o->fix[m], o->b->p);
                o->fix[m] = NULL;
            }
        x86_mov_r64_addr(o->b, X86_RAX, o->j->rx + to);
        x86_ret(o->b);
    }
}

static void emit_dispatcher(Jit *j, X86Buf *b, bool exit)
{
    uint32_t leave = j->leave_jump;
    struct DispOut out = { .j = j, .b = b }, *o = &out;
    /* After a plain EXEC_EXIT (exit), and at a page's end, cpu_exec()
     * would look at the clock (jit_round_next() below), the interrupt lines
     * and the stop requests, then fetch through the iTLB even in the same
     * page (an instruction like TLBI may have dropped the entry: the walk,
     * and its cost in the TLB model, happen in jit_fetch_block()). Its
     * other steps, the debug and slow-path modes, a plain EXEC_EXIT
     * changes only together with exit_req, and PSTATE.IL (which ERET sets)
     * is tested first. The leaves that C must take as a block end (an
     * interrupt line up, an iTLB miss that jit_fetch_block() leaves to C)
     * return EXEC_EXIT; the others reach C where it ends the same way
     * after EXEC_JUMP (misaligned PC, the round's end) or after the same
     * iTLB hit (budget, exit_req, no block). */
    uint32_t leave_ctx = exit ? j->leave_exit : leave;
    if (exit) {
        /* PSTATE.IL (an illegal exception return): cpu_exec() raises the
         * Illegal State exception before the next fetch */
        x86_cmp_m8_imm8(b, X86_RBX, OFF(il), 0);
        disp_leave(o, X86_CC_NE, j->leave_exit);
    }
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
    x86_test_ri(b, false, X86_RAX, 3);
    disp_leave(o, X86_CC_NE, leave);
    /* the jump cache's line for this PC (below), fetched while the iTLB
     * entry and the target page's header are looked up: its address
     * depends on the PC alone */
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_alu_ri(b, X86_AND, false, X86_RCX, (int32_t)((JIT_JC_SIZE - 1) << 2));
    x86_lea_r64_bis(b, X86_RCX, X86_RBX, X86_RCX, 2);
    x86_prefetcht0_m(b, X86_RCX, OFF(jit_jc));
    x86_mov_r64_m64(b, X86_RCX, X86_RBX, OFF(cycles));
    x86_cmp_r64_m64(b, X86_RCX, X86_RBX, OFF(cycle_limit));
    uint8_t *below = x86_jcc_rel8(b, X86_CC_B);
    /* the round's end (as round_jump, which expects a block's frame) */
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    disp_call_c(o, (const void *)jit_round_next);
    x86_test_r32_r32(b, X86_RAX, X86_RAX);
    disp_leave(o, X86_CC_E, leave);
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
    x86_land_rel8(b, below);
    x86_mov_r64_m64(b, X86_RDX, X86_RBX, OFF(cur_page));
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_mov_r64_m64(b, X86_RSI, X86_RBX, OFF(cur_va));
    x86_alu_rr(b, X86_XOR, true, X86_RCX, X86_RSI);
    x86_alu_ri(b, X86_AND, true, X86_RCX, (int32_t)PAGE_MASK);
    uint8_t *same = exit ? NULL : x86_jcc_rel32(b, X86_CC_E, b->p);
    /* another VA page (or any page after exit): exec_page()'s iTLB chaining */
    jit_emit_irq_maybe(b);
    disp_leave(o, X86_CC_NE, leave_ctx);
    jit_emit_itlb_entry(b);
    x86_mov_r64_r64(b, X86_RSI, X86_RAX);
    x86_alu_ri(b, X86_AND, true, X86_RSI, (int32_t)PAGE_MASK);
    x86_cmp_r64_m64(b, X86_RSI, X86_RCX, (int32_t)offsetof(ITLBEntry, tag));
    uint8_t *hit = x86_jcc_rel8(b, X86_CC_E);
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    x86_mov_r64_imm64(b, X86_RSI, (uint64_t)(uintptr_t)(j->rx + leave_ctx));
    disp_call_c(o, (const void *)jit_fetch_block);
    x86_ret(b);
    x86_land_rel8(b, hit);
    x86_mov_r64_m64(b, X86_RDX, X86_RCX, (int32_t)offsetof(ITLBEntry, page));
    x86_mov_m64_r64(b, X86_RBX, OFF(cur_page), X86_RDX);
    x86_mov_m64_r64(b, X86_RBX, OFF(cur_va), X86_RSI);
    if (same)
        x86_patch_rel32(same, same, b->p);
    /* exec_page(): budget <= 0 or exit_req ends the loop */
    x86_mov_r64_m64(b, X86_RCX, X86_RBX, OFF(budget));
    x86_alu_rr(b, X86_OR, true, X86_RCX, X86_RCX);
    disp_leave(o, X86_CC_LE, leave);
    x86_cmp_m16_imm8(b, X86_RBX, OFF(exit_req), 0);   /* and jit_stale */
    disp_leave(o, X86_CC_NE, leave);
    /* the block at slot (pc >> 2) % 1024: first the jump cache
     * (jit_jc_entry()), whose hit reads nothing of the page (rdx): rcx =
     * &c->jit_jc[(pc >> 2) % size], rsi = the key, &dp->e[slot] = dp +
     * (pc & 0xffc) * 4 */
    _Static_assert(sizeof(DecodedInsn) == 16 && sizeof(struct JitJump) == 16,
                   "the dispatcher scales slots by 16");
    x86_mov_r64_r64(b, X86_RSI, X86_RAX);
    x86_alu_ri(b, X86_AND, false, X86_RSI, (INSNS_PER_PAGE - 1) << 2);
    x86_lea_r64_bis(b, X86_RSI, X86_RDX, X86_RSI, 2);
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_alu_ri(b, X86_AND, false, X86_RCX, (int32_t)((JIT_JC_SIZE - 1) << 2));
    x86_lea_r64_bis(b, X86_RCX, X86_RBX, X86_RCX, 2);
    x86_alu_ri(b, X86_ADD, true, X86_RCX, OFF(jit_jc));
    x86_cmp_r64_m64(b, X86_RSI, X86_RCX, (int32_t)offsetof(struct JitJump, key));
    uint8_t *miss = x86_jcc_rel8(b, X86_CC_NE);
    x86_mov_r32_m32(b, X86_RAX, X86_RCX, (int32_t)offsetof(struct JitJump, e));
    uint8_t *found = x86_jmp_rel32(b, b->p);
    /* not there: the block index of the page's JitPage if it is of this
     * generation (rsi = the key), remembered when it holds a block */
    x86_land_rel8(b, miss);
    x86_mov_r32_m32(b, X86_RDI, X86_RDX, DPOFF(jit_gen));
    x86_mov_r64_imm64(b, X86_RAX, (uint64_t)(uintptr_t)&j->gen);
    x86_mov_r32_m32(b, X86_RAX, X86_RAX, 0);
    x86_alu_rr(b, X86_CMP, false, X86_RDI, X86_RAX);
    disp_leave(o, X86_CC_NE, leave);
    x86_mov_r64_m64(b, X86_RDX, X86_RDX, DPOFF(jit));
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, OFF(pc));
    x86_alu_ri(b, X86_AND, false, X86_RAX, (INSNS_PER_PAGE - 1) << 2);
    x86_load_bi(b, 4, false, false, X86_RAX, X86_RDX, X86_RAX, 0);      /* e[slot] */
    x86_test_r32_r32(b, X86_RAX, X86_RAX);
    disp_leave(o, X86_CC_E, leave);
    x86_mov_m64_r64(b, X86_RCX, (int32_t)offsetof(struct JitJump, key), X86_RSI);
    x86_mov_m32_r32(b, X86_RCX, (int32_t)offsetof(struct JitJump, e), X86_RAX);
    if (found)
        x86_patch_rel32(found, found, b->p);
    /* eax = the entry: its instruction count within the budget (as
     * chain_jump), then the block */
    x86_mov_r32_r32(b, X86_RSI, X86_RAX);
    x86_shift_ri(b, X86_SHR, false, X86_RSI, JIT_ENTRY_OFF_BITS);       /* count - 1 */
    x86_cmp_r64_m64(b, X86_RSI, X86_RBX, OFF(budget));
    disp_leave(o, X86_CC_GE, leave);
    emit_entry_block(j, b);
    x86_ret(b);
    disp_tails(o);
}

/* Starts the next piece of shared code at a 16-byte boundary; returns its
 * offset. */
static uint32_t stub_start(const Jit *j, X86Buf *b)
{
    size_t at = (size_t)(b->p - j->rw);
    while (at & 15) {
        if (b->p < b->end)
            *b->p++ = 0xcc;      /* int3: never executed */
        at++;
    }
    return (uint32_t)at;
}

bool jit_emit_stubs(Jit *j)
{
    X86Buf bb, *b = &bb;
    jit_buf_at(j, b, j->used, 4096);

    j->enter = stub_start(j, b);
    emit_prologue(b);
    x86_mov_r64_r64(b, X86_RBX, X86_RDI);
    x86_jmp_r64(b, X86_RSI);

    j->leave_jump = stub_start(j, b);
    x86_mov_r32_imm32(b, X86_RAX, EXEC_JUMP);
    uint8_t *lj = x86_jmp_rel32(b, b->p);
    j->leave_exit = stub_start(j, b);
    x86_mov_r32_imm32(b, X86_RAX, EXEC_EXIT);
    uint8_t *le = x86_jmp_rel32(b, b->p);
    j->leave_fetched = stub_start(j, b);
    x86_mov_r32_imm32(b, X86_RAX, JIT_FETCHED);
    uint8_t *lf = x86_jmp_rel32(b, b->p);
    j->leave_next = stub_start(j, b);
    x86_mov_r32_imm32(b, X86_RAX, EXEC_NEXT);
    j->leave = (uint32_t)(b->p - j->rw);
    emit_epilogue(b);
    if (lj)
        x86_patch_rel32(lj, lj, j->rw + j->leave);
    if (le)
        x86_patch_rel32(le, le, j->rw + j->leave);
    if (lf)
        x86_patch_rel32(lf, lf, j->rw + j->leave);

    /* called with rsp 16-byte aligned (a block's frame), so 8 off at entry */
    j->round_jump = stub_start(j, b);
    x86_alu_ri(b, X86_SUB, true, X86_RSP, 8);
    x86_mov_r64_r64(b, X86_RDI, X86_RBX);
    x86_call_abs(b, (const void *)jit_round_next);
    x86_alu_ri(b, X86_ADD, true, X86_RSP, 8);
    x86_test_r32_r32(b, X86_RAX, X86_RAX);
    uint8_t *stop = x86_jcc_rel8(b, X86_CC_E);
    x86_ret(b);
    x86_land_rel8(b, stop);
    emit_leave_by_ret(j, b, j->leave_jump);

    j->chain_next = stub_start(j, b);
    emit_chain_lookup(j, b, j->leave_next, false);
    j->chain_jump = stub_start(j, b);
    emit_chain_lookup(j, b, j->leave_jump, false);
    j->chain_next_site = stub_start(j, b);
    emit_chain_lookup(j, b, j->leave_next, true);
    j->chain_jump_site = stub_start(j, b);
    emit_chain_lookup(j, b, j->leave_jump, true);

    j->dispatch = stub_start(j, b);
    emit_dispatcher(j, b, false);
    j->dispatch_exit = stub_start(j, b);
    emit_dispatcher(j, b, true);
    if (b->overflow)
        return false;
    j->used = stub_start(j, b);
    j->first_block = (uint32_t)j->used;
    return true;
}
