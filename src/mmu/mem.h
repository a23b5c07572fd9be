/*
 * Guest memory accesses from instruction handlers.
 *
 * mem_read()/mem_write() take a VA of the current translation regime. The
 * inline fast path is one TLB compare and a host load/store (TinyEMU's
 * "addend" trick); everything else (a TLB miss, MMIO, a page with decoded
 * code, exclusives, unprivileged accesses, alignment faults, page-crossing
 * accesses) goes to the slow path in mem.c, which may raise a data abort
 * and so never returns in that case (see exception.h).
 *
 * flags (MEMF_*) describe the access for the data-abort syndrome (ISV,
 * SAS comes from size, SSE, SRT, SF, AR) and its kind.
 */
#ifndef A83_MEM_H
#define A83_MEM_H

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#define MEMF_SRT(rt)   ((uint32_t)(rt) & 0x1f)  /* register number for the ISS */
#define MEMF_SF        (1u << 5)    /* 64-bit register */
#define MEMF_SSE       (1u << 6)    /* sign-extending load */
#define MEMF_AR        (1u << 7)    /* acquire/release semantics */
#define MEMF_ISV       (1u << 8)    /* single GPR load/store: syndrome valid */
#define MEMF_UNPRIV    (1u << 9)    /* LDTR/STTR: EL0 permissions when at EL1 */
#define MEMF_EXCL      (1u << 10)   /* exclusive (LDXR/STXR) */
#define MEMF_ATOMIC    (1u << 11)   /* atomic read-modify-write */
#define MEMF_ALIGN     (1u << 12)   /* must be size-aligned (alignment fault) */
#define MEMF_CM        (1u << 13)   /* cache maintenance (DC): ESR.CM */
#define MEMF_NOFAULT   (1u << 14)   /* internal: do not raise, report */
#define MEMF_SLOWMASK  MEMF_EXCL

/** Convenience: flags for a single GPR load/store with a valid syndrome. */
#define MEMF_GPR(rt, sf, sse) (MEMF_ISV | MEMF_SRT(rt) | ((sf) ? MEMF_SF : 0) | ((sse) ? MEMF_SSE : 0))

/**
 * For the translator's loads and stores (jit_inline_mem.c): an access of
 * kind acc (ACC_READ, ACC_WRITE) with MEMF_* flags at va, whose inline
 * lookup found host entry hit with the tag of va's page and TLB_FLAG_MODEL
 * only (the TLB model's L1 D dropped the page since the entry was filled).
 * Does what the access's slow path does first for it (mem_read_slow(),
 * mem_write_slow(): translate_and_fill()): the model's charge for the page
 * with the walk the entry recorded (an L2 hit or a walk's cycles, the L1
 * refill and its eviction), and both tags' flag cleared; then the inline
 * lookup hits if nothing else makes the page slow. Returns true; false,
 * changing nothing, unless hit is the entry the slow path would use with
 * exactly that tag and no observer (the slow path, debug watchpoints) is
 * on: then the slow path decides. Nothing in the access itself happens
 * here, so no fault is possible.
 */
bool mem_model_refresh(CPUState *c, uint64_t va, const TLBEntry *hit, uint32_t flags, unsigned acc);

uint64_t mem_read_slow(CPUState *c, uint64_t va, unsigned size, uint32_t flags);
void mem_write_slow(CPUState *c, uint64_t va, unsigned size, uint64_t val, uint32_t flags);

/*
 * The fast-path TLB test: one compare checks both that the entry maps the
 * page of va and that the access does not cross into the next page. It
 * compares the tag with the page of the access's LAST byte: a TLB entry
 * only ever holds the tag of a page whose index it is, so an access that
 * crosses a page boundary (last byte in the next page, with the next
 * index) never matches the entry of its first byte, and takes the slow
 * path, which splits it. Tags with TLB_FLAG_SLOW never match.
 */
static inline bool mem_tlb_hit(uint64_t tag, uint64_t va, unsigned size)
{
    return tag == ((va + size - 1) & PAGE_MASK);
}

/** The translation context (mmu index) of an access with these MEMF_
 *  flags: the current one, except for cache maintenance by VA (no PAN)
 *  and LDTR/STTR (EL0 permissions unless PSTATE.UAO). */
static inline unsigned mem_access_mmuidx(const CPUState *c, uint32_t flags)
{
    if (flags & MEMF_CM) {
        /* PSTATE.PAN does not apply to cache maintenance by VA (Arm ARM
         * D8.4.4: PAN affects explicit data loads and stores only). */
        if (c->cur_mmuidx == MMUIDX_E10_1_PAN)
            return MMUIDX_E10_1;
        if (c->cur_mmuidx == MMUIDX_E20_2_PAN)
            return MMUIDX_E20_2;
        return c->cur_mmuidx;
    }
    if (flags & MEMF_UNPRIV)
        return mmu_unpriv_idx(c);
    return c->cur_mmuidx;
}

/** The host TLB entry for an access at va with these MEMF_ flags: that of
 *  the current context, or for LDTR/STTR (MEMF_UNPRIV) that of the context
 *  mem_access_mmuidx() gives, so that they hit the fast path too. */
static inline const TLBEntry *mem_tlb_entry(const CPUState *c, uint64_t va, uint32_t flags)
{
    const TLBEntry *t = likely(!(flags & MEMF_UNPRIV)) ? c->tlb : c->tlbs[c->tlb_set[mem_access_mmuidx(c, flags)]];
    return &t[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
}

/** The other fast-path conditions: no alignment fault possible, no
 *  access kind that needs the slow path. */
static inline bool mem_fast_ok(const CPUState *c, uint64_t va, unsigned size, uint32_t flags)
{
    return !((c->strict_align || (flags & MEMF_ALIGN)) && (va & (size - 1))) &&
           !(flags & MEMF_SLOWMASK);
}

/** Loads size (1, 2, 4, 8) bytes at va, zero-extended. May raise. */
static inline uint64_t mem_read(CPUState *c, uint64_t va, unsigned size, uint32_t flags)
{
    const TLBEntry *e = mem_tlb_entry(c, va, flags);
    if (likely(mem_tlb_hit(e->tag_r, va, size) && mem_fast_ok(c, va, size, flags))) {
        const void *p = (const void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: return *(const uint8_t *)p;
        case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
        case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
        default: { uint64_t v; memcpy(&v, p, 8); return v; }
        }
    }
    return mem_read_slow(c, va, size, flags);
}

/** Stores the low size (1, 2, 4, 8) bytes of val at va. May raise. */
static inline void mem_write(CPUState *c, uint64_t va, unsigned size, uint64_t val, uint32_t flags)
{
    const TLBEntry *e = mem_tlb_entry(c, va, flags);
    if (likely(mem_tlb_hit(e->tag_w, va, size) && mem_fast_ok(c, va, size, flags))) {
        void *p = (void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: *(uint8_t *)p = (uint8_t)val; return;
        case 2: { uint16_t v = (uint16_t)val; memcpy(p, &v, 2); return; }
        case 4: { uint32_t v = (uint32_t)val; memcpy(p, &v, 4); return; }
        default: memcpy(p, &val, 8); return;
        }
    }
    mem_write_slow(c, va, size, val, flags);
}

/**
 * Translates va for an access of kind acc and returns the physical address
 * (raising the abort on a fault). Used by exclusives, atomics, DC ZVA and AT.
 */
uint64_t mem_translate(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags);

/** DC ZVA's block: 64 bytes (DCZID_EL0.BS = log2(64 / 4) = 4). */
#define DCZ_BLOCK 64u

/**
 * DC ZVA (Arm ARM C6.2.81; DCZID_EL0.BS = 4: 64-byte blocks): zeroes the
 * block of guest memory containing the VA va, translated as a write in the
 * current regime (a fault raises the Data Abort with WnR = 1, CM = 0;
 * Device memory, an Alignment fault; an unwritable PA, a synchronous
 * External abort) and clears the exclusive monitors of the block. Only
 * the operation: the caller has made the trap checks and charged the
 * instruction's cycles. May raise (longjmp) as any access does.
 */
void mmu_dc_zva(CPUState *c, uint64_t va);

/** Physical accesses (after translation), dispatching to RAM, flash or
 *  MMIO. Return false for an unmapped PA or a device rejecting the access.
 *  An access that reaches a device (accepted or not) adds the timing
 *  profile's [memory] mmio_access cycles to c->cycles after the device's
 *  callback ran (docs/timing.md). */
bool phys_read(CPUState *c, uint64_t pa, unsigned size, uint64_t *val);
bool phys_write(CPUState *c, uint64_t pa, unsigned size, uint64_t val);

/** Returns the host pointer for RAM at pa (len bytes must be inside one
 *  MemBlock) or NULL. Writes through it must call mem_code_written(). */
uint8_t *phys_host_ptr(Machine *m, uint64_t pa, uint64_t len);

/** Invalidates decoded code and exclusive monitors covering [pa, pa+len)
 *  and clears the pages' PF_ZERO. Every write to guest RAM through a host
 *  pointer must call it. */
void mem_code_written(Machine *m, uint64_t pa, uint64_t len);

/** Clears the exclusive monitor of every CPU (the caller's too) that covers
 *  [pa, pa+len): what a store there by a non-PE observer does (Arm ARM
 *  B2.9.5), for a write that changes no byte (DC ZVA on a PF_ZERO page). */
void mem_clear_monitors(Machine *m, uint64_t pa, uint64_t len);

/** Returns the decoded page for the instruction at va, filling the iTLB
 *  (raises an instruction abort on a fault). */
DecodePage *mem_fetch_page(CPUState *c, uint64_t va);

/** Called before the first instruction of dp is decoded since the page had
 *  none (DecodePage.ndecoded was 0): flags the page as code (PF_CODE) and
 *  flushes its write fast path on every CPU, so that every later write to
 *  it reaches mem_code_written(). */
void mem_page_decoding(Machine *m, DecodePage *dp);

/** Flushes the write fast path for physical page pa on every CPU (called
 *  when the page starts holding code or an exclusive monitor). */
void mem_unfast_page(Machine *m, uint64_t pa_page);

/** Called when CPU c stops running (end of cpu_exec()): if it holds an
 *  exclusive monitor (and the machine has other CPUs, which may run next),
 *  the monitor's page gets PF_EXCL and loses its write fast path on every
 *  CPU, so that the other CPUs' stores to it clear the monitor (Arm ARM
 *  B2.9.5). Host-side state only; single-threaded like the CPUs. */
void mem_monitor_publish(CPUState *c);

/** Clears every other CPU's exclusive monitor that covers [pa, pa+size)
 *  (Arm ARM B2.9.5: a store by another observer clears the monitor). */
void mem_clear_exclusive_others(CPUState *c, uint64_t pa, unsigned size);

#endif
