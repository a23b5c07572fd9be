/*
 * The EL2 policy functions (src/el2/policy.h) against the Arm ARM
 * pseudocode they are named after and the HCR_EL2 field descriptions:
 *  - ELIsInHost()/IsInHost()/EffectiveTGE()/EL2Enabled()
 *    (shared/functions/system/), for every {E2H,TGE} and EL;
 *  - EffectiveHCR_EL2_NVx() for every {NV2,NV1,NV} (NV = 0 reads as '000');
 *  - the effective HCR_EL2.{IMO,FMO,AMO} under TGE ("behaves as 1") and the
 *    virtual-interrupt enables (D1.13.4), physical target ELs (table D1-15);
 *  - default target EL, WFx/SMC/ERET/HVC/TIDCP/API decisions, LDTR/STTR
 *    privilege, stage-2 enable (HCR_EL2.VM/DC, not in the host);
 *  - without EL2 every HCR_EL2 value is ignored (EL2Enabled() = FALSE).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "el2/policy.h"
#include "sysreg_test_util.h"

static a83_machine *M, *M_NOEL2;

static CPUState *at(a83_machine *m, unsigned el, uint64_t hcr)
{
    CPUState *c = m->cpu[0];
    c->sr[SR_HCR_EL2] = HCR_RW | hcr;
    c->el = (uint8_t)el;
    return c;
}

static void test_in_host(void **state)
{
    (void)state;
    /* ELIsInHost(EL2) = E2H; ELIsInHost(EL0) = E2H && TGE; never EL1 */
    static const uint64_t hcrs[4] = { 0, HCR_TGE, HCR_E2H, HCR_E2H | HCR_TGE };
    static const bool host0[4] = { 0, 0, 0, 1 }, host2[4] = { 0, 0, 1, 1 };
    for (unsigned i = 0; i < 4; i++) {
        for (unsigned el = 0; el <= 2; el++) {
            CPUState *c = at(M, el, hcrs[i]);
            assert_int_equal(ELIsInHost(c, 0), host0[i]);
            assert_int_equal(ELIsInHost(c, 1), 0);
            assert_int_equal(ELIsInHost(c, 2), host2[i]);
            assert_int_equal(IsInHost(c), el == 0 ? host0[i] : el == 2 ? host2[i] : 0);
            assert_int_equal(el2_in_host(c), host0[i]);
            assert_int_equal(EffectiveTGE(c), (hcrs[i] & HCR_TGE) != 0);
            assert_int_equal(EffectiveHCR_EL2_E2H(c), (hcrs[i] & HCR_E2H) != 0);
        }
    }
}

static void test_nvx(void **state)
{
    (void)state;
    static const struct { uint64_t hcr; unsigned nvx; } t[] = {
        { 0, 0 },
        { HCR_NV, NVX_NV },
        { HCR_NV | HCR_NV1, NVX_NV | NVX_NV1 },
        { HCR_NV | HCR_NV2, NVX_NV | NVX_NV2 },
        { HCR_NV | HCR_NV1 | HCR_NV2, NVX_NV | NVX_NV1 | NVX_NV2 },
        { HCR_NV1, 0 },              /* Constraint_NVNV1_00 */
        { HCR_NV2, 0 },
        { HCR_NV1 | HCR_NV2, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        CPUState *c = at(M, 1, t[i].hcr);
        assert_int_equal(EffectiveHCR_EL2_NVx(c), t[i].nvx);
        assert_int_equal(el2_trap_nv(c), (t[i].nvx & NVX_NV) != 0);
        assert_int_equal(el2_trap_eret(c), (t[i].nvx & NVX_NV) != 0);
        assert_int_equal(el2_trap_nv1_el1regs(c), t[i].nvx == (NVX_NV | NVX_NV1));
        /* LDTR at EL1 is unprivileged unless NVx<1:0> = '11' */
        assert_int_equal(el2_ldst_unpriv(c), (t[i].nvx & 3) != 3);
        /* only at EL1 */
        assert_false(el2_trap_nv(at(M, 2, t[i].hcr)));
        assert_false(el2_trap_nv(at(M, 0, t[i].hcr)));
    }
    /* LDTR at EL2: unprivileged only with {E2H,TGE} = {1,1} */
    assert_true(el2_ldst_unpriv(at(M, 2, HCR_E2H | HCR_TGE)));
    assert_false(el2_ldst_unpriv(at(M, 2, HCR_E2H)));
    assert_false(el2_ldst_unpriv(at(M, 0, 0)));
}

static void test_interrupts(void **state)
{
    (void)state;
    static const enum El2Int k[3] = { EL2_INT_IRQ, EL2_INT_FIQ, EL2_INT_SERROR };
    static const uint64_t bit[3] = { HCR_IMO, HCR_FMO, HCR_AMO };
    for (unsigned i = 0; i < 3; i++) {
        CPUState *c = at(M, 1, 0);
        assert_false(EffectiveHCR_EL2_xMO(c, k[i]));
        assert_int_equal(el2_phys_int_target_el(c, k[i]), 1);
        assert_false(el2_virt_int_enabled(c, k[i]));
        c = at(M, 1, bit[i]);
        assert_true(EffectiveHCR_EL2_xMO(c, k[i]));
        assert_int_equal(el2_phys_int_target_el(c, k[i]), 2);
        assert_true(el2_virt_int_enabled(c, k[i]));
        /* the other classes are not routed by this bit */
        assert_false(el2_virt_int_enabled(c, k[(i + 1) % 3]));
        assert_int_equal(el2_phys_int_target_el(c, k[(i + 2) % 3]), 1);
        /* TGE: behaves as xMO = 1 for routing, and no virtual interrupts */
        c = at(M, 0, HCR_TGE);
        assert_true(EffectiveHCR_EL2_xMO(c, k[i]));
        assert_int_equal(el2_phys_int_target_el(c, k[i]), 2);
        c = at(M, 1, HCR_TGE | bit[i]);
        assert_false(el2_virt_int_enabled(c, k[i]));
    }
}

static void test_targets_and_traps(void **state)
{
    (void)state;
    assert_int_equal(el2_default_target_el(at(M, 0, 0)), 1);
    assert_int_equal(el2_default_target_el(at(M, 0, HCR_TGE)), 2);
    assert_int_equal(el2_default_target_el(at(M, 1, HCR_TGE)), 1);
    assert_int_equal(el2_default_target_el(at(M, 2, 0)), 2);
    assert_int_equal(el1_trap_target(at(M, 0, HCR_TGE)), 2);
    assert_int_equal(el1_trap_target(at(M, 1, HCR_TGE)), 1);

    assert_true(el2_trap_wfx(at(M, 1, HCR_TWI), false));
    assert_false(el2_trap_wfx(at(M, 1, HCR_TWI), true));
    assert_true(el2_trap_wfx(at(M, 0, HCR_TWE), true));
    assert_false(el2_trap_wfx(at(M, 0, HCR_TWE | HCR_E2H | HCR_TGE), true));
    assert_false(el2_trap_wfx(at(M, 2, HCR_TWI | HCR_TWE), false));

    assert_true(el2_trap_smc(at(M, 1, HCR_TSC)));
    assert_false(el2_trap_smc(at(M, 2, HCR_TSC)));
    assert_true(el2_hvc_undefined(at(M, 1, HCR_HCD)));
    assert_false(el2_hvc_undefined(at(M, 1, 0)));
    assert_true(el2_trap_tidcp(at(M, 1, HCR_TIDCP)));
    assert_false(el2_trap_tidcp(at(M, 0, HCR_TIDCP)));

    /* PAuth: API = 0 traps EL1 and EL0, not EL0 in the host, never EL2 */
    assert_true(el2_trap_api(at(M, 1, 0)));
    assert_false(el2_trap_api(at(M, 1, HCR_API)));
    assert_true(el2_trap_api(at(M, 0, 0)));
    assert_false(el2_trap_api(at(M, 0, HCR_E2H | HCR_TGE)));
    assert_false(el2_trap_api(at(M, 2, 0)));

    assert_true(el2_stage2_enabled(at(M, 1, HCR_VM)));
    assert_true(el2_stage2_enabled(at(M, 1, HCR_DC)));
    assert_false(el2_stage2_enabled(at(M, 1, 0)));
    assert_false(el2_stage2_enabled(at(M, 0, HCR_VM | HCR_E2H | HCR_TGE)));
    assert_true(el2_force_broadcast(at(M, 1, HCR_FB)));
    assert_false(el2_force_broadcast(at(M, 0, HCR_FB)));
}

/* Without EL2, HCR_EL2 is not consulted: even a raw value with every bit
 * set changes no decision (EL2Enabled() = FALSE). */
static void test_no_el2(void **state)
{
    (void)state;
    for (unsigned el = 0; el <= 1; el++) {
        CPUState *c = at(M_NOEL2, el, ~0ull);
        assert_false(EL2Enabled(c));
        assert_int_equal(el2_hcr(c), 0);
        assert_false(EffectiveTGE(c));
        assert_false(ELIsInHost(c, 0));
        assert_int_equal(EffectiveHCR_EL2_NVx(c), 0);
        assert_int_equal(el2_default_target_el(c), 1);
        assert_int_equal(el2_phys_int_target_el(c, EL2_INT_IRQ), 1);
        assert_false(el2_virt_int_enabled(c, EL2_INT_IRQ));
        assert_false(el2_trap_wfx(c, true));
        assert_false(el2_trap_smc(c));
        assert_false(el2_trap_api(c));
        assert_false(el2_stage2_enabled(c));
        assert_int_equal(el2_debug_target_el(c), 1);
    }
    at(M_NOEL2, 1, HCR_RW);
}

int main(void)
{
    M = tm_create(true, true, true);
    M_NOEL2 = tm_create(false, false, false);
    if (!M || !M_NOEL2)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_host),
        cmocka_unit_test(test_nvx),
        cmocka_unit_test(test_interrupts),
        cmocka_unit_test(test_targets_and_traps),
        cmocka_unit_test(test_no_el2),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    a83_machine_destroy(M);
    a83_machine_destroy(M_NOEL2);
    return r;
}
