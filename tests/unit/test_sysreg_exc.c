/*
 * The exception model (Arm ARM D1.10 entry, D1.11 return, D1.13
 * interrupts) and the exception-generating and hint instructions, checked
 * through single steps with exact ESR/ELR/SPSR/PC values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/modules.h"
#include "cpu/exception.h"
#include "cpu/fpaccess.h"
#include "el2/traps.h"
#include "sysreg_test_util.h"

static a83_machine *M, *M1;   /* with EL2 (VHE, NV); without EL2 */

static CPUState *fresh(a83_machine *m, uint64_t hcr)
{
    CPUState *c = m->cpu[0];
    cpu_reset(c);
    c->sr[SR_VBAR_EL1] = VBAR1;
    c->sr[SR_VBAR_EL2] = VBAR2;
    if (m == M)
        c->sr[SR_HCR_EL2] = hcr | HCR_RW;
    return c;
}

#define ESR(ec, iss) (((uint64_t)(ec) << 26) | (1u << 25) | (iss))
#define SVC(i) (0xd4000001u | ((i) << 5))
#define HVC(i) (0xd4000002u | ((i) << 5))
#define SMC(i) (0xd4000003u | ((i) << 5))
#define BRK(i) (0xd4200000u | ((i) << 5))
#define ERET 0xd69f03e0u
#define WFI 0xd503207fu
#define WFE 0xd503205fu
#define NOP 0xd503201fu
#define DAIFSET(m) (0xd50340dfu | ((m) << 8))
#define MSR_PAN(m) (0xd500409fu | ((m) << 8))
#define MSR_SPSEL(m) (0xd50040bfu | ((m) << 8))

/* D1.10.2: SVC from EL0 -> EL1 (lower EL vector +0x400), from EL0 with
 * TGE -> EL2, preferred return = next instruction. */
static void test_svc_routing(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    tm_exec(M, SVC(7), PS_EL0);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x15, 7));
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA + 4);
    assert_int_equal(c->sr[SR_SPSR_EL1], PS_EL0);
    assert_int_equal(c->daif, 0xf);
    c = fresh(M, HCR_TGE);
    tm_exec(M, SVC(9), 0x000);          /* EL0, DAIF clear, NZCV 0 */
    assert_int_equal(c->el, 2);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x15, 9));
    assert_int_equal(c->sr[SR_SPSR_EL2], 0);
    /* SVC at EL1 with SP_EL0: current EL, SP0 vector (+0x000) */
    c = fresh(M, 0);
    tm_exec(M, SVC(1), 0x3c4);
    assert_int_equal(c->pc, VBAR1 + 0x000);
    /* SVC at EL2 stays at EL2, SPx vector */
    c = fresh(M, 0);
    tm_exec(M, SVC(2), PS_EL2);
    assert_int_equal(c->pc, VBAR2 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x15, 2));
    /* UNDEFINED from EL0 with TGE goes to EL2 as well */
    c = fresh(M, HCR_TGE);
    tm_exec(M, 0x00000000u, PS_EL0);    /* UDF #0 */
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0, 0));
}

static void test_hvc(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    tm_exec(M, HVC(0x55), PS_EL0);      /* UNDEFINED at EL0 */
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
    c = fresh(M, HCR_HCD);
    tm_exec(M, HVC(0x55), PS_EL1);      /* HCR_EL2.HCD: UNDEFINED (to EL1) */
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
    c = fresh(M, 0);
    tm_exec(M, HVC(0x55), PS_EL1);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x16, 0x55));
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA + 4);
    /* No EL2 and no firmware service for the call: UNDEFINED. (The stub
     * firmware of this branch handles nothing; with the platform branch,
     * imm != 0 is still not a firmware call.) */
    c = fresh(M1, 0);
    tm_exec(M1, HVC(0x55), PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
}

static void test_smc(void **state)
{
    (void)state;
    CPUState *c = fresh(M, HCR_TSC);
    tm_exec(M, SMC(0x33), PS_EL1);      /* TSC: EC 0x17, ELR = the SMC itself */
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x17, 0x33));
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA);
    c = fresh(M, HCR_TSC);
    tm_exec(M, SMC(0x33), PS_EL0);      /* UNDEFINED at EL0 */
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
    c = fresh(M, 0);
    c->x[0] = 0xdead0000;               /* not a firmware function */
    tm_exec(M, SMC(0x33), PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
}

static void test_brk(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    tm_exec(M, BRK(0x800), PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x3c, 0x800));
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA);
    c = fresh(M, 0);
    c->sr[SR_MDCR_EL2] = MDCR_TDE;      /* debug exceptions routed to EL2 */
    tm_exec(M, BRK(1), PS_EL0);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x3c, 1));
}

/* D1.11: ERET restores PSTATE from SPSR and PC from ELR; illegal returns
 * set PSTATE.IL and keep EL and SP; the next instruction then takes the
 * Illegal Execution state exception (EC 0x0E). */
static void test_eret(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    c->sr[SR_ELR_EL2] = 0x40001000;
    c->sr[SR_SPSR_EL2] = 0xa0000005;    /* EL1h, NZCV=1010, DAIF clear */
    tm_exec(M, ERET, PS_EL2);
    assert_int_equal(c->pc, 0x40001000);
    assert_int_equal(c->el, 1);
    assert_int_equal(c->nzcv, 0xa0000000u);
    assert_int_equal(c->daif, 0);
    assert_int_equal(c->il, 0);

    /* Illegal: to EL2 from EL1 */
    c = fresh(M, 0);
    uint32_t nop = NOP;
    a83_phys_write(M, 0x40001000, &nop, 4);
    c->sr[SR_ELR_EL1] = 0x40001000;
    c->sr[SR_SPSR_EL1] = 0x60000009;
    tm_exec(M, ERET, PS_EL1);
    assert_int_equal(c->pc, 0x40001000);
    assert_int_equal(c->el, 1);
    assert_int_equal(c->il, 1);
    assert_int_equal(c->nzcv, 0x60000000u);
    /* The next instruction takes the Illegal State exception: that is the
     * whole step (a step executes one instruction or takes one exception),
     * leaving the PC at the vector. */
    a83_phys_write(M, VBAR1 + 0x200, &nop, 4);
    cpu_step(c);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x0e, 0));
    assert_int_equal(c->sr[SR_ELR_EL1], 0x40001000);
    assert_int_equal(c->sr[SR_SPSR_EL1], 0x60100005);   /* IL set in the saved PSTATE */

    /* Illegal: a return to AArch32 (M[4] = 1) */
    c = fresh(M, 0);
    c->sr[SR_ELR_EL2] = 0x40001000;
    c->sr[SR_SPSR_EL2] = 0x10;
    tm_exec(M, ERET, PS_EL2);
    assert_int_equal(c->el, 2);
    assert_int_equal(c->il, 1);

    /* Illegal: to EL1 with HCR_EL2.TGE = 1 */
    c = fresh(M, HCR_TGE);
    c->sr[SR_ELR_EL2] = 0x40001000;
    c->sr[SR_SPSR_EL2] = 0x5;
    tm_exec(M, ERET, PS_EL2);
    assert_int_equal(c->el, 2);
    assert_int_equal(c->il, 1);

    /* Illegal: EL0 with SP_ELx (M = 0b0001) */
    c = fresh(M, 0);
    c->sr[SR_ELR_EL1] = 0x40001000;
    c->sr[SR_SPSR_EL1] = 0x1;
    tm_exec(M, ERET, PS_EL1);
    assert_int_equal(c->el, 1);
    assert_int_equal(c->il, 1);

    /* ERET at EL0 is UNDEFINED; at EL1 with HCR_EL2.NV it traps (EC 0x1A) */
    c = fresh(M, 0);
    tm_exec(M, ERET, PS_EL0);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
    c = fresh(M, HCR_NV);
    tm_exec(M, ERET, PS_EL1);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x1a, 0));
}

/* D1.16: WFI halts unless an interrupt is pending; HCR_EL2.TWI/TWE and
 * SCTLR_EL1.nTWI/nTWE trap with EC 0x01, ISS CV=1 COND=0xE, TI. */
static void test_wfx(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    tm_exec(M, WFI, PS_EL1);
    assert_true(c->halted);
    assert_int_equal(c->pc, CODE_PA + 4);
    c = fresh(M, HCR_TWI);
    tm_exec(M, WFI, PS_EL1);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x01, 0x1e00000));
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA);
    c = fresh(M, HCR_TWE);
    tm_exec(M, WFE, PS_EL1);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x01, 0x1e00001));
    /* EL0 with SCTLR_EL1.nTWI = 0 (reset): trap to EL1 first */
    c = fresh(M, HCR_TWI);
    c->sr[SR_SCTLR_EL1] &= ~SCTLR_nTWI;
    tm_exec(M, WFI, PS_EL0);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x01, 0x1e00000));
    /* WFE with the event register set completes and clears it */
    c = fresh(M, 0);
    c->event_reg = true;
    tm_exec(M, WFE, PS_EL1);
    assert_false(c->halted);
    assert_false(c->event_reg);
    assert_int_equal(c->pc, CODE_PA + 4);
    /* WFI with a pending (masked) virtual IRQ does not halt */
    c = fresh(M, HCR_IMO | HCR_VI);
    c->irq_lines = IRQ_LINE_HCR_VI;
    tm_exec(M, WFI, PS_EL1);
    assert_false(c->halted);
}

static void test_msr_imm(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    tm_exec(M, DAIFSET(0x2), 0x004);    /* EL1t, all unmasked */
    assert_int_equal(c->daif, DAIF_I);
    /* EL0 with SCTLR_EL1.UMA = 0: trapped as MSR with EC 0x18 */
    c = fresh(M, 0);
    tm_exec(M, DAIFSET(0xf), 0x000);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    /* ISS: Op0=0 Op2=6 Op1=3 CRn=4 Rt=31 CRm=0xf dir=0 */
    assert_int_equal(c->sr[SR_ESR_EL1],
                     ESR(0x18, (6u << 17) | (3u << 14) | (4u << 10) | (31u << 5) | (0xfu << 1)));
    c = fresh(M, 0);
    c->sr[SR_SCTLR_EL1] |= SCTLR_UMA;
    tm_exec(M, DAIFSET(0x3), 0x000);
    assert_int_equal(c->daif, 3);
    /* PAN */
    c = fresh(M, 0);
    tm_exec(M, MSR_PAN(1), PS_EL1);
    assert_int_equal(c->pan, 1);
    assert_int_equal(cpu_get_pstate(c) & (1u << 22), 1u << 22);
    tm_exec(M, MSR_PAN(1), PS_EL0);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
    /* SPSel: switches the live SP between SP_EL0 and SP_EL1 */
    c = fresh(M, 0);
    c->sp_el[0] = 0x1000;
    c->sp_el[1] = 0x2000;
    tm_exec(M, MSR_SPSEL(0), PS_EL1);
    assert_int_equal(c->sp, 0x1000);
    assert_int_equal(c->spsel, 0);
    /* MRS SP_EL0 is UNDEFINED while SPSel = 0 */
    tm_exec(M, INSN_MRS(A83_SYSREG(3, 0, 4, 1, 0), 0), 0x3c4);
    assert_int_equal(c->pc, VBAR1 + 0x000);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0, 0));
}

/* AArch64.CheckFPAdvSIMDEnabled */
static void test_fp_access(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    assert_false(c->fp_enabled);        /* CPACR_EL1.FPEN = 00 at reset */
    c->sr[SR_CPACR_EL1] = 1ull << 20;   /* FPEN = 01: EL1 enabled, EL0 trapped */
    fp_access_update(c);
    assert_true(c->fp_enabled);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL0);
    assert_false(c->fp_enabled);
    c->in_run = true;
    if (!setjmp(c->jmp))
        fp_check_access(c);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x07, 0x1e00000));
    /* CPTR_EL2.TFP: to EL2, also at EL2 */
    c = fresh(M, 0);
    c->sr[SR_CPACR_EL1] = 3ull << 20;
    c->sr[SR_CPTR_EL2] = CPTR_TFP;
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL2);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    if (!setjmp(c->jmp))
        fp_check_access(c);
    assert_int_equal(c->pc, VBAR2 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0x07, 0x1e00000));
    /* EL0 trap to EL1 under TGE: to EL2 as Uncategorized */
    c = fresh(M, HCR_TGE);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL0);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    if (!setjmp(c->jmp))
        fp_check_access(c);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], ESR(0, 0));
    /* E2H layout: CPTR_EL2.FPEN = 11 with TGE: EL0 in host uses no CPACR_EL1 */
    c = fresh(M, HCR_TGE | HCR_E2H);
    c->sr[SR_CPTR_EL2] = 3ull << 20;
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL0);
    assert_true(c->fp_enabled);
    c->in_run = false;
}

/* D1.13: virtual IRQ from HCR_EL2.VI with IMO, masked by PSTATE.I at EL1;
 * physical IRQ with IMO goes to EL2 regardless of PSTATE.I. */
static void test_interrupts(void **state)
{
    (void)state;
    CPUState *c = fresh(M, HCR_IMO);
    uint32_t nop = NOP;
    a83_phys_write(M, CODE_PA, &nop, 4);
    c->x[1] = HCR_IMO | HCR_VI | HCR_RW;
    tm_exec(M, INSN_MSR(A83_SYSREG(3, 4, 1, 1, 0), 1), PS_EL2);
    assert_int_equal(c->irq_lines & IRQ_LINE_HCR_VI, IRQ_LINE_HCR_VI);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);          /* I masked: not taken */
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    a83_phys_write(M, CODE_PA, &nop, 4);
    cpu_step(c);
    assert_int_equal(c->pc, CODE_PA + 4);
    a83_reg_write(M, 0, A83_REG_PSTATE, 0x305);           /* EL1h, I clear */
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    assert_true(cpu_check_interrupts(c));
    assert_int_equal(c->el, 1);
    assert_int_equal(c->pc, VBAR1 + 0x280);
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA);
    assert_int_equal(c->sr[SR_SPSR_EL1], 0x305);
    /* at EL2 the virtual IRQ is not taken */
    a83_reg_write(M, 0, A83_REG_PSTATE, 0x009);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    cpu_step(c);
    assert_int_equal(c->pc, CODE_PA + 4);
    /* physical IRQ, IMO = 1: taken to EL2 from EL1 even with I masked */
    c = fresh(M, HCR_IMO);
    c->irq_lines = IRQ_LINE_IRQ;
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    assert_true(cpu_check_interrupts(c));
    assert_int_equal(c->el, 2);
    assert_int_equal(c->pc, VBAR2 + 0x480);
    c->irq_lines = 0;
}

/* CPUState.irq_masked: the lines cpu_check_interrupts() found it cannot
 * take stay skipped (cpu_irq_maybe()) only until PSTATE.DAIF, PSTATE.EL
 * or HCR_EL2 changes (cpu_irq_masking_changed()). Each way of unmasking
 * an IRQ that was found masked must have it taken at the next instruction
 * boundary (Arm ARM D1.13.2: a pending unmasked interrupt is taken). */
static void irq_found_masked(CPUState *c)
{
    c->irq_lines = IRQ_LINE_IRQ;
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);          /* EL1h, DAIF all set */
    assert_false(cpu_check_interrupts(c));
    assert_int_equal(c->irq_masked, IRQ_LINE_IRQ);
    assert_false(cpu_irq_maybe(c));
}

static void test_irq_masked_drop(void **state)
{
    (void)state;
    /* MSR DAIFClr, #2 (I): cpu_exec() takes the IRQ at the boundary after it */
    CPUState *c = fresh(M, 0);
    irq_found_masked(c);
    tm_exec(M, 0xd50342ffu, PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x280);              /* IRQ, current EL with SP_ELx */
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA + 4);
    /* MSR DAIF, X1 with I clear */
    c = fresh(M, 0);
    irq_found_masked(c);
    c->x[1] = 0x140;                                       /* A and F set, I clear */
    tm_exec(M, INSN_MSR(A83_SYSREG(3, 3, 4, 2, 1), 1), PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x280);
    /* MSR HCR_EL2 at EL2 with PSTATE.I clear: with IMO = 0 the IRQ goes to
     * EL1, below EL2, so it is not taken; the write of IMO = 1 routes it to
     * EL2, and the boundary after the MSR takes it */
    c = fresh(M, 0);
    c->irq_lines = IRQ_LINE_IRQ;
    a83_reg_write(M, 0, A83_REG_PSTATE, 0x349);           /* EL2h, D A F set, I clear */
    assert_false(cpu_check_interrupts(c));
    assert_false(cpu_irq_maybe(c));
    uint32_t msr_hcr = INSN_MSR(A83_SYSREG(3, 4, 1, 1, 0), 1);
    a83_phys_write(M, CODE_PA, &msr_hcr, 4);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    c->x[1] = HCR_IMO | HCR_RW;
    cpu_step(c);
    assert_int_equal(c->el, 2);
    assert_int_equal(c->pc, VBAR2 + 0x280);                /* IRQ, current EL with SP_ELx */
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA + 4);
    /* a new PSTATE (as an exception return sets it): EL0 with I clear */
    c = fresh(M, 0);
    irq_found_masked(c);
    a83_reg_write(M, 0, A83_REG_PSTATE, 0x000);
    assert_true(cpu_irq_maybe(c));
    c->irq_lines = 0;
}

/* D1.8.2: SP alignment checking with SCTLR_EL1.SA */
static void test_sp_alignment(void **state)
{
    (void)state;
    CPUState *c = fresh(M, 0);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);
    a83_reg_write(M, 0, A83_REG_PC, CODE_PA);
    c->sr[SR_SCTLR_EL1] &= ~(SCTLR_SA | SCTLR_SA0);
    cpu_check_sp_alignment(c, 0x1008);  /* SA = 0: no check */
    c->sr[SR_SCTLR_EL1] |= SCTLR_SA;
    cpu_check_sp_alignment(c, 0x1010);
    c->in_run = true;
    if (!setjmp(c->jmp))
        cpu_check_sp_alignment(c, 0x1008);
    c->in_run = false;
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], ESR(0x26, 0));
}

int main(void)
{
    M = tm_create(true, true, true);
    M1 = tm_create(false, false, false);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svc_routing), cmocka_unit_test(test_hvc),
        cmocka_unit_test(test_smc),         cmocka_unit_test(test_brk),
        cmocka_unit_test(test_eret),        cmocka_unit_test(test_wfx),
        cmocka_unit_test(test_msr_imm),     cmocka_unit_test(test_fp_access),
        cmocka_unit_test(test_interrupts),  cmocka_unit_test(test_sp_alignment),
        cmocka_unit_test(test_irq_masked_drop),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    a83_machine_destroy(M);
    a83_machine_destroy(M1);
    return r;
}
