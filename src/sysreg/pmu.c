/*
 * PMUv3 (Arm ARM D7 "The Performance Monitors Extension", D13.4 registers):
 * a cycle counter (PMCCNTR_EL0, from c->cycles) and PMU_NCOUNTERS event
 * counters that count SW_INCR (0x00), INST_RETIRED (0x08, from c->insns)
 * and CPU_CYCLES (0x11, from c->cycles). Other event numbers are accepted
 * and do not count.
 *
 * Counters are computed lazily: a counter's slot holds its value at the
 * last "fold" and SR_PMU_SNAPn the source count at that time; while the
 * counter is enabled its value is slot + (source now - snapshot). Every
 * change of an enable, event type or MDCR_EL2.HPMN/HPME folds first.
 *
 * The EL filters of PMEVTYPERn/PMCCFILTR (P/NSK for EL1, U/NSU for EL0, NSH
 * for EL2; Non-secure state, Arm ARM D7.10) apply: every change of EL folds
 * the counters first (pmu_el_change(), called by exception entry and
 * return) while any counter is enabled, so the interval since the last
 * fold was spent at c->el.
 *
 * Not modelled: PMCR_EL0.D (divider); overflow interrupts are raised when
 * the overflow is observed (a read, a fold), not at the overflowing
 * instruction.
 */
#include "core/machine.h"
#include "core/modules.h"
#include "el2/traps.h"
#include "sysreg/pmu.h"
#include "sysreg/sysreg_defs.h"

#define PMU_NCOUNTERS 6
#define PMU_CC_BIT (1u << 31)
#define PMU_IRQ_PPI 23               /* virt board: PMU interrupt is PPI 7 (INTID 23) */

/* PMCR_EL0 fields */
#define PMCR_E  (1ull << 0)
#define PMCR_P  (1ull << 1)
#define PMCR_C  (1ull << 2)
#define PMCR_D  (1ull << 3)
#define PMCR_X  (1ull << 4)
#define PMCR_DP (1ull << 5)
#define PMCR_LC (1ull << 6)
#define PMCR_N_SHIFT 11
#define PMCR_IMP_SHIFT 24
#define PMCR_RW (PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC)

/* PMUSERENR_EL0 fields */
#define PMUSERENR_EN (1ull << 0)
#define PMUSERENR_SW (1ull << 1)
#define PMUSERENR_CR (1ull << 2)
#define PMUSERENR_ER (1ull << 3)

#define EVT_SW_INCR 0x00
#define EVT_INST_RETIRED 0x08
#define EVT_CPU_CYCLES 0x11
#define PMEVTYPER_RW 0xfc0003ffull
#define PMCCFILTR_RW 0xfc000000ull

static unsigned hpmn(const CPUState *c)
{
    return has_feat(c, FEAT_EL2) ? (unsigned)(c->sr[SR_MDCR_EL2] & MDCR_HPMN_MASK) : PMU_NCOUNTERS;
}

/* Number of event counters visible at the current EL (PMCR_EL0.N reads
 * MDCR_EL2.HPMN at EL0/EL1). */
static unsigned visible_counters(const CPUState *c)
{
    unsigned n = c->el < 2 ? hpmn(c) : PMU_NCOUNTERS;
    return n > PMU_NCOUNTERS ? PMU_NCOUNTERS : n;
}

static uint32_t visible_mask(const CPUState *c)
{
    return (uint32_t)((1u << visible_counters(c)) - 1) | PMU_CC_BIT;
}

static bool counter_enabled(const CPUState *c, unsigned n)
{
    if (!(c->sr[SR_PMCNTENSET_EL0] & (1ull << n)))
        return false;
    /* Counters below HPMN (and the cycle counter) are enabled by
     * PMCR_EL0.E; those at or above it by MDCR_EL2.HPME. */
    if (n < 31 && has_feat(c, FEAT_EL2) && n >= hpmn(c))
        return (c->sr[SR_MDCR_EL2] & MDCR_HPME) != 0;
    return (c->sr[SR_PMCR_EL0] & PMCR_E) != 0;
}

/* PMEVTYPER/PMCCFILTR filter bits */
#define FILT_P   (1ull << 31)
#define FILT_U   (1ull << 30)
#define FILT_NSK (1ull << 29)
#define FILT_NSU (1ull << 28)
#define FILT_NSH (1ull << 27)

/* Does a counter with filter f count at the current EL? */
static bool counts_here(const CPUState *c, uint64_t f)
{
    switch (c->el) {
    case 0:
        return !(f & FILT_U) == !(f & FILT_NSU);
    case 1:
        return !(f & FILT_P) == !(f & FILT_NSK);
    default:
        return (f & FILT_NSH) != 0;
    }
}

static uint64_t event_source(const CPUState *c, unsigned n)
{
    unsigned evt = c->sr[SR_PMEVTYPER0_EL0 + n] & 0x3ff;
    if (evt == EVT_INST_RETIRED)
        return cpu_insns(c);
    if (evt == EVT_CPU_CYCLES)
        return c->cycles;
    return 0;
}

static void pmu_update_irq(CPUState *c)
{
    bool level = (c->sr[SR_PMOVSSET_EL0] & c->sr[SR_PMINTENSET_EL1]) != 0;
    gic_set_irq(c->m, PMU_IRQ_PPI, level, c->index);
}

/* Current value of event counter n (32 bits), noting an overflow. */
static uint64_t evcnt_now(CPUState *c, unsigned n)
{
    uint64_t v = c->sr[SR_PMEVCNTR0_EL0 + n];
    if (counter_enabled(c, n) && counts_here(c, c->sr[SR_PMEVTYPER0_EL0 + n])) {
        v += event_source(c, n) - c->sr[SR_PMU_SNAP0 + n];
        if (v >> 32) {
            c->sr[SR_PMOVSSET_EL0] |= 1ull << n;
            v &= 0xffffffffull;
            c->sr[SR_PMEVCNTR0_EL0 + n] = v;
            c->sr[SR_PMU_SNAP0 + n] = event_source(c, n);
            pmu_update_irq(c);
        }
    }
    return v;
}

static uint64_t ccnt_now(CPUState *c)
{
    uint64_t v = c->sr[SR_PMCCNTR_EL0];
    if (counter_enabled(c, 31) && counts_here(c, c->sr[SR_PMCCFILTR_EL0])) {
        uint64_t nv = v + (c->cycles - c->sr[SR_PMU_SNAPCC]);
        /* Overflow at 2^64 with PMCR.LC, else at 2^32 */
        bool ovf = (c->sr[SR_PMCR_EL0] & PMCR_LC) ? nv < v : ((nv >> 32) != (v >> 32));
        v = nv;
        if (ovf) {
            c->sr[SR_PMOVSSET_EL0] |= PMU_CC_BIT;
            c->sr[SR_PMCCNTR_EL0] = v;
            c->sr[SR_PMU_SNAPCC] = c->cycles;
            pmu_update_irq(c);
        }
    }
    return v;
}

/* Folds every counter to its current value and re-snapshots the sources:
 * call before anything that changes which counters count what. */
static void pmu_fold(CPUState *c)
{
    for (unsigned n = 0; n < PMU_NCOUNTERS; n++) {
        c->sr[SR_PMEVCNTR0_EL0 + n] = evcnt_now(c, n);
        c->sr[SR_PMU_SNAP0 + n] = event_source(c, n);
    }
    c->sr[SR_PMCCNTR_EL0] = ccnt_now(c);
    c->sr[SR_PMU_SNAPCC] = c->cycles;
}

void pmu_fold_counters(CPUState *c) { pmu_fold(c); }

void pmu_el_change_slow(CPUState *c) { pmu_fold(c); }

/* ---- Access control (Arm ARM D13.4, per-register accessibility) --------- */

enum { PMU_ACC_ANY, PMU_ACC_CR, PMU_ACC_ER, PMU_ACC_SW, PMU_ACC_EN, PMU_ACC_PMCR };

static SysRegAccess pmu_access(CPUState *c, bool rd, unsigned kind, unsigned *tel, uint32_t *ec)
{
    if (c->el == 0) {
        uint64_t u = c->sr[SR_PMUSERENR_EL0];
        bool ok = (u & PMUSERENR_EN) != 0;
        if (kind == PMU_ACC_CR && rd && (u & PMUSERENR_CR))
            ok = true;
        if (kind == PMU_ACC_ER && (u & PMUSERENR_ER))
            ok = true;
        if (kind == PMU_ACC_SW && (u & PMUSERENR_SW))
            ok = true;
        if (!ok)
            return sra_trap_el1(c, tel, ec);
    }
    if (c->el <= 1 && has_feat(c, FEAT_EL2)) {
        uint64_t mdcr = c->sr[SR_MDCR_EL2];
        if ((mdcr & MDCR_TPM) || (kind == PMU_ACC_PMCR && (mdcr & MDCR_TPMCR)))
            return sra_trap_el2(tel, ec);
    }
    return SRA_OK;
}

#define ACCFN(name, kind)                                                                     \
    static SysRegAccess name(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel,        \
                             uint32_t *ec)                                                    \
    {                                                                                         \
        (void)r;                                                                              \
        return pmu_access(c, rd, kind, tel, ec);                                              \
    }
ACCFN(acc_pmu, PMU_ACC_EN)
ACCFN(acc_pmcr, PMU_ACC_PMCR)
ACCFN(acc_ccnt, PMU_ACC_CR)
ACCFN(acc_swinc, PMU_ACC_SW)

/* Event-counter reads at EL0 are allowed by PMUSERENR_EL0.ER, writes are
 * not; PMSELR_EL0 is read/write with ER. */
static SysRegAccess acc_evcnt(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r;
    return pmu_access(c, rd, rd ? PMU_ACC_ER : PMU_ACC_EN, tel, ec);
}
static SysRegAccess acc_pmselr(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r;
    return pmu_access(c, rd, PMU_ACC_ER, tel, ec);
}

/* PMUSERENR_EL0: read-only at EL0. */
static SysRegAccess acc_userenr(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r;
    if (c->el == 0 && !rd)
        return SRA_UNDEF;
    if (c->el <= 1 && has_feat(c, FEAT_EL2) && (c->sr[SR_MDCR_EL2] & MDCR_TPM))
        return sra_trap_el2(tel, ec);
    return SRA_OK;
}

/* The counter index a PMEVCNTRn/PMEVTYPERn entry names: encoded in
 * CRm[1:0]:op2 (Arm ARM D13.4.x). */
static unsigned enc_index(const SysRegDesc *r) { return ((r->enc >> 3) & 3) * 8 + (r->enc & 7); }

static SysRegAccess acc_evn(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = acc_evcnt(c, r, rd, tel, ec);
    if (a != SRA_OK)
        return a;
    return enc_index(r) < visible_counters(c) ? SRA_OK : SRA_UNDEF;
}
static SysRegAccess acc_typen(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = acc_pmu(c, r, rd, tel, ec);
    if (a != SRA_OK)
        return a;
    return enc_index(r) < visible_counters(c) ? SRA_OK : SRA_UNDEF;
}

/* PMXEVTYPER/PMXEVCNTR: PMSELR_EL0.SEL selects; SEL = 31 selects PMCCFILTR
 * for PMXEVTYPER; any other SEL beyond the visible counters is UNDEFINED. */
static unsigned pmsel(const CPUState *c) { return c->sr[SR_PMSELR_EL0] & 31; }
static SysRegAccess acc_xevtyper(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = acc_pmu(c, r, rd, tel, ec);
    if (a != SRA_OK)
        return a;
    unsigned s = pmsel(c);
    return (s == 31 || s < visible_counters(c)) ? SRA_OK : SRA_UNDEF;
}
static SysRegAccess acc_xevcntr(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = acc_evcnt(c, r, rd, tel, ec);
    if (a != SRA_OK)
        return a;
    return pmsel(c) < visible_counters(c) ? SRA_OK : SRA_UNDEF;
}

/* ---- Register behaviour ---------------------------------------------------- */

static uint64_t rd_pmcr(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    return (c->sr[SR_PMCR_EL0] & PMCR_RW) | ((uint64_t)visible_counters(c) << PMCR_N_SHIFT) |
           (0x41ull << PMCR_IMP_SHIFT);
}
static void wr_pmcr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    pmu_fold(c);
    if (v & PMCR_P) {
        /* Resets the event counters visible at this EL (HPMN at EL0/EL1). */
        for (unsigned n = 0; n < visible_counters(c); n++)
            c->sr[SR_PMEVCNTR0_EL0 + n] = 0;
    }
    if (v & PMCR_C)
        c->sr[SR_PMCCNTR_EL0] = 0;
    c->sr[SR_PMCR_EL0] = v & PMCR_RW;
}

static uint64_t rd_cntenset(CPUState *c, const SysRegDesc *r)
{
    return c->sr[r->slot] & visible_mask(c);
}
/* Set/clear pairs: PMCNTENSET/CLR, PMOVSSET/CLR, PMINTENSET/CLR share the
 * slot of the SET register; the entry's reset field says which op. */
static void wr_set(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    pmu_fold(c);
    c->sr[r->slot] |= v & visible_mask(c);
    pmu_update_irq(c);
}
static void wr_clr(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    pmu_fold(c);
    c->sr[r->slot] &= ~(v & visible_mask(c));
    pmu_update_irq(c);
}

static void wr_swinc(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    uint32_t m = visible_mask(c) & ~PMU_CC_BIT & (uint32_t)v;
    for (unsigned n = 0; n < PMU_NCOUNTERS; n++)
        if ((m >> n & 1) && counter_enabled(c, n) &&
            (c->sr[SR_PMEVTYPER0_EL0 + n] & 0x3ff) == EVT_SW_INCR) {
            uint64_t nv = c->sr[SR_PMEVCNTR0_EL0 + n] + 1;
            if (nv >> 32) {
                c->sr[SR_PMOVSSET_EL0] |= 1ull << n;
                nv = 0;
            }
            c->sr[SR_PMEVCNTR0_EL0 + n] = nv;
        }
    pmu_update_irq(c);
}

static uint64_t rd_ccnt(CPUState *c, const SysRegDesc *r) { (void)r; return ccnt_now(c); }
static void wr_ccnt(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_PMCCNTR_EL0] = v;
    c->sr[SR_PMU_SNAPCC] = c->cycles;
}

static uint64_t rd_evcnt_n(CPUState *c, unsigned n) { return evcnt_now(c, n); }
static void wr_evcnt_n(CPUState *c, unsigned n, uint64_t v)
{
    c->sr[SR_PMEVCNTR0_EL0 + n] = v & 0xffffffffull;
    c->sr[SR_PMU_SNAP0 + n] = event_source(c, n);
}
static void wr_evtype_n(CPUState *c, unsigned n, uint64_t v)
{
    pmu_fold(c);
    c->sr[SR_PMEVTYPER0_EL0 + n] = v & PMEVTYPER_RW;
    c->sr[SR_PMU_SNAP0 + n] = event_source(c, n);
}

static uint64_t rd_evn(CPUState *c, const SysRegDesc *r) { return rd_evcnt_n(c, enc_index(r)); }
static void wr_evn(CPUState *c, const SysRegDesc *r, uint64_t v) { wr_evcnt_n(c, enc_index(r), v); }
static void wr_typen(CPUState *c, const SysRegDesc *r, uint64_t v) { wr_evtype_n(c, enc_index(r), v); }

static uint64_t rd_xevcntr(CPUState *c, const SysRegDesc *r) { (void)r; return rd_evcnt_n(c, pmsel(c)); }
static void wr_xevcntr(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; wr_evcnt_n(c, pmsel(c), v); }
static uint64_t rd_xevtyper(CPUState *c, const SysRegDesc *r)
{
    (void)r;
    unsigned s = pmsel(c);
    return s == 31 ? c->sr[SR_PMCCFILTR_EL0] : c->sr[SR_PMEVTYPER0_EL0 + s];
}
static void wr_xevtyper(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    unsigned s = pmsel(c);
    if (s == 31)
        c->sr[SR_PMCCFILTR_EL0] = v & PMCCFILTR_RW;
    else
        wr_evtype_n(c, s, v);
}

/* PMCEID0_EL0: common events 0x00 SW_INCR, 0x08 INST_RETIRED, 0x11
 * CPU_CYCLES are implemented. */
static uint64_t rd_pmceid0(CPUState *c, const SysRegDesc *r)
{
    (void)c; (void)r;
    return (1ull << EVT_SW_INCR) | (1ull << EVT_INST_RETIRED) | (1ull << EVT_CPU_CYCLES);
}
static uint64_t rd_zero(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0; }

#define P(nm, o1, n, m, o2, sl, ...) SR_ENTRY(nm, 3, o1, n, m, o2, sl, FEAT_PMUv3, __VA_ARGS__)
#define EVCNT(i) P("PMEVCNTR" #i "_EL0", 3, 14, 8 + (i) / 8, (i) % 8, SR_NONE, \
                   .access = acc_evn, .read = rd_evn, .write = wr_evn)
#define EVTYPE(i) P("PMEVTYPER" #i "_EL0", 3, 14, 12 + (i) / 8, (i) % 8, SR_PMEVTYPER0_EL0 + (i), \
                    .res0 = SR_ONLY(PMEVTYPER_RW), .access = acc_typen, .write = wr_typen)

const SysRegDesc sysreg_pmu_table[] = {
    P("PMCR_EL0", 3, 9, 12, 0, SR_NONE, .access = acc_pmcr, .read = rd_pmcr, .write = wr_pmcr),
    P("PMCNTENSET_EL0", 3, 9, 12, 1, SR_PMCNTENSET_EL0, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_set),
    P("PMCNTENCLR_EL0", 3, 9, 12, 2, SR_PMCNTENSET_EL0, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_clr),
    P("PMOVSCLR_EL0", 3, 9, 12, 3, SR_PMOVSSET_EL0, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_clr),
    P("PMSWINC_EL0", 3, 9, 12, 4, SR_NONE, .flags = SRF_WO, .access = acc_swinc,
      .write = wr_swinc),
    P("PMSELR_EL0", 3, 9, 12, 5, SR_PMSELR_EL0, .res0 = SR_ONLY(31), .access = acc_pmselr),
    P("PMCEID0_EL0", 3, 9, 12, 6, SR_NONE, .flags = SRF_RO, .access = acc_pmu, .read = rd_pmceid0),
    P("PMCEID1_EL0", 3, 9, 12, 7, SR_NONE, .flags = SRF_RO, .access = acc_pmu, .read = rd_zero),
    P("PMCCNTR_EL0", 3, 9, 13, 0, SR_NONE, .access = acc_ccnt, .read = rd_ccnt, .write = wr_ccnt),
    P("PMXEVTYPER_EL0", 3, 9, 13, 1, SR_NONE, .access = acc_xevtyper, .read = rd_xevtyper,
      .write = wr_xevtyper),
    P("PMXEVCNTR_EL0", 3, 9, 13, 2, SR_NONE, .access = acc_xevcntr, .read = rd_xevcntr,
      .write = wr_xevcntr),
    P("PMUSERENR_EL0", 3, 9, 14, 0, SR_PMUSERENR_EL0, .res0 = SR_ONLY(0xf),
      .access = acc_userenr),
    P("PMOVSSET_EL0", 3, 9, 14, 3, SR_PMOVSSET_EL0, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_set),
    P("PMINTENSET_EL1", 0, 9, 14, 1, SR_PMINTENSET_EL1, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_set),
    P("PMINTENCLR_EL1", 0, 9, 14, 2, SR_PMINTENSET_EL1, .access = acc_pmu, .read = rd_cntenset,
      .write = wr_clr),
    P("PMCCFILTR_EL0", 3, 14, 15, 7, SR_PMCCFILTR_EL0, .res0 = SR_ONLY(PMCCFILTR_RW),
      .access = acc_pmu),
    EVCNT(0), EVCNT(1), EVCNT(2), EVCNT(3), EVCNT(4), EVCNT(5),
    EVTYPE(0), EVTYPE(1), EVTYPE(2), EVTYPE(3), EVTYPE(4), EVTYPE(5),
    { .name = NULL },
};
