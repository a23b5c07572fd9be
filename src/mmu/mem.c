/*
 * Slow paths of guest memory accesses: translation, TLB fill, the physical
 * bus (RAM, flash, MMIO), decoded-code invalidation and the exclusive
 * monitors' interaction with ordinary stores.
 */
#include "mmu/mem.h"

#include <stdlib.h>

#include "core/hooks.h"
#include "core/machine.h"
#include "cpu/exec.h"
#include "cpu/debug.h"
#include "jit/jit.h"
#include "mmu/mmu_internal.h"
#include "trace/trace.h"
#include "timing/cache.h"

/* ---- Physical bus --------------------------------------------------------- */

MemBlock *machine_find_mem(Machine *m, uint64_t pa, uint64_t len)
{
    if (pa - m->ram.base < m->ram.size && len <= m->ram.size - (pa - m->ram.base))
        return &m->ram;
    if (m->flash.host && pa - m->flash.base < m->flash.size &&
        len <= m->flash.size - (pa - m->flash.base))
        return &m->flash;
    for (unsigned i = 0; i < m->nxram; i++) {   /* embedder RAM (a83_ram_map) */
        MemBlock *b = &m->xram[i];
        if (pa - b->base < b->size && len <= b->size - (pa - b->base))
            return b;
    }
    return NULL;
}

uint8_t *phys_host_ptr(Machine *m, uint64_t pa, uint64_t len)
{
    MemBlock *b = machine_find_mem(m, pa, len);
    return b ? b->host + (pa - b->base) : NULL;
}

static inline uint64_t load_le(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline void store_le(uint8_t *p, unsigned size, uint64_t val)
{
    switch (size) {
    case 1: *p = (uint8_t)val; break;
    case 2: { uint16_t v = (uint16_t)val; memcpy(p, &v, 2); break; }
    case 4: { uint32_t v = (uint32_t)val; memcpy(p, &v, 4); break; }
    default: memcpy(p, &val, 8); break;
    }
}

bool phys_read(CPUState *c, uint64_t pa, unsigned size, uint64_t *val)
{
    Machine *m = c->m;
    MemBlock *b = machine_find_mem(m, pa, size);
    if (b) {
        *val = load_le(b->host + (pa - b->base), size);
        return true;
    }
    const MMIORegion *r = machine_find_mmio(m, pa);
    if (r && pa + size - r->base <= r->size && r->read) {
        machine_sched_dirty(m);   /* a device may change state on a read */
        bool ok = r->read(r->opaque, c, pa - r->base, size, val);
        c->cycles += m->timing.mmio_access;   /* after: the device saw the access's start time */
        return ok;
    }
    return false;
}

/*
 * Exclusive monitors and the write fast path. Only one CPU runs at a time,
 * so the only stores that can clear a CPU's monitor (Arm ARM B2.9.5) while
 * it runs are those of observers that are not PEs (devices, the debugger,
 * the loader: mem_code_written() checks every monitor). Stores of the other
 * PEs happen while it does not run; so a monitor's page is flagged PF_EXCL
 * - its write fast path dropped on every CPU - only when its CPU stops
 * running with the monitor held (mem_monitor_publish(), at the end of
 * cpu_exec(); never with one CPU), and the other PEs' stores to it take
 * phys_write(), which clears the monitor. The flag is dropped here, by the
 * first write to the page that finds no CPU's monitor on it any more (they
 * are cleared by CLREX, store exclusives, exception returns and stores
 * without touching the flags), unless the page was flagged PF_EXCL_STICKY
 * times: every flagging costs mem_unfast_page() a scan of every CPU's TLBs,
 * and a page with a lock that CPUs wait on with LDXR + WFE would cost one
 * per wait. Host-side only: the flags decide which path a write takes,
 * never what it does. The host TLB entries that were made slow for the
 * flag get their fast tag back lazily (TLB_FLAG_PAGE).
 */
void mem_monitor_publish(CPUState *c)
{
    Machine *m = c->m;
    if (!c->excl_valid || m->ncpus < 2)
        return;
    MemBlock *b = machine_find_mem(m, c->excl_pa, c->excl_size);
    if (!b)
        return;
    uint8_t *pf = &b->pflags[(c->excl_pa - b->base) >> PAGE_BITS];
    if (*pf & PF_EXCL)
        return;
    if ((*pf & PF_EXCL_COUNT) != PF_EXCL_STICKY)
        *pf = (uint8_t)(*pf + (1 << PF_EXCL_COUNT_SHIFT));
    *pf |= PF_EXCL;
    mem_unfast_page(m, c->excl_pa & PAGE_MASK);
}

/* Clears the monitor of every CPU but `except` (NULL: none) that covers
 * [pa, pa+len). Clearing the global monitor of a PE is a WFE wake-up event
 * for it (Arm ARM D1.16.1): the LDXR + WFE wait idiom relies on it. */
static void clear_monitors(Machine *m, const CPUState *except, uint64_t pa, uint64_t len)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *o = m->cpu[i];
        if (o != except && o->excl_valid && o->excl_pa < pa + len && pa < o->excl_pa + o->excl_size) {
            o->excl_valid = false;
            machine_set_event_reg(o, true);
        }
    }
}

static void excl_page_recheck(Machine *m, MemBlock *b, uint64_t pg)
{
    uint8_t f = b->pflags[pg];
    if (!(f & PF_EXCL) || (f & PF_EXCL_COUNT) == PF_EXCL_STICKY)
        return;
    uint64_t lo = b->base + (pg << PAGE_BITS);
    for (unsigned i = 0; i < m->ncpus; i++) {
        const CPUState *o = m->cpu[i];
        if (o->excl_valid && o->excl_pa - lo < PAGE_SIZE)
            return;
    }
    b->pflags[pg] = (uint8_t)(f & ~PF_EXCL);
}

void mem_code_written(Machine *m, uint64_t pa, uint64_t len)
{
    if (!len)
        return;
    /* Arm ARM B2.9.5: a store to a monitored location by another observer
     * (a device, the debugger, or a write whose page holds code) clears the
     * monitor. Every CPU is checked: while a CPU runs, its own monitor's
     * page is not flagged (mem_monitor_publish()). */
    clear_monitors(m, NULL, pa, len);
    MemBlock *b = machine_find_mem(m, pa, len);
    if (!b)
        return;
    uint64_t off = pa - b->base, end = off + len;
    for (uint64_t pg = off >> PAGE_BITS; pg <= (end - 1) >> PAGE_BITS; pg++) {
        uint8_t f = b->pflags[pg] & PF_WRITE_SLOW;
        if (!f)
            continue;
        b->pflags[pg] &= (uint8_t)~PF_ZERO;
        if (f & PF_EXCL)
            excl_page_recheck(m, b, pg);
        if ((f & PF_CODE) && b->dpages[pg]) {
            DecodePage *dp = b->dpages[pg];
            uint64_t lo = pg << PAGE_BITS, hi = lo + PAGE_SIZE;
            uint64_t s = off > lo ? off : lo, e = end < hi ? end : hi;
            bool hit = false;
            for (uint64_t a = s & ~3ull; a < e; a += 4)
                hit |= exec_reset_slot(dp, (unsigned)((a - lo) >> 2));
            /* the blocks holding those entries go with them (a block's
             * entries are decoded while it lives) */
            if (hit && m->jit)
                jit_page_invalidate(m->jit, dp, (unsigned)((s - lo) >> 2), (unsigned)((e - lo + 3) >> 2));
            /* Nothing decoded is left (a page that held code and now holds
             * data, e.g. freed init code or a reused page cache page): its
             * writes take the fast path again (the CPUs' entries get their
             * fast tag back lazily, TLB_FLAG_PAGE) until an instruction is
             * decoded here again (mem_page_decoding()). */
            if (!dp->ndecoded)
                b->pflags[pg] &= (uint8_t)~PF_CODE;
        }
    }
}

void mem_clear_monitors(Machine *m, uint64_t pa, uint64_t len)
{
    clear_monitors(m, NULL, pa, len);
}

void mem_clear_exclusive_others(CPUState *c, uint64_t pa, unsigned size)
{
    clear_monitors(c->m, c, pa, size);
}

bool phys_write(CPUState *c, uint64_t pa, unsigned size, uint64_t val)
{
    Machine *m = c->m;
    MemBlock *b = machine_find_mem(m, pa, size);
    if (b) {
        if (b->readonly)
            return false;
        uint64_t off = pa - b->base;
        store_le(b->host + off, size, val);
        uint64_t pg = off >> PAGE_BITS, pg_last = (off + size - 1) >> PAGE_BITS;
        uint8_t f = (b->pflags[pg] | b->pflags[pg_last]) & PF_WRITE_SLOW;
        if (f) {
            if (f & PF_ZERO) {
                b->pflags[pg] &= (uint8_t)~PF_ZERO;
                b->pflags[pg_last] &= (uint8_t)~PF_ZERO;
            }
            if (f & PF_EXCL) {
                mem_clear_exclusive_others(c, pa, size);
                excl_page_recheck(m, b, pg);
                if (pg_last != pg)
                    excl_page_recheck(m, b, pg_last);
            }
            if (f & PF_CODE)
                mem_code_written(m, pa, size);
        }
        return true;
    }
    const MMIORegion *r = machine_find_mmio(m, pa);
    if (r && pa + size - r->base <= r->size && r->write) {
        machine_sched_dirty(m);
        bool ok = r->write(r->opaque, c, pa - r->base, size, val);
        c->cycles += m->timing.mmio_access;   /* [memory] mmio_access, docs/timing.md */
        return ok;
    }
    return false;
}

a83_err machine_phys_write(Machine *m, uint64_t pa, const void *buf, size_t len)
{
    MemBlock *b = machine_find_mem(m, pa, len);
    if (!b)
        return A83_ERR_UNMAPPED;
    memcpy(b->host + (pa - b->base), buf, len);
    mem_code_written(m, pa, len);
    return A83_OK;
}

/* ---- TLB (invalidation is in tlb.c) -------------------------------------- */

void mem_page_decoding(Machine *m, DecodePage *dp)
{
    MemBlock *b = machine_find_mem(m, dp->pa, PAGE_SIZE);
    if (!b)
        return;
    uint64_t pg = (dp->pa - b->base) >> PAGE_BITS;
    if (!(b->pflags[pg] & PF_CODE)) {
        b->pflags[pg] |= PF_CODE;
        mem_unfast_page(m, dp->pa);
    }
}

void mem_unfast_page(Machine *m, uint64_t pa_page)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *o = m->cpu[i];
        /* sets with nothing filled since their last flush hold no valid
         * entry (CPUState.tlb_used); the EL1&0 spare is scanned too */
        for (unsigned used = o->tlb_used & ((1u << TLB_SETS) - 1); used; used &= used - 1) {
            TLBEntry *t = o->tlbs[__builtin_ctz(used)];
            for (unsigned k = 0; k < TLB_SIZE; k++)
                if (tlb_pa_page(&t[k]) == pa_page)
                    t[k].tag_w = ~0ull;
        }
    }
}

static _Noreturn void raise_simple(CPUState *c, uint64_t va, FaultType t, unsigned acc,
                                   unsigned size, uint32_t flags)
{
    FaultRecord fr = { .type = t, .write = acc == ACC_WRITE, .cm = (flags & MEMF_CM) != 0 };
    mmu_raise_abort(c, va, &fr, acc, size, flags);
}

/* Watchpoints (cpu/debug.c), checked after the translation: stage 1 and
 * stage 2 faults of the access take priority. LDTR/STTR (an EL0 mmuidx at
 * EL1/EL2) are matched as EL0 accesses. */
static void mem_debug_watch(CPUState *c, uint64_t va, unsigned acc, unsigned size,
                            uint32_t flags, unsigned idx)
{
    if (acc == ACC_READ || acc == ACC_WRITE)
        debug_check_watchpoint(c, va, size, acc == ACC_WRITE, (flags & MEMF_CM) != 0,
                               idx == MMUIDX_E10_0 || idx == MMUIDX_E20_0);
}

/* Whether a host TLB entry for RAM block b (NULL: MMIO) may take the inline
 * fast path, page flags aside. RAM is fast even as Device memory when the
 * context checks alignment anyway (strict_align covers the MMU-off case);
 * with Tarmac tracing every access takes the slow path, which records it. */
static bool fill_fast_ok(CPUState *c, const MemBlock *b, uint32_t attrs, uint64_t vpage)
{
    return b && !c->m->slow_path && (!(attrs & MATTR_DEVICE) || c->strict_align) &&
           !(unlikely(c->dbg_wp) && debug_page_watched(c, vpage));
}

/* A write hit an entry that was slow only for its page's flags
 * (TLB_FLAG_PAGE): once they are clear, the entry gets the fast tag, under
 * the same conditions as a fill now. */
static void refast_write_tag(CPUState *c, TLBEntry *e, uint64_t vpage)
{
    uint64_t pa_page = tlb_pa_page(e);
    const MemBlock *b = machine_find_mem(c->m, pa_page, PAGE_SIZE);
    if (!b || (b->pflags[(pa_page - b->base) >> PAGE_BITS] & PF_WRITE_SLOW))
        return;
    e->tag_w = fill_fast_ok(c, b, tlb_attrs(e), vpage) && !b->readonly ? vpage : vpage | TLB_FLAG_SLOW;
}

/* The host TLB entry of context idx for the page of va. */
static inline TLBEntry *ctx_entry(CPUState *c, unsigned idx, uint64_t va)
{
    return &c->tlbs[c->tlb_set[idx]][(va >> PAGE_BITS) & (TLB_SIZE - 1)];
}

/* A host entry e of context idx, for the page of va, that TLB_FLAG_MODEL
 * marks (the model's L1 dropped the page since): asks the model again,
 * with the walk the entry recorded (the translation is unchanged: every
 * TLBI or register write that could change it dropped the host entry), and
 * clears the flag of both tags. */
static void model_refresh(CPUState *c, unsigned idx, uint64_t va, TLBEntry *e)
{
    mmu_model_charge(c, idx, va, TLBM_SIDE_D, true, tlb_attrs(e), tlb_fetches(e));
    if (e->tag_r != ~0ull)
        e->tag_r &= ~(uint64_t)TLB_FLAG_MODEL;
    if (e->tag_w != ~0ull)
        e->tag_w &= ~(uint64_t)TLB_FLAG_MODEL;
}

bool mem_model_refresh(CPUState *c, uint64_t va, const TLBEntry *hit, uint32_t flags, unsigned acc)
{
    if (unlikely(c->m->slow_path || c->dbg_wp))
        return false;
    unsigned idx = mem_access_mmuidx(c, flags);
    TLBEntry *e = ctx_entry(c, idx, va);
    uint64_t tag = acc == ACC_WRITE ? e->tag_w : e->tag_r;
    if (e != hit || tag != ((va & PAGE_MASK) | TLB_FLAG_MODEL))
        return false;
    c->tlb_used |= 1u << c->tlb_set[idx];
    model_refresh(c, idx, va, e);
    return true;
}

/*
 * Translates, raising on a fault, and fills the TLB entry of the context.
 * A RAM page gets a fast-path tag (host addend) for each access kind the
 * translation permits; other pages (MMIO, Device RAM outside strict
 * alignment, pages with code or an exclusive monitor for writes) get the
 * tag with TLB_FLAG_SLOW, which the inline path misses but this function
 * recognises, so their accesses need no walk either. A host miss walks the
 * tables and asks the TLB model what that costs (mmu_translate_charged());
 * the host entry is filled after the model's L1 D holds the page, which
 * keeps "host hit => model L1 hit" (docs/timing.md "TLB model").
 */
static uint64_t translate_and_fill(CPUState *c, uint64_t va, unsigned acc, unsigned size,
                                   uint32_t flags, uint32_t *attrs)
{
    unsigned idx = mem_access_mmuidx(c, flags);
    TLBEntry *e = ctx_entry(c, idx, va);
    c->tlb_used |= 1u << c->tlb_set[idx];
    uint64_t vpage = va & PAGE_MASK;
    uint64_t tag = acc == ACC_WRITE ? e->tag_w : e->tag_r;
    if ((tag & ~(uint64_t)TLB_FLAGS) == vpage) {
        if (tag & TLB_FLAG_MODEL)
            model_refresh(c, idx, va, e);
        if (unlikely(tag & TLB_FLAG_PAGE) && acc == ACC_WRITE)
            refast_write_tag(c, e, vpage);
        *attrs = tlb_attrs(e);
        if (unlikely(c->dbg_wp))
            mem_debug_watch(c, va, acc, size, flags, idx);
        return tlb_pa_page(e) | (va & (PAGE_SIZE - 1));
    }
    AddressDescriptor ad;
    FaultRecord fr;
    unsigned fetches;
    if (!mmu_translate_charged(c, va, idx, acc, TLBM_SIDE_D, &ad, &fr, &fetches))
        mmu_raise_abort(c, va, &fr, acc, size, flags);
    *attrs = ad.attrs;
    if (unlikely(c->host_tlb_limited) &&
        ((va >> PAGE_BITS) & (TLB_SIZE - 1)) >= c->host_tlb_slots)
        return ad.pa;   /* debug option: this host slot stays empty */
    uint64_t pa_page = ad.pa & PAGE_MASK;
    MemBlock *b = machine_find_mem(c->m, pa_page, PAGE_SIZE);
    uint64_t info = tlb_info(pa_page, ad.attrs, fetches);
    if (e->info != info || ((e->tag_r & ~(uint64_t)TLB_FLAGS) != vpage &&
                            (e->tag_w & ~(uint64_t)TLB_FLAGS) != vpage))
        e->tag_r = e->tag_w = ~0ull;
    /* The other access kind's tag may still carry TLB_FLAG_MODEL: the
     * model holds the page again now. */
    if (e->tag_r != ~0ull)
        e->tag_r &= ~(uint64_t)TLB_FLAG_MODEL;
    if (e->tag_w != ~0ull)
        e->tag_w &= ~(uint64_t)TLB_FLAG_MODEL;
    e->info = info;
    bool fast = fill_fast_ok(c, b, ad.attrs, vpage);
    e->addend = b ? (uintptr_t)(b->host + (pa_page - b->base)) - vpage : 0;
    if (!(ad.attrs & MATTR_NOREAD))
        e->tag_r = fast ? vpage : vpage | TLB_FLAG_SLOW;
    if (!(ad.attrs & MATTR_NOWRITE)) {
        if (!fast || b->readonly)
            e->tag_w = vpage | TLB_FLAG_SLOW;
        else if (b->pflags[(pa_page - b->base) >> PAGE_BITS] & PF_WRITE_SLOW)
            e->tag_w = vpage | TLB_FLAG_SLOW | TLB_FLAG_PAGE;
        else
            e->tag_w = vpage;
    }
    mmu_tlb_note_fill(c, idx, va, ad.attrs, false);
    if (unlikely(c->dbg_wp))
        mem_debug_watch(c, va, acc, size, flags, idx);
    return ad.pa;
}

uint64_t mem_translate_fill(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags,
                           uint32_t *attrs)
{
    if (((flags & MEMF_ALIGN) || c->strict_align) && (va & (size - 1)))
        raise_simple(c, va, FAULT_ALIGNMENT, acc, size, flags);
    return translate_and_fill(c, va, acc, size, flags, attrs);
}

uint64_t mem_translate(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags)
{
    if (((flags & MEMF_ALIGN) || c->strict_align) && (va & (size - 1)))
        raise_simple(c, va, FAULT_ALIGNMENT, acc, size, flags);
    uint32_t attrs;
    return translate_and_fill(c, va, acc, size, flags, &attrs);
}

uint64_t mem_read_slow(CPUState *c, uint64_t va, unsigned size, uint32_t flags)
{
    bool misaligned = (va & (size - 1)) != 0;
    if (misaligned && (c->strict_align || (flags & MEMF_ALIGN)))
        raise_simple(c, va, FAULT_ALIGNMENT, ACC_READ, size, flags);
    if ((va & (PAGE_SIZE - 1)) + size > PAGE_SIZE) {
        /* Crosses a page: translate both pages first so a fault on either
         * is taken before anything is read. */
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= mem_read_slow(c, va + i, 1, flags & ~MEMF_EXCL) << (8 * i);
        return v;
    }
    uint32_t attrs;
    uint64_t pa = translate_and_fill(c, va, ACC_READ, size, flags, &attrs);
    if (misaligned && (attrs & MATTR_DEVICE))
        raise_simple(c, va, FAULT_ALIGNMENT, ACC_READ, size, flags);
    uint64_t val;
    if (!phys_read(c, pa, size, &val))
        raise_simple(c, va, FAULT_SYNCEXT, ACC_READ, size, flags);
    if (unlikely(c->m->slow_path))
        mem_observe(c, va, pa, size, val, false);
    if (flags & MEMF_EXCL) {
        /* Arm ARM B2.9: LDXR marks the address in the local monitor.
         * Its page is flagged PF_EXCL only if the monitor is still held
         * when the CPU stops running (mem_monitor_publish()). */
        c->excl_valid = true;
        c->excl_pa = pa;
        c->excl_va = va;
        c->excl_size = size;
    }
    return val;
}

void mem_write_slow(CPUState *c, uint64_t va, unsigned size, uint64_t val, uint32_t flags)
{
    bool misaligned = (va & (size - 1)) != 0;
    if (misaligned && (c->strict_align || (flags & MEMF_ALIGN)))
        raise_simple(c, va, FAULT_ALIGNMENT, ACC_WRITE, size, flags);
    if ((va & (PAGE_SIZE - 1)) + size > PAGE_SIZE) {
        /* Probe both pages first so that a fault leaves memory unchanged. */
        uint32_t attrs;
        uint64_t last = va + size - 1;
        translate_and_fill(c, va, ACC_WRITE, 1, flags, &attrs);
        translate_and_fill(c, last, ACC_WRITE, 1, flags, &attrs);
        for (unsigned i = 0; i < size; i++)
            mem_write_slow(c, va + i, 1, val >> (8 * i), flags & ~MEMF_EXCL);
        return;
    }
    uint32_t attrs;
    uint64_t pa = translate_and_fill(c, va, ACC_WRITE, size, flags, &attrs);
    if (misaligned && (attrs & MATTR_DEVICE))
        raise_simple(c, va, FAULT_ALIGNMENT, ACC_WRITE, size, flags);
    if (!phys_write(c, pa, size, val))
        raise_simple(c, va, FAULT_SYNCEXT, ACC_WRITE, size, flags);
    if (unlikely(c->m->slow_path))
        mem_observe(c, va, pa, size, val, true);
}

void mem_observe(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write)
{
    if (c->m->tarmac_on)
        tarmac_mem(c, va, pa, size, val, write);
    if (c->m->cache_on)
        c->cycles += cache_access(c->m, c->index, pa, size, false);
    if (c->m->hook_mask & (HOOKBIT(A83_HOOK_MEM_READ) | HOOKBIT(A83_HOOK_MEM_WRITE)))
        hooks_mem(c, va, pa, size, val, write);
}

/* ---- Instruction fetch ------------------------------------------------------ */

DecodePage *mem_fetch_page(CPUState *c, uint64_t va)
{
    ITLBEntry *ie = cpu_itlb_entry(c, va);
    if (ie->tag == (va & PAGE_MASK))
        return ie->page;
    if (itlb_holds(ie, va)) {
        /* TLB_FLAG_MODEL: the model's L1 I dropped the page since. As for
         * data (translate_and_fill()): ask the model again with the walk
         * the entry recorded; the translation is unchanged (every TLBI or
         * register write that could change it dropped the entry). */
        mmu_model_charge(c, c->cur_mmuidx, va, TLBM_SIDE_I, true, ie->attrs, ie->fetches);
        ie->tag &= ~(uint64_t)TLB_FLAG_MODEL;
        return ie->page;
    }
    AddressDescriptor ad;
    FaultRecord fr;
    unsigned fetches;
    if (!mmu_translate_charged(c, va, c->cur_mmuidx, ACC_EXEC, TLBM_SIDE_I, &ad, &fr, &fetches))
        mmu_raise_abort(c, va, &fr, ACC_EXEC, 4, 0);
    uint64_t pa_page = ad.pa & PAGE_MASK;
    MemBlock *b = machine_find_mem(c->m, pa_page, PAGE_SIZE);
    if (!b) {
        /* Execution from MMIO or unmapped space: synchronous external
         * abort on instruction fetch. */
        FaultRecord x = { .type = FAULT_SYNCEXT };
        mmu_raise_abort(c, va, &x, ACC_EXEC, 4, 0);
    }
    uint64_t pg = (pa_page - b->base) >> PAGE_BITS;
    DecodePage *dp = b->dpages[pg];
    if (!dp) {
        dp = malloc(sizeof *dp);
        if (!dp) {
            FaultRecord x = { .type = FAULT_SYNCEXT };
            mmu_raise_abort(c, va, &x, ACC_EXEC, 4, 0);
        }
        for (unsigned i = 0; i < INSNS_PER_PAGE; i++)
            exec_reset_entry(&dp->e[i]);
        dp->pa = pa_page;
        dp->host = b->host + (pa_page - b->base);
        dp->jit = NULL;
        dp->jit_gen = 0;
        dp->ndecoded = 0;
        b->dpages[pg] = dp;
    }
    /* PF_CODE is set by the first decode in the page (mem_page_decoding()),
     * before anything decoded exists there to go stale */
    /* The iTLB entry is filled after the model's L1 I holds the page:
     * an iTLB hit (here or in the execute loop's chaining) is a model hit. */
    if (unlikely(c->host_tlb_limited) &&
        ((va >> PAGE_BITS) & (TLB_SIZE - 1)) >= c->host_tlb_slots)
        return dp;      /* debug option: this host slot stays empty */
    ie->tag = va & PAGE_MASK;
    c->tlb_used |= 1u << c->tlb_set[c->cur_mmuidx];
    ie->page = dp;
    ie->attrs = ad.attrs;
    ie->fetches = fetches;
    mmu_tlb_note_fill(c, c->cur_mmuidx, va, ad.attrs, true);
    return dp;
}
