/*
 * Internal interface of the translation code (src/mmu/translate*.c,
 * tlb.c, maint.c). Arm ARM D8 (VMSAv8-64) and the pseudocode functions
 * AArch64.TranslateAddress, AArch64.FirstStageTranslate,
 * AArch64.SecondStageTranslate, AArch64.TranslationTableWalk,
 * AArch64.CheckPermission and AArch64.CheckS2Permission.
 */
#ifndef A83_MMU_INTERNAL_H
#define A83_MMU_INTERNAL_H

#include "core/machine.h"
#include "cpu/sctlr.h"
#include "el2/policy.h"
#include "mmu/mmu.h"
#include "mmu/tcr.h"

/* Physical address size: ID_AA64MMFR0_EL1.PARange = 0b0101 (48 bits). */
#define PAMAX 48
#define ADDR_MASK48 ((1ull << 48) - 1)

/* Translation regimes (Arm ARM D8.1.2) */
enum { REGIME_EL10 = 0, REGIME_EL2, REGIME_EL20 };

/** A request for one address translation: the regime, the privilege of the
 *  permission check, whether PSTATE.PAN applies, and whether stage 2 is
 *  applied to the stage-1 output (it is always applied to the stage-1
 *  walk when enabled). */
typedef struct TransReq {
    uint8_t regime;     /* REGIME_* */
    uint8_t acc;        /* ACC_READ / ACC_WRITE / ACC_EXEC */
    bool el0;           /* EL0 (unprivileged) permissions */
    bool pan;           /* PSTATE.PAN applies to this access */
    bool s2_output;     /* translate the stage-1 output (IPA) through stage 2 */
} TransReq;

/** The outcome of one stage of translation. */
typedef struct StageResult {
    uint64_t oa;        /* output address (IPA for stage 1 under stage 2, else PA) */
    uint8_t memattr;    /* stage 1: the MAIR_ELx byte; stage 2: MemAttr[3:0] */
    uint8_t sh;         /* SH[1:0] */
    uint8_t lg_size;    /* log2 of the mapping size */
    bool device;        /* Device memory */
    bool r, w, x;       /* permissions of the context for this page */
    bool ng;            /* stage 1 nG */
    bool fwb_wb;        /* stage 2, FEAT_S2FWB MemAttr 0b110: Normal Write-Back
                           whatever stage 1 says (even Device) */
} StageResult;

/** True when stage 2 translation applies to the EL1&0 regime: EL2 is
 *  implemented and HCR_EL2.VM or HCR_EL2.DC is 1, and the regime is not
 *  replaced by EL2&0 (Arm ARM D8.1, HCR_EL2.VM/DC). */
bool mmu_s2_enabled(const CPUState *c);

/**
 * Stage 1 (AArch64.FirstStageTranslate): translates va for rq (regime,
 * privilege, PAN, access kind). With stage 2 enabled for the EL1&0 regime
 * every descriptor fetch is translated by stage 2 first (a fault there is a
 * stage-2 fault with s1ptw set). On success fills r (oa is an IPA when
 * stage 2 is enabled). Does not apply stage 2 to the output.
 */
bool mmu_s1_translate(CPUState *c, uint64_t va, const TransReq *rq, StageResult *r, FaultRecord *fr);

/**
 * Stage 2 (AArch64.SecondStageTranslate): translates ipa with VTTBR_EL2 /
 * VTCR_EL2 for access kind acc. s1ptw marks an access of a stage-1 table
 * walk (a read; with HCR_EL2.PTW a Device result is a permission fault).
 * va is the virtual address for the fault record.
 */
bool mmu_s2_translate(CPUState *c, uint64_t ipa, unsigned acc, bool s1ptw, StageResult *r,
                      FaultRecord *fr);

/** Full translation of va for rq (stage 1, then stage 2 when rq->s2_output
 *  and stage 2 is enabled), with combined attributes. No TLB. */
bool mmu_translate(CPUState *c, uint64_t va, const TransReq *rq, AddressDescriptor *ad,
                   FaultRecord *fr);

/** Fills rq for the translation context mmuidx (MMUIDX_*) and access acc. */
void mmu_req_for_idx(const CPUState *c, unsigned mmuidx, unsigned acc, TransReq *rq);

/* ---- Shared table walker (translate.c) ------------------------------------ */

typedef struct WalkParams {
    unsigned grainsize;  /* 12, 14 or 16 */
    unsigned inputsize;  /* bits of input address */
    int startlevel;      /* 0..3 */
    uint64_t base;       /* table base address (IPA when s1_via_s2) */
    unsigned outputsize; /* bits of output address (address size checks) */
    bool stage2;         /* a stage-2 walk */
    bool s1_via_s2;      /* stage-1 walk whose table addresses go through stage 2 */
} WalkParams;

typedef struct WalkOut {
    uint64_t desc;       /* the block or page descriptor */
    int level;
    unsigned lg_size;    /* log2 of the block/page size */
    uint64_t oa;         /* output address of the input address */
    unsigned aptable;    /* OR of APTable[1:0] along the walk (stage 1) */
    bool uxntable, pxntable;
} WalkOut;

/**
 * AArch64.TranslationTableWalk's descriptor loop (Arm ARM D8.3): walks the
 * tables from p->base for address ia. Returns false with fr filled on a
 * translation, address size or external (walk) fault, or a stage-2 fault on
 * a descriptor fetch. Counts each descriptor fetch in c->walk_fetches
 * (the caller charges them: mmu_translate_charged(), AT).
 */
bool mmu_walk(CPUState *c, uint64_t ia, const WalkParams *p, WalkOut *o, FaultRecord *fr);

/** Output address size in bits for a TCR IPS / VTCR PS field, capped at
 *  PAMAX (Arm ARM D8.2, TCR_ELx.IPS). */
unsigned mmu_ps_bits(unsigned ps);

/** Granule size in bits for TCR_ELx.TG0 (tg1 = false) or TG1. Reserved
 *  encodings are treated as 4 KiB (a CONSTRAINED UNPREDICTABLE choice). */
unsigned mmu_tg_bits(unsigned tg, bool tg1);

/** Records the translation registers as the state the TLBs now reflect
 *  (called whenever every TLB of the CPU has been flushed). */
void mmu_snapshot_regs(CPUState *c);

/* ---- TLB maintenance (tlb.c) ------------------------------------------------ */

/* Context sets for TLB maintenance (bit per MMUIDX_*) */
#define CTX_E10 ((1u << MMUIDX_E10_0) | (1u << MMUIDX_E10_1) | (1u << MMUIDX_E10_1_PAN))
#define CTX_E2  (1u << MMUIDX_E2)
#define CTX_E20 ((1u << MMUIDX_E20_0) | (1u << MMUIDX_E20_2) | (1u << MMUIDX_E20_2_PAN))

/** Invalidates every TLB and iTLB entry of the contexts in ctxmask (the
 *  sets they use now; the EL1&0 spare is mmu_tlb_spare_tlbi()'s). */
void mmu_tlb_flush_ctx(CPUState *c, unsigned ctxmask);

/** The EL1&0 translation state a host TLB set is tagged with, in this
 *  order (TLB_E10_SNAP values; HCR_EL2 reduced to
 *  HCR_E10_TRANSLATION_FIELDS): translate.c e10_state() writes it. */
enum { E10_SNAP_SCTLR, E10_SNAP_TCR, E10_SNAP_TTBR0, E10_SNAP_TTBR1, E10_SNAP_MAIR,
       E10_SNAP_HCR, E10_SNAP_VTCR, E10_SNAP_VTTBR, E10_SNAP__COUNT };
_Static_assert(E10_SNAP__COUNT == TLB_E10_SNAP, "CPUState.e10_spare_snap holds one state");

/** A change of the EL1&0 translation registers from the values old to new
 *  (mmu/translate.c e10_state(), TLB_E10_SNAP of them) that is not a
 *  context switch within one translation table pair: the EL1&0 contexts'
 *  sets become the spare, tagged old, and the spare's become theirs, kept
 *  if its tag is new, else emptied ("Two sets for EL1&0" in tlb.c).
 *  Host-side only (nothing the guest or the cycle model sees changes). */
void mmu_tlb_e10_switch(CPUState *c, const uint64_t old[TLB_E10_SNAP],
                        const uint64_t new_[TLB_E10_SNAP]);

/** A TLBI on c of the contexts ctxmask and the model scope s (NULL: not
 *  known): empties the EL1&0 spare unless the TLBI cannot apply to its
 *  entries (no EL1&0 context, or another VMID's scope). Over-invalidation
 *  is allowed (Arm ARM D8.13); keeping an entry a TLBI applies to is not. */
void mmu_tlb_spare_tlbi(CPUState *c, unsigned ctxmask, const TLBMScope *s);

/** Invalidates the entries of the contexts in ctxmask that translate va
 *  (bits [55:12] compared; blocks larger than 4 KiB are covered);
 *  over-invalidation is allowed (Arm ARM D8.13). */
void mmu_tlb_flush_va(CPUState *c, unsigned ctxmask, uint64_t va);

/** Invalidates the non-global entries of the contexts in ctxmask. */
void mmu_tlb_flush_nonglobal(CPUState *c, unsigned ctxmask);

/** Invalidates, in the contexts of ctxmask, the non-global entries (when
 *  nonglobal), and the entries of the lower (VA[55] = 0) and/or upper VA
 *  range, data and instruction entries alike. Only the slots listed by
 *  mmu_tlb_note_fill() are visited; a context with too many, or an upper
 *  range change, is dropped whole (over-invalidation is allowed). */
void mmu_tlb_flush_select(CPUState *c, unsigned ctxmask, bool nonglobal, bool lo_range,
                          bool hi_range);

/** Records a fill at va in context ctx (in the set it uses now; itlb: its
 *  instruction TLB, else its data TLB) of a translation with MATTR_* attrs
 *  (keeps the bounds that TLBI by VA consults, and the slots that
 *  mmu_tlb_flush_select() visits). */
void mmu_tlb_note_fill(CPUState *c, unsigned ctx, uint64_t va, uint32_t attrs, bool itlb);

/** Invalidates the entries of scope s in c's TLB model (the host TLB
 *  entries of the dropped L1 entries go too). tlb.c. */
void mmu_tlb_model_invalidate(CPUState *c, const TLBMScope *s);

/** The debug option behind a83_debug_host_tlb(): only host TLB slots
 *  below slots (at most TLB_SIZE) are filled from now on, 0 = none. */
void mmu_set_host_tlb_slots(Machine *m, unsigned slots);

/** The DFSC/IFSC (and PAR_EL1.FST) fault status code of a fault record
 *  (Arm ARM D17.2.37). fault.c. */
uint32_t mmu_fault_status(const FaultRecord *fr);

/** mem_translate() that also returns the page's MATTR_* attributes
 *  (mem.c; used by DC ZVA and the DC/IC by-VA operations). May raise. */
uint64_t mem_translate_fill(CPUState *c, uint64_t va, unsigned acc, unsigned size, uint32_t flags,
                           uint32_t *attrs);

#endif
