/*
 * System instructions without a register operand: hints (WFI, WFE, SEV,
 * SEVL, YIELD, NOP), barriers, CLREX, MSR (immediate), exception generation
 * (SVC, HVC, SMC, BRK) and ERET. Arm ARM C6.2, D1.10, D1.16.
 */
#include "core/machine.h"
#include "cpu/debug.h"
#include "cpu/decode_fields.h"
#include "cpu/esr.h"
#include "cpu/exec.h"
#include "cpu/exception.h"
#include "cpu/pstate.h"
#include "cpu/sys_internal.h"
#include "el2/fgt.h"
#include "el2/traps.h"
#include "mmu/mmu.h"
#include "platform/platform.h"
#include "sysreg/sysreg.h"

/* ---- WFI / WFE / SEV (Arm ARM D1.16) ------------------------------------- */

/* AArch64.CheckForWFxTrap: SCTLR_EL1.nTWI/nTWE for EL0 (to EL1, or EL2
 * under TGE), then HCR_EL2.TWI/TWE for EL0/EL1 (to EL2). EC 0x01,
 * ISS.TI = 1 for WFE. */
static void check_wfx_trap(CPUState *c, bool is_wfe)
{
    unsigned tel = 0;
    if (c->el == 0 && !(el0_sctlr(c) & (is_wfe ? SCTLR_nTWE : SCTLR_nTWI)))
        tel = el1_trap_target(c);
    else if (el2_trap_wfx(c, is_wfe))
        tel = 2;
    if (tel) {
        ExceptionRecord e = { .ec = EC_WFX, .il = true, .iss = ESR_ISS_COND_AL | (is_wfe ? 1u : 0u) };
        cpu_raise_sync(c, tel, &e);
    }
}

static int do_wfi(CPUState *c)
{
    check_wfx_trap(c, false);
    c->pc += 4;
    if (!cpu_wfi_wakeup_pending(c)) {
        c->halted = true;
        c->exit_req |= EXIT_SCHED;
    }
    return EXEC_EXIT;
}

static int do_wfe(CPUState *c)
{
    check_wfx_trap(c, true);
    c->pc += 4;
    if (c->event_reg) {
        machine_set_event_reg(c, false);   /* clears the event register and completes */
        return EXEC_EXIT;
    }
    if (cpu_wfi_wakeup_pending(c))
        return EXEC_EXIT;
    /* Sleep, also with a valid exclusive monitor (the LDXR + WFE wait
     * idiom): another PE's store that clears our monitor sets our event
     * register (mem_clear_exclusive_others(), Arm ARM D1.16.1), which wakes
     * us. A halted CPU's clock follows the machine's; merely yielding the
     * turn here kept the waiter's CNTPCT far behind the other CPUs', and
     * Linux on 8 CPUs live-locked in timekeeping (guest test exc/wfe_monitor). */
    c->halted = true;
    c->exit_req |= EXIT_SCHED;
    return EXEC_EXIT;
}

static int do_sev(CPUState *c)
{
    /* SEV signals an event to every PE (Arm ARM D1.16.1): it sets their
     * event registers; the scheduler (machine.c) wakes a PE halted in WFE
     * whose event register became set. */
    Machine *m = c->m;
    for (unsigned i = 0; i < m->ncpus; i++)
        machine_set_event_reg(m->cpu[i], true);
    c->pc += 4;
    return EXEC_EXIT;
}

int h_hint(CPUState *c, uint32_t insn)
{
    unsigned op = (FIELD(h_hint, m, insn) << 3) | FIELD(h_hint, o, insn);   /* CRm:op2 */
    switch (op) {
    case 2:
        return do_wfe(c);
    case 3:
        return do_wfi(c);
    case 4:
        return do_sev(c);
    case 5:                              /* SEVL */
        machine_set_event_reg(c, true);
        return EXEC_NEXT;
    default:
        /* NOP, YIELD, ESB, PSB CSYNC, CSDB and the unallocated hints. */
        return EXEC_NEXT;
    }
}

bool a64_is_nop(int (*fn)(CPUState *, uint32_t), uint32_t insn)
{
    if (fn == h_dmb || fn == h_dsb)
        return true;
    if (fn != h_hint)
        return false;
    unsigned op = (FIELD(h_hint, m, insn) << 3) | FIELD(h_hint, o, insn);
    return op < 2 || op > 5;   /* h_hint()'s default case */
}

/* ---- Barriers ---------------------------------------------------------- */

int h_clrex(CPUState *c, uint32_t insn)
{
    (void)insn;
    c->excl_valid = false;              /* ClearExclusiveLocal() */
    return EXEC_NEXT;
}

/* The interpreter executes in program order with one CPU at a time, so
 * DMB and DSB are ordering no-ops; ISB needs nothing either because every
 * context-changing instruction already ends the decoded run (EXEC_EXIT). */
int h_dsb(CPUState *c, uint32_t insn) { (void)c; (void)insn; return EXEC_NEXT; }
int h_dmb(CPUState *c, uint32_t insn) { (void)c; (void)insn; return EXEC_NEXT; }
int h_isb(CPUState *c, uint32_t insn) { (void)insn; c->pc += 4; return EXEC_EXIT; }

bool exec_exit_next(InsnHandler fn)
{
    /* each of these adds 4 to the PC before its EXEC_EXIT */
    return fn == h_sys || fn == h_sysl || fn == h_isb || fn == h_msr_reg || fn == h_msr_imm ||
           fn == h_hint;
}

bool exec_sys_goes_on(InsnHandler fn)
{
    /* EXEC_NEXT unless trapped (then h_sys()'s EXEC_EXIT): sys_reg.c */
    return fn == h_dc_zva || fn == h_dc_poc;
}

bool exec_exit_plain(InsnHandler fn)
{
    /* why each of these is plain: exec.h */
    return exec_exit_next(fn) || fn == h_eret || fn == h_svc || fn == h_hvc || fn == h_smc;
}

/* ---- MSR (immediate) (Arm ARM C6.2.195) ------------------------------------ */

int h_msr_imm(CPUState *c, uint32_t insn)
{
    unsigned op1 = FIELD(h_msr_imm, p, insn), op2 = FIELD(h_msr_imm, o, insn);
    unsigned crm = FIELD(h_msr_imm, m, insn);
    switch ((op1 << 3) | op2) {
    case (0 << 3) | 5:                  /* SPSel */
        if (c->el == 0)
            cpu_undefined(c);
        cpu_sync_sp(c);
        c->spsel = crm & 1;
        cpu_load_sp(c);
        break;
    case (3 << 3) | 6:                  /* DAIFSet */
    case (3 << 3) | 7:                  /* DAIFClr */
        if (c->el == 0 && !(el0_sctlr(c) & SCTLR_UMA)) {
            /* Trapped to EL1 (EL2 with TGE) as an MSR with EC 0x18 */
            ExceptionRecord e = { .ec = EC_SYSREG, .il = true,
                                  .iss = sysreg_iss(sysreg_key(0, op1, 4, crm, op2), 31, false) };
            cpu_raise_sync(c, el1_trap_target(c), &e);
        }
        if (op2 == 6)
            c->daif |= crm;
        else
            c->daif &= ~crm;
        cpu_irq_masking_changed(c);
        break;
    case (0 << 3) | 4:                  /* PAN (FEAT_PAN) */
        if (!has_feat(c, FEAT_PAN) || c->el == 0)
            cpu_undefined(c);
        c->pan = crm & 1;
        cpu_update_mmu_context(c);
        break;
    case (0 << 3) | 3:                  /* UAO (FEAT_UAO) */
        if (!has_feat(c, FEAT_UAO) || c->el == 0)
            cpu_undefined(c);
        c->uao = crm & 1;
        cpu_update_mmu_context(c);   /* LDTR/STTR's context (CPUState.tlb_unpriv) */
        break;
    default:
        cpu_undefined(c);
    }
    c->pc += 4;
    return EXEC_EXIT;
}

/* ---- Exception generation ------------------------------------------------- */

static int take_at_next(CPUState *c, unsigned tel, uint32_t ec, uint32_t iss)
{
    ExceptionRecord e = { .ec = ec, .il = true, .iss = iss };
    debug_ss_advance(c);    /* the instruction completes: SPSR.SS = 0 when stepping */
    AArch64_TakeException(c, tel, &e, c->pc + 4, VECT_SYNC);
    return EXEC_EXIT;   /* the EL changed: not a same-context jump */
}

int h_svc(CPUState *c, uint32_t insn)
{
    /* AArch64.CheckForSVCTrap (FEAT_FGT HFGITR_EL2.SVC_EL0/EL1): to EL2,
     * preferred return = the SVC itself. */
    if (unlikely(c->el < 2) && el2_fgt_trap_svc(c)) {
        ExceptionRecord e = { .ec = EC_SVC64, .il = true, .iss = FIELD(h_svc, i, insn) };
        cpu_raise_sync(c, 2, &e);
    }
    /* AArch64.CallSupervisor: to EL1, or EL2 from EL0 with TGE, or EL2 at
     * EL2; preferred return = the next instruction. */
    return take_at_next(c, cpu_default_target_el(c), EC_SVC64, FIELD(h_svc, i, insn));
}

static int firmware_handled(CPUState *c)
{
    c->pc += 4;
    return EXEC_EXIT;
}

int h_hvc(CPUState *c, uint32_t insn)
{
    uint16_t imm = (uint16_t)FIELD(h_hvc, i, insn);
    if (c->el == 0)
        cpu_undefined(c);
    if (!has_feat(c, FEAT_EL2)) {
        /* No EL2: HVC is the board's firmware conduit, else UNDEFINED. */
        if (platform_firmware_call(c, false, imm))
            return firmware_handled(c);
        cpu_undefined(c);
    }
    if (el2_hvc_undefined(c))
        cpu_undefined(c);
    /* AArch64.CallHypervisor: EC 0x16, preferred return = next insn. */
    return take_at_next(c, 2, EC_HVC64, imm);
}

int h_smc(CPUState *c, uint32_t insn)
{
    uint16_t imm = (uint16_t)FIELD(h_smc, i, insn);
    if (c->el == 0)
        cpu_undefined(c);
    if (el2_trap_smc(c)) {
        /* HCR_EL2.TSC: trapped to EL2 with EC 0x17; the preferred return
         * address is the SMC itself (Arm ARM D13.2.46). */
        ExceptionRecord e = { .ec = EC_SMC64, .il = true, .iss = imm };
        cpu_raise_sync(c, 2, &e);
    }
    /* No EL3: the board's firmware answers the call (conduit SMC). */
    if (platform_firmware_call(c, true, imm))
        return firmware_handled(c);
    cpu_undefined(c);
}

int h_brk(CPUState *c, uint32_t insn)
{
    /* AArch64.SoftwareBreakpoint: EC 0x3C, ISS = imm16, preferred return
     * = the BRK. Routed to EL2 from EL0/EL1 with HCR_EL2.TGE or
     * MDCR_EL2.TDE. */
    unsigned tel = c->el == 2 ? 2 : el2_debug_target_el(c);
    ExceptionRecord e = { .ec = EC_BRK, .il = true, .iss = FIELD(h_brk, i, insn) };
    cpu_raise_sync(c, tel, &e);
}

int h_eret(CPUState *c, uint32_t insn)
{
    (void)insn;
    if (c->el == 0)
        cpu_undefined(c);
    if (el2_trap_eret(c)) {
        /* FEAT_NV: ERET at EL1 with HCR_EL2.NV=1 traps to EL2, EC 0x1A,
         * ISS = 0 (ERET, not ERETAx); FEAT_FGT's HFGITR_EL2.ERET the same
         * (AArch64.CheckForERetTrap). */
        ExceptionRecord e = { .ec = EC_ERET, .il = true, .iss = 0 };
        cpu_raise_sync(c, 2, &e);
    }
    uint64_t elr = c->sr[c->el == 2 ? SR_ELR_EL2 : SR_ELR_EL1];
    uint64_t spsr = c->sr[c->el == 2 ? SR_SPSR_EL2 : SR_SPSR_EL1];
    return cpu_exception_return(c, elr, spsr);
}
