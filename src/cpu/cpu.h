/*
 * CPUState: the architectural state of one A64 processing element, plus the
 * per-CPU caches of the emulator (decoded pages, TLB). Internal header.
 *
 * Conventions every handler follows:
 *  - x[31] always reads as zero (XZR). Writes go through set_x(), which
 *    keeps it zero. The live stack pointer is `sp`; the banked SP_EL0/1/2
 *    are in sp_el[] and are synced by cpu_sync_sp()/cpu_load_sp() whenever
 *    PSTATE.EL or PSTATE.SP changes (only src/cpu/exception.c and the
 *    SPSel/ERET paths do that).
 *  - `pc` is the address of the instruction being executed. A handler
 *    returns EXEC_NEXT to fall through (the loop adds 4), or sets pc itself
 *    and returns EXEC_JUMP for a branch that keeps the translation context
 *    (B, BL, B.cond, CBZ, TBZ, BR, BLR, RET and their PAuth forms: the loop
 *    may continue in the same decoded page without a new lookup), or
 *    EXEC_EXIT for anything else that sets pc (exception entry or return,
 *    MSR, SYS, WFI ...): the loop then re-examines interrupts, timers, stop
 *    requests and the translation context.
 *  - Synchronous exceptions never return: they build the exception state
 *    and longjmp() to the run loop (see exception.h). Handlers therefore
 *    perform every access that may fault before they write any register.
 */
#ifndef A83_CPU_H
#define A83_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/features.h"
#include "sysreg/sysreg_ids.h"
#include "timing/tlb_model.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef struct CPUState CPUState;
typedef struct a83_machine Machine;

/* ---- Decoded-instruction cache ---------------------------------------- */

enum { EXEC_NEXT = 0, EXEC_JUMP = 1, EXEC_EXIT = 2 };

typedef int (*InsnHandler)(CPUState *cpu, uint32_t insn);

/** One decoded instruction: its handler, raw word and static cycle cost. */
typedef struct DecodedInsn {
    InsnHandler fn;
    uint32_t insn;
    uint16_t cost;     /* static cycles, from the timing model's class table */
    uint16_t cls;      /* instruction class (timing/trace), see decode.h */
} DecodedInsn;

#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGE_MASK (~(uint64_t)(PAGE_SIZE - 1))
#define INSNS_PER_PAGE (PAGE_SIZE / 4)

/** Decoded instructions of one 4 KiB physical page. Entries start as the
 *  lazy-decode stub and are reset to it when the page is written. Pages
 *  live until the machine is destroyed, so pointers to them stay valid. */
typedef struct DecodePage {
    DecodedInsn e[INSNS_PER_PAGE];
    uint64_t pa;              /* physical address of the page */
    const uint8_t *host;      /* host pointer to the page's bytes */
    struct JitPage *jit;      /* translated blocks of the page (src/jit), valid
                                 only while jit_gen is the translator's generation */
    uint32_t jit_gen;
    uint32_t ndecoded;        /* entries holding a decoded instruction; when a
                                 write resets the last one the page stops being
                                 code for writes (mem_code_written()) */
} DecodePage;

/* ---- Soft TLB ------------------------------------------------------------ */

#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_SEL_MAX 128   /* slots listed per context for mmu_tlb_flush_select() */

/* Flag bits kept in the low bits of a tag: a tag with any of them set never
 * equals a page-aligned VA, so the inline fast path misses and the slow
 * path, which recognises the entry, handles the access. */
#define TLB_FLAG_SLOW 0x1u   /* MMIO, watched (code/exclusive) page, or Device memory */
#define TLB_FLAG_MODEL 0x2u  /* the TLB model's L1 dropped the page: the translation is
                                still valid here, but the next use must consult the model
                                (docs/timing.md "TLB model") */
#define TLB_FLAG_PAGE 0x4u   /* with TLB_FLAG_SLOW, in tag_w only: the page is slow for writes
                                only because of its PF_WRITE_SLOW flags; a write through the
                                entry checks them again and drops both flags once they are
                                clear (translate_and_fill()) */
#define TLB_FLAGS (TLB_FLAG_SLOW | TLB_FLAG_MODEL | TLB_FLAG_PAGE)

/* A host TLB entry: 32 bytes, so that translated code finds it with one
 * shift and mask of the VA (jit_inline_mem.c). The physical page, the
 * translation's MATTR_* attrs and the descriptor fetches of the walk that
 * filled it share `info` (tlb_info(), tlb_pa_page(), tlb_attrs(),
 * tlb_fetches()): PAs have 48 bits (ID_AA64MMFR0_EL1.PARange), so bits
 * 11:0 hold the fetches and bits 63:48 the attrs. */
typedef struct TLBEntry {
    uint64_t tag_r;           /* VA page | flags, or ~0 when invalid */
    uint64_t tag_w;
    uintptr_t addend;         /* host address = VA + addend (RAM only) */
    uint64_t info;            /* PA page | attrs << TLB_INFO_ATTRS_SHIFT | fetches */
} TLBEntry;

#define TLB_INFO_ATTRS_SHIFT 48
#define TLB_INFO_FETCHES_MASK 0xfffu
#define TLB_INFO_PA_MASK 0x0000fffffffff000ull

/* The info word of a translation of PA page pa_page (below 2^48) with
 * attrs (MATTR_*, below 2^16) whose walk made `fetches` descriptor
 * fetches (at most 24 for a two-stage walk of 4 levels each). */
static inline uint64_t tlb_info(uint64_t pa_page, uint32_t attrs, unsigned fetches)
{
    return (pa_page & TLB_INFO_PA_MASK) | (uint64_t)attrs << TLB_INFO_ATTRS_SHIFT |
           (fetches & TLB_INFO_FETCHES_MASK);
}

static inline uint64_t tlb_pa_page(const TLBEntry *e)
{
    return e->info & TLB_INFO_PA_MASK;
}

static inline uint32_t tlb_attrs(const TLBEntry *e)
{
    return (uint32_t)(e->info >> TLB_INFO_ATTRS_SHIFT);
}

static inline unsigned tlb_fetches(const TLBEntry *e)
{
    return (unsigned)(e->info & TLB_INFO_FETCHES_MASK);
}

/* Translation contexts ("mmu index"): one TLB per context, so a change of
 * EL or regime needs no flush. */
enum MMUIdx {
    MMUIDX_E10_0 = 0,   /* EL1&0 regime, EL0 access */
    MMUIDX_E10_1,       /* EL1&0 regime, EL1 access */
    MMUIDX_E10_1_PAN,   /* EL1&0 regime, EL1 access with PSTATE.PAN */
    MMUIDX_E2,          /* EL2 regime (E2H=0) */
    MMUIDX_E20_0,       /* EL2&0 regime, EL0 access (E2H=1, TGE=1) */
    MMUIDX_E20_2,       /* EL2&0 regime, EL2 access */
    MMUIDX_E20_2_PAN,
    MMUIDX__COUNT
};

/* Host TLB sets (CPUState.tlb_set): one per context, and a spare for the
 * EL1&0 contexts (MMUIDX_E10_0 .. MMUIDX_E10_1_PAN, the first three). */
#define TLB_E10_CONTEXTS 3
#define TLB_SETS (MMUIDX__COUNT + TLB_E10_CONTEXTS)
/* EL1&0 translation registers a spare set is tagged with (mmu/translate.c) */
#define TLB_E10_SNAP 8

typedef struct ITLBEntry {
    uint64_t tag;             /* VA page (| TLB_FLAG_MODEL), or ~0 */
    DecodePage *page;
    uint32_t attrs;           /* MemAttr bits of the walk that filled it (mmu/mmu.h) */
    uint32_t fetches;         /* its descriptor fetches (TLB_FLAG_MODEL: charged again) */
} ITLBEntry;

/* ---- The CPU ------------------------------------------------------------- */

#define PAC_HINT_MEMO_BITS 12
#define PAC_HINT_MEMO_SIZE (1u << PAC_HINT_MEMO_BITS)
#define PAC_HINT_NEAR_SETS 1024u
#define PAC_HINT_NEAR_WAYS 2u
#define PAC_HINT_CTX_SLOTS 16
#define PAC_HINT_CUR_VALID (1ull << 63)   /* CPUState.pac_hint_cur: an id is there */
/* Tag bits of a PAC hint memo entry (CPUState.pac_hint_memo, pac_hint_near;
 * pauth.c pac_hint_memo(), the translator's near probe jit_inline_pac.c). */
#define PAC_TAG_VALID 1u
#define PAC_TAG_OP2_SHIFT 1
#define PAC_TAG_AUT (4u << PAC_TAG_OP2_SHIFT)   /* op2<2>: AUT, else PAC */
#define PAC_TAG_REVERSE 16u                     /* the entry answers the opposite hint too */
#define PAC_TAG_ID_SHIFT 5
#define JIT_JC_BITS 12
#define JIT_JC_SIZE (1u << JIT_JC_BITS)   /* CPUState.jit_jc entries */

struct CPUState {
    /* Hot state first. */
    uint64_t x[32];           /* x[31] is XZR and always 0 */
    uint64_t sp;              /* live SP (SP_ELx per PSTATE) */
    uint64_t pc;
    uint32_t nzcv;            /* N,Z,C,V in bits [31:28] */
    uint8_t el;               /* PSTATE.EL */
    uint8_t spsel;            /* PSTATE.SP */
    uint8_t daif;             /* PSTATE.{D,A,I,F} in bits [3:0] (D=bit3) */
    uint8_t pan, uao, ss, il; /* PSTATE.PAN, UAO, SS, IL */
    /* Self-hosted debug (cpu/debug.h): recomputed by debug_update() when a
     * debug register, MDSCR_EL1 or the OS lock changes. */
    bool dbg_exec;            /* breakpoints or software step armed: the run
                                 loop executes one instruction at a time */
    bool dbg_wp;              /* watchpoints armed: watched pages are slow */
    uint8_t ss_stepped;       /* software step: an instruction was stepped (ESR ISV) */
    uint8_t ss_ex;            /* ... and it was a load-exclusive (ESR EX) */
    uint8_t ss_eret;          /* the last instruction was an exception return */

    volatile uint8_t exit_req; /* EXIT_* bits: leave the inner loop at the next insn */
    uint8_t jit_stale;        /* set by every translator invalidation, cleared when C
                                 enters a translated block: its chain tests (src/jit) */
    uint32_t irq_lines;       /* IRQ_LINE_* levels driven by the GIC and HCR_EL2.VI/VF/VSE */
    uint32_t irq_masked;      /* lines that cpu_check_interrupts() found it cannot take under
                                 the current PSTATE.{DAIF,EL} and HCR_EL2 (cleared whenever one
                                 of those changes: cpu_irq_masking_changed()); while irq_lines
                                 has no other line, nothing is to be taken (exception.c) */
    int64_t budget;           /* instructions left in this time slice */
    int64_t budget_mark;      /* budget when `insns` was last brought up to date */
    uint64_t insns;           /* instructions retired, up to budget_mark: read
                                 them with cpu_insns(), which is always exact */
    uint64_t cycles;          /* simulated cycles elapsed on this CPU */
    uint64_t cycle_limit;     /* cpu_exec() also returns at the first block end (taken
                                 branch, page end, exception) at which cycles >= this:
                                 the scheduler's round end (UINT64_MAX: no limit) */
    /* Set by the scheduler while a round may run on into the next one inside
     * cpu_exec() (core/machine.c, "Rounds that change nothing"), else NULL.
     * Called at a block end at or past cycle_limit: true if it started the
     * next round (new cycle_limit and budget), false if cpu_exec() must
     * return. */
    bool (*round_next)(CPUState *c);

    TLBEntry *tlb;            /* tlbs[cur_mmuidx] */
    TLBEntry *tlb_unpriv;     /* the context of LDTR/STTR here (el2_ldst_unpriv(),
                                 mmu_unpriv_idx()): tlb when they are ordinary
                                 accesses; kept by cpu_update_mmu_context() */
    ITLBEntry *itlb;          /* itlbs[cur_mmuidx] */
    uint8_t cur_mmuidx;
    bool strict_align;        /* SCTLR_ELx.A of the current regime */
    uint8_t pac_hint_keys;    /* EnIA (bit 0), EnIB (bit 1) of the current regime: the
                                 translator's PAC hints are NOPs while clear (pauth.c) */
    bool fp_enabled;          /* FP/SIMD usable at the current EL (fpaccess.h) */
    /* The PAC hints' context id (pauth.c pac_hint_memo()) of key IA ([0])
     * and IB ([1]) in the current state, with PAC_HINT_CUR_VALID set; 0:
     * not known, looked up at the next hint. Dropped (cpu_pac_hint_drop())
     * by everything that can change an input of the context: every system
     * register write (sysreg_write_raw(): the keys, SCTLR_ELx, TCR_ELx,
     * HCR_EL2) and every change of PSTATE.EL or the regime
     * (cpu_update_mmu_context()). The translator's PAC hints read it. */
    uint64_t pac_hint_cur[2];

    DecodePage *cur_page;     /* page of the instruction being executed */
    uint64_t cur_va;          /* the VA page cur_page is being executed at (set with
                                 cur_page on each entry; same-page branches stay):
                                 per CPU, in CPUState's lines that the dispatchers
                                 touch anyway, not in the shared page's header */

    /* FP/SIMD */
    uint64_t v[32][2] __attribute__((aligned(16)));   /* V0..V31, [0] = bits 63:0 */
    uint32_t fpcr, fpsr;

    /* Banked state */
    uint64_t sp_el[3];        /* SP_EL0, SP_EL1, SP_EL2 */
    uint64_t sr[SR__COUNT];   /* system registers with storage (sysreg_ids.h) */

    /* Exclusive monitor (Arm ARM B2.9): local monitor state. */
    bool excl_valid;
    uint64_t excl_pa;         /* physical address, aligned to excl_size */
    uint64_t excl_va;
    uint32_t excl_size;       /* bytes covered (4, 8, 16) */
    uint64_t excl_val[2];     /* values loaded, for the pair forms */

    /* Run state */
    unsigned index;           /* CPU number, 0-based */
    bool powered;             /* PSCI: on */
    bool halted;              /* in WFI/WFE, waiting for an event */
    bool event_reg;           /* the WFE event register */
    bool wait_ev_stale;       /* scheduler (gic branch): event_reg was already set when the
                                 CPU halted, so the halt was a WFI and the event must not
                                 wake it (a WFE with the register set does not halt) */
    uint64_t feat;            /* FEATBIT() set, copy of the machine's */
    uint64_t mpidr;
    uint64_t midr;

    Machine *m;
    jmp_buf jmp;              /* longjmp target for synchronous exceptions */
    bool in_run;              /* jmp is valid */
    bool in_block;            /* in: cpu_exec() starts inside a block (a run split there
                                 goes on to the block's end before it compares the clock
                                 with cycle_limit); out: it returned inside one (its
                                 budget ran out after an instruction that does not end a
                                 block). Every caller of cpu_exec() sets it. */

    /* Host TLBs: one set of a data and an instruction TLB per context,
     * plus a spare set for the three EL1&0 contexts (src/mmu/tlb.c "Two
     * sets for EL1&0"): context i uses set tlb_set[i], and tlb_e10_spare
     * holds the sets the EL1&0 contexts used under the EL1&0 translation
     * registers e10_spare_snap (while e10_spare_valid), so that a
     * hypervisor switching between two guests' register states finds the
     * other's entries again instead of walking for them. */
    uint32_t tlb_used;        /* bit s: tlbs[s] or itlbs[s] may hold an entry
                                 (whole-set flushes skip clean sets) */
    TLBEntry tlbs[TLB_SETS][TLB_SIZE];
    ITLBEntry itlbs[TLB_SETS][TLB_SIZE];
    uint8_t tlb_set[MMUIDX__COUNT];
    uint8_t tlb_e10_spare[TLB_E10_CONTEXTS];
    bool e10_spare_valid;
    uint64_t e10_spare_snap[TLB_E10_SNAP];

    /* MMU bookkeeping (src/mmu/tlb.c), per set. tlb_big: VA ranges covering
     * the entries of each set filled from mappings larger than 4 KiB, for
     * its data and its instruction TLB; a TLBI by VA inside them scans
     * that TLB of the set. tlb_sel: the slots of each set filled with a non-global
     * or lower-range entry since its last flush (a bitmap and a list of at
     * most TLB_SEL_MAX; tlb_nsel > TLB_SEL_MAX: more), which are all that a
     * context switch's mmu_tlb_flush_select() can drop. mmu_snap: the
     * translation registers at the last mmu_regs_changed(). walk_fetches:
     * descriptor fetches of all table walks (statistics; the cycles are
     * charged). */
    RangeSet tlb_big[TLB_SETS][2];   /* [set][itlb] */
    uint16_t tlb_nsel[TLB_SETS];
    uint16_t tlb_sel[TLB_SETS][TLB_SEL_MAX];
    uint64_t tlb_sel_map[TLB_SETS][TLB_SIZE / 64];
    uint64_t mmu_snap[16];
    uint64_t walk_fetches;

    /* The architectural TLB model (src/timing/tlb_model.h): decides every
     * TLB-miss and walk cost. The host TLBs above hold a page of a context
     * only while the model's L1 (tlbs: L1 D, itlbs: L1 I) holds it, so a
     * host hit is a model L1 hit (src/mmu/tlb.c). host_tlb_slots: host TLB
     * slots below which fills are allowed while host_tlb_limited (the
     * debug option a83_debug_host_tlb(), 0 = host TLB off). */
    bool host_tlb_limited;
    uint32_t host_tlb_slots;
    TLBModel tlbm;

    void *gic_cpu;            /* GIC CPU interface state (src/gic) */
    void *timer;              /* generic timer state (src/timer) */
    void *trace;              /* trace state (src/trace) */

    /* Recent results of the PAC hints on X30 (PACIASP, AUTIASP, ...: a pure
     * cache keyed by every input, src/cpu/pauth.c pac_hint_memo()). The
     * inputs other than X30 and the modifier (the key, EL, HCR_EL2 and the
     * regime's SCTLR and TCR) are a context, named by an id that is never
     * reused (pac_hint_ctx: the recent contexts and their ids); an entry
     * holds X30, the modifier, the result and its tag. */
    struct PACHintCtx {
        uint64_t key_hi, key_lo, hcr, sctlr, tcr;
        uint64_t id;              /* the tags' context id; 0: the all-zero context */
        uint8_t kid, el;
    } pac_hint_ctx[PAC_HINT_CTX_SLOTS];
    uint64_t pac_hint_ctx_ids;    /* ids given out so far */
    uint32_t pac_hint_ctx_last;   /* the slot of the last hint's context */
    struct PACHintMemo {
        uint64_t x, mod, out;
        uint64_t tag;             /* 0: empty; else 1 | op2 << 1 | reverse << 4 | context id << 5 */
    } pac_hint_memo[PAC_HINT_MEMO_SIZE];
    /* The near level: the last two hints' entries per set (one 64-byte
     * line, the most recent first), indexed by the modifier (SP), X30's
     * low bits and the context id (pac_hint_near_set()), so that AUTIASP
     * finds its PACIASP's entry in a line the host keeps cached (an entry
     * whose reverse bit is set also answers the opposite hint: pauth.c
     * pac_hint_reverses()). */
    struct PACHintMemo pac_hint_near[PAC_HINT_NEAR_SETS][PAC_HINT_NEAR_WAYS]
        __attribute__((aligned(64)));

    /* The translator's jump cache (src/jit, jit_priv.h jit_jc_entry()):
     * the block index entries its dispatchers found last, indexed by the
     * target's VA, so that a branch to another page reads a line of this
     * table instead of the target page's block index. An entry holds the
     * address of the DecodedInsn of the target (its DecodePage and slot)
     * and the index entry. An entry is always the index's entry now: the
     * translator empties the entries of a block it drops, in every CPU's
     * jump cache, and all of them when it flushes (jit.c jc_drop(),
     * jit_flush()), so a hit reads nothing of the target page but this
     * line (a host-side cache: nothing the guest sees depends on it). */
    struct JitJump {
        uint64_t key;             /* (uintptr_t)&dp->e[slot]; 0: empty */
        uint32_t e;               /* the block index entry (jit_priv.h) */
        uint32_t pad;             /* 16 bytes: the dispatchers scale by 16 */
    } jit_jc[JIT_JC_SIZE] __attribute__((aligned(64)));
};

static inline bool has_feat(const CPUState *c, int f) { return (c->feat >> f) & 1; }

/** The entry of the current context's iTLB (CPUState.itlb) that may hold
 *  the page of VA va. */
static inline ITLBEntry *cpu_itlb_entry(const CPUState *c, uint64_t va)
{
    return &c->itlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
}

/** Whether iTLB entry ie holds the page of VA va, as a hit or flagged
 *  (TLB_FLAG_MODEL: its translation and page still stand, only the TLB
 *  model must be charged again: mmu/mem.c mem_fetch_page()). */
static inline bool itlb_holds(const ITLBEntry *ie, uint64_t va)
{
    return (ie->tag & ~(uint64_t)TLB_FLAGS) == (va & PAGE_MASK);
}

/** The near set of the PAC hints' memo (CPUState.pac_hint_near) for
 *  input x (X30) and modifier mod under current context cur
 *  (CPUState.pac_hint_cur, with PAC_HINT_CUR_VALID): bits 13:4 of
 *  mod + x * 4 + id * PAC_HINT_NEAR_MIX * 16, that is the modifier's stack
 *  slot (mod >> 4) plus x's bits 11:2 plus the context id times
 *  PAC_HINT_NEAR_MIX, modulo the sets. The context id keeps the same stack
 *  depth in two contexts (the hypervisor's and a guest's kernel stacks)
 *  apart; x's bits 11:2 keep apart the functions one caller calls at the
 *  same depth (each PACIASP with another X30). Those bits are below any
 *  PAC field (which starts at bit 64 - TxSZ >= 25), so a signed pointer
 *  and the pointer it was signed from take the same set, and the AUTIASP
 *  at a function's return finds its PACIASP's entry there. The translator
 *  computes the same (jit_inline_pac.c). */
#define PAC_HINT_NEAR_MIX 157u
static inline unsigned pac_hint_near_set(uint64_t mod, uint64_t x, uint64_t cur)
{
    return (unsigned)((((uint32_t)mod + ((uint32_t)x << 2) + (uint32_t)cur * PAC_HINT_NEAR_MIX * 16u) >> 4) %
           PAC_HINT_NEAR_SETS);
}

/** Forgets the PAC hints' current context ids (CPUState.pac_hint_cur):
 *  an input of the context (a key, SCTLR_ELx, TCR_ELx, HCR_EL2, PSTATE.EL)
 *  may have changed. */
static inline void cpu_pac_hint_drop(CPUState *c)
{
    c->pac_hint_cur[0] = c->pac_hint_cur[1] = 0;
}

/** PSTATE.DAIF, PSTATE.EL or HCR_EL2 changed: which interrupt lines can be
 *  taken must be decided again (CPUState.irq_masked). */
static inline void cpu_irq_masking_changed(CPUState *c)
{
    c->irq_masked = 0;
}

/** Whether an interrupt line is up that cpu_check_interrupts() has not
 *  found masked under the current state (it may have one to take). */
static inline bool cpu_irq_maybe(const CPUState *c)
{
    return (c->irq_lines & ~c->irq_masked) != 0;
}

/** The system register slots a PAC hint context is made of (cpu/pauth.c
 *  pac_hint_ctx_id()), for both instruction keys and both regimes. A
 *  write to another register leaves the current context ids valid
 *  (sysreg_write_raw()). */
#define PAC_HINT_INPUTS 9
static const uint16_t pac_hint_input_slot[PAC_HINT_INPUTS] = {
    SR_APIAKEYLO_EL1, SR_APIAKEYHI_EL1, SR_APIBKEYLO_EL1, SR_APIBKEYHI_EL1, SR_HCR_EL2,
    SR_SCTLR_EL1, SR_SCTLR_EL2, SR_TCR_EL1, SR_TCR_EL2,
};

/** Whether system register slot `slot` is one of those. */
static inline bool cpu_pac_hint_input(unsigned slot)
{
    for (unsigned i = 0; i < PAC_HINT_INPUTS; i++)
        if (slot == pac_hint_input_slot[i])
            return true;
    return false;
}

/** Instructions retired so far, exact at any point (also inside a handler).
 *  The execute loop only decrements `budget` per instruction; retired
 *  instructions are budget_mark - budget more than `insns`. */
static inline uint64_t cpu_insns(const CPUState *c)
{
    return c->insns + (uint64_t)(c->budget_mark - c->budget);
}

/** Folds the instructions counted by the budget into `insns`. */
static inline void cpu_commit_insns(CPUState *c)
{
    c->insns += (uint64_t)(c->budget_mark - c->budget);
    c->budget_mark = c->budget;
}

/** Starts a time slice of n instructions. */
static inline void cpu_set_budget(CPUState *c, int64_t n)
{
    cpu_commit_insns(c);
    c->budget = c->budget_mark = n;
}

static inline void set_x(CPUState *c, unsigned n, uint64_t v)
{
    c->x[n] = v;
    c->x[31] = 0;
}
/** Register n as a 32-bit W register write: zero-extends. */
static inline void set_w(CPUState *c, unsigned n, uint32_t v) { set_x(c, n, v); }

/** Register or SP (for encodings where 31 means SP). */
static inline uint64_t get_xsp(const CPUState *c, unsigned n) { return n == 31 ? c->sp : c->x[n]; }
static inline void set_xsp(CPUState *c, unsigned n, uint64_t v)
{
    if (n == 31) c->sp = v; else c->x[n] = v;
}

/* CPUState.exit_req bits */
#define EXIT_CHECK 0x1   /* re-examine interrupts and state, then go on */
#define EXIT_SCHED 0x2   /* return to the scheduler (halt, stop, power off) */

/* CPUState.irq_lines bits */
#define IRQ_LINE_IRQ   0x01  /* physical IRQ from the GIC CPU interface */
#define IRQ_LINE_FIQ   0x02
#define IRQ_LINE_VIRQ  0x04  /* virtual IRQ from the GIC virtual CPU interface */
#define IRQ_LINE_VFIQ  0x08  /* virtual FIQ from the GIC virtual CPU interface */
#define IRQ_LINE_VSERR 0x10  /* HCR_EL2.VSE */
#define IRQ_LINE_HCR_VI 0x20 /* HCR_EL2.VI (kept in step by the HCR_EL2 write) */
#define IRQ_LINE_HCR_VF 0x40 /* HCR_EL2.VF */

/* NZCV bit positions */
#define NZCV_N (1u << 31)
#define NZCV_Z (1u << 30)
#define NZCV_C (1u << 29)
#define NZCV_V (1u << 28)

/* DAIF bits in CPUState.daif */
#define DAIF_D 8
#define DAIF_A 4
#define DAIF_I 2
#define DAIF_F 1

/** Saves the live SP into its bank (sp_el[] per current EL/SPSel). */
static inline void cpu_sync_sp(CPUState *c) { c->sp_el[c->spsel ? c->el : 0] = c->sp; }
/** Loads the live SP from its bank. */
static inline void cpu_load_sp(CPUState *c) { c->sp = c->sp_el[c->spsel ? c->el : 0]; }

/* cpu_get_pstate(), cpu_set_pstate(), cpu_update_mmu_context(): cpu/pstate.h
 * (they depend on the MMU, FP-access and EL2 policy layers above this
 * header; docs/ARCHITECTURE.md "Layers"). */

/** Invalidates every TLB and iTLB entry of this CPU. */
void cpu_tlb_flush_all(CPUState *c);

/** Bits extraction helpers for handlers. */
static inline uint32_t bits32(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & (uint32_t)((2ull << (hi - lo)) - 1);
}
static inline uint32_t bit32(uint32_t v, unsigned b) { return (v >> b) & 1; }
static inline int64_t sext64(uint64_t v, unsigned width)
{
    return (int64_t)(v << (64 - width)) >> (64 - width);
}

#endif
