/*
 * MRS, MSR (register), SYS and SYSL: the one generic executor over the
 * system-register table (sysreg.h). No register is special-cased here:
 * everything a register needs is in its table entry.
 *
 * Order of checks (Arm ARM D13.1 / the per-register accessibility
 * pseudocode, condensed):
 *  1. unknown encoding or feature absent                 -> UNDEFINED
 *     (HCR_EL2.TIDCP traps EL1 accesses to the IMPLEMENTATION DEFINED
 *     space, op0 = 3 with CRn = 11 or 15, to EL2)
 *  2. MSR to a read-only / MRS of a write-only register  -> UNDEFINED
 *  3. _EL12/_EL02 alias: only at EL2 with HCR_EL2.E2H=1 (at EL1 with
 *     HCR_EL2.NV=1 it traps to EL2), else UNDEFINED
 *  4. VHE: at EL2 with E2H=1 an _EL1 entry with e2h_redirect reaches
 *     the _EL2 register
 *  5. the lowest EL that can access the encoding, from op1 (op1 = 3: EL0;
 *     0-2: EL1; 4-5: EL2; 6-7: EL3): below it UNDEFINED, except an EL1
 *     access to an EL2 register with HCR_EL2.NV=1, which traps to EL2
 *  6. the entry's access() function: enables and trap controls
 *  6a. FEAT_FGT (src/el2/fgt.c): the fine-grained traps, after the coarse
 *     ones and before the NV2 redirect (and FEAT_ECV's EL1NVPCT/EL1NVVCT
 *     trap of the _EL02 timer aliases before their NV2 redirect, step 3)
 *  7. FEAT_NV2 (branch el2, src/el2/nv.h): at EL1 the access may become a
 *     64-bit load/store at VNCR_EL2 + the entry's vncr_offset (in step 3
 *     for aliases, step 5 for EL2 registers, after step 6 for EL1 ones)
 * Traps build EC 0x18 with sysreg_iss() of the instruction's encoding.
 */
#include <stddef.h>

#include "core/hooks.h"
#include "core/machine.h"
#include "cpu/decode_fields.h"
#include "cpu/exception.h"
#include "cpu/exec.h"
#include "cpu/spsr.h"
#include "cpu/sys_internal.h"
#include "el2/ecv.h"
#include "el2/fgt.h"
#include "el2/nv.h"
#include "el2/traps.h"
#include "mmu/mem.h"
#include "sysreg/sysreg.h"
#include "timing/timing.h"

/* Lowest EL for an encoding's op1 field (Arm ARM C5.3, "op1 encodes the
 * lowest Exception level that can access the register"). */
static const uint8_t op1_min_el[8] = { 1, 1, 1, 0, 2, 2, 3, 3 };

static _Noreturn void trap_sysreg(CPUState *c, unsigned tel, uint32_t ec, uint32_t enc, unsigned rt,
                                  bool is_read)
{
    ExceptionRecord e = { .ec = ec, .il = true };
    if (ec == EC_SYSREG)
        e.iss = sysreg_iss(enc, rt, is_read);
    else if (ec == EC_FP_ACCESS)
        e.iss = (1u << 24) | (0xEu << 20);   /* CV=1, COND=AL */
    cpu_raise_sync(c, tel, &e);
}

/* Step 6: the entry's access() function (enables and trap controls);
 * raises what it decides. enc, rt, is_read: the access, for the ISS. */
static inline void sys_access(CPUState *c, const SysRegDesc *r, uint32_t enc, unsigned rt,
                              bool is_read)
{
    if (!r->access)
        return;
    unsigned tel = cpu_default_target_el(c);
    uint32_t ec = EC_SYSREG;
    switch (r->access(c, r, is_read, &tel, &ec)) {
    case SRA_OK:
        break;
    case SRA_UNDEF:
        cpu_undefined(c);
    case SRA_TRAP:
        trap_sysreg(c, tel, ec, enc, rt, is_read);
    }
}

/* Resolves the entry an access reaches and checks it. Returns it, or
 * raises UNDEFINED or the trap. *vncr is set to the VNCR_EL2 offset when
 * the access is transformed into a memory access (FEAT_NV2), else -1. */
static inline const SysRegDesc *sys_check_entry(CPUState *c, const SysRegDesc *r, uint32_t enc,
                                                unsigned rt, bool is_read, int *vncr)
{
    *vncr = -1;
    if (unlikely(!r)) {
        /* HCR_EL2.TIDCP: EL1 accesses to the IMPLEMENTATION DEFINED
         * encodings (op0 = 3, CRn = 11 or 15) trap to EL2; there are none
         * here, so they are otherwise UNDEFINED. (At EL0 the choice is
         * IMPLEMENTATION DEFINED: UNDEFINED here.) */
        unsigned crn = (enc >> 7) & 15;
        if ((enc >> 14) == 3 && (crn == 11 || crn == 15) && el2_trap_tidcp(c))
            trap_sysreg(c, 2, EC_SYSREG, enc, rt, is_read);
        cpu_undefined(c);
    }
    if ((is_read && (r->flags & SRF_WO)) || (!is_read && (r->flags & SRF_RO)))
        cpu_undefined(c);
    unsigned min_el = op1_min_el[(enc >> 11) & 7];
    if (r->flags & SRF_EL12) {
        if (c->el == 2) {
            if (!EffectiveHCR_EL2_E2H(c))
                cpu_undefined(c);
        } else if (el2_trap_nv(c)) {
            /* FEAT_NV2: NVx == '101' turns the alias into NVMem[offset]
             * (branch el2, src/el2/nv.c); else it traps. */
            if (nv_vncr_applies(c, r) && !el2_ecv_trap_el02(c, enc)) {
                *vncr = r->vncr_offset;
                return r;
            }
            trap_sysreg(c, 2, EC_SYSREG, enc, rt, is_read);
        } else {
            cpu_undefined(c);
        }
    } else if (r->e2h_redirect && c->el == 2 && EffectiveHCR_EL2_E2H(c)) {
        r = sysreg_find(c->m, r->e2h_redirect);
        if (!r)
            cpu_undefined(c);
    } else if (c->el < min_el) {
        if (min_el == 2 && el2_trap_nv(c)) {
            /* FEAT_NV2 (branch el2): NVx IN {'1x1'} makes the EL2
             * registers with a VNCR offset memory accesses, and
             * ELR/SPSR/ESR/FAR_EL2 reach their EL1 counterparts. */
            if (nv_vncr_applies(c, r)) {
                *vncr = r->vncr_offset;
                return r;
            }
            uint32_t to = (el2_nvx(c) & NVX_NV2) ? nv2_el2_redirect(enc) : 0;
            if (to && (r = sysreg_find(c->m, to)) != NULL)
                return r;
            trap_sysreg(c, 2, EC_SYSREG, enc, rt, is_read);
        }
        cpu_undefined(c);
    }
    sys_access(c, r, enc, rt, is_read);
    if (unlikely(c->el < 2) && el2_fgt_trap(c, enc, is_read))
        trap_sysreg(c, 2, EC_SYSREG, enc, rt, is_read);
    /* FEAT_NV2 for EL1 registers: after their trap checks (HCR_EL2.TVM,
     * TRVM ...), NVx == '111' (or '1x1' for SRF_NV2_NV1X) -> NVMem. */
    if (unlikely(r->vncr_offset >= 0) && c->el == 1 && nv_vncr_applies(c, r))
        *vncr = r->vncr_offset;
    return r;
}

/* The same for the entry of encoding enc in the machine's table (NULL:
 * none). */
static const SysRegDesc *sys_check(CPUState *c, uint32_t enc, unsigned rt, bool is_read, int *vncr)
{
    return sys_check_entry(c, sysreg_find(c->m, enc), enc, rt, is_read, vncr);
}

/* The register class of encoding enc (SRC_*, docs/timing.md): the GIC CPU
 * interface (ICC_/ICV_/ICH_: CRn = 12 with CRm >= 8, GICv3 spec Table
 * 12-2, and ICC_PMR_EL1 at CRn = 4, CRm = 6), the generic timers (CNT*:
 * CRn = 14 with CRm < 8; the PMU's event counters are CRm >= 8), and for
 * SYS: TLB maintenance (CRn=8), AT (CRn=7, CRm=8/9) and cache maintenance
 * (other CRn=7). VBAR_ELx, RVBAR_EL1 and ISR_EL1 (CRn = 12, CRm < 8) are
 * plain registers. */
static inline unsigned sysreg_class(uint32_t enc)
{
    unsigned op0 = (enc >> 14) & 3, crn = (enc >> 7) & 15, crm = (enc >> 3) & 15;
    if (op0 == 1)
        return crn == 8 ? SRC_TLBI : (crn == 7 && (crm == 8 || crm == 9)) ? SRC_AT : SRC_CACHE;
    if (op0 == 3 && ((crn == 12 && crm >= 8) || enc == sysreg_key(3, 0, 4, 6, 0)))
        return SRC_GIC;
    if (op0 == 3 && crn == 14 && crm < 8)
        return SRC_TIMER;
    return SRC_OTHER;
}

/* The cycle model's extra cost for an access to encoding enc, by class. */
static inline uint32_t sysreg_extra_cost(const CPUState *c, uint32_t enc)
{
    return c->m->timing.sysreg_cost[sysreg_class(enc)];
}

/* Whether an access to encoding enc may change what the end of a
 * scheduling round reads (machine_sched_dirty()): a write to a GIC CPU
 * interface register (ICC_/ICV_/ICH_) or a generic timer, a read of
 * ICC_IAR0_EL1/ICC_IAR1_EL1 (ICV_IAR*: the acknowledge, GICv3 spec 4.1.1).
 * The registers' own write functions mark it too (timer_update_cpu(),
 * gic_update()); this also covers those that change GIC state without one.
 * No other GIC read changes state (ICH_MISR_EL2, ICH_ELRSR_EL2, ICH_LR<n>_EL2,
 * ICC_HPPIR ... only compute), so the hypervisors' world switches, which
 * read them on every exit, no longer end a round that changed nothing (the
 * acknowledges mark it through gic_update() as well). A hypervisor's world
 * switch writes VBAR_EL1 on every entry, a plain register (sysreg_class()). */
static inline bool sysreg_sched_class(uint32_t enc, bool is_read)
{
    if (is_read)
        return enc == sysreg_key(3, 0, 12, 8, 0) || enc == sysreg_key(3, 0, 12, 12, 0);
    unsigned cls = sysreg_class(enc);
    return cls == SRC_GIC || cls == SRC_TIMER;
}

/* MRS with entry the table's entry for its encoding (a const SysRegDesc *;
 * NULL: none): h_mrs(), and the translator's call (exec_sysreg_entry_handler()). */
static int h_mrs_entry(CPUState *c, uint32_t insn, const void *entry, uint32_t plan)
{
    (void)plan;
    const SysRegDesc *e = entry;
    unsigned rt = FIELD(h_mrs, t, insn);
    int vncr;
    const SysRegDesc *r = sys_check_entry(c, e, SYSREG_KEY(h_mrs), rt, true, &vncr);
    if (r->flags & SRF_INSN)
        cpu_undefined(c);
    c->cycles += sysreg_extra_cost(c, SYSREG_KEY(h_mrs));
    if (unlikely(sysreg_sched_class(SYSREG_KEY(h_mrs), true)))
        machine_sched_dirty(c->m);   /* an acknowledge (ICC_IAR1_EL1) changes the GIC */
    uint64_t v = unlikely(vncr >= 0) ? nv2_mem_read(c, (unsigned)vncr)
               : r->read ? r->read(c, r) : c->sr[r->slot];
    if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_SYSREG)))
        hooks_sysreg(c, SYSREG_KEY(h_mrs), v, false);
    set_x(c, rt, v);
    return EXEC_NEXT;
}

int h_mrs(CPUState *c, uint32_t insn)
{
    return h_mrs_entry(c, insn, sysreg_find(c->m, SYSREG_KEY(h_mrs)), 0);
}

/* MSR (register) with entry the table's entry for its encoding (as
 * h_mrs_entry()). */
static int h_msr_reg_entry(CPUState *c, uint32_t insn, const void *entry, uint32_t plan)
{
    (void)plan;
    const SysRegDesc *e = entry;
    unsigned rt = FIELD(h_msr_reg, t, insn);
    int vncr;
    const SysRegDesc *r = sys_check_entry(c, e, SYSREG_KEY(h_msr_reg), rt, false, &vncr);
    if (r->flags & SRF_INSN)
        cpu_undefined(c);
    c->cycles += sysreg_extra_cost(c, SYSREG_KEY(h_msr_reg));
    if (unlikely(sysreg_sched_class(SYSREG_KEY(h_msr_reg), false)))
        machine_sched_dirty(c->m);
    if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_SYSREG)))
        hooks_sysreg(c, SYSREG_KEY(h_msr_reg), c->x[rt], true);
    if (unlikely(vncr >= 0))
        nv2_mem_write(c, (unsigned)vncr, c->x[rt]);
    else
        sysreg_write_raw(c, r, c->x[rt]);
    c->pc += 4;
    return EXEC_EXIT;
}

int h_msr_reg(CPUState *c, uint32_t insn)
{
    return h_msr_reg_entry(c, insn, sysreg_find(c->m, SYSREG_KEY(h_msr_reg)), 0);
}

/* SYS with entry the table's entry for its encoding (as h_mrs_entry()). */
static int h_sys_entry(CPUState *c, uint32_t insn, const void *entry, uint32_t plan)
{
    (void)plan;
    const SysRegDesc *e = entry;
    unsigned rt = FIELD(h_sys, t, insn);
    int vncr;
    const SysRegDesc *r = sys_check_entry(c, e, SYS_KEY(h_sys), rt, false, &vncr);
    if (!(r->flags & SRF_INSN) || !r->write)
        cpu_undefined(c);
    c->cycles += sysreg_extra_cost(c, SYS_KEY(h_sys));
    r->write(c, r, c->x[rt]);
    c->pc += 4;
    return EXEC_EXIT;
}

int h_sys(CPUState *c, uint32_t insn)
{
    return h_sys_entry(c, insn, sysreg_find(c->m, SYS_KEY(h_sys)), 0);
}

/*
 * MRS and MSR at EL2, for the translator (exec_sysreg_entry_handler()): the
 * hypervisors' world switches are long runs of them (KVM saves and restores
 * the guest's EL1 registers, PAuth keys and debug registers on every exit),
 * and through the generic path each resolved the entry, its class and the
 * PAC hints' inputs from the encoding again. At EL2, sys_check_entry()'s
 * steps reduce to what the plan records:
 *  1-2: the entry exists and allows the direction (the plan exists only then);
 *  3: an _EL12/_EL02 alias needs E2H = 1 (PLAN_E2H), else UNDEFINED;
 *  4: an _EL1 register with a VHE redirect reaches the entry the plan holds
 *     with E2H = 1 (PLAN_E2H); with E2H = 0 it is itself;
 *  5: no EL2 access is below the encoding's lowest EL (op1 of EL0..EL2);
 *  6: the entry's access() function, called as there;
 *  6a, 7: below EL2 only.
 * Anything the plan does not cover (another EL, E2H = 0 with PLAN_E2H, an
 * A83_HOOK_SYSREG hook) goes to the generic handler, which decides.
 * tests/unit/test_sysreg_el2_plan.c test_el2_plans_as_generic compares the
 * two over every register of the table.
 */
#define PLAN_E2H (1u << 0)      /* reached with EffectiveHCR_EL2_E2H() = 1 only */
#define PLAN_SCHED (1u << 1)    /* sysreg_sched_class() of the access */
#define PLAN_PAC (1u << 2)      /* MSR: sysreg_pac_input() of the entry reached */
#define PLAN_EL2 (1u << 3)      /* set in every plan: the EL2 handler is called */
#define PLAN_CLS_SHIFT 4        /* sysreg_class() of the encoding, SRC_* */

static inline bool el2_plan_holds(const CPUState *c, uint32_t plan)
{
    return likely(c->el == 2) && (!(plan & PLAN_E2H) || EffectiveHCR_EL2_E2H(c)) &&
           !(c->m->hook_mask & HOOKBIT(A83_HOOK_SYSREG));
}

/* After the checks: the access's cost class and, for an acknowledge or a
 * GIC/timer write, the round's end looked at again (as the generic path). */
static inline void el2_plan_charge(CPUState *c, uint32_t plan)
{
    c->cycles += c->m->timing.sysreg_cost[plan >> PLAN_CLS_SHIFT];
    if (unlikely(plan & PLAN_SCHED))
        machine_sched_dirty(c->m);
}

static int h_mrs_el2(CPUState *c, uint32_t insn, const void *entry, uint32_t plan)
{
    if (unlikely(!el2_plan_holds(c, plan)))
        return h_mrs(c, insn);
    const SysRegDesc *r = entry;
    unsigned rt = FIELD(h_mrs, t, insn);
    sys_access(c, r, SYSREG_KEY(h_mrs), rt, true);
    el2_plan_charge(c, plan);
    set_x(c, rt, r->read ? r->read(c, r) : c->sr[r->slot]);
    return EXEC_NEXT;
}

static int h_msr_el2(CPUState *c, uint32_t insn, const void *entry, uint32_t plan)
{
    if (unlikely(!el2_plan_holds(c, plan)))
        return h_msr_reg(c, insn);
    const SysRegDesc *r = entry;
    unsigned rt = FIELD(h_msr_reg, t, insn);
    sys_access(c, r, SYSREG_KEY(h_msr_reg), rt, false);
    el2_plan_charge(c, plan);
    sysreg_store(c, r, c->x[rt]);
    if (plan & PLAN_PAC)
        cpu_pac_hint_drop(c);
    c->pc += 4;
    return EXEC_EXIT;
}

/* The plan of an MRS (is_read) or MSR of encoding enc at EL2 in machine m
 * (above): false where an EL2 access is UNDEFINED by the encoding alone,
 * or reaches a system instruction, which the generic path decides. */
static bool el2_plan(const Machine *m, uint32_t enc, bool is_read, const SysRegDesc **entry,
                     uint32_t *plan)
{
    const SysRegDesc *r = sysreg_find(m, enc);
    if (!r || (r->flags & (is_read ? SRF_WO : SRF_RO)) || op1_min_el[(enc >> 11) & 7] > 2)
        return false;
    uint32_t p = PLAN_EL2 | (uint32_t)sysreg_class(enc) << PLAN_CLS_SHIFT;
    if (r->flags & SRF_EL12) {
        p |= PLAN_E2H;
    } else if (r->e2h_redirect) {
        r = sysreg_find(m, r->e2h_redirect);
        if (!r)
            return false;
        p |= PLAN_E2H;
    }
    if (r->flags & SRF_INSN)
        return false;
    if (sysreg_sched_class(enc, is_read))
        p |= PLAN_SCHED;
    if (!is_read && sysreg_pac_input(r))
        p |= PLAN_PAC;
    *entry = r;
    *plan = p;
    return true;
}

SysEntryHandler exec_sysreg_entry_handler(const Machine *m, InsnHandler fn, uint32_t insn,
                                          const void **entry, uint32_t *plan)
{
    const SysRegDesc *r;
    *plan = 0;
    if (fn == h_mrs) {
        if (el2_plan(m, SYSREG_KEY(h_mrs), true, &r, plan)) {
            *entry = r;
            return h_mrs_el2;
        }
        return (*entry = sysreg_find(m, SYSREG_KEY(h_mrs))) ? h_mrs_entry : NULL;
    }
    if (fn == h_msr_reg) {
        if (el2_plan(m, SYSREG_KEY(h_msr_reg), false, &r, plan)) {
            *entry = r;
            return h_msr_el2;
        }
        return (*entry = sysreg_find(m, SYSREG_KEY(h_msr_reg))) ? h_msr_reg_entry : NULL;
    }
    if (fn == h_sys)
        return (*entry = sysreg_find(m, SYS_KEY(h_sys))) ? h_sys_entry : NULL;
    return NULL;
}

bool exec_mrs_fast(const Machine *m, InsnHandler fn, uint32_t insn, SysRegFastRead *f)
{
    if (fn != h_mrs)
        return false;
    uint32_t enc = SYSREG_KEY(h_mrs);
    const SysRegDesc *r = sysreg_find(m, enc);
    /* steps 1-4 and the read's side effects: none of them may apply */
    if (!r || (r->flags & (SRF_WO | SRF_EL12 | SRF_INSN)) || r->e2h_redirect ||
        sysreg_sched_class(enc, true))
        return false;
    unsigned min_el = op1_min_el[(enc >> 11) & 7];
    if (min_el > 2)
        return false;
    f->spsel = f->byte = false;
    f->shift = 0;
    /* step 5: below min_el the access is UNDEFINED, traps (HCR_EL2.NV) or
     * redirects; step 7: an EL1 register with a VNCR_EL2 offset may become
     * a memory access at EL1, so it is plain at EL2 only */
    f->el_min = (uint8_t)(r->vncr_offset >= 0 && min_el < 2 ? 2 : min_el);
    if (!r->access && !r->read && r->slot != SR_NONE) {
        f->off = (int32_t)(offsetof(CPUState, sr) + sizeof(uint64_t) * r->slot);
    } else if (enc == sysreg_key(3, 0, 4, 1, 0)) {
        /* SP_EL0 (core_regs.c): its access() is PSTATE.SP = 1, its read the
         * bank, current while PSTATE.SP = 1 (cpu_sync_sp()) */
        f->off = (int32_t)offsetof(CPUState, sp_el[0]);
        f->spsel = true;
    } else if (enc == sysreg_key(3, 3, 4, 2, 1)) {
        /* DAIF (core_regs.c): its access() tests SCTLR_ELx.UMA at EL0 only,
         * its read is PSTATE.{D,A,I,F} at bits 9:6 */
        f->off = (int32_t)offsetof(CPUState, daif);
        f->byte = true;
        f->shift = SPSR_DAIF_SHIFT;
        f->el_min = 1;
    } else {
        return false;
    }
    /* step 6a: below EL2, any set bit of the FGT register whose bits may
     * trap this encoding sends the read to the handler, which decides */
    int fgt = el2_fgt_read_slot(enc);
    f->fgt_off = f->el_min < 2 && fgt >= 0
                 ? (int32_t)(offsetof(CPUState, sr) + sizeof(uint64_t) * (unsigned)fgt) : -1;
    f->extra = m->timing.sysreg_cost[sysreg_class(enc)];
    return true;
}

/* Whether the access of a DC row's own handler (h_dc_zva(), h_dc_poc())
 * may trap: below EL2, the EL0 enable of its kind (SCTLR_ELx), the HCR_EL2
 * trap of its kind, then the fine-grained trap of its encoding (HFGITR_EL2).
 * Then h_sys() takes the access, so the priorities stay sys_check()'s. */
static inline bool dc_row_trapped(CPUState *c, enum DcKind kind, uint32_t insn)
{
    return unlikely(c->el < 2) &&
           (el0_trap_dc(c, kind) || el2_trap_dc(c, kind) || el2_fgt_trap(c, SYS_KEY(h_sys), false));
}

/* DC ZVA's own row (sys.c): what h_sys() does for it, without the table
 * lookup. Its entry (src/mmu/maint.c) is always present, write-only, usable
 * from EL0 (op1 = 3), neither an _EL12 alias nor redirected under VHE,
 * without a VNCR_EL2 offset, and its access() traps exactly when
 * el0_trap_dc() or el2_trap_dc() says so (SCTLR_ELx.DZE, HCR_EL2.TDZ); at
 * EL0 and EL1 the fine-grained trap (HFGITR_EL2.DCZVA) follows. Where any
 * of those traps, h_sys() takes it, so the priorities stay where sys_check()
 * has them (tests/unit/test_dc_zva.c: test_row_and_entry checks the
 * entry's properties this relies on, test_same_as_generic the outcomes).
 * Cycles: the class SRC_CACHE extra cost, as sysreg_extra_cost() gives for
 * op0 = 1, CRn = 7, CRm = 4. Unlike h_sys(), the operation returns
 * EXEC_NEXT: it changes nothing that cpu_exec() would have to look at
 * before the next instruction (no PSTATE, no translation regime, no
 * interrupt line; a write into code sets exit_req as any store's does), so
 * it does not end the interpreter's run, and the translator does not end a
 * block at it (exec_sys_goes_on()). Xen scrubs and cleans its RAM with
 * loops of these. */
int h_dc_zva(CPUState *c, uint32_t insn)
{
    /* op0:op1:CRn:CRm:op2 = 1:3:7:4:1, the row's fixed bits */
    if (dc_row_trapped(c, DC_KIND_ZVA, insn))
        return h_sys(c, insn);
    c->cycles += c->m->timing.sysreg_cost[SRC_CACHE];
    mmu_dc_zva(c, c->x[FIELD(h_dc_zva, t, insn)]);
    return EXEC_NEXT;
}

/* DC CVAC and DC CIVAC's own rows (sys.c): what h_sys() does for them
 * without the table lookup. Their entries (src/mmu/maint.c) are always
 * present, write-only, usable from EL0, neither aliases nor redirected,
 * without a VNCR_EL2 offset; their access() traps exactly when
 * el0_trap_dc() (SCTLR_ELx.UCI) or el2_trap_dc() (HCR_EL2.TPCP) says so,
 * and at EL0 and EL1 the fine-grained trap (HFGITR_EL2.DCCVAC/DCCIVAC)
 * follows; where any of them traps, h_sys() takes it. The operation is
 * the entries' own: the VA translated as a read with CM = 1 (a fault
 * reports CM = 1, WnR = 1), no cache to maintain (tests/unit/test_dc_zva.c
 * checks the entries' properties and the outcomes against h_sys()).
 * Cycles: the class SRC_CACHE extra cost, as for h_dc_zva(). */
int h_dc_poc(CPUState *c, uint32_t insn)
{
    /* op0:op1:CRn:op2 = 1:3:7:1; CRm = 10 (CVAC) or 14 (CIVAC) */
    if (dc_row_trapped(c, DC_KIND_POC, insn))
        return h_sys(c, insn);
    c->cycles += c->m->timing.sysreg_cost[SRC_CACHE];
    mem_translate(c, c->x[FIELD(h_dc_poc, t, insn)], ACC_READ, 1, MEMF_CM);   /* = w_cm_read() */
    return EXEC_NEXT;
}

bool exec_dc_fast(const Machine *m, InsnHandler fn, uint32_t insn, DcFast *f)
{
    if (fn != h_dc_zva && fn != h_dc_poc)
        return false;
    f->zva = fn == h_dc_zva;
    f->rt = fn == h_dc_zva ? FIELD(h_dc_zva, t, insn) : FIELD(h_dc_poc, t, insn);
    f->extra = m->timing.sysreg_cost[SRC_CACHE];
    return true;
}

int h_sysl(CPUState *c, uint32_t insn)
{
    unsigned rt = FIELD(h_sysl, t, insn);
    int vncr;
    const SysRegDesc *r = sys_check(c, SYS_KEY(h_sysl), rt, true, &vncr);
    if (!(r->flags & SRF_INSN) || !r->read)
        cpu_undefined(c);
    set_x(c, rt, r->read(c, r));
    c->pc += 4;
    return EXEC_EXIT;
}
