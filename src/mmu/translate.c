/*
 * AArch64.TranslateAddress (Arm ARM D8): regime selection for the
 * translation contexts, the shared descriptor-walk loop of
 * AArch64.TranslationTableWalk, the combination of stage 1 and stage 2
 * results, and the reaction to translation-register writes.
 *
 * Stage 1 lives in translate_s1.c (EL1&0, EL2, EL2&0, and the MMU-off flat
 * mapping), stage 2 in translate_s2.c.
 */
#include "cpu/pstate.h"
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"

/* ---- Small decoders ------------------------------------------------------ */

unsigned mmu_ps_bits(unsigned ps)
{
    /* TCR_ELx.IPS / TCR_EL2.PS / VTCR_EL2.PS (Arm ARM D17.2.131): 000 32,
     * 001 36, 010 40, 011 42, 100 44, 101 48, 110 52 bits. Values above the
     * implemented PARange are treated as PARange (Arm ARM D8.2.6). */
    static const unsigned bits[8] = { 32, 36, 40, 42, 44, 48, 52, 48 };
    unsigned b = bits[ps & 7];
    return b > PAMAX ? PAMAX : b;
}

unsigned mmu_tg_bits(unsigned tg, bool tg1)
{
    if (tg1) {
        /* TCR_ELx.TG1: 01 16KB, 10 4KB, 11 64KB */
        switch (tg & 3) {
        case 1: return 14;
        case 3: return 16;
        default: return 12;
        }
    }
    /* TCR_ELx.TG0 / VTCR_EL2.TG0: 00 4KB, 01 64KB, 10 16KB */
    switch (tg & 3) {
    case 1: return 16;
    case 2: return 14;
    default: return 12;
    }
}

bool mmu_s2_enabled(const CPUState *c)
{
    /* With {E2H,TGE} = {1,1} the EL1&0 regime is not used (EL2&0 replaces
     * it); HCR_EL2.DC = 1 behaves as VM = 1 (Arm ARM D17.2.48). */
    return el2_stage2_enabled(c);
}

static void walk_fault(FaultRecord *fr, FaultType t, int level, bool stage2)
{
    fr->type = t;
    fr->level = level;
    fr->stage2 = stage2;
}

/* Arm ARM D8.2: block descriptors exist at level 1 and 2 for the 4KB
 * granule, and at level 2 only for 16KB and 64KB (without FEAT_LPA). */
static bool block_allowed(unsigned grainsize, int level)
{
    return grainsize == 12 ? (level == 1 || level == 2) : level == 2;
}

bool mmu_walk(CPUState *c, uint64_t ia, const WalkParams *p, WalkOut *o, FaultRecord *fr)
{
    const unsigned stride = p->grainsize - 3;
    int level = p->startlevel;
    unsigned bottom = (unsigned)(3 - level) * stride + p->grainsize;
    unsigned top = p->inputsize;
    uint64_t table = p->base;
    /* Output address bits above the configured size must be zero:
     * otherwise an Address size fault at this level (Arm ARM D8.3.3). */
    const uint64_t oa_over = ADDR_MASK48 & ~((1ull << p->outputsize) - 1);
    o->aptable = 0;
    o->uxntable = o->pxntable = false;
    for (;;) {
        uint64_t index = (ia >> bottom) & ((1ull << (top - bottom)) - 1);
        uint64_t daddr = table | (index << 3);
        uint64_t pa = daddr;
        if (p->s1_via_s2) {
            /* Arm ARM D8.2.8: the stage-1 walk's accesses are translated
             * by stage 2; a fault there is reported with S1PTW = 1. */
            StageResult s2;
            if (!mmu_s2_translate(c, daddr, ACC_READ, true, &s2, fr))
                return false;
            pa = s2.oa;
        }
        c->walk_fetches++;   /* its cycles: mmu_translate_charged() */
        const uint8_t *h = phys_host_ptr(c->m, pa, 8);
        if (!h) {
            /* Not RAM: synchronous external abort on a translation table
             * walk at this level (DFSC 0b0101xx). */
            walk_fault(fr, FAULT_SYNCEXT_WALK, level, p->stage2);
            fr->ipa = p->stage2 ? ia : 0;
            return false;
        }
        uint64_t desc;
        memcpy(&desc, h, 8);
        /* Invalid, or the reserved 0b01 encoding at level 3. */
        if (!(desc & 1) || (level == 3 && !(desc & 2))) {
            walk_fault(fr, FAULT_TRANSLATION, level, p->stage2);
            return false;
        }
        if (level == 3 || !(desc & 2)) {
            if (level < 3 && !block_allowed(p->grainsize, level)) {
                walk_fault(fr, FAULT_TRANSLATION, level, p->stage2);
                return false;
            }
            if (desc & oa_over) {
                walk_fault(fr, FAULT_ADDRSIZE, level, p->stage2);
                return false;
            }
            uint64_t low = (1ull << bottom) - 1;
            o->desc = desc;
            o->level = level;
            o->lg_size = bottom;
            o->oa = (desc & ADDR_MASK48 & ~low) | (ia & low);
            return true;
        }
        if (desc & oa_over) {
            walk_fault(fr, FAULT_ADDRSIZE, level, p->stage2);
            return false;
        }
        table = desc & ADDR_MASK48 & ~((1ull << p->grainsize) - 1);
        if (!p->stage2) {
            /* Hierarchical attributes (Arm ARM D8.4.2): APTable[62:61],
             * UXNTable/XNTable[60], PXNTable[59]. */
            o->aptable |= (unsigned)(desc >> 61) & 3;
            o->uxntable |= (desc >> 60) & 1;
            o->pxntable |= (desc >> 59) & 1;
        }
        level++;
        top = bottom;
        bottom -= stride;
    }
}

/* ---- Attribute combination (Arm ARM D8.5.5, combining stage 1 and 2) ---- */

/* Cacheability rank of a MAIR Normal nibble: 1 NC, 2 WT, 3 WB. */
static unsigned nibble_rank(unsigned n)
{
    if (n == 0x4)
        return 1;
    switch (n >> 2) {
    case 0: return 2;   /* 00RW, RW != 00: Write-Through transient */
    case 1: return 3;   /* 01RW: Write-Back transient */
    case 2: return 2;   /* 10RW: Write-Through */
    default: return 3;  /* 11RW: Write-Back */
    }
}

static unsigned combine_nibble(unsigned s1, unsigned s2rank)
{
    unsigned r1 = nibble_rank(s1);
    if (s2rank >= r1)
        return s1;
    if (s2rank <= 1)
        return 0x4;                         /* Non-cacheable */
    return 0x8 | (s1 & 3);                  /* Write-Through, S1 allocation hints */
}

/* Shareability order: Outer (10) > Inner (11) > Non (00). */
static unsigned sh_rank(unsigned sh) { return sh == 2 ? 2 : sh == 3 ? 1 : 0; }

static void combine_attrs(const StageResult *s1, const StageResult *s2, AddressDescriptor *ad)
{
    unsigned s2m = s2->memattr & 0xf;
    if (s2->fwb_wb) {
        /* FEAT_S2FWB forced Write-Back: Normal Inner/Outer Write-Back
         * Read/Write-Allocate, even over a stage 1 Device mapping. */
        ad->memattr = 0xff;
        ad->sh = s1->device ? 2 : (uint8_t)(sh_rank(s2->sh) > sh_rank(s1->sh) ? s2->sh : s1->sh);
        return;
    }
    if (s2->device || s1->device) {
        /* Device: the stronger (lower) of the two device types. */
        unsigned d1 = s1->device ? (s1->memattr >> 2) & 3 : 3;
        unsigned d2 = s2->device ? s2m & 3 : 3;
        ad->memattr = (uint8_t)((d1 < d2 ? d1 : d2) << 2);
        ad->sh = 2;
        return;
    }
    unsigned o2 = (s2m >> 2) & 3, i2 = s2m & 3;   /* 01 NC, 10 WT, 11 WB */
    unsigned o = combine_nibble(s1->memattr >> 4, o2), i = combine_nibble(s1->memattr & 0xf, i2);
    ad->memattr = (uint8_t)(o << 4 | i);
    unsigned sh = sh_rank(s2->sh) > sh_rank(s1->sh) ? s2->sh : s1->sh;
    ad->sh = (uint8_t)((o == 0x4 && i == 0x4) ? 2 : sh);
}

static uint32_t attrs_of(bool device, bool r, bool w, bool x, bool ng, unsigned lg)
{
    return (device ? MATTR_DEVICE : 0) | (r ? 0 : MATTR_NOREAD) | (w ? 0 : MATTR_NOWRITE) |
           (x ? 0 : MATTR_NOEXEC) | (ng ? MATTR_NG : 0) | (lg << MATTR_LGSIZE_SHIFT);
}

bool mmu_translate(CPUState *c, uint64_t va, const TransReq *rq, AddressDescriptor *ad,
                   FaultRecord *fr)
{
    StageResult s1;
    memset(fr, 0, sizeof *fr);
    if (!mmu_s1_translate(c, va, rq, &s1, fr)) {
        fr->write = rq->acc == ACC_WRITE;
        return false;
    }
    if (rq->s2_output && rq->regime == REGIME_EL10 && mmu_s2_enabled(c)) {
        StageResult s2;
        if (!mmu_s2_translate(c, s1.oa, rq->acc, false, &s2, fr)) {
            fr->write = rq->acc == ACC_WRITE;
            return false;
        }
        ad->pa = s2.oa;
        combine_attrs(&s1, &s2, ad);
        unsigned lg = s1.lg_size < s2.lg_size ? s1.lg_size : s2.lg_size;
        ad->attrs = attrs_of(!s2.fwb_wb && (s1.device || s2.device), s1.r && s2.r, s1.w && s2.w, s1.x && s2.x,
                             s1.ng, lg);
        return true;
    }
    ad->pa = s1.oa;
    ad->memattr = s1.memattr;
    bool nc = (s1.memattr >> 4) == 0x4 && (s1.memattr & 0xf) == 0x4;
    ad->sh = (s1.device || nc) ? 2 : s1.sh;
    ad->attrs = attrs_of(s1.device, s1.r, s1.w, s1.x, s1.ng, s1.lg_size);
    return true;
}

void mmu_req_for_idx(const CPUState *c, unsigned mmuidx, unsigned acc, TransReq *rq)
{
    (void)c;
    memset(rq, 0, sizeof *rq);
    rq->acc = (uint8_t)acc;
    rq->s2_output = true;
    switch (mmuidx) {
    case MMUIDX_E10_0: rq->regime = REGIME_EL10; rq->el0 = true; break;
    case MMUIDX_E10_1: rq->regime = REGIME_EL10; break;
    case MMUIDX_E10_1_PAN: rq->regime = REGIME_EL10; rq->pan = true; break;
    case MMUIDX_E2: rq->regime = REGIME_EL2; break;
    case MMUIDX_E20_0: rq->regime = REGIME_EL20; rq->el0 = true; break;
    case MMUIDX_E20_2: rq->regime = REGIME_EL20; break;
    default: rq->regime = REGIME_EL20; rq->pan = true; break;
    }
}

bool AArch64_TranslateAddress(CPUState *c, uint64_t va, unsigned mmuidx, unsigned acc,
                              unsigned size, uint32_t flags, AddressDescriptor *ad, FaultRecord *fr)
{
    (void)size;
    (void)flags;
    TransReq rq;
    mmu_req_for_idx(c, mmuidx, acc, &rq);
    return mmu_translate(c, va, &rq, ad, fr);
}

/* ---- Translation register changes ---------------------------------------- */

/* The registers mmu_regs_changed() compares, in CPUState.mmu_snap order. */
static const uint16_t snap_regs[] = {
    SR_SCTLR_EL1, SR_TCR_EL1, SR_TTBR0_EL1, SR_TTBR1_EL1, SR_MAIR_EL1,          /* 0..4 */
    SR_SCTLR_EL2, SR_TCR_EL2, SR_TTBR0_EL2, SR_TTBR1_EL2, SR_MAIR_EL2,          /* 5..9 */
    SR_HCR_EL2, SR_VTCR_EL2, SR_VTTBR_EL2,                                      /* 10..12 */
};
#define NSNAP (sizeof snap_regs / sizeof snap_regs[0])

void mmu_snapshot_regs(CPUState *c)
{
    for (unsigned i = 0; i < NSNAP; i++)
        c->mmu_snap[i] = c->sr[snap_regs[i]];
}

/* The EL1&0 ASID in effect (Arm ARM D8.11): from TTBR1_EL1 when TCR_EL1.A1
 * is 1, else TTBR0_EL1; 8 bits unless TCR_EL1.AS is 1. */
static uint64_t asid_el1(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1)
{
    uint64_t a = ((tcr & TCR_A1) ? ttbr1 : ttbr0) >> 48;
    return (tcr & TCR_AS) ? a : a & 0xff;
}

#define TTBR_BADDR(t) ((t) & ADDR_MASK48 & ~1ull)

/* HCR_EL2 bits that change what the EL1&0 contexts' entries mean: stage 2
 * on/off (VM, DC), the walk rule PTW, TGE (stage 1 off for EL0) and, with
 * FEAT_NV, {NV,NV1} (the EL1&0 stage-1 permission model, translate_s1.c):
 * HCR_E10_TRANSLATION_FIELDS (src/el2/policy.h). */

/* The EL1&0 translation state that tags a host TLB set (tlb.c "Two sets
 * for EL1&0"), in E10_SNAP_* order: the registers the EL1&0 contexts
 * depend on, from the snapshot (snap) or as they are now, HCR_EL2 reduced
 * to the fields that matter. */
static void e10_state(const CPUState *c, bool snap, uint64_t out[TLB_E10_SNAP])
{
    /* their places in snap_regs[] */
    static const uint8_t at[E10_SNAP__COUNT] = {
        [E10_SNAP_SCTLR] = 0, [E10_SNAP_TCR] = 1, [E10_SNAP_TTBR0] = 2, [E10_SNAP_TTBR1] = 3,
        [E10_SNAP_MAIR] = 4, [E10_SNAP_HCR] = 10, [E10_SNAP_VTCR] = 11, [E10_SNAP_VTTBR] = 12,
    };
    for (unsigned i = 0; i < E10_SNAP__COUNT; i++) {
        uint64_t v = snap ? c->mmu_snap[at[i]] : c->sr[snap_regs[at[i]]];
        out[i] = i == E10_SNAP_HCR ? v & HCR_E10_TRANSLATION_FIELDS : v;
    }
}

void mmu_regs_changed(CPUState *c)
{
    /*
     * The TLBs are not tagged by ASID or VMID, so a change of a register
     * that feeds a context's translations drops that context's entries
     * (over-invalidation is always allowed; stale entries are not).
     *
     * The EL2 and EL2&0 contexts depend on the EL2 registers only (E2H
     * chooses between them, and each is only used in its own regime). A
     * change of TTBR0/1_EL2 alone while E2H = 1 is handled in the EL2&0
     * context as a TTBR0/1_EL1 change is in EL1&0 (below).
     *
     * The EL1&0 contexts depend on the EL1 registers, VTCR/VTTBR and
     * HCR_EL2.{VM,DC,PTW,TGE,NV,NV1,FWB}. While {E2H,TGE} = {1,1} they are
     * not reachable, so the comparison waits until they are: a VHE host
     * that leaves and re-enters the same guest keeps the guest's entries,
     * as a VMID-tagged TLB would. A change of any of them but TTBR0/1_EL1
     * moves the contexts to their other set of host TLBs, which keeps the
     * entries of the state before the last such change (a hypervisor
     * switching between two guests, or a guest and its nested guest:
     * tlb.c "Two sets for EL1&0").
     *
     * A change of TTBR0/1_EL1 alone (a context switch) drops the non-global
     * entries if the ASID changed, and the entries of a VA range whose
     * table base changed; global entries of the other range stay, which the
     * architecture allows (they stay until a TLBI on hardware too).
     */
    unsigned mask = 0, el2_changed = 0;
    uint64_t t0 = c->mmu_snap[7], t1 = c->mmu_snap[8];   /* TTBR0/1_EL2 before */
    for (unsigned i = 5; i < 10; i++)
        if (c->sr[snap_regs[i]] != c->mmu_snap[i]) {
            c->mmu_snap[i] = c->sr[snap_regs[i]];
            el2_changed |= 1u << i;
        }
    if ((el2_changed & ~((1u << 7) | (1u << 8))) || (el2_changed && !EffectiveHCR_EL2_E2H(c))) {
        mask |= CTX_E2 | CTX_E20;
    } else if (el2_changed) {
        /* TTBR0/1_EL2 alone: the EL2 context (one range, no ASID) drops
         * everything; with E2H = 1 (TCR_EL2 has TCR_EL1's layout, A1 and
         * AS included) the EL2&0 context is treated like EL1&0 below, so a
         * VHE host's context switch keeps its global kernel entries. */
        mask |= CTX_E2;
        uint64_t tcr = c->sr[SR_TCR_EL2];
        uint64_t n0 = c->sr[SR_TTBR0_EL2], n1 = c->sr[SR_TTBR1_EL2];
        mmu_tlb_flush_select(c, CTX_E20, asid_el1(tcr, t0, t1) != asid_el1(tcr, n0, n1),
                             TTBR_BADDR(t0) != TTBR_BADDR(n0), TTBR_BADDR(t1) != TTBR_BADDR(n1));
    }
    bool e10_usable = !ELIsInHost(c, 0);
    if (e10_usable) {
        uint64_t old[TLB_E10_SNAP], new_[TLB_E10_SNAP];
        e10_state(c, true, old);
        e10_state(c, false, new_);
        unsigned changed = 0;
        for (unsigned i = 0; i < E10_SNAP__COUNT; i++)
            if (old[i] != new_[i])
                changed |= 1u << i;
        if (changed & ~(1u << E10_SNAP_TTBR0 | 1u << E10_SNAP_TTBR1)) {
            /* another translation state: the other set, if it is that
             * state's (a hypervisor switching between two guests) */
            mmu_tlb_e10_switch(c, old, new_);
        } else if (changed) {
            uint64_t tcr = c->sr[SR_TCR_EL1];
            uint64_t o0 = old[E10_SNAP_TTBR0], o1 = old[E10_SNAP_TTBR1];
            uint64_t n0 = new_[E10_SNAP_TTBR0], n1 = new_[E10_SNAP_TTBR1];
            mmu_tlb_flush_select(c, CTX_E10, asid_el1(tcr, o0, o1) != asid_el1(tcr, n0, n1),
                                 TTBR_BADDR(o0) != TTBR_BADDR(n0),
                                 TTBR_BADDR(o1) != TTBR_BADDR(n1));
        }
        for (unsigned i = 0; i < NSNAP; i++)
            if (!(i >= 5 && i < 10))
                c->mmu_snap[i] = c->sr[snap_regs[i]];
    }
    if (mask)
        mmu_tlb_flush_ctx(c, mask);
    cpu_update_mmu_context(c);
}
