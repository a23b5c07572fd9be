/*
 * The board firmware (src/platform/psci.c, docs/guest-exit.md) called
 * directly as sys.c does for HVC/SMC: PSCI 1.1 (Arm DEN0022D) and SMCCC 1.1
 * (Arm DEN0028) function results, conduit selection, CPU_ON/CPU_OFF/
 * AFFINITY_INFO state, SYSTEM_OFF/RESET and the OEM exit call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/machine.h"
#include "platform/platform.h"

#define NOT_SUPPORTED ((uint64_t)-1)
#define INVALID_PARAMETERS ((uint64_t)-2)
#define ALREADY_ON ((uint64_t)-4)
#define INVALID_ADDRESS ((uint64_t)-9)

static a83_machine *mk(unsigned ncpus, bool virt)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.virtualization = virt;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    return m;
}

/* Calls through the board's conduit; returns x0. */
static uint64_t call(a83_machine *m, unsigned cpu, uint64_t fid, uint64_t a1, uint64_t a2,
                     uint64_t a3)
{
    CPUState *c = m->cpu[cpu];
    c->x[0] = fid;
    c->x[1] = a1;
    c->x[2] = a2;
    c->x[3] = a3;
    assert_true(platform_firmware_call(c, has_feat(c, FEAT_EL2), 0));
    return c->x[0];
}

static void test_versions_and_features(void **state)
{
    (void)state;
    a83_machine *m = mk(1, false);
    assert_int_equal(call(m, 0, 0x84000000, 0, 0, 0), 0x10001);     /* PSCI 1.1 */
    assert_int_equal(call(m, 0, 0x80000000, 0, 0, 0), 0x10001);     /* SMCCC 1.1 */
    assert_int_equal(call(m, 0, 0x84000006, 0, 0, 0), 2);           /* MIGRATE_INFO_TYPE */
    /* PSCI_FEATURES */
    assert_int_equal(call(m, 0, 0x8400000A, 0xC4000003, 0, 0), 0);
    assert_int_equal(call(m, 0, 0x8400000A, 0x84000008, 0, 0), 0);
    assert_int_equal(call(m, 0, 0x8400000A, 0x80000000, 0, 0), 0);  /* SMCCC_VERSION */
    assert_int_equal(call(m, 0, 0x8400000A, 0x84000005, 0, 0), NOT_SUPPORTED);  /* MIGRATE */
    assert_int_equal(call(m, 0, 0x8400000A, 0x8400000E, 0, 0), NOT_SUPPORTED);  /* SYSTEM_SUSPEND */
    /* SMCCC_ARCH_FEATURES: no workarounds */
    assert_int_equal(call(m, 0, 0x80000001, 0x80008000, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0x80000001, 0x80007FFF, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0x80000001, 0x80003FFF, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0x80000001, 0x80000001, 0, 0), 0);
    /* unknown IDs, a yielding call, and MIGRATE return NOT_SUPPORTED */
    assert_int_equal(call(m, 0, 0x84000005, 0, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0xC2000000, 0, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0x04000000, 0, 0, 0), NOT_SUPPORTED);
    assert_int_equal(call(m, 0, 0x83000002, 0, 0, 0), NOT_SUPPORTED);
    assert_int_equal(m->stop_reason, A83_STOP_NONE);
    a83_machine_destroy(m);
}

static void test_conduit(void **state)
{
    (void)state;
    /* EL2 not implemented: HVC is the conduit; SMC is not handled */
    a83_machine *m = mk(1, false);
    CPUState *c = m->cpu[0];
    c->x[0] = 0x84000000;
    assert_false(platform_firmware_call(c, true, 0));
    assert_true(platform_firmware_call(c, false, 0));
    assert_int_equal(c->x[0], 0x10001);
    /* non-zero immediate: not an SMCCC call */
    c->x[0] = 0x84000000;
    assert_false(platform_firmware_call(c, false, 1));
    assert_int_equal(c->x[0], 0x84000000);
    /* EL0 never reaches the firmware */
    c->el = 0;
    assert_false(platform_firmware_call(c, false, 0));
    a83_machine_destroy(m);
    /* EL2 implemented: SMC is the conduit, HVC goes to EL2 */
    m = mk(1, true);
    c = m->cpu[0];
    c->x[0] = 0x84000000;
    assert_false(platform_firmware_call(c, false, 0));
    assert_true(platform_firmware_call(c, true, 0));
    assert_int_equal(c->x[0], 0x10001);
    a83_machine_destroy(m);
}

static void test_cpu_on_off_affinity(void **state)
{
    (void)state;
    a83_machine *m = mk(4, false);
    CPUState *c1 = m->cpu[1];
    m->cpu[0]->cycles = 12345;
    /* AFFINITY_INFO: 0 = ON, 1 = OFF */
    assert_int_equal(call(m, 0, 0xC4000004, 0, 0, 0), 0);
    assert_int_equal(call(m, 0, 0xC4000004, 1, 0, 0), 1);
    assert_int_equal(call(m, 0, 0xC4000004, 7, 0, 0), INVALID_PARAMETERS);   /* no CPU 7 */
    assert_int_equal(call(m, 0, 0xC4000004, 1, 1, 0), 0);    /* cluster 0: some CPU on */
    assert_int_equal(call(m, 0, 0xC4000004, 1, 4, 0), INVALID_PARAMETERS);
    /* CPU_ON errors */
    assert_int_equal(call(m, 0, 0xC4000003, 0, 0x40080000, 0), ALREADY_ON);
    assert_int_equal(call(m, 0, 0xC4000003, 9, 0x40080000, 0), INVALID_PARAMETERS);
    assert_int_equal(call(m, 0, 0xC4000003, 0x100, 0x40080000, 0), INVALID_PARAMETERS); /* Aff1 */
    assert_int_equal(call(m, 0, 0xC4000003, 1, 0x30000000, 0), INVALID_ADDRESS);
    assert_false(c1->powered);
    /* CPU_ON 64: entry, x0 = context id, EL1h, DAIF masked */
    c1->x[5] = 55;
    assert_int_equal(call(m, 0, 0xC4000003, 1, 0x40081000, 0xabcdef0123ull), 0);
    assert_true(c1->powered);
    assert_int_equal(c1->pc, 0x40081000);
    assert_int_equal(c1->x[0], 0xabcdef0123ull);
    assert_int_equal(c1->x[5], 0);               /* reset state */
    assert_int_equal(c1->el, 1);
    assert_int_equal(c1->daif, 0xf);
    assert_int_equal(c1->cycles, 12345);         /* starts at the caller's time */
    assert_int_equal(call(m, 0, 0xC4000004, 1, 0, 0), 0);
    assert_int_equal(call(m, 0, 0xC4000003, 1, 0x40081000, 0), ALREADY_ON);
    /* CPU_ON 32: upper halves of the arguments ignored (SMCCC 32-bit call) */
    assert_int_equal(call(m, 0, 0x84000003, 0xffffffff00000002ull, 0x40082000, 0x100000007ull), 0);
    assert_int_equal(m->cpu[2]->pc, 0x40082000);
    assert_int_equal(m->cpu[2]->x[0], 7);
    /* CPU_OFF from CPU 1 */
    assert_int_equal(call(m, 1, 0x84000002, 0, 0, 0), 0);
    assert_false(c1->powered);
    assert_true(c1->exit_req & EXIT_SCHED);
    assert_int_equal(call(m, 0, 0xC4000004, 1, 0, 0), 1);
    a83_machine_destroy(m);

    /* with EL2: the new CPU starts at EL2 */
    m = mk(2, true);
    assert_int_equal(call(m, 0, 0xC4000003, 1, 0x40080000, 3), 0);
    assert_int_equal(m->cpu[1]->el, 2);
    a83_machine_destroy(m);
}

static void test_suspend(void **state)
{
    (void)state;
    a83_machine *m = mk(1, false);
    CPUState *c = m->cpu[0];
    assert_int_equal(call(m, 0, 0xC4000001, 0, 0, 0), 0);            /* standby */
    assert_true(c->halted);
    c->halted = false;
    assert_int_equal(call(m, 0, 0xC4000001, 1u << 16, 0x40080000, 0), 0);   /* powerdown */
    assert_true(c->halted);
    a83_machine_destroy(m);
}

static void test_system_off_reset_exit(void **state)
{
    (void)state;
    a83_machine *m = mk(2, false);
    call(m, 0, 0x84000008, 0, 0, 0);
    assert_int_equal(m->stop_reason, A83_STOP_POWEROFF);
    assert_int_equal(a83_exit_status(m), 0);
    assert_true(m->cpu[1]->exit_req & EXIT_SCHED);
    a83_machine_destroy(m);

    m = mk(1, false);
    call(m, 0, 0x84000009, 0, 0, 0);
    assert_int_equal(m->stop_reason, A83_STOP_RESET);
    a83_machine_destroy(m);

    m = mk(1, false);
    assert_int_equal(call(m, 0, 0xC4000012, 5, 0, 0), INVALID_PARAMETERS);
    assert_int_equal(m->stop_reason, A83_STOP_NONE);
    call(m, 0, 0xC4000012, 0, 0, 0);             /* SYSTEM_RESET2 warm reset */
    assert_int_equal(m->stop_reason, A83_STOP_RESET);
    a83_machine_destroy(m);

    /* OEM exit: x1 = status (32-bit call: W1) */
    m = mk(1, true);
    call(m, 0, 0x83000001, 0xffffffff0000002aull, 0, 0);
    assert_int_equal(m->stop_reason, A83_STOP_POWEROFF);
    assert_int_equal(a83_exit_status(m), 42);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions_and_features),
        cmocka_unit_test(test_conduit),
        cmocka_unit_test(test_cpu_on_off_affinity),
        cmocka_unit_test(test_suspend),
        cmocka_unit_test(test_system_off_reset_exit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
