/*
 * Smoke tests of the MRS/MSR executor and exception-generating
 * instructions (Arm ARM C5.2, D1.10).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sysreg_test_util.h"

static void test_currentel(void **state)
{
    (void)state;
    a83_machine *m = tm_create(true, true, false);
    CPUState *c = m->cpu[0];
    tm_exec(m, INSN_MRS(A83_SYSREG(3, 0, 4, 2, 2), 3), PS_EL2);   /* mrs x3, CurrentEL */
    assert_int_equal(c->x[3], 8);
    assert_int_equal(c->pc, CODE_PA + 4);
    tm_exec(m, INSN_MRS(A83_SYSREG(3, 0, 4, 2, 2), 3), PS_EL1);
    assert_int_equal(c->x[3], 4);
    /* EL0: UNDEFINED, to EL1, vector "lower EL AArch64 sync" = +0x400 */
    tm_exec(m, INSN_MRS(A83_SYSREG(3, 0, 4, 2, 2), 3), PS_EL0);
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], 0x02000000u);
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA);
    a83_machine_destroy(m);
}

static void test_svc_hvc(void **state)
{
    (void)state;
    a83_machine *m = tm_create(true, true, false);
    CPUState *c = m->cpu[0];
    tm_exec(m, 0xd4000001u | (0x1234u << 5), PS_EL0);  /* svc #0x1234 -> EL1 */
    assert_int_equal(c->pc, VBAR1 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL1], (0x15u << 26) | (1u << 25) | 0x1234u);
    assert_int_equal(c->sr[SR_ELR_EL1], CODE_PA + 4);
    assert_int_equal(c->sr[SR_SPSR_EL1], PS_EL0);
    tm_exec(m, 0xd4000002u | (0x42u << 5), PS_EL1);                    /* hvc #0x42 -> EL2 */
    assert_int_equal(c->pc, VBAR2 + 0x400);
    assert_int_equal(c->sr[SR_ESR_EL2], (0x16u << 26) | (1u << 25) | 0x42u);
    assert_int_equal(c->sr[SR_ELR_EL2], CODE_PA + 4);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currentel),
        cmocka_unit_test(test_svc_hvc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
