/*
 * System-register table fragment sysreg_mmu_table: the TLB maintenance
 * (TLBI), address translation (AT), data-cache (DC) and instruction-cache
 * (IC) system instructions (Arm ARM C5.3, D8.13, D7.5). Each is an
 * SRF_INSN entry whose write() performs the operation with the Xt value
 * and whose access() applies the UNDEFINED cases and the traps.
 *
 * Caches are not modelled (memory is coherent; decoded code is invalidated
 * on every store), so DC/IC are only translation checks, except DC ZVA.
 *
 * Trap decisions (HCR_EL2.TTLB, TPCP, TPU, TSW, TDZ, AT, SCTLR_ELx.UCI/DZE)
 * come from the sys helper's src/el2/traps.h.
 */
#include "cpu/exception.h"
#include "el2/traps.h"
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"
#include "sysreg/sysreg.h"

/* ---- Trap decisions (src/el2/traps.h owns the bit tests) ------------------ */

static bool e2h_tge(const CPUState *c) { return ELIsInHost(c, 0); }

/* TLBI at EL1: UNDEFINED at EL0 (op1 = 0: the sys helper already makes EL0
 * UNDEFINED); HCR_EL2.TTLB traps to EL2 with EC 0x18. */
static SysRegAccess acc_tlbi_el1(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                                 uint32_t *ec)
{
    (void)r;
    if (is_read || c->el == 0)
        return SRA_UNDEF;
    return el2_trap_tlbi(c) ? sra_trap_el2(tel, ec) : SRA_OK;
}

/* EL2-only instructions (TLBI *E2, *S12E1, ALLE1, IPAS2*, AT S1E2*,
 * S12E*): UNDEFINED below EL2. (The sys helper's sys_check() already traps
 * them from EL1 to EL2 under FEAT_NV with HCR_EL2.NV = 1, before this.) */
static SysRegAccess acc_el2(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                            uint32_t *ec)
{
    (void)r;
    if (is_read)
        return SRA_UNDEF;
    if (el2_trap_nv(c))
        return sra_trap_el2(tel, ec);
    return c->el < 2 ? SRA_UNDEF : SRA_OK;
}

/* AT S1E0*, S1E1*: UNDEFINED at EL0; HCR_EL2.AT (FEAT_NV) traps from EL1. */
static SysRegAccess acc_at_el1(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                               uint32_t *ec)
{
    (void)r;
    if (is_read || c->el == 0)
        return SRA_UNDEF;
    return el2_trap_at(c) ? sra_trap_el2(tel, ec) : SRA_OK;
}

/* DC/IC by kind: the EL0 enable (SCTLR_ELx.DZE/UCI, a trap to EL1 or to
 * EL2 under TGE) has priority over the HCR_EL2 trap (TDZ, TPCP, TPU, TSW).
 * el0_ok: the instruction exists at EL0 (op1 = 3). */
static SysRegAccess acc_dc_kind(CPUState *c, bool is_read, enum DcKind kind, bool el0_ok,
                                unsigned *tel, uint32_t *ec)
{
    if (is_read || (c->el == 0 && !el0_ok))
        return SRA_UNDEF;
    if (el0_trap_dc(c, kind))
        return sra_trap_el1(c, tel, ec);
    if (el2_trap_dc(c, kind))
        return sra_trap_el2(tel, ec);
    return SRA_OK;
}

/* DC ZVA: SCTLR_ELx.DZE at EL0, HCR_EL2.TDZ. */
static SysRegAccess acc_dc_zva(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                               uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_ZVA, true, tel, ec);
}

/* DC CVAC/CIVAC/CVAP: SCTLR_ELx.UCI at EL0, HCR_EL2.TPCP. */
static SysRegAccess acc_dc_poc(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                               uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_POC, true, tel, ec);
}

/* DC CVAU, IC IVAU: SCTLR_ELx.UCI at EL0, HCR_EL2.TPU. */
static SysRegAccess acc_pou(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                            uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_POU, true, tel, ec);
}

/* DC IVAC: EL1 and up; HCR_EL2.TPCP. */
static SysRegAccess acc_dc_ivac(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                                uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_POC, false, tel, ec);
}

/* DC ISW/CSW/CISW: EL1 and up; HCR_EL2.TSW. */
static SysRegAccess acc_dc_sw(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                              uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_SW, false, tel, ec);
}

/* IC IALLU: EL1 and up; HCR_EL2.TPU (and TOCU with FEAT_EVT). */
static SysRegAccess acc_ic_all(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                               uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_POU, false, tel, ec);
}

/* IC IALLUIS: EL1 and up; HCR_EL2.TPU (and TICAB with FEAT_EVT). */
static SysRegAccess acc_ic_allis(CPUState *c, const SysRegDesc *r, bool is_read, unsigned *tel,
                                 uint32_t *ec)
{
    (void)r;
    return acc_dc_kind(c, is_read, DC_KIND_IC_IS, false, tel, ec);
}

/* ---- TLBI ------------------------------------------------------------------ */

static unsigned enc_crm(const SysRegDesc *r) { return (r->enc >> 3) & 15; }

/* The Inner Shareable forms (CRm 3, and CRm 0 for IPAS2*IS) go to every
 * CPU; HCR_EL2.FB upgrades EL1 TLBIs executed at EL1 to broadcast. */
static bool tlbi_broadcast(const CPUState *c, const SysRegDesc *r, bool el1_op)
{
    unsigned crm = enc_crm(r);
    if (crm == 3 || crm == 0)
        return true;
    return el1_op && el2_force_broadcast(c);
}

/* EL1 TLBIs act on the EL1&0 regime, or on EL2&0 when executed at EL2 with
 * {E2H,TGE} = {1,1} (Arm ARM D8.13, VHE). */
static unsigned el1_ctx(const CPUState *c)
{
    return (c->el == 2 && e2h_tge(c)) ? CTX_E20 : CTX_E10;
}

/* VA operand of TLBI by VA: Xt[43:0] = VA[55:12]. */
static uint64_t tlbi_va(uint64_t xt) { return (xt & ((1ull << 44) - 1)) << 12; }

enum { TLBI_ALL, TLBI_VA, TLBI_NONGLOBAL, TLBI_NONE };

/* The ASID operand of TLBI by ASID / by VA: Xt[63:48], 8 bits unless
 * TCR_ELx.AS = 1 for the regime (compared as the model stores ASIDs). */
static uint16_t tlbi_asid(const CPUState *c, unsigned regime, uint64_t xt)
{
    uint64_t tcr = c->sr[regime == REGIME_EL10 ? SR_TCR_EL1 : SR_TCR_EL2];
    return (uint16_t)((tcr & TCR_AS) ? xt >> 48 : (xt >> 48) & 0xff);
}

/* The regime of an EL1 TLBI (el1_ctx()). */
static unsigned el1_regime(const CPUState *c)
{
    return (c->el == 2 && e2h_tge(c)) ? REGIME_EL20 : REGIME_EL10;
}

/*
 * Applies a TLBI to this CPU, or to every CPU for the broadcast forms:
 * the host TLBs drop the contexts' entries of kind (a superset of what the
 * architecture invalidates: over-invalidation is allowed, D8.13), and the
 * TLB model drops exactly the entries of scope s (Arm ARM D8.13, C5.5).
 * The executing CPU leaves its decoded page (EXIT_CHECK): the model's L1 I
 * may no longer hold it, and the next fetch must consult the model.
 */
static void tlbi_apply(CPUState *c, bool bcast, unsigned ctx, int kind, uint64_t va,
                       const TLBMScope *s)
{
    Machine *m = c->m;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *o = m->cpu[i];
        if (o != c && !bcast)
            continue;
        switch (kind) {
        case TLBI_ALL: mmu_tlb_flush_ctx(o, ctx); break;
        case TLBI_VA: mmu_tlb_flush_va(o, ctx, va); break;
        case TLBI_NONGLOBAL: mmu_tlb_flush_nonglobal(o, ctx); break;
        default: break;
        }
        if (kind != TLBI_NONE)
            mmu_tlb_spare_tlbi(o, ctx, s);   /* the EL1&0 spare set (tlb.c) */
        if (s)
            mmu_tlb_model_invalidate(o, s);
    }
    c->exit_req |= EXIT_CHECK;
}

/* An EL1&0 scope limited to the current VMID (EL2&0 scopes ignore it). */
static TLBMScope e1_scope(const CPUState *c, unsigned regime)
{
    TLBMScope s = { .regimes = (uint8_t)(1u << regime), .by_vmid = regime == REGIME_EL10,
                    .vmid = mmu_current_vmid(c) };
    return s;
}

/* VMALLE1(IS): all entries of the current VMID's EL1&0 regime (of the
 * EL2&0 regime at EL2 with {E2H,TGE} = {1,1}). */
static void w_tlbi_vmalle1(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)v;
    TLBMScope s = e1_scope(c, el1_regime(c));
    tlbi_apply(c, tlbi_broadcast(c, r, true), el1_ctx(c), TLBI_ALL, 0, &s);
}

/* VAE1, VALE1 (op2 1, 5): by VA and ASID (global entries of any ASID);
 * VAAE1, VAALE1 (op2 3, 7): by VA, all ASIDs. The host TLBs ignore the
 * ASID (over-invalidation); the "last level" forms also drop walk caches,
 * which neither holds. */
static void w_tlbi_va_e1(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    unsigned regime = el1_regime(c);
    TLBMScope s = e1_scope(c, regime);
    s.by_va = true;
    s.va = tlbi_va(v);
    if (!(r->enc & 2)) {
        s.asid_mode = TLBM_ASID_OR_GLOBAL;
        s.asid = tlbi_asid(c, regime, v);
    }
    tlbi_apply(c, tlbi_broadcast(c, r, true), el1_ctx(c), TLBI_VA, tlbi_va(v), &s);
}

/* ASIDE1(IS): the non-global entries of one ASID (the host TLBs drop those
 * of any ASID: over-invalidation). */
static void w_tlbi_aside1(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    unsigned regime = el1_regime(c);
    TLBMScope s = e1_scope(c, regime);
    s.asid_mode = TLBM_ASID_NONGLOBAL;
    s.asid = tlbi_asid(c, regime, v);
    tlbi_apply(c, tlbi_broadcast(c, r, true), el1_ctx(c), TLBI_NONGLOBAL, 0, &s);
}

/* IPAS2E1, IPAS2LE1 (op2 1, 5), ALLE1 (op2 4), VMALLS12E1 (op2 6) (IS).
 * The host TLBs hold combined stage 1+2 entries of the EL1&0 regime only,
 * so each drops all of them. The model holds combined entries only too:
 * IPAS2* invalidates stage-2-only entries, and need not touch combined ones
 * (Arm ARM D8.13.4: software follows it with TLBI VMALLE1 to remove
 * those, as KVM does), so it leaves the model alone; VMALLS12E1 drops the
 * current VMID's EL1&0 entries, ALLE1 those of every VMID. */
static void w_tlbi_e1_all(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)v;
    unsigned op2 = r->enc & 7;
    TLBMScope s = e1_scope(c, REGIME_EL10);
    if (op2 == 4)
        s.by_vmid = false;
    tlbi_apply(c, tlbi_broadcast(c, r, false), CTX_E10, TLBI_ALL, 0,
               (op2 == 1 || op2 == 5) ? NULL : &s);
}

/* ALLE2(IS): the EL2 and EL2&0 regimes. */
static void w_tlbi_alle2(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)v;
    TLBMScope s = { .regimes = (1u << REGIME_EL2) | (1u << REGIME_EL20) };
    tlbi_apply(c, tlbi_broadcast(c, r, false), CTX_E2 | CTX_E20, TLBI_ALL, 0, &s);
}

/* VAE2, VALE2 (IS): by VA in the EL2 regime, or with HCR_EL2.E2H = 1 in the
 * EL2&0 regime, where the ASID in Xt[63:48] applies to non-global entries. */
static void w_tlbi_va_e2(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    bool e2h = EffectiveHCR_EL2_E2H(c);
    TLBMScope s = { .regimes = (uint8_t)(1u << (e2h ? REGIME_EL20 : REGIME_EL2)), .by_va = true,
                    .va = tlbi_va(v) };
    if (e2h) {
        s.asid_mode = TLBM_ASID_OR_GLOBAL;
        s.asid = tlbi_asid(c, REGIME_EL20, v);
    }
    tlbi_apply(c, tlbi_broadcast(c, r, false), CTX_E2 | CTX_E20, TLBI_VA, tlbi_va(v), &s);
}

/* ---- AT -------------------------------------------------------------------- */

/* PAR_EL1 fields (Arm ARM D17.2.102) */
#define PAR_F        (1ull << 0)
#define PAR_FST(s)   ((uint64_t)(s) << 1)
#define PAR_SH(s)    ((uint64_t)(s) << 7)
#define PAR_PTW      (1ull << 8)
#define PAR_NS       (1ull << 9)
#define PAR_S        (1ull << 9)
#define PAR_RES1     (1ull << 11)
#define PAR_PA_MASK  (ADDR_MASK48 & PAGE_MASK)
#define PAR_ATTR(a)  ((uint64_t)(a) << 56)

/**
 * Performs an AT operation: translates va in regime with the privilege,
 * PAN and stage-2 choice given, and writes PAR_EL1. Faults are reported in
 * PAR_EL1 (F=1, FST, PTW, S), except a stage-2 fault on the stage-1 walk
 * of an AT executed at EL1, which is taken to EL2 as a data abort with
 * CM = 1 and S1PTW = 1 (Arm ARM D8.14).
 */
static void at_op(CPUState *c, uint64_t va, unsigned regime, bool el0, bool pan, bool write,
                  bool s12)
{
    TransReq rq = { .regime = (uint8_t)regime, .acc = write ? ACC_WRITE : ACC_READ,
                    .el0 = el0, .pan = pan, .s2_output = s12 };
    AddressDescriptor ad;
    FaultRecord fr;
    /* AT walks the tables without the TLBs (its result must reflect the
     * tables now): walk_fetch cycles per descriptor fetch, no model. */
    uint64_t f0 = c->walk_fetches;
    bool ok = mmu_translate(c, va, &rq, &ad, &fr);
    c->cycles += (uint64_t)c->m->timing.walk_fetch * (c->walk_fetches - f0);
    if (ok) {
        c->sr[SR_PAR_EL1] = (ad.pa & PAR_PA_MASK) | PAR_ATTR(ad.memattr) | PAR_SH(ad.sh) |
                            PAR_NS | PAR_RES1;
        return;
    }
    if (fr.stage2 && fr.s1ptw && c->el == 1)
        mmu_raise_abort(c, va, &fr, ACC_READ, 1, MEMF_CM);
    c->sr[SR_PAR_EL1] = PAR_F | PAR_FST(mmu_fault_status(&fr)) | (fr.s1ptw ? PAR_PTW : 0) |
                        (fr.stage2 ? PAR_S : 0) | PAR_RES1;
}

/* The regime AT S1E0* / S1E1* use: EL2&0 at EL2 with {E2H,TGE} = {1,1}. */
static unsigned at_e1_regime(const CPUState *c)
{
    return (c->el == 2 && e2h_tge(c)) ? REGIME_EL20 : REGIME_EL10;
}

static unsigned at_e2_regime(const CPUState *c)
{
    return EffectiveHCR_EL2_E2H(c) ? REGIME_EL20 : REGIME_EL2;
}

static bool op2_write(const SysRegDesc *r) { return r->enc & 1; }

/* AT S1E1R, S1E1W (PSTATE.PAN not applied) */
static void w_at_s1e1(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, at_e1_regime(c), false, false, op2_write(r), false);
}

/* AT S1E1RP, S1E1WP (FEAT_PAN2: PSTATE.PAN applied) */
static void w_at_s1e1p(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, at_e1_regime(c), false, c->pan != 0, op2_write(r), false);
}

/* AT S1E0R, S1E0W */
static void w_at_s1e0(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, at_e1_regime(c), true, false, op2_write(r), false);
}

/* AT S1E2R, S1E2W */
static void w_at_s1e2(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, at_e2_regime(c), false, false, op2_write(r), false);
}

/* AT S12E1R, S12E1W: stage 1 and 2 of EL1&0 (stage 1 only when stage 2 is
 * disabled). */
static void w_at_s12e1(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, REGIME_EL10, false, false, op2_write(r), true);
}

/* AT S12E0R, S12E0W */
static void w_at_s12e0(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    at_op(c, v, REGIME_EL10, true, false, op2_write(r), true);
}

/* ---- DC / IC ----------------------------------------------------------------- */

/* Zeroes one DC ZVA block of guest RAM at h, unless it reads as zero
 * already: then nothing is written. Guest RAM is an anonymous mapping whose
 * untouched pages cost a host page fault and a page of RSS when first
 * touched. Software zeroes far more memory than it then uses (Xen scrubs
 * all free RAM at boot, Linux zeroes pages it allocates): a page the guest
 * never wrote (PF_ZERO) is left alone altogether (mmu_dc_zva()), and a
 * block that reads as zero is not written. The guest sees the same bytes
 * either way. */
static void zero_block(uint8_t *h)
{
    const uint64_t *w = (const uint64_t *)(void *)h;
    uint64_t any = 0;
    for (unsigned i = 0; i < DCZ_BLOCK / 8; i++)
        any |= w[i];
    if (any)
        memset(h, 0, DCZ_BLOCK);
}

/* Whether the RAM page at pa_page has nothing but PF_ZERO among its
 * write-slow flags (no decoded code, no published monitor): then a DC ZVA
 * there changes no byte and clears no monitor but this CPU's. */
static bool page_only_zero(Machine *m, uint64_t pa_page)
{
    const MemBlock *b = &m->ram;
    if (pa_page - b->base >= b->size)
        return false;
    return (b->pflags[(pa_page - b->base) >> PAGE_BITS] & PF_WRITE_SLOW) == PF_ZERO;
}

void mmu_dc_zva(CPUState *c, uint64_t v)
{
    uint64_t va = v & ~(uint64_t)(DCZ_BLOCK - 1);
    const TLBEntry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
    /* the slow path clears monitors on the block, this CPU's too
     * (mem_code_written()); its own monitor's page is not flagged while it
     * runs (mem_monitor_publish()). An entry slow for writes only for its
     * page's flags (TLB_FLAG_PAGE) whose page is still PF_ZERO: nothing to
     * write, and the slow path would do nothing else either. */
    if (!(tlb_attrs(e) & MATTR_DEVICE) && !c->excl_valid) {
        if (e->tag_w == (va & PAGE_MASK)) {
            zero_block((uint8_t *)(uintptr_t)(va + e->addend));
            return;
        }
        if (e->tag_w == ((va & PAGE_MASK) | TLB_FLAG_SLOW | TLB_FLAG_PAGE) &&
            page_only_zero(c->m, tlb_pa_page(e)))
            return;
    }
    uint32_t attrs;
    uint64_t pa = mem_translate_fill(c, v, ACC_WRITE, 1, 0, &attrs);
    if (attrs & MATTR_DEVICE) {
        FaultRecord fr = { .type = FAULT_ALIGNMENT, .write = true };
        mmu_raise_abort(c, v, &fr, ACC_WRITE, 1, 0);
    }
    pa &= ~(uint64_t)(DCZ_BLOCK - 1);
    MemBlock *b = machine_find_mem(c->m, pa, DCZ_BLOCK);
    if (b && !b->readonly) {
        if (b->pflags[(pa - b->base) >> PAGE_BITS] & PF_ZERO) {
            /* zero already: the bytes, and with them decoded code, stay */
            mem_clear_monitors(c->m, pa, DCZ_BLOCK);
            return;
        }
        zero_block(b->host + (pa - b->base));
        mem_code_written(c->m, pa, DCZ_BLOCK);   /* monitors are cleared all the same */
        return;
    }
    for (unsigned i = 0; i < DCZ_BLOCK; i += 8)
        if (!phys_write(c, pa + i, 8, 0)) {
            FaultRecord fr = { .type = FAULT_SYNCEXT, .write = true };
            mmu_raise_abort(c, v, &fr, ACC_WRITE, 1, 0);
        }
}

/* DC ZVA through the table (h_sys()); its own decode row reaches
 * mmu_dc_zva() directly (src/cpu/sys_reg.c h_dc_zva()). */
static void w_dc_zva(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    mmu_dc_zva(c, v);
}

/* DC CVAC, CIVAC, CVAU, CVAP and IC IVAU: translated as a read with
 * CM = 1 (faults report CM = 1, WnR = 1); no cache to maintain. */
static void w_cm_read(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    uint32_t attrs;
    mem_translate_fill(c, v, ACC_READ, 1, MEMF_CM, &attrs);
}

/* DC IVAC: needs write permission (Arm ARM D7.5.9). */
static void w_dc_ivac(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    uint32_t attrs;
    mem_translate_fill(c, v, ACC_WRITE, 1, MEMF_CM, &attrs);
}

/* DC ISW/CSW/CISW, IC IALLU/IALLUIS: no caches; decoded code is already
 * invalidated by every store. */
static void w_nop(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)c;
    (void)r;
    (void)v;
}

/* ---- The table ----------------------------------------------------------------- */

#define INSN(nm, o1, crn, crm, o2, feat, acc, fn)                                          \
    { .name = nm, .enc = A83_SYSREG(1, o1, crn, crm, o2), .slot = SR_NONE, .feature = feat, \
      .flags = SRF_INSN | SRF_WO, .vncr_offset = -1, .access = acc, .write = fn }

const SysRegDesc sysreg_mmu_table[] = {
    /* TLBI, EL1 (Arm ARM C5.5) */
    INSN("TLBI VMALLE1IS", 0, 8, 3, 0, -1, acc_tlbi_el1, w_tlbi_vmalle1),
    INSN("TLBI VAE1IS", 0, 8, 3, 1, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI ASIDE1IS", 0, 8, 3, 2, -1, acc_tlbi_el1, w_tlbi_aside1),
    INSN("TLBI VAAE1IS", 0, 8, 3, 3, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI VALE1IS", 0, 8, 3, 5, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI VAALE1IS", 0, 8, 3, 7, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI VMALLE1", 0, 8, 7, 0, -1, acc_tlbi_el1, w_tlbi_vmalle1),
    INSN("TLBI VAE1", 0, 8, 7, 1, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI ASIDE1", 0, 8, 7, 2, -1, acc_tlbi_el1, w_tlbi_aside1),
    INSN("TLBI VAAE1", 0, 8, 7, 3, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI VALE1", 0, 8, 7, 5, -1, acc_tlbi_el1, w_tlbi_va_e1),
    INSN("TLBI VAALE1", 0, 8, 7, 7, -1, acc_tlbi_el1, w_tlbi_va_e1),
    /* TLBI, EL2 */
    INSN("TLBI IPAS2E1IS", 4, 8, 0, 1, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI IPAS2LE1IS", 4, 8, 0, 5, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI IPAS2E1", 4, 8, 4, 1, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI IPAS2LE1", 4, 8, 4, 5, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI ALLE2IS", 4, 8, 3, 0, FEAT_EL2, acc_el2, w_tlbi_alle2),
    INSN("TLBI VAE2IS", 4, 8, 3, 1, FEAT_EL2, acc_el2, w_tlbi_va_e2),
    INSN("TLBI ALLE1IS", 4, 8, 3, 4, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI VALE2IS", 4, 8, 3, 5, FEAT_EL2, acc_el2, w_tlbi_va_e2),
    INSN("TLBI VMALLS12E1IS", 4, 8, 3, 6, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI ALLE2", 4, 8, 7, 0, FEAT_EL2, acc_el2, w_tlbi_alle2),
    INSN("TLBI VAE2", 4, 8, 7, 1, FEAT_EL2, acc_el2, w_tlbi_va_e2),
    INSN("TLBI ALLE1", 4, 8, 7, 4, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    INSN("TLBI VALE2", 4, 8, 7, 5, FEAT_EL2, acc_el2, w_tlbi_va_e2),
    INSN("TLBI VMALLS12E1", 4, 8, 7, 6, FEAT_EL2, acc_el2, w_tlbi_e1_all),
    /* AT (Arm ARM C5.4) */
    INSN("AT S1E1R", 0, 7, 8, 0, -1, acc_at_el1, w_at_s1e1),
    INSN("AT S1E1W", 0, 7, 8, 1, -1, acc_at_el1, w_at_s1e1),
    INSN("AT S1E0R", 0, 7, 8, 2, -1, acc_at_el1, w_at_s1e0),
    INSN("AT S1E0W", 0, 7, 8, 3, -1, acc_at_el1, w_at_s1e0),
    INSN("AT S1E1RP", 0, 7, 9, 0, FEAT_PAN2, acc_at_el1, w_at_s1e1p),
    INSN("AT S1E1WP", 0, 7, 9, 1, FEAT_PAN2, acc_at_el1, w_at_s1e1p),
    INSN("AT S1E2R", 4, 7, 8, 0, FEAT_EL2, acc_el2, w_at_s1e2),
    INSN("AT S1E2W", 4, 7, 8, 1, FEAT_EL2, acc_el2, w_at_s1e2),
    INSN("AT S12E1R", 4, 7, 8, 4, FEAT_EL2, acc_el2, w_at_s12e1),
    INSN("AT S12E1W", 4, 7, 8, 5, FEAT_EL2, acc_el2, w_at_s12e1),
    INSN("AT S12E0R", 4, 7, 8, 6, FEAT_EL2, acc_el2, w_at_s12e0),
    INSN("AT S12E0W", 4, 7, 8, 7, FEAT_EL2, acc_el2, w_at_s12e0),
    /* DC (Arm ARM C5.3) */
    INSN("DC IVAC", 0, 7, 6, 1, -1, acc_dc_ivac, w_dc_ivac),
    INSN("DC ISW", 0, 7, 6, 2, -1, acc_dc_sw, w_nop),
    INSN("DC CSW", 0, 7, 10, 2, -1, acc_dc_sw, w_nop),
    INSN("DC CISW", 0, 7, 14, 2, -1, acc_dc_sw, w_nop),
    INSN("DC ZVA", 3, 7, 4, 1, -1, acc_dc_zva, w_dc_zva),
    INSN("DC CVAC", 3, 7, 10, 1, -1, acc_dc_poc, w_cm_read),
    INSN("DC CVAU", 3, 7, 11, 1, -1, acc_pou, w_cm_read),
    INSN("DC CVAP", 3, 7, 12, 1, FEAT_DPB, acc_dc_poc, w_cm_read),
    INSN("DC CIVAC", 3, 7, 14, 1, -1, acc_dc_poc, w_cm_read),
    /* IC */
    INSN("IC IALLUIS", 0, 7, 1, 0, -1, acc_ic_allis, w_nop),
    INSN("IC IALLU", 0, 7, 5, 0, -1, acc_ic_all, w_nop),
    INSN("IC IVAU", 3, 7, 5, 1, -1, acc_pou, w_cm_read),
    { .name = NULL },
};
