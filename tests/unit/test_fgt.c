/*
 * FEAT_FGT table consistency (src/el2/fgt.c, Arm ARM D24.2 HFGRTR_EL2 ...
 * HDFGWTR_EL2) on a `-cpu max` machine:
 *  - every writable bit of the five registers traps at least one encoding
 *    (read or write as the register says), and every encoding it traps is a
 *    register or instruction the CPU implements (no stray encodings);
 *  - a read bit never traps a write and the other way round;
 *  - nothing traps at EL2, in the EL2&0 host regime, or with the feature off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "el2/fgt.h"
#include "sysreg_test_util.h"

static a83_machine *M;

static const struct { const char *name; unsigned slot; bool rd; } regs[] = {
    { "HFGRTR_EL2", SR_HFGRTR_EL2, true },   { "HFGWTR_EL2", SR_HFGWTR_EL2, false },
    { "HFGITR_EL2", SR_HFGITR_EL2, false },  { "HDFGRTR_EL2", SR_HDFGRTR_EL2, true },
    { "HDFGWTR_EL2", SR_HDFGWTR_EL2, false },
};

static void clear(CPUState *c)
{
    for (size_t i = 0; i < 5; i++)
        c->sr[regs[i].slot] = 0;
}

/* Encodings trapped for (rd) with only bit b of register i set. */
static unsigned trapped(CPUState *c, size_t i, unsigned b, bool rd, bool check_exists)
{
    clear(c);
    c->sr[regs[i].slot] = 1ull << b;
    unsigned n = 0;
    for (uint32_t enc = 0; enc < (1u << 16); enc++)
        if (el2_fgt_trap(c, enc, rd)) {
            n++;
            /* numbered families (DBGBVR<n>..., PMEVCNTR<n>...) cover their
             * whole encoding range; the unimplemented n are UNDEFINED first */
            bool family = ((enc >> 14) == 2 && ((enc >> 7) & 15) == 0) ||
                          ((enc >> 14) == 3 && ((enc >> 7) & 15) == 14 && ((enc >> 3) & 15) >= 8);
            if (check_exists && !family && !sysreg_find(M, enc))
                fail_msg("%s bit %u traps unimplemented encoding 0x%x", regs[i].name, b, enc);
        }
    return n;
}

static void test_bits(void **state)
{
    (void)state;
    CPUState *c = M->cpu[0];
    c->el = 1;
    c->sr[SR_HCR_EL2] = 1ull << 31;
    for (size_t i = 0; i < 5; i++) {
        a83_sysreg_write(M, 0, regs[i].name, ~0ull);
        uint64_t w = 0;
        assert_int_equal(a83_sysreg_read(M, 0, regs[i].name, &w), A83_OK);
        assert_true(w != 0);
        for (unsigned b = 0; b < 64; b++) {
            if (!((w >> b) & 1))
                continue;
            bool special = regs[i].slot == SR_HFGITR_EL2 && b >= 51 && b <= 53; /* ERET, SVC */
            unsigned n = trapped(c, i, b, regs[i].rd, true);
            if (special)
                assert_int_equal(n, 0);
            else if (n == 0)
                fail_msg("%s bit %u is writable but traps nothing", regs[i].name, b);
            /* the other direction is never trapped by this register */
            assert_int_equal(trapped(c, i, b, !regs[i].rd, false), 0);
        }
    }
    clear(c);
}

static void test_where(void **state)
{
    (void)state;
    CPUState *c = M->cpu[0];
    uint32_t sctlr = A83_SYSREG(3, 0, 1, 0, 0);
    clear(c);
    c->sr[SR_HFGRTR_EL2] = 1ull << 29;            /* SCTLR_EL1 */
    c->sr[SR_HCR_EL2] = 1ull << 31;
    c->el = 1;
    assert_true(el2_fgt_trap(c, sctlr, true));
    assert_false(el2_fgt_trap(c, sctlr, false));
    c->el = 2;
    assert_false(el2_fgt_trap(c, sctlr, true));
    c->el = 0;                                    /* TPIDR_EL0 at EL0 */
    c->sr[SR_HFGRTR_EL2] = 1ull << 35;
    c->sr[SR_HCR_EL2] = (1ull << 31) | (1ull << 27);               /* TGE */
    assert_true(el2_fgt_trap(c, A83_SYSREG(3, 3, 13, 0, 2), true));
    c->sr[SR_HCR_EL2] = (1ull << 31) | (1ull << 27) | (1ull << 34); /* E2H, TGE */
    assert_false(el2_fgt_trap(c, A83_SYSREG(3, 3, 13, 0, 2), true));
    c->feat &= ~FEATBIT(FEAT_FGT);
    c->sr[SR_HCR_EL2] = 1ull << 31;
    assert_false(el2_fgt_trap(c, A83_SYSREG(3, 3, 13, 0, 2), true));
    c->feat |= FEATBIT(FEAT_FGT);
    clear(c);
}

int main(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    if (a83_config_set_cpu(&cfg, "max") != A83_OK || a83_machine_create(&cfg, &M) != A83_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_where),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    a83_machine_destroy(M);
    return r;
}
