/*
 * Table-driven access sweep: for every entry of every system-register
 * fragment, MRS and MSR are executed at EL0, EL1 and EL2 (from reset
 * state, EL2 traps off) and the outcome - OK, UNDEFINED (EC 0x00) or a trap
 * with EC 0x18/0x07 to a given EL - is compared with an expectation computed
 * independently of the table: from the register name's suffix (Arm ARM
 * D13.1, "_ELx" = lowest EL with access; _EL12/_EL02 only at EL2 with
 * HCR_EL2.E2H=1) and a small table of the documented exceptions to that
 * rule. The EC 0x18 ISS is checked field by field against the instruction
 * (Arm ARM D17.2.37).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/modules.h"
#include "cpu/pstate.h"
#include "el2/hcr.h"
#include "sysreg_test_util.h"

enum Outcome { O_OK, O_UNDEF, O_TRAP1, O_TRAP2, O_FPTRAP1, O_ANY };
static const char *const oname[] = { "OK", "UNDEF", "TRAP->EL1", "TRAP->EL2", "FPTRAP->EL1", "ANY" };

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}
static bool starts_with(const char *s, const char *pre) { return !strncmp(s, pre, strlen(pre)); }

/* Registers that are read-only / write-only (Arm ARM register pages). */
static bool is_ro(const char *n)
{
    static const char *const ro[] = { "MIDR_EL1", "MPIDR_EL1", "REVIDR_EL1", "AIDR_EL1",
        "CTR_EL0", "DCZID_EL0", "CCSIDR_EL1", "CCSIDR2_EL1", "CLIDR_EL1", "ISR_EL1",
        "CurrentEL", "PMCEID0_EL0", "PMCEID1_EL0", "MDRAR_EL1", "OSLSR_EL1",
        "DBGAUTHSTATUS_EL1", "MDCCSR_EL0", "RVBAR_EL2", "RVBAR_EL1", "LORID_EL1", NULL };
    for (int i = 0; ro[i]; i++)
        if (!strcmp(n, ro[i]))
            return true;
    return starts_with(n, "ID_") || starts_with(n, "MVFR");
}
static bool is_wo(const char *n) { return !strcmp(n, "OSLAR_EL1") || !strcmp(n, "PMSWINC_EL0"); }

/* Lowest EL from the name; exceptions: PSTATE registers and SP_ELx. */
static int name_min_el(const char *n)
{
    if (!strcmp(n, "NZCV") || !strcmp(n, "DAIF") || !strcmp(n, "FPCR") || !strcmp(n, "FPSR"))
        return 0;
    if (!strcmp(n, "SPSel") || !strcmp(n, "CurrentEL") || !strcmp(n, "PAN") || !strcmp(n, "UAO") ||
        starts_with(n, "ID_RES_"))
        return 1;
    if (!strcmp(n, "SP_EL0"))
        return 1;
    if (!strcmp(n, "SP_EL1") || starts_with(n, "SPSR_irq") || starts_with(n, "SPSR_abt") ||
        starts_with(n, "SPSR_und") || starts_with(n, "SPSR_fiq"))
        return 2;
    if (ends_with(n, "_EL12") || ends_with(n, "_EL02"))
        return 4;                       /* alias: see below */
    if (ends_with(n, "_EL0"))
        return 0;
    if (ends_with(n, "_EL1"))
        return 1;
    if (ends_with(n, "_EL2"))
        return 2;
    return -1;
}

/* System instructions (SYS, op0 = 1; the mmu helper's table): lowest EL
 * from the operation (Arm ARM C5.3: TLBI/AT for EL2 and stage 2, i.e.
 * *E2*, IPAS2*, ALLE1*, VMALLS12E1*, S12E*: EL2), EL0 use of DC ZVA, DC
 * CVAC/CVAU/CVAP/CIVAC and IC IVAU gated by SCTLR_EL1.DZE/UCI (0 at reset:
 * trap to EL1). They are write-only: SYSL is UNDEFINED. */
static bool is_sys_insn(const char *n)
{
    return starts_with(n, "TLBI ") || starts_with(n, "AT ") || starts_with(n, "DC ") ||
           starts_with(n, "IC ");
}
static enum Outcome expect_sys(const char *n, unsigned el, bool rd)
{
    if (rd)
        return O_UNDEF;
    bool el2op = strstr(n, "E2") || strstr(n, "IPAS2") || strstr(n, " ALLE1") ||
                 strstr(n, "VMALLS12") || strstr(n, "S12E");
    bool el0op = !strcmp(n, "DC ZVA") || !strcmp(n, "DC CVAC") || !strcmp(n, "DC CVAU") ||
                 !strcmp(n, "DC CVAP") || !strcmp(n, "DC CIVAC") || !strcmp(n, "IC IVAU");
    unsigned min = el2op ? 2 : el0op ? 0 : 1;
    if (el < min)
        return O_UNDEF;
    if (el == 0)
        return O_TRAP1;               /* DZE = UCI = 0 at reset */
    if (!strcmp(n, "DC ZVA"))
        return O_ANY;                 /* MMU off: Device memory, may fault (mmu's rule) */
    return O_OK;
}

/* The expectation at reset (HCR_EL2 = RW only, E2H = 0, PMUSERENR = 0,
 * SCTLR_EL1.UMA = UCT = 0, CPACR_EL1.FPEN = 0, MDSCR_EL1.TDCC = 0). */
static enum Outcome expect(const char *n, unsigned el, bool rd, bool has_el2)
{
    if (is_sys_insn(n))
        return expect_sys(n, el, rd);
    if ((rd && is_wo(n)) || (!rd && is_ro(n)))
        return O_UNDEF;
    if (starts_with(n, "ICC_") || starts_with(n, "ICH_") || starts_with(n, "ICV_") ||
        starts_with(n, "CNT") || starts_with(n, "AP"))
        return O_ANY;                   /* other helpers' fragments, own tests */
    int min = name_min_el(n);
    if (min < 0)
        return O_ANY;
    if (min == 4)
        return O_UNDEF;                 /* _EL12/_EL02 with E2H = 0 */
    if ((int)el < min)
        return O_UNDEF;
    if (!strcmp(n, "RVBAR_EL1") && has_el2)
        return O_UNDEF;                 /* only when EL1 is the highest EL */
    if (!strcmp(n, "FPCR") || !strcmp(n, "FPSR"))
        return el < 2 ? O_FPTRAP1 : O_OK;   /* CPACR_EL1.FPEN = 00 at reset */
    if (el == 0) {
        /* EL0 enables at reset: UMA, UCT, PMUSERENR all 0 (Arm ARM D13.2.113, D13.4.x) */
        if (!strcmp(n, "DAIF") || !strcmp(n, "CTR_EL0"))
            return O_TRAP1;
        if (!strcmp(n, "TPIDRRO_EL0") && !rd)
            return O_UNDEF;
        if (!strcmp(n, "PMUSERENR_EL0"))
            return rd ? O_OK : O_UNDEF;
        if (starts_with(n, "PM"))
            return O_TRAP1;
    }
    return O_OK;
}

static uint32_t iss_of(uint32_t insn)
{
    /* Arm ARM D17.2.37 ISS for EC 0x18: Op0[21:20] Op2[19:17] Op1[16:14]
     * CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = MRS). */
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31, dir = (insn >> 21) & 1;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

static unsigned failures, checked;

static void run_one(a83_machine *m, const SysRegDesc *r, unsigned el, bool rd, bool has_el2)
{
    CPUState *c = m->cpu[0];
    cpu_reset(c);
    c->sr[SR_VBAR_EL1] = VBAR1;
    c->sr[SR_VBAR_EL2] = VBAR2;
    /* MRS/SYSL (L = 1) or MSR/SYS (L = 0); op0 is in the encoding */
    uint32_t insn = (rd ? 0xd5200000u : 0xd5000000u) | (r->enc << 5) | 7;
    static const uint64_t ps[3] = { PS_EL0, PS_EL1, PS_EL2 };
    c->x[7] = (r->flags & SRF_INSN) ? 0x40200000ull : 0;   /* a RAM address for DC/AT/TLBI */
    tm_exec(m, insn, ps[el]);
    enum Outcome got;
    uint32_t esr = 0;
    if (c->pc == CODE_PA + 4) {
        got = O_OK;
    } else if (c->pc == VBAR1 + (el == 1 ? 0x200 : 0x400) && c->el == 1) {
        esr = (uint32_t)c->sr[SR_ESR_EL1];
        got = (esr >> 26) == 0 ? O_UNDEF : (esr >> 26) == 0x07 ? O_FPTRAP1 : O_TRAP1;
    } else if (c->pc == VBAR2 + (el == 2 ? 0x200 : 0x400) && c->el == 2) {
        esr = (uint32_t)c->sr[SR_ESR_EL2];
        got = (esr >> 26) == 0 ? O_UNDEF : O_TRAP2;
    } else if (expect(r->name, el, rd, has_el2) == O_ANY) {
        checked++;
        return;
    } else {
        printf("%s %s at EL%u: unexpected pc 0x%llx\n", rd ? "MRS" : "MSR", r->name, el,
               (unsigned long long)c->pc);
        failures++;
        return;
    }
    enum Outcome want = expect(r->name, el, rd, has_el2);
    checked++;
    if (want != O_ANY && got != want) {
        printf("%s %s at EL%u: got %s (ESR 0x%08x), want %s\n", rd ? "MRS" : "MSR", r->name, el,
               oname[got], esr, oname[want]);
        failures++;
    }
    if ((got == O_TRAP1 || got == O_TRAP2) && (esr >> 26) == 0x18 &&
        (esr & 0x1ffffff) != iss_of(insn)) {
        printf("%s %s at EL%u: ISS 0x%07x, want 0x%07x\n", rd ? "MRS" : "MSR", r->name, el,
               esr & 0x1ffffff, iss_of(insn));
        failures++;
    }
    if (got != O_OK && !(esr & (1u << 25))) {
        printf("%s %s: ESR.IL is 0\n", rd ? "MRS" : "MSR", r->name);
        failures++;
    }
}

static const SysRegDesc *const *fragments(void)
{
    static const SysRegDesc *const f[] = {
        sysreg_core_table, sysreg_id_table,   sysreg_el2_table,   sysreg_mmu_table,
        sysreg_gic_table,  sysreg_timer_table, sysreg_pmu_table, sysreg_debug_table,
        sysreg_fp_table,   sysreg_pauth_table, NULL,
    };
    return f;
}

static void sweep(bool el2)
{
    a83_machine *m = tm_create(el2, el2, el2);
    assert_non_null(m);
    failures = checked = 0;
    for (const SysRegDesc *const *f = fragments(); *f; f++)
        for (const SysRegDesc *r = *f; r->name; r++) {
            if (sysreg_find(m, r->enc) != r)
                continue;              /* feature not implemented: UNDEFINED, below */
            for (unsigned el = 0; el <= (el2 ? 2u : 1u); el++) {
                run_one(m, r, el, true, el2);
                run_one(m, r, el, false, el2);
            }
        }
    a83_machine_destroy(m);
    printf("sweep (EL2=%d): %u accesses checked\n", el2, checked);
    assert_true(checked > 300);
    assert_int_equal(failures, 0);
}

static void test_sweep_el2(void **state) { (void)state; sweep(true); }
static void test_sweep_no_el2(void **state) { (void)state; sweep(false); }

/* Registers of absent features and EL3 are UNDEFINED (Arm ARM D13.1). */
static void test_absent_undefined(void **state)
{
    (void)state;
    a83_machine *m = tm_create(false, false, false);
    CPUState *c = m->cpu[0];
    static const uint32_t encs[] = {
        A83_SYSREG(3, 4, 1, 1, 0),    /* HCR_EL2 without EL2 */
        A83_SYSREG(3, 6, 1, 0, 0),    /* SCTLR_EL3 */
        A83_SYSREG(3, 6, 12, 0, 0),   /* VBAR_EL3 */
        A83_SYSREG(3, 0, 10, 4, 0),   /* LORSA_EL1: FEAT_LOR not implemented */
        A83_SYSREG(3, 0, 5, 3, 0),    /* ERRIDR_EL1: RAS not implemented */
        A83_SYSREG(3, 0, 1, 2, 0),    /* ZCR_EL1: SVE not implemented */
    };
    for (unsigned i = 0; i < sizeof encs / sizeof encs[0]; i++) {
        tm_exec(m, INSN_MRS(encs[i], 0), PS_EL1);
        assert_int_equal(c->pc, VBAR1 + 0x200);
        assert_int_equal(c->sr[SR_ESR_EL1], 0x02000000u);
    }
    a83_machine_destroy(m);
}

/* The PAC hints keep their context id across a system register write
 * unless the register written is one of the context's (src/sysreg/
 * sysreg_core.c sysreg_write_raw(), cpu_pac_hint_input()): that is right
 * only if no write function changes a context register other than its own
 * slot. Every write function of every fragment is called here, at EL2 with
 * E2H = 0 and with E2H = 1, with three values, and the context registers
 * other than its slot must hold what they held. */
static void test_pac_inputs_own_slot(void **state)
{
    (void)state;
    static const uint64_t vals[3] = { 0, ~0ull, 0x5a5a5a5a5a5a5a5aull };
    unsigned called = 0;
    for (unsigned e2h = 0; e2h < 2; e2h++)
        for (const SysRegDesc *const *f = fragments(); *f; f++)
            for (const SysRegDesc *r = *f; r->name; r++) {
                if (!r->write || (r->flags & SRF_INSN))
                    continue;
                for (unsigned k = 0; k < 3; k++) {
                    a83_machine *m = tm_create(true, true, true);
                    assert_non_null(m);
                    CPUState *c = m->cpu[0];
                    if (sysreg_find(m, r->enc) != r) {
                        a83_machine_destroy(m);
                        break;
                    }
                    c->sr[SR_HCR_EL2] = HCR_RW | (e2h ? HCR_E2H : 0);
                    c->el = 2;
                    cpu_update_mmu_context(c);
                    uint64_t before[PAC_HINT_INPUTS];
                    for (unsigned i = 0; i < PAC_HINT_INPUTS; i++) {
                        c->sr[pac_hint_input_slot[i]] ^= 0x1234000000000000ull * (i + 1);
                        before[i] = c->sr[pac_hint_input_slot[i]];
                    }
                    sysreg_write_raw(c, r, vals[k]);
                    for (unsigned i = 0; i < PAC_HINT_INPUTS; i++)
                        if (pac_hint_input_slot[i] != r->slot && c->sr[pac_hint_input_slot[i]] != before[i])
                            fail_msg("%s (E2H=%u) write of %llx changed PAC context slot %u", r->name,
                                     e2h, (unsigned long long)vals[k], pac_hint_input_slot[i]);
                    called++;
                    a83_machine_destroy(m);
                }
            }
    printf("PAC context registers: %u writes checked\n", called);
    assert_true(called > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_el2),
        cmocka_unit_test(test_sweep_no_el2),
        cmocka_unit_test(test_absent_undefined),
        cmocka_unit_test(test_pac_inputs_own_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
