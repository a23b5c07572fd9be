/*
 * Bounded runs: a guest whose every instruction fetch faults (PC and
 * VBAR_EL1 in unmapped space, so each exception's vector fetch aborts
 * again: Arm ARM D1.10, an Instruction Abort on the fetch) still ends its
 * time slice and stops at the instruction limit, because an exception taken
 * on a fetch uses one slot of the budget (src/cpu/exec.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

static void test_fetch_fault_loop_is_bounded(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = 2;                   /* the other CPU is off: nothing else can run */
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", 0x20000000), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, 0x20000800), A83_OK);
    a83_stop_reason why = A83_STOP_NONE;
    assert_int_equal(a83_run(m, 5000, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    uint64_t insns, esr, elr;
    a83_cpu_counters(m, 0, &insns, NULL);
    assert_int_equal(insns, 5000);
    /* Every one of them was an instruction abort at EL1 from EL1 (EC 0x21),
     * FSC = synchronous external abort (0x10), taken on the vector itself. */
    assert_int_equal(a83_sysreg_read(m, 0, "ESR_EL1", &esr), A83_OK);
    assert_int_equal(esr >> 26, 0x21);
    assert_int_equal(esr & 0x3f, 0x10);
    assert_int_equal(a83_sysreg_read(m, 0, "ELR_EL1", &elr), A83_OK);
    assert_int_equal(elr, 0x20000200);   /* current EL with SP_ELx, synchronous */
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_fetch_fault_loop_is_bounded) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
