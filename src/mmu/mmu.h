/*
 * Address translation interface (Arm ARM D8). The walkers live in
 * src/mmu/translate*.c; faults are values (FaultRecord) turned into
 * ESR/FAR/HPFAR in exactly one place, mmu_raise_abort() (src/mmu/fault.c).
 */
#ifndef A83_MMU_H
#define A83_MMU_H

#include "cpu/cpu.h"

/* Access kinds */
enum { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 };

/* Memory attributes of a translated page (TLBEntry.attrs, AddressDescriptor.attrs) */
#define MATTR_DEVICE   0x1   /* Device memory: unaligned accesses fault */
#define MATTR_NOWRITE  0x2   /* no write permission cached (write needs a walk) */
#define MATTR_NOEXEC   0x4
#define MATTR_NOREAD   0x8   /* no read permission (stage 2 S2AP write-only) */
#define MATTR_NG       0x10  /* stage-1 descriptor nG (not global) */
/* Bits [15:8]: log2 of the size of the mapping the page came from (12 for
 * a 4 KiB page, 21 for a 2 MiB block...), the smaller of the two stages. */
#define MATTR_LGSIZE_SHIFT 8
#define MATTR_LGSIZE(a) (((a) >> MATTR_LGSIZE_SHIFT) & 0xff)

/* Fault types (Arm ARM FaultRecord.statuscode families) */
typedef enum FaultType {
    FAULT_NONE = 0,
    FAULT_TRANSLATION,
    FAULT_ACCESSFLAG,
    FAULT_PERMISSION,
    FAULT_ADDRSIZE,
    FAULT_ALIGNMENT,
    FAULT_SYNCEXT,          /* synchronous external abort (unmapped PA, device reject) */
    FAULT_SYNCEXT_WALK,     /* external abort on a translation table walk */
    FAULT_TLBCONFLICT,
} FaultType;

typedef struct FaultRecord {
    FaultType type;
    int level;              /* lookup level (-1..3) for walk faults */
    bool stage2;            /* fault at stage 2 */
    bool s1ptw;             /* stage-2 fault on a stage-1 table walk access */
    bool write;             /* WnR */
    bool cm;                /* cache maintenance / AT */
    uint64_t ipa;           /* IPA for stage-2 faults */
} FaultRecord;

typedef struct AddressDescriptor {
    uint64_t pa;
    uint32_t attrs;         /* MATTR_* */
    uint8_t memattr;        /* combined attributes in MAIR_ELx byte format (PAR_EL1.ATTR) */
    uint8_t sh;             /* combined shareability (PAR_EL1.SH) */
} AddressDescriptor;

/**
 * AArch64.TranslateAddress for the given context (MMUIDX_*), VA and access
 * kind. On success fills ad and returns true; else fills fr, returns false.
 * size is the access size in bytes (for alignment checks). flags are the
 * MEMF_* bits of mem.h. Does not raise; does not touch the TLB.
 */
bool AArch64_TranslateAddress(CPUState *c, uint64_t va, unsigned mmuidx, unsigned acc,
                              unsigned size, uint32_t flags, AddressDescriptor *ad, FaultRecord *fr);

/**
 * Raises the data or instruction abort for fr at va: routes it (stage-2
 * faults and HCR_EL2.TGE go to EL2), builds ESR_ELx (EC 0x20/0x21/0x24/0x25,
 * DFSC/IFSC, WnR, CM, S1PTW, and for stage-2 data aborts on single
 * loads/stores ISV=1 with SAS/SSE/SRT/SF/AR from flags), FAR_ELx and
 * HPFAR_EL2. Never returns.
 */
_Noreturn void mmu_raise_abort(CPUState *c, uint64_t va, const FaultRecord *fr, unsigned acc,
                               unsigned size, uint32_t flags);

/** Called after a write to a register that affects translation (SCTLR_ELx,
 *  TCR_ELx, TTBRn_ELx, MAIR_ELx, HCR_EL2, VTCR_EL2, VTTBR_EL2): drops cached
 *  translations that the new value makes stale (e.g. on an ASID or VMID
 *  change) and recomputes the MMU context. */
void mmu_regs_changed(CPUState *c);

/**
 * AArch64_TranslateAddress for context mmuidx, charged through the CPU's TLB
 * model (src/timing/tlb_model.h) on side TLBM_SIDE_I or TLBM_SIDE_D: the
 * model is looked up for the page (an L1 hit costs nothing, an L2 hit
 * timing.tlb.l2_hit cycles, a miss timing.tlb_miss plus timing.walk_fetch
 * per descriptor fetch of the walk just made) and filled after a
 * successful walk. A translation with no walk at all (stage 1 and 2 off)
 * is free and does not touch the model. Adds the cycles to c->cycles.
 * fetches (may be NULL) receives the walk's descriptor fetches.
 * Returns false with fr filled on a fault (does not raise). Callers only
 * use it when their host-side cache missed (docs/timing.md "TLB model").
 */
bool mmu_translate_charged(CPUState *c, uint64_t va, unsigned mmuidx, unsigned acc, unsigned side,
                           AddressDescriptor *ad, FaultRecord *fr, unsigned *fetches);

/** The model's part of mmu_translate_charged() for a walk already made (or
 *  recorded in a host TLB entry flagged TLB_FLAG_MODEL): ok, the
 *  translation's MATTR_* attrs and its descriptor fetches. */
void mmu_model_charge(CPUState *c, unsigned mmuidx, uint64_t va, unsigned side, bool ok,
                      uint32_t attrs, unsigned fetches);

/** (Re)initialises every CPU's TLB model from m->timing.tlb, empty, and
 *  drops the host TLBs (which may only hold what a model's L1 holds).
 *  Returns A83_OK (the geometry was checked by the profile loader). */
a83_err mmu_tlb_model_apply(Machine *m);

/** Empties c's TLB model (CPU reset) and its host TLBs. */
void mmu_tlb_model_reset(CPUState *c);

/** The host TLB sets at CPU creation and reset (src/mmu/tlb.c "Two sets for
 *  EL1&0"): context i in set i, the EL1&0 spare untagged. The caller
 *  flushes them (cpu_tlb_flush_all()). */
void mmu_tlb_sets_init(CPUState *c);

/** The VMID of the EL1&0 regime now: VTTBR_EL2.VMID, 8 bits unless
 *  VTCR_EL2.VS = 1 (Arm ARM D8.12); 0 without EL2. */
uint16_t mmu_current_vmid(const CPUState *c);

/** The ASID in effect for a regime (REGIME_*, Arm ARM D8.11): from
 *  TTBR1_ELx when TCR_ELx.A1 = 1, else TTBR0_ELx; 8 bits unless
 *  TCR_ELx.AS = 1; 0 for the EL2 regime (no ASID). */
uint16_t mmu_regime_asid(const CPUState *c, unsigned regime);

/** The MMU context (MMUIDX_*) for accesses at the current EL. */
unsigned mmu_current_idx(const CPUState *c);

/** The context of an unprivileged access (LDTR/STTR, MEMF_UNPRIV) made now:
 *  Arm ARM: LDTR/STTR at EL1 (or at EL2 in the EL2&0 regime with TGE=1)
 *  use EL0 permissions, unless PSTATE.UAO is set. */
static inline unsigned mmu_unpriv_idx(const CPUState *c)
{
    if (c->uao)
        return c->cur_mmuidx;
    switch (c->cur_mmuidx) {
    case MMUIDX_E10_1:
    case MMUIDX_E10_1_PAN:
        return MMUIDX_E10_0;
    case MMUIDX_E20_2:
    case MMUIDX_E20_2_PAN:
        return MMUIDX_E20_0;
    default:
        return c->cur_mmuidx;
    }
}

#endif
