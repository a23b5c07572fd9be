/*
 * Invalidation of the software TLBs (one per translation context, see
 * cpu.h). The TLBs are not tagged by ASID or VMID; TLBI and register
 * changes drop whole contexts or the entries of one VA. Over-invalidation
 * is always architecturally allowed (Arm ARM D8.13), under-invalidation
 * never is: entries filled from blocks larger than 4 KiB are found through
 * per-context VA bounds and their recorded mapping size.
 */
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"

/* TLBI by VA compares VA[55:12] (the operand carries VA[55:12]; the top
 * byte of tagged addresses is not part of the translation). */
#define VA56 ((1ull << 56) - 1)

static void reset_bounds(CPUState *c, unsigned idx)
{
    c->tlb_big_lo[idx] = ~0ull;
    c->tlb_big_hi[idx] = 0;
}

void mmu_tlb_flush_ctx(CPUState *c, unsigned ctxmask)
{
    for (unsigned i = 0; i < MMUIDX__COUNT; i++)
        if (ctxmask & (1u << i)) {
            /* A context nothing was filled into since its last flush is
             * still all-invalid: skip the 64 KiB memset. */
            if (c->tlb_used & (1u << i)) {
                memset(c->tlbs[i], 0xff, sizeof c->tlbs[i]);
                memset(c->itlbs[i], 0xff, sizeof c->itlbs[i]);
            }
            reset_bounds(c, i);
        }
    c->tlb_used &= ~ctxmask;
}

void cpu_tlb_flush_all(CPUState *c)
{
    mmu_tlb_flush_ctx(c, (1u << MMUIDX__COUNT) - 1);
    mmu_snapshot_regs(c);
}

void mmu_tlb_note_fill(CPUState *c, unsigned idx, uint64_t va, unsigned lg_size)
{
    if (lg_size <= PAGE_BITS)
        return;
    uint64_t lo = va & VA56 & ~((1ull << lg_size) - 1);
    uint64_t hi = lo + ((1ull << lg_size) - 1);
    if (lo < c->tlb_big_lo[idx])
        c->tlb_big_lo[idx] = lo;
    if (hi > c->tlb_big_hi[idx])
        c->tlb_big_hi[idx] = hi;
}

static inline uint64_t tag_key(uint64_t tag) { return tag & VA56 & PAGE_MASK; }

static inline bool entry_valid_key(const TLBEntry *e, uint64_t *key)
{
    uint64_t t = e->tag_r != ~0ull ? e->tag_r : e->tag_w;
    if (t == ~0ull)
        return false;
    *key = tag_key(t);
    return true;
}

static inline void entry_kill(TLBEntry *e)
{
    e->tag_r = e->tag_w = ~0ull;
}

void mmu_tlb_flush_va(CPUState *c, unsigned ctxmask, uint64_t va)
{
    uint64_t k = va & VA56 & PAGE_MASK;
    unsigned slot = (unsigned)(va >> PAGE_BITS) & (TLB_SIZE - 1);
    for (unsigned i = 0; i < MMUIDX__COUNT; i++) {
        if (!(ctxmask & (1u << i)))
            continue;
        if (k >= c->tlb_big_lo[i] && k <= c->tlb_big_hi[i]) {
            /* Inside a block mapping some entry came from: drop every
             * entry whose mapping covers va, and the context's iTLB (its
             * entries do not record their mapping size). */
            for (unsigned j = 0; j < TLB_SIZE; j++) {
                TLBEntry *e = &c->tlbs[i][j];
                uint64_t ek;
                if (!entry_valid_key(e, &ek))
                    continue;
                unsigned lg = MATTR_LGSIZE(e->attrs);
                if (lg < PAGE_BITS)
                    lg = PAGE_BITS;
                if (!((ek ^ k) & ~((1ull << lg) - 1)))
                    entry_kill(e);
            }
            memset(c->itlbs[i], 0xff, sizeof c->itlbs[i]);
            continue;
        }
        TLBEntry *e = &c->tlbs[i][slot];
        uint64_t ek;
        if (entry_valid_key(e, &ek) && ek == k)
            entry_kill(e);
        ITLBEntry *ie = &c->itlbs[i][slot];
        if (ie->tag != ~0ull && tag_key(ie->tag) == k)
            ie->tag = ~0ull;
    }
}

void mmu_tlb_flush_nonglobal(CPUState *c, unsigned ctxmask)
{
    for (unsigned i = 0; i < MMUIDX__COUNT; i++) {
        if (!(ctxmask & (1u << i)))
            continue;
        for (unsigned j = 0; j < TLB_SIZE; j++)
            if (c->tlbs[i][j].attrs & MATTR_NG)
                entry_kill(&c->tlbs[i][j]);
        memset(c->itlbs[i], 0xff, sizeof c->itlbs[i]);
    }
}

void mmu_tlb_flush_select(CPUState *c, unsigned ctxmask, bool nonglobal, bool lo_range,
                          bool hi_range)
{
    if (!nonglobal && !lo_range && !hi_range)
        return;
    for (unsigned i = 0; i < MMUIDX__COUNT; i++) {
        if (!(ctxmask & (1u << i)))
            continue;
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            TLBEntry *e = &c->tlbs[i][j];
            uint64_t k;
            if (!entry_valid_key(e, &k))
                continue;
            bool hi = (k >> 55) & 1;
            if ((nonglobal && (e->attrs & MATTR_NG)) || (hi ? hi_range : lo_range))
                entry_kill(e);
        }
        memset(c->itlbs[i], 0xff, sizeof c->itlbs[i]);
    }
}
