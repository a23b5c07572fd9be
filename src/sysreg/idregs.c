/*
 * System-register table fragment sysreg_id_table: the identification
 * registers (Arm ARM D13.2, "Identification registers"), computed from
 * the CPU's feature set (c->feat, core/features.h) so that they advertise
 * exactly what is implemented. AArch32 is not implemented at any EL, so the
 * AArch32 ID registers (ID_PFR0_EL1 ... MVFR2_EL1) read as zero, and the
 * unallocated encodings of the ID space (op0=3, op1=0, CRn=0, CRm=1..7)
 * are RAZ (Arm ARM D13.1.x "Reserved encodings in the ID space").
 *
 * Traps: HCR_EL2.TID3 (ID group 3), TID2 (cache ID), TID1 (AIDR, REVIDR).
 */
#include "el2/traps.h"
#include "sysreg/sysreg_defs.h"
#include "core/machine.h"
#include "timing/cache.h"

#define F(v, shift) ((uint64_t)(v) << (shift))
#define HAS(f) (has_feat(c, (f)) ? 1u : 0u)

/* MIDR_EL1/MPIDR_EL1: at EL1 with EL2 implemented, the virtualized values
 * VPIDR_EL2/VMPIDR_EL2 (Arm ARM D13.2.85). */
static uint64_t rd_midr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    if (c->el == 1 && has_feat(c, FEAT_EL2))
        return c->sr[SR_VPIDR_EL2] ^ c->midr;
    return c->midr;
}

static uint64_t rd_mpidr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    if (c->el == 1 && has_feat(c, FEAT_EL2))
        return c->sr[SR_VMPIDR_EL2] ^ c->mpidr;
    return c->mpidr;
}

static uint64_t rd_zero(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0; }

/* ID_AA64PFR0_EL1: EL0/EL1 AArch64 only (1), EL2 when implemented, no EL3,
 * FP/AdvSIMD (0 = implemented, 0xF = not), GIC system registers (1),
 * CSV2 [59:56] = 1 and CSV3 [63:60] = 1: an emulator does not speculate, so
 * no branch-target or data-load side channel exists (these fields may be
 * reported from Armv8.0 on); Linux then needs neither KPTI nor the
 * Spectre-v2 mitigations. */
static uint64_t rd_aa64pfr0(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    unsigned fp = has_feat(c, FEAT_FP) ? (has_feat(c, FEAT_FP16) ? 1 : 0) : 0xF;
    return F(1, 0) | F(1, 4) | F(HAS(FEAT_EL2), 8) | F(0, 12) | F(fp, 16) | F(fp, 20) | F(1, 24) |
           F(1, 56) | F(1, 60);
}

/* ID_AA64ISAR0_EL1: AES [7:4] (2 = AES+PMULL), SHA1 [11:8], SHA2 [15:12],
 * CRC32 [19:16], Atomic [23:20] (2 = LSE), RDM [31:28]. */
static uint64_t rd_aa64isar0(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return F(has_feat(c, FEAT_AES) ? 2 : 0, 4) | F(HAS(FEAT_SHA1), 8) | F(HAS(FEAT_SHA256), 12) |
           F(HAS(FEAT_CRC32), 16) | F(has_feat(c, FEAT_LSE) ? 2 : 0, 20) | F(HAS(FEAT_RDM), 28);
}

/* ID_AA64ISAR1_EL1: DPB [3:0], APA [7:4] (QARMA), API [11:8] = 0, JSCVT
 * [15:12], FCMA [19:16], LRCPC [23:20], GPA [27:24], GPI [31:28] = 0. */
static uint64_t rd_aa64isar1(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return F(HAS(FEAT_DPB), 0) | F(HAS(FEAT_PAuth), 4) | F(HAS(FEAT_JSCVT), 12) |
           F(HAS(FEAT_FCMA), 16) | F(HAS(FEAT_LRCPC), 20) | F(HAS(FEAT_PAuth), 24);
}

/* ID_AA64MMFR0_EL1: PARange 48 bits (5), ASIDBits 16 (2), no mixed
 * endian, TGran16 supported (1), TGran64 and TGran4 supported (0), FGT
 * [59:56] (1 = FEAT_FGT), ECV [63:60] (2 = FEAT_ECV with CNTHCTL_EL2.ECV and
 * CNTPOFF_EL2). */
static uint64_t rd_aa64mmfr0(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return F(5, 0) | F(2, 4) | F(1, 20) | F(0, 24) | F(0, 28) | F(HAS(FEAT_FGT), 56) |
           F(has_feat(c, FEAT_ECV) ? 2 : 0, 60);
}

/* ID_AA64MMFR1_EL1: HAFDBS [3:0], VMIDBits [7:4] (2 = 16 bits), VH
 * [11:8], HPDS [15:12], LO [19:16], PAN [23:20] (2 = with AT S1E1xP), HCX
 * [43:40] (FEAT_HCX). */
static uint64_t rd_aa64mmfr1(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    unsigned pan = has_feat(c, FEAT_PAN2) ? 2 : HAS(FEAT_PAN);
    unsigned hafdbs = has_feat(c, FEAT_HAFDBS) ? 2 : 0;
    return F(hafdbs, 0) | F(has_feat(c, FEAT_VMID16) ? 2 : 0, 4) | F(HAS(FEAT_VHE), 8) |
           F(HAS(FEAT_HPDS), 12) | F(HAS(FEAT_LOR), 16) | F(pan, 20) | F(HAS(FEAT_HCX), 40);
}

/* ID_AA64MMFR2_EL1: CnP [3:0], UAO [7:4], VARange 48 bits (0), CCIDX
 * [23:20], NV [27:24] (1 = NV, 2 = NV2), FWB [43:40] (FEAT_S2FWB), TTL
 * [51:48] (FEAT_TTL), EVT [59:56] (1 = TID4, TICAB, TOCU; TTLBIS/TTLBOS not
 * implemented). */
static uint64_t rd_aa64mmfr2(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    unsigned nv = has_feat(c, FEAT_NV2) ? 2 : HAS(FEAT_NV);
    return F(HAS(FEAT_TTCNP), 0) | F(HAS(FEAT_UAO), 4) | F(HAS(FEAT_CCIDX), 20) | F(nv, 24) |
           F(HAS(FEAT_S2FWB), 40) | F(HAS(FEAT_TTL), 48) | F(HAS(FEAT_EVT), 56);
}

/* ID_AA64DFR0_EL1: DebugVer v8 (6), no trace, PMUVer [11:8] (1 = PMUv3),
 * BRPs [15:12] = 6-1, WRPs [23:20] = 4-1, CTX_CMPs [31:28] = 2-1. The
 * breakpoints, watchpoints and software step raise debug exceptions
 * (cpu/debug.c, docs/debug.md). */
static uint64_t rd_aa64dfr0(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return F(6, 0) | F(HAS(FEAT_PMUv3), 8) | F(5, 12) | F(3, 20) | F(1, 28);
}

/* ---- Cache identification (HCR_EL2.TID2) --------------------------------- */

/* CTR_EL0 (Arm ARM D13.2.34): RES1 bit 31, L1Ip = PIPT (0b11), and
 * CWG = ERG = DminLine = IminLine = log2(words) of the configured line size
 * (the profile's [cache] line, 64 bytes by default; timing/cache.h). */
#define CTR_RES1 F(1, 31)
#define CTR_L1IP_PIPT F(3, 14)

static unsigned log2u(uint32_t v)
{
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

/* CLIDR_EL1: L1 separate I+D (3), L2 unified (4), LoUIS = 1, LoC = 2,
 * LoUU = 1. */
#define CLIDR_EL1_VALUE (F(3, 0) | F(4, 3) | F(1, 21) | F(2, 24) | F(1, 27))

/* CCSIDR_EL1 (Arm ARM D13.2.23): LineSize [2:0] = log2(bytes) - 4;
 * Associativity = ways - 1 and NumSets = sets - 1 at [12:3] and [27:13], or
 * at [23:3] and [55:32] in the FEAT_CCIDX 64-bit format. The caches are the
 * profile's (timing/cache.h cache_geometry(); default L1D 32 KiB 2-way,
 * L1I 48 KiB 3-way, L2 1 MiB 16-way, 64-byte lines), so what software
 * reads agrees with the cache model. Fields too narrow for a configured
 * value saturate. */
static uint64_t ccsidr_for(const CPUState *c, uint64_t csselr)
{
    unsigned level = ((csselr >> 1) & 7) + 1;
    bool ind = csselr & 1;
    uint32_t line, ways, sets;
    if (!cache_geometry(&c->m->timing.cache, level, ind, &line, &ways, &sets))
        return 0;          /* no such cache: UNKNOWN, we give 0 */
    uint64_t ls = log2u(line) - 4;
    bool ccidx = has_feat(c, FEAT_CCIDX);
    uint64_t amax = ccidx ? (1u << 21) - 1 : (1u << 10) - 1;
    uint64_t smax = ccidx ? (1u << 24) - 1 : (1u << 15) - 1;
    uint64_t a = ways - 1 > amax ? amax : ways - 1, s = sets - 1 > smax ? smax : sets - 1;
    if (ccidx)
        return F(s, 32) | F(a, 3) | ls;
    return F(s, 13) | F(a, 3) | ls;
}
static uint64_t rd_ccsidr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return ccsidr_for(c, c->sr[SR_CSSELR_EL1]);
}
static uint64_t rd_ccsidr2(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return ccsidr_for(c, c->sr[SR_CSSELR_EL1]) >> 32;
}
static uint64_t rd_ctr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    uint32_t line, ways, sets;
    cache_geometry(&c->m->timing.cache, 1, false, &line, &ways, &sets);
    uint64_t w = log2u(line / 4);
    return CTR_RES1 | F(w, 24) | F(w, 20) | F(w, 16) | CTR_L1IP_PIPT | F(w, 0);
}
static uint64_t rd_clidr(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return CLIDR_EL1_VALUE; }

/* CTR_EL0 at EL0: SCTLR_EL1.UCT (SCTLR_EL2 in host) else trap to EL1;
 * then HCR_EL2.TID2 (Arm ARM D13.2.34 accessibility). */
static SysRegAccess acc_ctr(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    if (c->el == 0 && !(el0_sctlr(c) & SCTLR_UCT))
        return sra_trap_el1(c, tel, ec);
    return sra_tid2(c, r, rd, tel, ec);
}

/* DCZID_EL0: BS [3:0] = log2(words) = 4 (64 bytes); DZP [4] = 1 when DC
 * ZVA is prohibited at the current EL (SCTLR_EL1.DZE at EL0, HCR_EL2.TDZ
 * at EL0/EL1). */
static uint64_t rd_dczid(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    bool dzp = (c->el == 0 && !(el0_sctlr(c) & SCTLR_DZE)) || el2_trap_dc(c, DC_KIND_ZVA);
    return 4 | F(dzp ? 1 : 0, 4);
}

#define ID3(nm, m, o2, fn) SR_ENTRY(nm, 3, 0, 0, m, o2, SR_NONE, -1, .flags = SRF_RO, \
                                    .access = sra_tid3, .read = fn)

const SysRegDesc sysreg_id_table[] = {
    SR_ENTRY("MIDR_EL1", 3, 0, 0, 0, 0, SR_NONE, -1, .flags = SRF_RO, .read = rd_midr),
    SR_ENTRY("MPIDR_EL1", 3, 0, 0, 0, 5, SR_NONE, -1, .flags = SRF_RO, .read = rd_mpidr),
    SR_ENTRY("REVIDR_EL1", 3, 0, 0, 0, 6, SR_NONE, -1, .flags = SRF_RO, .access = sra_tid1,
             .read = rd_zero),
    SR_ENTRY("AIDR_EL1", 3, 1, 0, 0, 7, SR_NONE, -1, .flags = SRF_RO, .access = sra_tid1,
             .read = rd_zero),
    SR_ENTRY("CTR_EL0", 3, 3, 0, 0, 1, SR_NONE, -1, .flags = SRF_RO, .access = acc_ctr,
             .read = rd_ctr),
    SR_ENTRY("DCZID_EL0", 3, 3, 0, 0, 7, SR_NONE, -1, .flags = SRF_RO, .read = rd_dczid),
    SR_ENTRY("CCSIDR_EL1", 3, 1, 0, 0, 0, SR_NONE, -1, .flags = SRF_RO, .access = sra_tid24,
             .read = rd_ccsidr),
    SR_ENTRY("CCSIDR2_EL1", 3, 1, 0, 0, 2, SR_NONE, FEAT_CCIDX, .flags = SRF_RO,
             .access = sra_tid24, .read = rd_ccsidr2),
    SR_ENTRY("CLIDR_EL1", 3, 1, 0, 0, 1, SR_NONE, -1, .flags = SRF_RO, .access = sra_tid24,
             .read = rd_clidr),
    /* CSSELR_EL1: Level [3:1], InD [0] */
    SR_ENTRY("CSSELR_EL1", 3, 2, 0, 0, 0, SR_CSSELR_EL1, -1, .res0 = SR_ONLY(0xf),
             .access = sra_tid24),

    /* AArch32 ID registers: AArch32 is not implemented, they read as 0. */
    ID3("ID_PFR0_EL1", 1, 0, rd_zero),  ID3("ID_PFR1_EL1", 1, 1, rd_zero),
    ID3("ID_DFR0_EL1", 1, 2, rd_zero),  ID3("ID_AFR0_EL1", 1, 3, rd_zero),
    ID3("ID_MMFR0_EL1", 1, 4, rd_zero), ID3("ID_MMFR1_EL1", 1, 5, rd_zero),
    ID3("ID_MMFR2_EL1", 1, 6, rd_zero), ID3("ID_MMFR3_EL1", 1, 7, rd_zero),
    ID3("ID_ISAR0_EL1", 2, 0, rd_zero), ID3("ID_ISAR1_EL1", 2, 1, rd_zero),
    ID3("ID_ISAR2_EL1", 2, 2, rd_zero), ID3("ID_ISAR3_EL1", 2, 3, rd_zero),
    ID3("ID_ISAR4_EL1", 2, 4, rd_zero), ID3("ID_ISAR5_EL1", 2, 5, rd_zero),
    ID3("ID_MMFR4_EL1", 2, 6, rd_zero), ID3("ID_ISAR6_EL1", 2, 7, rd_zero),
    ID3("MVFR0_EL1", 3, 0, rd_zero),    ID3("MVFR1_EL1", 3, 1, rd_zero),
    ID3("MVFR2_EL1", 3, 2, rd_zero),
    /* AArch64 ID registers */
    ID3("ID_AA64PFR0_EL1", 4, 0, rd_aa64pfr0), ID3("ID_AA64PFR1_EL1", 4, 1, rd_zero),
    ID3("ID_AA64ZFR0_EL1", 4, 4, rd_zero),
    ID3("ID_AA64DFR0_EL1", 5, 0, rd_aa64dfr0), ID3("ID_AA64DFR1_EL1", 5, 1, rd_zero),
    ID3("ID_AA64AFR0_EL1", 5, 4, rd_zero),  ID3("ID_AA64AFR1_EL1", 5, 5, rd_zero),
    ID3("ID_AA64ISAR0_EL1", 6, 0, rd_aa64isar0), ID3("ID_AA64ISAR1_EL1", 6, 1, rd_aa64isar1),
    ID3("ID_AA64ISAR2_EL1", 6, 2, rd_zero),
    ID3("ID_AA64MMFR0_EL1", 7, 0, rd_aa64mmfr0), ID3("ID_AA64MMFR1_EL1", 7, 1, rd_aa64mmfr1),
    ID3("ID_AA64MMFR2_EL1", 7, 2, rd_aa64mmfr2),
    /* Reserved ID-space encodings: RAZ (named by encoding). */
    ID3("ID_RES_3_0_0_3_3", 3, 3, rd_zero), ID3("ID_RES_3_0_0_3_4", 3, 4, rd_zero),
    ID3("ID_RES_3_0_0_3_5", 3, 5, rd_zero), ID3("ID_RES_3_0_0_3_6", 3, 6, rd_zero),
    ID3("ID_RES_3_0_0_3_7", 3, 7, rd_zero),
    ID3("ID_RES_3_0_0_4_2", 4, 2, rd_zero), ID3("ID_RES_3_0_0_4_3", 4, 3, rd_zero),
    ID3("ID_RES_3_0_0_4_5", 4, 5, rd_zero), ID3("ID_RES_3_0_0_4_6", 4, 6, rd_zero),
    ID3("ID_RES_3_0_0_4_7", 4, 7, rd_zero),
    ID3("ID_RES_3_0_0_5_2", 5, 2, rd_zero), ID3("ID_RES_3_0_0_5_3", 5, 3, rd_zero),
    ID3("ID_RES_3_0_0_5_6", 5, 6, rd_zero), ID3("ID_RES_3_0_0_5_7", 5, 7, rd_zero),
    ID3("ID_RES_3_0_0_6_3", 6, 3, rd_zero), ID3("ID_RES_3_0_0_6_4", 6, 4, rd_zero),
    ID3("ID_RES_3_0_0_6_5", 6, 5, rd_zero), ID3("ID_RES_3_0_0_6_6", 6, 6, rd_zero),
    ID3("ID_RES_3_0_0_6_7", 6, 7, rd_zero),
    ID3("ID_RES_3_0_0_7_3", 7, 3, rd_zero), ID3("ID_RES_3_0_0_7_4", 7, 4, rd_zero),
    ID3("ID_RES_3_0_0_7_5", 7, 5, rd_zero), ID3("ID_RES_3_0_0_7_6", 7, 6, rd_zero),
    ID3("ID_RES_3_0_0_7_7", 7, 7, rd_zero),
    { .name = NULL },
};
