/*
 * Stage 1 translation (Arm ARM D8, AArch64.FirstStageTranslate): the
 * EL1&0 and EL2&0 regimes (two VA ranges, TTBR0/TTBR1, two privilege
 * levels) and the EL2 regime (one range, one privilege level), the
 * MMU-off flat mapping (AArch64.TranslateAddressS1Off), top-byte-ignore
 * (AddrTop), and the stage-1 permission model (AArch64.CheckPermission).
 */
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"

/* TCR_ELx fields: mmu/tcr.h (through mmu_internal.h) */

/* Stage-1 block/page descriptor fields (Arm ARM D8.3.2) */
#define DESC_ATTRINDX(d) ((unsigned)((d) >> 2) & 7)
#define DESC_AP(d)       ((unsigned)((d) >> 6) & 3)   /* AP[2:1] as bits [1:0] */
#define DESC_SH(d)       ((unsigned)((d) >> 8) & 3)
#define DESC_AF          (1ull << 10)
#define DESC_NG          (1ull << 11)
#define DESC_PXN         (1ull << 53)
#define DESC_UXN         (1ull << 54)               /* XN in one-privilege regimes */

#define AP_RO   2u   /* AP[2]: read-only */
#define AP_USER 1u   /* AP[1]: EL0 access */

/* The TTBR input-size limits: 48-bit VAs (no FEAT_LVA), TxSZ up to 39. */
#define INPUTSIZE_MAX 48
#define INPUTSIZE_MIN 25

typedef struct S1Regs {
    uint64_t tcr, ttbr0, ttbr1, mair, sctlr;
    bool two_ranges;
} S1Regs;

static void s1_regs(const CPUState *c, unsigned regime, S1Regs *r)
{
    if (regime == REGIME_EL10) {
        r->tcr = c->sr[SR_TCR_EL1];
        r->ttbr0 = c->sr[SR_TTBR0_EL1];
        r->ttbr1 = c->sr[SR_TTBR1_EL1];
        r->mair = c->sr[SR_MAIR_EL1];
        r->sctlr = c->sr[SR_SCTLR_EL1];
        r->two_ranges = true;
    } else {
        r->tcr = c->sr[SR_TCR_EL2];
        r->ttbr0 = c->sr[SR_TTBR0_EL2];
        r->ttbr1 = c->sr[SR_TTBR1_EL2];
        r->mair = c->sr[SR_MAIR_EL2];
        r->sctlr = c->sr[SR_SCTLR_EL2];
        r->two_ranges = regime == REGIME_EL20;
    }
}

/* AddrTop (Arm ARM D8.8, TBI/TBID): 55 when the top byte is ignored for
 * this access, else 63. TBIDx (FEAT_PAuth) limits TBI to data accesses. */
static unsigned addr_top(const CPUState *c, const S1Regs *r, uint64_t va, bool ifetch)
{
    bool tbi, tbid;
    if (r->two_ranges) {
        bool hi = (va >> 55) & 1;
        tbi = (r->tcr & (hi ? TCR_TBI1 : TCR_TBI0)) != 0;
        tbid = (r->tcr & (hi ? TCR_TBID1 : TCR_TBID0)) != 0;
    } else {
        tbi = (r->tcr & TCR_EL2_TBI) != 0;
        tbid = (r->tcr & TCR_EL2_TBID) != 0;
    }
    if (!has_feat(c, FEAT_PAuth))
        tbid = false;
    return (tbi && !(tbid && ifetch)) ? 55 : 63;
}

static bool s1_fault(FaultRecord *fr, FaultType t, int level)
{
    fr->type = t;
    fr->level = level;
    fr->stage2 = false;
    fr->s1ptw = false;
    return false;
}

/* Stage 1 enabled for the regime: SCTLR_ELx.M, except that in the EL1&0
 * regime HCR_EL2.DC = 1 or HCR_EL2.TGE = 1 make the PE behave as if
 * SCTLR_EL1.M were 0 (Arm ARM D17.2.48). */
static bool s1_enabled(const CPUState *c, unsigned regime, const S1Regs *r, bool *dc)
{
    *dc = false;
    if (regime == REGIME_EL10 && has_feat(c, FEAT_EL2)) {
        if (el2_stage1_off_by_tge(c))
            return false;
        if (el2_stage1_default_cacheable(c)) {
            *dc = true;
            return false;
        }
    }
    return (r->sctlr & SCTLR_M) != 0;
}

/* AArch64.TranslateAddressS1Off: the flat mapping with the architected
 * attributes. */
static bool s1_off(const CPUState *c, uint64_t va, unsigned top, bool dc, const S1Regs *r,
                   const TransReq *rq, StageResult *o, FaultRecord *fr)
{
    (void)c;
    uint64_t upper = top == 63 ? va >> PAMAX : (va & ((1ull << 56) - 1)) >> PAMAX;
    if (upper)
        return s1_fault(fr, FAULT_ADDRSIZE, 0);   /* Arm ARM D8.2.11 */
    o->oa = va & ADDR_MASK48;
    o->lg_size = PAGE_BITS;
    o->r = o->w = o->x = true;
    o->ng = false;
    if (rq->acc == ACC_EXEC) {
        /* Instruction fetches: Normal, Outer Shareable, Write-Through
         * cacheable when SCTLR_ELx.I = 1, else Non-cacheable. */
        o->device = false;
        o->memattr = (r->sctlr & SCTLR_I) ? 0xaa : 0x44;
        o->sh = 2;
    } else if (dc) {
        /* HCR_EL2.DC: Normal, Non-shareable, Inner/Outer Write-Back. */
        o->device = false;
        o->memattr = 0xff;
        o->sh = 0;
    } else {
        /* Data accesses: Device-nGnRnE. */
        o->device = true;
        o->memattr = 0x00;
        o->sh = 2;
    }
    return true;
}

bool mmu_s1_translate(CPUState *c, uint64_t va, const TransReq *rq, StageResult *o, FaultRecord *fr)
{
    S1Regs r;
    s1_regs(c, rq->regime, &r);
    const bool ifetch = rq->acc == ACC_EXEC;
    const unsigned top = addr_top(c, &r, va, ifetch);
    bool dc;
    if (!s1_enabled(c, rq->regime, &r, &dc))
        return s1_off(c, va, top, dc, &r, rq, o, fr);

    /* Select the VA range and its TTBR (AArch64.TranslationTableWalk). */
    bool hi = r.two_ranges && ((va >> 55) & 1);
    unsigned tsz, grainsize, ps;
    uint64_t ttbr;
    bool disabled;
    if (hi) {
        tsz = TCR_T1SZ(r.tcr);
        grainsize = mmu_tg_bits(TCR_TG1(r.tcr), true);
        ttbr = r.ttbr1;
        disabled = (r.tcr & TCR_EPD1) != 0;
    } else {
        tsz = TCR_T0SZ(r.tcr);
        grainsize = mmu_tg_bits(TCR_TG0(r.tcr), false);
        ttbr = r.ttbr0;
        disabled = r.two_ranges && (r.tcr & TCR_EPD0);
    }
    ps = r.two_ranges ? TCR_IPS(r.tcr) : TCR_EL2_PS(r.tcr);
    unsigned inputsize = 64 - tsz;
    /* Out-of-range TxSZ: CONSTRAINED UNPREDICTABLE, we force the limit. */
    if (inputsize > INPUTSIZE_MAX)
        inputsize = INPUTSIZE_MAX;
    if (inputsize < INPUTSIZE_MIN)
        inputsize = INPUTSIZE_MIN;
    /* va[top:inputsize] must be all zeros (TTBR0) or all ones (TTBR1). */
    uint64_t range = (top == 63 ? ~0ull : (1ull << (top + 1)) - 1) & ~((1ull << inputsize) - 1);
    uint64_t want = hi ? range : 0;
    if ((va & range) != want || disabled)
        return s1_fault(fr, FAULT_TRANSLATION, 0);

    unsigned outputsize = mmu_ps_bits(ps);
    uint64_t baddr = ttbr & ADDR_MASK48 & ~1ull;     /* BADDR[47:1]; CnP is bit 0 */
    if (baddr >> outputsize)
        return s1_fault(fr, FAULT_ADDRSIZE, 0);
    const unsigned stride = grainsize - 3;
    WalkParams p = {
        .grainsize = grainsize,
        .inputsize = inputsize,
        .startlevel = 4 - (int)((inputsize - grainsize + stride - 1) / stride),
        .outputsize = outputsize,
        .stage2 = false,
        .s1_via_s2 = rq->regime == REGIME_EL10 && mmu_s2_enabled(c),
    };
    /* The table at the start level is 2^(n+3) bytes and aligned to that. */
    unsigned n = inputsize - ((unsigned)(3 - p.startlevel) * stride + grainsize);
    p.base = baddr & ~((1ull << (n + 3)) - 1);

    WalkOut w;
    if (!mmu_walk(c, va, &p, &w, fr))
        return false;
    uint64_t d = w.desc;
    /* The access flag (no hardware update: FEAT_HAFDBS is not
     * implemented). An Access flag fault has priority over a Permission
     * fault (Arm ARM D8.13, fault prioritization). */
    if (!(d & DESC_AF))
        return s1_fault(fr, FAULT_ACCESSFLAG, w.level);

    /* AArch64.CheckPermission */
    unsigned ap = DESC_AP(d);
    bool wxn = (r.sctlr & SCTLR_WXN) != 0;
    bool rd, wr, ex;
    /* FEAT_NV with HCR_EL2.{NV,NV1} = {1,1} (branch el2): in the EL1&0
     * regime AP[1] is treated as 0 (no EL0 access), bit[54] is PXN (there
     * is no UXN), table bit[60] is PXNTable, and PSTATE.PAN has no effect (AArch64.S1DecodePermissions
     * / S1ComputePermissions, walkparams.nv1). */
    bool nv1 = rq->regime == REGIME_EL10 && (el2_nvx(c) & (NVX_NV | NVX_NV1)) == (NVX_NV | NVX_NV1);
    if (r.two_ranges) {
        if (nv1) {
            /* AArch64.S1ApplyTablePerms with nv1: APTable = desc<62>:'0',
             * PXNTable = desc<60> (the UXNTable position) */
            ap &= ~AP_USER;
            d = (d & ~DESC_PXN) | ((d & DESC_UXN) ? DESC_PXN : 0);
            w.pxntable = w.uxntable;
        }
        if (w.aptable & 1)
            ap &= ~AP_USER;                /* APTable[0]: no EL0 access */
        if (w.aptable & 2)
            ap |= AP_RO;                   /* APTable[1]: read-only */
        bool user_r = (ap & AP_USER) != 0;
        bool user_w = (ap & (AP_USER | AP_RO)) == AP_USER;
        bool priv_w = !(ap & AP_RO);
        if (rq->el0) {
            rd = user_r;
            wr = user_w;
            ex = !((d & DESC_UXN) || w.uxntable || (user_w && wxn));
        } else {
            rd = true;
            wr = priv_w;
            /* Privileged execution of EL0-writable memory is never
             * permitted in a two-privilege regime. */
            ex = !((d & DESC_PXN) || w.pxntable || user_w || (priv_w && wxn));
            if (rq->pan && !nv1 && user_r && !ifetch) {
                /* FEAT_PAN: privileged data access to EL0-accessible
                 * memory with PSTATE.PAN = 1. */
                rd = wr = false;
            }
        }
    } else {
        if (w.aptable & 2)
            ap |= AP_RO;
        rd = true;
        wr = !(ap & AP_RO);
        ex = !((d & DESC_UXN) || w.uxntable || (wr && wxn));
    }
    bool ok = rq->acc == ACC_READ ? rd : rq->acc == ACC_WRITE ? wr : ex;
    if (!ok)
        return s1_fault(fr, FAULT_PERMISSION, w.level);

    o->oa = w.oa;
    o->memattr = (uint8_t)(r.mair >> (8 * DESC_ATTRINDX(d)));
    o->device = (o->memattr & 0xf0) == 0;
    /* SCTLR_ELx.C = 0 makes data accesses to Normal memory Non-cacheable,
     * SCTLR_ELx.I = 0 instruction fetches (Arm ARM D17.2.118). */
    if (!o->device && !(r.sctlr & (ifetch ? SCTLR_I : SCTLR_C)))
        o->memattr = 0x44;
    o->sh = (uint8_t)DESC_SH(d);
    o->lg_size = (uint8_t)w.lg_size;
    o->r = rd;
    o->w = wr;
    o->x = ex;
    o->ng = r.two_ranges && (d & DESC_NG);
    return true;
}
