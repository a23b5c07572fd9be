/*
 * EL2 trap controls on MRS/MSR: one check per trap bit of HCR_EL2,
 * CPTR_EL2 and MDCR_EL2 over the registers the Arm ARM lists for it
 * (D13.2.46 HCR_EL2, D13.2.31 CPTR_EL2, D13.3.x MDCR_EL2), plus VHE
 * redirection and the _EL12 aliases (D5.6), and FEAT_NV traps of EL2
 * register accesses from EL1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/modules.h"
#include "el2/traps.h"
#include "sysreg_test_util.h"

static a83_machine *M;

static CPUState *fresh(uint64_t hcr, uint64_t mdcr, uint64_t cptr)
{
    CPUState *c = M->cpu[0];
    cpu_reset(c);
    c->sr[SR_VBAR_EL1] = VBAR1;
    c->sr[SR_VBAR_EL2] = VBAR2;
    c->sr[SR_HCR_EL2] = hcr | HCR_RW;
    c->sr[SR_MDCR_EL2] = mdcr;
    c->sr[SR_CPTR_EL2] = cptr;
    return c;
}

static uint32_t enc_of(const char *name)
{
    const SysRegDesc *r = sysreg_find_name(M, name);
    if (!r)
        fail_msg("no register %s", name);
    return r->enc;
}

static uint32_t iss_of(uint32_t insn)
{
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31, dir = (insn >> 21) & 1;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

/* Executes the access at el and asserts an EC 0x18 trap to EL2 with the
 * exact ISS, ELR = the instruction, SPSR = the PSTATE it came from. */
static void want_trap2(const char *name, bool rd, uint64_t ps, uint64_t hcr, uint64_t mdcr,
                       uint64_t cptr)
{
    CPUState *c = fresh(hcr, mdcr, cptr);
    uint32_t insn = rd ? INSN_MRS(enc_of(name), 9) : INSN_MSR(enc_of(name), 9);
    tm_exec(M, insn, ps);
    if (c->el != 2 || c->pc != VBAR2 + 0x400 ||
        c->sr[SR_ESR_EL2] != ((0x18u << 26) | (1u << 25) | iss_of(insn)))
        fail_msg("%s %s: pc 0x%llx EL%u ESR_EL2 0x%llx", rd ? "MRS" : "MSR", name,
                 (unsigned long long)c->pc, c->el, (unsigned long long)c->sr[SR_ESR_EL2]);
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA);
    assert_int_equal(c->sr[SR_SPSR_EL2], ps);
}

static void want_ok(const char *name, bool rd, uint64_t ps, uint64_t hcr, uint64_t mdcr, uint64_t cptr)
{
    CPUState *c = fresh(hcr, mdcr, cptr);
    tm_exec(M, rd ? INSN_MRS(enc_of(name), 9) : INSN_MSR(enc_of(name), 9), ps);
    if (c->pc != CODE_PA + 4)
        fail_msg("%s %s: not executed (pc 0x%llx)", rd ? "MRS" : "MSR", name,
                 (unsigned long long)c->pc);
}

/* HCR_EL2.TVM traps EL1 writes, TRVM reads, of the VM control registers. */
static void test_tvm_trvm(void **state)
{
    (void)state;
    static const char *const regs[] = { "SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1",
        "ESR_EL1", "FAR_EL1", "AFSR0_EL1", "AFSR1_EL1", "MAIR_EL1", "AMAIR_EL1",
        "CONTEXTIDR_EL1", NULL };
    for (int i = 0; regs[i]; i++) {
        want_trap2(regs[i], false, PS_EL1, HCR_TVM, 0, 0);
        want_ok(regs[i], true, PS_EL1, HCR_TVM, 0, 0);
        want_trap2(regs[i], true, PS_EL1, HCR_TRVM, 0, 0);
        want_ok(regs[i], false, PS_EL1, HCR_TRVM, 0, 0);
        want_ok(regs[i], false, PS_EL2, HCR_TVM | HCR_TRVM, 0, 0);   /* not at EL2 */
    }
    want_ok("VBAR_EL1", false, PS_EL1, HCR_TVM, 0, 0);
    want_ok("TPIDR_EL1", true, PS_EL1, HCR_TRVM, 0, 0);
}

static void test_tid(void **state)
{
    (void)state;
    /* TID1: REVIDR_EL1, AIDR_EL1 */
    want_trap2("REVIDR_EL1", true, PS_EL1, HCR_TID1, 0, 0);
    want_trap2("AIDR_EL1", true, PS_EL1, HCR_TID1, 0, 0);
    want_ok("MIDR_EL1", true, PS_EL1, HCR_TID1 | HCR_TID2 | HCR_TID3, 0, 0);
    /* TID2: CTR_EL0 (also from EL0 when SCTLR_EL1.UCT=1), CCSIDR, CLIDR, CSSELR */
    want_trap2("CTR_EL0", true, PS_EL1, HCR_TID2, 0, 0);
    want_trap2("CCSIDR_EL1", true, PS_EL1, HCR_TID2, 0, 0);
    want_trap2("CLIDR_EL1", true, PS_EL1, HCR_TID2, 0, 0);
    want_trap2("CSSELR_EL1", true, PS_EL1, HCR_TID2, 0, 0);
    want_trap2("CSSELR_EL1", false, PS_EL1, HCR_TID2, 0, 0);
    /* TID3: the ID group 3 registers */
    static const char *const id3[] = { "ID_AA64PFR0_EL1", "ID_AA64PFR1_EL1", "ID_AA64ISAR0_EL1",
        "ID_AA64ISAR1_EL1", "ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1",
        "ID_AA64DFR0_EL1", "ID_AA64ZFR0_EL1", "ID_PFR0_EL1", "MVFR0_EL1", NULL };
    for (int i = 0; id3[i]; i++)
        want_trap2(id3[i], true, PS_EL1, HCR_TID3, 0, 0);
    /* TACR: ACTLR_EL1 */
    want_trap2("ACTLR_EL1", true, PS_EL1, HCR_TACR, 0, 0);
    want_trap2("ACTLR_EL1", false, PS_EL1, HCR_TACR, 0, 0);
}

static void test_ctr_el0_from_el0(void **state)
{
    (void)state;
    /* SCTLR_EL1.UCT=1 allows EL0; HCR_EL2.TID2 then traps to EL2. */
    CPUState *c = fresh(HCR_TID2, 0, 0);
    c->sr[SR_SCTLR_EL1] |= SCTLR_UCT;
    uint32_t insn = INSN_MRS(enc_of("CTR_EL0"), 2);
    tm_exec(M, insn, PS_EL0);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], (0x18u << 26) | (1u << 25) | iss_of(insn));
    /* UCT=0: to EL1 first */
    c = fresh(HCR_TID2, 0, 0);
    tm_exec(M, insn, PS_EL0);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], (0x18u << 26) | (1u << 25) | iss_of(insn));
}

static void test_cptr_tcpac(void **state)
{
    (void)state;
    want_trap2("CPACR_EL1", false, PS_EL1, 0, 0, CPTR_TCPAC);
    want_trap2("CPACR_EL1", true, PS_EL1, 0, 0, CPTR_TCPAC);
}

static void test_mdcr(void **state)
{
    (void)state;
    /* TPM: every PMU register from EL1 */
    static const char *const pmu[] = { "PMCR_EL0", "PMCNTENSET_EL0", "PMCNTENCLR_EL0",
        "PMOVSCLR_EL0", "PMSELR_EL0", "PMCCNTR_EL0", "PMUSERENR_EL0", "PMOVSSET_EL0",
        "PMINTENSET_EL1", "PMINTENCLR_EL1", "PMCCFILTR_EL0", "PMEVCNTR0_EL0",
        "PMEVTYPER0_EL0", "PMXEVTYPER_EL0", "PMCEID0_EL0", NULL };
    for (int i = 0; pmu[i]; i++) {
        want_trap2(pmu[i], true, PS_EL1, 0, MDCR_TPM | 6, 0);
        want_ok(pmu[i], true, PS_EL1, 0, 6, 0);
    }
    want_trap2("PMSWINC_EL0", false, PS_EL1, 0, MDCR_TPM | 6, 0);
    /* TPMCR: PMCR_EL0 only */
    want_trap2("PMCR_EL0", false, PS_EL1, 0, MDCR_TPMCR | 6, 0);
    want_ok("PMCCNTR_EL0", true, PS_EL1, 0, MDCR_TPMCR | 6, 0);
    /* TDA */
    static const char *const tda[] = { "MDSCR_EL1", "DBGBVR0_EL1", "DBGBCR5_EL1",
        "DBGWVR3_EL1", "DBGWCR0_EL1", "MDCCINT_EL1", "DBGCLAIMSET_EL1", "DBGCLAIMCLR_EL1",
        "OSDTRRX_EL1", "OSECCR_EL1", NULL };
    for (int i = 0; tda[i]; i++) {
        want_trap2(tda[i], true, PS_EL1, 0, MDCR_TDA, 0);
        want_trap2(tda[i], false, PS_EL1, 0, MDCR_TDE, 0);   /* TDE implies TDA */
        want_ok(tda[i], true, PS_EL1, 0, MDCR_TDOSA | MDCR_TDRA, 0);
    }
    want_trap2("MDCCSR_EL0", true, PS_EL0, 0, MDCR_TDA, 0);
    /* TDOSA: OS lock and power-down registers */
    want_trap2("OSLAR_EL1", false, PS_EL1, 0, MDCR_TDOSA, 0);
    want_trap2("OSLSR_EL1", true, PS_EL1, 0, MDCR_TDOSA, 0);
    want_trap2("OSDLR_EL1", true, PS_EL1, 0, MDCR_TDOSA, 0);
    want_trap2("DBGPRCR_EL1", false, PS_EL1, 0, MDCR_TDOSA, 0);
    want_ok("OSLAR_EL1", false, PS_EL1, 0, MDCR_TDA, 0);
    /* TDRA: MDRAR_EL1 */
    want_trap2("MDRAR_EL1", true, PS_EL1, 0, MDCR_TDRA, 0);
    want_ok("MDRAR_EL1", true, PS_EL1, 0, MDCR_TDA, 0);
}

/* HCR_EL2.TIDCP: EL1 accesses to IMPLEMENTATION DEFINED encodings
 * (op0=3, CRn=11/15) trap to EL2; without it they are UNDEFINED. */
static void test_tidcp(void **state)
{
    (void)state;
    uint32_t enc = A83_SYSREG(3, 1, 15, 2, 0);   /* S3_1_C15_C2_0 (an IMPDEF CPUACTLR-style slot) */
    CPUState *c = fresh(HCR_TIDCP, 0, 0);
    uint32_t insn = INSN_MRS(enc, 3);
    tm_exec(M, insn, PS_EL1);
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], (0x18u << 26) | (1u << 25) | iss_of(insn));
    c = fresh(0, 0, 0);
    tm_exec(M, insn, PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], 0x02000000u);
    c = fresh(HCR_TIDCP, 0, 0);
    tm_exec(M, INSN_MSR(A83_SYSREG(3, 0, 11, 0, 0), 3), PS_EL1);
    assert_int_equal(c->pc, VBAR2 + 0x400);
}

/* MDCR_EL2.HPMN: EL1 sees PMCR_EL0.N = HPMN, counters >= HPMN are
 * UNDEFINED at EL1, and PMCR_EL0.N = 6 at EL2. */
static void test_hpmn(void **state)
{
    (void)state;
    CPUState *c = fresh(0, 2, 0);
    tm_exec(M, INSN_MRS(enc_of("PMCR_EL0"), 1), PS_EL1);
    assert_int_equal((c->x[1] >> 11) & 31, 2);
    tm_exec(M, INSN_MRS(enc_of("PMCR_EL0"), 1), PS_EL2);
    assert_int_equal((c->x[1] >> 11) & 31, 6);
    tm_exec(M, INSN_MRS(enc_of("PMEVCNTR1_EL0"), 1), PS_EL1);
    assert_int_equal(c->pc, CODE_PA + 4);
    tm_exec(M, INSN_MRS(enc_of("PMEVCNTR2_EL0"), 1), PS_EL1);
    assert_int_equal(c->pc, VBAR1 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL1], 0x02000000u);
}

/* VHE (Arm ARM D5.6): at EL2 with E2H=1, _EL1 names reach _EL2 registers
 * and _EL12 names reach the EL1 registers; CPACR_EL1 reaches CPTR_EL2 in
 * its E2H layout. */
static void test_vhe_redirect(void **state)
{
    (void)state;
    CPUState *c = fresh(HCR_E2H, 0, 0);
    c->x[3] = 0x12345000;
    tm_exec(M, INSN_MSR(enc_of("VBAR_EL1"), 3), PS_EL2);
    assert_int_equal(c->sr[SR_VBAR_EL2], 0x12345000);
    assert_int_equal(c->sr[SR_VBAR_EL1], VBAR1);
    c->x[3] = 0x777000;
    tm_exec(M, INSN_MSR(enc_of("VBAR_EL12"), 3), PS_EL2);
    assert_int_equal(c->sr[SR_VBAR_EL1], 0x777000);
    tm_exec(M, INSN_MRS(enc_of("ELR_EL12"), 4), PS_EL2);
    assert_int_equal(c->x[4], c->sr[SR_ELR_EL1]);
    /* CPACR_EL1 -> CPTR_EL2 with FPEN at [21:20] */
    c->x[3] = 3ull << 20;
    tm_exec(M, INSN_MSR(enc_of("CPACR_EL1"), 3), PS_EL2);
    assert_int_equal(c->sr[SR_CPACR_EL1], 0);
    tm_exec(M, INSN_MRS(enc_of("CPTR_EL2"), 4), PS_EL2);
    assert_int_equal(c->x[4], 3ull << 20);
    /* E2H = 0: _EL12 UNDEFINED at EL2, _EL1 reach EL1 */
    c = fresh(0, 0, 0);
    tm_exec(M, INSN_MRS(enc_of("SCTLR_EL12"), 4), PS_EL2);
    assert_int_equal(c->pc, VBAR2 + 0x200);
    assert_int_equal(c->sr[SR_ESR_EL2], 0x02000000u);
    tm_exec(M, INSN_MRS(enc_of("CPTR_EL2"), 4), PS_EL2);
    assert_int_equal(c->x[4], 0x33ff);   /* RES1 bits of the E2H=0 layout */
    /* _EL12 at EL1 with HCR_EL2.NV=1: trap to EL2 (FEAT_NV) */
    want_trap2("SCTLR_EL12", true, PS_EL1, HCR_NV, 0, 0);
    want_trap2("HCR_EL2", true, PS_EL1, HCR_NV, 0, 0);
    want_trap2("VBAR_EL2", false, PS_EL1, HCR_NV, 0, 0);
    /* FEAT_NV: HCR_EL2.{NV,NV1} = {1,1} traps ELR_EL1, SPSR_EL1, VBAR_EL1 */
    want_trap2("ELR_EL1", true, PS_EL1, HCR_NV | HCR_NV1, 0, 0);
    want_trap2("SPSR_EL1", false, PS_EL1, HCR_NV | HCR_NV1, 0, 0);
    want_trap2("VBAR_EL1", true, PS_EL1, HCR_NV | HCR_NV1, 0, 0);
    want_ok("VBAR_EL1", true, PS_EL1, HCR_NV, 0, 0);
    want_ok("TPIDR_EL1", true, PS_EL1, HCR_NV | HCR_NV1, 0, 0);
    /* FEAT_NV: CurrentEL at EL1 reads EL2 with HCR_EL2.NV = 1 */
    c = fresh(HCR_NV, 0, 0);
    tm_exec(M, INSN_MRS(enc_of("CurrentEL"), 4), PS_EL1);
    assert_int_equal(c->x[4], 8);
    c = fresh(0, 0, 0);
    tm_exec(M, INSN_MRS(enc_of("CurrentEL"), 4), PS_EL1);
    assert_int_equal(c->x[4], 4);
}

/* MIDR/MPIDR at EL1 read VPIDR_EL2/VMPIDR_EL2, which reset to the real
 * values (Arm ARM D13.2.85/D13.2.86). */
static void test_vpidr(void **state)
{
    (void)state;
    CPUState *c = fresh(0, 0, 0);
    tm_exec(M, INSN_MRS(enc_of("VPIDR_EL2"), 1), PS_EL2);
    assert_int_equal(c->x[1], 0x000F0510);
    tm_exec(M, INSN_MRS(enc_of("VMPIDR_EL2"), 1), PS_EL2);
    assert_int_equal(c->x[1], 0x80000000u);
    c->x[2] = 0x41aabbcc;
    tm_exec(M, INSN_MSR(enc_of("VPIDR_EL2"), 2), PS_EL2);
    tm_exec(M, INSN_MRS(enc_of("MIDR_EL1"), 1), PS_EL1);
    assert_int_equal(c->x[1], 0x41aabbcc);
    tm_exec(M, INSN_MRS(enc_of("MIDR_EL1"), 1), PS_EL2);
    assert_int_equal(c->x[1], 0x000F0510);
}

/* HCR_EL2 writes keep irq_lines in step with VI/VF/VSE; RW reads as 1. */
static void test_hcr_write(void **state)
{
    (void)state;
    CPUState *c = fresh(0, 0, 0);
    c->x[5] = HCR_VI | HCR_VF | HCR_IMO;
    tm_exec(M, INSN_MSR(enc_of("HCR_EL2"), 5), PS_EL2);
    assert_int_equal(c->irq_lines & (IRQ_LINE_HCR_VI | IRQ_LINE_HCR_VF | IRQ_LINE_VSERR),
                     IRQ_LINE_HCR_VI | IRQ_LINE_HCR_VF);
    assert_int_equal(c->sr[SR_HCR_EL2], HCR_VI | HCR_VF | HCR_IMO | HCR_RW);
    c->x[5] = HCR_VSE;
    tm_exec(M, INSN_MSR(enc_of("HCR_EL2"), 5), PS_EL2);
    assert_int_equal(c->irq_lines & (IRQ_LINE_HCR_VI | IRQ_LINE_HCR_VF | IRQ_LINE_VSERR),
                     IRQ_LINE_VSERR);
}

/* ID registers advertise the default feature set (machine.c features_for). */
static void test_id_values(void **state)
{
    (void)state;
    CPUState *c = fresh(0, 0, 0);
    struct { const char *n; uint64_t v; } t[] = {
        { "ID_AA64PFR0_EL1", 0x1100000001000111ull },   /* CSV3=1, CSV2=1, GIC=1, FP/AdvSIMD=0, EL2=1, EL1=1, EL0=1 */
        { "ID_AA64ISAR0_EL1", 0x10211120 },  /* RDM=1, Atomic=2, CRC32=1, SHA2=1, SHA1=1, AES=2 */
        { "ID_AA64ISAR1_EL1", 0x01111011 },  /* GPA LRCPC FCMA JSCVT APA DPB */
        { "ID_AA64MMFR0_EL1", 0x00100025 },  /* TGran16, ASID16, PA48 */
        { "ID_AA64MMFR1_EL1", 0x00200120 },  /* PAN=2, VH=1, VMID16 */
        { "ID_AA64MMFR2_EL1", 0x02100010 },  /* NV=2, CCIDX, UAO */
        { "ID_AA64DFR0_EL1", 0x10305106 },
        { "ID_AA64PFR1_EL1", 0 },
        { "CTR_EL0", 0x8444c004 },
        { "DCZID_EL0", 0x4 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        tm_exec(M, INSN_MRS(enc_of(t[i].n), 1), PS_EL1);
        if (c->x[1] != t[i].v)
            fail_msg("%s = 0x%llx, want 0x%llx", t[i].n, (unsigned long long)c->x[1],
                     (unsigned long long)t[i].v);
    }
    /* DCZID_EL0.DZP reflects HCR_EL2.TDZ at EL1 */
    c = fresh(HCR_TDZ, 0, 0);
    tm_exec(M, INSN_MRS(enc_of("DCZID_EL0"), 1), PS_EL1);
    assert_int_equal(c->x[1], 0x14);
}

/* The decisions the mmu helper's SYS entries use (el2/traps.h):
 * HCR_EL2.TTLB/TSW at EL1 only; TPCP/TPU/TDZ at EL1 and at EL0 unless
 * TGE; SCTLR_EL1.DZE/UCI for EL0 (SCTLR_EL2 in the host regime). */
static void test_maintenance_decisions(void **state)
{
    (void)state;
    CPUState *c = fresh(HCR_TTLB | HCR_TSW | HCR_TPCP | HCR_TPU | HCR_TDZ, 0, 0);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);
    assert_true(el2_trap_tlbi(c));
    assert_true(el2_trap_dc(c, DC_KIND_SW));
    assert_true(el2_trap_dc(c, DC_KIND_POC));
    assert_true(el2_trap_dc(c, DC_KIND_POU));
    assert_true(el2_trap_dc(c, DC_KIND_ZVA));
    assert_false(el0_trap_dc(c, DC_KIND_ZVA));
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL0);
    assert_false(el2_trap_tlbi(c));
    assert_false(el2_trap_dc(c, DC_KIND_SW));
    assert_true(el2_trap_dc(c, DC_KIND_POC));
    assert_true(el2_trap_dc(c, DC_KIND_ZVA));
    c->sr[SR_SCTLR_EL1] &= ~(SCTLR_DZE | SCTLR_UCI);
    assert_true(el0_trap_dc(c, DC_KIND_ZVA));
    assert_true(el0_trap_dc(c, DC_KIND_POU));
    c->sr[SR_SCTLR_EL1] |= SCTLR_DZE;
    assert_false(el0_trap_dc(c, DC_KIND_ZVA));
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL2);
    assert_false(el2_trap_tlbi(c));
    assert_false(el2_trap_dc(c, DC_KIND_ZVA));
    /* TGE: EL0 is not subject to the HCR_EL2 maintenance traps */
    c = fresh(HCR_TGE | HCR_TPCP | HCR_TDZ, 0, 0);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL0);
    assert_false(el2_trap_dc(c, DC_KIND_POC));
    assert_false(el2_trap_dc(c, DC_KIND_ZVA));
    /* HCR_EL2.AT (FEAT_NV) and APK */
    c = fresh(HCR_AT, 0, 0);
    a83_reg_write(M, 0, A83_REG_PSTATE, PS_EL1);
    assert_true(el2_trap_at(c));
    assert_true(el2_trap_apk(c));          /* APK = 0 traps key accesses */
    c->sr[SR_HCR_EL2] |= HCR_APK;
    assert_false(el2_trap_apk(c));
}

int main(void)
{
    M = tm_create(true, true, true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tvm_trvm),   cmocka_unit_test(test_tid),
        cmocka_unit_test(test_ctr_el0_from_el0), cmocka_unit_test(test_cptr_tcpac),
        cmocka_unit_test(test_mdcr),       cmocka_unit_test(test_hpmn),
        cmocka_unit_test(test_vhe_redirect), cmocka_unit_test(test_vpidr),
        cmocka_unit_test(test_hcr_write),  cmocka_unit_test(test_id_values),
        cmocka_unit_test(test_maintenance_decisions), cmocka_unit_test(test_tidcp),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    a83_machine_destroy(M);
    return r;
}
