/*
 * FEAT_NV2 table consistency and the NVx rules (src/el2/nv.[ch]):
 *  - every register of the architecture's VNCR_EL2 list that this CPU
 *    implements has exactly its offset in its table entry (the offsets are
 *    the accessor pseudocode's NVMem[] indices, Arm ARM D24.2 / D24.3 /
 *    D24.10 / GICv3 ICH_), and no other entry has one;
 *  - nv_vncr_applies() for each NVx value and register class;
 *  - nv2_el2_redirect() for ELR/SPSR/ESR/FAR_EL2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/modules.h"
#include "el2/nv.h"
#include "sysreg_test_util.h"

static a83_machine *M;

static const struct { const char *name; int off; } vncr_list[] = {
    { "VTTBR_EL2", 0x20 },       { "VTCR_EL2", 0x40 },        { "VMPIDR_EL2", 0x50 },
    { "CNTVOFF_EL2", 0x60 },     { "HCR_EL2", 0x78 },         { "HSTR_EL2", 0x80 },
    { "VPIDR_EL2", 0x88 },       { "TPIDR_EL2", 0x90 },       { "VNCR_EL2", 0xb0 },
    { "CPACR_EL1", 0x100 },      { "CONTEXTIDR_EL1", 0x108 }, { "SCTLR_EL1", 0x110 },
    { "ACTLR_EL1", 0x118 },      { "TCR_EL1", 0x120 },        { "AFSR0_EL1", 0x128 },
    { "AFSR1_EL1", 0x130 },      { "ESR_EL1", 0x138 },        { "MAIR_EL1", 0x140 },
    { "AMAIR_EL1", 0x148 },      { "MDSCR_EL1", 0x158 },      { "SPSR_EL1", 0x160 },
    { "CNTV_CVAL_EL0", 0x168 },  { "CNTV_CTL_EL0", 0x170 },   { "CNTP_CVAL_EL0", 0x178 },
    { "CNTP_CTL_EL0", 0x180 },   { "TTBR0_EL1", 0x200 },      { "TTBR1_EL1", 0x210 },
    { "FAR_EL1", 0x220 },        { "ELR_EL1", 0x230 },        { "SP_EL1", 0x240 },
    { "VBAR_EL1", 0x250 },       { "ICH_LR0_EL2", 0x400 },    { "ICH_LR1_EL2", 0x408 },
    { "ICH_LR2_EL2", 0x410 },    { "ICH_LR3_EL2", 0x418 },    { "ICH_AP0R0_EL2", 0x480 },
    { "ICH_AP1R0_EL2", 0x4a0 },  { "ICH_HCR_EL2", 0x4c0 },    { "ICH_VMCR_EL2", 0x4c8 },
    /* the _EL12 aliases share their EL1 register's slot */
    { "SCTLR_EL12", 0x110 },     { "CPACR_EL12", 0x100 },     { "TTBR0_EL12", 0x200 },
    { "TTBR1_EL12", 0x210 },     { "TCR_EL12", 0x120 },       { "SPSR_EL12", 0x160 },
    { "ELR_EL12", 0x230 },       { "AFSR0_EL12", 0x128 },     { "AFSR1_EL12", 0x130 },
    { "ESR_EL12", 0x138 },       { "FAR_EL12", 0x220 },       { "MAIR_EL12", 0x140 },
    { "AMAIR_EL12", 0x148 },     { "VBAR_EL12", 0x250 },      { "CONTEXTIDR_EL12", 0x108 },
    /* the _EL02 timer aliases of CTL and CVAL share their EL0 register's
     * slot (NVx = '101'; CNTHCTL_EL2.EL1NVPCT/EL1NVVCT of FEAT_ECV exist to
     * trap them instead); the TVAL aliases always trap */
    { "CNTV_CVAL_EL02", 0x168 }, { "CNTV_CTL_EL02", 0x170 },  { "CNTP_CVAL_EL02", 0x178 },
    { "CNTP_CTL_EL02", 0x180 },
};
#define NLIST (sizeof vncr_list / sizeof vncr_list[0])

static void test_offsets(void **state)
{
    (void)state;
    for (size_t i = 0; i < NLIST; i++) {
        const SysRegDesc *r = sysreg_find_name(M, vncr_list[i].name);
        if (!r)
            fail_msg("no register %s", vncr_list[i].name);
        if (r->vncr_offset != vncr_list[i].off)
            fail_msg("%s: vncr_offset 0x%x, want 0x%x", vncr_list[i].name, r->vncr_offset,
                     vncr_list[i].off);
    }
    /* no other implemented encoding has an offset */
    unsigned with = 0;
    for (uint32_t enc = 0; enc < (1u << 16); enc++) {
        const SysRegDesc *r = sysreg_find(M, enc);
        if (r && r->vncr_offset >= 0) {
            with++;
            assert_true(r->vncr_offset % 8 == 0 && r->vncr_offset < 0x1000);
        }
    }
    assert_int_equal(with, NLIST);
}

static const SysRegDesc *reg(const char *n)
{
    const SysRegDesc *r = sysreg_find_name(M, n);
    if (!r)
        fail_msg("no register %s", n);
    return r;
}

static CPUState *at(unsigned el, uint64_t hcr)
{
    CPUState *c = M->cpu[0];
    cpu_reset(c);
    c->sr[SR_HCR_EL2] = HCR_RW | hcr;
    c->el = (uint8_t)el;
    return c;
}

static void test_rules(void **state)
{
    (void)state;
    const SysRegDesc *sctlr1 = reg("SCTLR_EL1"), *sctlr12 = reg("SCTLR_EL12");
    const SysRegDesc *hcr = reg("HCR_EL2"), *mdscr = reg("MDSCR_EL1"), *tpidr1 = reg("TPIDR_EL1");
    static const uint64_t nvx[] = { 0, HCR_NV, HCR_NV | HCR_NV1, HCR_NV | HCR_NV2,
                                    HCR_NV | HCR_NV1 | HCR_NV2, HCR_NV2 };
    /* expected: EL1 name '111', alias '101', EL2 register '1x1', MDSCR '1x1' */
    static const bool e_el1[] = { 0, 0, 0, 0, 1, 0 }, e_alias[] = { 0, 0, 0, 1, 0, 0 },
                      e_el2[] = { 0, 0, 0, 1, 1, 0 };
    for (size_t i = 0; i < sizeof nvx / sizeof nvx[0]; i++) {
        CPUState *c = at(1, nvx[i]);
        assert_int_equal(nv_vncr_applies(c, sctlr1), e_el1[i]);
        assert_int_equal(nv_vncr_applies(c, sctlr12), e_alias[i]);
        assert_int_equal(nv_vncr_applies(c, hcr), e_el2[i]);
        assert_int_equal(nv_vncr_applies(c, mdscr), e_el2[i]);
        assert_false(nv_vncr_applies(c, tpidr1));      /* no VNCR slot */
        c = at(2, nvx[i]);                            /* never at EL2 */
        assert_false(nv_vncr_applies(c, hcr));
        assert_false(nv_vncr_applies(c, sctlr1));
    }
    /* EffectiveHCR_EL2_NVx */
    assert_int_equal(el2_nvx(at(1, HCR_NV1)), 0);
    assert_int_equal(el2_nvx(at(1, HCR_NV | HCR_NV1 | HCR_NV2)), 7);
}

static void test_redirect(void **state)
{
    (void)state;
    assert_int_equal(nv2_el2_redirect(reg("ELR_EL2")->enc), reg("ELR_EL1")->enc);
    assert_int_equal(nv2_el2_redirect(reg("SPSR_EL2")->enc), reg("SPSR_EL1")->enc);
    assert_int_equal(nv2_el2_redirect(reg("ESR_EL2")->enc), reg("ESR_EL1")->enc);
    assert_int_equal(nv2_el2_redirect(reg("FAR_EL2")->enc), reg("FAR_EL1")->enc);
    assert_int_equal(nv2_el2_redirect(reg("VBAR_EL2")->enc), 0);
    assert_int_equal(nv2_el2_redirect(reg("SCTLR_EL2")->enc), 0);
}

int main(void)
{
    M = tm_create(true, true, true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_redirect),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    a83_machine_destroy(M);
    return r;
}
