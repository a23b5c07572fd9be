/*
 * Stage 2 translation of the EL1&0 regime (Arm ARM D8,
 * AArch64.SecondStageTranslate): VTTBR_EL2 / VTCR_EL2, start level from
 * VTCR_EL2.SL0 with concatenated first-level tables, S2AP/XN permissions
 * (AArch64.CheckS2Permission) and the stage-2 memory attributes.
 */
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"

/* VTCR_EL2 fields (Arm ARM D17.2.164) */
#define VTCR_T0SZ(v) ((unsigned)(v) & 0x3f)
#define VTCR_SL0(v)  ((unsigned)((v) >> 6) & 3)
#define VTCR_TG0(v)  ((unsigned)((v) >> 14) & 3)
#define VTCR_PS(v)   ((unsigned)((v) >> 16) & 7)

/* Stage-2 block/page descriptor fields (Arm ARM D8.3.2) */
#define S2_MEMATTR(d) ((unsigned)((d) >> 2) & 0xf)

/* FEAT_S2FWB (HCR_EL2.FWB = 1, Arm ARM D8.6 "Stage 2 memory type and
 * Cacheability attributes when FEAT_S2FWB is enabled"): MemAttr[2] = 0 is
 * Device with type MemAttr[1:0] (MemAttr[3] ignored); 0b101 Normal
 * Non-cacheable; 0b111 the stage 1 attributes; 0b110 Normal Write-Back
 * whatever stage 1 says (*force_wb); 0b100 (reserved) is taken as 0b101.
 * Returns the equivalent FWB = 0 encoding, which combine_attrs() treats the
 * same way: 0b00tt Device, 0b0101 Non-cacheable, 0b1111 Write-Back (the
 * stage 1 attributes win). */
static unsigned s2fwb_memattr(unsigned m, bool *force_wb)
{
    if (!(m & 4))
        return m & 3;
    switch (m & 3) {
    case 2:
        *force_wb = true;
        return 0xf;
    case 3:
        return 0xf;
    default:
        return 0x5;
    }
}
#define S2_AP_R       (1ull << 6)       /* S2AP[0]: read */
#define S2_AP_W       (1ull << 7)       /* S2AP[1]: write */
#define S2_SH(d)      ((unsigned)((d) >> 8) & 3)
#define S2_AF         (1ull << 10)
#define S2_XN         (1ull << 54)

static bool s2_fault(FaultRecord *fr, FaultType t, int level, uint64_t ipa, bool s1ptw)
{
    fr->type = t;
    fr->level = level;
    fr->stage2 = true;
    fr->s1ptw = s1ptw;
    fr->ipa = ipa;
    return false;
}

bool mmu_s2_translate(CPUState *c, uint64_t ipa, unsigned acc, bool s1ptw, StageResult *o,
                      FaultRecord *fr)
{
    uint64_t vtcr = c->sr[SR_VTCR_EL2], vttbr = c->sr[SR_VTTBR_EL2];
    unsigned grainsize = mmu_tg_bits(VTCR_TG0(vtcr), false);
    unsigned stride = grainsize - 3;
    unsigned inputsize = 64 - VTCR_T0SZ(vtcr);
    if (inputsize > PAMAX)
        inputsize = PAMAX;                  /* CONSTRAINED UNPREDICTABLE: forced */
    if (ipa >> inputsize)
        return s2_fault(fr, FAULT_TRANSLATION, 0, ipa, s1ptw);

    /* Start level from SL0 (Arm ARM D17.2.164): 4KB 00->2 01->1 10->0;
     * 16KB/64KB 00->3 01->2 10->1; 11 reserved. The bits resolved at the
     * start level may exceed one table by up to 4 bits: concatenated
     * tables (Arm ARM D8.2.7). Anything else is a Translation fault. */
    unsigned sl0 = VTCR_SL0(vtcr);
    int startlevel = (grainsize == 12 ? 2 : 3) - (int)sl0;
    int n = (int)inputsize - ((3 - startlevel) * (int)stride + (int)grainsize);
    if (sl0 == 3 || n < 1 || n > (int)stride + 4)
        return s2_fault(fr, FAULT_TRANSLATION, 0, ipa, s1ptw);

    unsigned outputsize = mmu_ps_bits(VTCR_PS(vtcr));
    uint64_t baddr = vttbr & ADDR_MASK48 & ~1ull;
    if (baddr >> outputsize)
        return s2_fault(fr, FAULT_ADDRSIZE, 0, ipa, s1ptw);
    WalkParams p = {
        .grainsize = grainsize,
        .inputsize = inputsize,
        .startlevel = startlevel,
        .base = baddr & ~((1ull << (n + 3)) - 1),
        .outputsize = outputsize,
        .stage2 = true,
        .s1_via_s2 = false,
    };
    WalkOut w;
    if (!mmu_walk(c, ipa, &p, &w, fr)) {
        fr->stage2 = true;
        fr->s1ptw = s1ptw;
        fr->ipa = ipa;
        return false;
    }
    uint64_t d = w.desc;
    if (!(d & S2_AF))
        return s2_fault(fr, FAULT_ACCESSFLAG, w.level, ipa, s1ptw);

    unsigned memattr = S2_MEMATTR(d);
    bool fwb_wb = false;
    if (has_feat(c, FEAT_S2FWB) && (c->sr[SR_HCR_EL2] & HCR_FWB))
        memattr = s2fwb_memattr(memattr, &fwb_wb);
    bool device = (memattr >> 2) == 0;
    bool rd = (d & S2_AP_R) != 0, wr = (d & S2_AP_W) != 0, ex = !(d & S2_XN);
    bool ok;
    if (s1ptw) {
        /* A stage-1 walk reads its tables; HCR_EL2.PTW = 1 makes a walk
         * into stage-2 Device memory a permission fault (Arm ARM D8.5.3). */
        ok = rd && !(device && el2_ptw_device_faults(c));
    } else {
        ok = acc == ACC_READ ? rd : acc == ACC_WRITE ? wr : ex;
    }
    if (!ok)
        return s2_fault(fr, FAULT_PERMISSION, w.level, ipa, s1ptw);

    o->oa = w.oa;
    o->memattr = (uint8_t)memattr;
    o->device = device;
    o->sh = (uint8_t)S2_SH(d);
    o->lg_size = (uint8_t)w.lg_size;
    o->r = rd;
    o->w = wr;
    o->x = ex;
    o->ng = false;
    o->fwb_wb = fwb_wb;
    return true;
}
