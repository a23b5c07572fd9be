/*
 * The architectural TLB model of the cycle model (issue 14 part 3,
 * docs/timing.md "TLB model"): per CPU, a fully-associative L1 instruction
 * TLB, a fully-associative L1 data TLB and a set-associative unified L2
 * TLB, with entries tagged by translation regime, ASID (non-global
 * entries), VMID (EL1&0 entries) and VA page, each recording the size of the
 * mapping it came from (so TLBI by VA honours blocks).
 *
 * This model alone decides what TLB misses and table walks cost. It holds
 * no translations (the MMU still walks the tables for the functional
 * result): only which pages a Cortex-A72-like TLB would hold.
 *
 * Replacement is FIFO in the L1s and round-robin per set in the L2, and a
 * hit changes no state. That makes the emulator's host-side TLB (src/mmu)
 * cost-neutral: it keeps an entry only while the model's L1 holds the
 * page, so a host-TLB hit is a model L1 hit (cost 0, no state change) and
 * may skip the model. When the model drops an L1 entry (eviction or TLBI)
 * it tells its owner through the evict callback.
 *
 * Thread rules: a model belongs to one CPU; no locking.
 */
#ifndef A83_TLB_MODEL_H
#define A83_TLB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm83emu/arm83emu.h"
#include "timing/rangeset.h"

/* Largest geometry: the model lives inside CPUState (no allocation). */
#define TLBM_MAX_L1 256u
#define TLBM_MAX_L2 8192u

/** Geometry and costs of the TLB model (the [tlb] profile section). */
typedef struct TLBModelConfig {
    uint32_t l1i_entries;   /* fully-associative L1 instruction TLB entries, 1..TLBM_MAX_L1 */
    uint32_t l1d_entries;   /* fully-associative L1 data TLB entries, 1..TLBM_MAX_L1 */
    uint32_t l2_entries;    /* unified L2 TLB entries, 1..TLBM_MAX_L2 */
    uint32_t l2_ways;       /* L2 associativity; l2_entries / l2_ways sets, a power of two */
    uint32_t l2_hit;        /* cycles of an L1 miss that hits in the L2 */
} TLBModelConfig;

/* Translation regimes (Arm ARM D8.1.2), the values of src/mmu's REGIME_*. */
enum { TLBM_REGIME_EL10 = 0, TLBM_REGIME_EL2, TLBM_REGIME_EL20, TLBM_REGIME__COUNT };

/* The L1 a lookup goes through. */
enum { TLBM_SIDE_I = 0, TLBM_SIDE_D = 1 };

/* Outcome of a lookup. */
enum { TLBM_L1_HIT = 0, TLBM_L2_HIT, TLBM_MISS };

/** What identifies the translation of one access: regime, VA page
 *  (VA[55:12], low 12 bits zero), the current ASID of the regime and the
 *  current VMID (EL1&0 only; 0 for the EL2 regimes). */
typedef struct TLBMKey {
    uint64_t page;
    uint16_t asid;
    uint16_t vmid;
    uint8_t regime;
} TLBMKey;

/** One model entry. */
typedef struct TLBMEntry {
    uint64_t page;          /* VA[55:12] of the page, low 12 bits zero */
    uint16_t asid;          /* ASID of a non-global entry */
    uint16_t vmid;          /* VMID (EL1&0 regime) */
    uint8_t regime;         /* TLBM_REGIME_* */
    uint8_t lg_size;        /* log2 of the mapping size the page came from (12..) */
    uint8_t global;         /* stage-1 nG = 0: matches every ASID */
    uint8_t valid;
    uint16_t owners;        /* the evict callback owner's bits for an L1 entry (tlbm_own_last()):
                               0 when it enters the L1; host-side, never saved */
    uint32_t gen;           /* live only while equal to the model's gen[regime] */
} TLBMEntry;

/** Buckets of the L1 presence filter (TLBModel.l1_bucket); a power of two. */
#define TLBM_L1_BUCKETS 256

/** Called for every entry an L1 drops (side TLBM_SIDE_*), by eviction or
 *  invalidation. Must not call back into the model. */
typedef void (*TLBMEvictFn)(void *opaque, unsigned side, const TLBMEntry *e);

/** One CPU's model. Fields are private to tlb_model.c and its inline
 *  lookup (tlb_model_inline.h). */
typedef struct TLBModel {
    TLBModelConfig cfg;
    bool ready;                     /* tlbm_init() was called */
    uint32_t l1_n[2];               /* [TLBM_SIDE_*] entries in use */
    uint32_t l1_next[2];            /* FIFO: the slot filled next */
    uint32_t l2_sets, l2_ways;
    uint64_t l2_hits, misses;       /* statistics */
    uint32_t gen[TLBM_REGIME__COUNT];   /* bumped to drop a whole regime at once */
    TLBMEvictFn evict;
    void *opaque;
    uint32_t l1_last[2];            /* the L1 slot of the last hit or insert, or UINT32_MAX */
    TLBMEntry l1[2][TLBM_MAX_L1];
    uint64_t l1_page[2][TLBM_MAX_L1];   /* l1[][].page of a valid entry, else ~0 (derived,
                                           not saved: the lookup's first test, packed) */
    uint16_t l1_bucket[2][TLBM_L1_BUCKETS]; /* per side: how many l1_page[] values hash to
                                               each bucket (tlb_model_inline.h tlbm_l1_hash(); derived,
                                               not saved): a lookup whose bucket is empty
                                               misses the L1 without scanning it */
    uint8_t l1_slot_bucket[2][TLBM_MAX_L1]; /* per side and slot holding a page: its
                                               bucket (derived, not saved) */
    uint16_t l1_hint[2][TLBM_L1_BUCKETS];   /* per side and bucket: 1 + the slot whose
                                               page entered it last while that slot still
                                               holds it, else 0 (derived, not saved): a
                                               bucket of one page is looked up in that
                                               slot alone */
    TLBMEntry l2[TLBM_MAX_L2];      /* sets * ways, set-major */
    uint32_t l2_next[TLBM_MAX_L2];  /* per set: the way filled next */
    uint16_t l2_big[TLBM_MAX_L2];   /* per set: valid entries from mappings > 4 KiB */
    uint64_t l2_big_sets[TLBM_MAX_L2 / 64];   /* bit per set: l2_big[set] != 0 (derived,
                                                 not saved: tlbm_invalidate() visits these) */
    /* VA ranges covering the blocks entries came from since the last
     * tlbm_flush(): a TLBI by VA outside them visits no block set. Linux's
     * linear map, kernel image and vmemmap are far apart; vmalloc lies
     * between. Snapshots save their hull (rangeset_bounds()); a load makes
     * it the one range. */
    RangeSet big;
} TLBModel;

/* ASID matching of an invalidation scope. */
enum {
    TLBM_ASID_ANY = 0,      /* every entry (VMALL*, ALL*, VAA*) */
    TLBM_ASID_OR_GLOBAL,    /* global entries and those of asid (VAE1, VALE1) */
    TLBM_ASID_NONGLOBAL,    /* non-global entries of asid only (ASIDE1) */
};

/** The entries a TLBI invalidates (Arm ARM D8.13 / C5.5). */
typedef struct TLBMScope {
    uint8_t regimes;        /* bit (1 << TLBM_REGIME_*) per regime affected */
    bool by_vmid;           /* EL1&0 entries of vmid only */
    uint16_t vmid;
    bool by_va;             /* entries whose mapping covers va only */
    uint64_t va;            /* VA[55:12], low 12 bits zero */
    uint8_t asid_mode;      /* TLBM_ASID_* */
    uint16_t asid;
} TLBMScope;

/** The default geometry, like a Cortex-A72 (Arm Cortex-A72 TRM r0p3,
 *  5.2 "TLB organization"): 48-entry L1 I, 32-entry L1 D, 1024-entry 4-way
 *  L2, an L2 hit costing 4 cycles. */
void tlbm_config_default(TLBModelConfig *cfg);

/** Checks cfg (ranges in TLBModelConfig). On error writes a message to err
 *  (len bytes). Errors: A83_ERR_CONFIG. */
a83_err tlbm_config_check(const TLBModelConfig *cfg, char *err, size_t len);

/** Makes t an empty model with geometry cfg (which must pass
 *  tlbm_config_check); evict/opaque receive the dropped L1 entries. The
 *  previous contents are discarded without being reported. */
void tlbm_init(TLBModel *t, const TLBModelConfig *cfg, TLBMEvictFn evict, void *opaque);

/**
 * Looks k up through the L1 of side, then the L2. An L1 hit changes
 * nothing. An L2 hit copies the entry into the L1 (evicting its oldest
 * entry, reported to the evict callback). A miss changes nothing: the
 * caller fills after a successful walk (tlbm_fill). Returns TLBM_*.
 */
int tlbm_lookup(TLBModel *t, unsigned side, const TLBMKey *k);

/** ORs bits into the owners of the L1 entry of side that the last
 *  tlbm_lookup() hit or the last insert (an L2 hit, tlbm_fill()) placed;
 *  nothing if the last lookup missed and nothing was filled since. The
 *  model never reads them: they come back with the entry to the evict
 *  callback (the host TLB records there which of its contexts hold
 *  entries the model entry serves, src/mmu/tlb.c). */
static inline void tlbm_own_last(TLBModel *t, unsigned side, uint16_t bits)
{
    uint32_t i = t->l1_last[side];
    if (i < t->l1_n[side] && t->l1[side][i].valid)
        t->l1[side][i].owners |= bits;
}

/**
 * What a translation through the model does, in one call: tlbm_lookup()
 * of k through the L1 of side, then, when it missed and the walk succeeded
 * (ok), tlbm_fill() with global and lg_size, and when ok, tlbm_own_last()
 * with owners. Returns tlbm_lookup()'s result. Same state as those calls
 * made in that order (tests/unit/test_tlb_model.c test_access_as_calls).
 * The MMU calls its inline form, tlbm_access_with() (tlb_model_inline.h).
 */
int tlbm_access(TLBModel *t, unsigned side, const TLBMKey *k, bool ok, bool global,
                unsigned lg_size, uint16_t owners);

/** Inserts the translation of k after a walk: into the L2 (round-robin
 *  victim in its set) and into the L1 of side (FIFO victim, reported).
 *  global: the stage-1 descriptor had nG = 0; lg_size: log2 of the
 *  mapping size (12 or more). */
void tlbm_fill(TLBModel *t, unsigned side, const TLBMKey *k, bool global, unsigned lg_size);

/** Invalidates the entries of every level inside scope s; the L1 entries
 *  dropped are reported to the evict callback. Returns how many L1 I
 *  entries were dropped. */
unsigned tlbm_invalidate(TLBModel *t, const TLBMScope *s);

/** Invalidates everything (reset); L1 entries are reported. */
void tlbm_flush(TLBModel *t);

/** Cycles of a translation whose lookup gave result (TLBM_*): 0 for an L1
 *  hit, cfg->l2_hit for an L2 hit, tlb_miss + fetches * walk_fetch for a
 *  miss (fetches: descriptor fetches of the whole, 2-D, walk). */
static inline uint64_t tlbm_cost(const TLBModelConfig *cfg, uint32_t tlb_miss, uint32_t walk_fetch,
                                 int result, unsigned fetches)
{
    switch (result) {
    case TLBM_L1_HIT: return 0;
    case TLBM_L2_HIT: return cfg->l2_hit;
    default: return (uint64_t)tlb_miss + (uint64_t)fetches * walk_fetch;
    }
}

/** Statistics: L2 hits and walks (misses) counted by lookups so far. */
void tlbm_counters(const TLBModel *t, uint64_t *l2_hits, uint64_t *misses);

/** Test helpers: whether the L1 of side / the L2 holds a valid entry
 *  matching k (no state change). */
bool tlbm_l1_holds(const TLBModel *t, unsigned side, const TLBMKey *k);
bool tlbm_l2_holds(const TLBModel *t, const TLBMKey *k);

/** Snapshots (src/core/snapshot.h, docs/snapshots.md): writes the whole
 *  model (geometry, FIFO/round-robin positions, every entry, counters). */
struct SnapWriter;
struct SnapReader;
void tlbm_snap_save(const TLBModel *t, struct SnapWriter *w);
/** Reads a model saved by tlbm_snap_save() into t (a scratch copy: the
 *  caller commits it); the geometry must equal want, every position must
 *  be in range, else the reader fails. evict/opaque are not touched. */
void tlbm_snap_load(TLBModel *t, const TLBModelConfig *want, struct SnapReader *r);

#endif
