/*
 * The generic timer's system registers (Arm ARM D13.8 "Generic Timer
 * registers") and their access controls (Arm ARM D11.2 and the access
 * pseudocode of each register): CNTKCTL_EL1 for EL0, CNTHCTL_EL2 for EL1
 * and EL0 (whose layout depends on HCR_EL2.E2H), and the VHE redirection
 * of the EL0 timer registers to the EL2 timers in the EL2&0 regime.
 */
#include "core/modules.h"
#include "cpu/exception.h"
#include "el2/policy.h"
#include "el2/ecv.h"
#include "timer/timer_internal.h"

/* HCR_EL2.E2H as it applies (src/el2/policy.h) */
static inline bool e2h(const CPUState *c) { return EffectiveHCR_EL2_E2H(c); }
/* The EL2&0 regime's "host": EL2 with E2H = 1, or EL0 with E2H = TGE = 1 */
static inline bool in_host(const CPUState *c) { return IsInHost(c); }

static SysRegAccess trap(unsigned el, unsigned *target_el, uint32_t *ec)
{
    *target_el = el;
    *ec = EC_SYSREG;
    return SRA_TRAP;
}

/*
 * EL0 enable check: in the host, CNTHCTL_EL2 (E2H layout) controls EL0 and
 * a disabled access traps to EL2; otherwise CNTKCTL_EL1 does and the access
 * traps to EL1 (EL2 with TGE = 1). `bits`: enabled if any is set.
 */
static SysRegAccess el0_check(CPUState *c, uint32_t bits, unsigned *target_el, uint32_t *ec)
{
    if (c->el != 0)
        return SRA_OK;
    if (in_host(c))
        return (c->sr[SR_CNTHCTL_EL2] & bits) ? SRA_OK : trap(2, target_el, ec);
    if (!(c->sr[SR_CNTKCTL_EL1] & bits))
        return trap(el1_trap_target(c), target_el, ec);
    return SRA_OK;
}

/* EL1/EL0 (not host) check against CNTHCTL_EL2: e2h0_bit with E2H = 0,
 * e2h1_bit with E2H = 1. */
static SysRegAccess el2_check(CPUState *c, uint32_t e2h0_bit, uint32_t e2h1_bit,
                              unsigned *target_el, uint32_t *ec)
{
    if (c->el == 2 || !has_feat(c, FEAT_EL2) || in_host(c))
        return SRA_OK;
    uint32_t bit = e2h(c) ? e2h1_bit : e2h0_bit;
    return (c->sr[SR_CNTHCTL_EL2] & bit) ? SRA_OK : trap(2, target_el, ec);
}

/* CNTPCT_EL0: CNTKCTL_EL1.EL0PCTEN, then CNTHCTL_EL2.EL1PCTEN */
static SysRegAccess acc_pct(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = el0_check(c, CNTKCTL_EL0PCTEN, tel, ec);
    return a != SRA_OK ? a : el2_check(c, CNTHCTL_EL1PCTEN, CNTHCTL_E2H_EL1PCTEN, tel, ec);
}

/* CNTVCT_EL0, CNTVCTSS_EL0: CNTKCTL_EL1.EL0VCTEN, then (FEAT_ECV)
 * CNTHCTL_EL2.EL1TVCT (src/el2/ecv.c) */
static SysRegAccess acc_vct(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    SysRegAccess a = el0_check(c, CNTKCTL_EL0VCTEN, tel, ec);
    if (a == SRA_OK && el2_ecv_trap_vcount(c))
        return trap(2, tel, ec);
    return a;
}

/* CNTFRQ_EL0: EL0 reads need EL0PCTEN or EL0VCTEN; writable only at the
 * highest implemented EL (EL2 if implemented, else EL1). */
static SysRegAccess acc_frq(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    if (!rd) {
        unsigned top = has_feat(c, FEAT_EL2) ? 2 : 1;
        return c->el == top ? SRA_OK : SRA_UNDEF;
    }
    return el0_check(c, CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN, tel, ec);
}

/* CNTP_*_EL0: EL0PTEN, then CNTHCTL_EL2.EL1PCEN (E2H = 0) / EL1PTEN (E2H = 1) */
static SysRegAccess acc_ptimer(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel,
                               uint32_t *ec)
{
    SysRegAccess a = el0_check(c, CNTKCTL_EL0PTEN, tel, ec);
    return a != SRA_OK ? a : el2_check(c, CNTHCTL_EL1PCEN, CNTHCTL_E2H_EL1PTEN, tel, ec);
}

/* CNTV_*_EL0: EL0VTEN, then (FEAT_ECV) CNTHCTL_EL2.EL1TVT; both before
 * FEAT_NV2's VNCR redirect (the executor applies it after this function) */
static SysRegAccess acc_vtimer(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel,
                               uint32_t *ec)
{
    SysRegAccess a = el0_check(c, CNTKCTL_EL0VTEN, tel, ec);
    if (a == SRA_OK && el2_ecv_trap_vtimer(c))
        return trap(2, tel, ec);
    return a;
}

static SysRegAccess acc_el1(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    return c->el >= 1 ? SRA_OK : SRA_UNDEF;
}

/* EL2 registers: EL2 only; FEAT_NV makes EL1 accesses trap to EL2. */
static SysRegAccess acc_el2(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    if (c->el == 2)
        return SRA_OK;
    if (el2_trap_nv(c))
        return trap(2, tel, ec);
    return SRA_UNDEF;
}

/* _EL02/_EL12 aliases: only at EL2 with HCR_EL2.E2H = 1 */
static SysRegAccess acc_el02(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel,
                             uint32_t *ec)
{
    if (c->el == 2)
        return e2h(c) ? SRA_OK : SRA_UNDEF;
    return acc_el2(c, r, rd, tel, ec);
}

/* ---- Which timer an encoding reaches ------------------------------------------ */

static enum TimerId resolve(const CPUState *c, const SysRegDesc *r)
{
    unsigned op1 = (r->enc >> 11) & 7, crm = (r->enc >> 3) & 15;
    bool virt = crm == 3;
    switch (op1) {
    case 3:   /* CNTP_* / CNTV_* _EL0: EL2 timers in the host (VHE) */
        if (in_host(c))
            return virt ? TIMER_HYPVIRT : TIMER_HYP;
        return virt ? TIMER_VIRT : TIMER_PHYS;
    case 4:   /* CNTHP_* / CNTHV_* _EL2 */
        return virt ? TIMER_HYPVIRT : TIMER_HYP;
    default:  /* op1 = 5: CNTP_* / CNTV_* _EL02 */
        return virt ? TIMER_VIRT : TIMER_PHYS;
    }
}

static const uint16_t ctl_slot[TIMER__COUNT] = { SR_CNTP_CTL_EL0, SR_CNTV_CTL_EL0,
                                                 SR_CNTHP_CTL_EL2, SR_CNTHV_CTL_EL2 };
static const uint16_t cval_slot[TIMER__COUNT] = { SR_CNTP_CVAL_EL0, SR_CNTV_CVAL_EL0,
                                                  SR_CNTHP_CVAL_EL2, SR_CNTHV_CVAL_EL2 };

static uint64_t timer_count(const CPUState *c, enum TimerId t)
{
    return timer_phys_count(c) - timer_offset(c, t);
}

static uint64_t rd_ctl(CPUState *c, const SysRegDesc *r) { return timer_ctl_value(c, resolve(c, r)); }
static void wr_ctl(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[ctl_slot[resolve(c, r)]] = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    timer_update_cpu(c);
}
static uint64_t rd_cval(CPUState *c, const SysRegDesc *r) { return c->sr[cval_slot[resolve(c, r)]]; }
static void wr_cval(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[cval_slot[resolve(c, r)]] = v;
    timer_update_cpu(c);
}
/* TVAL: a signed 32-bit view, CVAL - count (Arm ARM D13.8.x CNTP_TVAL_EL0) */
static uint64_t rd_tval(CPUState *c, const SysRegDesc *r)
{
    enum TimerId t = resolve(c, r);
    return (uint32_t)(c->sr[cval_slot[t]] - timer_count(c, t));
}
static void wr_tval(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    enum TimerId t = resolve(c, r);
    c->sr[cval_slot[t]] = timer_count(c, t) + (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    timer_update_cpu(c);
}

/* CNTFRQ_EL0 is not reset by a CPU reset; the board presets it to the
 * configured counter frequency (as firmware would). Bits [63:32] RES0. */
static uint64_t rd_frq(CPUState *c, const SysRegDesc *r) { return ((TimerCPU *)c->timer)->cntfrq; }
static void wr_frq(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    ((TimerCPU *)c->timer)->cntfrq = (uint32_t)v;
}

/* CNTPCT_EL0, CNTPCTSS_EL0: at EL0/EL1 minus the FEAT_ECV physical offset
 * (CNTPOFF_EL2 when CNTHCTL_EL2.ECV = 1, src/el2/ecv.c) */
static uint64_t rd_pct(CPUState *c, const SysRegDesc *r)
{
    uint64_t pc = timer_phys_count(c);
    return c->el < 2 ? pc - el2_ecv_phys_offset(c) : pc;
}
static uint64_t rd_vct(CPUState *c, const SysRegDesc *r)
{
    /* The virtual offset is treated as zero in the EL2&0 host with TGE = 1
     * (EL0 and EL2 accesses with HCR_EL2.{E2H,TGE} = {1,1}). */
    uint64_t off = has_feat(c, FEAT_EL2) ? c->sr[SR_CNTVOFF_EL2] : 0;
    if (ELIsInHost(c, 0) && c->el != 1)
        off = 0;
    return timer_phys_count(c) - off;
}
static void wr_cntvoff(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[SR_CNTVOFF_EL2] = v;
    timer_update_cpu(c);
}

/* CNTKCTL_EL1 at EL2 with E2H = 1 is CNTHCTL_EL2 (Arm ARM D5.x VHE
 * redirection); CNTKCTL_EL12 always reaches CNTKCTL_EL1. */
#define CNTKCTL_MASK 0x3FFull
#define CNTHCTL_MASK 0xFFFull
/* FEAT_ECV adds CNTHCTL_EL2.{ECV, EL1TVT, EL1TVCT, EL1NVPCT, EL1NVVCT,
 * EVNTIS} and CNTKCTL_EL1.EVNTIS */
#define CNTHCTL_ECV_BITS (CNTHCTL_ECV | CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT | CNTHCTL_EL1NVPCT | \
                          CNTHCTL_EL1NVVCT | CNTHCTL_EVNTIS)
static uint64_t kctl_mask(const CPUState *c)
{
    return CNTKCTL_MASK | (has_feat(c, FEAT_ECV) ? CNTKCTL_EVNTIS : 0);
}
static uint64_t hctl_mask(const CPUState *c)
{
    return CNTHCTL_MASK | (has_feat(c, FEAT_ECV) ? CNTHCTL_ECV_BITS : 0);
}
static bool kctl_is_hctl(const CPUState *c, const SysRegDesc *r)
{
    return ((r->enc >> 11) & 7) == 0 && c->el == 2 && e2h(c);
}
static uint64_t rd_kctl(CPUState *c, const SysRegDesc *r)
{
    return c->sr[kctl_is_hctl(c, r) ? SR_CNTHCTL_EL2 : SR_CNTKCTL_EL1];
}
static void wr_kctl(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    if (kctl_is_hctl(c, r)) {
        c->sr[SR_CNTHCTL_EL2] = v & hctl_mask(c);
        timer_update_cpu(c);    /* CNTHCTL_EL2.ECV moves the EL1 physical timer */
    } else {
        c->sr[SR_CNTKCTL_EL1] = v & kctl_mask(c);
    }
}
static void wr_hctl(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_CNTHCTL_EL2] = v & hctl_mask(c);
    timer_update_cpu(c);
}
/* CNTPOFF_EL2 (FEAT_ECV): the EL1 physical timer's deadline moves */
static void wr_cntpoff(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_CNTPOFF_EL2] = v;
    timer_update_cpu(c);
}

#define TREG(nm, e, acc_, rd, wr, feat, fl)                                              \
    { .name = nm, .enc = e, .slot = SR_NONE, .feature = feat, .flags = fl, .vncr_offset = -1, \
      .access = acc_, .read = rd, .write = wr }

/* As TREG, with the FEAT_NV2 VNCR_EL2 offset vo (branch el2). */
#define TREGV(vo, nm, e, acc_, rd, wr, feat, fl)                                        \
    { .name = nm, .enc = e, .slot = SR_NONE, .feature = feat, .flags = fl, .vncr_offset = vo, \
      .access = acc_, .read = rd, .write = wr }

const SysRegDesc sysreg_timer_table[] = {
    TREG("CNTFRQ_EL0", A83_SYSREG(3, 3, 14, 0, 0), acc_frq, rd_frq, wr_frq, -1, 0),
    TREG("CNTPCT_EL0", A83_SYSREG(3, 3, 14, 0, 1), acc_pct, rd_pct, NULL, -1, SRF_RO),
    TREG("CNTVCT_EL0", A83_SYSREG(3, 3, 14, 0, 2), acc_vct, rd_vct, NULL, -1, SRF_RO),
    /* FEAT_ECV self-synchronized views: an emulator's counter reads are
     * already ordered, so they are CNTPCT_EL0/CNTVCT_EL0 with their traps */
    TREG("CNTPCTSS_EL0", A83_SYSREG(3, 3, 14, 0, 5), acc_pct, rd_pct, NULL, FEAT_ECV, SRF_RO),
    TREG("CNTVCTSS_EL0", A83_SYSREG(3, 3, 14, 0, 6), acc_vct, rd_vct, NULL, FEAT_ECV, SRF_RO),
    TREG("CNTP_TVAL_EL0", A83_SYSREG(3, 3, 14, 2, 0), acc_ptimer, rd_tval, wr_tval, -1, 0),
    TREGV(0x180, "CNTP_CTL_EL0", A83_SYSREG(3, 3, 14, 2, 1), acc_ptimer, rd_ctl, wr_ctl, -1, 0),
    TREGV(0x178, "CNTP_CVAL_EL0", A83_SYSREG(3, 3, 14, 2, 2), acc_ptimer, rd_cval, wr_cval, -1, 0),
    TREG("CNTV_TVAL_EL0", A83_SYSREG(3, 3, 14, 3, 0), acc_vtimer, rd_tval, wr_tval, -1, 0),
    TREGV(0x170, "CNTV_CTL_EL0", A83_SYSREG(3, 3, 14, 3, 1), acc_vtimer, rd_ctl, wr_ctl, -1, 0),
    TREGV(0x168, "CNTV_CVAL_EL0", A83_SYSREG(3, 3, 14, 3, 2), acc_vtimer, rd_cval, wr_cval, -1, 0),
    { .name = "CNTKCTL_EL1", .enc = A83_SYSREG(3, 0, 14, 1, 0), .slot = SR_NONE, .feature = -1,
      .vncr_offset = -1, .access = acc_el1, .read = rd_kctl, .write = wr_kctl,
      .e2h_redirect = A83_SYSREG(3, 4, 14, 1, 0) },
    TREG("CNTKCTL_EL12", A83_SYSREG(3, 5, 14, 1, 0), acc_el02, rd_kctl, wr_kctl, FEAT_VHE,
         SRF_EL12),
    { .name = "CNTHCTL_EL2", .enc = A83_SYSREG(3, 4, 14, 1, 0), .slot = SR_CNTHCTL_EL2,
      .feature = FEAT_EL2, .vncr_offset = -1, .access = acc_el2, .write = wr_hctl,
      /* E2H = 0 layout: EL1PCTEN, EL1PCEN reset to 1 so EL1 starts untrapped */
      .reset = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN },
    { .name = "CNTVOFF_EL2", .enc = A83_SYSREG(3, 4, 14, 0, 3), .slot = SR_CNTVOFF_EL2,
      .feature = FEAT_EL2, .vncr_offset = 0x60, .access = acc_el2, .write = wr_cntvoff },
    /* CNTPOFF_EL2 (FEAT_ECV): no VNCR_EL2 offset is used for it here (the
     * Linux/KVM VNCR map has none); an EL1 access with NV = 1 traps. */
    { .name = "CNTPOFF_EL2", .enc = A83_SYSREG(3, 4, 14, 0, 6), .slot = SR_CNTPOFF_EL2,
      .feature = FEAT_ECV, .vncr_offset = -1, .access = acc_el2, .write = wr_cntpoff },
    TREG("CNTHP_TVAL_EL2", A83_SYSREG(3, 4, 14, 2, 0), acc_el2, rd_tval, wr_tval, FEAT_EL2, 0),
    TREG("CNTHP_CTL_EL2", A83_SYSREG(3, 4, 14, 2, 1), acc_el2, rd_ctl, wr_ctl, FEAT_EL2, 0),
    TREG("CNTHP_CVAL_EL2", A83_SYSREG(3, 4, 14, 2, 2), acc_el2, rd_cval, wr_cval, FEAT_EL2, 0),
    TREG("CNTHV_TVAL_EL2", A83_SYSREG(3, 4, 14, 3, 0), acc_el2, rd_tval, wr_tval, FEAT_VHE, 0),
    TREG("CNTHV_CTL_EL2", A83_SYSREG(3, 4, 14, 3, 1), acc_el2, rd_ctl, wr_ctl, FEAT_VHE, 0),
    TREG("CNTHV_CVAL_EL2", A83_SYSREG(3, 4, 14, 3, 2), acc_el2, rd_cval, wr_cval, FEAT_VHE, 0),
    TREG("CNTP_TVAL_EL02", A83_SYSREG(3, 5, 14, 2, 0), acc_el02, rd_tval, wr_tval, FEAT_VHE, SRF_EL12),
    /* FEAT_NV2: with NVx = '101' an EL1 access to the CTL/CVAL aliases is
     * NVMem at the EL0 names' offsets (CNTHCTL_EL2.EL1NVPCT/EL1NVVCT, FEAT_ECV,
     * turn that back into a trap: src/el2/ecv.c); TVAL_EL02 always traps. */
    TREGV(0x180, "CNTP_CTL_EL02", A83_SYSREG(3, 5, 14, 2, 1), acc_el02, rd_ctl, wr_ctl, FEAT_VHE, SRF_EL12),
    TREGV(0x178, "CNTP_CVAL_EL02", A83_SYSREG(3, 5, 14, 2, 2), acc_el02, rd_cval, wr_cval, FEAT_VHE, SRF_EL12),
    TREG("CNTV_TVAL_EL02", A83_SYSREG(3, 5, 14, 3, 0), acc_el02, rd_tval, wr_tval, FEAT_VHE, SRF_EL12),
    TREGV(0x170, "CNTV_CTL_EL02", A83_SYSREG(3, 5, 14, 3, 1), acc_el02, rd_ctl, wr_ctl, FEAT_VHE, SRF_EL12),
    TREGV(0x168, "CNTV_CVAL_EL02", A83_SYSREG(3, 5, 14, 3, 2), acc_el02, rd_cval, wr_cval, FEAT_VHE, SRF_EL12),
    { .name = NULL },
};
