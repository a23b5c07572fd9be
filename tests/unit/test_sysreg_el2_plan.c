/*
 * The translator's EL2 handlers of MRS and MSR (cpu/exec.h
 * exec_sysreg_entry_handler(); cpu/sys_reg.c h_mrs_el2(), h_msr_el2())
 * against the generic ones (h_mrs(), h_msr_reg()), which follow the Arm ARM's
 * access pseudocode step by step (sys_reg.c's header): for every register
 * of the table, both directions, at EL1 and EL2, with HCR_EL2.{E2H,TGE}
 * and the EL2 FP trap (CPTR_EL2.TFP, or CPTR_EL2.FPEN under E2H) varied,
 * two machines built alike run the same access, one through each handler,
 * and must end in the same state: the handler's return value, PC, PSTATE.EL,
 * the general registers, every system-register slot, the cycles, the PAC
 * hints' context and the scheduling flags. The plan's own checks (another
 * EL, E2H = 0 for an _EL12 alias or a VHE-redirected register) hand the
 * access to the generic handler: the EL1 runs cover that path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/modules.h"
#include "cpu/sys_internal.h"
#include "el2/hcr.h"
#include "sysreg_test_util.h"

/* CPTR_EL2: TFP (bit 10) with E2H = 0; FPEN (bits 21:20) = 00 with E2H = 1
 * traps FP at EL2 (Arm ARM D13.2.31) */
#define CPTR_TFP (1ull << 10)
#define CPTR_FPEN_MASK (3ull << 20)

typedef struct Outcome {
    int ret;          /* the handler's return value, or -1: it raised */
    uint64_t pc, cycles, x[32], sr[SR__COUNT], pac_cur[2];
    uint8_t el, exit_req;
} Outcome;

typedef struct Setup {
    unsigned el;
    uint64_t hcr, cptr, val;
} Setup;

static void prepare(a83_machine *m, const Setup *s, uint32_t insn)
{
    CPUState *c = m->cpu[0];
    cpu_reset(c);
    c->sr[SR_VBAR_EL1] = VBAR1;
    c->sr[SR_VBAR_EL2] = VBAR2;
    c->sr[SR_HCR_EL2] = s->hcr;
    c->sr[SR_CPTR_EL2] = s->cptr;
    a83_phys_write(m, CODE_PA, &insn, 4);
    a83_reg_write(m, 0, A83_REG_PSTATE, s->el == 2 ? PS_EL2 : PS_EL1);
    a83_reg_write(m, 0, A83_REG_PC, CODE_PA);
    cpu_update_mmu_context(c);
    c->x[7] = s->val;
    c->exit_req = 0;
    /* context ids as after a hint (pauth.c): a write to one of the
     * context's registers must forget them (sysreg_write_raw()) */
    c->pac_hint_cur[0] = PAC_HINT_CUR_VALID | 1;
    c->pac_hint_cur[1] = PAC_HINT_CUR_VALID | 2;
}

static void collect(const CPUState *c, int ret, Outcome *o)
{
    memset(o, 0, sizeof *o);
    o->ret = ret;
    o->pc = c->pc;
    o->cycles = c->cycles;
    memcpy(o->x, c->x, sizeof o->x);
    memcpy(o->sr, c->sr, sizeof o->sr);
    memcpy(o->pac_cur, c->pac_hint_cur, sizeof o->pac_cur);
    o->el = c->el;
    o->exit_req = c->exit_req;
}

/* The access through the handler exec_sysreg_entry_handler() gives the
 * translator (counting the plans), on machine m. */
static void run_plan(a83_machine *m, const Setup *s, uint32_t insn, InsnHandler fn, Outcome *o,
                     unsigned *plans)
{
    prepare(m, s, insn);
    CPUState *c = m->cpu[0];
    const void *entry;
    uint32_t plan;
    SysEntryHandler h = exec_sysreg_entry_handler(m, fn, insn, &entry, &plan);
    assert_non_null(h);   /* every entry of the table has one */
    uint64_t c0 = c->cycles;
    volatile int ret = -1;
    if (!setjmp(c->jmp))
        ret = h(c, insn, entry, plan);
    collect(c, ret, o);
    o->cycles -= c0;
    *plans += plan != 0;     /* the EL2 handler (a plan is never 0) */
}

/* The same access through the generic handler, on machine m. */
static void run_generic(a83_machine *m, const Setup *s, uint32_t insn, InsnHandler fn, Outcome *o)
{
    prepare(m, s, insn);
    CPUState *c = m->cpu[0];
    uint64_t c0 = c->cycles;
    volatile int ret = -1;
    if (!setjmp(c->jmp))
        ret = fn(c, insn);
    collect(c, ret, o);
    o->cycles -= c0;
}

static const char *differs(const Outcome *a, const Outcome *b)
{
    if (a->ret != b->ret) return "return value";
    if (a->pc != b->pc) return "PC";
    if (a->el != b->el) return "PSTATE.EL";
    if (a->cycles != b->cycles) return "cycles";
    if (memcmp(a->x, b->x, sizeof a->x)) return "general registers";
    if (memcmp(a->sr, b->sr, sizeof a->sr)) return "system registers";
    if (memcmp(a->pac_cur, b->pac_cur, sizeof a->pac_cur)) return "PAC hint context";
    if (a->exit_req != b->exit_req) return "exit_req";
    return NULL;
}

static void test_el2_plans_as_generic(void **state)
{
    (void)state;
    /* two machines with the same history: the GIC's and the timers' state
     * outside the CPU changes alike on both */
    a83_machine *mp = tm_create(true, true, true), *mg = tm_create(true, true, true);
    assert_non_null(mp);
    assert_non_null(mg);
    static const uint64_t hcrs[3] = { HCR_RW, HCR_RW | HCR_E2H, HCR_RW | HCR_E2H | HCR_TGE };
    static const uint64_t vals[2] = { 0, 0x5a5a5a5a5a5a5a5aull };
    unsigned compared = 0, plans = 0, ok = 0, raised = 0;
    for (uint32_t enc = 0x8000; enc < 0x10000; enc++) {     /* op0 = 2, 3: the registers */
        const SysRegDesc *r = sysreg_find(mp, enc);
        if (!r)
            continue;
        for (unsigned dir = 0; dir < 2; dir++) {
            bool rd = dir == 0;
            uint32_t insn = rd ? INSN_MRS(enc, 7) : INSN_MSR(enc, 7);
            InsnHandler fn = rd ? h_mrs : h_msr_reg;
            for (unsigned k = 0; k < 3 * 2 * 2 * 2; k++) {
                Setup s = { .el = 1 + (k & 1), .hcr = hcrs[(k >> 1) % 3],
                            .val = vals[(k / 6) & 1] };
                bool trap_fp = k >= 12;
                s.cptr = (s.hcr & HCR_E2H) ? (trap_fp ? 0 : CPTR_FPEN_MASK)
                                           : (trap_fp ? CPTR_TFP : 0);
                Outcome a, b;
                run_plan(mp, &s, insn, fn, &a, &plans);
                run_generic(mg, &s, insn, fn, &b);
                const char *what = differs(&a, &b);
                if (what)
                    fail_msg("%s %s at EL%u HCR_EL2 0x%llx CPTR_EL2 0x%llx Xt 0x%llx: %s differs "
                             "(plan: ret %d pc 0x%llx el %u; generic: ret %d pc 0x%llx el %u)",
                             rd ? "MRS" : "MSR", r->name, s.el, (unsigned long long)s.hcr,
                             (unsigned long long)s.cptr, (unsigned long long)s.val, what, a.ret,
                             (unsigned long long)a.pc, a.el, b.ret, (unsigned long long)b.pc, b.el);
                compared++;
                ok += a.ret >= 0;
                raised += a.ret < 0;
            }
        }
    }
    a83_machine_destroy(mp);
    a83_machine_destroy(mg);
    printf("EL2 plans: %u accesses compared (%u through a plan; %u completed, %u raised)\n",
           compared, plans, ok, raised);
    assert_true(plans > 500);
    assert_true(ok > 1000);
    assert_true(raised > 1000);
}

/* An _EL1 register with a VHE redirect: at EL2 with E2H = 1 the plan holds
 * the _EL2 entry, and the MSR reaches the _EL2 register's slot (Arm ARM
 * D5.6.2, "Redirection of EL1 register accesses at EL2"); with E2H = 0 the
 * access is the _EL1 register's. */
static void test_redirect_reaches_el2(void **state)
{
    (void)state;
    a83_machine *m = tm_create(true, true, true);
    assert_non_null(m);
    uint32_t insn = INSN_MSR(A83_SYSREG(3, 0, 12, 0, 0), 7);    /* MSR VBAR_EL1, X7 */
    const void *entry;
    uint32_t plan;
    SysEntryHandler h = exec_sysreg_entry_handler(m, h_msr_reg, insn, &entry, &plan);
    assert_non_null(h);
    assert_ptr_equal(entry, sysreg_find(m, A83_SYSREG(3, 4, 12, 0, 0)));    /* VBAR_EL2 */
    for (unsigned e2h = 0; e2h < 2; e2h++) {
        Setup s = { .el = 2, .hcr = HCR_RW | (e2h ? HCR_E2H : 0), .val = 0x40123800ull };
        prepare(m, &s, insn);
        CPUState *c = m->cpu[0];
        assert_int_equal(h(c, insn, entry, plan), EXEC_EXIT);
        assert_int_equal(c->pc, CODE_PA + 4);
        assert_int_equal(c->sr[e2h ? SR_VBAR_EL2 : SR_VBAR_EL1], 0x40123800ull);
        assert_int_equal(c->sr[e2h ? SR_VBAR_EL1 : SR_VBAR_EL2], e2h ? VBAR1 : VBAR2);
    }
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_el2_plans_as_generic),
        cmocka_unit_test(test_redirect_reaches_el2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
