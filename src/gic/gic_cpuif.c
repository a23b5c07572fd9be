/*
 * The GICv3 physical CPU interface, accessed through the ICC_ system
 * registers (GICv3 spec 12.2), and the trap/virtualisation dispatch of
 * EL1 accesses: with HCR_EL2.IMO/FMO set, EL1 ICC_ accesses reach the
 * virtual interface (ICV_, gic_virt.c) instead (GICv3 spec 11.2.2).
 *
 * Prioritisation (GICv3 spec 4.8): a pending interrupt is signalled when
 * its priority is higher (numerically lower) than ICC_PMR_EL1 and its
 * group priority (the bits above the binary point) is higher than the
 * running priority (the highest active priority in ICC_AP0R/AP1R).
 * Acknowledge (IAR) makes it active and records its group priority in the
 * active priorities; EOIR drops the running priority and, with
 * ICC_CTLR_EL1.EOImode == 0, also deactivates; with EOImode == 1 ICC_DIR
 * deactivates.
 */
#include "core/hooks.h"
#include "core/modules.h"
#include "cpu/exception.h"
#include "el2/policy.h"
#include "gic/gic_internal.h"

static inline unsigned enc_crm(const SysRegDesc *r) { return (r->enc >> 3) & 15; }
static inline unsigned enc_op2(const SysRegDesc *r) { return r->enc & 7; }
/* IAR/EOIR/HPPIR/BPR: CRm = 8 for Group 0, 12 for Group 1 */
static inline unsigned enc_grp(const SysRegDesc *r) { return enc_crm(r) == 8 ? 0 : 1; }

/* ---- Priority arithmetic ----------------------------------------------------- */

uint8_t gic_group_prio_mask(const GICCpu *gc, unsigned grp)
{
    /* GICv3 spec 4.8.5 Table 4-7: ICC_BPR0 = n puts the group priority in
     * bits [7:n+1]; ICC_BPR1 = n in bits [7:n]; with CBPR, Group 1 uses
     * ICC_BPR0's split. */
    if (grp == 0 || (gc->ctlr & ICC_CTLR_CBPR))
        return (uint8_t)(0xFFu << (gc->bpr0 + 1));
    return (uint8_t)(0xFFu << gc->bpr1);
}

static unsigned prio_from_ap(uint32_t ap)
{
    /* bit n of ICC_AP<g>R0 is group priority n << (8 - 5) */
    return ap ? (unsigned)__builtin_ctz(ap) << (8 - GIC_PRIO_BITS) : GIC_IDLE_PRIO;
}

unsigned gic_running_prio(const GICCpu *gc) { return prio_from_ap(gc->ap0r | gc->ap1r); }

/* Whether a pending interrupt of priority prio and group grp may be
 * signalled/acknowledged now (priority mask and preemption). */
static bool can_signal(const GICCpu *gc, unsigned prio, unsigned grp)
{
    if (prio >= gc->pmr)
        return false;
    return (prio & gic_group_prio_mask(gc, grp)) < gic_running_prio(gc);
}

uint32_t gic_cpuif_lines(const GIC *g, unsigned cpu)
{
    const GICCpu *gc = &g->cpu[cpu];
    unsigned prio;
    unsigned id = gic_hppi(g, cpu, &prio);
    if (id == GIC_SPURIOUS)
        return 0;
    unsigned grp = gic_irq_group(g, cpu, id);
    if (!can_signal(gc, prio, grp))
        return 0;
    /* One Security state: Group 0 is FIQ, Group 1 is IRQ (GICv3 spec 4.6.1). */
    return grp ? IRQ_LINE_IRQ : IRQ_LINE_FIQ;
}

/* ---- Trap and virtualisation decisions --------------------------------------- */

bool gic_use_icv(const CPUState *c, int grp)
{
    if (c->el != 1)
        return false;
    /* HCR_EL2.FMO for group 0, IMO for group 1, either for the common
     * registers; none under TGE (el2_virt_int_enabled()). */
    if (grp == 0)
        return el2_virt_int_enabled(c, EL2_INT_FIQ);
    if (grp == 1)
        return el2_virt_int_enabled(c, EL2_INT_IRQ);
    return el2_virt_int_enabled(c, EL2_INT_FIQ) || el2_virt_int_enabled(c, EL2_INT_IRQ);
}

static SysRegAccess trap_el2(unsigned *target_el, uint32_t *ec)
{
    *target_el = 2;
    *ec = EC_SYSREG;
    return SRA_TRAP;
}

/* EL1 accesses trap to EL2 when any of the ICH_HCR_EL2 bits in `bits` is
 * set (GICv3 spec 12.4.6: TC, TALL0, TALL1, TDIR). EL0 is UNDEFINED. */
static SysRegAccess icc_check(CPUState *c, uint32_t bits, unsigned *target_el, uint32_t *ec)
{
    if (c->el == 0)
        return SRA_UNDEF;
    if (c->el == 1 && has_feat(c, FEAT_EL2) && (gic_cpu(c)->ich_hcr & bits))
        return trap_el2(target_el, ec);
    return SRA_OK;
}

GIC_AC(icc_access_grp0) { return icc_check(c, ICH_HCR_TALL0, target_el, ec); }
GIC_AC(icc_access_grp1) { return icc_check(c, ICH_HCR_TALL1, target_el, ec); }
GIC_AC(icc_access_common) { return icc_check(c, ICH_HCR_TC, target_el, ec); }
GIC_AC(icc_access_dir) { return icc_check(c, ICH_HCR_TC | ICH_HCR_TDIR, target_el, ec); }

GIC_AC(icc_access_sgi)
{
    SysRegAccess a = icc_check(c, ICH_HCR_TC, target_el, ec);
    if (a != SRA_OK)
        return a;
    /* SGI generation from EL1 traps to EL2 when the interrupt class is
     * routed there: HCR_EL2.FMO for ICC_SGI0R, IMO for SGI1R/ASGI1R
     * (GICv3 spec 12.2.21-23). */
    if (c->el == 1 && gic_use_icv(c, enc_op2(r) == 7 ? 0 : 1))
        return trap_el2(target_el, ec);
    return SRA_OK;
}

GIC_AC(icc_access_sre_el1)
{
    if (c->el == 0)
        return SRA_UNDEF;
    /* ICC_SRE_EL2.Enable == 0 traps EL1 accesses to ICC_SRE_EL1 (12.2.17) */
    if (c->el == 1 && has_feat(c, FEAT_EL2) && !(gic_cpu(c)->sre_el2 & ICC_SRE_ENABLE))
        return trap_el2(target_el, ec);
    return SRA_OK;
}

GIC_AC(gic_access_el2)
{
    if (c->el == 2)
        return SRA_OK;
    /* FEAT_NV: EL1 accesses to EL2 registers trap to EL2 with HCR_EL2.NV */
    if (el2_trap_nv(c))
        return trap_el2(target_el, ec);
    return SRA_UNDEF;
}

/* ---- ICC_ registers ------------------------------------------------------------ */

GIC_RD(icc_iar_read)
{
    unsigned grp = enc_grp(r);
    if (gic_use_icv(c, (int)grp)) {
        uint64_t vid = icv_iar(c, grp);
        if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_IRQ_ACK)) && vid != GIC_SPURIOUS)
            hooks_irq_ack(c, (unsigned)vid, true);
        return vid;
    }
    GIC *g = gic_of(c);
    GICCpu *gc = gic_cpu(c);
    unsigned prio;
    unsigned id = gic_hppi(g, c->index, &prio);
    if (id == GIC_SPURIOUS || gic_irq_group(g, c->index, id) != grp || !can_signal(gc, prio, grp))
        return GIC_SPURIOUS;
    /* Acknowledge (GICv3 spec 4.1.1): pending -> active (a level input that
     * is still asserted leaves it active and pending). */
    gic_irq_set_pending(g, c->index, id, false);
    gic_irq_set_active(g, c->index, id, true);
    unsigned idx = (prio & gic_group_prio_mask(gc, grp)) >> (8 - GIC_PRIO_BITS);
    if (grp)
        gc->ap1r |= 1u << idx;
    else
        gc->ap0r |= 1u << idx;
    gic_update(c->m);
    if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_IRQ_ACK)))
        hooks_irq_ack(c, id, false);   /* embedder hook (core/hooks.c) */
    return id;
}

/* Priority drop (GICv3 spec 4.1.1): clears the highest active priority. */
static void priority_drop(uint32_t *ap0r, uint32_t *ap1r, unsigned grp)
{
    uint32_t all = *ap0r | *ap1r;
    if (!all)
        return;
    uint32_t b = all & -all;
    uint32_t *mine = grp ? ap1r : ap0r, *other = grp ? ap0r : ap1r;
    if (*mine & b)
        *mine &= ~b;
    else
        *other &= ~b;
}

static void deactivate(CPUState *c, unsigned id)
{
    if (id < GIC_NR_IRQS)
        gic_irq_set_active(gic_of(c), c->index, id, false);
}

GIC_WR(icc_eoir_write)
{
    unsigned grp = enc_grp(r);
    if (gic_use_icv(c, (int)grp)) {
        icv_eoir(c, grp, v);
        return;
    }
    GICCpu *gc = gic_cpu(c);
    unsigned id = (unsigned)(v & 0xFFFFFF);
    if (id >= 1020 && id <= 1023)
        return;   /* special INTIDs: no effect */
    priority_drop(&gc->ap0r, &gc->ap1r, grp);
    if (!(gc->ctlr & ICC_CTLR_EOIMODE))
        deactivate(c, id);
    gic_update(c->m);
}

GIC_WR(icc_dir_write)
{
    if (gic_use_icv(c, -1)) {
        icv_dir(c, v);
        return;
    }
    unsigned id = (unsigned)(v & 0xFFFFFF);
    if (id < 1020)
        deactivate(c, id);
    gic_update(c->m);
}

GIC_RD(icc_hppir_read)
{
    unsigned grp = enc_grp(r);
    if (gic_use_icv(c, (int)grp))
        return icv_hppir(c, grp);
    GIC *g = gic_of(c);
    unsigned id = gic_hppi(g, c->index, NULL);
    if (id == GIC_SPURIOUS || gic_irq_group(g, c->index, id) != grp)
        return GIC_SPURIOUS;
    return id;
}

static unsigned clamp_bpr(uint64_t v, unsigned min) { return (v & 7) < min ? min : (unsigned)(v & 7); }

GIC_RD(icc_bpr_read)
{
    unsigned grp = enc_grp(r);
    if (gic_use_icv(c, (int)grp)) {
        uint32_t vm = gic_cpu(c)->ich_vmcr;
        unsigned b0 = (vm >> ICH_VMCR_VBPR0_SHIFT) & 7, b1 = (vm >> ICH_VMCR_VBPR1_SHIFT) & 7;
        if (grp && (vm & ICH_VMCR_VCBPR))
            return b0 + 1 > 7 ? 7 : b0 + 1;
        return grp ? b1 : b0;
    }
    GICCpu *gc = gic_cpu(c);
    if (grp && (gc->ctlr & ICC_CTLR_CBPR))
        return gc->bpr0 + 1 > 7 ? 7 : gc->bpr0 + 1;   /* GICv3 spec 12.2.3 */
    return grp ? gc->bpr1 : gc->bpr0;
}

GIC_WR(icc_bpr_write)
{
    unsigned grp = enc_grp(r);
    if (gic_use_icv(c, (int)grp)) {
        GICCpu *gc = gic_cpu(c);
        if (grp && (gc->ich_vmcr & ICH_VMCR_VCBPR))
            return;
        unsigned sh = grp ? ICH_VMCR_VBPR1_SHIFT : ICH_VMCR_VBPR0_SHIFT;
        gc->ich_vmcr = (gc->ich_vmcr & ~(7u << sh)) |
                       clamp_bpr(v, grp ? GIC_MIN_BPR1 : GIC_MIN_BPR0) << sh;
        gic_update(c->m);
        return;
    }
    GICCpu *gc = gic_cpu(c);
    if (grp == 0)
        gc->bpr0 = (uint8_t)clamp_bpr(v, GIC_MIN_BPR0);
    else if (!(gc->ctlr & ICC_CTLR_CBPR))
        gc->bpr1 = (uint8_t)clamp_bpr(v, GIC_MIN_BPR1);
    gic_update(c->m);
}

/* ICC_AP0R0_EL1 (CRm 8, op2 4) / ICC_AP1R0_EL1 (CRm 9, op2 0). Only index 0
 * exists with 5 priority bits (GICv3 spec 12.2.1). */
GIC_RD(icc_ap_read)
{
    unsigned grp = enc_crm(r) == 9;
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, (int)grp))
        return grp ? gc->ich_ap1r : gc->ich_ap0r;
    return grp ? gc->ap1r : gc->ap0r;
}

GIC_WR(icc_ap_write)
{
    unsigned grp = enc_crm(r) == 9;
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, (int)grp))
        *(grp ? &gc->ich_ap1r : &gc->ich_ap0r) = (uint32_t)v;
    else
        *(grp ? &gc->ap1r : &gc->ap0r) = (uint32_t)v;
    gic_update(c->m);
}

GIC_RD(icc_igrpen_read)
{
    unsigned grp = enc_op2(r) == 7;
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, (int)grp))
        return (gc->ich_vmcr >> grp) & 1;   /* VENG0 bit 0, VENG1 bit 1 */
    return grp ? gc->igrpen1 : gc->igrpen0;
}

GIC_WR(icc_igrpen_write)
{
    unsigned grp = enc_op2(r) == 7;
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, (int)grp))
        gc->ich_vmcr = (gc->ich_vmcr & ~(1u << grp)) | (uint32_t)(v & 1) << grp;
    else if (grp)
        gc->igrpen1 = v & 1;
    else
        gc->igrpen0 = v & 1;
    gic_update(c->m);
}

GIC_RD(icc_pmr_read)
{
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, -1))
        return gc->ich_vmcr >> ICH_VMCR_VPMR_SHIFT;
    return gc->pmr;
}

GIC_WR(icc_pmr_write)
{
    GICCpu *gc = gic_cpu(c);
    uint32_t p = (uint32_t)v & GIC_PRIO_MASK;
    if (gic_use_icv(c, -1))
        gc->ich_vmcr = (gc->ich_vmcr & ~(0xFFu << ICH_VMCR_VPMR_SHIFT)) | p << ICH_VMCR_VPMR_SHIFT;
    else
        gc->pmr = (uint8_t)p;
    gic_update(c->m);
}

GIC_RD(icc_rpr_read)
{
    if (gic_use_icv(c, -1))
        return icv_rpr(c);
    return gic_running_prio(gic_cpu(c));
}

/* ICC_CTLR_EL1 (GICv3 spec 12.2.6): PRIbits = 4 (5 bits), IDbits = 0
 * (16-bit INTIDs), SEIS = 0, A3V = 0; CBPR and EOImode are writable. */
GIC_RD(icc_ctlr_read)
{
    GICCpu *gc = gic_cpu(c);
    uint64_t ro = (uint64_t)(GIC_PRIO_BITS - 1) << ICC_CTLR_PRIBITS_SHIFT;
    if (gic_use_icv(c, -1)) {
        uint64_t v = ro;
        if (gc->ich_vmcr & ICH_VMCR_VCBPR)
            v |= ICC_CTLR_CBPR;
        if (gc->ich_vmcr & ICH_VMCR_VEOIM)
            v |= ICC_CTLR_EOIMODE;
        return v;
    }
    return ro | (gc->ctlr & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE));
}

GIC_WR(icc_ctlr_write)
{
    GICCpu *gc = gic_cpu(c);
    if (gic_use_icv(c, -1)) {
        gc->ich_vmcr &= ~(ICH_VMCR_VCBPR | ICH_VMCR_VEOIM);
        if (v & ICC_CTLR_CBPR)
            gc->ich_vmcr |= ICH_VMCR_VCBPR;
        if (v & ICC_CTLR_EOIMODE)
            gc->ich_vmcr |= ICH_VMCR_VEOIM;
    } else {
        gc->ctlr = (uint32_t)v & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
    }
    gic_update(c->m);
}

/* ICC_SGI0R_EL1 (op2 7), ICC_SGI1R_EL1 (op2 5), ICC_ASGI1R_EL1 (op2 6).
 * With one Security state ASGI1R behaves as SGI1R. */
GIC_WR(icc_sgi_write) { gic_send_sgi(gic_of(c), c->index, v, enc_op2(r) == 7 ? 0 : 1); }

/* SGI register fields (GICv3 spec 12.2.23) */
#define SGIR_TARGETLIST_MASK 0xFFFFull
#define SGIR_AFF1_SHIFT 16
#define SGIR_INTID_SHIFT 24
#define SGIR_AFF2_SHIFT 32
#define SGIR_IRM (1ull << 40)
#define SGIR_RS_SHIFT 44
#define SGIR_AFF3_SHIFT 48

void gic_send_sgi(GIC *g, unsigned src, uint64_t v, unsigned grp)
{
    unsigned intid = (v >> SGIR_INTID_SHIFT) & 15;
    for (unsigned i = 0; i < g->ncpus; i++) {
        uint64_t mp = g->m->cpu[i]->mpidr;
        bool hit;
        if (v & SGIR_IRM) {
            hit = i != src;   /* all PEs but the sender */
        } else {
            unsigned aff0 = mp & 0xFF;
            hit = ((mp >> 8) & 0xFF) == ((v >> SGIR_AFF1_SHIFT) & 0xFF) &&
                  ((mp >> 16) & 0xFF) == ((v >> SGIR_AFF2_SHIFT) & 0xFF) &&
                  ((mp >> 32) & 0xFF) == ((v >> SGIR_AFF3_SHIFT) & 0xFF) &&
                  (aff0 >> 4) == ((v >> SGIR_RS_SHIFT) & 15) &&
                  ((v & SGIR_TARGETLIST_MASK) >> (aff0 & 15) & 1);
        }
        /* With one Security state an SGI is forwarded only if its group on
         * the target matches the register used (GICv3 spec Table 12-14). */
        if (hit && gic_irq_group(g, i, intid) == grp)
            gic_irq_set_pending(g, i, intid, true);
    }
    gic_update(g->m);
}

/* ICC_SRE_EL1/EL2: system register interface always on (SRE, DFB, DIB
 * RAO/WI); ICC_SRE_EL2.Enable is writable. */
GIC_RD(icc_sre_el1_read) { return ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB; }
GIC_WR(icc_sre_el1_write) { (void)c; (void)v; }
GIC_RD(icc_sre_el2_read)
{
    return ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | (gic_cpu(c)->sre_el2 & ICC_SRE_ENABLE);
}
GIC_WR(icc_sre_el2_write) { gic_cpu(c)->sre_el2 = (uint32_t)v & ICC_SRE_ENABLE; }
