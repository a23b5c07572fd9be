/*
 * The GICv3 virtual CPU interface (GICv3 spec chapter 11 and 12.4): the
 * ICH_ hypervisor control registers and the ICV_ behaviour that EL1 ICC_
 * accesses get when HCR_EL2.IMO/FMO route interrupts to EL2. The virtual
 * interrupts live in the list registers ICH_LR<n>_EL2; the virtual CPU
 * interface state (VPMR, VBPRs, VENG, VEOIM) is kept in ICH_VMCR_EL2 and
 * the virtual active priorities in ICH_AP0R0/AP1R0_EL2.
 */
#include "core/modules.h"
#include "gic/gic_internal.h"

/* ICH_VTR_EL2 (GICv3 spec 12.4.11) */
#define ICH_VTR_LISTREGS (GIC_NR_LRS - 1)
#define ICH_VTR_NV4 (1u << 20)                    /* no GICv4 direct injection */
#define ICH_VTR_TDS (1u << 19)                    /* ICH_HCR_EL2.TDIR traps ICV_DIR_EL1 */
#define ICH_VTR_PREBITS_SHIFT 26
#define ICH_VTR_PRIBITS_SHIFT 29

#define LR_STATE(lr) ((unsigned)((lr) >> ICH_LR_STATE_SHIFT))
enum { LR_INVALID = 0, LR_PEND = 1, LR_ACT = 2, LR_PENDACT = 3 };

static inline unsigned lr_prio(uint64_t lr)
{
    return (unsigned)(lr >> ICH_LR_PRIO_SHIFT) & GIC_PRIO_MASK;
}
static inline unsigned lr_grp(uint64_t lr) { return (lr & ICH_LR_GROUP) ? 1 : 0; }
static inline uint32_t lr_vintid(uint64_t lr) { return (uint32_t)(lr & ICH_LR_VINTID_MASK); }

static uint8_t vgroup_mask(uint32_t vmcr, unsigned grp)
{
    unsigned b0 = (vmcr >> ICH_VMCR_VBPR0_SHIFT) & 7, b1 = (vmcr >> ICH_VMCR_VBPR1_SHIFT) & 7;
    if (grp == 0 || (vmcr & ICH_VMCR_VCBPR))
        return (uint8_t)(0xFFu << (b0 + 1));
    return (uint8_t)(0xFFu << b1);
}

static unsigned vrunning(const GICCpu *gc)
{
    uint32_t ap = gc->ich_ap0r | gc->ich_ap1r;
    return ap ? (unsigned)__builtin_ctz(ap) << (8 - GIC_PRIO_BITS) : GIC_IDLE_PRIO;
}

/* The highest-priority pending virtual interrupt among the list registers
 * whose group is enabled (VENG0/VENG1). Returns the LR index or -1. Ties go
 * to the lowest-numbered list register. */
static int hppvi(const GICCpu *gc)
{
    int best = -1;
    unsigned bp = 0x100;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        uint64_t lr = gc->lr[i];
        if (LR_STATE(lr) != LR_PEND)
            continue;
        if (!(gc->ich_vmcr & (lr_grp(lr) ? ICH_VMCR_VENG1 : ICH_VMCR_VENG0)))
            continue;
        if (lr_prio(lr) < bp) {
            bp = lr_prio(lr);
            best = i;
        }
    }
    return best;
}

static bool vcan_signal(const GICCpu *gc, uint64_t lr)
{
    unsigned p = lr_prio(lr);
    if (p >= (gc->ich_vmcr >> ICH_VMCR_VPMR_SHIFT))
        return false;
    return (p & vgroup_mask(gc->ich_vmcr, lr_grp(lr))) < vrunning(gc);
}

uint32_t gic_virt_lines(const GICCpu *gc)
{
    if (!(gc->ich_hcr & ICH_HCR_EN))
        return 0;
    int i = hppvi(gc);
    if (i < 0 || !vcan_signal(gc, gc->lr[i]))
        return 0;
    return lr_grp(gc->lr[i]) ? IRQ_LINE_VIRQ : IRQ_LINE_VFIQ;
}

static uint32_t eisr(const GICCpu *gc)
{
    uint32_t v = 0;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        uint64_t lr = gc->lr[i];
        if (LR_STATE(lr) == LR_INVALID && !(lr & ICH_LR_HW) && (lr & ICH_LR_EOI))
            v |= 1u << i;
    }
    return v;
}

static uint32_t elrsr(const GICCpu *gc)
{
    uint32_t v = 0;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        uint64_t lr = gc->lr[i];
        if (LR_STATE(lr) == LR_INVALID && ((lr & ICH_LR_HW) || !(lr & ICH_LR_EOI)))
            v |= 1u << i;
    }
    return v;
}

uint32_t gic_ich_misr(const GICCpu *gc)
{
    uint32_t h = gc->ich_hcr, m = 0;
    unsigned valid = 0;
    bool any_pending = false;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        unsigned st = LR_STATE(gc->lr[i]);
        valid += st != LR_INVALID;
        any_pending |= st == LR_PEND;
    }
    if (eisr(gc))
        m |= ICH_MISR_EOI;
    if ((h & ICH_HCR_UIE) && valid <= 1)
        m |= ICH_MISR_U;
    if ((h & ICH_HCR_LRENPIE) && (h & ICH_HCR_EOICOUNT_MASK))
        m |= ICH_MISR_LRENP;
    if ((h & ICH_HCR_NPIE) && !any_pending)
        m |= ICH_MISR_NP;
    bool e0 = gc->ich_vmcr & ICH_VMCR_VENG0, e1 = gc->ich_vmcr & ICH_VMCR_VENG1;
    if ((h & ICH_HCR_VGRP0EIE) && e0)
        m |= ICH_MISR_VGRP0E;
    if ((h & ICH_HCR_VGRP0DIE) && !e0)
        m |= ICH_MISR_VGRP0D;
    if ((h & ICH_HCR_VGRP1EIE) && e1)
        m |= ICH_MISR_VGRP1E;
    if ((h & ICH_HCR_VGRP1DIE) && !e1)
        m |= ICH_MISR_VGRP1D;
    return m;
}

/* ---- ICV_ behaviour (GICv3 spec 12.3) ----------------------------------------- */

uint64_t icv_iar(CPUState *c, unsigned grp)
{
    GICCpu *gc = gic_cpu(c);
    int i = hppvi(gc);
    if (i < 0 || lr_grp(gc->lr[i]) != grp || !vcan_signal(gc, gc->lr[i]))
        return GIC_SPURIOUS;
    uint64_t lr = gc->lr[i];
    /* pending -> active (a virtual LPI has no active state: its list
     * register becomes invalid, GICv3 spec 4.9.x / 12.4.8 State); record
     * the group priority in ICH_AP<g>R0_EL2 */
    gc->lr[i] = (lr & ~(3ull << ICH_LR_STATE_SHIFT)) |
                (gic_is_lpi(lr_vintid(lr)) ? 0 : ICH_LR_ACTIVE);
    unsigned idx = (lr_prio(lr) & vgroup_mask(gc->ich_vmcr, grp)) >> (8 - GIC_PRIO_BITS);
    if (grp)
        gc->ich_ap1r |= 1u << idx;
    else
        gc->ich_ap0r |= 1u << idx;
    gic_update(c->m);
    return lr_vintid(lr);
}

/* Deactivation of a virtual interrupt (GICv3 spec 4.4.x / 12.3.x ICV_DIR):
 * the active list register with that vINTID loses its active state; with
 * HW = 1 the physical pINTID is deactivated too. No matching LR increments
 * ICH_HCR_EL2.EOIcount, except for an LPI, which has no active state
 * (12.4.6 EOIcount: EOIs of LPIs are not counted). */
static void vdeactivate(CPUState *c, uint32_t id)
{
    GICCpu *gc = gic_cpu(c);
    if (gic_is_lpi(id))
        return;
    for (int i = 0; i < GIC_NR_LRS; i++) {
        uint64_t lr = gc->lr[i];
        if (!(lr & ICH_LR_ACTIVE) || lr_vintid(lr) != id)
            continue;
        gc->lr[i] = lr & ~ICH_LR_ACTIVE;
        if (lr & ICH_LR_HW) {
            unsigned pid = (unsigned)((lr >> ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK);
            if (pid < GIC_NR_IRQS)
                gic_irq_set_active(gic_of(c), c->index, pid, false);
        }
        return;
    }
    uint32_t cnt = (gc->ich_hcr >> ICH_HCR_EOICOUNT_SHIFT) + 1;
    gc->ich_hcr = (gc->ich_hcr & ~ICH_HCR_EOICOUNT_MASK) |
                  ((cnt << ICH_HCR_EOICOUNT_SHIFT) & ICH_HCR_EOICOUNT_MASK);
}

void icv_eoir(CPUState *c, unsigned grp, uint64_t v)
{
    GICCpu *gc = gic_cpu(c);
    uint32_t id = (uint32_t)(v & 0xFFFFFF);
    if (id >= 1020 && id <= 1023)
        return;
    uint32_t all = gc->ich_ap0r | gc->ich_ap1r;
    if (all) {
        uint32_t b = all & -all;
        uint32_t *mine = grp ? &gc->ich_ap1r : &gc->ich_ap0r;
        uint32_t *other = grp ? &gc->ich_ap0r : &gc->ich_ap1r;
        if (*mine & b)
            *mine &= ~b;
        else
            *other &= ~b;
    }
    if (!(gc->ich_vmcr & ICH_VMCR_VEOIM))
        vdeactivate(c, id);
    gic_update(c->m);
}

void icv_dir(CPUState *c, uint64_t v)
{
    uint32_t id = (uint32_t)(v & 0xFFFFFF);
    if (id < 1020)
        vdeactivate(c, id);
    gic_update(c->m);
}

uint64_t icv_hppir(CPUState *c, unsigned grp)
{
    GICCpu *gc = gic_cpu(c);
    int i = hppvi(gc);
    if (i < 0 || lr_grp(gc->lr[i]) != grp)
        return GIC_SPURIOUS;
    return lr_vintid(gc->lr[i]);
}

uint64_t icv_rpr(CPUState *c) { return vrunning(gic_cpu(c)); }

/* ---- ICH_ registers ------------------------------------------------------------ */

#define ICH_HCR_WMASK (ICH_HCR_EN | ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE | \
                       ICH_HCR_VGRP0EIE | ICH_HCR_VGRP0DIE | ICH_HCR_VGRP1EIE | \
                       ICH_HCR_VGRP1DIE | ICH_HCR_TC | ICH_HCR_TALL0 | ICH_HCR_TALL1 | \
                       ICH_HCR_TDIR | ICH_HCR_EOICOUNT_MASK)

GIC_RD(ich_hcr_read) { return gic_cpu(c)->ich_hcr; }
GIC_WR(ich_hcr_write)
{
    gic_cpu(c)->ich_hcr = (uint32_t)v & ICH_HCR_WMASK;
    gic_update(c->m);
}

GIC_RD(ich_vtr_read)
{
    return ICH_VTR_LISTREGS | ICH_VTR_TDS | ICH_VTR_NV4 | (uint64_t)(GIC_PRIO_BITS - 1) << ICH_VTR_PREBITS_SHIFT |
           (uint64_t)(GIC_PRIO_BITS - 1) << ICH_VTR_PRIBITS_SHIFT;
}

GIC_RD(ich_vmcr_read) { return gic_cpu(c)->ich_vmcr; }
GIC_WR(ich_vmcr_write)
{
    uint32_t b0 = (uint32_t)(v >> ICH_VMCR_VBPR0_SHIFT) & 7;
    uint32_t b1 = (uint32_t)(v >> ICH_VMCR_VBPR1_SHIFT) & 7;
    if (b0 < GIC_MIN_BPR0)
        b0 = GIC_MIN_BPR0;
    if (b1 < GIC_MIN_BPR1)
        b1 = GIC_MIN_BPR1;
    uint32_t nv = ((uint32_t)v & (ICH_VMCR_VENG0 | ICH_VMCR_VENG1 | ICH_VMCR_VCBPR | ICH_VMCR_VEOIM)) |
                  ICH_VMCR_VFIQEN | b1 << ICH_VMCR_VBPR1_SHIFT | b0 << ICH_VMCR_VBPR0_SHIFT |
                  (((uint32_t)(v >> ICH_VMCR_VPMR_SHIFT) & GIC_PRIO_MASK) << ICH_VMCR_VPMR_SHIFT);
    gic_cpu(c)->ich_vmcr = nv;
    gic_update(c->m);
}

GIC_RD(ich_misr_read) { return gic_ich_misr(gic_cpu(c)); }
GIC_RD(ich_eisr_read) { return eisr(gic_cpu(c)); }
GIC_RD(ich_elrsr_read) { return elrsr(gic_cpu(c)); }

/* ICH_LR<n>_EL2: CRm 12 (n = op2) or 13 (n = 8 + op2) */
static unsigned lr_index(const SysRegDesc *r)
{
    return (((r->enc >> 3) & 15) - 12) * 8 + (r->enc & 7);
}

GIC_RD(ich_lr_read) { return gic_cpu(c)->lr[lr_index(r)]; }
GIC_WR(ich_lr_write)
{
    /* bits [47:42] and [59:56] are RES0, as are the unimplemented low
     * priority bits [50:48] (5 bits implemented); with HW = 0, pINTID
     * bits [40:32] are RES0 and bit 41 is EOI (GICv3 spec 12.4.8) */
    uint64_t keep = ~((0x3Full << 42) | (0xFull << 56) | (0x7ull << ICH_LR_PRIO_SHIFT));
    if (!(v & ICH_LR_HW))
        keep &= ~(0x1FFull << 32);
    gic_cpu(c)->lr[lr_index(r)] = v & keep;
    gic_update(c->m);
}

/* ICH_AP0R0_EL2 (CRm 8) / ICH_AP1R0_EL2 (CRm 9) */
GIC_RD(ich_ap_read)
{
    GICCpu *gc = gic_cpu(c);
    return ((r->enc >> 3) & 15) == 9 ? gc->ich_ap1r : gc->ich_ap0r;
}
GIC_WR(ich_ap_write)
{
    GICCpu *gc = gic_cpu(c);
    *(((r->enc >> 3) & 15) == 9 ? &gc->ich_ap1r : &gc->ich_ap0r) = (uint32_t)v;
    gic_update(c->m);
}
