/*
 * The execute loop.
 *
 * Each 4 KiB physical page of code has a DecodePage whose entries start as
 * the lazy-decode stub. The first execution of a location decodes it (from
 * the declarative tables, decode.c) and caches handler, raw word and static
 * cost; later executions dispatch straight to the handler. Stores to a page
 * holding code reset the entries they cover (mem.c), so self-modifying code
 * is seen at the next execution of the written location.
 *
 * Sequential instructions in one page need no TLB lookup: the loop walks the
 * entry array. A branch within the translation context (EXEC_JUMP) stays in
 * the inner loop, chaining to another page through an iTLB hit. A page end,
 * an iTLB miss, an exception, a pending interrupt line or an exit request
 * goes back to the outer loop, which takes pending interrupts and looks the
 * PC up again through the iTLB (walking the tables on a miss).
 */
#include "cpu/exec.h"

#include "core/hooks.h"
#include "core/machine.h"
#include "cpu/debug.h"
#include "cpu/decode.h"
#include "cpu/exception.h"
#include "jit/jit.h"
#include "mmu/mem.h"
#include "timing/timing.h"
#include "timing/cache.h"
#include "trace/trace.h"

static void decode_into(CPUState *c, DecodePage *dp, unsigned idx)
{
    /* the page's first decoded entry (since its last one was written):
     * writes to it go through mem_code_written() again, from now on, before
     * the bytes are read */
    if (dp->ndecoded++ == 0)
        mem_page_decoding(c->m, dp);
    uint32_t insn;
    memcpy(&insn, dp->host + idx * 4, 4);
    const DecodePattern *p = decoder_lookup(c->m->dec, insn);
    DecodedInsn *d = &dp->e[idx];
    d->insn = insn;
    if (p) {
        d->fn = p->fn;
        d->cls = p->cls;
    } else {
        d->fn = a64_unallocated;
        d->cls = CLS_UNDEF;
    }
    d->cost = timing_class_cost(c->m, d->cls);
}

static int exec_decode_stub(CPUState *c, uint32_t unused)
{
    (void)unused;
    DecodePage *dp = c->cur_page;
    unsigned idx = (unsigned)((c->pc >> 2) & (INSNS_PER_PAGE - 1));
    decode_into(c, dp, idx);
    DecodedInsn *d = &dp->e[idx];
    c->cycles += d->cost;
    return d->fn(c, d->insn);
}

void exec_decode_entry(CPUState *c, DecodePage *dp, unsigned idx)
{
    if (dp->e[idx].fn == exec_decode_stub)
        decode_into(c, dp, idx);
}

void exec_reset_entry(DecodedInsn *d)
{
    d->fn = exec_decode_stub;
    d->insn = 0;
    d->cost = 0;
    d->cls = CLS__COUNT;
}

bool exec_reset_slot(DecodePage *dp, unsigned idx)
{
    DecodedInsn *d = &dp->e[idx];
    if (d->fn == exec_decode_stub)
        return false;
    exec_reset_entry(d);
    dp->ndecoded--;
    return true;
}

int a64_unallocated(CPUState *c, uint32_t insn)
{
    (void)insn;
    cpu_undefined(c);
}

static _Noreturn void raise_pc_alignment(CPUState *c)
{
    /* Arm ARM D1.10.4: PC alignment fault, EC 0x22, FAR = PC. */
    ExceptionRecord e = { .ec = EC_PC_ALIGN, .il = true, .far_valid = true, .far = c->pc };
    cpu_raise_sync(c, cpu_default_target_el(c), &e);
}

/*
 * The inner loop over one decoded page, in its own function so that the
 * setjmp() in cpu_exec() does not force its state into memory. Returns when
 * the PC leaves the page, the budget is used up, an exit is requested, or a
 * handler returned EXEC_EXIT. A branch that stays in the same page (and the
 * same translation context: EXEC_JUMP) continues here without a lookup.
 * Returns true when it stopped inside a block: the budget ran out after an
 * instruction that returned EXEC_NEXT, not at a page end, no exit requested
 * (every other return is a block end, where the caller compares the clock
 * with cycle_limit).
 * Aligned to a cache line so that the loop's placement (and with it the
 * host's branch and uop-cache behaviour) does not move whenever code
 * linked before it changes size: without it, growing decode.c moved this
 * function by 32 bytes and the integer loop ran 15% slower.
 */
static __attribute__((noinline, aligned(64))) bool exec_page(CPUState *c, DecodePage *dp, DecodedInsn *d)
{
    /* The budget and the PC are kept in registers as well as in c: the
     * stores before each handler call keep c exact for handlers (cpu_insns(),
     * exception entry, which longjmps out of here), and the local copies
     * save reloading them after the call. No handler changes the budget,
     * and a handler returning EXEC_NEXT leaves the PC alone (cpu.h). */
    int64_t budget = c->budget;
    uint64_t pc = c->pc;
    for (;;) {
        c->cycles += d->cost;
        c->budget = --budget;     /* retired instructions: see cpu_insns() */
        int r = d->fn(c, d->insn);
        if (likely(r == EXEC_NEXT)) {
            pc += 4;
            c->pc = pc;
            if (unlikely(!(pc & (PAGE_SIZE - 1))))
                return false;
            d++;
            if (unlikely(budget <= 0 || c->exit_req))
                return !c->exit_req;
            continue;
        } else if (r == EXEC_JUMP) {
            pc = c->pc;
            if (unlikely(pc & 3) || unlikely(c->cycles >= c->cycle_limit))
                return false;   /* the end of a block is where a round may end */
            if ((pc ^ c->cur_va) & PAGE_MASK) {
                /* Direct chaining to another page through the iTLB. The
                 * outer loop would do nothing else here: no interrupt line
                 * is up that cpu_check_interrupts() has not found masked
                 * (cpu_irq_maybe(); a change of the lines sets exit_req,
                 * checked below), PSTATE.IL is only set by ERET (EXEC_EXIT), and
                 * EXEC_JUMP keeps the translation context. An iTLB miss
                 * goes back to the outer loop for the walk. */
                const ITLBEntry *ie = cpu_itlb_entry(c, pc);
                if (ie->tag != (pc & PAGE_MASK) || cpu_irq_maybe(c))
                    return false;
                dp = ie->page;
                c->cur_page = dp;
                c->cur_va = pc & PAGE_MASK;
            }
            d = &dp->e[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        } else {
            return false;
        }
        if (unlikely(budget <= 0 || c->exit_req))
            return false;
    }
}

uint64_t cpu_exec(CPUState *c)
{
    cpu_commit_insns(c);
    uint64_t start = c->insns;
    c->in_run = true;
    if (unlikely(c->m->trace_active))
        trace_mode_sync(c);     /* woken from WFI/WFE: idle time ends */
    if (setjmp(c->jmp))     /* a synchronous exception lands here, state updated */
        c->in_block = false;
    /* Is the last instruction boundary a block end (where the clock is
     * compared with cycle_limit)? An exception entry is; the entry is unless
     * the scheduler resumes a run split inside a block (c->in_block). The
     * fast paths (exec_page(), the translator) come back here at block ends
     * and when the budget runs out (exec_page() tells which); the observed
     * mode below executes one instruction per pass and sets this as
     * exec_page() would have returned, so hooks, Tarmac or a debugger never
     * move the end of a round (docs/embedding.md "Time"), and a split run
     * goes on exactly as the unsplit one (docs/snapshots.md "Split runs"). */
    bool block_end = !c->in_block;
    for (;;) {
        cpu_commit_insns(c);
        uint8_t er = c->exit_req;
        if (er) {
            if (er & EXIT_SCHED)
                break;
            /* clear only what was seen: a concurrent a83_request_stop()
             * (another thread) must not be lost */
            __atomic_fetch_and(&c->exit_req, (uint8_t)~er, __ATOMIC_SEQ_CST);
        }
        if (unlikely(cpu_irq_maybe(c)))
            cpu_check_interrupts(c);
        if (c->budget <= 0 || (block_end && c->cycles >= c->cycle_limit)) {
            /* the round's end: the scheduler may start the next round here
             * when ending this one would change nothing but the clocks */
            if (block_end && c->cycles >= c->cycle_limit && c->round_next && c->round_next(c))
                continue;
            break;
        }
        block_end = true;
        /* An exception taken on the fetch itself (illegal state, PC
         * alignment, instruction abort) executes no instruction, but it uses
         * one slot of the budget and counts as one in cpu_insns(): a guest
         * whose vectors fault forever still ends its time slice and meets
         * --max-insns instead of spinning here. */
        c->budget--;
        if (unlikely(c->dbg_exec))
            debug_check_step(c);    /* Software Step: highest priority (D2.12) */
        if (unlikely(c->il)) {
            /* Arm ARM D1.11.4: PSTATE.IL set by an illegal exception return
             * makes the next instruction take the Illegal State exception. */
            ExceptionRecord e = { .ec = EC_ILLEGAL_STATE, .il = true };
            cpu_raise_sync(c, cpu_default_target_el(c), &e);
        }
        if (unlikely(c->pc & 3))
            raise_pc_alignment(c);
        DecodePage *dp = mem_fetch_page(c, c->pc);
        if (unlikely(c->dbg_exec))
            debug_check_breakpoint(c);  /* after the fetch's Instruction Abort */
        c->budget++;
        c->cur_page = dp;
        c->cur_va = c->pc & PAGE_MASK;
        DecodedInsn *d = &dp->e[(c->pc >> 2) & (INSNS_PER_PAGE - 1)];
        if (unlikely(c->m->slow_path || c->dbg_exec)) {
            /* Tarmac, the cache model or armed debug (cpu/debug.c): one
             * instruction at a time, its fetch and accesses observed
             * (trace/tarmac.c, timing/cache.c). */
            bool tarmac = c->m->tarmac_on;
            if (unlikely(c->m->hook_mask & (HOOKBIT(A83_HOOK_CODE) | HOOKBIT(A83_HOOK_BLOCK)))) {
                /* Embedder code/block hooks (core/hooks.c), before the
                 * instruction: they may stop the run or move the PC. */
                uint64_t pc0 = c->pc;
                uint32_t w;
                memcpy(&w, dp->host + (pc0 & (PAGE_SIZE - 1)), 4);
                hooks_code(c, pc0, w, dp->pa | (pc0 & (PAGE_SIZE - 1)));
                if (c->pc != pc0 || (c->exit_req & EXIT_SCHED))
                    continue;
            }
            if (tarmac) {
                uint32_t w;
                memcpy(&w, dp->host + (c->pc & (PAGE_SIZE - 1)), 4);
                tarmac_before(c, w);
            }
            if (c->m->cache_on)
                c->cycles += cache_access(c->m, c->index, dp->pa | (c->pc & (PAGE_SIZE - 1)), 4, true);
            c->cycles += d->cost;
            c->budget--;
            c->ss_eret = 0;
            int r = d->fn(c, d->insn);
            if (r == EXEC_NEXT)
                c->pc += 4;
            /* exec_page()'s returns: a jump or exit, a page end, an exit
             * request (its jump-chaining returns all look at the clock) */
            block_end = r != EXEC_NEXT || !(c->pc & (PAGE_SIZE - 1)) || c->exit_req;
            if (unlikely(c->dbg_exec))
                debug_after_insn(c, d->insn);   /* SSAdvance() */
            if (tarmac)
                tarmac_after(c);
            continue;
        }
        if (c->m->jit)
            block_end = !jit_exec_page(c, dp, d);   /* translated blocks (src/jit), same stop points */
        else
            block_end = !exec_page(c, dp, d);
    }
    c->in_block = !block_end;
    cpu_commit_insns(c);
    if (c->excl_valid)
        mem_monitor_publish(c);   /* other CPUs may run next (mmu/mem.c) */
    c->in_run = false;
    if (unlikely(c->m->trace_active))
        trace_mode_sync(c);     /* halted (WFI/WFE, PSCI standby): idle time starts */
    return c->insns - start;
}

DecodePage *exec_fetch_block_end(CPUState *c)
{
    if (c->exit_req || c->budget <= 0 || c->il || c->dbg_exec || c->m->slow_path)
        return NULL;
    c->budget--;        /* the fetch's slot, as in cpu_exec() */
    DecodePage *dp = mem_fetch_page(c, c->pc);
    c->budget++;
    c->cur_page = dp;
    c->cur_va = c->pc & PAGE_MASK;
    return dp;
}

void cpu_step(CPUState *c)
{
    cpu_commit_insns(c);
    int64_t saved = c->budget;
    uint64_t saved_limit = c->cycle_limit;
    cpu_set_budget(c, 1);
    c->cycle_limit = UINT64_MAX;
    c->in_block = false;
    cpu_exec(c);
    cpu_set_budget(c, saved);
    c->cycle_limit = saved_limit;
}

void exec_invalidate_all(Machine *m)
{
    MemBlock *blocks[2 + MAX_XRAM] = { &m->ram, &m->flash };
    unsigned nb = 2;
    jit_flush(m->jit);     /* blocks hold the entries' handlers and costs */
    for (unsigned i = 0; i < m->nxram; i++)
        blocks[nb++] = &m->xram[i];
    for (unsigned b = 0; b < nb; b++)
        for (uint64_t i = 0; blocks[b]->dpages && i < blocks[b]->size >> PAGE_BITS; i++)
            if (blocks[b]->dpages[i]) {
                for (unsigned k = 0; k < INSNS_PER_PAGE; k++)
                    exec_reset_entry(&blocks[b]->dpages[i]->e[k]);
                blocks[b]->dpages[i]->ndecoded = 0;   /* PF_CODE stays: harmless */
            }
}
