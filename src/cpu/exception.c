/*
 * AArch64 exception entry and return, and interrupt delivery.
 * Arm ARM D1.10 (exception entry), D1.11 (exception return), D1.13
 * (asynchronous exception routing and masking).
 */
#include "core/hooks.h"
#include "cpu/exception.h"

#include "core/machine.h"
#include "cpu/debug.h"
#include "cpu/esr.h"
#include "cpu/exec.h"
#include "cpu/fpaccess.h"
#include "cpu/pstate.h"
#include "cpu/spsr.h"
#include "trace/trace.h"

#include "el2/traps.h"
#include "sysreg/pmu.h"

unsigned cpu_default_target_el(const CPUState *c)
{
    return el2_default_target_el(c);
}

void AArch64_TakeException(CPUState *c, unsigned target_el, const ExceptionRecord *e,
                           uint64_t preferred_return, unsigned vect_offset)
{
    unsigned from_el = c->el;
    uint64_t start_cycles = c->cycles;   /* an exit's cost includes its entry */
    uint64_t spsr = cpu_get_pstate(c);
    /* FEAT_NV (branch el2): an exception taken from EL1 to EL1 reports
     * SPSR_EL1.M[3:2] = EL2 when EffectiveHCR_EL2_NVx() IN {'x01', '111'}
     * (AArch64.TakeException), so the guest hypervisor sees its own EL. */
    if (from_el == 1 && target_el == 1) {
        unsigned nvx = el2_nvx(c);
        if ((nvx & (NVX_NV1 | NVX_NV)) == NVX_NV || nvx == (NVX_NV2 | NVX_NV1 | NVX_NV))
            spsr = (spsr & ~SPSR_M_EL_MASK) | (2ull << SPSR_M_EL_SHIFT);
    }
    pmu_el_change(c);
    if (target_el > c->el)
        vect_offset += 0x400;        /* lower EL using AArch64 */
    else if (c->spsel)
        vect_offset += 0x200;        /* current EL with SP_ELx */
    if (unlikely(c->m->tarmac_on))
        tarmac_exception(c, target_el, vect_offset, e->ec);

    bool sync = (vect_offset & 0x180) == VECT_SYNC;
    int esr_slot = target_el == 2 ? SR_ESR_EL2 : SR_ESR_EL1;
    int far_slot = target_el == 2 ? SR_FAR_EL2 : SR_FAR_EL1;
    if (sync || (vect_offset & 0x180) == VECT_SERROR) {
        c->sr[esr_slot] = esr_make(e->ec, e->il, e->iss);
        if (sync && e->far_valid)
            c->sr[far_slot] = e->far;
        if (target_el == 2 && e->ipa_valid)
            c->sr[SR_HPFAR_EL2] = (e->ipa >> 12) << 4;   /* HPFAR_EL2.FIPA = IPA[47:12] */
    }

    cpu_sync_sp(c);
    c->el = (uint8_t)target_el;
    c->spsel = 1;
    if (target_el == 2) {
        c->sr[SR_SPSR_EL2] = spsr;
        c->sr[SR_ELR_EL2] = preferred_return;
    } else {
        c->sr[SR_SPSR_EL1] = spsr;
        c->sr[SR_ELR_EL1] = preferred_return;
    }
    c->ss = 0;
    c->il = 0;
    c->daif = DAIF_D | DAIF_A | DAIF_I | DAIF_F;
    /* PAN is set on entry when SCTLR_ELx.SPAN == 0 (FEAT_PAN), for EL1 and
     * for EL2 in the EL2&0 regime with TGE=1. */
    if (has_feat(c, FEAT_PAN)) {
        if (target_el == 1 && !(c->sr[SR_SCTLR_EL1] & SCTLR_SPAN))
            c->pan = 1;
        else if (target_el == 2 && ELIsInHost(c, 0) &&
                 !(c->sr[SR_SCTLR_EL2] & SCTLR_SPAN))
            c->pan = 1;
    }
    c->uao = 0;
    cpu_load_sp(c);
    cpu_update_mmu_context(c);
    c->halted = false;
    c->excl_valid = false;   /* Arm ARM B2.9.6: exception entry may clear the monitor; we do */
    uint64_t vbar = c->sr[target_el == 2 ? SR_VBAR_EL2 : SR_VBAR_EL1];
    c->pc = (vbar & ~0x7ffull) + vect_offset;
    c->cycles += c->m->timing.exc_entry;
    if (unlikely(c->m->trace_active))
        trace_exception_entry(c, from_el, target_el, (vect_offset >> 7) & 3, start_cycles);
    if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_EXCEPTION)))
        hooks_exception(c, from_el, vect_offset, preferred_return,
                        (sync || (vect_offset & 0x180) == VECT_SERROR) ? c->sr[esr_slot] : 0);
}

_Noreturn void cpu_raise_sync(CPUState *c, unsigned target_el, const ExceptionRecord *e)
{
    AArch64_TakeException(c, target_el, e, c->pc, VECT_SYNC);
    longjmp(c->jmp, 1);
}

_Noreturn void cpu_undefined(CPUState *c)
{
    ExceptionRecord e = { .ec = EC_UNKNOWN, .il = true };
    cpu_raise_sync(c, cpu_default_target_el(c), &e);
}

void cpu_check_sp_alignment(CPUState *c, uint64_t sp)
{
    if (likely(!(sp & 0xf)))
        return;
    uint64_t sctlr;
    bool el0 = c->el == 0;
    if (c->el == 2 || (el0 && el2_in_host(c)))
        sctlr = c->sr[SR_SCTLR_EL2];
    else
        sctlr = c->sr[SR_SCTLR_EL1];
    if (!(sctlr & (el0 ? SCTLR_SA0 : SCTLR_SA)))
        return;
    ExceptionRecord e = { .ec = EC_SP_ALIGN, .il = true };
    cpu_raise_sync(c, cpu_default_target_el(c), &e);
}

static bool spsr_return_legal(const CPUState *c, uint64_t spsr)
{
    if (spsr & SPSR_M_nRW)
        return false;                 /* AArch32 is not implemented */
    unsigned tel = spsr_m_el(spsr);
    if (spsr & SPSR_M_RES)
        return false;                 /* M[1] is reserved */
    if (tel == 0 && (spsr & SPSR_M_SP))
        return false;                 /* EL0 with SP_EL0 only */
    if (tel > c->el)
        return false;
    if (tel == 3 || (tel == 2 && !has_feat(c, FEAT_EL2)))
        return false;
    if (tel == 1 && c->el == 2 && el2_eret_to_el1_illegal(c))
        return false;                 /* ERET to EL1 with TGE=1 */
    return true;
}

int cpu_exception_return(CPUState *c, uint64_t new_pc, uint64_t spsr)
{
    if (!spsr_return_legal(c, spsr)) {
        /* Arm ARM D1.11.4 illegal exception return: EL and SP unchanged,
         * PSTATE.IL set, the rest from SPSR. */
        uint64_t keep = ((uint64_t)c->el << SPSR_M_EL_SHIFT) | (c->spsel ? SPSR_M_SP : 0);
        spsr = (spsr & ~(SPSR_M_nRW | SPSR_M_MASK)) | keep | SPSR_IL;
    }
    if (unlikely(c->m->hook_mask & HOOKBIT(A83_HOOK_ERET)))
        hooks_eret(c, new_pc, spsr);
    /* The ERET's own cost counts towards the exit it ends. */
    c->cycles += c->m->timing.exc_return;
    unsigned from_el = c->el;
    pmu_el_change(c);
    /* PSTATE.SS = DebugExceptionReturnSS(SPSR) (Arm ARM D2.12.5), which
     * depends on the state before the return. */
    uint8_t ss = debug_return_ss(c, spsr);
    cpu_set_pstate(c, spsr);
    c->ss = ss;
    c->ss_stepped = 0;
    c->ss_eret = 1;
    if (unlikely(c->m->trace_active))
        trace_exception_return(c, from_el, c->el, new_pc);
    c->excl_valid = false;
    machine_set_event_reg(c, true);   /* an exception return is a WFE wake-up event (D1.16.1) */
    c->pc = new_pc;
    return EXEC_EXIT;   /* EL, PSTATE and the translation context changed */
}

/*
 * Interrupt routing and masking without EL3 (Arm ARM D1.13.2, table D1-15):
 * a physical IRQ goes to EL2 if HCR_EL2.IMO or TGE is set, else to EL1. An
 * interrupt taken to a higher EL than the current one cannot be masked by
 * PSTATE; one targeting the current EL is masked by PSTATE.I/F/A; one
 * targeting a lower EL is not taken. Virtual interrupts exist only when the
 * matching HCR_EL2.{IMO,FMO,AMO} is set and TGE is clear, are taken to EL1
 * from EL0/EL1 only, and are masked by PSTATE.
 */
static bool phys_deliverable(const CPUState *c, enum El2Int k, uint8_t mask, unsigned *tel)
{
    unsigned t = el2_phys_int_target_el(c, k);
    *tel = t;
    if (t < c->el)
        return false;
    if (t > c->el)
        return true;
    return !(c->daif & mask);
}

static bool virt_deliverable(const CPUState *c, enum El2Int k, uint8_t mask)
{
    if (!el2_virt_int_enabled(c, k) || c->el > 1)
        return false;
    return !(c->daif & mask);
}

bool cpu_check_interrupts(CPUState *c)
{
    uint32_t l = c->irq_lines;
    unsigned tel;
    if ((l & IRQ_LINE_FIQ) && phys_deliverable(c, EL2_INT_FIQ, DAIF_F, &tel)) {
        ExceptionRecord e = { 0 };
        AArch64_TakeException(c, tel, &e, c->pc, VECT_FIQ);
        return true;
    }
    if ((l & IRQ_LINE_IRQ) && phys_deliverable(c, EL2_INT_IRQ, DAIF_I, &tel)) {
        ExceptionRecord e = { 0 };
        AArch64_TakeException(c, tel, &e, c->pc, VECT_IRQ);
        return true;
    }
    if ((l & IRQ_LINE_VSERR) && virt_deliverable(c, EL2_INT_SERROR, DAIF_A)) {
        ExceptionRecord e = { .ec = EC_SERROR, .il = true,
                              .iss = (uint32_t)(c->sr[SR_VSESR_EL2] & ESR_ISS_MASK) };
        AArch64_TakeException(c, 1, &e, c->pc, VECT_SERROR);
        el2_vserror_taken(c);
        return true;
    }
    if ((l & (IRQ_LINE_VFIQ | IRQ_LINE_HCR_VF)) && virt_deliverable(c, EL2_INT_FIQ, DAIF_F)) {
        ExceptionRecord e = { 0 };
        AArch64_TakeException(c, 1, &e, c->pc, VECT_FIQ);
        return true;
    }
    if ((l & (IRQ_LINE_VIRQ | IRQ_LINE_HCR_VI)) && virt_deliverable(c, EL2_INT_IRQ, DAIF_I)) {
        ExceptionRecord e = { 0 };
        AArch64_TakeException(c, 1, &e, c->pc, VECT_IRQ);
        return true;
    }
    /* none of these lines can be taken until PSTATE.DAIF, PSTATE.EL or
     * HCR_EL2 changes (each line is decided on its own above, so neither
     * can any subset of them) */
    c->irq_masked = l;
    return false;
}

bool cpu_wfi_wakeup_pending(const CPUState *c)
{
    /* Arm ARM D1.16.2: WFI wakes on any pending interrupt that would be
     * taken if PSTATE's masks were clear. */
    uint32_t l = c->irq_lines;
    if (l & (IRQ_LINE_IRQ | IRQ_LINE_FIQ))
        return true;
    if (c->el <= 1) {
        if ((l & (IRQ_LINE_VIRQ | IRQ_LINE_HCR_VI)) && el2_virt_int_enabled(c, EL2_INT_IRQ))
            return true;
        if ((l & (IRQ_LINE_VFIQ | IRQ_LINE_HCR_VF)) && el2_virt_int_enabled(c, EL2_INT_FIQ))
            return true;
        if ((l & IRQ_LINE_VSERR) && el2_virt_int_enabled(c, EL2_INT_SERROR))
            return true;
    }
    return false;
}

/* fpaccess.h: the trap of AArch64.CheckFPAdvSIMDEnabled (the decision is
 * fp_trap_el(), cpu/fpaccess.c). */
void fp_check_access_slow(CPUState *c)
{
    unsigned tel = fp_trap_el(c);
    if (!tel) {
        c->fp_enabled = true;
        return;
    }
    /* AArch64.AdvSIMDFPAccessTrap: a trap to EL1 from EL0 is routed to EL2
     * by HCR_EL2.TGE and then reported as Uncategorized (EC 0x00);
     * otherwise EC 0x07 with the condition syndrome CV=1, COND=AL. */
    if (tel == 1 && el1_trap_target(c) == 2) {
        ExceptionRecord e = { .ec = EC_UNKNOWN, .il = true };
        cpu_raise_sync(c, 2, &e);
    }
    ExceptionRecord e = { .ec = EC_FP_ACCESS, .il = true, .iss = ESR_ISS_COND_AL };
    cpu_raise_sync(c, tel, &e);
}
